/**
 * Appending JSON lines so that a file never holds a torn line: each line is
 * written whole (a short write is continued), and when a write fails — a
 * full disk, a quota, an I/O error — the file is cut back to where the line
 * began before the error is passed on. A line torn by something no program
 * can catch (kill -9, a power cut) is cut off the next time the file is
 * opened for appending. Used by the run directory (metrics.jsonl,
 * steps.jsonl) and by the sweep's result store. Node-side.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { ioReason, jsonSafe } from './files.js';

/** The low-level write (replaceable in tests to simulate a full disk). */
export type WriteFn = (fd: number, buf: Buffer, offset: number, length: number) => number;

/** A failure to append a line; the file holds every whole line written before it and nothing else. */
export class AppendError extends Error {
  override readonly name = 'AppendError';
  /** The errno code of the failed write (ENOSPC, ...), when it had one. */
  readonly code: string | undefined;
  /** Why the write failed, in words ("the disk is full"). */
  readonly reason: string;
  /** Constructs the error for `file` from what the write threw. */
  constructor(readonly file: string, cause: unknown) {
    const reason = ioReason(cause);
    super(`${file}: cannot append a line (${reason}); every line written before is whole`);
    this.code = (cause as NodeJS.ErrnoException).code;
    this.reason = reason;
  }
}

/** Options of `JsonLinesFile.open`. */
export interface JsonLinesOptions {
  /** fsync after every line (a result store: each line is a finished run). */
  readonly durable?: boolean;
  readonly write?: WriteFn;
}

/**
 * Where the torn tail of `fd` (size `size`) starts: after its last newline,
 * or 0 when it has none; `size` when the file ends with a newline.
 */
function tornTailStart(fd: number, size: number): number {
  const chunk = Buffer.allocUnsafe(65536);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const i = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (i >= 0) return start + i + 1;
    end = start;
  }
  return 0;
}

/** A JSON-lines file open for appending whole lines. */
export class JsonLinesFile {
  private fd: number | null;
  private size: number;

  private constructor(readonly file: string, fd: number, size: number, private readonly o: JsonLinesOptions) {
    this.fd = fd;
    this.size = size;
  }

  /**
   * Opens `file` for appending (created if missing). A torn last line left by
   * a killed writer is cut off first; the bytes cut are returned with it.
   */
  static open(file: string, o: JsonLinesOptions = {}): { lines: JsonLinesFile; cut: number } {
    const fd = openSync(file, 'a+');
    try {
      const size = fstatSync(fd).size;
      const keep = tornTailStart(fd, size);
      if (keep < size) ftruncateSync(fd, keep);
      return { lines: new JsonLinesFile(file, fd, keep, o), cut: size - keep };
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Bytes in the file (whole lines only). */
  get bytes(): number {
    return this.size;
  }

  /** Appends `doc` as one line (NaN and ±Infinity as null); throws an AppendError, leaving no torn line, when the write fails. */
  append(doc: unknown): void {
    this.appendLine(`${JSON.stringify(doc, jsonSafe)}\n`);
  }

  /** Appends `line` (which must end with a newline) whole; see `append`. */
  appendLine(line: string): void {
    if (this.fd === null) throw new AppendError(this.file, new Error('the file is closed'));
    const buf = Buffer.from(line, 'utf8');
    const write = this.o.write ?? writeSync;
    try {
      let off = 0;
      while (off < buf.length) off += write(this.fd, buf, off, buf.length - off);
      if (this.o.durable) fsyncSync(this.fd);
    } catch (e) {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // the next open cuts the torn line instead
      }
      throw new AppendError(this.file, e);
    }
    this.size += buf.length;
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
