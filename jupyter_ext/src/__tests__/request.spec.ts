import { ServerConnection } from '@jupyterlab/services';

import {
  APIError,
  apiURL,
  attachmentName,
  requestAPI,
  requestBlob
} from '../request';

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

beforeEach(() => makeRequest.mockReset());

describe('apiURL', () => {
  it('joins the namespace and encodes the query, leaving out missing values', () => {
    const url = apiURL(
      'runs',
      { filter: "params.m = 'rf' and x", limit: 5, after: undefined },
      settings
    );
    expect(url).toBe(
      "/base/labtrack/api/runs?filter=params.m%20%3D%20'rf'%20and%20x&limit=5"
    );
    expect(apiURL('status', {}, settings)).toBe('/base/labtrack/api/status');
  });

  it('passes the query to the request', async () => {
    reply(200, '{}');
    await requestAPI('runs', {}, settings, { numbers: '1,2' });
    expect(makeRequest.mock.calls[0][0]).toBe(
      '/base/labtrack/api/runs?numbers=1%2C2'
    );
  });
});

describe('APIError', () => {
  it("keeps a bad filter's position", async () => {
    reply(400, '{"message": "expected a value", "position": 14}');
    const error = await requestAPI('runs', {}, settings).catch(
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).position).toBe(14);
    expect((error as APIError).response.status).toBe(400);
  });
});

describe('requestBlob', () => {
  it('returns the bytes and the server-given file name', async () => {
    makeRequest.mockResolvedValueOnce(
      new Response('a,b', {
        status: 200,
        headers: {
          'Content-Disposition': 'attachment; filename="runs-1-2.csv"'
        }
      })
    );
    const file = await requestBlob(
      'export',
      { runs: '1,2', format: 'csv' },
      settings
    );
    expect(await file.blob.text()).toBe('a,b');
    expect(file.filename).toBe('runs-1-2.csv');
  });

  it('throws the server message on an error answer', async () => {
    reply(404, '{"message": "no artifact abc"}');
    await expect(requestBlob('artifacts/abc', {}, settings)).rejects.toThrow(
      'no artifact abc'
    );
  });
});

describe('attachmentName', () => {
  it.each([
    [null, null],
    ['inline', null],
    ['attachment; filename=report.html', 'report.html'],
    ['attachment; filename="a b.csv"', 'a b.csv'],
    [
      'attachment; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.md; filename="x.md"',
      'résumé.md'
    ]
  ])('%p gives %p', (header, name) => {
    expect(attachmentName(header)).toBe(name);
  });
});
