// Statistics over seeds against hand-computed values: quantile bands, the
// min–max band for few seeds, non-finite values counted apart, the exact sign
// test against the binomial distribution, and when a paired comparison may
// say "A beats B".
import { describe, expect, it } from 'vitest';
import { bandKind, paired, quantile, scalarStats, seedStats, signTestP } from './stats.js';

describe('scalarStats', () => {
  it('uses min–max below 20 seeds and the 5–95 % quantiles from 20 on', () => {
    const few = scalarStats([3, 1, 2, 5, 4]);
    expect(few).toEqual({ median: 3, min: 1, max: 5, lo: 1, hi: 5, n: 5, nonFinite: 0 });
    expect(bandKind(19)).toBe('min–max');
    // 0, 1, …, 100: the 5 % and 95 % quantiles are 5 and 95 exactly
    const many = scalarStats(Array.from({ length: 101 }, (_, i) => 100 - i));
    expect([many.median, many.lo, many.hi, many.min, many.max]).toEqual([50, 5, 95, 0, 100]);
    expect(bandKind(20)).toBe('5–95 %');
  });

  it('interpolates quantiles linearly between order statistics', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('leaves non-finite values out and counts them', () => {
    const s = scalarStats([1, NaN, 3, Infinity]);
    expect(s).toMatchObject({ median: 2, n: 2, nonFinite: 2 });
    expect(scalarStats([NaN]).median).toBeNaN();
  });

  it('per position over rows', () => {
    const s = seedStats([[1, 10], [3, 30], [2, 20]]);
    expect(s.median).toEqual([2, 20]);
    expect(s.lo).toEqual([1, 10]);
    expect(s.hi).toEqual([3, 30]);
    expect(s.seeds).toBe(3);
  });
});

describe('signTestP', () => {
  /** Two-sided binomial tail by direct summation of C(n, k)/2ⁿ: the independent reference. */
  function reference(w: number, l: number): number {
    const n = w + l;
    const k = Math.min(w, l);
    let c = 1;
    let sum = 0;
    for (let i = 0; i <= k; i++) {
      if (i > 0) c = (c * (n - i + 1)) / i;
      sum += c;
    }
    return Math.min(1, (2 * sum) / 2 ** n);
  }

  it('5 of 5 seeds one way is p = 2/32; an even split is 1; agrees with the binomial sum', () => {
    expect(signTestP(5, 0)).toBeCloseTo(0.0625, 15);
    expect(signTestP(0, 5)).toBeCloseTo(0.0625, 15);
    expect(signTestP(3, 3)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
    let worst = 0;
    for (let w = 0; w <= 30; w++) for (let l = 0; l <= 30; l++) worst = Math.max(worst, Math.abs(signTestP(w, l) - reference(w, l)));
    expect(worst, `largest difference ${worst}`).toBeLessThan(1e-12);
  });
});

describe('paired', () => {
  it('separates two settings only when every seed agrees (few seeds)', () => {
    const a = [0.9, 0.91, 0.92, 0.9, 0.95];
    const b = [0.8, 0.85, 0.9, 0.89, 0.9];
    const p = paired(a, b);
    expect(p).toMatchObject({ n: 5, wins: 5, losses: 0, ties: 0, separated: true });
    expect(p.lo).toBeCloseTo(0.01, 12);
    expect(p.median).toBeCloseTo(0.05, 12);
    // one seed the other way: indistinguishable, however large the median
    const q = paired([0.9, 0.91, 0.92, 0.9, 0.5], b);
    expect(q.separated).toBe(false);
    expect(q.wins).toBe(4);
    expect(q.losses).toBe(1);
  });

  it('a tie on a seed is no separation; pairs with a non-finite member are left out and counted', () => {
    expect(paired([1, 2], [0, 2]).separated).toBe(false);
    const p = paired([1, NaN, 3], [0, 1, 2]);
    expect(p).toMatchObject({ n: 2, left: 1, wins: 2, separated: true });
    expect(() => paired([1], [1, 2])).toThrow('paired: a has 1 seeds but b has 2');
  });

  it('with many seeds, the 5–95 % band decides: a few seeds the other way do not hide a clear difference', () => {
    const a = Array.from({ length: 100 }, (_, i) => (i < 3 ? -1 : 1));
    const p = paired(a, Array(100).fill(0));
    expect(p.separated).toBe(true);
    expect(p.losses).toBe(3);
  });
});
