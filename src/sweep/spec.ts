/**
 * The sweep file `gradscope-sweep/1`: a base run config, a grid (every
 * combination of the listed values) and/or a random search (samples drawn
 * from distributions by a seeded generator), each key a run setting by its
 * name (`activation`, `lr`, `data`, `norm`, `probeEvery`, …; older sweep
 * files' dotted paths such as `optimizer.lr` still work) or `depth` and
 * `width`. Expands the file into runs, each validated by the run schema and
 * named by the hash of its resolved spec; errors are one sentence naming the
 * file, the sweep field and the value (see docs/sweeps.md).
 */
import { msg } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { z } from 'zod';
import { clause, InputError, issueFromZod, partText, phrase, show, ValueError, type InputIssue, type Part, inputError } from '../errors.js';
import { dataShapeOf, type DataShape } from '../experiments/memory.js';
import { loadRunData } from '../experiments/run.js';
import { flattenConfig, writtenAs, type Flattened } from '../run/config.js';
import { parseRun, type RunInput, type RunSpec } from '../run/schema.js';
import { settingNamed } from '../run/settings.js';
import { Rng } from '../tensor/rng.js';
import { canonicalJson, runIdOf, sweepIdOf } from './ids.js';
import { applyParam, finishShape, type Shape } from './params.js';
import { parseDistribution, type Distribution, drawValue } from './distributions.js';

/** The format tag of a sweep file. */
export const SWEEP_FORMAT = 'gradscope-sweep/1';

/** The largest sweep accepted (runs after expansion). */
export const MAX_RUNS = 100_000;

/** One run of a sweep: its place, its id, the values the sweep gave it and its resolved config. */
export interface SweepRun {
  /** Position in the expansion order (0-based); shards take index mod n. */
  readonly index: number;
  /** Stable id: hash of the resolved config (ids.ts). */
  readonly id: string;
  /** The swept keys and the values this run got, in key order. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly config: RunSpec;
}

/** A parsed and expanded sweep. */
export interface Sweep {
  readonly name: string;
  readonly id: string;
  /** The swept keys, grid keys first, in file order. */
  readonly keys: readonly string[];
  readonly runs: readonly SweepRun[];
  /** Combinations that resolved to a config already in the sweep (dropped). */
  readonly duplicates: number;
  /** The sweep file's JSON, kept in the manifest. */
  readonly spec: unknown;
}

const int = z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' });

const sweepSchema = z.strictObject({
  format: z.literal(SWEEP_FORMAT).optional(),
  name: z.string().min(1).max(200).optional(),
  description: z.string().optional(),
  base: z.record(z.string(), z.unknown(), { error: 'must be an object' }).default({}),
  grid: z.record(z.string(), z.array(z.unknown(), { error: 'must be a list of values' }).min(1, { error: 'needs at least 1 value' }), { error: 'must be an object' }).default({}),
  random: z
    .strictObject({
      samples: int.min(1).max(MAX_RUNS),
      seed: int.default(1),
      params: z.record(z.string(), z.unknown(), { error: 'must be an object' }),
    })
    .optional(),
});

const TOP_FIELDS = ['format', 'name', 'description', 'base', 'grid', 'random'];

/** The fields of the sweep file's objects, for "unknown field" messages. */
function sweepFields(path: readonly PropertyKey[]): readonly string[] {
  return path.length === 0 ? TOP_FIELDS : path[0] === 'random' ? ['samples', 'seed', 'params'] : [];
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** Checks a swept key's spelling (a name or a dotted path); the run schema checks that the setting exists. */
function checkKey(file: string, where: Part, key: string): void {
  if (!KEY_RE.test(key) || key.split('.').some((s) => FORBIDDEN.has(s))) {
    throw inputError([file, where], msg('err.got', { clause: msg('err.sweep.key', { a: 'activation', b: 'lr' }), value: show(key) }));
  }
}

/** The setting a swept key sets, for saying a field once in messages. */
function fieldOf(key: string): string {
  return key === 'depth' || key === 'width' ? 'arch' : settingNamed(key)?.name ?? key;
}

/** "file: where: problem", saying the field once when it is the swept key's own. */
function sweepError(file: string, where: Part, issue: InputIssue, key: string): InputError {
  const own = key !== '' && (issue.field === key || issue.field === fieldOf(key));
  return new InputError(`${file}: ${partText(where)}: ${own ? clause(issue) : phrase(issue)}`, issue, own ? [file, where] : [file, where, issue.field]);
}

/** Resolves flat settings, phrasing a schema error as "file: where: problem". */
function resolve(f: Flattened, file: string, where: Part, key: string): RunSpec {
  try {
    return parseRun(f.input as RunInput);
  } catch (e) {
    if (!(e instanceof InputError) || !e.issue) throw e;
    throw sweepError(file, where, { ...e.issue, field: writtenAs(e.issue, f.written) }, key);
  }
}

/** Builds a run's flat settings from the base and a list of (key, value) settings. */
function configWith(base: Flattened, baseArch: readonly number[], settings: readonly (readonly [string, unknown])[]): Flattened {
  const f: Flattened = { input: structuredClone(base.input), written: new Map(base.written) };
  const shape: Shape = {};
  for (const [k, v] of settings) applyParam(f, shape, k, v);
  finishShape(f, shape, baseArch);
  return f;
}

/** Describes a run's settings for an error message: activation="relu", depth=4. */
function settingsText(settings: readonly (readonly [string, unknown])[]): string {
  return settings.map(([k, v]) => `${k}=${show(v)}`).join(', ');
}

/** Calls `f`, turning an issue from applying a setting into an InputError at `where`. */
function settingAt<T>(file: string, where: Part, f: () => T, key = ''): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError && e.issue) throw sweepError(file, where, e.issue, key);
    if (e instanceof InputError) throw e.within(file, where);
    if (e instanceof ValueError) throw new InputError(`${file}: ${partText(where)}: ${clause(e.at(''))}`, e.at(''), [file, where]);
    throw e;
  }
}

