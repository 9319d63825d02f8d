import { refreshIcon, ToolbarButtonComponent } from '@jupyterlab/ui-components';
import React from 'react';

import { IStatus } from '../tokens';
import { RunsTablePlaceholder } from './RunsTablePlaceholder';
import { StoreSummary } from './StoreSummary';

export interface IExperimentsPanelProps {
  status: IStatus | null;
  error: string | null;
  loading: boolean;
  onRefresh: () => void;
}

/** The side panel's content: a header with a refresh button, the store summary, the runs. */
export function ExperimentsPanel(props: IExperimentsPanelProps): JSX.Element {
  const { status, error, loading, onRefresh } = props;
  return (
    <div className="jp-labtrack-ExperimentsPanel">
      <header className="jp-labtrack-header">
        <h2 className="jp-labtrack-title">Experiments</h2>
        <ToolbarButtonComponent
          icon={refreshIcon}
          onClick={onRefresh}
          tooltip="Refresh"
          enabled={!loading}
        />
      </header>
      <StoreSummary status={status} error={error} loading={loading} />
      {status !== null && error === null && (
        <RunsTablePlaceholder runs={status.runs} />
      )}
    </div>
  );
}
