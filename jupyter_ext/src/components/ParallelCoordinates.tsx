import React, { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';

import { Brush, brushedRuns } from '../brush';
import { IAxis, MISSING_AT, themeColor } from '../charts';
import { useThemeVersion } from '../theme';

export interface IParallelCoordinatesProps {
  /** The axes left to right (params, then the metric). */
  axes: readonly IAxis[];
  /** One label and one colour a run. */
  labels: readonly string[];
  colors: readonly string[];
  height?: number;
  /** The runs (indexes) inside the brushes after each brush, or null when none is left. */
  onBrush?: (runs: number[] | null) => void;
}

const MAX_TICKS = 8;
/** How near (CSS px) to an axis a drag starts a brush on it. */
const GRAB_PX = 18;
const FADED = 'rgba(128, 128, 128, 0.18)';

/**
 * Parallel coordinates drawn by uPlot: each run is a line across one vertical axis a param and a
 * last axis for the metric; the axes, ticks and brushes are drawn on uPlot's canvas in hooks.
 * Drag along an axis to brush a range (the other runs fade, `onBrush` tells which are kept);
 * click an axis to clear its brush. Runs without a value sit on the "missing" tick.
 */
export function ParallelCoordinates(
  props: IParallelCoordinatesProps
): JSX.Element {
  const { axes, labels, colors, height = 280, onBrush } = props;
  const figureRef = useRef<HTMLElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const [focused, setFocused] = useState<string | null>(null);
  const [brushCount, setBrushCount] = useState(0);
  const onBrushRef = useRef(onBrush);
  onBrushRef.current = onBrush;
  const theme = useThemeVersion();
  // Brushes by axis name outlive a redraw (theme, new metric); `reported` is what onBrush last got.
  const brushesByName = useRef(new Map<string, Brush>());
  const reported = useRef<string | null>(null);
  useEffect(
    () => () => {
      if (reported.current !== null) {
        onBrushRef.current?.(null); // closing the view gives the table its filter back
      }
    },
    []
  );

  useEffect(() => {
    const figure = figureRef.current;
    const target = plotRef.current;
    if (!figure || !target || axes.length < 2) {
      return;
    }
    target.removeAttribute('data-drawn');
    const text = themeColor('--jp-ui-font-color1', '#212121');
    const muted = themeColor('--jp-ui-font-color2', '#616161');
    const line = themeColor('--jp-border-color1', '#bdbdbd');
    const background = themeColor('--jp-layout-color1', '#ffffff');
    const brushColor = themeColor('--jp-brand-color1', '#1976d2');
    const hasMissing = axes.some(axis => axis.missing);
    const bottomAt = hasMissing ? MISSING_AT : 0;
    const x = axes.map((_, i) => i);
    const ys = labels.map((_, run) => axes.map(axis => axis.positions[run]));
    const width = (): number => Math.max(320, figure.clientWidth - 2);
    const brushes = new Map<number, Brush>();
    axes.forEach((axis, i) => {
      const kept = brushesByName.current.get(axis.name);
      if (kept) {
        brushes.set(i, kept);
      }
    });
    let kept: Set<number> | null = null;
    let dragging: { axis: number; from: number; to: number } | null = null;

    const drawAxes = (u: uPlot): void => {
      const ctx = u.ctx;
      const ratio = uPlot.pxRatio;
      const top = u.valToPos(1, 'y', true);
      const bottom = u.valToPos(bottomAt, 'y', true);
      ctx.save();
      ctx.lineWidth = ratio;
      ctx.textBaseline = 'middle';
      axes.forEach((axis, i) => {
        const at = u.valToPos(i, 'x', true);
        ctx.strokeStyle = line;
        ctx.beginPath();
        ctx.moveTo(at, top);
        ctx.lineTo(at, bottom);
        ctx.stroke();
        ctx.fillStyle = text;
        ctx.font = `600 ${11 * ratio}px sans-serif`;
        ctx.textAlign =
          i === 0 ? 'left' : i === axes.length - 1 ? 'right' : 'center';
        const name =
          axis.name.length > 22 ? `${axis.name.slice(0, 21)}…` : axis.name;
        ctx.fillText(name, at, top - 16 * ratio);
      });
      ctx.restore();
    };

    // Brushes under the ticks; tick labels over the lines on a patch of the background.
    const drawOverlay = (u: uPlot): void => {
      const ctx = u.ctx;
      const ratio = uPlot.pxRatio;
      ctx.save();
      const shown = new Map(brushes);
      if (dragging) {
        shown.set(dragging.axis, [
          Math.min(dragging.from, dragging.to),
          Math.max(dragging.from, dragging.to)
        ]);
      }
      for (const [i, [lo, hi]] of shown) {
        const at = u.valToPos(i, 'x', true);
        const y0 = u.valToPos(hi, 'y', true);
        const y1 = u.valToPos(lo, 'y', true);
        ctx.fillStyle = brushColor;
        ctx.globalAlpha = 0.22;
        ctx.fillRect(at - 7 * ratio, y0, 14 * ratio, Math.max(2, y1 - y0));
        ctx.globalAlpha = 1;
        ctx.strokeStyle = brushColor;
        ctx.lineWidth = ratio;
        ctx.strokeRect(at - 7 * ratio, y0, 14 * ratio, Math.max(2, y1 - y0));
      }
      ctx.font = `${10 * ratio}px sans-serif`;
      ctx.textBaseline = 'middle';
      axes.forEach((axis, i) => {
        const at = u.valToPos(i, 'x', true);
        const last = i === axes.length - 1;
        const values = axis.ticks.filter(([p]) => p !== MISSING_AT);
        const step = Math.ceil(values.length / MAX_TICKS);
        const ticks = [
          ...values.filter((_, k) => k % step === 0),
          ...axis.ticks.filter(([p]) => p === MISSING_AT)
        ];
        ticks.forEach(([position, label]) => {
          const shown = label.length > 14 ? `${label.slice(0, 13)}…` : label;
          const y = u.valToPos(position, 'y', true);
          const w = ctx.measureText(shown).width + 6 * ratio;
          const left = last ? at - 6 * ratio - w : at + 6 * ratio;
          ctx.fillStyle = background;
          ctx.globalAlpha = 0.85;
          ctx.fillRect(left, y - 7 * ratio, w, 14 * ratio);
          ctx.globalAlpha = 1;
          ctx.fillStyle = muted;
          ctx.font =
            position === MISSING_AT
              ? `italic ${10 * ratio}px sans-serif`
              : `${10 * ratio}px sans-serif`;
          ctx.textAlign = 'left';
          ctx.fillText(shown, left + 3 * ratio, y);
        });
      });
      ctx.restore();
    };

    const stroke = (run: number) => (): string =>
      kept === null || kept.has(run) ? colors[run] : FADED;

    const plot = new uPlot(
      {
        width: width(),
        height,
        padding: [34, 14, 10, 14],
        scales: {
          x: { time: false, range: [0, axes.length - 1] },
          y: { range: [bottomAt - 0.03, 1.03] }
        },
        axes: [{ show: false }, { show: false }],
        series: [
          {},
          ...labels.map((label, run) => ({
            label,
            stroke: stroke(run),
            width: 1.6,
            spanGaps: false,
            points: { show: true, size: 5, fill: colors[run] }
          }))
        ],
        legend: { show: false },
        cursor: {
          x: false,
          y: false,
          focus: { prox: 12 },
          points: { show: false },
          drag: { x: false, y: false, setScale: false }
        },
        focus: { alpha: 0.25 },
        hooks: {
          drawAxes: [drawAxes],
          draw: [drawOverlay, () => target.setAttribute('data-drawn', 'true')],
          setSeries: [
            (_u, index) =>
              setFocused(
                index === null || index === 0 ? null : labels[index - 1]
              )
          ]
        }
      },
      [x, ...ys] as uPlot.AlignedData,
      target
    );

    const applyBrushes = (): void => {
      kept =
        brushes.size === 0
          ? null
          : new Set(brushedRuns(axes, brushes, labels.length));
      brushesByName.current = new Map(
        [...brushes].map(([i, brush]) => [axes[i].name, brush])
      );
      setBrushCount(brushes.size);
      const runs = kept === null ? null : [...kept];
      target.dataset.brushed = runs === null ? '' : runs.join(',');
      plot.redraw(true);
      const text = runs === null ? null : runs.join(',');
      if (text !== reported.current) {
        reported.current = text;
        onBrushRef.current?.(runs);
      }
    };
    applyBrushes();
    const over = plot.over;
    const positionAt = (event: MouseEvent): { axis: number; y: number } => {
      const rect = over.getBoundingClientRect();
      const left = event.clientX - rect.left;
      const top = event.clientY - rect.top;
      const axis = Math.round(plot.posToVal(left, 'x'));
      const near = Math.abs(plot.valToPos(axis, 'x') - left) <= GRAB_PX;
      return { axis: near ? axis : -1, y: plot.posToVal(top, 'y') };
    };
    const onDown = (event: MouseEvent): void => {
      const { axis, y } = positionAt(event);
      if (axis < 0 || axis >= axes.length) {
        return;
      }
      event.preventDefault();
      dragging = { axis, from: y, to: y };
      const onMove = (move: MouseEvent): void => {
        if (dragging) {
          dragging.to = positionAt(move).y;
          plot.redraw(false);
        }
      };
      const onUp = (): void => {
        window.removeEventListener('mousemove', onMove);
        window.removeEventListener('mouseup', onUp);
        const drag = dragging;
        dragging = null;
        if (!drag) {
          return;
        }
        const span = Math.abs(
          plot.valToPos(drag.from, 'y') - plot.valToPos(drag.to, 'y')
        );
        if (span < 4) {
          brushes.delete(drag.axis); // a click clears the axis' brush
        } else {
          brushes.set(drag.axis, [
            Math.min(drag.from, drag.to),
            Math.max(drag.from, drag.to)
          ]);
        }
        applyBrushes();
      };
      window.addEventListener('mousemove', onMove);
      window.addEventListener('mouseup', onUp);
    };
    over.addEventListener('mousedown', onDown);
    const clear = (): void => {
      brushes.clear();
      applyBrushes();
    };
    target.addEventListener('labtrack-clear-brushes', clear);

    const observer = new ResizeObserver(() => {
      if (Math.abs(plot.width - width()) > 1) {
        plot.setSize({ width: width(), height });
      }
    });
    observer.observe(figure);
    return () => {
      observer.disconnect();
      over.removeEventListener('mousedown', onDown);
      target.removeEventListener('labtrack-clear-brushes', clear);
      plot.destroy();
    };
  }, [axes, labels, colors, height, theme]);

  if (axes.length < 2) {
    return (
      <p className="jp-labtrack-muted">
        Parallel coordinates need at least one param that differs and a metric.
      </p>
    );
  }
  return (
    <figure className="jp-labtrack-ParallelCoordinates" ref={figureRef}>
      <div
        className="jp-labtrack-ParallelCoordinates-plot"
        ref={plotRef}
        role="img"
        aria-label={`Parallel coordinates of ${labels.length} runs over ${axes.map(a => a.name).join(', ')}; the params and metrics tables hold the same values.`}
      />
      <figcaption className="jp-labtrack-muted">
        {focused ??
          (brushCount > 0
            ? 'Click an axis to clear its brush.'
            : 'Drag along an axis to keep a range of runs; hover a line to see its run.')}
        {brushCount > 0 && (
          <button
            type="button"
            className="jp-labtrack-RunLink jp-labtrack-ClearBrushes"
            onClick={() =>
              plotRef.current?.dispatchEvent(
                new Event('labtrack-clear-brushes')
              )
            }
          >
            Clear brushes
          </button>
        )}
      </figcaption>
    </figure>
  );
}
