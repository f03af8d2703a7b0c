/**
 * Terminal formatting helpers: numbers, log-scale bars, colours (off when
 * stdout is not a terminal or NO_COLOR is set).
 */
import pc from 'picocolors';
import stringWidth from 'string-width';

/**
 * `s` padded with spaces to `n` terminal columns on the right (`padEnd`) or
 * left (`padStart`): East Asian wide characters count two columns and colour
 * codes none, so a table in 繁體中文 lines up as one in English does.
 */
export function padEnd(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - stringWidth(s)));
}

/** `s` padded on the left to `n` terminal columns (see padEnd). */
export function padStart(s: string, n: number): string {
  return ' '.repeat(Math.max(0, n - stringWidth(s))) + s;
}

/** How many terminal columns `s` takes. */
export const width = stringWidth;

/**
 * Whether to colour: FORCE_COLOR asks for it, NO_COLOR and TERM=dumb refuse
 * it, and otherwise only a terminal gets it — picocolors alone also colours
 * a pipe whenever a CI variable is set, which puts escape codes into files.
 */
export function colourWanted(env: NodeJS.ProcessEnv = process.env, tty: boolean = process.stdout.isTTY === true): boolean {
  if ('NO_COLOR' in env) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return tty && env.TERM !== 'dumb';
}

/** Colour functions (see colourWanted). */
export const color = pc.createColors(colourWanted());

/** A number with 3 significant digits, in exponent form when very small or large. */
export function num(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? Number(x.toPrecision(digits)).toString() : x.toExponential(digits - 1);
}

/** A percentage with one decimal. */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '—';
}

/**
 * A bar whose length is log10(x) placed between log10(lo) and log10(hi):
 * equal steps on the bar are equal ratios of the gradient.
 */
export function logBar(x: number, lo: number, hi: number, width = 30): string {
  if (!(x > 0) || !Number.isFinite(x)) return x === 0 ? '' : '!'.repeat(width);
  const t = (Math.log10(x) - Math.log10(lo)) / Math.max(1e-12, Math.log10(hi) - Math.log10(lo));
  const n = Math.max(1, Math.round(Math.min(1, Math.max(0, t)) * width));
  return '█'.repeat(n);
}
