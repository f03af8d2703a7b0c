// The result store: torn-line repair, exactly-once appends, a full disk
// that stops cleanly keeping what is written, and the lock that keeps two
// sweeps out of one folder (taken over after kill -9).
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/sweep/lock.js';
import { errorRecord, recordLine, type RunRecord } from '../../src/sweep/record.js';
import { readResults, RESULTS_FILE, ResultStore, StoreWriteError } from '../../src/sweep/store.js';
import { tempDir } from '../helpers.js';

const SWEEP = '0123456789abcdef';

function rec(i: number, sweep = SWEEP): RunRecord {
  return { ...errorRecord({ sweep, id: i.toString(16).padStart(16, '0'), index: i, params: { seed: i } }, `run ${i}`, 0.5), finishedAt: '2025-01-01T00:00:00.000Z' };
}

function fileWith(text: string): { dir: string; file: string } {
  const dir = tempDir('gradscope-store-');
  const file = join(dir, RESULTS_FILE);
  writeFileSync(file, text);
  return { dir, file };
}

describe('reading and repairing a store', () => {
  it('cuts a torn last line and says so', () => {
    const good = [rec(1), rec(2)].map(recordLine).join('');
    const { file } = fileWith(`${good}{"format":"gradscope-sweep-result/1","swe`);
    const r = readResults(file, SWEEP, true);
    expect(r.records.map((x) => x.index)).toEqual([1, 2]);
    expect(r.notes).toEqual([`${file}: dropped a torn last line (41 bytes) left by an interrupted write`]);
    expect(readFileSync(file, 'utf8')).toBe(good);
    expect(readResults(file, SWEEP, true).notes).toEqual([]);
  });

  it('ends a complete last line that lost only its newline', () => {
    const text = [rec(1), rec(2)].map(recordLine).join('');
    const { file } = fileWith(text.slice(0, -1));
    expect(readResults(file, SWEEP, true).records).toHaveLength(2);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('drops unreadable lines inside the file and repeated ids by an atomic rewrite', () => {
    const { file } = fileWith(`${recordLine(rec(1))}garbage\n${recordLine(rec(2))}${recordLine(rec(1))}\n\n`);
    const r = readResults(file, SWEEP, true);
    expect(r.records.map((x) => x.index)).toEqual([1, 2]);
    expect(r.notes.join(' ')).toMatch(/dropped 1 unreadable line inside the file.*dropped 1 repeated result/);
    expect(readFileSync(file, 'utf8')).toBe(recordLine(rec(1)) + recordLine(rec(2)));
  });

  it('reads without repairing when asked (merge and report leave inputs alone)', () => {
    const torn = `${recordLine(rec(1))}{"form`;
    const { file } = fileWith(torn);
    expect(readResults(file, SWEEP, false).notes).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(torn);
  });

  it("refuses another sweep's results", () => {
    const { file } = fileWith(recordLine(rec(1, 'ffffffffffffffff')));
    expect(() => readResults(file, SWEEP, true)).toThrow(/line 1 holds a result of sweep ffffffffffffffff, not of this sweep \(0123456789abcdef\)/);
  });
});

describe('appending', () => {
  it('records each id once and survives reopening', () => {
    const dir = tempDir('gradscope-store-');
    const { store } = ResultStore.open(dir, SWEEP);
    expect(store.append(rec(1))).toBe(true);
    expect(store.append(rec(1))).toBe(false);
    expect(store.append(rec(2))).toBe(true);
    store.close();
    const again = ResultStore.open(dir, SWEEP);
    expect(again.contents.records.map((r) => r.index)).toEqual([1, 2]);
    expect(again.store.append(rec(2))).toBe(false);
    expect(again.store.count).toBe(2);
    again.store.close();
  });

  it('stops on a full disk with a clear error, cutting the partial line and keeping the rest', () => {
    const dir = tempDir('gradscope-store-');
    let budget = 2 * recordLine(rec(1)).length + 100; // room for two lines and part of a third
    const write = (fd: number, buf: Buffer, off: number, len: number): number => {
      if (budget <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(len, budget);
      budget -= n;
      appendFileSync(fd, buf.subarray(off, off + n));
      return n;
    };
    const { store } = ResultStore.open(dir, SWEEP, write);
    store.append(rec(1));
    store.append(rec(2));
    expect(() => store.append(rec(3))).toThrow(StoreWriteError);
    expect(() => store.append(rec(4))).toThrow(/cannot record a result \(the disk is full\); the 2 results written so far are kept — fix that and rerun with --resume/);
    store.close();
    expect(readFileSync(join(dir, RESULTS_FILE), 'utf8')).toBe(recordLine(rec(1)) + recordLine(rec(2)));
  });
});

describe('the lock', () => {
  it('keeps a second sweep out while the first holds the folder', () => {
    const dir = tempDir('gradscope-store-');
    const file = join(dir, 'x.lock');
    // a live process on this host holds it
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    writeFileSync(file, JSON.stringify({ host: hostname(), pid: holder.pid, since: '2025-01-01T00:00:00Z' }));
    try {
      expect(() => acquireLock(file, dir)).toThrow(new RegExp(`in use by another gradscope sweep \\(pid ${holder.pid} on ${hostname()}.*delete ${file} if that process is gone`));
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over the lock of a process that was killed', async () => {
    const dir = tempDir('gradscope-store-');
    const file = join(dir, 'x.lock');
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(file, JSON.stringify({ host: hostname(), pid: dead.pid, since: '2025-01-01T00:00:00Z' }));
    const lock = acquireLock(file, dir);
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});
