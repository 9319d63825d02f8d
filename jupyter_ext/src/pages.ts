import { ISignal, Signal } from '@lumino/signaling';

import { IRunsQuery, LabtrackClient } from './client';
import { IRun, IRunsAnswer, ISort } from './tokens';

/** Rows a page request asks for. */
export const PAGE_SIZE = 100;

/** The server's `sort` name of a table column id (docs/rest-api.md, `GET runs`). */
export function serverSort(id: string): string {
  if (id === 'hypothesis') {
    return 'hypothesis_id';
  }
  return id.startsWith('attributes.') ? id.slice('attributes.'.length) : id;
}

/** What the window shows: the filter, and the sort, both done by the server. */
export interface IPageQuery {
  filter: string;
  sort: ISort;
}

/**
 * A window over the server's sorted, filtered runs for big stores: it knows how many runs match
 * (`total`) and holds only the pages of rows the table asked for (`ensure`), fetched with the
 * `runs` route's `sort`, `order`, `offset` and `limit`.
 *
 * @example
 * pages.reset({ filter: '', sort: { id: 'number', desc: true } });
 * pages.ensure(0, 40); // the rows in view
 */
export class RunPages {
  constructor(client: LabtrackClient, pageSize = PAGE_SIZE) {
    this._client = client;
    this._pageSize = pageSize;
  }

  /** Rows arrived, the total changed, or a new query started. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Each answer, for the model to merge runs and column names. */
  get answered(): ISignal<this, IRunsAnswer> {
    return this._answered;
  }

  get query(): IPageQuery | null {
    return this._query;
  }

  /** How many runs match the query; null until the first page answered. */
  get total(): number | null {
    return this._total;
  }

  /** Grows with every change: a cheap key for memoising views. */
  get version(): number {
    return this._version;
  }

  /** The run at `index` in the server's order, if its page has come. */
  runAt(index: number): IRun | undefined {
    return this._rows.get(index);
  }

  /** Where run `number` is among the loaded rows, or -1. */
  indexOf(number: number): number {
    for (const [index, run] of this._rows) {
      if (run.number === number) {
        return index;
      }
    }
    return -1;
  }

  /** The loaded runs in order (the rows the user can see or has seen). */
  loaded(): IRun[] {
    return [...this._rows.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, run]) => run);
  }

  /**
   * Start over with `query`; `first` (an answer for its first rows, already fetched) fills them.
   * Resolves when the first page has come (or failed: the error is thrown).
   */
  async reset(query: IPageQuery, first?: IRunsAnswer): Promise<void> {
    this._query = query;
    this._generation += 1;
    this._rows.clear();
    this._pending.clear();
    this._total = null;
    this._touch();
    if (first) {
      this._take(0, first, this._generation);
      return;
    }
    await this._fetch(0, this._generation);
  }

  /**
   * Show `query`: fetch its first page, then start over with it, so that a failing query (a bad
   * filter) leaves the rows in place. `first` (an answer already at hand) saves the request.
   */
  async show(query: IPageQuery, first?: IRunsAnswer): Promise<void> {
    const generation = this._generation;
    const answer =
      first ??
      (await this._client.runs({
        ...this._requestOf(query, 0),
        filter: query.filter || undefined
      }));
    if (generation === this._generation) {
      await this.reset(query, answer);
    }
  }

  /** Make sure the rows `start` to `end` (exclusive) are loaded or on their way. */
  ensure(start: number, end: number): void {
    this._range = [start, end];
    if (this._query === null) {
      return;
    }
    const last = this._total === null ? end : Math.min(end, this._total);
    for (
      let page = Math.floor(start / this._pageSize);
      page * this._pageSize < last;
      page++
    ) {
      const offset = page * this._pageSize;
      if (!this._pending.has(offset) && !this._rows.has(offset)) {
        void this._fetch(offset, this._generation).catch(() => undefined);
      }
    }
  }

  /** The store changed: fetch the pages in view again (rows elsewhere are dropped). */
  async reload(): Promise<void> {
    if (this._query === null) {
      return;
    }
    const generation = ++this._generation;
    const [start, end] = this._range;
    const first = Math.floor(start / this._pageSize) * this._pageSize;
    const offsets: number[] = [];
    for (
      let offset = first;
      offset < Math.max(end, 1);
      offset += this._pageSize
    ) {
      offsets.push(offset);
    }
    const answers = await Promise.all(
      offsets.map(offset => this._client.runs(this._request(offset)))
    );
    if (generation !== this._generation) {
      return;
    }
    this._rows.clear();
    this._pending.clear();
    answers.forEach((answer, i) => this._take(offsets[i], answer, generation));
  }

  private _request(offset: number): IRunsQuery {
    return this._requestOf(this._query!, offset);
  }

  private _requestOf(query: IPageQuery, offset: number): IRunsQuery {
    return {
      filter: query.filter || undefined,
      sort: serverSort(query.sort.id),
      order: query.sort.desc ? 'desc' : 'asc',
      offset,
      limit: this._pageSize
    };
  }

  private async _fetch(offset: number, generation: number): Promise<void> {
    this._pending.add(offset);
    try {
      const answer = await this._client.runs(this._request(offset));
      if (generation === this._generation) {
        this._take(offset, answer, generation);
      }
    } finally {
      if (generation === this._generation) {
        this._pending.delete(offset);
      }
    }
  }

  private _take(offset: number, answer: IRunsAnswer, generation: number): void {
    if (generation !== this._generation) {
      return;
    }
    answer.runs.forEach((run, i) => this._rows.set(offset + i, run));
    this._total = answer.total;
    this._answered.emit(answer);
    this._touch();
  }

  private _touch(): void {
    this._version += 1;
    this._changed.emit();
  }

  private _client: LabtrackClient;
  private _pageSize: number;
  private _query: IPageQuery | null = null;
  private _total: number | null = null;
  private _rows = new Map<number, IRun>();
  private _pending = new Set<number>();
  private _range: [number, number] = [0, PAGE_SIZE];
  private _generation = 0;
  private _version = 0;
  private _changed = new Signal<this, void>(this);
  private _answered = new Signal<this, IRunsAnswer>(this);
}
