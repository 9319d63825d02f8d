import { ServerConnection } from '@jupyterlab/services';

import { apiURL, IDownloaded, Query, requestAPI, requestBlob } from './request';
import {
  ExportFormat,
  IComparison,
  IHistory,
  IHypothesis,
  IRunDetail,
  IRunsAnswer,
  IStatus
} from './tokens';

/**
 * Turn the JSON spellings of infinities ("inf", "-inf") into numbers, in place, so that tables
 * sort and format metric values as numbers.
 */
export function finiteOrInfinite(metrics: { [name: string]: unknown }): void {
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value === 'string') {
      metrics[name] =
        value === 'inf' ? Infinity : value === '-inf' ? -Infinity : NaN;
    }
  }
}

/** The query of `GET runs` (docs/rest-api.md). */
export interface IRunsQuery {
  filter?: string;
  experiment?: string;
  sort?: string;
  order?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
  /** Only runs numbered above this. */
  after?: number;
  /** Only these runs. */
  numbers?: number[];
}

/**
 * One typed method per route of the labtrack REST API.
 *
 * @example
 * const client = new LabtrackClient(app.serviceManager.serverSettings);
 * const { runs } = await client.runs({ filter: 'metrics.acc > 0.9' });
 */
export class LabtrackClient {
  constructor(
    readonly serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  status(): Promise<IStatus> {
    return this._get<IStatus>('status');
  }

  async runs(query: IRunsQuery = {}): Promise<IRunsAnswer> {
    const { numbers, ...rest } = query;
    const answer = await this._get<IRunsAnswer>('runs', {
      ...rest,
      numbers: numbers === undefined ? undefined : numbers.join(',')
    });
    for (const run of answer.runs) {
      finiteOrInfinite(run.metrics);
      finiteOrInfinite(run.summaries);
    }
    return answer;
  }

  run(ref: number | string): Promise<IRunDetail> {
    return this._get<IRunDetail>(`runs/${encodeURIComponent(String(ref))}`);
  }

  history(
    runs: number[],
    metric: string,
    maxPoints?: number
  ): Promise<IHistory> {
    return this._get<IHistory>('history', {
      runs: runs.join(','),
      metric,
      max_points: maxPoints
    });
  }

  compare(runs: number[], differencesOnly = false): Promise<IComparison> {
    return this._get<IComparison>('compare', {
      runs: runs.join(','),
      diff: differencesOnly ? 1 : undefined
    });
  }

  hypotheses(): Promise<IHypothesis[]> {
    return this._get<IHypothesis[]>('hypotheses');
  }

  /** An export of the comparison of `runs`, as the server names and types it. */
  export(
    runs: number[],
    format: ExportFormat,
    differencesOnly = false
  ): Promise<IDownloaded> {
    return requestBlob(
      'export',
      { runs: runs.join(','), format, diff: differencesOnly ? 1 : undefined },
      this.serverSettings
    );
  }

  /** An artifact's bytes, fetched with the session's credentials. */
  artifact(sha256: string, name?: string): Promise<IDownloaded> {
    return requestBlob(
      `artifacts/${encodeURIComponent(sha256)}`,
      { name },
      this.serverSettings
    );
  }

  /** The address of an API route (for links and logs; fetch with the methods above). */
  url(endPoint: string, query: Query = {}): string {
    return apiURL(endPoint, query, this.serverSettings);
  }

  private _get<T>(endPoint: string, query: Query = {}): Promise<T> {
    return requestAPI<T>(endPoint, {}, this.serverSettings, query);
  }
}
