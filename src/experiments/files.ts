/**
 * Writing result files so that nothing is ever half-written: whole files are
 * replaced atomically (temporary file, fsync, rename), and numbers JSON
 * cannot hold (NaN, ±Infinity) become null. Node-side.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** JSON.stringify replacer: NaN and ±Infinity become null (JSON has neither). */
export function jsonSafe(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

/** Writes `file` atomically: a temporary file beside it, fsynced, renamed over it; parent folders are created. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
