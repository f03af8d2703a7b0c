// `gradscope sweep` through the real command line: a local sweep on two
// worker threads gives the same results as on one; kill -9 at random moments
// and --resume record every run exactly once (a torn last line is repaired);
// Ctrl-C keeps the finished runs; shards merge to the same results; report
// writes HTML and CSV; bad input exits 2 with one sentence before any work.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneCleanLine, put, tempDir } from '../helpers.js';
import { buildOnce, byId, gs, gsAsync, gsStart, lineCount, storeLines, tinySweep, waitFor } from './helpers.js';

beforeAll(buildOnce, 180_000);

// 24 runs of ~30–80 ms: long enough to be killed in the middle of the sweep
const SWEEP = tinySweep({ acts: ['sigmoid', 'tanh', 'relu'], depths: [1, 3], seeds: [1, 2, 3, 4], steps: 150, width: 16 });
const N = 24;

let work: string;
let sweepFile: string;
let reference: Map<string, unknown>;

beforeAll(() => {
  work = tempDir('gradscope-sweep-cli-');
  sweepFile = put(work, 'sweep.json', SWEEP);
  const r = gs(['sweep', sweepFile, '--out', join(work, 'ref'), '--workers', '1']);
  expect(r.code, r.stderr).toBe(0);
  reference = byId(storeLines(join(work, 'ref')));
}, 120_000);

