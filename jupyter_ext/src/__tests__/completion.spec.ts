import {
  acceptCompletion,
  completeFilter,
  IFilterVocabulary
} from '../completion';

const vocabulary: IFilterVocabulary = {
  params: ['lr', 'my param'],
  metrics: ['acc', 'val_acc'],
  tags: ['stage'],
  hypotheses: [
    { id: 1, statement: 'Scaling helps' },
    { id: 12, statement: 'Dropout helps' }
  ]
};

function labels(text: string): string[] {
  return (
    completeFilter(text, text.length, vocabulary)?.items.map(i => i.label) ?? []
  );
}

describe('filter completion', () => {
  it('completes field names from the store where a field may start', () => {
    expect(labels('metrics.')).toEqual(['metrics.acc', 'metrics.val_acc']);
    expect(labels('acc')).toEqual(['metrics.acc', 'metrics.val_acc']);
    expect(labels("status = 'failed' and par")).toEqual([
      'params.lr',
      'params.my param',
      'parent'
    ]);
    expect(labels('metrics.acc > 0.9 an')).toEqual([]);
  });

  it('offers hypothesis ids as the panel writes them', () => {
    const result = completeFilter('hypothesis = ', 13, vocabulary);
    expect(result?.items.map(i => [i.text, i.detail])).toEqual([
      ["'H1'", 'Scaling helps'],
      ["'H12'", 'Dropout helps']
    ]);
    expect(labels("hypothesis IN ('H1', 'H1")).toEqual(["'H1'", "'H12'"]);
    expect(labels("status = 'fa")).toEqual(["'failed'"]);
  });

  it('quotes names the language cannot read bare, and leaves the caret after', () => {
    const text = 'params.my';
    const result = completeFilter(text, text.length, vocabulary)!;
    const item = result.items.find(i => i.label === 'params.my param')!;
    expect(acceptCompletion(text, result, item)).toEqual({
      text: 'params.`my param` ',
      caret: 18
    });
  });
});
