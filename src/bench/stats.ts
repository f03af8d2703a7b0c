/**
 * Summaries of repeated timings for `gradscope bench`: the median and the
 * range (min–max) of a list of throughputs, and the ratio of two medians.
 */

/** Median, minimum and maximum of a set of measurements. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** The median, min and max of `xs` (NaN for an empty list). */
export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) return { median: NaN, min: NaN, max: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

/** a / b of two medians (both "higher is better"), NaN when either is missing. */
export function ratio(a: Summary, b: Summary): number {
  return Number.isFinite(a.median) && Number.isFinite(b.median) && b.median > 0 ? a.median / b.median : NaN;
}
