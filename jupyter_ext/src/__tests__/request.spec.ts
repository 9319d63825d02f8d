import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';

jest.mock(
  '@jupyterlab/coreutils',
  () => jest.requireActual('./mocks').coreutils
);

jest.mock('@jupyterlab/services', () => jest.requireActual('./mocks').services);

const makeRequest = ServerConnection.makeRequest as jest.Mock;
const settings = { baseUrl: '/base/' } as ServerConnection.ISettings;

function reply(status: number, body: string): void {
  makeRequest.mockResolvedValueOnce(new Response(body, { status }));
}

describe('requestAPI', () => {
  beforeEach(() => makeRequest.mockReset());

  it('calls the labtrack namespace and returns the JSON body', async () => {
    reply(200, '{"runs": 3}');
    const data = await requestAPI<{ runs: number }>('status', {}, settings);
    expect(data).toEqual({ runs: 3 });
    expect(makeRequest.mock.calls[0][0]).toBe('/base/labtrack/api/status');
  });

  it("turns an error answer into a ResponseError with the server's message", async () => {
    reply(400, '{"message": "bad filter at 7"}');
    const call = requestAPI('runs', {}, settings);
    await expect(call).rejects.toBeInstanceOf(ServerConnection.ResponseError);
    reply(400, '{"message": "bad filter at 7"}');
    await expect(requestAPI('runs', {}, settings)).rejects.toThrow(
      'bad filter at 7'
    );
  });

  it('falls back to the text, then the status line', async () => {
    reply(500, 'boom');
    await expect(requestAPI('x', {}, settings)).rejects.toThrow('boom');
    reply(404, '');
    await expect(requestAPI('x', {}, settings)).rejects.toThrow('404');
  });

  it('wraps a network failure in a NetworkError', async () => {
    makeRequest.mockRejectedValueOnce(new TypeError('offline'));
    await expect(requestAPI('status', {}, settings)).rejects.toBeInstanceOf(
      ServerConnection.NetworkError
    );
  });
});
