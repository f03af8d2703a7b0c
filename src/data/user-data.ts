/**
 * The user's own data as a Dataset: a CSV table (a header row, numeric
 * feature columns, one label column chosen by name or index) or NumPy .npy
 * arrays (inputs of any shape, flattened per example; labels as class
 * indices or one-hot rows). Parsing by csv-parse and npyjs; every problem is
 * one sentence naming the file, the row or column and the value. Pure.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseNpy, type NpyArray } from 'npyjs';
import { inputError } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { Dataset } from './types.js';

/** Most classes a Dataset holds (labels are bytes). */
const MAX_CLASSES = 256;

/** Class indices from labels that are integers 0 … K−1, or else from their sorted distinct texts. */
function classIndices(raw: readonly string[], file: string, cell: (i: number) => { readonly row: string; readonly col: string }): { labels: Uint8Array; classes: number; names: string[] | null } {
  const ints = raw.every((s) => /^\s*\d+\s*$/.test(s));
  const labels = new Uint8Array(raw.length);
  if (ints) {
    let max = 0;
    raw.forEach((s, i) => {
      const v = Number(s);
      if (v >= MAX_CLASSES) throw inputError([file], msg('err.csv.labelMax', { ...cell(i), v: String(v), max: String(MAX_CLASSES - 1) }));
      labels[i] = v;
      max = Math.max(max, v);
    });
    return { labels, classes: max + 1, names: null };
  }
  const names = [...new Set(raw)].sort();
  if (names.length > MAX_CLASSES) throw inputError([file], msg('err.csv.labelNames', { ...cell(0), n: String(names.length), max: String(MAX_CLASSES) }));
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
    // csv-parse's own words stay as it wrote them (English)
    throw inputError([file], msg('err.csv.parse', { why: (e as Error).message }));
  }
  if (rows.length < 2) throw inputError([file], msg('err.csv.rows', { n: String(rows.length) }));
  const header = rows[0];
  let col: number;
  if (label === undefined) col = header.includes('label') ? header.indexOf('label') : header.length - 1;
  else if (/^\d+$/.test(label)) col = Number(label);
  else col = header.indexOf(label);
  const cols = header.map((h) => `'${h}'`).join(', ');
  if (col < 0 || col >= header.length) throw inputError([file], label === undefined ? msg('err.csv.noLabelColumn', { cols }) : msg('err.csv.noColumn', { label, cols }));
  if (header.length < 2) throw inputError([file], msg('err.csv.onlyLabel'));
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
      if (!Number.isFinite(v)) throw inputError([file], msg('err.csv.notFinite', { row: String(r + 1), col: header[c], v: JSON.stringify(row[c]) }));
      x[(r - 1) * F + k++] = v;
    }
  }
  const { labels, classes, names } = classIndices(raw, file, (i) => ({ row: String(i + 2), col: header[col] }));
  return { name: `csv:${file}`, n, inputSize: F, classes, x, labels, classNames: names };
}

/** The numbers of an npyjs array as float64. */
function numbers(a: NpyArray, file: string): Float64Array {
  if (a.fortranOrder) throw inputError([file], msg('err.npy.fortran', { order: 'Fortran', fn: 'np.ascontiguousarray' }));
  const d = a.data as unknown as ArrayLike<number | bigint>;
  if (typeof a.dtype === 'string' && (a.dtype.startsWith('U') || a.dtype === 'c8' || a.dtype === 'c16')) throw inputError([file], msg('err.npy.dtype', { dtype: a.dtype }));
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  return out;
}

/** Parses .npy bytes with npyjs; throws an InputError naming the file. */
function readNpy(bytes: Uint8Array, file: string): NpyArray {
  try {
    return parseNpy(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    // npyjs's own words stay as it wrote them (English)
    throw inputError([file], msg('err.npy.parse', { ext: '.npy', why: (e as Error).message }));
  }
}

/** Inputs X (N, …) and labels Y (N) of class indices or (N, C) one-hot rows. */
export function datasetFromNpy(xBytes: Uint8Array, xFile: string, yBytes: Uint8Array, yFile: string): Dataset {
  const X = readNpy(xBytes, xFile);
  const Y = readNpy(yBytes, yFile);
  if (X.shape.length < 2) throw inputError([xFile], msg('err.npy.xShape', { shape: X.shape.join(', ') }));
  const n = X.shape[0];
  const F = X.shape.slice(1).reduce((a, b) => a * b, 1);
  const xs = numbers(X, xFile);
  const x = new Float32Array(n * F);
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw inputError([xFile], msg('err.npy.notFinite', { i: String(Math.floor(i / F)), j: String(i % F), v: String(xs[i]) }));
    x[i] = xs[i];
  }
  if (Y.shape[0] !== n) throw inputError([yFile], msg('err.npy.count', { labels: String(Y.shape[0]), x: xFile, n: String(n) }));
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
  } else throw inputError([yFile], msg('err.npy.yShape', { shape: Y.shape.join(', ') }));
  const bad = raw.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v < MAX_CLASSES));
  if (bad >= 0) throw inputError([yFile], msg('err.npy.label', { i: String(bad), v: String(raw[bad]), max: String(MAX_CLASSES - 1) }));
  const labels = Uint8Array.from(raw);
  return { name: `npy:${xFile},${yFile}`, n, inputSize: F, classes: Math.max(...raw) + 1, x, labels };
}
