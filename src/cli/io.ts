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
import { inputError } from '../errors.js';
import { msg, phrase } from '../i18n/catalogue.js';
import { partText, type InputIssue, type Part } from '../errors.js';
import type { Msg } from '../i18n/message.js';

export { InputError, jsonSafe, writeFileAtomic };

/** Bad usage of a command (unknown option value, missing argument): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The issue behind the message, and what the sentence names before its clause (the flag), when it is made of them. */
  readonly issue?: InputIssue;
  readonly where?: readonly Part[];
  /** The clause after `where` as a message, when it is no issue of the flag's value (as InputError's). */
  readonly said?: Msg;

  constructor(message: string, o: { readonly cause?: unknown; readonly issue?: InputIssue; readonly where?: readonly Part[]; readonly said?: Msg } = {}) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    if (o.issue) this.issue = o.issue;
    if (o.where) this.where = o.where;
    if (o.said) this.said = o.said;
  }
}

/** A flag and a clause as one sentence: "--batch-size must be ≥ 1" for a clause that says what the value must be or is, else "--act: unknown activation …". */
export function flagSentence(flag: string, clause: string): string {
  return clause.startsWith('must ') || clause.startsWith('is ') ? `${flag} ${clause}` : `${flag}: ${clause}`;
}

/** A UsageError at `flag` whose clause is the catalogue message `said` (the English from the catalogue, the flag kept for other languages). */
export function flagUsage(flag: string, said: Msg): UsageError {
  return new UsageError(flagSentence(flag, phrase('en', said)), { where: [flag], said });
}

/** A UsageError "where: clause" (`where` may be empty) whose clause is the catalogue message `said`, as inputError builds an InputError. */
export function usageError(where: readonly Part[], said: Msg): UsageError {
  return new UsageError([...where.map(partText), phrase('en', said)].join(': '), { where, said });
}

/** "clause; got 'text'": a value shown as the user typed it. */
function gotTyped(clause: Msg, text: string): Msg {
  return msg('err.gotTyped', { clause, value: text });
}

/** Largest run config or sweep file read: they are short texts, so anything larger is a mistake. */
export const MAX_SPEC_BYTES = 16 * 1024 * 1024;

/** The caps of the JSON files commands read, by kind (see docs/bad-input.md). */
export const JSON_CAPS = {
  config: { maxBytes: MAX_SPEC_BYTES, what: msg('err.what.config') },
  sweep: { maxBytes: MAX_SPEC_BYTES, what: msg('err.what.sweep') },
  model: { maxBytes: MAX_JSON_BYTES, what: msg('err.what.model') },
  matrix: { maxBytes: MAX_JSON_BYTES, what: msg('err.what.matrix') },
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
    // the parser's own words stay as it wrote them (English)
    const why = (e as Error).message.replace(/^Unexpected/, 'unexpected');
    throw inputError([file], msg('err.json', { why: text.trim() === '' ? msg('err.json.empty') : why }));
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
  return readUserFile(file, { maxBytes: MAX_BINARY_BYTES, what: msg('err.what.binary') });
}

/** Validates a JSON matrix (array of rows of finite numbers, all of `width` columns when given; `what` says what fixes the width). */
export function parseMatrix(json: unknown, file: string, width?: number, what: Msg = msg('err.matrix.columns')): number[][] {
  const refuse = (said: Msg): never => {
    throw inputError([file], said);
  };
  if (!Array.isArray(json)) refuse(msg('err.got', { clause: msg('err.matrix.notArray'), value: show(json) }));
  const rows = json as unknown[];
  if (rows.length === 0) refuse(msg('err.matrix.empty'));
  const w = width ?? (Array.isArray(rows[0]) ? rows[0].length : -1);
  rows.forEach((row: unknown, r: number) => {
    if (!Array.isArray(row)) return refuse(msg('err.got', { clause: msg('err.matrix.notRow', { r: String(r) }), value: show(row) }));
    if (row.length !== w) refuse(width !== undefined ? msg('err.matrix.width', { r: String(r), n: String(row.length), w: String(w), what }) : msg('err.matrix.widthRow0', { r: String(r), n: String(row.length), w: String(w) }));
    row.forEach((v: unknown, c: number) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) refuse(msg('err.matrix.notFinite', { r: String(r), c: String(c), v: show(v) }));
    });
  });
  return json as number[][];
}


/** Parses a number option; throws a UsageError naming the option and the value. */
export function numberOption(name: string, v: string | undefined, o: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {}): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || (o.integer && !Number.isInteger(x))) throw flagUsage(name, gotTyped(msg(o.integer ? 'err.type.int' : 'err.type.number'), v));
  const beyond = (op: string, n: number): UsageError => flagUsage(name, msg('err.got', { clause: msg('err.cmp', { op, n: String(n) }), value: v }));
  if (o.min !== undefined && (o.exclusiveMin ? x <= o.min : x < o.min)) throw beyond(o.exclusiveMin ? '>' : '≥', o.min);
  if (o.max !== undefined && x > o.max) throw beyond('≤', o.max);
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
