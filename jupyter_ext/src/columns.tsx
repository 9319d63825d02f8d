/**
 * The runs table's columns (TanStack Table definitions): status, number, name, headline metrics,
 * hypothesis, start and duration; `experiment` is hidden and used for grouping.
 */

import { ColumnDef, Row } from '@tanstack/react-table';
import React from 'react';

import { StatusBadge } from './components/StatusBadge';
import {
  formatDuration,
  formatNumber,
  formatStart,
  formatTimestamp
} from './format';
import { IMetricDefinition, IRun, RunStatus } from './tokens';

export type RunColumn = ColumnDef<IRun, unknown>;

/** Columns hidden from view but kept for grouping. */
export const HIDDEN_COLUMNS = { experiment: false };

const STATUS_RANK: { [status in RunStatus]: number } = {
  running: 0,
  failed: 1,
  crashed: 2,
  interrupted: 3,
  finished: 4
};

/** Numbers before strings, numbers by value, strings by text (case-insensitive). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'number') {
    return -1;
  }
  if (typeof b === 'number') {
    return 1;
  }
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function sortingFn(a: Row<IRun>, b: Row<IRun>, columnId: string): number {
  return compareValues(a.getValue(columnId), b.getValue(columnId));
}

const orUndefined = <T,>(value: T | null | undefined): T | undefined =>
  value === null ? undefined : value;

export interface IColumnsOptions {
  metrics: readonly string[];
  definitions: { readonly [metric: string]: IMetricDefinition };
  /** `H3 · better features help`, for group headers and tooltips. */
  hypothesisLabel: (id: number) => string;
}

/** What a defined metric's column shows: `best (max)`, `mean`, or null for the last value. */
export function shownSummary(definition?: IMetricDefinition): string | null {
  if (!definition || definition.summary === 'last') {
    return null;
  }
  return definition.summary === 'best'
    ? `best (${definition.goal})`
    : definition.summary;
}

/** The value a metric column shows: the run's `summaries` value when it has one, else the last. */
export function metricValue(
  run: IRun,
  name: string,
  definition?: IMetricDefinition
): number | null | undefined {
  const summarised =
    shownSummary(definition) !== null &&
    Object.prototype.hasOwnProperty.call(run.summaries, name);
  return summarised ? run.summaries[name] : run.metrics[name];
}

export function metricColumn(
  name: string,
  definition?: IMetricDefinition
): RunColumn {
  const arrow = definition ? (definition.goal === 'max' ? ' ↑' : ' ↓') : '';
  const target =
    definition && definition.target !== null
      ? `, target ${definition.target}`
      : '';
  const summary = shownSummary(definition);
  const shown =
    summary === null ? 'last value shown' : `${summary} per its definition`;
  return {
    id: `metrics.${name}`,
    header: `${name}${arrow}`,
    meta: {
      title: definition
        ? `${name}: goal ${definition.goal}${target}; ${shown}`
        : `${name}: last value`,
      numeric: true
    },
    accessorFn: run => orUndefined(metricValue(run, name, definition)),
    cell: info => formatNumber(info.getValue() as number | undefined),
    sortingFn,
    sortUndefined: 'last',
    sortDescFirst: definition ? definition.goal === 'max' : true,
    size: 88
  };
}

/** Every column of the runs table, in display order (the select box comes first). */
export function runColumns(options: IColumnsOptions): RunColumn[] {
  const { metrics, definitions, hypothesisLabel } = options;
  return [
    { id: 'select', header: '', size: 28, enableSorting: false },
    {
      id: 'status',
      header: '',
      meta: { title: 'status' },
      accessorFn: run => STATUS_RANK[run.status] ?? 9,
      cell: info => <StatusBadge status={info.row.original.status} compact />,
      sortingFn,
      size: 28
    },
    {
      id: 'number',
      header: '#',
      meta: { title: 'run number', numeric: true },
      accessorFn: run => run.number,
      cell: info => `#${info.getValue() as number}`,
      sortingFn,
      sortDescFirst: true,
      size: 64
    },
    {
      id: 'name',
      header: 'name',
      meta: { title: 'run name', grow: true },
      accessorFn: run => orUndefined(run.name),
      cell: info => (info.getValue() as string | undefined) ?? '',
      sortingFn,
      sortUndefined: 'last',
      size: 130
    },
    ...metrics.map(name => metricColumn(name, definitions[name])),
    {
      id: 'hypothesis',
      header: 'hyp.',
      meta: { title: 'the hypothesis the run tests' },
      accessorFn: run => orUndefined(run.hypothesis_id),
      getGroupingValue: run =>
        run.hypothesis_id === null ? '' : hypothesisLabel(run.hypothesis_id),
      cell: info => {
        const id = info.row.original.hypothesis_id;
        return id === null ? (
          ''
        ) : (
          <span
            className="jp-labtrack-HypothesisTag"
            title={hypothesisLabel(id)}
          >
            H{id}
          </span>
        );
      },
      sortingFn,
      sortUndefined: 'last',
      size: 52
    },
    {
      id: 'start_time',
      header: 'start',
      meta: { title: 'when the run started' },
      accessorFn: run => orUndefined(run.start_time),
      cell: info => (
        <span title={formatTimestamp(info.getValue() as number | undefined)}>
          {formatStart(info.getValue() as number | undefined)}
        </span>
      ),
      sortingFn,
      sortUndefined: 'last',
      sortDescFirst: true,
      size: 100
    },
    {
      id: 'duration',
      header: 'duration',
      meta: { title: 'wall time', numeric: true },
      accessorFn: run => orUndefined(run.duration),
      cell: info => formatDuration(info.getValue() as number | undefined),
      sortingFn,
      sortUndefined: 'last',
      sortDescFirst: true,
      size: 80
    },
    {
      id: 'experiment',
      header: 'experiment',
      accessorFn: run => run.experiment ?? '',
      sortingFn,
      size: 100
    }
  ];
}

/** What a column's `meta` may say (TanStack leaves its shape to us). */
export interface IColumnMeta {
  title?: string;
  numeric?: boolean;
  grow?: boolean;
}

export function columnMeta(meta: unknown): IColumnMeta {
  return (meta ?? {}) as IColumnMeta;
}
