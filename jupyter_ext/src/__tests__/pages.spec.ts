import { ExperimentsModel } from '../model';
import { serverSort } from '../pages';
import { FakeClient, makeRun } from './fakes';

jest.mock(
  '@jupyterlab/coreutils',
  () => jest.requireActual('./mocks').coreutils
);
jest.mock('@jupyterlab/services', () => jest.requireActual('./mocks').services);

/** A store of `count` runs, paged above 100 runs; acc rises with the run number except #7. */
function bigStore(count = 250): { fake: FakeClient; model: ExperimentsModel } {
  const fake = new FakeClient();
  fake.runsData = Array.from({ length: count }, (_, i) =>
    makeRun(i + 1, { metrics: { acc: i + 1 === 7 ? 9 : (i + 1) / 1000 } })
  );
  const model = new ExperimentsModel(fake.asClient(), { pageAbove: 100 });
  return { fake, model };
}

describe('a big store pages on the server', () => {
  it('loads only the first rows, then the pages scrolled into view', async () => {
    const { fake, model } = bigStore();
    await model.refresh();
    expect(model.paged).toBe(true);
    expect(fake.queries).toEqual([
      { sort: 'number', order: 'desc', limit: 200 }
    ]);
    expect(model.pages.total).toBe(250);
    expect(model.pages.runAt(0)?.number).toBe(250);
    expect(model.pages.runAt(230)).toBeUndefined();
    model.pages.ensure(220, 240);
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(fake.queries[1]).toEqual({
      filter: undefined,
      sort: 'number',
      order: 'desc',
      offset: 200,
      limit: 100
    });
    expect(model.pages.runAt(230)?.number).toBe(20);
  });

  it('sorts on the server when a column header asks', async () => {
    const { fake, model } = bigStore();
    await model.refresh();
    model.view.sorting = [{ id: 'metrics.acc', desc: true }];
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(fake.queries.at(-1)).toMatchObject({
      sort: 'metrics.acc',
      order: 'desc',
      offset: 0
    });
    expect(model.pages.runAt(0)?.number).toBe(7);
    expect(serverSort('hypothesis')).toBe('hypothesis_id');
  });

  it('filters on the server and keeps the rows when the filter is wrong', async () => {
    const { fake, model } = bigStore();
    fake.matcher = run => run.number % 10 === 0;
    fake.failFilter = 'metrics.acc >';
    await model.refresh();
    await model.applyFilter('number % 10');
    expect(model.pages.total).toBe(25);
    expect(model.pages.runAt(0)?.number).toBe(250);
    await model.applyFilter('metrics.acc >');
    expect(model.filterError?.position).toBe(17);
    expect(model.pages.total).toBe(25);
  });

  it('loads every run to group them, and pages again without grouping', async () => {
    const { model } = bigStore();
    await model.refresh();
    model.view.groupBy = 'experiment';
    await new Promise(resolve => setTimeout(resolve, 0));
    await model.refresh();
    expect(model.paged).toBe(false);
    expect(model.runs).toHaveLength(250);
    model.view.groupBy = 'none';
    expect(model.paged).toBe(true);
  });

  it('keeps loading everything in a small store', async () => {
    const { model } = bigStore(80);
    await model.refresh();
    expect(model.paged).toBe(false);
    expect(model.runs).toHaveLength(80);
  });
});
