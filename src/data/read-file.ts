/**
 * Reading a file a user named (a run config, a sweep file, a model, inputs,
 * targets, an IDX file, a sweep folder's manifest): one way for every
 * command, so every read is bounded. Only regular files are read — a FIFO,
 * a device such as /dev/zero, a socket or a directory is refused before a
 * byte is read, since reading one may never end — and no more than a cap
 * is read, so a file that is too large (or grows while it is read) is
 * refused instead of filling the memory. Every failure is an InputError
 * naming the file and the reason. Node-side.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { InputError } from '../errors.js';

/** Largest JSON file read (V8 cannot hold a string much past 512 MB; parsing needs several times the text). */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** What a file that is not a regular file is, in words. */
function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'is a directory';
  if (s.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (s.isCharacterDevice()) return 'is a character device (such as /dev/zero), not a regular file';
  if (s.isBlockDevice()) return 'is a block device, not a regular file';
  if (s.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/** What failed file-system calls mean, in words, by errno code (shared with the writers, experiments/files.ts). */
export const ERRNO_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a parent is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'an input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EFBIG: 'the file is larger than the file system allows',
};

/** The reason an open or read failed, in words (the error's message when it has no known code). */
export function readReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined ? ERRNO_WORDS[code] : undefined) ?? (e as Error).message;
}

/** A size for messages: "17 MB", "1.5 MB", "12 kB", "999 bytes". */
export function megabytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1048576) return `${Math.round(bytes / 1024)} kB`;
  const mb = bytes / 1048576;
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** Options of `readUserFile`. */
export interface ReadOptions {
  /** Most bytes accepted (default MAX_JSON_BYTES). */
  readonly maxBytes?: number;
  /** What the file is, for the too-large message ("a model file"; default "a file"). */
  readonly what?: string;
  /** The name used in messages (default: the path). */
  readonly label?: string;
}

/**
 * Reads the regular file `path` whole; throws an InputError — "FILE: cannot
 * read the file (REASON)" — for a missing or unreadable file, a file that is
 * not a regular file, or one larger than `maxBytes`.
 */
export function readUserFile(path: string, o: ReadOptions = {}): Buffer {
  const label = o.label ?? path;
  const max = o.maxBytes ?? MAX_JSON_BYTES;
  const refuse = (why: string): never => {
    throw new InputError(`${label}: cannot read the file (${why})`);
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return refuse(readReason(e));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return refuse(kindOf(st));
    const cap = `the ${megabytes(max)} ${o.what ?? 'a file'} may have`;
    if (st.size > max) return refuse(`${megabytes(st.size)} is more than ${cap}`);
    const grew = (): never => refuse(`it grew past ${cap} while it was read`);
    // read until the end, but never past the cap (a file may grow, and /proc files report size 0)
    let buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(st.size + 1, 65536)));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (buf.length > max) return grew();
        const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      let got: number;
      try {
        got = readSync(fd, buf, n, buf.length - n, null);
      } catch (e) {
        return refuse(readReason(e));
      }
      if (got === 0) break;
      n += got;
    }
    if (n > max) return grew();
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Reads the regular file `path` as UTF-8 text (a byte-order mark removed); see `readUserFile`. */
export function readUserText(path: string, o: ReadOptions = {}): string {
  const text = readUserFile(path, o).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
