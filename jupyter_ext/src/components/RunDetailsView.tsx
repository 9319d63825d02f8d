import { Button, refreshIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useMemo, useState } from 'react';

import { runColor } from '../charts';
import { LabtrackClient } from '../client';
import { formatDuration, formatTimestamp, runLabel } from '../format';
import { useRequest } from '../hooks';
import { IRunActions } from '../tokens';
import { ArtifactList } from './ArtifactList';
import { EnvironmentView } from './EnvironmentView';
import { HistoryPanel } from './HistoryPanel';
import { KeyValueTable } from './KeyValueTable';
import { MetricSummaries } from './MetricSummaries';
import { Section } from './Section';
import { StatusBadge } from './StatusBadge';

export interface IRunDetailsViewProps {
  client: LabtrackClient;
  number: number;
  actions: IRunActions;
}

/** How often a running run's details reload, in ms. */
const RUNNING_RELOAD_MS = 2000;

/**
 * Everything about one run: params, metric summaries and charts, artifacts, environment, the
 * cell's code and "Open in notebook".
 */
export function RunDetailsView(props: IRunDetailsViewProps): JSX.Element {
  const { client, number, actions } = props;
  const [tick, setTick] = useState(0);
  const { data: run, error } = useRequest(
    () => client.run(number),
    [client, number, tick]
  );
  const running = run?.status === 'running';
  useEffect(() => {
    if (!running) {
      return;
    }
    const timer = window.setTimeout(
      () => setTick(t => t + 1),
      RUNNING_RELOAD_MS
    );
    return () => window.clearTimeout(timer);
  }, [running, tick]);
  const chartRuns = useMemo(
    () =>
      run
        ? [{ number: run.number, label: runLabel(run), color: runColor(0) }]
        : [],
    [run?.number, run?.name]
  );

  if (error !== null && run === null) {
    return (
      <div className="jp-labtrack-RunDetailsView">
        <div className="jp-labtrack-error" role="alert">
          Run #{number}: {error}
        </div>
      </div>
    );
  }
  if (run === null) {
    return (
      <div className="jp-labtrack-RunDetailsView jp-mod-loading">
        Loading run #{number}…
      </div>
    );
  }
  const metricNames = Object.keys(run.metrics ?? {}).sort();
  // the charts fetch again when a running run logged more points
  const pointsVersion = metricNames
    .map(name => `${run.metrics[name].count}:${run.metrics[name].last_step}`)
    .join(',');
  return (
    <div className="jp-labtrack-RunDetailsView" data-run={run.number}>
      <header className="jp-labtrack-ViewHeader">
        <h2 className="jp-labtrack-ViewHeader-title">
          <StatusBadge status={run.status} /> {runLabel(run)}
        </h2>
        <div className="jp-labtrack-ViewHeader-facts">
          <span>
            <span className="jp-labtrack-label">experiment</span>{' '}
            {run.experiment ?? '—'}
          </span>
          <span title={formatTimestamp(run.end_time)}>
            <span className="jp-labtrack-label">started</span>{' '}
            {formatTimestamp(run.start_time)}
          </span>
          <span>
            <span className="jp-labtrack-label">duration</span>{' '}
            {formatDuration(run.duration)}
          </span>
          {run.hypothesis && (
            <span className="jp-labtrack-ViewHeader-hypothesis">
              <span className="jp-labtrack-label">tests</span>{' '}
              <span className="jp-labtrack-HypothesisTag">
                H{run.hypothesis.id}
              </span>{' '}
              {run.hypothesis.statement}
            </span>
          )}
          {run.parent !== null && (
            <button
              type="button"
              className="jp-labtrack-RunLink"
              onClick={() => actions.openRun(run.parent as number)}
            >
              parent #{run.parent}
            </button>
          )}
        </div>
        <div className="jp-labtrack-ViewHeader-actions">
          <Button
            small
            className="jp-labtrack-OpenInNotebook jp-labtrack-primary"
            disabled={!run.notebook_path}
            title={
              run.notebook_path
                ? `Open ${run.notebook_path} at the cell that recorded this run`
                : 'The notebook is not under the Jupyter root (or unknown)'
            }
            onClick={() => actions.openInNotebook(run.number)}
          >
            Open in notebook
          </Button>
          <Button
            small
            minimal
            title="Reload"
            onClick={() => setTick(t => t + 1)}
          >
            <refreshIcon.react tag="span" className="jp-labtrack-inlineIcon" />
          </Button>
        </div>
      </header>
      {(run.error_type || run.error_message) && (
        <Section title="Error" className="jp-labtrack-ErrorSection">
          <p className="jp-labtrack-error">
            {run.error_type}
            {run.error_message ? `: ${run.error_message}` : ''}
          </p>
          {run.traceback && (
            <pre className="jp-labtrack-Code">{run.traceback}</pre>
          )}
        </Section>
      )}
      <div className="jp-labtrack-columns">
        <Section title="Params">
          <KeyValueTable
            values={run.params}
            empty="No params recorded."
            className="jp-labtrack-Params"
          />
        </Section>
        <Section title="Tags">
          <KeyValueTable values={run.tags} empty="No tags." />
        </Section>
      </div>
      <Section title="Metrics">
        <MetricSummaries metrics={run.metrics} />
        {metricNames.length > 0 && (
          <HistoryPanel
            client={client}
            runs={chartRuns}
            metrics={metricNames}
            initial={metricNames.slice(0, 2)}
            height={180}
            version={pointsVersion}
          />
        )}
      </Section>
      <Section title="Artifacts">
        <ArtifactList client={client} artifacts={run.artifacts ?? []} />
      </Section>
      <Section
        title={
          run.execution_count !== null
            ? `Code (In [${run.execution_count}])`
            : 'Code'
        }
        tools={
          run.notebook_path ? (
            <span className="jp-labtrack-muted" title={run.notebook_path}>
              {run.notebook_path}
            </span>
          ) : run.notebook ? (
            <span className="jp-labtrack-muted">{run.notebook}</span>
          ) : undefined
        }
      >
        {run.code ? (
          <pre className="jp-labtrack-Code jp-labtrack-CellCode">
            {run.code}
          </pre>
        ) : (
          <p className="jp-labtrack-muted">
            No code recorded (runs from %%track record their cell).
          </p>
        )}
      </Section>
      <Section title="Environment">
        <EnvironmentView environment={run.environment} />
      </Section>
    </div>
  );
}
