/**
 * Finding the cell that recorded a run in its notebook: by the cell's source and execution count.
 */

/** What the search needs of a cell. */
export interface ICellInfo {
  source: string;
  executionCount: number | null;
}

/** The source with line ends unified and trailing spaces dropped, for comparing. */
export function normalizeSource(source: string): string {
  return source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map(line => line.trimEnd())
    .join('\n')
    .trim();
}

/**
 * The index of the cell that recorded a run, or -1: the same source and execution count first,
 * then the same source (the last such cell), then a cell that is part of the recorded code (runs
 * spanning cells record them joined), then the execution count alone.
 *
 * @example
 * findCellIndex(cells, '%%track\nlr = 0.1', 7);
 */
export function findCellIndex(
  cells: readonly ICellInfo[],
  code: string | null,
  executionCount: number | null
): number {
  const wanted = code === null ? '' : normalizeSource(code);
  const sources = cells.map(cell => normalizeSource(cell.source));
  const sameCount = (i: number): boolean =>
    executionCount !== null && cells[i].executionCount === executionCount;
  if (wanted) {
    const same = sources
      .map((s, i) => (s === wanted ? i : -1))
      .filter(i => i >= 0);
    const exact = same.find(sameCount);
    if (exact !== undefined) {
      return exact;
    }
    if (same.length > 0) {
      return same[same.length - 1];
    }
    const part = sources.findIndex(s => s.length > 0 && wanted.includes(s));
    if (part >= 0) {
      return part;
    }
  }
  if (executionCount !== null) {
    return cells.findIndex(cell => cell.executionCount === executionCount);
  }
  return -1;
}
