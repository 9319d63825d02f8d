import React, { useMemo, useState } from 'react';

import { runColor } from '../charts';
import { LabtrackClient } from '../client';
import { useRunCodes } from '../codes';
import { Highlighter, paramLines, splitCode } from '../diff';
import { runLabel } from '../format';
import { useRequest } from '../hooks';
import { headlineMetrics } from '../runs';
import { IRunActions, IRunsAnswer } from '../tokens';
import { CodeDiff } from './CodeDiff';
import { CompareImages } from './CompareImages';
import { ExportButtons } from './ExportButtons';
import { HistoryPanel, IChartRun } from './HistoryPanel';
import { MetricSummaryTable } from './MetricSummaryTable';
import { ParallelPanel } from './ParallelPanel';
import { ParamsTable } from './ParamsTable';
import { RunChips } from './RunChips';
import { Section } from './Section';
import { Toggle } from './Toggle';

export interface ICompareViewProps {
  client: LabtrackClient;
  runs: readonly number[];
  actions: IRunActions;
  /** Highlights the cell code (JupyterLab's CodeMirror); plain text without it. */
  highlight?: Highlighter;
}

const INITIAL_CHARTS = 2;
/** From this many runs the params and metrics tables take the whole width, one above the other. */
const WIDE_FROM = 5;

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
 * Compare runs: params (differences only on a switch), metric summaries, the cell code as diffs,
 * overlaid histories, parallel coordinates (brushing filters the runs table), images side by
 * side, and exports. The server computes the comparison; the charts start at once from the cheap
 * runs answer, and the images load last. The header (runs, switch, exports) stays in view.
 */
export function CompareView(props: ICompareViewProps): JSX.Element {
  const { client, runs, actions, highlight } = props;
  const key = runs.join(',');
  const [differencesOnly, setDifferencesOnly] = useState(false);
  const [focusParam, setFocusParam] = useState<string | null>(null);
  const [brushed, setBrushed] = useState<number[] | null>(null);
  const overview = useRequest(
    () => client.runs({ numbers: [...runs] }),
    [client, key]
  );
  const comparison = useRequest(() => client.compare([...runs]), [client, key]);
  // the code loads after the comparison and the charts' first requests
  const code = useRunCodes(client, runs, comparison.data !== null);
  const summary = useMemo(
    () => (overview.data ? overviewOf(overview.data, runs) : null),
    [overview.data, key]
  );
  const axesParams = useMemo(() => {
    const params = comparison.data?.params ?? [];
    const differing = params.filter(p => p.differs).map(p => p.name);
    return differing.length > 0 ? differing : params.map(p => p.name);
  }, [comparison.data]);
  const differingParams = useMemo(
    () =>
      (comparison.data?.params ?? []).filter(p => p.differs).map(p => p.name),
    [comparison.data]
  );
  // the differing params that some run's code sets: their names link to those lines
  const linked = useMemo(() => {
    const found = new Set<string>();
    for (const text of code.codes?.values() ?? []) {
      for (const names of paramLines(
        splitCode(text),
        differingParams
      ).values()) {
        names.forEach(name => found.add(name));
      }
    }
    return found;
  }, [code.codes, differingParams]);
  const onBrush = (numbers: number[] | null): void => {
    setBrushed(numbers);
    actions.filterRuns?.(numbers);
  };

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
    <div
      className={`jp-labtrack-CompareView${runs.length >= WIDE_FROM ? ' jp-mod-many' : ''}`}
      data-runs={key}
    >
      <header className="jp-labtrack-ViewHeader jp-labtrack-CompareView-header">
        <h2 className="jp-labtrack-ViewHeader-title">
          Compare {runs.length} runs
        </h2>
        <RunChips runs={chartRuns} onOpen={actions.openRun} />
        <Toggle
          label="differences only"
          checked={differencesOnly}
          onChange={setDifferencesOnly}
          className="jp-labtrack-DiffToggle"
        />
        <ExportButtons
          client={client}
          runs={runs}
          differencesOnly={differencesOnly}
        />
      </header>
      <div className="jp-labtrack-columns">
        <Section title="Params" className="jp-labtrack-ParamsSection">
          {data ? (
            <ParamsTable
              comparison={data}
              differencesOnly={differencesOnly}
              colorOf={colorOf}
              linked={linked}
              onShowLines={name => {
                setFocusParam(null);
                window.requestAnimationFrame(() => setFocusParam(name));
              }}
            />
          ) : (
            loading
          )}
        </Section>
        <Section title="Metrics" className="jp-labtrack-MetricsSection">
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
      <Section title="Code" className="jp-labtrack-CodeSection">
        {code.error !== null ? (
          <p className="jp-labtrack-error">
            Could not load the code: {code.error}
          </p>
        ) : code.codes === null ? (
          <p className="jp-labtrack-muted">Loading the cells' code…</p>
        ) : (
          <CodeDiff
            runs={chartRuns.map(run => ({
              ...run,
              code: code.codes?.get(run.number) ?? null
            }))}
            params={differingParams}
            focus={focusParam}
            highlight={highlight}
          />
        )}
      </Section>
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
      <Section
        title="Parallel coordinates"
        className="jp-labtrack-ParallelSection"
        tools={
          brushed !== null && actions.filterRuns ? (
            <span className="jp-labtrack-BrushNote" role="status">
              The runs table shows the {brushed.length} brushed run
              {brushed.length === 1 ? '' : 's'}.
            </span>
          ) : undefined
        }
      >
        {data ? (
          <ParallelPanel
            comparison={data}
            params={axesParams}
            onBrush={onBrush}
          />
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
