import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { requestAPI } from './request';
import { IStatus } from './tokens';

/**
 * The panel's state: the server's last status answer, or why it could not be had.
 *
 * Views listen to `changed` and read `status`, `error` and `loading`.
 */
export class ExperimentsModel {
  constructor(
    serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {
    this._serverSettings = serverSettings;
  }

  /** Emitted whenever `status`, `error` or `loading` changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get status(): IStatus | null {
    return this._status;
  }

  get error(): string | null {
    return this._error;
  }

  get loading(): boolean {
    return this._loading;
  }

  /** Ask the server for the store's status; never throws (failures land in `error`). */
  async refresh(): Promise<void> {
    this._loading = true;
    this._changed.emit();
    try {
      this._status = await requestAPI<IStatus>(
        'status',
        {},
        this._serverSettings
      );
      this._error = null;
    } catch (error) {
      this._error = error instanceof Error ? error.message : String(error);
    } finally {
      this._loading = false;
      this._changed.emit();
    }
  }

  private _serverSettings: ServerConnection.ISettings;
  private _status: IStatus | null = null;
  private _error: string | null = null;
  private _loading = false;
  private _changed = new Signal<this, void>(this);
}
