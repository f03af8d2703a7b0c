/**
 * A sweep's output folder: `manifest.json` (the expanded sweep, written
 * atomically before any run starts) and `results.jsonl`, the result store —
 * one JSON line per finished run, appended with a single write and fsynced
 * the moment the run finishes. Opening the store checks every line: a torn
 * last line (a write cut short by kill -9, a crash or a full disk) is cut
 * off, other unreadable lines and repeated ids are dropped by an atomic
 * rewrite, and every repair is reported. Appends skip ids already recorded,
 * so each run is recorded exactly once.
 */
import { inputError } from '../errors.js';
import { ioReason, writeFileAtomic } from '../experiments/files.js';
import { AppendError, JsonLinesFile, type WriteFn } from '../experiments/jsonl.js';
import { readUserFile, readUserText } from '../data/read-file.js';
import { msg, phrase } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError, show } from '../nn/model-file.js';
import { acquireLock, type Lock } from './lock.js';
import { recordLine, recordSchema, type RunRecord } from './record.js';
import type { Sweep } from './spec.js';

/** The manifest's file name inside a sweep folder. */
export const MANIFEST_FILE = 'manifest.json';
/** The result store's file name inside a sweep folder. */
export const RESULTS_FILE = 'results.jsonl';
/** Largest result store read (100,000 runs of deep networks stay well below it). */
export const MAX_STORE_BYTES = 2 ** 31 - 1;
/** The manifest's format tag. */
export const MANIFEST_FORMAT = 'gradscope-sweep-manifest/1';

/** Which 1/n of a sweep a folder holds (index 0-based). */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  sweep: z.string().regex(/^[0-9a-f]{16}$/),
  name: z.string(),
  keys: z.array(z.string()),
  shard: z.object({ index: z.number().int().min(0), count: z.number().int().min(1) }).nullable(),
  source: z.string(),
  created: z.string(),
  spec: z.unknown(),
  runs: z.array(z.object({ index: z.number().int().min(0), id: z.string(), params: z.record(z.string(), z.unknown()), config: z.record(z.string(), z.unknown()) })),
});

/** The manifest of a sweep folder. */
export type Manifest = z.infer<typeof manifestSchema>;

/** Writes `file` atomically: a temporary file, fsynced, renamed over it (shared with run directories). */
export { writeFileAtomic };

/** The manifest of `sweep` (all its runs; `shard` says which of them this folder runs). */
export function manifestOf(sweep: Sweep, source: string, shard: ShardSpec | null): Manifest {
  return {
    format: MANIFEST_FORMAT,
    sweep: sweep.id,
    name: sweep.name,
    keys: [...sweep.keys],
    shard,
    source,
    created: new Date().toISOString(),
    spec: sweep.spec,
    runs: sweep.runs.map((r) => ({ index: r.index, id: r.id, params: { ...r.params }, config: { ...r.config } })),
  };
}

/** Writes `dir/manifest.json` atomically. */
export function writeManifest(dir: string, m: Manifest): void {
  writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(m, null, 1)}\n`);
}

/** Reads `dir/manifest.json`, or null when the folder has none; throws an InputError for an unreadable one. */
export function readManifest(dir: string): Manifest | null {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readUserText(file, { what: msg('err.what.manifest') }));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: not a readable sweep manifest (${(e as Error).message})`);
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError(`${file}: not a gradscope sweep manifest: ${i.path.join('.') || '(top level)'}: ${i.message}`);
  }
  return r.data;
}

/** What reading a store found. */
export interface StoreContents {
  /** Valid records, first occurrence of each id, in file order. */
  readonly records: RunRecord[];
  /** One sentence per repair needed (made only when reading with `repair`). */
  readonly notes: string[];
}

/** One line's place in the file and what it holds. */
interface Line {
  readonly start: number;
  readonly end: number; // after the newline, or the file's end
  readonly record: RunRecord | null;
}

function scan(bytes: Buffer): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl + 1;
    const text = bytes.subarray(start, nl < 0 ? bytes.length : nl).toString('utf8');
    let record: RunRecord | null = null;
    if (text.trim() !== '') {
      try {
        const r = recordSchema.safeParse(JSON.parse(text));
        record = r.success ? r.data : null;
      } catch {
        record = null;
      }
    }
    if (text.trim() !== '' || nl < 0) lines.push({ start, end, record });
    start = end;
  }
  return lines;
}

/**
 * Reads a result store, checking that every record belongs to sweep `sweep`
 * (when given). With `repair`, fixes the file in place: cuts a torn tail,
 * adds a missing final newline, or rewrites it without bad or repeated lines.
 */
