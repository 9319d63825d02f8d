import { ExperimentsModel } from '../model';
import { FakeClient, makeRun } from './fakes';

jest.mock(
  '@jupyterlab/coreutils',
  () => jest.requireActual('./mocks').coreutils
);
jest.mock('@jupyterlab/services', () => jest.requireActual('./mocks').services);

function setup(
  count: number,
  firstPage = 2
): { fake: FakeClient; model: ExperimentsModel } {
  const fake = new FakeClient();
  fake.runsData = Array.from({ length: count }, (_, i) => makeRun(i + 1));
  return { fake, model: new ExperimentsModel(fake.asClient(), { firstPage }) };
}

describe('ExperimentsModel.refresh', () => {
  it('shows the newest runs first, then loads the rest', async () => {
    const { fake, model } = setup(5);
    const sizes: number[] = [];
    model.runsChanged.connect(() => sizes.push(model.runs.length));
    await model.refresh();
    expect(sizes).toEqual([2, 5]);
    expect(fake.queries.slice(0, 2)).toEqual([
      { sort: 'number', order: 'desc', limit: 2 },
      { sort: 'number', order: 'desc', offset: 2 }
    ]);
    expect(model.loaded).toBe(true);
    expect(model.loading).toBe(false);
    expect(model.paramNames).toEqual(['lr']);
  });

  it('keeps the error message when the server fails', async () => {
    const { fake, model } = setup(1);
    fake.runs = () => Promise.reject(new Error('store is locked'));
    await model.refresh();
    expect(model.error).toBe('store is locked');
    expect(model.loading).toBe(false);
  });
});

describe('ExperimentsModel.checkForChanges', () => {
  it('asks nothing more while the change marker stays', async () => {
    const { fake, model } = setup(3);
    await model.refresh();
    fake.queries = [];
    expect(await model.checkForChanges()).toBe(false);
    expect(fake.queries).toEqual([]);
  });

  it('fetches only new runs and the running ones', async () => {
    const { fake, model } = setup(3);
    fake.runsData[2] = makeRun(3, { status: 'running' });
    await model.refresh();
    fake.queries = [];
    fake.runsData[2] = makeRun(3, { status: 'finished' });
    fake.runsData.push(makeRun(4));
    fake.change += 1;
    let signals = 0;
    model.runsChanged.connect(() => (signals += 1));
    expect(await model.checkForChanges()).toBe(true);
    expect(fake.queries).toEqual([{ after: 3 }, { numbers: [3] }]);
    expect(model.allRuns.get(3)?.status).toBe('finished');
    expect(model.runs.map(run => run.number).sort()).toEqual([1, 2, 3, 4]);
    expect(signals).toBe(1);
  });

  it('reloads everything when runs appeared below the highest number', async () => {
    const { fake, model } = setup(3);
    await model.refresh();
    fake.runsData = [...fake.runsData, makeRun(0)];
    fake.change += 1;
    await model.checkForChanges();
    expect(model.allRuns.has(0)).toBe(true);
  });
});

describe('ExperimentsModel filter', () => {
  const even = (run: { number: number }): boolean => run.number % 2 === 0;

  it("shows the server's matches and keeps them current", async () => {
    const { fake, model } = setup(4);
    fake.matcher = even;
    await model.refresh();
    await model.applyFilter('  params.even = 1 ');
    expect(model.filter).toBe('params.even = 1');
    expect(model.runs.map(run => run.number).sort()).toEqual([2, 4]);
    fake.runsData.push(makeRun(5), makeRun(6));
    fake.change += 1;
    fake.queries = [];
    await model.checkForChanges();
    expect(fake.queries).toContainEqual({
      filter: 'params.even = 1',
      numbers: [5, 6]
    });
    expect(model.runs.map(run => run.number).sort()).toEqual([2, 4, 6]);
    await model.applyFilter('');
    expect(model.runs).toHaveLength(6);
  });

  it("shows a bad filter's message and position, and keeps the last matches", async () => {
    const { fake, model } = setup(4);
    fake.matcher = even;
    await model.refresh();
    await model.applyFilter('params.even = 1');
    fake.failFilter = 'metrics.acc >';
    await model.applyFilter('metrics.acc >');
    expect(model.filterError).toEqual({
      message: 'expected a value at 17',
      position: 17
    });
    expect(model.error).toBeNull();
    expect(model.runs).toHaveLength(2);
    expect(model.filtering).toBe(false);
  });
});

describe('ExperimentsModel selection and view', () => {
  it('selects with click, toggle and range in display order', async () => {
    const { model } = setup(5);
    const order = [5, 4, 3, 2, 1];
    model.view.click(4, 'single', order);
    model.view.click(2, 'range', order);
    expect(model.view.selectedNumbers).toEqual([2, 3, 4]);
    model.view.click(3, 'toggle', order);
    expect(model.view.selectedNumbers).toEqual([2, 4]);
    model.view.setSelection([1]);
    expect(model.view.selectedNumbers).toEqual([1]);
  });

  it('signals view changes once, and only when they change', () => {
    const { model } = setup(1);
    let changes = 0;
    model.view.changed.connect(() => (changes += 1));
    model.view.groupBy = 'experiment';
    model.view.groupBy = 'experiment';
    model.view.tab = 'hypotheses';
    expect(changes).toBe(2);
    expect(model.view.sorting).toEqual([{ id: 'number', desc: true }]);
  });

  it('starts once, and stops polling when disposed', async () => {
    const { fake, model } = setup(2);
    const first = model.start();
    expect(model.start()).toBe(first);
    await first;
    expect(fake.queries.filter(q => q.limit !== undefined)).toHaveLength(1);
    model.dispose();
    expect(model.isDisposed).toBe(true);
  });
});
