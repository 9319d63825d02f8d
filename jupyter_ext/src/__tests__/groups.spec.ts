import { groupItems, NONE_GROUP } from '../groups';
import { makeRun } from './fakes';

const runs = [
  makeRun(5, { hypothesis_id: null }),
  makeRun(4, { hypothesis_id: 2 }),
  makeRun(3, { hypothesis_id: 1 }),
  makeRun(2, { hypothesis_id: 2 })
];

describe('group rows', () => {
  it('orders hypotheses by id with (none) last, each group in table order', () => {
    const items = groupItems(runs, 'hypothesis', new Set());
    expect(
      items.map(item =>
        item.kind === 'group' ? `[${item.key}:${item.count}]` : item.run.number
      )
    ).toEqual(['[1:1]', 3, '[2:2]', 4, 2, '[:1]', 5]);
  });

  it('leaves out the runs of collapsed groups but keeps their counts', () => {
    const items = groupItems(runs, 'hypothesis', new Set([NONE_GROUP, '2']));
    const groups = items.filter(item => item.kind === 'group');
    expect(groups.map(g => g.kind === 'group' && g.expanded)).toEqual([
      true,
      false,
      false
    ]);
    expect(items.filter(item => item.kind === 'run')).toHaveLength(1);
  });

  it('lists runs alone without grouping', () => {
    expect(groupItems(runs, 'none', new Set())).toHaveLength(4);
  });
});
