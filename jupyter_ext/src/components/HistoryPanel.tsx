import React, { useEffect, useMemo, useRef, useState } from 'react';

import { IChartLine, isSingleValued } from '../charts';
import { LabtrackClient } from '../client';
import { messageOf } from '../model';
import { IHistory } from '../tokens';
import { BarChart } from './BarChart';
import { HistoryChart } from './HistoryChart';
import { Toggle } from './Toggle';

/** A run as the charts draw it. */
export interface IChartRun {
  number: number;
  label: string;
  color: string;
}

export interface IHistoryPanelProps {
  client: LabtrackClient;
  runs: readonly IChartRun[];
  /** The metrics one can pick. */
  metrics: readonly string[];
  /** The metrics drawn at first. */
  initial: readonly string[];
  height?: number;
  /**
   * Changes when the runs got new points (e.g. the point counts of a running run): the charts
   * shown are fetched again and updated in place.
   */
  version?: string | number;
}

type Loaded = IHistory | { error: string };

/**
 * Overlaid metric histories: pick metrics (one chart each), log scale, smoothing. Histories come
 * from the `history` route, already thinned to a few thousand points a run.
 */
export function HistoryPanel(props: IHistoryPanelProps): JSX.Element {
  const { client, runs, metrics, initial, height, version = 0 } = props;
  const [picked, setPicked] = useState<string[]>(() => [...initial]);
  const [log, setLog] = useState(false);
  const [smoothing, setSmoothing] = useState(0);
  const [histories, setHistories] = useState<Map<string, Loaded>>(new Map());
  const numbers = runs.map(run => run.number);
  const key = numbers.join(',');

  const requested = useRef({ key, version, metrics: new Set<string>() });

  useEffect(() => {
    if (requested.current.key !== key) {
      requested.current = { key, version, metrics: new Set() };
      setHistories(new Map());
    } else if (requested.current.version !== version) {
      // new points: ask again, keep drawing the old ones until the answers come
      requested.current = { key, version, metrics: new Set() };
    }
    const asked = requested.current;
    for (const metric of picked) {
      if (asked.metrics.has(metric)) {
        continue;
      }
      asked.metrics.add(metric);
      const keep = (loaded: Loaded): void => {
        if (requested.current === asked) {
          setHistories(old => new Map(old).set(metric, loaded));
        }
      };
      client
        .history(numbers, metric)
        .then(keep, (error: unknown) => keep({ error: messageOf(error) }));
    }
  }, [picked, key, version]);

  const lines = useMemo(() => {
    const byMetric = new Map<string, IChartLine[]>();
    const byNumber = new Map(runs.map(run => [run.number, run]));
    for (const [metric, loaded] of histories) {
      if ('series' in loaded) {
        byMetric.set(
          metric,
          loaded.series.map(series => {
            const run = byNumber.get(series.number);
            return {
              label: run?.label ?? `#${series.number}`,
              color: run?.color ?? '#888',
              steps: series.steps,
              values: series.values
            };
          })
        );
      }
    }
    return byMetric;
  }, [histories, runs]);

  const toggle = (metric: string): void =>
    setPicked(old =>
      old.includes(metric) ? old.filter(m => m !== metric) : [...old, metric]
    );

  return (
    <div className="jp-labtrack-HistoryPanel">
      <div className="jp-labtrack-toolbar jp-labtrack-HistoryPanel-controls">
        <span className="jp-labtrack-label">metrics</span>
        {metrics.map(metric => (
          <button
            key={metric}
            type="button"
            className="jp-labtrack-Chip"
            aria-pressed={picked.includes(metric)}
            data-metric={metric}
            onClick={() => toggle(metric)}
          >
            {metric}
          </button>
        ))}
        <span className="jp-labtrack-spacer" />
        <Toggle label="log scale" checked={log} onChange={setLog} />
        <label
          className="jp-labtrack-Smoothing"
          title="exponential moving average"
        >
          smoothing
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={smoothing}
            aria-label="smoothing"
            onChange={event => setSmoothing(Number(event.currentTarget.value))}
          />
          <span className="jp-labtrack-Smoothing-value">
            {smoothing.toFixed(2)}
          </span>
        </label>
      </div>
      {picked.length === 0 && (
        <p className="jp-labtrack-muted">Pick a metric to chart its history.</p>
      )}
      <div className="jp-labtrack-HistoryPanel-charts">
        {metrics
          .filter(metric => picked.includes(metric))
          .map(metric => {
            const loaded = histories.get(metric);
            const thinned =
              loaded &&
              'series' in loaded &&
              loaded.series.some(s => s.downsampled);
            if (loaded === undefined) {
              return (
                <div
                  key={metric}
                  className="jp-labtrack-HistoryChart jp-mod-loading"
                >
                  Loading {metric}…
                </div>
              );
            }
            if ('error' in loaded) {
              return (
                <div
                  key={metric}
                  className="jp-labtrack-HistoryChart jp-labtrack-error"
                >
                  {metric}: {loaded.error}
                </div>
              );
            }
            const metricLines = lines.get(metric) ?? [];
            if (isSingleValued(metricLines)) {
              return (
                <BarChart
                  key={metric}
                  title={metric}
                  lines={metricLines}
                  height={height}
                />
              );
            }
            return (
              <HistoryChart
                key={metric}
                title={metric}
                note={
                  thinned
                    ? 'thinned for drawing: min and max of each bucket kept'
                    : undefined
                }
                lines={metricLines}
                log={log}
                smoothing={smoothing}
                height={height}
              />
            );
          })}
      </div>
    </div>
  );
}
