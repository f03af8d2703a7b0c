/**
 * Number and text formatting shared by the HTML report, summary.md and the
 * terminal summary. Every function accepts null, NaN and ±Infinity, because
 * results.json stores non-finite numbers as null and a blown-up run is a
 * finding to show, not a reason to crash.
 */
import { fmt, type MaybeNumber } from '../i18n/number.js';
import { say } from '../i18n/catalogue.js';
import type { Lang } from '../i18n/lang.js';

export { fmt, type MaybeNumber } from '../i18n/number.js';

/** True for a finite number (narrows away null and undefined). */
export function isNum(x: MaybeNumber): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** An integer count with thousands separators (`1000` → `1,000`); other values as `fmt`. */
export function fmtInt(n: MaybeNumber): string {
  if (!isNum(n) || !Number.isInteger(n)) return fmt(n);
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A fraction as a percentage with one decimal (`0.9648` → `96.5 %`); '—' when missing. */
export function fmtPct(x: MaybeNumber): string {
  return isNum(x) ? `${(100 * x).toFixed(1)} %` : '—';
}

/** log10 of a positive number with one decimal (`0.00123` → `-2.9`); '—' otherwise. */
export function fmtLog10(x: MaybeNumber): string {
  if (x === Infinity) return '∞';
  if (!isNum(x) || x <= 0) return '—';
  const v = Math.log10(x);
  return (Math.abs(v) < 0.05 ? 0 : v).toFixed(1);
}

/** Seconds with sensible precision (`0.43 s`, `12.3 s`, `1 m 05 s`). */
export function fmtSeconds(s: MaybeNumber): string {
  if (!isNum(s)) return '—';
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} m ${String(Math.round(s - 60 * m)).padStart(2, '0')} s`;
}

/** A layer-size list in Nielsen's notation: `[784,30,30,10]`. */
export function fmtArch(arch: readonly number[]): string {
  return `[${arch.join(',')}]`;
}

/** The ISO timestamp of a run as `2025-01-31 14:05 UTC` (unchanged if it does not parse). */
export function fmtDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

export { esc } from '../i18n/message.js';

/** The smallest index of the minimum of the finite values, or -1 when there is none. */
export function argminFinite(xs: readonly MaybeNumber[]): number {
  let best = -1;
  xs.forEach((v, i) => {
    if (isNum(v) && (best < 0 || v < (xs[best] as number))) best = i;
  });
  return best;
}

/** The last finite value of a series, or null. */
export function lastFinite(xs: readonly MaybeNumber[]): number | null {
  for (let i = xs.length - 1; i >= 0; i--) {
    const v = xs[i];
    if (isNum(v)) return v;
  }
  return null;
}

/** An English list: `a`, `a and b`, `a, b and c`. */
export function listJoin(items: readonly (string | number)[]): string {
  const xs = items.map(String);
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** A scalar over seeds as "median [lo–hi]" (the band alone when it collapses to one value). */
export function fmtBand(s: { readonly median: MaybeNumber; readonly lo: MaybeNumber; readonly hi: MaybeNumber } | null | undefined, f: (x: MaybeNumber) => string = fmt): string {
  if (!s) return '—';
  return s.lo === s.hi || !isNum(s.lo) || !isNum(s.hi) ? f(s.median) : `${f(s.median)} [${f(s.lo)}–${f(s.hi)}]`;
}

/** What the band of `n` seeds is, in `lang`: the 5–95 % quantiles from 20 seeds, else min–max (as the study computes it). */
export function bandName(n: MaybeNumber, lang: Lang = 'en'): string {
  return isNum(n) && n >= 20 ? '5–95 %' : say(lang, 'rep.band.minmax');
}

/** One-letter verdict for grids: V vanishing, E exploding, D dead, S saturated, C collapsed, ok healthy. */
export function verdictLetter(kind: string | null | undefined): string {
  switch (kind) {
    case 'collapsed':
      return 'C';
    case 'vanishing':
      return 'V';
    case 'exploding':
      return 'E';
    case 'dead':
      return 'D';
    case 'saturated':
      return 'S';
    case 'collapsed':
      return 'C';
    case 'healthy':
      return 'ok';
    default:
      return '?';
  }
}
