/**
 * The runs table's columns (TanStack Table definitions): status, number and name always, then the
 * chosen metric, param, tag and attribute columns (columnChoice.ts); hidden ones serve grouping.
 */

import { ColumnDef, Row } from '@tanstack/react-table';
import React from 'react';

import { parseColumnId } from './columnChoice';
import { StatusBadge } from './components/StatusBadge';
import {
  formatDuration,
  formatNumber,
  formatStart,
  formatTimestamp,
  formatValue
} from './format';
import { IMetricDefinition, IRun, JSONValue, RunStatus } from './tokens';

export type RunColumn = ColumnDef<IRun, unknown>;

/** The column ids always shown, in order (the select box first). */
export const FIXED_COLUMNS = ['select', 'status', 'number', 'name'];

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
  /** The optional columns, as ids: `metrics.acc`, `params.lr`, `tags.x`, `attributes.duration`. */
  columns: readonly string[];
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
    size: 72
  };
}

/** A param or tag column: its value as the store keeps it, formatted. */
export function valueColumn(kind: 'params' | 'tags', name: string): RunColumn {
  const label = kind === 'params' ? 'param' : 'tag';
  return {
    id: `${kind}.${name}`,
    header: name,
    meta: { title: `${label} ${name}`, kind },
    accessorFn: run => {
      const value = run[kind][name] as JSONValue | undefined;
      return value === null || typeof value === 'object'
        ? orUndefined(value === null ? null : JSON.stringify(value))
        : value;
    },
    cell: info => {
      const text = formatValue(info.getValue() as JSONValue | undefined);
      return <span title={`${name} = ${text}`}>{text}</span>;
    },
    sortingFn,
    sortUndefined: 'last',
    size: 76
  };
}

/** The columns always shown: select box, status, number, name. */
export function fixedColumns(): RunColumn[] {
  return [
    { id: 'select', header: '', size: 26, enableSorting: false },
    {
      id: 'status',
      header: '',
      meta: { title: 'status' },
      accessorFn: run => STATUS_RANK[run.status] ?? 9,
      cell: info => <StatusBadge status={info.row.original.status} compact />,
      sortingFn,
      size: 22
    },
    {
      id: 'number',
      header: '#',
      meta: { title: 'run number', numeric: true },
      accessorFn: run => run.number,
      cell: info => `#${info.getValue() as number}`,
      sortingFn,
      sortDescFirst: true,
      size: 48
    },
    {
      id: 'name',
      header: 'name',
      meta: { title: 'run name', grow: true },
      accessorFn: run => orUndefined(run.name),
      cell: info => {
        const name = (info.getValue() as string | undefined) ?? '';
        return (
          <span className="jp-labtrack-RunsTable-name" title={name}>
            {name}
          </span>
        );
      },
      sortingFn,
      sortUndefined: 'last',
      size: 72
    }
  ];
}

/** An attribute column (`hypothesis`, `start_time`, `duration`, …), or null for an unknown one. */
export function attributeColumn(
  name: string,
  hypothesisLabel: (id: number) => string
): RunColumn | null {
  switch (name) {
    case 'hypothesis':
      return {
        id: 'hypothesis',
        header: 'hyp.',
        meta: { title: 'the hypothesis the run tests' },
        accessorFn: run => orUndefined(run.hypothesis_id),
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
        size: 48
      };
    case 'start_time':
    case 'end_time':
      return {
        id: name,
        header: name === 'start_time' ? 'start' : 'end',
        meta: {
          title:
            name === 'start_time' ? 'when the run started' : 'when it ended'
        },
        accessorFn: run => orUndefined(run[name]),
        cell: info => (
          <span title={formatTimestamp(info.getValue() as number | undefined)}>
            {formatStart(info.getValue() as number | undefined)}
          </span>
        ),
        sortingFn,
        sortUndefined: 'last',
        sortDescFirst: true,
        size: 100
      };
    case 'duration':
      return {
        id: 'duration',
        header: 'duration',
        meta: { title: 'wall time', numeric: true },
        accessorFn: run => orUndefined(run.duration),
        cell: info => formatDuration(info.getValue() as number | undefined),
        sortingFn,
        sortUndefined: 'last',
        sortDescFirst: true,
        size: 76
      };
    case 'experiment':
    case 'notebook':
      return {
        id: name,
        header: name,
        meta: { title: name === 'experiment' ? 'experiment' : 'notebook path' },
        accessorFn: run => orUndefined(run[name]),
        cell: info => {
          const text = (info.getValue() as string | undefined) ?? '';
          return <span title={text}>{text}</span>;
        },
        sortingFn,
        sortUndefined: 'last',
        size: 100
      };
    default:
      return null;
  }
}

/**
 * Every column of the runs table, in display order: the fixed ones, then `columns` (ids such as
 * `metrics.acc`, `params.lr`, `tags.stage`, `attributes.duration`; unknown ids are left out).
 */
export function runColumns(options: IColumnsOptions): RunColumn[] {
  const { columns, definitions, hypothesisLabel } = options;
  const chosen: RunColumn[] = [];
  for (const id of columns) {
    const parsed = parseColumnId(id);
    const column =
      parsed === null
        ? null
        : parsed.kind === 'metrics'
          ? metricColumn(parsed.name, definitions[parsed.name])
          : parsed.kind === 'attributes'
            ? attributeColumn(parsed.name, hypothesisLabel)
            : valueColumn(parsed.kind, parsed.name);
    if (column !== null && !chosen.some(c => c.id === column.id)) {
      chosen.push(column);
    }
  }
  return [...fixedColumns(), ...chosen];
}

/** What a column's `meta` may say (TanStack leaves its shape to us). */
export interface IColumnMeta {
  title?: string;
  numeric?: boolean;
  grow?: boolean;
  kind?: 'params' | 'tags';
}

export function columnMeta(meta: unknown): IColumnMeta {
  return (meta ?? {}) as IColumnMeta;
}
