/**
 * Writing result files so that nothing is ever half-written: whole files are
 * replaced atomically (temporary file, fsync, rename) and the temporary file
 * is removed whatever fails; a folder of files (a report) is replaced as a
 * whole (folders.ts); JSON lines are appended whole or not at all
 * (jsonl.ts). Numbers JSON cannot hold (NaN, ±Infinity) become null.
 * Node-side.
 */
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { ERRNO_WORDS } from '../data/read-file.js';
import { InputError } from '../errors.js';
import { msg, phrase } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';

/** JSON.stringify replacer: NaN and ±Infinity become null (JSON has neither). */
export function jsonSafe(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

/** The reason a write failed, in words (the error's message when it has no known code). */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  // a write names the folder it could not reach, or the directory it found where a file should go
  const words = code === 'ENOENT' ? 'a folder on the way does not exist' : code === 'EISDIR' ? 'it is a directory' : code !== undefined ? ERRNO_WORDS[code] : undefined;
  return words ?? (e as Error).message;
}

let tmpCounter = 0;

/** A temporary name beside `file`, unique to this process, thread and call. */
export function tempNameFor(file: string): string {
  return `${file}.tmp-${process.pid}-${threadId}-${tmpCounter++}`;
}

/** Writes all of `data` to `fd` (a short write is continued). */
function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}

/**
 * Creates `dir` and the folders above it that are missing, one at a time
 * (Node's own recursive mkdir spins forever under /proc and /sys, where
 * mkdir answers ENOENT for a parent that exists). Throws the first error.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) {
    missing.push(d);
    d = dirname(d);
  }
  if (existsSync(d) && !statSync(d).isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR' });
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      // another process or thread made it in between (two runs of a sweep creating one parent)
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(m).isDirectory()) throw e;
    }
  }
}

/** What kind of file system entry `path` is, as a message ("a directory"), when it is not a regular file (null when it is, or is absent). */
function notRegular(path: string): Msg | null {
  let st;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  if (st.isFile()) return null;
  return msg(st.isDirectory() ? 'err.write.dir' : st.isCharacterDevice() || st.isBlockDevice() ? 'err.write.device' : st.isFIFO() ? 'err.write.fifo' : st.isSocket() ? 'err.write.socket' : 'err.write.irregular');
}

/**
 * Writes `file` atomically: a temporary file beside it, fsynced, renamed over
 * it; parent folders are created. When anything fails (a full disk, a
 * read-only folder) the temporary file is removed and `file` keeps its old
 * contents; the error is rethrown.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  // a device, FIFO or folder in the way is never replaced (renaming over /dev/full would destroy it)
  const kind = notRegular(file);
  if (kind !== null) {
    const said = msg('err.write.notFile', { what: kind });
    throw new InputError(`${file}: ${phrase('en', said)}`, { field: file, value: phrase('en', kind), expected: phrase('en', said), quoted: true, said }, [file], said);
  }
  makeDirs(dirname(file));
  const tmp = tempNameFor(file);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'w');
    writeAll(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // closing a file on a failed disk may fail too; removing it is what matters
      }
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * What really stopped `dir` from being created: mkdir on a read-only file
 * system reports ENOENT for a missing folder; the nearest folder that exists
 * tells the truth (EROFS, EACCES).
 */
function creationError(dir: string, e: unknown): unknown {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return e;
  let up = dirname(dir);
  while (!existsSync(up) && dirname(up) !== up) up = dirname(up);
  try {
    accessSync(up, constants.W_OK);
  } catch (why) {
    return why;
  }
  return e;
}

/**
 * Checks that a file can be created in `dir` (created first if needed);
 * returns null when it can, else the reason in words. The probe file is
 * removed either way.
 */
export function unwritableReason(dir: string): string | null {
  const probe = join(dir, `.write-check-${process.pid}-${threadId}`);
  try {
    makeDirs(dir);
    const fd = openSync(probe, 'w');
    try {
      writeAll(fd, Buffer.from('gradscope'));
    } finally {
      closeSync(fd);
    }
    return null;
  } catch (e) {
    return ioReason(creationError(dir, e));
  } finally {
    try {
      rmSync(probe, { force: true });
    } catch {
      // a probe that cannot be removed is harmless: it holds nine bytes
    }
  }
}
