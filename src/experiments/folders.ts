/**
 * Replacing a folder of result files (the study's report: index.html,
 * results.json, summary.md) as a whole, so that it is always either wholly
 * the old report or wholly the new one: the new files are written and
 * fsynced in a sibling folder, which then takes the old folder's place by
 * two renames. When anything fails — a full disk, a read-only folder — the
 * new folder is removed and the old one is untouched. A process killed
 * between the two renames leaves the old folder under a sibling name; the
 * next write (or `recoverFolder`) puts it back. A folder holding files that
 * are not part of the report is refused rather than replaced; entries named
 * to be carried (the study's sweep records) are copied from the old folder
 * into the new one before the swap. Node-side.
 */
import { closeSync, cpSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { ioReason, makeDirs, writeFileAtomic } from './files.js';

/** Sibling names: `<dir>.new-<pid>-<thread>` while writing, `<dir>.old-<pid>-<thread>` during the swap. */
const SIBLING = /^(.*)\.(new|old)-(\d+)-(\d+)$/;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Cleans up after a writer of `dir` that was killed: an old folder left
 * between the two renames goes back in place, a half-written new folder is
 * removed. Folders of writers still running are left alone.
 */
export function recoverFolder(dir: string): void {
  const parent = dirname(dir);
  const name = basename(dir);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const e of entries) {
    const m = SIBLING.exec(e);
    if (m === null || m[1] !== name || alive(Number(m[3]))) continue;
    const path = join(parent, e);
    if (m[2] === 'old' && !existsSync(dir)) renameSync(path, dir);
    else rmSync(path, { recursive: true, force: true });
  }
}

/** Options of `replaceFolder`. */
export interface ReplaceOptions {
  /** Names an existing folder may hold and still be replaced (besides the new files' names). */
  readonly own?: readonly string[];
  /** Entries of an existing folder (files or folders) copied into the new one, so they survive the replacement (allowed like `own`). */
  readonly carry?: readonly string[];
  /** How the folder is named in messages (default: its path). */
  readonly label?: string;
}

/**
 * Checks, before the work that produces them, that `dir` can be replaced
 * by a folder of `names` (recovering it from a killed writer first): it is
 * missing, or a folder holding only those names and `own`. Throws an
 * InputError otherwise. Returns whether it exists.
 */
export function checkReplaceable(dir: string, names: readonly string[], o: ReplaceOptions = {}): boolean {
  const label = o.label ?? dir;
  recoverFolder(dir);
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st === undefined) return false;
  if (!st.isDirectory()) throw new InputError(`${label}: exists and is not a folder; choose another --out`);
  const allowed = new Set([...names, ...(o.own ?? []), ...(o.carry ?? [])]);
  const foreign = readdirSync(dir).filter((f) => !allowed.has(f));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).map((f) => JSON.stringify(f)).join(', ') + (foreign.length > 3 ? `, … (${foreign.length} in all)` : '');
    throw new InputError(`${label}: holds files that are not part of the report (${shown}), so it is not replaced; choose an empty folder or one holding only a gradscope report`);
  }
  return true;
}

/**
 * Makes `dir` hold exactly `files` (name → contents) and the `carry` entries
 * it already had, atomically as a whole.
 * Throws an InputError when `dir` is not a folder or holds other files, and
 * rethrows a failed write after removing what it wrote (the old folder is
 * then untouched).
 */
export function replaceFolder(dir: string, files: Readonly<Record<string, string | Uint8Array>>, o: ReplaceOptions = {}): void {
  const exists = checkReplaceable(dir, Object.keys(files), o);
  makeDirs(dirname(dir));
  const fresh = `${dir}.new-${process.pid}-${threadId}`;
  const old = `${dir}.old-${process.pid}-${threadId}`;
  rmSync(fresh, { recursive: true, force: true });
  try {
    mkdirSync(fresh);
    for (const [name, data] of Object.entries(files)) writeFileAtomic(join(fresh, name), data);
    // copied, not moved: until the swap the old folder stays whole
    if (exists) for (const name of o.carry ?? []) if (!(name in files) && existsSync(join(dir, name))) cpSync(join(dir, name), join(fresh, name), { recursive: true });
    fsyncPath(fresh);
  } catch (e) {
    rmSync(fresh, { recursive: true, force: true });
    throw e;
  }
  if (!exists) {
    try {
      renameSync(fresh, dir);
    } catch (e) {
      rmSync(fresh, { recursive: true, force: true });
      throw e;
    }
  } else {
    try {
      renameSync(dir, old);
    } catch (e) {
      rmSync(fresh, { recursive: true, force: true });
      // a mount point cannot be renamed: there the files are replaced one by one, each atomically
      if (['EBUSY', 'EXDEV', 'EPERM'].includes((e as NodeJS.ErrnoException).code ?? '')) {
        for (const [name, data] of Object.entries(files)) writeFileAtomic(join(dir, name), data);
        return;
      }
      throw e;
    }
    try {
      renameSync(fresh, dir);
    } catch (e) {
      renameSync(old, dir);
      rmSync(fresh, { recursive: true, force: true });
      throw e;
    }
    rmSync(old, { recursive: true, force: true });
  }
  fsyncPath(dirname(dir));
}

/** The sentence for a report folder that could not be written (`ioReason` of the failure). */
export function folderWriteFailure(label: string, e: unknown): string {
  return `${label}: cannot write the report (${ioReason(e)}); the folder keeps its previous contents`;
}