describe('a local sweep', () => {
  it('records every run once, prints a summary table, and two workers give the same results as one', () => {
    expect(reference.size).toBe(N);
    const dir = join(work, 'two');
    const r = gs(['sweep', sweepFile, '--out', dir, '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^activation\s+depth\s+runs\s+test accuracy\s+first\/last at init\s+first\/last at end\s+verdict at end/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1 + 6);
    expect(r.stderr).toMatch(/24 runs, 0 already recorded, 24 to run on 2 workers/);
    expect(r.stderr).toMatch(/sweep done: 24 of 24 runs recorded/);
    expect(lineCount(dir)).toBe(N);
    expect(byId(storeLines(dir))).toEqual(reference);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'results.jsonl']);
  });

  it('refuses to run again into a finished folder without --resume, and does nothing with it', () => {
    const r = gs(['sweep', sweepFile, '--out', join(work, 'ref')]);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain('already holds this sweep; pass --resume to finish it');
    const again = gs(['sweep', sweepFile, '--out', join(work, 'ref'), '--resume', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: N, recorded: N, failed: 0, end: 'done' });
    expect(lineCount(join(work, 'ref'))).toBe(N);
  });

  it('lists the runs with --dry-run without a folder', () => {
    const r = gs(['sweep', sweepFile, '--dry-run', '--json', '--shard', '1/5']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { total: number; runs: { index: number; id: string }[] };
    expect(doc.total).toBe(N);
    expect(doc.runs.map((x) => x.index)).toEqual([1, 6, 11, 16, 21]);
    expect(doc.runs.every((x) => reference.has(x.id))).toBe(true);
  });
});

describe('faults', () => {
  it('survives kill -9 at random moments: --resume records every run exactly once', async () => {
    const dir = join(work, 'killed');
    // once before any result is likely, then twice with results on disk and runs in flight
    const kills: (() => boolean)[] = [() => false, () => lineCount(dir) >= 4, () => lineCount(dir) >= 10];
    for (const [k, when] of kills.entries()) {
      const p = gsStart(['sweep', sweepFile, '--out', dir, '--workers', '2', ...(k > 0 ? ['--resume'] : [])]);
      let exited = false;
      void p.done.then(() => (exited = true));
      if (k === 0) await new Promise((r) => setTimeout(r, 300));
      else await waitFor(() => when() || exited, 60_000, 'results');
      p.child.kill('SIGKILL');
      await p.done;
    }
    const before = lineCount(dir);
    // a write cut short leaves half a line: resume cuts it off
    appendFileSync(join(dir, 'results.jsonl'), '{"format":"gradscope-sweep-result/1","sweep":"0123');
    const r = gs(['sweep', sweepFile, '--out', dir, '--workers', '2', '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/results\.jsonl: dropped a torn last line \(\d+ bytes\) left by an interrupted write/);
    expect(r.stderr).toContain(`${before} already recorded, ${N - before} to run`);
    const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(N);
    expect(new Set(storeLines(dir).map((x) => x.id)).size).toBe(N);
    expect(byId(storeLines(dir))).toEqual(reference);
    expect(existsSync(join(dir, '.scratch'))).toBe(false);
  });

  it('stops on Ctrl-C keeping the finished runs, and --resume completes the sweep', async () => {
    const dir = join(work, 'interrupted');
    const p = gsStart(['sweep', sweepFile, '--out', dir, '--workers', '2']);
    await waitFor(() => lineCount(dir) >= 2, 60_000, 'two results');
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(130);
    const kept = lineCount(dir);
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(N);
    expect(r.stderr).toContain(`stopped by SIGINT: ${kept} of ${N} runs recorded in ${dir}/results.jsonl; rerun with --resume to finish`);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'results.jsonl']); // lock released, scratch removed
    const again = gs(['sweep', sweepFile, '--out', dir, '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(byId(storeLines(dir))).toEqual(reference);
  });
});

describe('shards and merge', () => {
  it('splits into three shards that merge to the same results', async () => {
    const shards = [0, 1, 2].map((i) => join(work, `shard-${i}`));
    const rs = await Promise.all(shards.map((d, i) => gsAsync(['sweep', sweepFile, '--out', d, '--shard', `${i}/3`, '--workers', '1'])));
    rs.forEach((r) => expect(r.code, r.stderr).toBe(0));
    expect(shards.map(lineCount)).toEqual([8, 8, 8]);
    const out = join(work, 'merged');
    const m = gs(['sweep', 'merge', ...shards, '--out', out]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toContain(`into ${out}: 24 of 24 runs`);
    expect(lineCount(out)).toBe(N);
    expect(byId(storeLines(out))).toEqual(reference);
    expect(storeLines(out).map((x) => x.index)).toEqual([...Array(N).keys()]);
    // a shard folder resumes only as the same shard
    const wrong = gs(['sweep', sweepFile, '--out', shards[0], '--shard', '1/3', '--resume']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('holds shard 0/3 of this sweep, not shard 1/3');
  });

  it('refuses to merge folders of different sweeps with a clear message', () => {
    const other = put(work, 'other.json', tinySweep({ acts: ['relu'], depths: [1], seeds: [9], steps: 10 }));
    const dir = join(work, 'other');
    expect(gs(['sweep', other, '--out', dir]).code).toBe(0);
    const r = gs(['sweep', 'merge', join(work, 'ref'), dir, '--out', join(work, 'bad-merge')]);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/cannot merge: .*other holds sweep "tiny" \(id [0-9a-f]{16}, 1 runs\) but .*ref holds sweep "tiny" \(id [0-9a-f]{16}, 24 runs\); merge only folders of one sweep/);
    expect(existsSync(join(work, 'bad-merge'))).toBe(false);
  });
});

describe('report', () => {
  it('writes an HTML report with heatmaps and a CSV of every run', () => {
    const dir = join(work, 'ref');
    const r = gs(['sweep', 'report', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ recorded: N, total: N });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Rows: <code>activation</code>, columns: <code>depth</code>.');
    expect((html.match(/<table class="heatmap">/g) ?? []).length).toBe(3);
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trimEnd().split('\r\n');
    expect(csv).toHaveLength(N + 1);
    expect(csv[0]).toMatch(/^index,id,activation,depth,seed,status,/);
    const bad = gs(['sweep', 'report', dir, '--rows', 'width']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("gradscope: --rows must be one of the swept keys (activation, depth, seed); got 'width'");
  });
});

describe('bad input: exit 2, one sentence, no work done', () => {
  it.each([
    ['a sweep file with a misspelt activation', { ...SWEEP, grid: { activation: ['relu', 'tnah'] } }, [], /sweep\.json: grid\.activation\[1\]: unknown activation 'tnah'/],
    ['a bad --shard', SWEEP, ['--shard', '3/3'], /--shard: the index counts from 0, so it must be below 3/],
    ['--workers 0', SWEEP, ['--workers', '0'], /--workers must be ≥ 1; got 0/],
    ['a bad --queue', SWEEP, ['--queue', 'http://x'], /--queue must be a redis:\/\/ URL/],
  ])('%s', (_name, json, extra, re) => {
    const dir = tempDir('gradscope-sweep-bad-');
    const file = put(dir, 'sweep.json', json);
    const r = gs(['sweep', file, '--out', join(dir, 'out'), ...extra]);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toMatch(re);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('an --out that cannot be written', () => {
    const dir = tempDir('gradscope-sweep-bad-');
    writeFileSync(join(dir, 'afile'), '');
    const r = gs(['sweep', sweepFile, '--out', join(dir, 'afile', 'out')]);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toMatch(/--out .*afile\/out: cannot write there \(a parent is not a directory\); choose another folder/);
  });

  it('an --out holding another sweep', () => {
    const other = join(work, 'other-target');
    mkdirSync(other, { recursive: true });
    const small = put(work, 'small.json', tinySweep({ acts: ['tanh'], depths: [1], seeds: [1], steps: 5 }));
    expect(gs(['sweep', small, '--out', other]).code).toBe(0);
    const r = gs(['sweep', sweepFile, '--out', other, '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds another sweep, "tiny" \(id [0-9a-f]{16}, 1 runs\), but this sweep file gives "tiny" \(id [0-9a-f]{16}, 24 runs\); choose another folder/);
    expect(lineCount(other)).toBe(1);
  });
});
