import {
  headlineMetrics,
  maxNumber,
  mergeRuns,
  runningNumbers,
  unionNames
} from './runs';
import { IMetricDefinition, IRun, IRunsAnswer } from './tokens';

/**
 * Every run the panel knows, by number, with the column names and metric definitions the
 * server sent, and the filter's matches (null: no filter). Plain state, no requests.
 *
 * @example
 * const changed = collection.take(answer); // numbers that are new or changed
 */
export class RunCollection {
  /** The runs to show: all, or those matching the filter; a new array only when they change. */
  get visible(): readonly IRun[] {
    if (this._visible === null) {
      const all = [...this.all.values()];
      const matching = this._matching;
      this._visible =
        matching === null ? all : all.filter(run => matching.has(run.number));
    }
    return this._visible;
  }

  /** Grows whenever `visible` may have changed. */
  get version(): number {
    return this._version;
  }

  get params(): readonly string[] {
    return this._params;
  }

  get metrics(): readonly string[] {
    return this._metrics;
  }

  get definitions(): { readonly [metric: string]: IMetricDefinition } {
    return this._definitions;
  }

  /** The metrics the table shows as columns (those with a definition first). */
  get headline(): string[] {
    return headlineMetrics(this._metrics, this._definitions);
  }

  get matching(): ReadonlySet<number> | null {
    return this._matching;
  }

  /** The highest run number known, and the numbers of the runs still running. */
  get highest(): number {
    return maxNumber(this.all.values());
  }

  get running(): number[] {
    return runningNumbers(this.all.values());
  }

  /** Merge an answer's runs and column names; return the run numbers that changed. */
  take(answer: IRunsAnswer): number[] {
    this._params = unionNames(this._params, answer.params ?? []);
    this._metrics = unionNames(this._metrics, answer.metrics ?? []);
    this._definitions = { ...this._definitions, ...(answer.definitions ?? {}) };
    return mergeRuns(this.all, answer.runs);
  }

  /** Forget the runs not in `present` (deleted on the server since the last full load). */
  keepOnly(present: ReadonlySet<number>): void {
    for (const number of [...this.all.keys()]) {
      if (!present.has(number)) {
        this.all.delete(number);
      }
    }
  }

  /** The filter's matches (null: no filter). */
  setMatching(numbers: Iterable<number> | null): void {
    this._matching = numbers === null ? null : new Set(numbers);
  }

  /** Of the `asked` runs, `matched` match the filter now, the others no longer do. */
  updateMatching(asked: readonly number[], matched: ReadonlySet<number>): void {
    const matching = this._matching;
    if (matching === null) {
      return;
    }
    for (const number of asked) {
      if (matched.has(number)) {
        matching.add(number);
      } else {
        matching.delete(number);
      }
    }
  }

  /** Mark `visible` out of date (call after changing runs or matches). */
  touch(): void {
    this._visible = null;
    this._version += 1;
  }

  readonly all = new Map<number, IRun>();
  private _visible: IRun[] | null = null;
  private _version = 0;
  private _params: string[] = [];
  private _metrics: string[] = [];
  private _definitions: { [metric: string]: IMetricDefinition } = {};
  private _matching: Set<number> | null = null;
}
