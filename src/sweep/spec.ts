/**
 * The sweep file `gradscope-sweep/1`: a base run config, a grid (every
 * combination of the listed values) and/or a random search (samples drawn
 * from distributions by a seeded generator), each key a dotted path into the
 * run config (`activation`, `optimizer.lr`, `data.name`, `norm`, ...) or one
 * of the shorthands `lr`, `depth` and `width`. Expands the file into runs,
 * each validated by `parseRunConfig` and named by the hash of its resolved
 * config; errors are one sentence naming the file, the sweep field and the
 * value (see docs/sweeps.md).
 */
import { z } from 'zod';
import { dataShapeOf, type DataShape } from '../experiments/memory.js';
import { loadRunData } from '../experiments/run.js';
import { parseRunConfig, type RunConfig } from '../experiments/run-config.js';
import { InputError, show } from '../nn/model-file.js';
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
  readonly config: RunConfig;
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
  base: z.record(z.string(), z.unknown()).default({}),
  grid: z.record(z.string(), z.array(z.unknown()).min(1)).default({}),
  random: z
    .strictObject({
      samples: int.min(1).max(MAX_RUNS),
      seed: int.default(1),
      params: z.record(z.string(), z.unknown()),
    })
    .optional(),
});

const TOP_FIELDS = ['format', 'name', 'description', 'base', 'grid', 'random'];

/** One zod issue of the sweep schema as "path: problem; got value". */
function issueSentence(issue: z.core.$ZodIssue, root: unknown): string {
  const path = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '') || '(top level)';
  let got: unknown = root;
  for (const k of issue.path) got = got !== null && typeof got === 'object' ? (got as Record<PropertyKey, unknown>)[k] : undefined;
  const gotS = got === undefined ? '' : `; got ${show(got)}`;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const at = issue.path.length === 0 ? issue.keys[0] : `${path}.${issue.keys[0]}`;
      const fields = issue.path.length === 0 ? TOP_FIELDS : ['samples', 'seed', 'params'];
      return `${at}: unknown field; expected one of ${fields.join(', ')}`;
    }
    case 'invalid_type':
      if (got === undefined) return `${path}: is required`;
      return `${path}: must be ${issue.message.startsWith('must be ') ? issue.message.slice(8) : issue.expected === 'array' ? 'a list of values' : issue.expected === 'record' || issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}${gotS}`;
    case 'too_small':
      return issue.origin === 'array' ? `${path}: needs at least ${String(issue.minimum)} value${issue.minimum === 1 ? '' : 's'}${gotS}` : `${path}: must be ≥ ${String(issue.minimum)}${gotS}`;
    case 'too_big':
      return `${path}: must be ≤ ${String(issue.maximum)}${gotS}`;
    case 'invalid_value':
      return `${path}: must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}${gotS}`;
    default:
      return `${path}: ${issue.message}${gotS}`;
  }
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** Checks a swept key's spelling (a dotted path); the run-config parser checks that the field exists. */
function checkKey(file: string, where: string, key: string): void {
  if (!KEY_RE.test(key) || key.split('.').some((s) => FORBIDDEN.has(s))) {
    throw new InputError(`${file}: ${where}: a swept key is a dotted path into the run config such as activation or optimizer.lr; got ${show(key)}`);
  }
}

/** Parses `cfg`, rewriting a run-config error as "file: where: problem". */
function resolve(cfg: Record<string, unknown>, file: string, where: string, field: string): RunConfig {
  const label = '\u0000cfg';
  try {
    return parseRunConfig(cfg, label);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    let rest = e.message.startsWith(`${label}: `) ? e.message.slice(label.length + 2) : e.message;
    // "activation: unknown activation ..." under grid.activation[2] says the field once
    if (field !== '' && rest.startsWith(`${field}: `)) rest = rest.slice(field.length + 2);
    throw new InputError(`${file}: ${where}: ${rest}`);
  }
}

/** The run-config path a swept key sets, for matching run-config errors. */
function fieldOf(key: string): string {
  return key === 'lr' ? 'optimizer.lr' : key === 'depth' || key === 'width' ? 'arch' : key;
}

/** Builds a run config from the base and a list of (key, value) settings. */
function configWith(base: Record<string, unknown>, baseArch: readonly number[], settings: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const cfg = structuredClone(base);
  const shape: Shape = {};
  for (const [k, v] of settings) applyParam(cfg, shape, k, v);
  finishShape(cfg, shape, baseArch);
  return cfg;
}

/** Describes a run's settings for an error message: activation="relu", depth=4. */
function settingsText(settings: readonly (readonly [string, unknown])[]): string {
  return settings.map(([k, v]) => `${k}=${show(v)}`).join(', ');
}

