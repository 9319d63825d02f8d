import React from 'react';

import { IStatus } from '../tokens';

export interface IStoreSummaryProps {
  status: IStatus | null;
  error: string | null;
  loading: boolean;
}

/** Which store the server reads and how many runs it holds; or why it could not tell. */
export function StoreSummary(props: IStoreSummaryProps): JSX.Element {
  const { status, error, loading } = props;
  if (error !== null) {
    return (
      <div className="jp-labtrack-StoreSummary jp-labtrack-error" role="alert">
        {error}
      </div>
    );
  }
  if (status === null) {
    return (
      <div className="jp-labtrack-StoreSummary">
        {loading ? 'Loading…' : 'No status yet.'}
      </div>
    );
  }
  return (
    <div
      className="jp-labtrack-StoreSummary"
      title={`labtrack ${status.version}`}
    >
      <span className="jp-labtrack-storeLabel">store</span>
      <span className="jp-labtrack-storePath" title={status.store}>
        <span className="jp-labtrack-storePath-text">{status.store}</span>
      </span>
      <span className="jp-labtrack-storeCount">
        {status.runs === 1
          ? '1 run'
          : `${status.runs.toLocaleString('en-US')} runs`}
      </span>
    </div>
  );
}