/** Most levels of nesting a sweep file may have (deeper JSON is a mistake, and overflows the stack of JSON.stringify). */
export const MAX_NESTING = 64;

/** The nesting depth of a JSON value, counted without recursion. */
function nestingDepth(v: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop() as [unknown, number];
    if (x === null || typeof x !== 'object') continue;
    max = Math.max(max, d + 1);
    if (max > MAX_NESTING) return max;
    for (const c of Object.values(x)) stack.push([c, d + 1]);
  }
  return max;
}

/** Synthetic sets larger than this are not drawn by a sweep's data check (a typo such as 1e9 would exhaust memory). */
export const MAX_SYNTHETIC_SAMPLES = 1_000_000;

/**
 * Validates parsed JSON as a sweep file and expands it into runs: the grid's
 * combinations (first key outermost), each crossed with every random sample.
 * Throws an InputError naming `file`, the sweep field and the value.
 */
export function parseSweep(json: unknown, file: string): Sweep {
  const fields = { a: 'base', b: 'grid', c: 'random' };
  if (nestingDepth(json) > MAX_NESTING) throw inputError([file], msg('err.sweep.deep', { n: String(MAX_NESTING), what: msg('err.sweep.what', fields) }));
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw inputError([file], msg('err.got', { clause: msg('err.sweep.what', fields), value: show(json) }));
  const r = sweepSchema.safeParse(json);
  if (!r.success) {
    const issue = issueFromZod(r.error.issues[0], json, { fieldsAt: sweepFields });
    throw new InputError(`${file}: ${phrase(issue)}`, issue, [file, issue.field]);
  }
  const s = r.data;

  // the base: stepsEvery defaults to 0 (a sweep keeps no per-step files)
  const base = settingAt(file, 'base', () => flattenConfig({ stepsEvery: 0, ...structuredClone(s.base) }));
  const baseCfg = resolve(base, file, 'base', '');
  const gridKeys = Object.keys(s.grid);
  const randKeys = s.random ? Object.keys(s.random.params) : [];
  gridKeys.forEach((k) => checkKey(file, `grid.${k}`, k));
  randKeys.forEach((k) => checkKey(file, `random.params.${k}`, k));
  const both = gridKeys.find((k) => randKeys.includes(k));
  if (both !== undefined) throw inputError([file, `random.params.${both}`], msg('err.got', { clause: msg('err.sweep.both', { grid: 'grid' }), value: show(both) }));
  const keys = [...gridKeys, ...randKeys];
  const clash = keys.includes('arch') ? keys.find((k) => k === 'depth' || k === 'width') : undefined;
  if (clash !== undefined) throw inputError([file, `${gridKeys.includes(clash) ? 'grid' : 'random.params'}.${clash}`], msg('err.got', { clause: msg('err.sweep.arch', { arch: 'arch', depth: 'depth', width: 'width' }), value: show(clash) }));

  // distributions: numeric bounds must be valid values (with the first grid point, for depth/width and the like)
  const dists = new Map<string, Distribution>();
  const firstGrid = gridKeys.map((k) => [k, s.grid[k][0]] as const);
  for (const k of randKeys) {
    const where = `random.params.${k}`;
    const d = settingAt(file, where, () => parseDistribution((s.random as { params: Record<string, unknown> }).params[k]));
    dists.set(k, d);
    if (d.kind === 'choice') continue;
    ([d.lo, d.hi] as const).forEach((v, i) => {
      const w = `${where}.${d.kind}[${i}]`;
      resolve(settingAt(file, w, () => configWith(base, baseCfg.arch, [...firstGrid, [k, v]]), k), file, w, k);
    });
  }

  /**
   * Attributes a failing combination to the one entry that fails on its own
   * with the same complaint (a misspelt name); a combination whose entries
   * are each fine alone is reported as the combination.
   */
  const blame = (settings: readonly (readonly [string, unknown])[], complaint: InputIssue | undefined): void => {
    for (const [k, v] of settings) {
      const gi = gridKeys.includes(k) ? s.grid[k].findIndex((x) => canonicalJson(x) === canonicalJson(v)) : -1;
      const d = dists.get(k);
      const ci = d?.kind === 'choice' ? d.values.findIndex((x) => canonicalJson(x) === canonicalJson(v)) : -1;
      const where = gi >= 0 ? `grid.${k}[${gi}]` : ci >= 0 ? `random.params.${k}.choice[${ci}]` : `random.params.${k}`;
      try {
        resolve(settingAt(file, where, () => configWith(base, baseCfg.arch, [[k, v]]), k), file, where, k);
      } catch (e) {
        const alone = e instanceof InputError ? e.issue : undefined;
        if (alone && complaint && alone.field === complaint.field && alone.expected === complaint.expected) throw e;
      }
    }
  };

  let total = 1;
  for (const k of gridKeys) total *= s.grid[k].length;
  total *= s.random ? s.random.samples : 1;
  if (total > MAX_RUNS) {
    const product = gridKeys.map((k) => `${k}: ${s.grid[k].length}`).concat(s.random ? [`random.samples: ${s.random.samples}`] : []).join(' × ');
    throw inputError([file], msg('err.got', { clause: msg('err.sweep.tooMany', { grid: 'grid', random: 'random', n: String(total), max: String(MAX_RUNS) }), value: product }));
  }

  // random samples, drawn once in key order from the sweep's own generator
  const samples: (readonly [string, unknown])[][] = [];
  if (s.random) {
    const rng = new Rng(s.random.seed);
    for (let i = 0; i < s.random.samples; i++) samples.push(randKeys.map((k) => [k, drawValue(dists.get(k) as Distribution, rng)] as const));
  } else samples.push([]);

  const runs: SweepRun[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  const counters = gridKeys.map(() => 0);
  for (let g = 0; g < total / samples.length; g++) {
    const gridSettings = gridKeys.map((k, j) => [k, s.grid[k][counters[j]]] as const);
    for (const sample of samples) {
      const settings = [...gridSettings, ...sample];
      const where = settings.length > 0 ? msg('err.sweep.run', { settings: settingsText(settings) }) : msg('err.sweep.runBase');
      let cfg: RunSpec;
      try {
        cfg = resolve(settingAt(file, where, () => configWith(base, baseCfg.arch, settings)), file, where, '');
      } catch (e) {
        blame(settings, e instanceof InputError ? e.issue : undefined);
        throw e;
      }
      const id = runIdOf(cfg);
      if (seen.has(id)) {
        duplicates++;
        continue;
      }
      seen.add(id);
      runs.push({ index: runs.length, id, params: Object.fromEntries(settings), config: cfg });
    }
    // odometer over the grid, last key fastest
    for (let j = gridKeys.length - 1; j >= 0; j--) {
      counters[j]++;
      if (counters[j] < s.grid[gridKeys[j]].length) break;
      counters[j] = 0;
    }
  }
  const id = sweepIdOf(runs.map((run) => run.id));
  return { name: s.name ?? `sweep-${id.slice(0, 8)}`, id, keys, runs, duplicates, spec: json };
}

/**
 * Loads the data of every distinct data setting of a sweep once, so a data
 * set that is missing or does not fit the architecture fails before any run
 * starts; throws an InputError naming `file` and the run's settings. Returns
 * the shape of each run's data by run id, for the memory estimate.
 */
export function checkSweepData(sweep: Sweep, file: string): ReadonlyMap<string, DataShape> {
  const shapes = new Map<string, DataShape>();
  const byKey = new Map<string, DataShape>();
  for (const run of sweep.runs) {
    const c = run.config;
    const key = canonicalJson({ data: c.data, samples: c.samples, noise: c.noise, classes: c.classes, testFraction: c.testFraction, in: c.arch[0], out: c.arch[c.arch.length - 1], norm: c.norm === 'batch' });
    const known = byKey.get(key);
    if (known !== undefined) {
      shapes.set(run.id, known);
      continue;
    }
    const where: Part = Object.keys(run.params).length ? msg('err.sweep.run', { settings: settingsText(Object.entries(run.params)) }) : 'base';
    if (c.model !== null) throw inputError([file, where, 'model'], msg('err.got', { clause: msg('err.sweep.model', { cmd: 'gradscope train' }), value: show(c.model) }));
    if (c.samples !== null && c.samples > MAX_SYNTHETIC_SAMPLES && !c.data.startsWith('mnist:') && c.data !== 'digits') {
      throw inputError([file, where, 'samples'], msg('err.got', { clause: msg('err.sweep.samples', { n: String(MAX_SYNTHETIC_SAMPLES) }), value: String(c.samples) }));
    }
    const shape = dataShapeOf(loadRunData(c, `${file}: ${partText(where)}`), c.data === 'digits');
    byKey.set(key, shape);
    shapes.set(run.id, shape);
  }
  return shapes;
}

/** "the run with activation="relu", depth=4" for a run's swept values (or "the base config"), as a message. */
export function runSettings(run: SweepRun): Msg {
  return Object.keys(run.params).length ? msg('err.sweep.run', { settings: settingsText(Object.entries(run.params)) }) : msg('err.mem.baseConfig');
}
