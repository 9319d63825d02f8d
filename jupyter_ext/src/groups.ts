/**
 * Group rows of the runs table: runs split by experiment or hypothesis, groups in a stable order
 * with "(none)" last, each group's rows in the table's sort order, collapsed groups left out.
 */

import { GroupBy, IRun } from './tokens';

/** The key of the group of runs with no experiment or hypothesis. */
export const NONE_GROUP = '';

/** A group header row. */
export interface IGroupItem {
  kind: 'group';
  /** The experiment name or hypothesis id as text; `NONE_GROUP` for none. */
  key: string;
  /** The hypothesis id for hypothesis groups. */
  hypothesis: number | null;
  count: number;
  expanded: boolean;
}

/** A run row. */
export interface IRunItem {
  kind: 'run';
  run: IRun;
}

export type TableItem = IGroupItem | IRunItem;

/** The group a run belongs to. */
export function groupKey(run: IRun, groupBy: GroupBy): string {
  if (groupBy === 'experiment') {
    return run.experiment ?? NONE_GROUP;
  }
  if (groupBy === 'hypothesis') {
    return run.hypothesis_id === null ? NONE_GROUP : String(run.hypothesis_id);
  }
  return NONE_GROUP;
}

function compareKeys(a: string, b: string, groupBy: GroupBy): number {
  if (a === NONE_GROUP || b === NONE_GROUP) {
    return a === b ? 0 : a === NONE_GROUP ? 1 : -1;
  }
  if (groupBy === 'hypothesis') {
    return Number(a) - Number(b);
  }
  return a.localeCompare(b);
}

/**
 * The rows to display for `sorted` runs: with no grouping the runs; else each group's header
 * (hypotheses by id, experiments by name, "(none)" last) then, unless `collapsed`, its runs.
 *
 * @example
 * groupItems(runs, 'hypothesis', new Set([NONE_GROUP])); // H1, its runs, H2, …, (none) folded
 */
export function groupItems(
  sorted: readonly IRun[],
  groupBy: GroupBy,
  collapsed: ReadonlySet<string>
): TableItem[] {
  if (groupBy === 'none') {
    return sorted.map(run => ({ kind: 'run', run }));
  }
  const groups = new Map<string, IRun[]>();
  for (const run of sorted) {
    const key = groupKey(run, groupBy);
    const members = groups.get(key);
    if (members) {
      members.push(run);
    } else {
      groups.set(key, [run]);
    }
  }
  const keys = [...groups.keys()].sort((a, b) => compareKeys(a, b, groupBy));
  const items: TableItem[] = [];
  for (const key of keys) {
    const members = groups.get(key) ?? [];
    const expanded = !collapsed.has(key);
    items.push({
      kind: 'group',
      key,
      hypothesis:
        groupBy === 'hypothesis' && key !== NONE_GROUP ? Number(key) : null,
      count: members.length,
      expanded
    });
    if (expanded) {
      members.forEach(run => items.push({ kind: 'run', run }));
    }
  }
  return items;
}
