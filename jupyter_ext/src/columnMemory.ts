import { IDisposable } from '@lumino/disposable';

import { columnsKey, IColumnStore, savedColumns } from './columnChoice';
import { ExperimentsModel } from './model';

/**
 * Keeps the runs table's chosen columns per store in JupyterLab's state database: reads the
 * choice when the panel learns which store the server reads, saves it when the user changes it.
 *
 * @example
 * const memory = new ColumnMemory(model, stateDB); // stateDB: IStateDB from @jupyterlab/statedb
 */
export class ColumnMemory implements IDisposable {
  constructor(model: ExperimentsModel, db: IColumnStore) {
    this._model = model;
    this._db = db;
    model.changed.connect(this._onModelChanged, this);
    model.view.columnsChanged.connect(this._onColumnsChanged, this);
    this._onModelChanged();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Resolves once the current store's choice has been read. */
  get ready(): Promise<void> {
    return this._ready;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._model.changed.disconnect(this._onModelChanged, this);
    this._model.view.columnsChanged.disconnect(this._onColumnsChanged, this);
  }

  private _onModelChanged(): void {
    const store = this._model.status?.store ?? null;
    if (store === null || store === this._store) {
      return;
    }
    this._store = store;
    this._ready = this._load(store);
  }

  private async _load(store: string): Promise<void> {
    let value: unknown = null;
    try {
      value = await this._db.fetch(columnsKey(store));
    } catch {
      value = null; // an unreadable entry means "the defaults"
    }
    if (this._store !== store || this._isDisposed) {
      return;
    }
    this._restoring = true;
    this._model.view.columns = savedColumns(value);
    this._restoring = false;
  }

  private _onColumnsChanged(): void {
    const store = this._store;
    if (this._restoring || store === null) {
      return;
    }
    const columns = this._model.view.columns;
    const key = columnsKey(store);
    // Saving is best effort: a failed save only forgets the choice.
    void (
      columns === null ? this._db.remove(key) : this._db.save(key, [...columns])
    ).catch(() => undefined);
  }

  private _model: ExperimentsModel;
  private _db: IColumnStore;
  private _store: string | null = null;
  private _restoring = false;
  private _ready: Promise<void> = Promise.resolve();
  private _isDisposed = false;
}
