/**
 * Numbers as the study's sentences write them (claims, conclusions): three
 * significant digits, exponent form outside [1e-3, 1e4), percentages with
 * one decimal, 'n/a' for a missing or non-finite value.
 */

/** A number with 3 significant digits ('0' for zero, 'n/a' when missing). */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? Number(x.toPrecision(3)).toString() : x.toExponential(2);
}

/** A fraction as a percentage with one decimal. */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : 'n/a';
}
