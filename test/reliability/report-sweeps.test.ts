// The study's report folder holds stage 3's sweep records (lr-sweep/) beside
// the three report files. Writing a report replaces the folder as a whole
// (experiments/folders.ts), so the records must be carried into the new
// folder — or `gradscope study --resume` would find nothing to resume — and
// must stay as they were when the new report cannot be written.
import { existsSync, mkdirSync, readdirSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SWEEPS_DIR, writeReport } from '../../src/cli/commands/study.js';
import { makeFixture } from '../../src/report/fixture.test-helper.js';
import { tempDir } from '../helpers.js';
import { canMount, tmpfs, unmountAll } from './helpers.js';

afterAll(unmountAll);

/** Every file under `dir` with its contents, by relative path. */
function tree(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
  return Object.fromEntries(files.sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** A sweep record as the study leaves it: a manifest and whole result lines. */
function sweepRecord(report: string): void {
  const d = join(report, SWEEPS_DIR, 'study-quick-lr-selection-0123456789abcdef');
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'manifest.json'), '{"name":"study-quick-lr-selection"}\n');
  writeFileSync(join(d, 'results.jsonl'), '{"key":"a","result":{"testAccuracy":0.9}}\n{"key":"b","result":{"testAccuracy":0.8}}\n');
}

describe('the report folder and the sweep records', () => {
  it('a new report keeps lr-sweep/ byte for byte, and replaces the three report files', () => {
    const report = join(tempDir(), 'report');
    writeReport(report, makeFixture());
    sweepRecord(report);
    const sweeps = tree(join(report, SWEEPS_DIR));
    expect(Object.keys(sweeps).length).toBe(2);
    const next = { ...makeFixture(), seed: 42 };
    writeReport(report, next);
    expect(tree(join(report, SWEEPS_DIR))).toEqual(sweeps);
    expect(readdirSync(report).sort()).toEqual(['index.html', SWEEPS_DIR, 'results.json', 'summary.md'].sort());
    expect((JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as { seed: number }).seed).toBe(42);
  });

  it('a folder holding only lr-sweep/ (a study stopped before its first report) takes the report and keeps the records', () => {
    const report = join(tempDir(), 'report');
    sweepRecord(report);
    const sweeps = tree(join(report, SWEEPS_DIR));
    writeReport(report, makeFixture());
    expect(tree(join(report, SWEEPS_DIR))).toEqual(sweeps);
    expect(existsSync(join(report, 'index.html'))).toBe(true);
  });

  it('a folder with other files is still refused, naming them', () => {
    const report = join(tempDir(), 'report');
    sweepRecord(report);
    writeFileSync(join(report, 'notes.txt'), 'mine\n');
    expect(() => writeReport(report, makeFixture(), '--out report')).toThrow(/^--out report: holds files that are not part of the report \("notes\.txt"\)/);
    expect(readFileSync(join(report, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it.skipIf(!canMount)('on a full disk the folder stays the old report with the same records (tmpfs)', () => {
    const disk = tmpfs('4m') as string;
    const report = join(disk, 'report');
    writeReport(report, makeFixture());
    sweepRecord(report);
    const before = tree(report);
    const s = statfsSync(disk);
    try {
      writeFileSync(join(disk, 'filler'), Buffer.alloc(Math.max(0, s.bavail * s.bsize - 64 * 1024)));
    } catch {
      // full already
    }
    expect(() => writeReport(report, { ...makeFixture(), seed: 7 }, '--out report')).toThrow(/the folder keeps its previous contents$/);
    expect(tree(report)).toEqual(before);
  });
});
