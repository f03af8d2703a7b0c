/**
 * Getting a sweep folder ready before any run starts: it must be a writable
 * directory with room for the results (and the runs' scratch directories),
 * and a folder that already holds a sweep must hold this one, the same
 * shard, and be resumed on purpose. Every problem is an InputError naming
 * the folder, so `gradscope sweep` exits 2 having done no work.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { RunSpec } from '../run/schema.js';
import type { Sweep } from './spec.js';
import { describeSweep, freeBytes, ioReason, readManifest, RESULTS_FILE, type Manifest, type ShardSpec } from './store.js';

/** The scratch folder for run directories inside a sweep folder (removed at start and end). */
export const SCRATCH_DIR = '.scratch';
/** Where --keep-runs keeps run directories. */
export const RUNS_DIR = 'runs';

/** Creates `dir` if needed and checks that a file can be written in it. */
export function checkWritable(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`--out ${dir}: exists and is not a directory`);
  const probe = join(dir, `.write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, 'gradscope');
    rmSync(probe);
  } catch (e) {
    throw new InputError(`--out ${dir}: cannot write there (${ioReason(e)}); choose another folder`);
  }
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
  throw new InputError(`--out ${dir}: only ${mb(free)} free but the sweep needs about ${mb(need)}; free some space or choose another folder`);
}

/**
 * Checks what `dir` already holds against `sweep` (and `shard`); returns the
 * existing manifest, or null for a fresh folder.
 */
export function checkExisting(dir: string, sweep: Sweep, shard: ShardSpec | null, resume: boolean): Manifest | null {
  const m = readManifest(dir);
  if (m === null) {
    const results = join(dir, RESULTS_FILE);
    if (existsSync(results) && statSync(results).size > 0) throw new InputError(`--out ${dir}: has ${RESULTS_FILE} but no manifest.json, so it is not a sweep folder gradscope can add to; choose another folder`);
    return null;
  }
  if (m.sweep !== sweep.id) {
    throw new InputError(`--out ${dir}: holds another sweep, ${describeSweep(m)}, but this sweep file gives ${describeSweep({ name: sweep.name, sweep: sweep.id, runs: sweep.runs })}; choose another folder`);
  }
  const shardText = (s: ShardSpec | null): string => (s === null ? 'the whole sweep' : `shard ${s.index}/${s.count}`);
  if ((m.shard === null) !== (shard === null) || (m.shard !== null && shard !== null && (m.shard.index !== shard.index || m.shard.count !== shard.count))) {
    throw new InputError(`--out ${dir}: holds ${shardText(m.shard)} of this sweep, not ${shardText(shard)}; resume it with the same --shard or choose another folder`);
  }
  if (!resume) throw new InputError(`--out ${dir}: already holds this sweep; pass --resume to finish it, or choose another folder`);
  return m;
}

/** Removes a sweep folder's scratch run directories (left by a killed sweep). */
export function cleanScratch(dir: string): void {
  rmSync(join(dir, SCRATCH_DIR), { recursive: true, force: true });
}
