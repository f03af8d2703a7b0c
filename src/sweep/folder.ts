/**
 * Getting a sweep folder ready before any run starts: it must be a writable
 * directory with room for the results (and the runs' scratch directories),
 * and a folder that already holds a sweep must hold this one, the same
 * shard, and be resumed on purpose. Every problem is an InputError naming
 * the folder, so `gradscope sweep` exits 2 having done no work.
 */
import type { Msg } from '../i18n/message.js';
import { msg } from '../i18n/catalogue.js';
import { existsSync, realpathSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { unwritableReason } from '../experiments/files.js';
import { InputError, inputError } from '../errors.js';
import type { RunSpec } from '../run/schema.js';
import type { Sweep } from './spec.js';
import { sweepSaid, freeBytes, MANIFEST_FILE, readManifest, RESULTS_FILE, type Manifest, type ShardSpec } from './store.js';

/** The scratch folder for run directories inside a sweep folder (removed at start and end). */
export const SCRATCH_DIR = '.scratch';
/** Where --keep-runs keeps run directories. */
export const RUNS_DIR = 'runs';

/** Creates `dir` if needed and checks that a file can be written in it. */
export function checkWritable(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw inputError([`--out ${dir}`], msg('err.out.notDir'));
  const why = unwritableReason(dir);
  if (why !== null) throw new InputError(`--out ${dir}: cannot write there (${why}); choose another folder`);
}

/** The files a sweep folder keeps its state in: only the sweep itself (and merge) writes them. */
export const STORE_FILES = [MANIFEST_FILE, RESULTS_FILE, `${RESULTS_FILE}.lock`] as const;

/** Device and inode of `path`, or null when it does not exist. */
function identity(path: string): string | null {
  const st = statSync(path, { throwIfNoEntry: false });
  return st === undefined ? null : `${st.dev}:${st.ino}`;
}

/**
 * Checks that `file`, where `option` writes a report, is not a folder and
 * not one of a sweep folder's own files — by name in any sweep folder, and
 * through a link to one of `dir`'s — so a report never overwrites a store.
 */
export function checkReportFile(file: string, option: string, dir: string): void {
  const st = statSync(file, { throwIfNoEntry: false });
  if (st?.isDirectory()) throw inputError([`${option} ${file}`], msg('err.out.folder'));
  let parent = dirname(file);
  try {
    parent = realpathSync(parent);
  } catch {
    // a folder that does not exist yet holds no sweep
  }
  const name = basename(file);
  const own = (STORE_FILES as readonly string[]).includes(name) && existsSync(join(parent, MANIFEST_FILE));
  const id = identity(file);
  const linked = id !== null && STORE_FILES.some((f) => identity(join(dir, f)) === id);
  if (own || linked) throw inputError([`${option} ${file}`], own ? msg('err.out.ownFile', { name }) : msg('err.out.ownAnyFile'));
}

/** Rough bytes a run needs on disk: its result line and, while it runs, its run directory. */
function runBytes(c: RunSpec): { record: number; runDir: number } {
  let params = 0;
  for (let i = 1; i < c.arch.length; i++) params += c.arch[i] * (c.arch[i - 1] + 1);
  const L = c.arch.length - 1;
  // a result line: ~1 kB plus two snapshots of ~150 bytes per layer; a run directory: model.json
  // (~20 bytes a parameter), ~50 metrics lines of ~300 bytes a layer, config and summary
  return { record: 1024 + 300 * L, runDir: 20 * params + 50 * 300 * L + 16_384 };
}

/** Bytes the remaining `runs` need: every result line plus `concurrent` run directories (all of them with --keep-runs). */
export function bytesNeeded(configs: readonly RunSpec[], concurrent: number, keep: boolean): number {
  const sizes = configs.map(runBytes);
  const records = sizes.reduce((s, b) => s + b.record, 0);
  const dirs = sizes.map((b) => b.runDir).sort((a, b) => b - a);
  const scratch = (keep ? dirs : dirs.slice(0, concurrent)).reduce((s, b) => s + b, 0);
  return records + scratch;
}

/** Throws when the file system of `dir` has less free space than `need` bytes. */
export function checkSpace(dir: string, need: number): void {
  const free = freeBytes(dir);
  if (free === null || free >= need) return;
  const mb = (b: number): string => `${(b / 1048576).toFixed(b < 10 * 1048576 ? 2 : 0)} MB`;
  throw inputError([`--out ${dir}`], msg('err.out.space', { free: mb(free), need: mb(need) }));
}

/**
 * Checks what `dir` already holds against `sweep` (and `shard`); returns the
 * existing manifest, or null for a fresh folder.
 */
export function checkExisting(dir: string, sweep: Sweep, shard: ShardSpec | null, resume: boolean): Manifest | null {
  const m = readManifest(dir);
  if (m === null) {
    const results = join(dir, RESULTS_FILE);
    if (existsSync(results) && statSync(results).size > 0) throw inputError([`--out ${dir}`], msg('err.out.noManifest', { results: RESULTS_FILE, file: 'manifest.json' }));
    return null;
  }
  if (m.sweep !== sweep.id) {
    throw inputError([`--out ${dir}`], msg('err.out.otherSweep', { a: sweepSaid(m), b: sweepSaid({ name: sweep.name, sweep: sweep.id, runs: sweep.runs }) }));
  }
  const shardText = (s: ShardSpec | null): Msg => (s === null ? msg('err.out.wholeSweep') : msg('err.out.shard', { shard: `${s.index}/${s.count}` }));
  if ((m.shard === null) !== (shard === null) || (m.shard !== null && shard !== null && (m.shard.index !== shard.index || m.shard.count !== shard.count))) {
    throw inputError([`--out ${dir}`], msg('err.out.otherShard', { a: shardText(m.shard), b: shardText(shard) }));
  }
  if (!resume) throw inputError([`--out ${dir}`], msg('err.out.resume'));
  return m;
}

/** Removes a sweep folder's scratch run directories (left by a killed sweep). */
export function cleanScratch(dir: string): void {
  rmSync(join(dir, SCRATCH_DIR), { recursive: true, force: true });
}
