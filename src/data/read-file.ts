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
import { inputError } from '../errors.js';
import { msg, phrase } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';

/** Largest JSON file read (V8 cannot hold a string much past 512 MB; parsing needs several times the text). */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** What a file that is not a regular file is, as a message. */
function kindOf(s: Stats): Msg {
  if (s.isDirectory()) return msg('err.io.isDir');
  if (s.isFIFO()) return msg('err.io.fifo');
  if (s.isCharacterDevice()) return msg('err.io.charDevice', { example: '/dev/zero' });
  if (s.isBlockDevice()) return msg('err.io.blockDevice');
  if (s.isSocket()) return msg('err.io.socket');
  return msg('err.io.notRegular');
}

/** The message of each errno code a file-system call may fail with. */
const ERRNO_SAID: Readonly<Record<string, Msg>> = {
  ENOENT: msg('err.io.noFile'),
  EISDIR: msg('err.io.isDir'),
  EACCES: msg('err.io.denied'),
  EPERM: msg('err.io.denied'),
  ENOTDIR: msg('err.io.parentNotDir'),
  ELOOP: msg('err.io.loop'),
  ENAMETOOLONG: msg('err.io.nameTooLong'),
  EIO: msg('err.io.io'),
  EMFILE: msg('err.io.tooManyOpen'),
  ENFILE: msg('err.io.tooManyOpen'),
  ENOSPC: msg('err.io.diskFull'),
  EDQUOT: msg('err.io.quota'),
  EROFS: msg('err.io.readOnly'),
  EFBIG: msg('err.io.tooBig'),
};

/** What failed file-system calls mean, in words, by errno code (shared with the writers, experiments/files.ts). */
export const ERRNO_WORDS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(ERRNO_SAID).map(([code, m]) => [code, phrase('en', m)]));

/** The reason an open or read failed, as a message (the error's own message, English, when it has no known code). */
export function readReasonSaid(e: unknown): Msg | string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined ? ERRNO_SAID[code] : undefined) ?? (e as Error).message;
}

/** The reason an open or read failed, in words (the error's message when it has no known code). */
export function readReason(e: unknown): string {
  const r = readReasonSaid(e);
  return typeof r === 'string' ? r : phrase('en', r);
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
  /** What the file is, for the too-large message (err.what.model: "a model file"; default "a file"). */
  readonly what?: Msg;
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
  const refuse = (why: Msg | string): never => {
    throw inputError([label], msg('err.read', { why }));
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return refuse(readReasonSaid(e));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return refuse(kindOf(st));
    const cap = { max: megabytes(max), what: o.what ?? msg('err.what.file') };
    if (st.size > max) return refuse(msg('err.read.tooLarge', { size: megabytes(st.size), ...cap }));
    const grew = (): never => refuse(msg('err.read.grew', cap));
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
        return refuse(readReasonSaid(e));
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