/** Calls `f`, turning a plain Error from applying a setting into an InputError at `where`. */
function settingAt<T>(file: string, where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: ${where}: ${(e as Error).message}`);
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
  if (nestingDepth(json) > MAX_NESTING) throw new InputError(`${file}: is nested more than ${MAX_NESTING} levels deep; a sweep file is a JSON object with base, grid and/or random`);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new InputError(`${file}: a sweep file is a JSON object with base, grid and/or random; got ${show(json)}`);
  const r = sweepSchema.safeParse(json);
  if (!r.success) throw new InputError(`${file}: ${issueSentence(r.error.issues[0], json)}`);
  const s = r.data;

  // the base: stepsEvery defaults to 0 (a sweep keeps no per-step files)
  const base: Record<string, unknown> = { stepsEvery: 0, ...structuredClone(s.base) };
  const baseCfg = resolve(base, file, 'base', '');
  const gridKeys = Object.keys(s.grid);
  const randKeys = s.random ? Object.keys(s.random.params) : [];
  gridKeys.forEach((k) => checkKey(file, `grid.${k}`, k));
  randKeys.forEach((k) => checkKey(file, `random.params.${k}`, k));
  const both = gridKeys.find((k) => randKeys.includes(k));
  if (both !== undefined) throw new InputError(`${file}: random.params.${both}: is also a grid key; sweep each key one way; got ${show(both)}`);
  const keys = [...gridKeys, ...randKeys];
  const clash = keys.includes('arch') ? keys.find((k) => k === 'depth' || k === 'width') : undefined;
  if (clash !== undefined) throw new InputError(`${file}: ${gridKeys.includes(clash) ? 'grid' : 'random.params'}.${clash}: cannot be swept together with arch (depth and width rewrite arch); got ${show(clash)}`);

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
      resolve(settingAt(file, w, () => configWith(base, baseCfg.arch, [...firstGrid, [k, v]])), file, w, fieldOf(k));
    });
  }

  /**
   * Attributes a failing combination to the one entry that fails on its own
   * with the same complaint (a misspelt name); a combination whose entries
   * are each fine alone is reported as the combination.
   */
  const blame = (settings: readonly (readonly [string, unknown])[], complaint: string): void => {
    for (const [k, v] of settings) {
      const gi = gridKeys.includes(k) ? s.grid[k].findIndex((x) => canonicalJson(x) === canonicalJson(v)) : -1;
      const d = dists.get(k);
      const ci = d?.kind === 'choice' ? d.values.findIndex((x) => canonicalJson(x) === canonicalJson(v)) : -1;
      const where = gi >= 0 ? `grid.${k}[${gi}]` : ci >= 0 ? `random.params.${k}.choice[${ci}]` : `random.params.${k}`;
      try {
        resolve(settingAt(file, where, () => configWith(base, baseCfg.arch, [[k, v]])), file, where, fieldOf(k));
      } catch (e) {
        const alone = (e as Error).message.slice(`${file}: ${where}: `.length);
        const field = fieldOf(k);
        if (complaint === alone || complaint === `${field}: ${alone}`) throw e;
      }
    }
  };

  let total = 1;
  for (const k of gridKeys) total *= s.grid[k].length;
  total *= s.random ? s.random.samples : 1;
  if (total > MAX_RUNS) throw new InputError(`${file}: grid and random make ${total} runs, more than the ${MAX_RUNS} a sweep may hold; got ${gridKeys.map((k) => `${k}: ${s.grid[k].length}`).concat(s.random ? [`random.samples: ${s.random.samples}`] : []).join(' × ')}`);

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
      const where = `the run with ${settingsText(settings) || 'the base config'}`;
      let cfg: RunConfig;
      try {
        cfg = resolve(settingAt(file, where, () => configWith(base, baseCfg.arch, settings)), file, where, '');
      } catch (e) {
        blame(settings, (e as Error).message.slice(`${file}: ${where}: `.length));
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
    const key = canonicalJson({ data: c.data, in: c.arch[0], out: c.arch[c.arch.length - 1], norm: c.norm === 'batch' });
    const known = byKey.get(key);
    if (known !== undefined) {
      shapes.set(run.id, known);
      continue;
    }
    const label = '\u0000cfg';
    const where = Object.keys(run.params).length ? `the run with ${settingsText(Object.entries(run.params))}` : 'base';
    if (c.data.samples !== null && c.data.samples > MAX_SYNTHETIC_SAMPLES && !c.data.name.startsWith('mnist:') && c.data.name !== 'digits') {
      throw new InputError(`${file}: ${where}: data.samples: at most ${MAX_SYNTHETIC_SAMPLES} examples of a synthetic set; got ${c.data.samples}`);
    }
    try {
      const shape = dataShapeOf(loadRunData(c, label), c.data.name === 'digits');
      byKey.set(key, shape);
      shapes.set(run.id, shape);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // loadRunData names its own fields; errors of the data loaders name the data set
      const rest = e.message.startsWith(`${label}: `) ? e.message.slice(label.length + 2) : `data.name: ${e.message}`;
      throw new InputError(`${file}: ${where}: ${rest}`);
    }
  }
  return shapes;
}

/** "activation="relu", depth=4" for a run's swept values (or "the base config"). */
export function runSettings(run: SweepRun): string {
  return Object.keys(run.params).length ? `the run with ${settingsText(Object.entries(run.params))}` : 'the base config';
}
