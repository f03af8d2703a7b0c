/**
 * Errors a user's input causes, as data: an `InputIssue` names the field,
 * the value found there and what was expected, and `phrase` turns it into
 * the one sentence the CLI prints ("run.json: batchSize: must be ≥ 1; got
 * 0"). Every validator (run configs, model files, sweep files) converts its
 * zod issues with `issueFromZod`, so there is one phraser, and an adapter
 * that knows how the user wrote a field (a flag, a URL key, a sweep entry)
 * phrases the same issue in its own words — nothing rewrites a message.
 */
import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { phrase as phraseIn } from './i18n/catalogue.js';
import type { Msg } from './i18n/message.js';

/** What is wrong with one field of a user's input. */
export interface InputIssue {
  /** The field as a path: `batchSize`, `layers[2].weight[0]`, `optimizer.lr`. */
  readonly field: string;
  /** The value found there (undefined when the field is missing). */
  readonly value: unknown;
  /** What was expected, as a clause: "must be an integer ≥ 1", "unknown activation 'relux'; did you mean relu?". */
  readonly expected: string;
  /** True when `expected` already quotes the value (the sentence then ends without "; got …"). */
  readonly quoted?: boolean;
  /** `expected` as a message of the catalogue, to say in another language (absent: English only). */
  readonly said?: Msg;
}

/** A part of what a sentence names before its clause: a file, a field or a flag as written, or a message (a sweep's "the run with lr=0.1"). */
export type Part = string | Msg;

/** A part in English. */
export function partText(p: Part): string {
  return typeof p === 'string' ? p : phraseIn('en', p);
}

/** An error in a user's input (file, field or value): exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** The issue behind the message, when it came from a validator. */
  readonly issue?: InputIssue;
  /** What the sentence names before the issue's clause (a file, then a field), when it is made of them. */
  readonly where?: readonly Part[];
  /** The clause after `where` as a message, for a sentence that is no one field's issue (a file that cannot be read); an issue's own `said` is used instead. */
  readonly said?: Msg;

  /** `message` is the whole sentence; `issue` keeps its parts for adapters that phrase it their own way. */
  constructor(message: string, issue?: InputIssue, where?: readonly Part[], said?: Msg) {
    super(message);
    if (issue) this.issue = issue;
    if (where) this.where = where;
    if (said) this.said = said;
  }

  /** The same error inside `outer` (a file, then a field): "outer: message", keeping its parts. */
  within(...outer: Part[]): InputError {
    return new InputError([...outer.map(partText), this.message].join(': '), this.issue, this.where && [...outer, ...this.where], this.said);
  }
}

/**
 * A clause as a catalogue message, with its English (an issue's `expected`
 * and `said`): the sentence is written once, in the catalogue
 * (src/i18n/messages/errors.ts), and the English comes from there.
 */
export function saying(said: Msg): { readonly expected: string; readonly said: Msg } {
  return { expected: phraseIn('en', said), said };
}

/**
 * An error "where: clause" that is no one field's issue (a file that cannot
 * be read, a folder that is not a run), its clause the catalogue message
 * `said`: the English sentence is `where` and the message's English joined
 * by ": ", and the CLI says it again in the reader's language.
 */
export function inputError(where: readonly Part[], said: Msg): InputError {
  return new InputError([...where.map(partText), phraseIn('en', said)].join(': '), undefined, where, said);
}

/**
 * A core function refusing the sizes or values a file gives (hidden_size 0,
 * a negative slope) as a fault of the file: "where: message" (a file, then
 * the node or layer), said again in another language when the refusal keeps
 * its clause as a message of the catalogue (a ValueError's `said`).
 */
export function refusedBy(where: readonly Part[], e: Error): InputError {
  if (e instanceof ValueError && e.said) {
    const said: Msg = e.quoted ? e.said : { key: 'err.got', vars: { clause: e.said, value: show(e.value) } };
    if (phraseIn('en', said) === e.message) return inputError(where, said);
  }
  return new InputError([...where.map(partText), e.message].join(': '));
}

/**
 * A bad argument of a core function that a user may have typed (an
 * activation, initialiser, data set or architecture name, a parameter
 * value): the core throws it with the argument's value and what was
 * expected, and the adapter that knows which field the user wrote turns it
 * into an InputIssue at that field. It is a RangeError, so a caller that
 * passed the value itself may treat it as a bug.
 */
export class ValueError extends RangeError {
  override readonly name = 'ValueError';

  /** The message is "expected; got value" (just `expected` when it already quotes the value). */
  constructor(
    readonly value: unknown,
    readonly expected: string,
    readonly quoted = false,
    /** `expected` as a message of the catalogue (absent: English only). */
    readonly said?: Msg,
  ) {
    super(quoted ? expected : `${expected}; got ${show(value)}`);
  }

