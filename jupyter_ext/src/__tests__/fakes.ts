/**
 * A stand-in for `LabtrackClient` that answers from in-memory runs, and a run factory.
 */

import { IRunsQuery, LabtrackClient } from '../client';
import { APIError } from '../request';
import { IHypothesis, IRun, IRunsAnswer, IStatus } from '../tokens';

export function makeRun(number: number, overrides: Partial<IRun> = {}): IRun {
  return {
    number,
    uuid: `uuid-${number}`,
    name: `run-${number}`,
    experiment: 'study',
    status: 'finished',
    start_time: 1_700_000_000 + number,
    end_time: 1_700_000_010 + number,
    duration: 10,
    hypothesis_id: null,
    notebook: null,
    params: { lr: 0.1 * number },
    metrics: { acc: 0.5 + number / 100 },
    tags: {},
    summaries: {},
    ...overrides
  };
}

/** Answers like the server would, over `runs`; records every query; filters with `matcher`. */
export class FakeClient {
  runsData: IRun[] = [];
  change = 1;
  hypothesesData: IHypothesis[] = [];
  queries: IRunsQuery[] = [];
  matcher: (run: IRun, filter: string) => boolean = () => true;
  failFilter: string | null = null;

  async status(): Promise<IStatus> {
    return {
      store: '/s',
      version: '0',
      runs: this.runsData.length,
      change: this.change
    };
  }

  async runs(query: IRunsQuery = {}): Promise<IRunsAnswer> {
    this.queries.push(query);
    if (query.filter !== undefined && query.filter === this.failFilter) {
      throw new APIError(
        new Response('', { status: 400 }),
        'expected a value at 17',
        17
      );
    }
    let runs = [...this.runsData];
    if (query.filter) {
      runs = runs.filter(run => this.matcher(run, query.filter as string));
    }
    if (query.after !== undefined) {
      runs = runs.filter(run => run.number > (query.after as number));
    }
    if (query.numbers) {
      runs = runs.filter(run => query.numbers?.includes(run.number));
    }
    if (query.sort === 'number') {
      runs.sort((a, b) =>
        query.order === 'desc' ? b.number - a.number : a.number - b.number
      );
    }
    if (query.sort?.startsWith('metrics.')) {
      // Like the server: by value, missing values last in both orders.
      const name = query.sort.slice('metrics.'.length);
      const sign = query.order === 'desc' ? -1 : 1;
      runs.sort((a, b) => {
        const x = a.metrics[name] ?? null;
        const y = b.metrics[name] ?? null;
        if (x === null || y === null) {
          return x === y ? 0 : x === null ? 1 : -1;
        }
        return sign * (x - y) || a.number - b.number;
      });
    }
    const total = runs.length;
    runs = runs.slice(
      query.offset ?? 0,
      query.limit === undefined ? undefined : (query.offset ?? 0) + query.limit
    );
    return {
      total,
      change: this.change,
      runs: runs.map(run => ({ ...run })),
      params: ['lr'],
      metrics: ['acc'],
      definitions: {}
    };
  }

  async hypotheses(): Promise<IHypothesis[]> {
    return this.hypothesesData;
  }

  asClient(): LabtrackClient {
    return this as unknown as LabtrackClient;
  }
}
