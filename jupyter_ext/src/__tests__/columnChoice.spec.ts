import {
  columnOffer,
  defaultColumns,
  parseColumnId,
  savedColumns,
  toggleColumn
} from '../columnChoice';
import { IMetricDefinition } from '../tokens';
import { makeRun } from './fakes';

const max: IMetricDefinition = { goal: 'max', target: null, summary: 'last' };
const TAIL = [
  'attributes.hypothesis',
  'attributes.start_time',
  'attributes.duration'
];

describe('default columns', () => {
  it('puts defined metrics first, then the metrics the shown runs have', () => {
    const runs = [
      makeRun(1, { metrics: { loss: 0.3, acc: 0.9 } }),
      makeRun(2, { metrics: { loss: 0.2, f1: 0.5 } })
    ];
    const columns = defaultColumns(runs, { acc: max });
    expect(columns.slice(0, 3)).toEqual([
      'metrics.acc',
      'metrics.loss',
      'metrics.f1'
    ]);
  });

  it('leaves out metrics that only hidden runs have', () => {
    const shown = [makeRun(1, { metrics: { train_error: 0.1 } })];
    expect(defaultColumns(shown, {})).not.toContain('metrics.loss');
    expect(defaultColumns(shown, {})).toContain('metrics.train_error');
  });

  it('adds the params that differ among the shown runs, not the equal ones', () => {
    const runs = [
      makeRun(1, { params: { lr: 0.1, seed: 0, model: 'rf' } }),
      makeRun(2, { params: { lr: 0.2, seed: 0, model: 'rf' } }),
      makeRun(3, { params: { lr: 0.2, seed: 0, model: 'rf', depth: 3 } })
    ];
    const columns = defaultColumns(runs, {});
    expect(columns.filter(c => c.startsWith('params.'))).toEqual([
      'params.lr',
      'params.depth'
    ]);
    expect(columns.slice(-3)).toEqual(TAIL);
  });

  it('shows a defined metric even before any run logged it', () => {
    expect(defaultColumns([], { acc: max })).toEqual(['metrics.acc', ...TAIL]);
  });
});

describe('choosing columns', () => {
  it('adds a column after the others of its kind and removes it again', () => {
    const start = ['metrics.acc', 'params.lr', 'attributes.duration'];
    const added = toggleColumn(start, 'params.depth');
    expect(added).toEqual([
      'metrics.acc',
      'params.lr',
      'params.depth',
      'attributes.duration'
    ]);
    expect(toggleColumn(added, 'params.depth')).toEqual(start);
    expect(toggleColumn(start, 'metrics.f1')[1]).toBe('metrics.f1');
  });

  it('reads column ids with dotted names', () => {
    expect(parseColumnId('metrics.val.loss')).toEqual({
      kind: 'metrics',
      name: 'val.loss'
    });
    expect(parseColumnId('select')).toBeNull();
    expect(parseColumnId('colour.red')).toBeNull();
  });

  it('accepts a saved choice only when every entry is a column id', () => {
    expect(savedColumns(['params.lr', 'tags.stage'])).toEqual([
      'params.lr',
      'tags.stage'
    ]);
    expect(savedColumns(['params.lr', 3])).toBeNull();
    expect(savedColumns(undefined)).toBeNull();
  });

  it('offers defined metrics first and the tags of the known runs', () => {
    const runs = [makeRun(1, { tags: { stage: 'a' } }), makeRun(2)];
    const offer = columnOffer(['loss', 'acc'], ['lr'], { acc: max }, runs);
    expect(offer.metrics).toEqual(['acc', 'loss']);
    expect(offer.tags).toEqual(['stage']);
    expect(offer.attributes).toContain('duration');
  });
});