  /** This error as an issue at `field`. */
  at(field: string): InputIssue {
    return { field, value: this.value, expected: this.expected, quoted: this.quoted, ...(this.said ? { said: this.said } : {}) };
  }
}

/**
 * A core function's refusal "clause; got value", the value written as a
 * template literal writes it, whose clause is the catalogue message `said`:
 * a layer's sizes and constants, which an imported model file may set.
 */
export function gotValue(value: unknown, said: Msg): ValueError {
  const got: Msg = { key: 'err.got', vars: { clause: said, value: String(value) } };
  return new ValueError(value, phraseIn('en', got), true, got);
}

/** Shortens a value for an error message (JSON, at most 40 characters). */
export function show(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = Array.isArray(v) ? '[…]' : typeof v === 'object' ? '{…}' : String(v); // too deep to print
  }
  if (s === undefined) return String(v);
  // one sentence stays on one line: a value holding a newline is shown escaped (JSON does that)
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Formats a path as `layers[1].weight[2]` (`(top level)` for the empty path). */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s || '(top level)';
}

/** The value at `path` inside `root` (undefined when a step is missing). */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * The sentence of an issue: "`where`: expected; got value" (where defaults to
 * the field; a missing value reads "is required" unless `expected` says more).
 */
export function phrase(issue: InputIssue, where: string = issue.field): string {
  return `${where}: ${clause(issue)}`;
}

/** An issue without its field: "expected; got value". */
export function clause(issue: InputIssue): string {
  if (issue.value === undefined || issue.quoted) return issue.expected;
  return `${issue.expected}; got ${show(issue.value)}`;
}

/** Throws an InputError of `issue`, prefixed by `source` (a file name) when given. */
export function fail(issue: InputIssue, source?: string): never {
  const s = phrase(issue);
  throw new InputError(source ? `${source}: ${s}` : s, issue, source ? [source, issue.field] : [issue.field]);
}

/** Each zod type name's words ("a number") and the message of "must be a number". */
const TYPES: Readonly<Record<string, { readonly word: string; readonly said: string }>> = {
  int: { word: 'an integer', said: 'err.type.int' },
  number: { word: 'a number', said: 'err.type.number' },
  string: { word: 'a string', said: 'err.type.string' },
  boolean: { word: 'true or false', said: 'err.type.boolean' },
  object: { word: 'an object', said: 'err.type.object' },
  array: { word: 'a list', said: 'err.type.array' },
  record: { word: 'an object', said: 'err.type.object' },
};

/** "a number", "an integer", … for a zod type name. */
function typeWord(expected: string): string {
  return TYPES[expected]?.word ?? expected;
}

/** A hint after "unknown field": its English text (' (did you mean X?)' or '') and the same as a message ('' for none; absent: English only). */
export interface Hint {
  readonly text: string;
  readonly said?: Msg | '';
}

/** Options of `issueFromZod`. */
export interface ZodIssueOptions {
  /** The allowed fields of the object at a path (for "unknown field … expected one of"). */
  readonly fieldsAt?: (path: readonly PropertyKey[], root: unknown) => readonly string[];
  /** "did you mean X?" for a misspelt field. */
  readonly suggest?: (name: string, candidates: readonly string[], path: readonly PropertyKey[]) => Hint;
  /** The file that lists a long list of fields ("docs/settings.md"). */
  readonly listedAt?: string;
}

type ZodIssue = z.core.$ZodIssue;

/**
 * For a required field missing from `parent`: "; found only 'a', 'b'" when
 * the field is `kind` (the object's discriminator: any other name was meant
 * for it), else "; found 'evry' (a misspelling?)" for a field written within
 * two edits of it; '' when nothing points at a misspelling.
 */
function foundOnly(parent: unknown, missing?: PropertyKey): { text: string; said: Msg } {
  const keys = parent !== null && typeof parent === 'object' && !Array.isArray(parent) ? Object.keys(parent) : [];
  const plain = { text: '', said: { key: 'err.required' } };
  if (keys.length === 0) return plain;
  if (missing === undefined) return keys.length <= 8 ? { text: `; found only ${keys.map((k) => `'${k}'`).join(', ')}`, said: { key: 'err.requiredFoundOnly', vars: { keys: keys.map((k) => `'${k}'`).join('、') } } } : plain;
  const near = keys.filter((k) => k !== missing && distance(k.toLowerCase(), String(missing).toLowerCase()) <= 2);
  return near.length > 0 ? { text: `; found ${near.map((k) => `'${k}'`).join(', ')} (a misspelling?)`, said: { key: 'err.requiredMisspelt', vars: { keys: near.map((k) => `'${k}'`).join('、') } } } : plain;
}

/**
 * One zod issue as an InputIssue: the path, the value found and the expected
 * clause ("must be ≥ 1", "must be one of sgd, adam", "unknown field (did you
 * mean optimizer?); expected one of …"). Unions report the branch that got
 * furthest.
 */
