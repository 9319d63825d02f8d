/**
 * Completion for the filter box: field names from the store (params, metrics, tags, attributes)
 * where a field may start, hypothesis ids after `hypothesis =`, and statuses after `status =`.
 * Pure: the FilterBox calls it with the text and the caret.
 */

/** One suggestion: `text` replaces the word being typed; `label` and `detail` are shown. */
export interface ICompletion {
  text: string;
  label: string;
  detail: string;
}

/** Suggestions for the text between `start` and `end`. */
export interface ICompletionResult {
  start: number;
  end: number;
  items: ICompletion[];
}

/** What completion knows about the store. */
export interface IFilterVocabulary {
  params: readonly string[];
  metrics: readonly string[];
  tags: readonly string[];
  hypotheses: readonly { id: number; statement: string }[];
}

/** The attributes the filter language knows (src/labtrack/store/filters.py). */
export const FILTER_ATTRIBUTES: readonly string[] = [
  'status',
  'name',
  'number',
  'experiment',
  'hypothesis',
  'start_time',
  'end_time',
  'duration',
  'notebook',
  'uuid',
  'parent'
];

const STATUSES = ['finished', 'running', 'failed', 'interrupted', 'crashed'];

/** At most this many suggestions are offered. */
export const MAX_COMPLETIONS = 12;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

/** A name as the filter language reads it: bare when it can be, else in backticks. */
export function quoteName(name: string): string {
  return IDENTIFIER.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

function fieldCandidates(vocabulary: IFilterVocabulary): ICompletion[] {
  const of = (prefix: string, names: readonly string[], detail: string) =>
    names.map(name => ({
      text: `${prefix}.${quoteName(name)}`,
      label: `${prefix}.${name}`,
      detail
    }));
  return [
    ...of('metrics', vocabulary.metrics, 'metric'),
    ...of('params', vocabulary.params, 'param'),
    ...of('tags', vocabulary.tags, 'tag'),
    ...FILTER_ATTRIBUTES.map(name => ({
      text: name,
      label: name,
      detail: 'attribute'
    }))
  ];
}

/** Prefix matches first, then matches of the name part (after the dot) anywhere. */
function rank(items: ICompletion[], typed: string): ICompletion[] {
  const needle = typed.toLowerCase().replace(/`/g, '');
  const first: ICompletion[] = [];
  const then: ICompletion[] = [];
  for (const item of items) {
    const label = item.label.toLowerCase();
    if (label.startsWith(needle)) {
      first.push(item);
    } else if (needle && label.slice(label.indexOf('.') + 1).includes(needle)) {
      then.push(item);
    }
  }
  return [...first, ...then].slice(0, MAX_COMPLETIONS);
}

/**
 * What to offer at `caret` in `text`, or null for nothing.
 *
 * @example
 * completeFilter('metrics.ac', 10, vocabulary); // {start: 0, end: 10, items: [metrics.acc…]}
 */
export function completeFilter(
  text: string,
  caret: number,
  vocabulary: IFilterVocabulary
): ICompletionResult | null {
  const before = text.slice(0, caret);
  // After `hypothesis =`, `hypothesis IN (…,`: the hypothesis ids, as 'H3'.
  const value =
    /\b(hypothesis|hypothesis_id|status)\s*(?:=|!=|<>|\bin\s*\((?:[^)]*,)?)\s*('?[\w]*)$/i.exec(
      before
    );
  if (value) {
    const typed = value[2];
    const start = caret - typed.length;
    const items =
      value[1].toLowerCase() === 'status'
        ? STATUSES.map(status => ({
            text: `'${status}'`,
            label: `'${status}'`,
            detail: 'status'
          }))
        : vocabulary.hypotheses.map(h => ({
            text: `'H${h.id}'`,
            label: `'H${h.id}'`,
            detail: h.statement
          }));
    const needle = typed.replace(/^'/, '').toLowerCase();
    const matching = items
      .filter(item => item.label.slice(1).toLowerCase().startsWith(needle))
      .slice(0, MAX_COMPLETIONS);
    return matching.length > 0 ? { start, end: caret, items: matching } : null;
  }
  // A field starts at the beginning, after '(' or after AND / OR / NOT.
  const word = /([A-Za-z_][\w.]*(?:`[^`]*)?)$/.exec(before);
  const typed = word ? word[1] : '';
  if (!typed) {
    return null;
  }
  const start = caret - typed.length;
  const head = before.slice(0, start).trimEnd();
  if (head !== '' && !/(\(|\b(and|or|not))$/i.test(head)) {
    return null;
  }
  // Stop offering once the word is a complete field followed by nothing more to add.
  const items = rank(fieldCandidates(vocabulary), typed);
  if (items.length === 1 && items[0].text === typed) {
    return null;
  }
  return items.length > 0 ? { start, end: caret, items } : null;
}

/** The text and caret after accepting `item`. */
export function acceptCompletion(
  text: string,
  result: ICompletionResult,
  item: ICompletion
): { text: string; caret: number } {
  const inserted =
    item.detail === 'status' || item.label.startsWith("'")
      ? item.text
      : `${item.text} `;
  return {
    text: text.slice(0, result.start) + inserted + text.slice(result.end),
    caret: result.start + inserted.length
  };
}
