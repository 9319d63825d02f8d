/**
 * Cell code across runs: a line diff (unified hunks against a base run), the lines that set a
 * param, and highlighted code split into lines. Pure functions (tested with jest).
 */

/** One line of a diff: kept, added (only in the other run) or deleted (only in the base). */
export interface IDiffLine {
  kind: 'same' | 'add' | 'del';
  text: string;
  /** 1-based line number in the base code (null for added lines). */
  oldNo: number | null;
  /** 1-based line number in the other code (null for deleted lines). */
  newNo: number | null;
}

/** A block of changed lines with some context, as `diff -u` prints it. */
export interface IHunk {
  /** `@@ -a,b +c,d @@` */
  header: string;
  lines: IDiffLine[];
}

/** Above this many cells of the LCS table, the middle of two codes is shown as replaced. */
const MAX_TABLE = 4_000_000;

/** Lines of cell code, with Windows and old Mac line ends unified. */
export function splitCode(code: string | null): string[] {
  return code === null || code === ''
    ? []
    : code.replace(/\r\n?/g, '\n').split('\n');
}

/**
 * The line diff of `base` to `other` (a longest common subsequence), every line of both.
 *
 * @example
 * diffLines(['a', 'b'], ['a', 'c']); // same a, del b, add c
 */
export function diffLines(
  base: readonly string[],
  other: readonly string[]
): IDiffLine[] {
  let start = 0;
  while (
    start < base.length &&
    start < other.length &&
    base[start] === other[start]
  ) {
    start += 1;
  }
  let endA = base.length;
  let endB = other.length;
  while (endA > start && endB > start && base[endA - 1] === other[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const out: IDiffLine[] = [];
  for (let i = 0; i < start; i++) {
    out.push({ kind: 'same', text: base[i], oldNo: i + 1, newNo: i + 1 });
  }
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_TABLE) {
    for (let i = start; i < endA; i++) {
      out.push({ kind: 'del', text: base[i], oldNo: i + 1, newNo: null });
    }
    for (let j = start; j < endB; j++) {
      out.push({ kind: 'add', text: other[j], oldNo: null, newNo: j + 1 });
    }
  } else {
    // lcs[i][j]: the common length of base[start+i..endA) and other[start+j..endB)
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] =
          base[start + i] === other[start + j]
            ? lcs[(i + 1) * width + j + 1] + 1
            : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      const a = start + i;
      const b = start + j;
      if (i < n && j < m && base[a] === other[b]) {
        out.push({ kind: 'same', text: base[a], oldNo: a + 1, newNo: b + 1 });
        i += 1;
        j += 1;
      } else if (
        i < n &&
        (j === m || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
      ) {
        out.push({ kind: 'del', text: base[a], oldNo: a + 1, newNo: null });
        i += 1;
      } else {
        out.push({ kind: 'add', text: other[b], oldNo: null, newNo: b + 1 });
        j += 1;
      }
    }
  }
  for (let k = 0; k < base.length - endA; k++) {
    out.push({
      kind: 'same',
      text: base[endA + k],
      oldNo: endA + k + 1,
      newNo: endB + k + 1
    });
  }
  return out;
}

/**
 * The changed lines of a diff grouped in hunks with `context` kept lines around them; no hunk
 * when nothing changed.
 */
export function unifiedHunks(
  lines: readonly IDiffLine[],
  context = 3
): IHunk[] {
  const changed = lines
    .map((line, i) => (line.kind === 'same' ? -1 : i))
    .filter(i => i >= 0);
  const hunks: IHunk[] = [];
  let k = 0;
  while (k < changed.length) {
    const first = Math.max(0, changed[k] - context);
    let last = Math.min(lines.length - 1, changed[k] + context);
    while (k + 1 < changed.length && changed[k + 1] - context <= last + 1) {
      k += 1;
      last = Math.min(lines.length - 1, changed[k] + context);
    }
    const part = lines.slice(first, last + 1);
    const oldCount = part.filter(l => l.kind !== 'add').length;
    const newCount = part.filter(l => l.kind !== 'del').length;
    const oldStart = part.find(l => l.oldNo !== null)?.oldNo ?? 0;
    const newStart = part.find(l => l.newNo !== null)?.newNo ?? 0;
    hunks.push({
      header: `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`,
      lines: part
    });
    k += 1;
  }
  return hunks;
}

const escapeRegExp = (text: string): string =>
  text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The params each line sets: `name = …` (also `a, name = …` and `f(name=…)`) or `'name': …`,
 * outside comments. Returns line index (0-based) -> param names.
 *
 * @example
 * paramLines(['lr = 0.1', 'fit(lr)'], ['lr']); // Map {0 => ['lr']}
 */
export function paramLines(
  lines: readonly string[],
  names: readonly string[]
): Map<number, string[]> {
  const patterns = names.map(name => {
    const n = escapeRegExp(name);
    return {
      name,
      regex: new RegExp(
        `(?:^|[\\s,(;])${n}\\s*(?::[^=]*)?=(?!=)|['"]${n}['"]\\s*:`
      )
    };
  });
  const found = new Map<number, string[]>();
  lines.forEach((line, i) => {
    const code = line.replace(/#.*$/, '');
    const set = patterns.filter(p => p.regex.test(code)).map(p => p.name);
    if (set.length > 0) {
      found.set(i, set);
    }
  });
  return found;
}

/** A piece of highlighted code: its text and the CSS classes of its token ('' for plain). */
export interface IToken {
  text: string;
  className: string;
}

/**
 * Highlighted pieces of a whole cell, split into one token list a line (a token that spans
 * lines, like a docstring, is cut at each line end).
 */
export function splitTokens(pieces: readonly IToken[]): IToken[][] {
  const lines: IToken[][] = [[]];
  for (const piece of pieces) {
    const parts = piece.text.replace(/\r\n?/g, '\n').split('\n');
    parts.forEach((text, i) => {
      if (i > 0) {
        lines.push([]);
      }
      if (text) {
        lines[lines.length - 1].push({ text, className: piece.className });
      }
    });
  }
  return lines;
}

/** Highlights a cell's code: one token list a line. */
export type Highlighter = (code: string) => Promise<IToken[][]>;
