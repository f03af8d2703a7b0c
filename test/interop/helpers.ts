// Shared by the interop tests: reading fixtures and comparing gradients with a stated tolerance.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, type FileReader } from '../../src/interop/load.js';
import type { LoadedModel } from '../../src/interop/names.js';
import type { DType } from '../../src/tensor/dtype.js';

/** The fixtures' root. */
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'interop');

/** Reads files from disk (the tests' stand-in for the CLI's capped readers). */
export const diskReader: FileReader = { bytes: (p) => readFileSync(p) };

/** Loads a fixture model. */
export function loadFixture(path: string, dtype: DType = 'float64'): LoadedModel {
  return loadModel(path, diskReader, dtype);
}

/** Reads a JSON fixture file. */
export function json<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** max |a − e| / max |e| over a tensor: the error relative to the tensor's scale. */
export function relError(a: ArrayLike<number>, e: ArrayLike<number>): number {
  if (a.length !== e.length) return Infinity;
  let d = 0;
  let m = 0;
  for (let i = 0; i < e.length; i++) {
    d = Math.max(d, Math.abs(a[i] - e[i]));
    m = Math.max(m, Math.abs(e[i]));
  }
  return m === 0 ? d : d / m;
}

/** Flattens nested arrays of numbers. */
export function flat(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v as number];
}

/** Transposes a row-major R×C matrix. */
export function transpose(a: ArrayLike<number>, R: number, C: number): number[] {
  const out = new Array<number>(R * C);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[c * R + r] = a[r * C + c];
  return out;
}
