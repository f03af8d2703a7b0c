/**
 * Tests of the report's number formatting.
 */
import { describe, expect, it } from 'vitest';
import { fmt, fmtLog10, fmtPct, verdictLetter } from './index.js';

describe('fmt', () => {
  it.each([
    [0.0657, '0.0657'],
    [0.30912, '0.309'],
    [4.7, '4.7'],
    [95.8, '95.8'],
    [12345, '12300'],
    [0.001, '0.001'],
    [0.000999, '9.99e-4'],
    [100000, '1e5'],
    [25 ** 20, '9.09e27'],
    [-1.234e-7, '-1.23e-7'],
    [0, '0'],
  ])('formats %s as %s', (x, s) => expect(fmt(x)).toBe(s));

  it('shows missing and non-finite values', () => {
    expect(fmt(null)).toBe('—');
    expect(fmt(undefined)).toBe('—');
    expect(fmt(NaN)).toBe('—');
    expect(fmt(Infinity)).toBe('∞');
    expect(fmt(-Infinity)).toBe('−∞');
  });

  it('formats percentages, log10 and verdict letters', () => {
    expect(fmtPct(0.9648)).toBe('96.5 %');
    expect(fmtPct(null)).toBe('—');
    expect(fmtLog10(6.12e-5)).toBe('-4.2');
    expect(fmtLog10(1.01)).toBe('0.0');
    expect(fmtLog10(0)).toBe('—');
    expect(fmtLog10(Infinity)).toBe('∞');
    expect(['vanishing', 'exploding', 'dead', 'saturated', 'healthy', 'x'].map(verdictLetter)).toEqual(['V', 'E', 'D', 'S', 'ok', '?']);
  });
});
