import React from 'react';

import { IStatus } from '../tokens';

export interface IStoreSummaryProps {
  status: IStatus | null;
  error: string | null;
  loading: boolean;
}

/** Which store the server reads, and how many runs it holds; or why it could not tell. */
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
    <div className="jp-labtrack-StoreSummary">
      <div className="jp-labtrack-storePath" title={status.store}>
        {status.store}
      </div>
      <div className="jp-labtrack-runCount">
        {status.runs === 1 ? '1 run' : `${status.runs} runs`}
      </div>
    </div>
  );
}
