/**
 * Parsing of repeated `--param k=v` options into a record of numbers.
 */
import { UsageError } from './io.js';

/** Collects repeated --param values (commander reducer). */
export function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** Parses ["negative_slope=0.2", "alpha=1"] into { negative_slope: 0.2, alpha: 1 }. */
export function parseParams(list: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(item);
    if (!m) throw new UsageError(`--param must look like name=value (e.g. negative_slope=0.2); got '${item}'`);
    const v = Number(m[2]);
    if (!Number.isFinite(v)) throw new UsageError(`--param ${m[1]} must be a finite number; got '${m[2]}'`);
    out[m[1]] = v;
  }
  return out;
}
