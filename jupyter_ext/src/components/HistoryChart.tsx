import React, { useEffect, useRef } from 'react';
import uPlot from 'uplot';

import { alignLines, IChartLine, themeColor } from '../charts';
import { formatNumber } from '../format';

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

/**
 * Metric histories of one metric, one line a run, drawn by uPlot on a canvas (tens of thousands
 * of points a line stay fast). Drag to zoom, double-click to reset; the legend follows the cursor.
 */
export function HistoryChart(props: IHistoryChartProps): JSX.Element {
  const { title, lines, log, smoothing, height = 220, note, onDrawn } = props;
  const figureRef = useRef<HTMLElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const drawnRef = useRef(onDrawn);
  drawnRef.current = onDrawn;

  useEffect(() => {
    const figure = figureRef.current;
    const target = plotRef.current;
    if (!figure || !target) {
      return;
    }
    target.removeAttribute('data-drawn');
    const text = themeColor('--jp-ui-font-color2', '#616161');
    const grid = themeColor('--jp-border-color2', '#e0e0e0');
    const axis = (label: string, size: number): uPlot.Axis => ({
      stroke: text,
      label,
      labelSize: 16,
      size,
      font: '11px var(--jp-ui-font-family, sans-serif)',
      labelFont: '11px var(--jp-ui-font-family, sans-serif)',
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 }
    });
    const width = (): number => Math.max(240, figure.clientWidth - 2);
    const plot = new uPlot(
      {
        width: width(),
        height,
        scales: { x: { time: false }, y: { distr: log ? 3 : 1 } },
        axes: [
          axis('step', 36),
          { ...axis('', 60), values: (_u, ticks) => ticks.map(formatNumber) }
        ],
        series: [
          { label: 'step' },
          ...lines.map(line => ({
            label: line.label,
            stroke: line.color,
            width: 1.5,
            spanGaps: true,
            points: { show: false },
            value: (_u: uPlot, value: number | null) => formatNumber(value)
          }))
        ],
        legend: { show: true, live: true },
        cursor: { focus: { prox: 24 }, drag: { x: true, y: false } },
        focus: { alpha: 0.3 },
        hooks: {
          draw: [
            () => {
              target.setAttribute('data-drawn', 'true');
              drawnRef.current?.();
            }
          ]
        }
      },
      alignLines(lines, { smoothing, log }) as uPlot.AlignedData,
      target
    );
    const observer = new ResizeObserver(() => {
      if (Math.abs(plot.width - width()) > 1) {
        plot.setSize({ width: width(), height });
      }
    });
    observer.observe(figure);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [lines, log, smoothing, height]);

  return (
    <figure
      className="jp-labtrack-HistoryChart"
      data-metric={title}
      ref={figureRef}
    >
      <figcaption className="jp-labtrack-HistoryChart-title">
        {title}
        {note && <span className="jp-labtrack-HistoryChart-note">{note}</span>}
      </figcaption>
      <div className="jp-labtrack-HistoryChart-plot" ref={plotRef} />
    </figure>
  );
}
