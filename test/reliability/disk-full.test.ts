// Issue item 4, nothing half-written on a full disk, on real file systems
// (tmpfs; needs root, as CI has): `train` used to leave a torn,
// newline-less last line in metrics.jsonl and *.tmp-PID files that kept the
// disk full; the study wrote a new results.json beside the old index.html
// and summary.md and left a partial temp file. Now a run that fills the
// disk stops with one sentence (exit 1), every line on disk is whole and no
// temporary file is left; a report folder is wholly the old report or
// wholly the new one; the appender and the atomic writer hold the same on
// injected write failures.
import { readdirSync, readFileSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/cli/commands/study.js';
import { writeFileAtomic } from '../../src/experiments/files.js';
import { JsonLinesFile } from '../../src/experiments/jsonl.js';
import { makeFixture } from '../../src/report/fixture.test-helper.js';
import { put, tempDir } from '../helpers.js';
import { buildOnce, gs } from '../sweep/helpers.js';
import { canMount, expectSentence, tmpfs, unmountAll } from './helpers.js';

beforeAll(buildOnce, 180_000);
afterAll(unmountAll);

/** Every file under `dir` whose name marks it as temporary. */
function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp-|\.new-|\.old-|\.write-check/.test(f));
}

/** Fills the file system of `dir` up to `leave` free bytes with one file; returns its path. */
function fill(dir: string, leave: number): string {
  const s = statfsSync(dir);
  const filler = join(dir, 'filler');
  try {
    writeFileSync(filler, Buffer.alloc(Math.max(0, s.bavail * s.bsize - leave)));
  } catch {
    // full already: that is the point
  }
  return filler;
}

describe.skipIf(!canMount)('a full disk (tmpfs)', () => {
  it('train: exit 1 in one sentence, metrics.jsonl and steps.jsonl hold whole lines only, no temporary file left', () => {
    const disk = tmpfs('96k') as string;
    const cfg = put(tempDir(), 'long.json', { arch: '2-16-16-2', data: 'moons', loss: 'cross_entropy', epochs: null, maxSteps: 5000, stepsEvery: 1, probe: { every: 50 } });
    const out = join(disk, 'run');
    const r = gs(['train', cfg, '--out', out]);
    expectSentence(r, 1, /^gradscope: the run failed: (.*(metrics|steps)\.jsonl: cannot append a line \(the disk is full\); every line written before is whole|cannot write the run directory .* \(the disk is full\); the files written so far are whole)/);
    for (const f of ['metrics.jsonl', 'steps.jsonl']) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text.length).toBeGreaterThan(0);
      expect(text.endsWith('\n'), `${f} ends with a torn line: …${text.slice(-80)}`).toBe(true);
      for (const line of text.split('\n').filter((l) => l !== '')) expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(leftovers(disk)).toEqual([]);
  });

  it('the study report: the folder stays wholly the old report when the new one does not fit, and becomes wholly the new one when it does', () => {
    const disk = tmpfs('4m') as string;
    const report = join(disk, 'report');
    const old = makeFixture();
    writeReport(report, old);
    const before = Object.fromEntries(readdirSync(report).map((f) => [f, readFileSync(join(report, f), 'utf8')]));
    expect(Object.keys(before).sort()).toEqual(['index.html', 'results.json', 'summary.md']);
    const filler = fill(disk, 64 * 1024);
    const next = { ...old, seed: old.seed + 1 };
    expect(() => writeReport(report, next, '--out report')).toThrow(/^--out report: cannot write the report \(the disk is full\); the folder keeps its previous contents$/);
    expect(Object.fromEntries(readdirSync(report).map((f) => [f, readFileSync(join(report, f), 'utf8')]))).toEqual(before);
    expect(leftovers(disk)).toEqual([]);
    writeFileSync(filler, '');
    writeReport(report, next);
    expect((JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as { seed: number }).seed).toBe(old.seed + 1);
    expect(leftovers(disk)).toEqual([]);
  });

  it('writeFileAtomic: the old contents stay and the temporary file is removed', () => {
    const disk = tmpfs('64k') as string;
    const f = join(disk, 'summary.json');
    writeFileAtomic(f, 'old\n');
    fill(disk, 1024);
    expect(() => writeFileAtomic(f, 'x'.repeat(32 * 1024))).toThrow(/ENOSPC/);
    expect(readFileSync(f, 'utf8')).toBe('old\n');
    expect(leftovers(disk)).toEqual([]);
  });
});

describe('the JSON-lines appender on failing writes', () => {
  it('cuts a line whose write fails part-way, and cuts a torn tail when it reopens', () => {
    const f = join(tempDir(), 'lines.jsonl');
    let budget = Infinity; // bytes the fake disk still takes
    const write = (fd: number, buf: Buffer, off: number, len: number): number => {
      if (budget <= 0) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      const n = Math.min(len, budget);
      budget -= n;
      return writeSync(fd, buf, off, n);
    };
    const { lines } = JsonLinesFile.open(f, { write });
    lines.append({ a: 1 });
    budget = 5; // the next line is cut after 5 bytes
    expect(() => lines.append({ b: 'a longer line' })).toThrow(/lines\.jsonl: cannot append a line \(the disk is full\); every line written before is whole$/);
    budget = Infinity;
    lines.append({ c: 3 });
    lines.close();
    expect(readFileSync(f, 'utf8')).toBe('{"a":1}\n{"c":3}\n');
    // a writer killed mid-line leaves a torn tail; the next open cuts it
    writeFileSync(f, '{"a":1}\n{"c":3}\n{"d":', { flag: 'w' });
    const again = JsonLinesFile.open(f);
    expect(again.cut).toBe(5);
    again.lines.append({ e: NaN });
    again.lines.close();
    expect(readFileSync(f, 'utf8')).toBe('{"a":1}\n{"c":3}\n{"e":null}\n');
  });
});
