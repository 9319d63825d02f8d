import {
  diffLines,
  paramLines,
  splitCode,
  splitTokens,
  unifiedHunks
} from '../diff';

const kinds = (a: string[], b: string[]): string[] =>
  diffLines(a, b).map(l => `${l.kind[0]} ${l.text}`);

describe('diffLines', () => {
  it('keeps common lines and lists removed before added ones', () => {
    expect(
      kinds(['a', 'lr = 0.1', 'fit()'], ['a', 'lr = 0.2', 'fit()'])
    ).toEqual(['s a', 'd lr = 0.1', 'a lr = 0.2', 's fit()']);
  });

  it('numbers lines in both codes', () => {
    const lines = diffLines(['x', 'y'], ['w', 'x', 'y']);
    expect(lines.map(l => [l.oldNo, l.newNo])).toEqual([
      [null, 1],
      [1, 2],
      [2, 3]
    ]);
  });

  it('finds lines moved apart by insertions', () => {
    expect(kinds(['a', 'b', 'c'], ['a', 'x', 'b', 'c', 'y'])).toEqual([
      's a',
      'a x',
      's b',
      's c',
      'a y'
    ]);
  });
});

describe('unifiedHunks', () => {
  const base = Array.from({ length: 20 }, (_, i) => `line ${i}`);

  it('shows changes with three lines of context and a header', () => {
    const other = [...base];
    other[10] = 'changed';
    const [hunk, ...rest] = unifiedHunks(diffLines(base, other));
    expect(rest).toHaveLength(0);
    expect(hunk.header).toBe('@@ -8,7 +8,7 @@');
    expect(hunk.lines).toHaveLength(8);
  });

  it('makes one hunk a distant change, none without changes', () => {
    const other = [...base];
    other[1] = 'first';
    other[18] = 'last';
    expect(unifiedHunks(diffLines(base, other))).toHaveLength(2);
    expect(unifiedHunks(diffLines(base, base))).toEqual([]);
  });
});

describe('paramLines', () => {
  it('finds assignments, keyword arguments and dict keys, not uses or comments', () => {
    const code = splitCode(
      "lr = 0.1\nfit(lr)\nmodel(width=64)\nparams = {'seed': 3}\n# lr = 9\nif lr == 2: pass"
    );
    const found = paramLines(code, ['lr', 'width', 'seed']);
    expect([...found.entries()]).toEqual([
      [0, ['lr']],
      [2, ['width']],
      [3, ['seed']]
    ]);
  });

  it('escapes names', () => {
    expect(paramLines(['a.b = 1', 'axb = 2'], ['a.b']).size).toBe(1);
  });
});

describe('splitTokens', () => {
  it('cuts tokens at line ends, keeping their classes', () => {
    const lines = splitTokens([
      { text: 'x', className: 'v' },
      { text: ' = ', className: '' },
      { text: '"""a\nb"""', className: 's' },
      { text: '\ny', className: '' }
    ]);
    expect(lines).toEqual([
      [
        { text: 'x', className: 'v' },
        { text: ' = ', className: '' },
        { text: '"""a', className: 's' }
      ],
      [{ text: 'b"""', className: 's' }],
      [{ text: 'y', className: '' }]
    ]);
  });
});
