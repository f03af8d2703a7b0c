/**
 * Statistics over seeds: the median and a band per quantity — the 5–95 %
 * quantiles when there are at least 20 seeds, the min–max range below that
 * (too few draws for tail quantiles) — and paired comparisons: two settings
 * measured on the same seeds compared seed by seed, with a sign test.
 */

/**
 * Median, range and band over seeds, per layer. The band (lo, hi) is the
 * 5–95 % quantiles with at least 20 seeds, else min–max (see stats.ts).
 */
export interface SeedStats {
  readonly median: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly seeds: number;
}

/** Median, range and band (5–95 % with ≥ 20 values, else min–max) of one scalar over seeds; non-finite values counted apart. */
export interface ScalarStats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly lo: number;
  readonly hi: number;
  /** Finite values the numbers are over. */
  readonly n: number;
  /** Values left out because they were not finite (a run that blew up). */
  readonly nonFinite: number;
}

/** Two settings compared seed by seed: the differences a − b, their band, and the sign test. */
export interface Paired {
  /** Seeds compared (both finite), and seeds left out. */
  readonly n: number;
  readonly left: number;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
  /** Median and band of a − b. */
  readonly median: number;
  readonly lo: number;
  readonly hi: number;
  /** The band of the differences excludes 0: the seeds separate a from b. */
  readonly separated: boolean;
  /** Two-sided exact sign test. */
  readonly p: number;
}

/** Seeds from which the band is the 5–95 % quantiles instead of min–max. */
export const QUANTILE_BAND_FROM = 20;

/** Median of a list (mean of the two middle values for even lengths); NaN for an empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The q-quantile of a sorted list, linearly interpolated between order statistics. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** What the band of `n` values is: '5–95 %' for at least 20 values, else 'min–max'. */
export function bandKind(n: number): '5–95 %' | 'min–max' {
  return n >= QUANTILE_BAND_FROM ? '5–95 %' : 'min–max';
}

/**
 * Median, range and band of a scalar over seeds. Non-finite values (a run
 * that blew up) are left out of the numbers and counted in `nonFinite`.
 */
export function scalarStats(xs: readonly number[]): ScalarStats {
  const f = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const n = f.length;
  const quant = n >= QUANTILE_BAND_FROM;
  return {
    median: median(f),
    min: n ? f[0] : NaN,
    max: n ? f[n - 1] : NaN,
    lo: n ? (quant ? quantile(f, 0.05) : f[0]) : NaN,
    hi: n ? (quant ? quantile(f, 0.95) : f[n - 1]) : NaN,
    n,
    nonFinite: xs.length - n,
  };
}

/** Per-position median, range and band over rows (one row per seed). */
export function seedStats(rows: readonly (readonly number[])[]): SeedStats {
  const n = rows[0]?.length ?? 0;
  const cols = Array.from({ length: n }, (_, i) => scalarStats(rows.map((r) => r[i])));
  return {
    median: cols.map((c) => c.median),
    min: cols.map((c) => c.min),
    max: cols.map((c) => c.max),
    lo: cols.map((c) => c.lo),
    hi: cols.map((c) => c.hi),
    seeds: rows.length,
  };
}

/** The fraction of `xs` for which `pred` holds. */
export function fraction<T>(xs: readonly T[], pred: (x: T) => boolean): number {
  return xs.length ? xs.filter(pred).length / xs.length : NaN;
}

/** Two-sided exact sign test: the probability of a split at least this uneven when each seed is a fair coin. */
export function signTestP(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const k = Math.min(wins, losses);
  // P(X ≤ k) for X ~ Binomial(n, 1/2), doubled
  let term = Math.pow(0.5, n);
  let cdf = term;
  for (let i = 1; i <= k; i++) {
    term *= (n - i + 1) / i;
    cdf += term;
  }
  return Math.min(1, 2 * cdf);
}

/**
 * Compares a and b measured on the same seeds (a[i], b[i] from seed i): the
 * differences a − b, their median and band, wins/losses/ties, and the sign
 * test. `separated` is true when the band of the differences excludes 0 —
 * every difference on one side for few seeds, 90 % of them for many — which
 * is when "a beats b" may be said; otherwise they are indistinguishable at
 * this budget. A pair with a non-finite member is left out (counted).
 */
export function paired(a: readonly number[], b: readonly number[]): Paired {
  if (a.length !== b.length) throw new RangeError(`paired: a has ${a.length} seeds but b has ${b.length}`);
  const d: number[] = [];
  a.forEach((x, i) => {
    if (Number.isFinite(x) && Number.isFinite(b[i])) d.push(x - b[i]);
  });
  const s = scalarStats(d);
  const wins = d.filter((x) => x > 0).length;
  const losses = d.filter((x) => x < 0).length;
  return {
    n: d.length,
    left: a.length - d.length,
    wins,
    losses,
    ties: d.length - wins - losses,
    median: s.median,
    lo: s.lo,
    hi: s.hi,
    separated: d.length > 0 && (s.lo > 0 || s.hi < 0),
    p: signTestP(wins, losses),
  };
}
