// Issue item 8, reports never overwrite the store: `sweep report --csv
// DIR/results.jsonl` or `--html DIR/manifest.json` overwrote the sweep's own
// files, and the next --resume cut the whole store as "a torn last line"
// and reran everything; `sweep merge … --out SHARD_DIR` rewrote that shard's
// manifest so its own --resume was refused. Now a report refuses any sweep
// folder's own files — by name, and through a link to them — and merge
// refuses a shard's folder as its output; the store is left byte for byte.
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { put, tempDir } from '../helpers.js';
import { buildOnce, gs, lineCount, tinySweep } from '../sweep/helpers.js';
import { expectSentence, inProcess } from './helpers.js';

const work = tempDir('gradscope-store-protect-');
const file = put(work, 'sweep.json', tinySweep({ acts: ['relu'], depths: [1], seeds: [1, 2, 3, 4], steps: 10 }));
const dir = join(work, 'whole');
const shard = join(work, 'shard0');

beforeAll(() => {
  buildOnce();
  for (const args of [['--out', dir], ['--out', shard, '--shard', '0/2']]) {
    const r = gs(['sweep', file, ...args, '--workers', '1']);
    if (r.code !== 0) throw new Error(r.stderr);
  }
}, 240_000);

/** The bytes of a sweep folder's own files. */
const snapshot = (d: string): string[] => ['manifest.json', 'results.jsonl'].map((f) => readFileSync(join(d, f), 'utf8'));

describe('sweep report and merge never overwrite a store (exit 2, store untouched)', () => {
  it('--csv DIR/results.jsonl and --html DIR/manifest.json are refused', async () => {
    const before = snapshot(dir);
    expectSentence(await inProcess(['sweep', 'report', dir, '--csv', join(dir, 'results.jsonl')]), 2, /^gradscope: --csv .*\/whole\/results\.jsonl: is a sweep folder's own results\.jsonl, which a report must not overwrite; choose another file$/);
    expectSentence(await inProcess(['sweep', 'report', dir, '--html', join(dir, 'manifest.json')]), 2, /^gradscope: --html .*\/whole\/manifest\.json: is a sweep folder's own manifest\.json/);
    // another sweep folder's store, and the same file for both outputs
    expectSentence(await inProcess(['sweep', 'report', dir, '--csv', join(shard, 'results.jsonl')]), 2, /shard0\/results\.jsonl: is a sweep folder's own results\.jsonl/);
    expectSentence(await inProcess(['sweep', 'report', dir, '--csv', join(work, 'same'), '--html', join(work, 'same')]), 2, /--html and --csv name the same file/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a link to the store is refused too', async () => {
    const link = join(work, 'link.csv');
    symlinkSync(join(dir, 'results.jsonl'), link);
    const before = snapshot(dir);
    expectSentence(await inProcess(['sweep', 'report', dir, '--csv', link]), 2, /link\.csv: is a sweep folder's own file, which a report must not overwrite/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a report elsewhere is written, and --resume afterwards records nothing again', async () => {
    const r = await inProcess(['sweep', 'report', dir, '--csv', join(work, 'r.csv'), '--html', join(work, 'r.html')]);
    expect(r.code, r.stderr).toBe(0);
    const again = gs(['sweep', file, '--out', dir, '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('4 already recorded, 0 to run');
    expect(lineCount(dir)).toBe(4);
  });

  it('merge --out SHARD_DIR is refused; the shard still resumes', async () => {
    const before = snapshot(shard);
    expectSentence(await inProcess(['sweep', 'merge', dir, shard, '--out', shard]), 2, /--out .*shard0: holds shard 0\/2 of the sweep; merging into it would turn it into the whole sweep's folder and its own --resume --shard 0\/2 would be refused; merge into a new folder$/);
    expect(snapshot(shard)).toEqual(before);
    const again = gs(['sweep', file, '--out', shard, '--shard', '0/2', '--resume']);
    expect(again.code, again.stderr).toBe(0);
  });
});
