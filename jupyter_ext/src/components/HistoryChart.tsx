import React, { useEffect, useRef } from 'react';
import uPlot from 'uplot';

import { alignLines, IChartLine, themeColor } from '../charts';
import { formatNumber } from '../format';
import { useThemeVersion } from '../theme';
import { ChartTable } from './ChartTable';

export interface IHistoryChartProps {
  /** The metric's name, shown above the chart. */
  title: string;
  lines: readonly IChartLine[];
  log: boolean;
  /** 0 (raw) to 0.99 (heavily smoothed). */
  smoothing: number;
  height?: number;
  /** A remark under the title, e.g. that the lines were thinned. */
  note?: string;
  /** Called after uPlot drew the chart (tests and timings wait for it). */
  onDrawn?: () => void;
}

/** The axes of a chart, in the theme's current colours. */
export function themedAxis(label: string, size: number): uPlot.Axis {
  const text = themeColor('--jp-ui-font-color2', '#616161');
  const grid = themeColor('--jp-border-color2', '#e0e0e0');
  return {
    stroke: text,
    label,
    labelSize: 16,
    size,
    font: '11px var(--jp-ui-font-family, sans-serif)',
    labelFont: '11px var(--jp-ui-font-family, sans-serif)',
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 }
  };
}

/** A one-step x range gets a margin, so a lone point is drawn inside the chart. */
const stepRange: uPlot.Range.Function = (_u, min, max) =>
  min === max ? [min - 1, max + 1] : [min, max];

/**
 * Metric histories of one metric, one line a run, drawn by uPlot on a canvas (tens of thousands
 * of points a line stay fast). Drag to zoom, double-click to reset; the legend follows the cursor.
 * Lines with one point show it as a dot. New data (a running run) is set without losing the zoom;
 * a theme change draws the chart again in the new colours.
 */
export function HistoryChart(props: IHistoryChartProps): JSX.Element {
  const { title, lines, log, smoothing, height = 220, note, onDrawn } = props;
  const figureRef = useRef<HTMLElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const uplotRef = useRef<uPlot | null>(null);
  const drawnRef = useRef(onDrawn);
  drawnRef.current = onDrawn;
  const theme = useThemeVersion();
  // The chart is built again only when its lines (not their points) or the look change.
  const shape = lines
    .map(
      line => `${line.label}\u0000${line.color}\u0000${line.steps.length <= 1}`
    )
    .join('\u0001');

  useEffect(() => {
    const figure = figureRef.current;
    const target = plotRef.current;
    if (!figure || !target) {
      return;
    }
    target.removeAttribute('data-drawn');
    const width = (): number => Math.max(240, figure.clientWidth - 2);
    const plot = new uPlot(
      {
        width: width(),
        height,
        scales: {
          x: { time: false, range: stepRange },
          y: { distr: log ? 3 : 1 }
        },
        axes: [
          themedAxis('step', 36),
          {
            ...themedAxis('', 60),
            values: (_u, ticks) => ticks.map(formatNumber)
          }
        ],
        series: [
          { label: 'step' },
          ...lines.map(line => ({
            label: line.label,
            stroke: line.color,
            width: 1.5,
            spanGaps: true,
            // a lone point is always drawn; longer lines show points when they are sparse
            points:
              line.steps.length <= 1
                ? { show: true, size: 9, fill: line.color }
                : { size: 5, fill: line.color },
            value: (_u: uPlot, value: number | null) => formatNumber(value)
          }))
        ],
        legend: { show: true, live: true },
        cursor: { focus: { prox: 24 }, drag: { x: true, y: false } },
        focus: { alpha: 0.3 },
        hooks: {
          draw: [
            u => {
              target.setAttribute('data-drawn', 'true');
              target.setAttribute('data-steps', String(u.data[0].length));
              drawnRef.current?.();
            }
          ]
        }
      },
      alignLines(lines, { smoothing, log }) as uPlot.AlignedData,
      target
    );
    uplotRef.current = plot;
    target.dataset.axisColor = themeColor('--jp-ui-font-color2', '#616161');
    const observer = new ResizeObserver(() => {
      if (Math.abs(plot.width - width()) > 1) {
        plot.setSize({ width: width(), height });
      }
    });
    observer.observe(figure);
    return () => {
      observer.disconnect();
      uplotRef.current = null;
      plot.destroy();
    };
  }, [shape, log, height, theme]);

  // New points (a running run) or smoothing: set the data, keep the chart and its zoom.
  const built = useRef<unknown>(null);
  useEffect(() => {
    const plot = uplotRef.current;
    if (plot === null) {
      return;
    }
    if (built.current === plot) {
      plot.setData(
        alignLines(lines, { smoothing, log }) as uPlot.AlignedData,
        true
      );
    }
    built.current = plot;
  }, [lines, smoothing, shape, log, height, theme]);

  const points = lines.reduce((n, line) => n + line.steps.length, 0);
  return (
    <figure
      className="jp-labtrack-HistoryChart"
      data-metric={title}
      data-points={points}
      ref={figureRef}
    >
      <figcaption className="jp-labtrack-HistoryChart-title">
        {title}
        {note && <span className="jp-labtrack-HistoryChart-note">{note}</span>}
      </figcaption>
      <div
        className="jp-labtrack-HistoryChart-plot"
        ref={plotRef}
        role="img"
        aria-label={`History of ${title} for ${lines.length} run${lines.length === 1 ? '' : 's'}; its data table follows.`}
      />
      <ChartTable title={title} lines={lines} />
    </figure>
  );
}
