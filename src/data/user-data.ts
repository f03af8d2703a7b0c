/**
 * The user's own data as a Dataset: a CSV table (a header row, numeric
 * feature columns, one label column chosen by name or index) or NumPy .npy
 * arrays (inputs of any shape, flattened per example; labels as class
 * indices or one-hot rows). Parsing by csv-parse and npyjs; every problem is
 * one sentence naming the file, the row or column and the value. Pure.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseNpy, type NpyArray } from 'npyjs';
import { InputError } from '../errors.js';
import type { Dataset } from './types.js';

/** Most classes a Dataset holds (labels are bytes). */
const MAX_CLASSES = 256;

/** Class indices from labels that are integers 0 … K−1, or else from their sorted distinct texts. */
function classIndices(raw: readonly string[], where: (i: number) => string): { labels: Uint8Array; classes: number; names: string[] | null } {
  const ints = raw.every((s) => /^\s*\d+\s*$/.test(s));
  const labels = new Uint8Array(raw.length);
  if (ints) {
    let max = 0;
    raw.forEach((s, i) => {
      const v = Number(s);
      if (v >= MAX_CLASSES) throw new InputError(`${where(i)}: label ${v} is more than the ${MAX_CLASSES - 1} gradscope's data sets hold`);
      labels[i] = v;
      max = Math.max(max, v);
    });
    return { labels, classes: max + 1, names: null };
  }
  const names = [...new Set(raw)].sort();
  if (names.length > MAX_CLASSES) throw new InputError(`${where(0)}: the label column has ${names.length} distinct values, more than the ${MAX_CLASSES} classes gradscope's data sets hold`);
  const index = new Map(names.map((n, i) => [n, i]));
  raw.forEach((s, i) => (labels[i] = index.get(s)!));
  return { labels, classes: names.length, names };
}

/**
 * A CSV table: the first row names the columns; `label` picks the label
 * column by name or 0-based index (default: a column named 'label', else the
 * last); every other column is a numeric feature.
 */
export function datasetFromCsv(text: string, file: string, label?: string): Dataset & { classNames: string[] | null } {
  let rows: string[][];
  try {
    rows = parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (e) {
    throw new InputError(`${file}: not a CSV table (${(e as Error).message})`);
  }
  if (rows.length < 2) throw new InputError(`${file}: needs a header row and at least one row of data; got ${rows.length} row${rows.length === 1 ? '' : 's'}`);
  const header = rows[0];
  let col: number;
  if (label === undefined) col = header.includes('label') ? header.indexOf('label') : header.length - 1;
  else if (/^\d+$/.test(label)) col = Number(label);
  else col = header.indexOf(label);
  if (col < 0 || col >= header.length) throw new InputError(`${file}: no label column ${label === undefined ? '' : `'${label}'`} (the columns are ${header.map((h) => `'${h}'`).join(', ')}; give a name or a 0-based index)`);
  if (header.length < 2) throw new InputError(`${file}: has only the label column; needs at least one feature column`);
  const n = rows.length - 1;
  const F = header.length - 1;
  const x = new Float32Array(n * F);
  const raw: string[] = [];
  for (let r = 1; r <= n; r++) {
    const row = rows[r];
    let k = 0;
    for (let c = 0; c < row.length; c++) {
      if (c === col) {
        raw.push(row[c]);
        continue;
      }
      const v = row[c] === '' ? NaN : Number(row[c]);
      if (!Number.isFinite(v)) throw new InputError(`${file}: row ${r + 1}, column '${header[c]}': ${JSON.stringify(row[c])} is not a finite number`);
      x[(r - 1) * F + k++] = v;
    }
  }
  const { labels, classes, names } = classIndices(raw, (i) => `${file}: row ${i + 2}, column '${header[col]}'`);
  return { name: `csv:${file}`, n, inputSize: F, classes, x, labels, classNames: names };
}

/** The numbers of an npyjs array as float64. */
function numbers(a: NpyArray, file: string): Float64Array {
  if (a.fortranOrder) throw new InputError(`${file}: is stored in Fortran order; save it C-ordered (np.ascontiguousarray)`);
  const d = a.data as unknown as ArrayLike<number | bigint>;
  if (typeof a.dtype === 'string' && (a.dtype.startsWith('U') || a.dtype === 'c8' || a.dtype === 'c16')) throw new InputError(`${file}: has dtype ${a.dtype}; gradscope reads numeric arrays`);
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  return out;
}

/** Parses .npy bytes with npyjs; throws an InputError naming the file. */
function readNpy(bytes: Uint8Array, file: string): NpyArray {
  try {
    return parseNpy(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw new InputError(`${file}: not a NumPy .npy file (${(e as Error).message})`);
  }
}

/** Inputs X (N, …) and labels Y (N) of class indices or (N, C) one-hot rows. */
export function datasetFromNpy(xBytes: Uint8Array, xFile: string, yBytes: Uint8Array, yFile: string): Dataset {
  const X = readNpy(xBytes, xFile);
  const Y = readNpy(yBytes, yFile);
  if (X.shape.length < 2) throw new InputError(`${xFile}: has shape (${X.shape.join(', ')}); expected (examples, features…)`);
  const n = X.shape[0];
  const F = X.shape.slice(1).reduce((a, b) => a * b, 1);
  const xs = numbers(X, xFile);
  const x = new Float32Array(n * F);
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw new InputError(`${xFile}: example ${Math.floor(i / F)}, feature ${i % F} is ${xs[i]}, not a finite number`);
    x[i] = xs[i];
  }
  if (Y.shape[0] !== n) throw new InputError(`${yFile}: has ${Y.shape[0]} labels but ${xFile} has ${n} examples; one label per example`);
  const ys = numbers(Y, yFile);
  let raw: number[];
  if (Y.shape.length === 1) raw = Array.from(ys);
  else if (Y.shape.length === 2) {
    const C = Y.shape[1];
    raw = Array.from({ length: n }, (_, r) => {
      let best = 0;
      for (let c = 1; c < C; c++) if (ys[r * C + c] > ys[r * C + best]) best = c;
      return best;
    });
  } else throw new InputError(`${yFile}: has shape (${Y.shape.join(', ')}); expected (examples) of class indices or (examples, classes) one-hot rows`);
  const bad = raw.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v < MAX_CLASSES));
  if (bad >= 0) throw new InputError(`${yFile}: label ${bad} is ${raw[bad]}; expected a class index 0 … ${MAX_CLASSES - 1}`);
  const labels = Uint8Array.from(raw);
  return { name: `npy:${xFile},${yFile}`, n, inputSize: F, classes: Math.max(...raw) + 1, x, labels };
}
