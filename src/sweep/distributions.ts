/**
 * The distributions of a sweep's random search, written as one-key objects:
 * {"choice": [..]}, {"uniform": [lo, hi]}, {"logUniform": [lo, hi]} and
 * {"int": [lo, hi]} (inclusive), drawn from the sweep's seeded generator.
 * Continuous draws are rounded to 6 significant digits so ids, CSV columns
 * and report labels stay readable.
 */
import { ValueError } from '../errors.js';
import { msg, phrase } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import type { Rng } from '../tensor/rng.js';

/** A parsed distribution. */
export type Distribution =
  | { readonly kind: 'choice'; readonly values: readonly unknown[] }
  | { readonly kind: 'uniform' | 'logUniform' | 'int'; readonly lo: number; readonly hi: number };

/** The distribution names, as written in a sweep file. */
export const DISTRIBUTION_KINDS = ['choice', 'uniform', 'logUniform', 'int'] as const;

/** A ValueError of `value` whose clause is the catalogue message `said`. */
function refuse(value: unknown, said: Msg): ValueError {
  return new ValueError(value, phrase('en', said), false, said);
}

/** Parses one distribution object; throws a ValueError saying what is wrong and what was given. */
export function parseDistribution(v: unknown): Distribution {
  const oneOf = msg('err.oneOf', { list: '{"choice": [..]}, {"uniform": [lo, hi]}, {"logUniform": [lo, hi]}, {"int": [lo, hi]}' });
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw refuse(v, oneOf);
  const keys = Object.keys(v);
  if (keys.length !== 1 || !(DISTRIBUTION_KINDS as readonly string[]).includes(keys[0])) throw refuse(v, oneOf);
  const kind = keys[0] as (typeof DISTRIBUTION_KINDS)[number];
  const arg = (v as Record<string, unknown>)[kind];
  if (kind === 'choice') {
    if (!Array.isArray(arg) || arg.length === 0) throw refuse(arg, msg('err.dist.choice', { kind }));
    return { kind, values: arg };
  }
  if (!Array.isArray(arg) || arg.length !== 2 || arg.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw refuse(arg, msg('err.dist.bounds', { kind, form: '[lo, hi]' }));
  }
  const [lo, hi] = arg as [number, number];
  if (lo > hi) throw refuse(arg, msg('err.dist.order', { kind, cmp: 'lo ≤ hi' }));
  if (kind === 'logUniform' && lo <= 0) throw refuse(arg, msg('err.dist.order', { kind, cmp: '0 < lo ≤ hi' }));
  if (kind === 'int' && (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi))) throw refuse(arg, msg('err.dist.int', { kind }));
  return { kind, lo, hi };
}

/** 6 significant digits. */
function round6(x: number): number {
  return Number(x.toPrecision(6));
}

/** `x` kept inside [lo, hi] (rounding may step just outside). */
function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Draws one value of `d` from `rng`. */
export function drawValue(d: Distribution, rng: Rng): unknown {
  switch (d.kind) {
    case 'choice':
      return structuredClone(d.values[rng.int(d.values.length)]);
    case 'uniform':
      return clamp(round6(rng.uniformIn(d.lo, d.hi)), d.lo, d.hi);
    case 'logUniform':
      return clamp(round6(Math.exp(rng.uniformIn(Math.log(d.lo), Math.log(d.hi)))), d.lo, d.hi);
    case 'int':
      return d.lo + rng.int(d.hi - d.lo + 1);
  }
}
