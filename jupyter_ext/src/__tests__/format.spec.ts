import {
  formatDuration,
  formatNumber,
  formatSigned,
  formatValue,
  runLabel,
  toNumber
} from '../format';

describe('format', () => {
  it.each([
    [null, '—'],
    [0.91234, '0.9123'],
    [12345, '12,345'],
    [1.5e-5, '1.50e-5'],
    [NaN, 'NaN'],
    [-Infinity, '−∞']
  ])('formatNumber(%p) is %p', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it.each([
    [0.42, '0.4s'],
    [42, '42.0s'],
    [125, '2m05s'],
    [245.9, '4m05s'],
    [3720, '1h02m'],
    [null, '—']
  ])('formatDuration(%p) is %p', (value, text) => {
    expect(formatDuration(value)).toBe(text);
  });

  it('writes values, signs and labels as plain text', () => {
    expect(formatValue('<img src=x>')).toBe('<img src=x>');
    expect(formatValue([1, 'a'])).toBe('[1,"a"]');
    expect(formatValue(true)).toBe('true');
    expect(formatSigned(0.5)).toBe('+0.5');
    expect(runLabel({ number: 3, name: null })).toBe('#3');
    expect(toNumber('-inf')).toBe(-Infinity);
  });
});
