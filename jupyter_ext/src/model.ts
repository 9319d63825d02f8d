import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { LabtrackClient } from './client';
import { RunCollection } from './collection';
import { RunPages } from './pages';
import { APIError } from './request';
import { ViewState } from './viewState';
import {
  IHypothesis,
  IMetricDefinition,
  IRun,
  IRunsAnswer,
  IStatus
} from './tokens';

/** A filter the server refused: its message, and where the mistake is (0-based) when known. */
export interface IFilterError {
  message: string;
  position: number | null;
}

export interface IExperimentsModelOptions {
  /** How often to ask the server whether the store changed, in ms. */
  pollInterval?: number;
  /** How many of the newest runs the first request asks for, so the first rows show at once. */
  firstPage?: number;
  /**
   * Above this many runs the table pages and sorts on the server (`pages`) instead of loading
   * every run; grouping still loads them all.
   */
  pageAbove?: number;
}

/**
 * The state of the Experiments panel: every run of the store, the filter and the runs it
 * matches, the hypotheses, and (in `view`) the user's tab, sorting, grouping and selection.
 *
 * After `start()` it asks the server's cheap change marker (`status`) every second; when the
 * marker moves it fetches only new runs (`runs?after=`) and the ones still running
 * (`runs?numbers=`), never the whole table again.
 */
export class ExperimentsModel implements IDisposable {
  constructor(
    client: LabtrackClient = new LabtrackClient(),
    options: IExperimentsModelOptions = {}
  ) {
    this.client = client;
    this._pollInterval = options.pollInterval ?? 1000;
    this._firstPage = options.firstPage ?? 200;
    this._pageAbove = options.pageAbove ?? 5000;
    this.pages = new RunPages(client);
    this.pages.answered.connect((_, answer) => this._runs.take(answer));
    this.view.changed.connect(this._onViewChanged, this);
  }

  /** The server-side window of rows the table shows when `paged`. */
  readonly pages: RunPages;

  /** True when the store is big and the table pages and sorts on the server. */
  get paged(): boolean {
    return this._paged;
  }

  readonly client: LabtrackClient;

  /** The tab, sorting, grouping and selection the user chose. */
  readonly view = new ViewState();

  /** The status, loading state, errors or view settings changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The runs (or the filter's matches) changed. */
  get runsChanged(): ISignal<this, void> {
    return this._runsChanged;
  }

