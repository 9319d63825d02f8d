import { columnsKey, IColumnStore } from '../columnChoice';
import { ColumnMemory } from '../columnMemory';
import { ExperimentsModel } from '../model';
import { FakeClient } from './fakes';

jest.mock(
  '@jupyterlab/coreutils',
  () => jest.requireActual('./mocks').coreutils
);
jest.mock('@jupyterlab/services', () => jest.requireActual('./mocks').services);

/** An in-memory stand-in for JupyterLab's state database. */
class MemoryDB implements IColumnStore {
  data = new Map<string, unknown>();
  async fetch(key: string): Promise<unknown> {
    return this.data.get(key);
  }
  async save(key: string, value: string[]): Promise<void> {
    this.data.set(key, value);
  }
  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}

describe('ColumnMemory', () => {
  it("restores and saves each store's chosen columns", async () => {
    const fake = new FakeClient();
    const db = new MemoryDB();
    const model = new ExperimentsModel(fake.asClient());
    const store = (await fake.asClient().status()).store;
    db.data.set(columnsKey(store), ['params.lr']);
    const memory = new ColumnMemory(model, db);
    await model.refresh();
    await memory.ready;
    expect(model.view.columns).toEqual(['params.lr']);

    model.view.columns = ['params.lr', 'tags.stage'];
    await Promise.resolve();
    expect(db.data.get(columnsKey(store))).toEqual(['params.lr', 'tags.stage']);
    model.view.columns = null;
    await Promise.resolve();
    expect(db.data.has(columnsKey(store))).toBe(false);
    memory.dispose();
    model.dispose();
  });
});