export function issueFromZod(issue: ZodIssue, root: unknown, o: ZodIssueOptions = {}, base: readonly PropertyKey[] = []): InputIssue {
  const path = [...base, ...issue.path];
  const field = formatPath(path);
  const value = valueAt(root, path);
  const at = (expected: string, said?: Msg): InputIssue => ({ field, value, expected, ...(said ? { said } : {}) });
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) {
        const found = foundOnly(valueAt(root, path.slice(0, -1)), path[path.length - 1]);
        return at(`is required${found.text}`, found.said);
      }
      // a schema may word its own type message ("must be an integer", "must be a list of values")
      if (issue.message.startsWith('must be ')) return at(issue.message);
      return at(`must be ${typeWord(issue.expected)}`, TYPES[issue.expected] ? { key: TYPES[issue.expected].said } : undefined);
    case 'too_small':
      if (issue.message.startsWith('needs ')) return at(issue.message);
      if (issue.origin === 'array') return at(`needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}`, { key: 'err.entriesAtLeast', vars: { n: Number(issue.minimum) } });
      if (issue.origin === 'string') return at('must not be empty', { key: 'err.notEmpty' });
      return at(`must be ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`, { key: 'err.cmp', vars: { op: issue.inclusive ? '≥' : '>', n: String(issue.minimum) } });
    case 'too_big':
      if (issue.origin === 'array') return at(`has at most ${String(issue.maximum)} entries`, { key: 'err.entriesAtMost', vars: { n: Number(issue.maximum) } });
      if (issue.origin === 'string') return at(`is at most ${String(issue.maximum)} characters long`, { key: 'err.charsAtMost', vars: { n: Number(issue.maximum) } });
      return at(`must be ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`, { key: 'err.cmp', vars: { op: issue.inclusive ? '≤' : '<', n: String(issue.maximum) } });
    case 'invalid_value':
      return issue.values.length === 1
        ? at(`must be ${JSON.stringify(issue.values[0])}`, { key: 'err.exactly', vars: { v: JSON.stringify(issue.values[0]) } })
        : at(`must be one of ${issue.values.map((v) => String(v)).join(', ')}`, { key: 'err.oneOf', vars: { list: issue.values.map((v) => String(v)).join(', ') } });
    case 'unrecognized_keys': {
      const key = issue.keys[0];
      const fields = o.fieldsAt?.(path, root) ?? [];
      const { text: hint, said: hintSaid } = o.suggest?.(key, fields, path) ?? { text: '', said: '' };
      // a long list (the run settings) is pointed at rather than printed: one sentence stays short
      const list = fields.length === 0 ? '' : fields.length <= 12 ? `; expected one of ${fields.join(', ')}` : `; expected one of the settings (${o.listedAt ? `${o.listedAt} lists them` : 'see --help'})`;
      const said: Msg | undefined =
        hintSaid === undefined ? undefined : { key: fields.length === 0 ? 'err.unknownField' : fields.length <= 12 ? 'err.unknownFieldList' : 'err.unknownFieldSettings', vars: { hint: hintSaid, fields: fields.join(', '), where: o.listedAt ?? '--help' } };
      return { field: formatPath([...path, key]), value: undefined, expected: `unknown field${hint}${list}`, ...(said ? { said } : {}) };
    }
    case 'invalid_union': {
      // a discriminated union names its options
      const options = (issue as { options?: readonly unknown[] }).options;
      if (options) {
        const one = `one of ${options.map((v) => String(v)).join(', ')}`;
        if (value !== undefined) return at(`must be ${one}`);
        // a string the schema turned into { kind } before checking it: the written string is the value
        const parent = valueAt(root, path.slice(0, -1));
        if (path.length > 0 && (parent === null || typeof parent !== 'object' || Array.isArray(parent))) return { field: formatPath(path.slice(0, -1)), value: parent, expected: `must be ${one}` };
        return at(`is required (${one})${foundOnly(parent).text}`);
      }
      // a union of types (string or list): a branch that got past the type check has the informative issue
      const isTypeMismatch = (i: ZodIssue | undefined): boolean => i !== undefined && i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');
      const deeper = issue.errors.find((branch) => branch.length > 0 && !isTypeMismatch(branch[0]));
      if (deeper) return issueFromZod(deeper[0], root, o, path);
      if (value === undefined) return at('is required', { key: 'err.required' });
      const kinds = issue.errors.map((b) => {
        const i = b[0];
        if (i?.code === 'invalid_type') return i.message.startsWith('must be ') ? i.message.slice(8) : typeWord(i.expected);
        if (i?.code === 'invalid_value') return i.values.map((v) => JSON.stringify(v)).join(' or ');
        return 'something else';
      });
      return at(`must be ${kinds.join(' or ')}`);
    }
    default:
      return at(issue.message);
  }
}