export function readResults(file: string, sweep: string | null, repair: boolean): StoreContents {
  if (!existsSync(file)) return { records: [], notes: [] };
  const bytes = readUserFile(file, { maxBytes: MAX_STORE_BYTES, what: msg('err.what.store') });
  const lines = scan(bytes);
  const records: RunRecord[] = [];
  const seen = new Set<string>();
  let dupes = 0;
  lines.forEach((l, n) => {
    if (l.record === null) return;
    if (sweep !== null && l.record.sweep !== sweep) throw inputError([file], msg('err.store.otherSweep', { n: String(n + 1), other: l.record.sweep, sweep }));
    if (seen.has(l.record.id)) dupes++;
    else {
      seen.add(l.record.id);
      records.push(l.record);
    }
  });
  const notes: string[] = [];
  const lastGood = lines.reduce((i, l, k) => (l.record !== null ? k : i), -1);
  const badTail = lines.slice(lastGood + 1);
  const badInside = lines.slice(0, lastGood + 1).filter((l) => l.record === null).length;
  if (badTail.length > 0) {
    const n = bytes.length - badTail[0].start;
    notes.push(`${file}: dropped a torn last line (${n} byte${n === 1 ? '' : 's'}) left by an interrupted write`);
  }
  if (badInside > 0) notes.push(`${file}: dropped ${badInside} unreadable line${badInside === 1 ? '' : 's'} inside the file`);
  if (dupes > 0) notes.push(`${file}: dropped ${dupes} repeated result${dupes === 1 ? '' : 's'} (a run recorded twice keeps its first line)`);
  const noFinalNewline = lastGood >= 0 && badTail.length === 0 && bytes[bytes.length - 1] !== 0x0a;
  if (repair && (notes.length > 0 || noFinalNewline)) {
    if (badInside === 0 && dupes === 0) {
      // the common case: only the tail is wrong; cut it (and end the last line)
      const keep = lastGood >= 0 ? lines[lastGood].end : 0;
      const fd = openSync(file, 'r+');
      try {
        ftruncateSync(fd, keep);
        if (keep > 0 && bytes[keep - 1] !== 0x0a) writeSync(fd, '\n', keep);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } else writeFileAtomic(file, records.map(recordLine).join(''));
  }
  return { records, notes };
}

/** A failure to write the store (disk full, read-only, ...): the sweep stops and keeps what is written. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
}

/** The reason a write failed, in words (shared with every writer). */
export { ioReason };

/** The low-level write the store uses (replaceable in tests to simulate a full disk). */
export type { WriteFn };

/** An open result store, locked for appending. */
export class ResultStore {
  private readonly ids: Set<string>;
  private lines: JsonLinesFile | null;

  private constructor(readonly file: string, private readonly lock: Lock, write: WriteFn, records: readonly RunRecord[]) {
    this.ids = new Set(records.map((r) => r.id));
    this.lines = JsonLinesFile.open(file, { durable: true, write }).lines;
  }

  /** Locks, reads and repairs `dir/results.jsonl` of sweep `sweep`; the records already there come back with any repair notes. */
  static open(dir: string, sweep: string, write: WriteFn = writeSync): { store: ResultStore; contents: StoreContents } {
    const file = join(dir, RESULTS_FILE);
    const lock = acquireLock(`${file}.lock`, dir);
    try {
      const contents = readResults(file, sweep, true);
      return { store: new ResultStore(file, lock, write, contents.records), contents };
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Number of runs recorded. */
  get count(): number {
    return this.ids.size;
  }

  /** Whether run `id` is recorded. */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  /**
   * Appends `r` as one line and fsyncs; false (and nothing written) when its
   * id is already recorded. On a failed write the partial line is cut off
   * again and a StoreWriteError says what happened.
   */
  append(r: RunRecord): boolean {
    if (this.lines === null) throw new StoreWriteError(`${this.file}: the store is closed`);
    if (this.ids.has(r.id)) return false;
    try {
      this.lines.appendLine(recordLine(r));
    } catch (e) {
      const why = e instanceof AppendError ? e.reason : ioReason(e);
      throw new StoreWriteError(`${this.file}: cannot record a result (${why}); the ${this.ids.size} result${this.ids.size === 1 ? '' : 's'} written so far are kept — fix that and rerun with --resume`);
    }
    this.ids.add(r.id);
    return true;
  }

  /** Closes the file and releases the lock. */
  close(): void {
    this.lines?.close();
    this.lines = null;
    this.lock.release();
  }
}

/** Free bytes for an unprivileged writer in the file system holding `dir` (null when unknown). */
export function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** A short description of a sweep for messages: "'act-depth' (id 1a2b3c4d…, 200 runs)". */
export function describeSweep(m: { readonly name: string; readonly sweep: string; readonly runs: { readonly length: number } }): string {
  return phrase('en', sweepSaid(m));
}

/** `describeSweep` as a message: "\"name\" (id …, N runs)". */
export function sweepSaid(m: { readonly name: string; readonly sweep: string; readonly runs: { readonly length: number } }): Msg {
  return msg('err.sweep.describe', { name: show(m.name), id: m.sweep, n: String(m.runs.length) });
}
