import React, { useMemo, useState } from 'react';

import { runColor } from '../charts';
import { LabtrackClient } from '../client';
import { runLabel } from '../format';
import { useRequest } from '../hooks';
import { headlineMetrics } from '../runs';
import { IRunActions, IRunsAnswer } from '../tokens';
import { CompareImages } from './CompareImages';
import { ExportButtons } from './ExportButtons';
import { HistoryPanel, IChartRun } from './HistoryPanel';
import { MetricSummaryTable } from './MetricSummaryTable';
import { ParallelPanel } from './ParallelPanel';
import { ParamsTable } from './ParamsTable';
import { RunHeading } from './RunHeading';
import { Section } from './Section';
import { Toggle } from './Toggle';

export interface ICompareViewProps {
  client: LabtrackClient;
  runs: readonly number[];
  actions: IRunActions;
}

const INITIAL_CHARTS = 2;

/** The runs, their colours, and the metrics to chart, from the quick `runs?numbers=` answer. */
function overviewOf(answer: IRunsAnswer, numbers: readonly number[]) {
  const byNumber = new Map(answer.runs.map(run => [run.number, run]));
  const chartRuns: IChartRun[] = numbers.map((number, i) => {
    const run = byNumber.get(number);
    return {
      number,
      label: run ? runLabel(run) : `#${number}`,
      color: runColor(i)
    };
  });
  const metrics = [
    ...new Set(answer.runs.flatMap(run => Object.keys(run.metrics)))
  ].sort();
  const initial = headlineMetrics(metrics, answer.definitions ?? {})
    .filter(name => metrics.includes(name))
    .slice(0, INITIAL_CHARTS);
  return { chartRuns, metrics, initial };
}

/**
 * Compare runs: params (differences only on a switch), metric summaries, overlaid histories,
 * parallel coordinates, images side by side, and exports. The server computes the comparison;
 * the charts start at once from the cheap runs answer, and the images load last.
 */
export function CompareView(props: ICompareViewProps): JSX.Element {
  const { client, runs, actions } = props;
  const key = runs.join(',');
  const [differencesOnly, setDifferencesOnly] = useState(false);
  const overview = useRequest(
    () => client.runs({ numbers: [...runs] }),
    [client, key]
  );
  const comparison = useRequest(() => client.compare([...runs]), [client, key]);
  const summary = useMemo(
    () => (overview.data ? overviewOf(overview.data, runs) : null),
    [overview.data, key]
  );
  const axesParams = useMemo(() => {
    const params = comparison.data?.params ?? [];
    const differing = params.filter(p => p.differs).map(p => p.name);
    return differing.length > 0 ? differing : params.map(p => p.name);
  }, [comparison.data]);

  const error = overview.error ?? comparison.error;
  if (error !== null) {
    return (
      <div className="jp-labtrack-CompareView">
        <div className="jp-labtrack-error" role="alert">
          Could not compare runs {key}: {error}
        </div>
      </div>
    );
  }
  if (summary === null) {
    return (
      <div className="jp-labtrack-CompareView jp-mod-loading">
        Comparing runs {key}…
      </div>
    );
  }
  const { chartRuns, metrics, initial } = summary;
  const colorOf = (number: number): string =>
    chartRuns.find(run => run.number === number)?.color ?? '#888';
  const data = comparison.data;
  const loading = <p className="jp-labtrack-muted">Comparing…</p>;
  return (
    <div className="jp-labtrack-CompareView" data-runs={key}>
      <header className="jp-labtrack-ViewHeader">
        <h2 className="jp-labtrack-ViewHeader-title">
          Compare {runs.length} runs
        </h2>
        <div className="jp-labtrack-ViewHeader-runs">
          {chartRuns.map(run => (
            <RunHeading
              key={run.number}
              label={run.label}
              color={run.color}
              onClick={() => actions.openRun(run.number)}
            />
          ))}
        </div>
        <ExportButtons
          client={client}
          runs={runs}
          differencesOnly={differencesOnly}
        />
      </header>
      <div className="jp-labtrack-columns">
        <Section
          title="Params"
          className="jp-labtrack-ParamsSection"
          tools={
            <Toggle
              label="differences only"
              checked={differencesOnly}
              onChange={setDifferencesOnly}
              className="jp-labtrack-DiffToggle"
            />
          }
        >
          {data ? (
            <ParamsTable
              comparison={data}
              differencesOnly={differencesOnly}
              colorOf={colorOf}
            />
          ) : (
            loading
          )}
        </Section>
        <Section title="Metrics">
          {data ? (
            <MetricSummaryTable
              comparison={data}
              differencesOnly={differencesOnly}
              colorOf={colorOf}
            />
          ) : (
            loading
          )}
        </Section>
      </div>
      <Section title="Histories" className="jp-labtrack-HistoriesSection">
        {metrics.length === 0 ? (
          <p className="jp-labtrack-muted">These runs logged no metrics.</p>
        ) : (
          <HistoryPanel
            client={client}
            runs={chartRuns}
            metrics={metrics}
            initial={initial}
          />
        )}
      </Section>
      <Section title="Parallel coordinates">
        {data ? (
          <ParallelPanel comparison={data} params={axesParams} />
        ) : (
          loading
        )}
      </Section>
      <Section title="Images">
        {data ? <CompareImages client={client} runs={chartRuns} /> : loading}
      </Section>
    </div>
  );
}
