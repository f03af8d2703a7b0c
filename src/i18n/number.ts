/**
 * Numbers and lists as gradscope writes them to a person, in either
 * language. Digits are the same in both (Taiwan writes 1,000 and 0.25 as
 * English does); what changes is how a list is joined and how a percentage is
 * spaced. Every function accepts null, NaN and ±Infinity: a run that blew up
 * is a finding to show, not a reason to crash.
 */
import type { Lang } from './lang.js';

/** A number that may have been non-finite before JSON turned it into null. */
export type MaybeNumber = number | null | undefined;

/**
 * 3 significant digits; exponent form (`1.23e-5`, `9.09e27`) below 1e-3 or at
 * 1e5 and above; '—' for null/undefined/NaN; '∞' / '−∞' for infinities.
 */
export function fmt(x: MaybeNumber, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return Number(x.toPrecision(digits)).toString();
  // 1.20e-5 → 1.2e-5, 9.09e+27 → 9.09e27
  const [m, e] = x.toExponential(digits - 1).split('e');
  return `${Number(m).toString()}e${Number(e)}`;
}

/** A list in `lang`: `a, b and c` in English, `a、b 與 c` in Chinese. */
export function listIn(lang: Lang, items: readonly (string | number)[]): string {
  const xs = items.map(String);
  if (xs.length <= 1) return xs[0] ?? '';
  const head = xs.slice(0, -1).join(lang === 'en' ? ', ' : '、');
  return lang === 'en' ? `${head} and ${xs[xs.length - 1]}` : `${head} 與 ${xs[xs.length - 1]}`;
}
