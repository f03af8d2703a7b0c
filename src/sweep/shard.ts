/**
 * Shards and merging: `--shard i/n` runs the runs whose index is i mod n
 * (i counted from 0, like Kubernetes' JOB_COMPLETION_INDEX), so n machines
 * started by any batch scheduler split a sweep without talking to each
 * other; `mergeSweepDirs` joins their folders back into one sweep, refusing
 * folders of different sweeps.
 */
import { msg, phrase } from '../i18n/catalogue.js';
import { join } from 'node:path';
import { InputError, inputError } from '../errors.js';
import { show } from '../nn/model-file.js';
import { deterministicPart, type RunRecord } from './record.js';
import { canonicalJson } from './ids.js';
import { sweepSaid, readManifest, readResults, RESULTS_FILE, type Manifest, type ShardSpec } from './store.js';

/** Parses "i/n" (0 ≤ i < n); throws an InputError naming the option. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) {
    const said = msg('err.got', { clause: msg('err.shard.form', { form: 'i/n', example: '0/4', n: '4' }), value: show(text) });
    throw new InputError(`--shard ${phrase('en', said)}`, undefined, ['--shard'], said);
  }
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 100_000) throw inputError(['--shard'], msg('err.got', { clause: msg('err.shard.count', { max: '100000' }), value: show(text) }));
  if (index >= count) throw inputError(['--shard'], msg('err.got', { clause: msg('err.shard.index', { n: String(count), first: `0/${count}`, last: `${count - 1}/${count}` }), value: show(text) }));
  return { index, count };
}

/** Whether run `index` belongs to `shard` (every run does when there are no shards). */
export function inShard(index: number, shard: ShardSpec | null): boolean {
  return shard === null || index % shard.count === shard.index;
}

/** What merging found. */
export interface MergeResult {
  /** The manifest of the whole sweep. */
  readonly manifest: Manifest;
  /** One record per run found, in run order. */
  readonly records: RunRecord[];
  /** Runs of the sweep that no folder has. */
  readonly missing: number;
  /** Runs found in more than one folder (kept once). */
  readonly duplicates: number;
  /** One sentence per thing worth knowing (torn lines skipped, conflicting duplicates). */
  readonly notes: string[];
}

/** Reads and joins the sweep folders `dirs`; throws an InputError when they hold different sweeps. */
export function mergeSweepDirs(dirs: readonly string[]): MergeResult {
  if (dirs.length === 0) throw inputError([], msg('err.merge.none', { cmd: 'sweep merge' }));
  const manifests = dirs.map((d) => {
    const m = readManifest(d);
    if (m === null) throw inputError([d], msg('err.sweep.noManifest', { file: 'manifest.json' }));
    return m;
  });
  const first = manifests[0];
  manifests.forEach((m, i) => {
    if (m.sweep !== first.sweep) throw inputError([], msg('err.merge.other', { a: dirs[i], sa: sweepSaid(m), b: dirs[0], sb: sweepSaid(first) }));
  });
  const known = new Map(first.runs.map((r) => [r.id, r.index]));
  const byId = new Map<string, RunRecord>();
  const notes: string[] = [];
  let duplicates = 0;
  dirs.forEach((d) => {
    const { records, notes: n } = readResults(join(d, RESULTS_FILE), first.sweep, false);
    notes.push(...n.map((s) => s.replace(/^(.*?): dropped/, '$1: skipped')));
    for (const r of records) {
      if (!known.has(r.id)) {
        notes.push(`${d}: skipped a result of run ${r.id}, which is not in the sweep`);
        continue;
      }
      const had = byId.get(r.id);
      if (had === undefined) byId.set(r.id, r);
      else {
        duplicates++;
        if (canonicalJson(deterministicPart(had)) !== canonicalJson(deterministicPart(r))) notes.push(`run ${r.id} has different results in two folders (different machines or versions?); kept the first`);
      }
    }
  });
  const records = [...byId.values()].sort((a, b) => a.index - b.index);
  return { manifest: { ...first, shard: null, created: new Date().toISOString() }, records, missing: first.runs.length - records.length, duplicates, notes };
}
