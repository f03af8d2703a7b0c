/**
 * What the CLI needs from the outside world: reading users' files with
 * errors that name the file, writing files atomically, and the error types
 * that map to exit code 2.
 */
import { Option } from 'commander';
import { MAX_JSON_BYTES, readUserFile, readUserText } from '../data/read-file.js';
import { MEMORY_ENV } from '../experiments/budget.js';
import { jsonSafe, writeFileAtomic } from '../experiments/files.js';
import { InputError, show } from '../nn/model-file.js';
import type { InputIssue } from '../errors.js';
import type { Msg } from '../i18n/message.js';

export { InputError, jsonSafe, writeFileAtomic };

/** Bad usage of a command (unknown option value, missing argument): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The issue behind the message, and what the sentence names before its clause (the flag), when it is made of them. */
  readonly issue?: InputIssue;
  readonly where?: readonly string[];
  /** The clause after `where` as a message, when it is no issue of the flag's value (as InputError's). */
  readonly said?: Msg;

  constructor(message: string, o: { readonly cause?: unknown; readonly issue?: InputIssue; readonly where?: readonly string[]; readonly said?: Msg } = {}) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    if (o.issue) this.issue = o.issue;
    if (o.where) this.where = o.where;
    if (o.said) this.said = o.said;
  }
}

/** Largest run config or sweep file read: they are short texts, so anything larger is a mistake. */
export const MAX_SPEC_BYTES = 16 * 1024 * 1024;

/** The caps of the JSON files commands read, by kind (see docs/bad-input.md). */
export const JSON_CAPS = {
  config: { maxBytes: MAX_SPEC_BYTES, what: 'a run config' },
  sweep: { maxBytes: MAX_SPEC_BYTES, what: 'a sweep file' },
  model: { maxBytes: MAX_JSON_BYTES, what: 'a model file' },
  matrix: { maxBytes: MAX_JSON_BYTES, what: 'an input or target file' },
} as const;

/**
 * Reads and parses a JSON file of `kind` (only a regular file, at most its
 * cap); throws an InputError naming the file and the problem.
 */
export function readJson(file: string, kind: keyof typeof JSON_CAPS): unknown {
  const text = readUserText(file, JSON_CAPS[kind]);
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message.replace(/^Unexpected/, 'unexpected');
    throw new InputError(`${file}: not valid JSON (${text.trim() === '' ? 'the file is empty' : msg})`);
  }
}

/** Largest binary file read (a model's weights): Node's Buffer limit is higher, but a network this size is a mistake here. */
export const MAX_BINARY_BYTES = 1024 * 1024 * 1024;

/**
 * Reads a binary file a user named (an ONNX model, weight shards, .npy
 * arrays) through the one bounded reader: only a regular file, at most
 * MAX_BINARY_BYTES; throws an InputError naming the file and the problem.
 */
export function readBytes(file: string): Uint8Array {
  return readUserFile(file, { maxBytes: MAX_BINARY_BYTES, what: 'a model or data file' });
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


/** The `--memory SIZE` option of the commands that size memory (probe, train, rnn, sweep, study, worker). */
export function memoryOption(): Option {
  return new Option('--memory <size>', `memory budget, such as 8G or 512M: settings that would need more are refused before anything is allocated (default: ${MEMORY_ENV}, else half of the machine's memory)`);
}

/** Prints one JSON document on stdout. */
export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc, jsonSafe)}\n`);
}
