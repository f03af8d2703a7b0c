/**
 * What the CLI needs from the outside world: reading users' files with
 * errors that name the file, writing files atomically, and the error types
 * that map to exit code 2.
 */
import { readFileSync, statSync } from 'node:fs';
import { jsonSafe, writeFileAtomic } from '../experiments/files.js';
import { InputError, show } from '../nn/model-file.js';

export { InputError, jsonSafe, writeFileAtomic };

/** Bad usage of a command (unknown option value, missing argument): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Reads and parses a JSON file; throws an InputError naming the file and the problem. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new InputError(`${file}: cannot read the file (${why})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte-order mark
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message.replace(/^Unexpected/, 'unexpected');
    throw new InputError(`${file}: not valid JSON (${text.trim() === '' ? 'the file is empty' : msg})`);
  }
}

/** Largest binary file read (a model's weights): Node's Buffer limit is higher, but a network this size is a mistake here. */
export const MAX_BINARY_BYTES = 1024 * 1024 * 1024;

/** Reads a binary file a user named (an ONNX model, weight shards, .npy arrays); throws an InputError naming the file and the problem. */
export function readBytes(file: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new InputError(`${file}: cannot read the file (${st.isDirectory() ? 'is a directory' : 'is not a regular file'})`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read the file (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message})`);
  }
  if (size > MAX_BINARY_BYTES) throw new InputError(`${file}: cannot read the file (${Math.round(size / 1048576)} MB is more than the ${MAX_BINARY_BYTES / 1048576} MB gradscope reads)`);
  return readFileSync(file);
}

/** Validates a JSON matrix (array of rows of finite numbers, all of `width` columns when given). */
export function parseMatrix(json: unknown, file: string, width?: number, what = 'columns'): number[][] {
  if (!Array.isArray(json)) throw new InputError(`${file}: expected an array of rows (batch × features); got ${show(json)}`);
  if (json.length === 0) throw new InputError(`${file}: has no rows; expected at least one`);
  const w = width ?? (Array.isArray(json[0]) ? json[0].length : -1);
  json.forEach((row: unknown, r: number) => {
    if (!Array.isArray(row)) throw new InputError(`${file}: [${r}] should be a row (an array of numbers); got ${show(row)}`);
    if (row.length !== w) throw new InputError(`${file}: row ${r} has ${row.length} numbers, expected ${w}${width !== undefined ? ` (${what})` : ' (as row 0)'}`);
    row.forEach((v: unknown, c: number) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${file}: [${r}][${c}] is ${show(v)}, expected a finite number`);
    });
  });
  return json as number[][];
}


/** Parses a number option; throws a UsageError naming the option and the value. */
export function numberOption(name: string, v: string | undefined, o: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {}): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  const kind = o.integer ? 'an integer' : 'a number';
  if (v.trim() === '' || !Number.isFinite(x) || (o.integer && !Number.isInteger(x))) throw new UsageError(`${name} must be ${kind}; got '${v}'`);
  if (o.min !== undefined && (o.exclusiveMin ? x <= o.min : x < o.min)) throw new UsageError(`${name} must be ${o.exclusiveMin ? '>' : '≥'} ${o.min}; got ${v}`);
  if (o.max !== undefined && x > o.max) throw new UsageError(`${name} must be ≤ ${o.max}; got ${v}`);
  return x;
}


/** Prints one JSON document on stdout. */
export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc, jsonSafe)}\n`);
}
