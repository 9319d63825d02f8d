/**
 * Which optional columns the runs table shows: the defaults computed from the runs shown, the
 * user's choice from the column chooser, and the offer of every column the store knows.
 * Pure functions over runs; the chooser, the table and jest use them.
 */

import { IMetricDefinition, IRun, JSONValue } from './tokens';

/** The kinds of optional columns, in the order the table and the chooser show them. */
export type ColumnKind = 'metrics' | 'params' | 'tags' | 'attributes';

export const COLUMN_KINDS: readonly ColumnKind[] = [
  'metrics',
  'params',
  'tags',
  'attributes'
];

/** Run attributes that can be columns (status, number and name are always shown). */
export const ATTRIBUTE_COLUMNS: readonly string[] = [
  'hypothesis',
  'start_time',
  'duration',
  'experiment',
  'end_time',
  'notebook'
];

/** The attribute columns shown by default, after the metrics and params. */
export const DEFAULT_ATTRIBUTES: readonly string[] = [
  'hypothesis',
  'start_time',
  'duration'
];

/** At most this many metrics (defined ones excepted) and params are default columns. */
export const DEFAULT_METRIC_LIMIT = 4;
export const DEFAULT_PARAM_LIMIT = 3;

/** A column id (`metrics.acc`) split into its kind and name. */
export interface IColumnId {
  kind: ColumnKind;
  name: string;
}

/**
 * Split `metrics.val.loss` into `{kind: 'metrics', name: 'val.loss'}`; null for another id.
 *
 * @example
 * parseColumnId('params.lr'); // {kind: 'params', name: 'lr'}
 */
export function parseColumnId(id: string): IColumnId | null {
  const dot = id.indexOf('.');
  const kind = id.slice(0, dot) as ColumnKind;
  if (dot < 1 || !COLUMN_KINDS.includes(kind) || dot === id.length - 1) {
    return null;
  }
  return { kind, name: id.slice(dot + 1) };
}

export function columnId(kind: ColumnKind, name: string): string {
  return `${kind}.${name}`;
}

/** Every column the chooser offers, by kind, from what the store and the loaded runs hold. */
export interface IColumnOffer {
  metrics: string[];
  params: string[];
  tags: string[];
  attributes: string[];
}

/** Tag names of `runs`, sorted. */
export function tagNames(runs: Iterable<IRun>): string[] {
  const names = new Set<string>();
  for (const run of runs) {
    Object.keys(run.tags).forEach(name => names.add(name));
  }
  return [...names].sort();
}

/**
 * What the chooser offers: the store's metrics (defined first) and params, the tags of the
 * known runs, and the attributes.
 */
export function columnOffer(
  metrics: readonly string[],
  params: readonly string[],
  definitions: { readonly [metric: string]: IMetricDefinition },
  runs: Iterable<IRun>
): IColumnOffer {
  const defined = Object.keys(definitions).filter(name =>
    metrics.includes(name)
  );
  return {
    metrics: [...defined, ...metrics.filter(name => !(name in definitions))],
    params: [...params],
    tags: tagNames(runs),
    attributes: [...ATTRIBUTE_COLUMNS]
  };
}

/** True when two JSON values differ (params may be lists or objects). */
function differs(a: JSONValue | undefined, b: JSONValue | undefined): boolean {
  return (
    a !== b &&
    (typeof a !== 'object' || JSON.stringify(a) !== JSON.stringify(b))
  );
}

/**
 * The default columns for the runs `shown`: the defined metrics (with a run among them having
 * it, or any when none does), then the other metrics those runs have (most common first), then
 * the params whose value differs among them, then hypothesis, start and duration.
 *
 * @example
 * defaultColumns(model.runs, definitions); // ['metrics.acc', 'params.lr', 'attributes.hypothesis', …]
 */
export function defaultColumns(
  shown: readonly IRun[],
  definitions: { readonly [metric: string]: IMetricDefinition },
  metricLimit = DEFAULT_METRIC_LIMIT,
  paramLimit = DEFAULT_PARAM_LIMIT
): string[] {
  const metricCount = new Map<string, number>();
  const paramValues = new Map<string, JSONValue | undefined>();
  const paramDiffers = new Map<string, boolean>();
  shown.forEach((run, index) => {
    for (const name of Object.keys(run.metrics)) {
      metricCount.set(name, (metricCount.get(name) ?? 0) + 1);
    }
    const names = new Set([...paramValues.keys(), ...Object.keys(run.params)]);
    for (const name of names) {
      const value = run.params[name];
      if (!paramValues.has(name)) {
        // A param missing from earlier runs differs already.
        paramValues.set(name, value);
        paramDiffers.set(name, index > 0);
      } else if (differs(paramValues.get(name), value)) {
        paramDiffers.set(name, true);
      }
    }
  });
  const defined = Object.keys(definitions);
  const definedShown = defined.filter(name => metricCount.has(name));
  const headline = definedShown.length > 0 ? definedShown : defined;
  const others = [...metricCount.entries()]
    .filter(([name]) => !(name in definitions))
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => name)
    .slice(0, Math.max(0, metricLimit - headline.length));
  const params = [...paramDiffers.entries()]
    .filter(([, varies]) => varies)
    .map(([name]) => name)
    .slice(0, paramLimit);
  return [
    ...headline.map(name => columnId('metrics', name)),
    ...others.map(name => columnId('metrics', name)),
    ...params.map(name => columnId('params', name)),
    ...DEFAULT_ATTRIBUTES.map(name => columnId('attributes', name))
  ];
}

/** `columns` with `id` added (after the last of its kind) or removed. */
export function toggleColumn(columns: readonly string[], id: string): string[] {
  if (columns.includes(id)) {
    return columns.filter(column => column !== id);
  }
  const kind = parseColumnId(id)?.kind;
  const rank = (column: string): number =>
    COLUMN_KINDS.indexOf(parseColumnId(column)?.kind ?? 'attributes');
  const at = kind === undefined ? -1 : COLUMN_KINDS.indexOf(kind);
  const next = columns.findIndex(column => rank(column) > at);
  return next < 0
    ? [...columns, id]
    : [...columns.slice(0, next), id, ...columns.slice(next)];
}

/** Where the chosen columns are kept: one entry per store in JupyterLab's state database. */
export interface IColumnStore {
  fetch(key: string): Promise<unknown>;
  save(key: string, value: string[]): Promise<unknown>;
  remove(key: string): Promise<unknown>;
}

/** The state-database key of a store's columns. */
export function columnsKey(storePath: string): string {
  return `labtrack:columns:${storePath}`;
}

/** A saved choice read back: a list of column ids, or null when none (or garbage) was saved. */
export function savedColumns(value: unknown): string[] | null {
  if (!Array.isArray(value)) {
    return null;
  }
  const ids = value.filter(
    (item): item is string =>
      typeof item === 'string' && parseColumnId(item) !== null
  );
  return ids.length === value.length ? ids : null;
}
