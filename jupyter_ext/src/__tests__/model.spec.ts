import { ServerConnection } from '@jupyterlab/services';

import { ExperimentsModel } from '../model';

jest.mock(
  '@jupyterlab/coreutils',
  () => jest.requireActual('./mocks').coreutils
);

jest.mock('@jupyterlab/services', () => jest.requireActual('./mocks').services);

const makeRequest = ServerConnection.makeRequest as jest.Mock;
const status = {
  store: '/tmp/s/.labtrack',
  version: '0.1.0',
  runs: 2,
  change: 5
};

describe('ExperimentsModel', () => {
  beforeEach(() => makeRequest.mockReset());

  it('keeps the status and signals before and after loading', async () => {
    makeRequest.mockResolvedValueOnce(new Response(JSON.stringify(status)));
    const model = new ExperimentsModel();
    const seen: boolean[] = [];
    model.changed.connect(() => seen.push(model.loading));
    await model.refresh();
    expect(model.status).toEqual(status);
    expect(model.error).toBeNull();
    expect(seen).toEqual([true, false]);
  });

  it('records the error message and keeps the last good status', async () => {
    makeRequest.mockResolvedValueOnce(new Response(JSON.stringify(status)));
    makeRequest.mockResolvedValueOnce(
      new Response('{"message": "store is locked"}', { status: 500 })
    );
    const model = new ExperimentsModel();
    await model.refresh();
    await model.refresh();
    expect(model.error).toBe('store is locked');
    expect(model.status).toEqual(status);
    expect(model.loading).toBe(false);
  });
});
