/**
 * Small statistics over seeds: median and range per position.
 */
import type { ScalarStats, SeedStats } from './types.js';

/** Median of a list (mean of the two middle values for even lengths). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median, min and max of a scalar over seeds. */
export function scalarStats(xs: readonly number[]): ScalarStats {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** Per-position median, min and max over rows (one row per seed). */
export function seedStats(rows: readonly (readonly number[])[]): SeedStats {
  const n = rows[0]?.length ?? 0;
  const col = (i: number) => rows.map((r) => r[i]);
  return {
    median: Array.from({ length: n }, (_, i) => median(col(i))),
    min: Array.from({ length: n }, (_, i) => Math.min(...col(i))),
    max: Array.from({ length: n }, (_, i) => Math.max(...col(i))),
  };
}
