/**
 * Parsing of repeated `--param k=v` options into a record of numbers.
 */
import { msg } from '../i18n/catalogue.js';
import { flagUsage } from './io.js';

/** Collects repeated --param values (commander reducer). */
export function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** Parses ["negative_slope=0.2", "alpha=1"] into { negative_slope: 0.2, alpha: 1 }. */
export function parseParams(list: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(item);
    if (!m) throw flagUsage('--param', msg('err.gotTyped', { clause: msg('err.param.form', { form: 'name=value', example: 'negative_slope=0.2' }), value: item }));
    const v = Number(m[2]);
    if (!Number.isFinite(v)) throw flagUsage(`--param ${m[1]}`, msg('err.gotTyped', { clause: msg('err.type.finite'), value: m[2] }));
    out[m[1]] = v;
  }
  return out;
}