  get hypothesesChanged(): ISignal<this, void> {
    return this._hypothesesChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  get status(): IStatus | null {
    return this._status;
  }

  /** Why the last request failed (not a filter mistake: see `filterError`), or null. */
  get error(): string | null {
    return this._error;
  }

  /** True when the last request could not reach the server (not an error answer from it). */
  get connectionLost(): boolean {
    return this._connectionLost;
  }

  /** Try the server again now (after a lost connection): a full reload when nothing loaded yet. */
  async retry(): Promise<void> {
    if (!this._loaded || this._poll === null) {
      await this.refresh();
      return;
    }
    await this._poll.refresh();
    await this._poll.tick;
  }

  /** True while the whole table loads. */
  get loading(): boolean {
    return this._loading;
  }

  /** True once the first answer came. */
  get loaded(): boolean {
    return this._loaded;
  }

  /** The runs to show: all, or those matching the filter. The array changes only with them. */
  get runs(): readonly IRun[] {
    return this._runs.visible;
  }

  /** Every known run by number. */
  get allRuns(): ReadonlyMap<number, IRun> {
    return this._runs.all;
  }

  /** Grows whenever `runs` changes: a cheap key for memoising views. */
  get version(): number {
    return this._runs.version;
  }

  get paramNames(): readonly string[] {
    return this._runs.params;
  }

  get metricNames(): readonly string[] {
    return this._runs.metrics;
  }

  get definitions(): { readonly [metric: string]: IMetricDefinition } {
    return this._runs.definitions;
  }

  /** The metrics the table shows as columns (those with a definition first). */
  get headlineMetrics(): string[] {
    return this._runs.headline;
  }

  get filter(): string {
    return this._filter;
  }

  get filterError(): IFilterError | null {
    return this._filterError;
  }

  /** True while a filter waits for the server. */
  get filtering(): boolean {
    return this._filtering;
  }

  get hypotheses(): readonly IHypothesis[] {
    return this._hypotheses;
  }

  get hypothesesError(): string | null {
    return this._hypothesesError;
  }

  hypothesis(id: number | null): IHypothesis | undefined {
    return id === null ? undefined : this._hypotheses.find(h => h.id === id);
  }

  /** Load the runs once and start watching the store; later calls wait for the same load. */
  start(): Promise<void> {
    if (this._started === null) {
      this._started = this.refresh().then(() => {
        if (this._isDisposed) {
          return;
        }
        this._poll = new Poll({
          factory: () => this.checkForChanges(),
          frequency: {
            interval: this._pollInterval,
            backoff: true,
            max: 30 * this._pollInterval
          },
          standby: 'when-hidden',
          name: 'labtrack:store-changes'
        });
      });
    }
    return this._started;
  }

  /** Reload everything: status, all runs (newest first), the filter's matches, hypotheses. */
  async refresh(): Promise<void> {
    const generation = ++this._generation;
    this._loading = true;
    this._changed.emit();
    try {
      const [status, first] = await Promise.all([
        this.client.status(),
        this.client.runs({
          sort: 'number',
          order: 'desc',
          limit: this._firstPage
        })
      ]);
      if (generation !== this._generation) {
        return;
      }
      this._status = status;
      this._change = first.change;
      const present = new Set(first.runs.map(run => run.number));
      this._runs.take(first);
      this._big = first.total > this._pageAbove;
      this._paged = this._big && this.view.groupBy === 'none';
      if (this._paged) {
        // Big store: only the rows in view come, sorted and filtered by the server.
        await this._resetPages(first);
        this._loaded = true;
        this._error = null;
        this._connectionLost = false;
        this._runsUpdated();
      } else {
        this._loaded = true;
        this._runsUpdated();
        if (first.total > first.runs.length) {
          const rest = await this.client.runs({
            sort: 'number',
            order: 'desc',
            offset: this._firstPage
          });
          if (generation !== this._generation) {
            return;
          }
          this._runs.take(rest);
          rest.runs.forEach(run => present.add(run.number));
        }
        this._runs.keepOnly(present); // runs deleted since the last load go
        this._runsUpdated();
        this._error = null;
        if (this._filter) {
          await this._fetchMatches(this._filter, ++this._filterSeq);
        }
        this._connectionLost = false;
      }
    } catch (error) {
      this._error = messageOf(error);
      this._connectionLost = isConnectionError(error);
    } finally {
      if (generation === this._generation) {
        this._loading = false;
        this._changed.emit();
      }
    }
    await this.refreshHypotheses();
  }

  /**
   * One poll: ask the change marker; when it moved, fetch the new runs and the running ones.
   * Returns true when something changed. Throws when the server cannot be reached (the poll
   * then backs off).
   */
  async checkForChanges(): Promise<boolean> {
    let status: IStatus;
    try {
      status = await this.client.status();
    } catch (error) {
      this._connectionLost = isConnectionError(error);
      this._setError(messageOf(error));
      throw error;
    }
    this._connectionLost = false;
    const storeMoved =
      this._status !== null && this._status.store !== status.store;
    this._status = status;
    this._setError(null);
    if (storeMoved) {
      await this.refresh();
      return true;
    }
    if (status.change === this._change) {
      return false;
    }
    const generation = this._generation;
    const running = this._runs.running;
    const [fresh, updated] = await Promise.all([
      this.client.runs({ after: this._runs.highest }),
      running.length > 0
        ? this.client.runs({ numbers: running })
        : Promise.resolve(null)
    ]);
    if (generation !== this._generation) {
      return false;
    }
    this._change = status.change;
    const changed = this._runs.take(fresh);
    if (updated !== null) {
      changed.push(...this._runs.take(updated));
    }
    if (this._paged) {
      await this.pages.reload();
    } else if (!this._big && this._runs.all.size < status.runs) {
      // Runs arrived below the highest number (an import): only a full load finds them.
      await this.refresh();
      return true;
    }
    if (
      !this._paged &&
      this._filter &&
      this._runs.matching !== null &&
      changed.length > 0
    ) {
      await this._updateMatches(changed);
    }
    if (changed.length > 0) {
      this._runsUpdated();
    }
    this._changed.emit();
    await this.refreshHypotheses();
    return true;
  }

  /** Show only the runs matching `filter` (the filter language); empty shows all. */
  async applyFilter(filter: string): Promise<void> {
    const text = filter.trim();
    const seq = ++this._filterSeq;
    this._filter = text;
    if (this._paged) {
      await this._filterPages(seq);
      return;
    }
    if (!text) {
      this._runs.setMatching(null);
      this._filterError = null;
      this._filtering = false;
      this._runsUpdated();
      this._changed.emit();
      return;
    }
    await this._fetchMatches(text, seq);
  }

  async refreshHypotheses(): Promise<void> {
    try {
      this._hypotheses = await this.client.hypotheses();
      this._hypothesesError = null;
    } catch (error) {
      this._hypothesesError = messageOf(error);
    }
    this._hypothesesChanged.emit();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._generation += 1;
    this._poll?.dispose();
    this.view.dispose();
    Signal.clearData(this);
  }

  /**
   * Ask the server for the first page of the current filter and sort; show it once it came, so
   * a bad filter leaves the last good rows in place. `first` (number order, no filter) saves a
   * request.
   */
  private async _resetPages(first?: IRunsAnswer): Promise<void> {
    const sort = this.view.sorting[0] ?? { id: 'number', desc: true };
    const plain = !this._filter && sort.id === 'number' && sort.desc;
    await this.pages.show(
      { filter: this._filter, sort },
      plain ? first : undefined
    );
  }

  private async _filterPages(seq: number): Promise<void> {
    this._filtering = true;
    this._changed.emit();
    try {
      await this._resetPages();
      if (seq === this._filterSeq) {
        this._filterError = null;
      }
    } catch (error) {
      if (seq === this._filterSeq) {
        this._noteFilterError(error);
      }
    } finally {
      if (seq === this._filterSeq) {
        this._filtering = false;
        this._runsUpdated();
        this._changed.emit();
      }
    }
  }

  private _noteFilterError(error: unknown): void {
    if (error instanceof APIError && error.response.status === 400) {
      this._filterError = { message: error.message, position: error.position };
    } else {
      this._error = messageOf(error);
    }
  }

  /** Sorting or grouping changed: a big store re-pages on the server, or loads every run to group. */
  private _onViewChanged(): void {
    if (!this._big || !this._loaded) {
      return;
    }
    if (this.view.groupBy !== 'none') {
      if (this._paged) {
        this._paged = false;
        void this.refresh(); // grouping needs every run
      }
      return;
    }
    const query = this.pages.query;
    const sort = this.view.sorting[0] ?? { id: 'number', desc: true };
    if (
      this._paged &&
      query !== null &&
      query.filter === this._filter &&
      query.sort.id === sort.id &&
      query.sort.desc === sort.desc
    ) {
      return;
    }
    this._paged = true;
    void this._filterPages(++this._filterSeq);
  }

  private async _fetchMatches(text: string, seq: number): Promise<void> {
    this._filtering = true;
    this._changed.emit();
    try {
      const answer = await this.client.runs({ filter: text });
      if (seq !== this._filterSeq) {
        return;
      }
      this._runs.take(answer);
      this._runs.setMatching(answer.runs.map(run => run.number));
      this._filterError = null;
      this._runsUpdated();
    } catch (error) {
      if (seq !== this._filterSeq) {
        return;
      }
      this._noteFilterError(error);
    } finally {
      if (seq === this._filterSeq) {
        this._filtering = false;
        this._changed.emit();
      }
    }
  }

  /** Ask the server which of the `changed` runs match the filter now. */
  private async _updateMatches(changed: number[]): Promise<void> {
    const answer = await this.client.runs({
      filter: this._filter,
      numbers: changed
    });
    this._runs.updateMatching(
      changed,
      new Set(answer.runs.map(run => run.number))
    );
  }

  private _runsUpdated(): void {
    this._runs.touch();
    this._runsChanged.emit();
  }

  private _setError(error: string | null): void {
    if (this._error !== error) {
      this._error = error;
      this._changed.emit();
    }
  }

  private _pageAbove: number;
  private _big = false;
  private _paged = false;
  private _pollInterval: number;
  private _firstPage: number;
  private _poll: Poll | null = null;
  private _started: Promise<void> | null = null;
  private _generation = 0;
  private _filterSeq = 0;
  private _change = -1;
  private _status: IStatus | null = null;
  private _error: string | null = null;
  private _connectionLost = false;
  private _loading = false;
  private _loaded = false;
  private _runs = new RunCollection();
  private _filter = '';
  private _filterError: IFilterError | null = null;
  private _filtering = false;
  private _hypotheses: IHypothesis[] = [];
  private _hypothesesError: string | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
  private _runsChanged = new Signal<this, void>(this);
  private _hypothesesChanged = new Signal<this, void>(this);
}

/** True for a request that never got an answer (server stopped, network down) or a gateway's 502/504. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof APIError) {
    return error.response.status === 502 || error.response.status === 504;
  }
  return error instanceof ServerConnection.NetworkError;
}

/** An error's message, for the panel to show. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
