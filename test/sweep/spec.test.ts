// The sweep file: grid and random expansion, stable run ids, shorthands,
// shards, and one-sentence errors that name the file, the sweep field and
// the value.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { runFromConfig as parseRunConfig } from '../../src/run/config.js';
import { runIdOf } from '../../src/sweep/ids.js';
import { inShard, parseShard } from '../../src/sweep/shard.js';
import { checkSweepData, MAX_RUNS, parseSweep } from '../../src/sweep/spec.js';
import { tinySweep } from './helpers.js';

const F = 'sweep.json';

/** The message parseSweep (and the data check) throws for `json`, or '' when it accepts it. */
function problem(json: unknown): string {
  try {
    checkSweepData(parseSweep(json, F), F);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
}

describe('grid expansion', () => {
  it('crosses every grid key, first key outermost, last key fastest', () => {
    const s = parseSweep(tinySweep(), F);
    expect(s.runs).toHaveLength(12);
    expect(s.keys).toEqual(['activation', 'depth', 'seed']);
    expect(s.runs.slice(0, 3).map((r) => r.params)).toEqual([
      { activation: 'sigmoid', depth: 1, seed: 1 },
      { activation: 'sigmoid', depth: 1, seed: 2 },
      { activation: 'sigmoid', depth: 3, seed: 1 },
    ]);
    expect(s.runs.map((r) => r.index)).toEqual([...Array(12).keys()]);
    expect(new Set(s.runs.map((r) => r.id)).size).toBe(12);
  });

  it('rebuilds arch from depth and width around the base input and output sizes', () => {
    const s = parseSweep({ base: { arch: '2-16-2', loss: 'cross_entropy', data: 'moons' }, grid: { depth: [1, 3], width: [4] } }, F);
    expect(s.runs.map((r) => r.config.arch)).toEqual([
      [2, 4, 2],
      [2, 4, 4, 4, 2],
    ]);
  });

  it('gives each run the id of its resolved config, whatever the spelling of the sweep', () => {
    const a = parseSweep({ base: { data: { name: 'moons' }, arch: '2-8-2', loss: 'cross_entropy', optimizer: 'sgd' }, grid: { lr: [0.1, 0.2] } }, F);
    const b = parseSweep({ base: { loss: 'cross_entropy', arch: [2, 8, 2], optimizer: { name: 'sgd' }, data: 'moons' }, grid: { 'optimizer.lr': [0.1, 0.2] } }, F);
    expect(a.runs.map((r) => r.id)).toEqual(b.runs.map((r) => r.id));
    expect(a.id).toBe(b.id);
    expect(a.runs[0].id).toBe(runIdOf(parseRunConfig(a.runs[0].config, 'x')));
    expect(a.runs[1].config.lr).toBe(0.2);
  });

  it('sets a shorthand field inside the base object, keeping the rest of it', () => {
    const s = parseSweep({ base: { optimizer: { name: 'sgd', lr: 0.05 } }, grid: { optimizer: ['adam', 'sgd'] } }, F);
    expect(s.runs.map((r) => [r.config.optimizer, r.config.lr])).toEqual([
      ['adam', 0.05],
      ['sgd', 0.05],
    ]);
  });

  it('drops combinations that resolve to a config already in the sweep', () => {
    const s = parseSweep({ grid: { lr: [0.1, 0.1, 0.3] } }, F);
    expect(s.runs).toHaveLength(2);
    expect(s.duplicates).toBe(1);
  });

  it('defaults stepsEvery to 0 for sweeps but keeps a base that sets it', () => {
    expect(parseSweep({}, F).runs[0].config.stepsEvery).toBe(0);
    expect(parseSweep({ base: { stepsEvery: 5 } }, F).runs[0].config.stepsEvery).toBe(5);
  });
});

describe('random search', () => {
  const spec = (seed: number): unknown => ({
    base: { data: 'moons', arch: '2-8-2', loss: 'cross_entropy' },
    grid: { seed: [1, 2] },
    random: { samples: 5, seed, params: { lr: { logUniform: [1e-3, 1] }, init: { choice: ['he_normal', 'xavier_normal'] }, width: { int: [4, 32] }, dropout: { uniform: [0, 0.5] } } },
  });

  it('draws the same samples from the same seed, crossed with every grid point', () => {
    const a = parseSweep(spec(7), F);
    expect(a.runs).toHaveLength(10);
    expect(a.keys).toEqual(['seed', 'lr', 'init', 'width', 'dropout']);
    expect(parseSweep(spec(7), F).runs.map((r) => r.id)).toEqual(a.runs.map((r) => r.id));
    expect(parseSweep(spec(8), F).id).not.toBe(a.id);
    // samples 0..4 with seed 1, then the same samples with seed 2
    expect(a.runs[5].params.lr).toBe(a.runs[0].params.lr);
    for (const r of a.runs) {
      const lr = r.params.lr as number;
      expect(lr).toBeGreaterThanOrEqual(1e-3);
      expect(lr).toBeLessThanOrEqual(1);
      expect(Number(lr.toPrecision(6))).toBe(lr);
      expect(Number.isInteger(r.params.width)).toBe(true);
      expect(r.config.arch[1]).toBe(r.params.width);
    }
  });
});

describe('shards', () => {
  it('parses i/n counted from 0 and rejects the rest', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3 / 4 ')).toEqual({ index: 3, count: 4 });
    expect(() => parseShard('4/4')).toThrow(/counts from 0, so it must be below 4/);
    expect(() => parseShard('1of4')).toThrow(/--shard must look like i\/n/);
    expect(() => parseShard('0/0')).toThrow(/between 1 and 100000/);
  });

  it('splits the runs into n disjoint parts that cover the sweep', () => {
    const runs = parseSweep(tinySweep(), F).runs;
    for (const n of [1, 2, 3, 5, 12, 13]) {
      const parts = Array.from({ length: n }, (_, i) => runs.filter((r) => inShard(r.index, { index: i, count: n })).map((r) => r.id));
      expect(parts.flat().sort()).toEqual(runs.map((r) => r.id).sort());
      expect(Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length))).toBeLessThanOrEqual(1);
    }
  });
});

describe('bad sweep files: one sentence naming the file, the field and the value', () => {
  const base = { data: 'moons', arch: '2-8-2', loss: 'cross_entropy' };
  const cases: [string, unknown, RegExp][] = [
    ['not an object', [1, 2], /^sweep\.json: a sweep file is a JSON object with base, grid and\/or random; got \[1,2\]$/],
    ['unknown top-level field', { grdi: {} }, /^sweep\.json: grdi: unknown field; expected one of format, name/],
    ['wrong format tag', { format: 'gradscope-sweep/2' }, /^sweep\.json: format: must be "gradscope-sweep\/1"; got "gradscope-sweep\/2"$/],
    ['grid value not a list', { grid: { activation: 'relu' } }, /^sweep\.json: grid\.activation: must be a list of values; got "relu"$/],
    ['empty grid list', { grid: { seed: [] } }, /^sweep\.json: grid\.seed: needs at least 1 value; got \[\]$/],
    ['misspelt activation', { base, grid: { activation: ['relu', 'rleu'] } }, /^sweep\.json: grid\.activation\[1\]: unknown activation .*rleu.*relu/],
    ['misspelt config field', { base, grid: { activaton: ['relu'] } }, /^sweep\.json: grid\.activaton\[0\]: unknown field \(did you mean activation\?\)/],
    ['bad base', { base: { ...base, optimizer: { lr: -1 } } }, /^sweep\.json: base: optimizer\.lr: must be > 0; got -1$/],
    ['depth 0', { base, grid: { depth: [2, 0] } }, /^sweep\.json: grid\.depth\[1\]: must be between 1 and 1000; got 0$/],
    ['depth not an integer', { base, grid: { depth: ['3'] } }, /^sweep\.json: grid\.depth\[0\]: must be an integer; got "3"$/],
    ['arch and depth together', { base, grid: { arch: ['2-4-2'], depth: [2] } }, /grid\.depth: cannot be swept together with arch/],
    ['bad key', { grid: { __proto__x: [1], 'a..b': [1] } }, /a swept key is a run setting such as activation or lr; got "a\.\.b"/],
    ['unknown distribution', { random: { samples: 2, params: { lr: { normal: [0, 1] } } } }, /^sweep\.json: random\.params\.lr: must be one of \{"choice"/],
    ['logUniform from 0', { random: { samples: 2, params: { lr: { logUniform: [0, 1] } } } }, /^sweep\.json: random\.params\.lr: logUniform needs 0 < lo ≤ hi; got \[0,1\]$/],
    ['uniform reaching an invalid lr', { random: { samples: 2, params: { lr: { uniform: [0, 1] } } } }, /^sweep\.json: random\.params\.lr\.uniform\[0\]: must be > 0; got 0$/],
    ['bad choice', { base, random: { samples: 2, params: { init: { choice: ['he_normal', 'he_nromal'] } } } }, /^sweep\.json: random\.params\.init\.choice\[1\]: unknown initialiser 'he_nromal' \(did you mean he_normal\?\)/],
    ['random samples 0', { random: { samples: 0, params: {} } }, /^sweep\.json: random\.samples: must be ≥ 1; got 0$/],
    ['key both in grid and random', { grid: { lr: [0.1] }, random: { samples: 1, params: { lr: { uniform: [0.1, 1] } } } }, /random\.params\.lr: is also a grid key/],
    ['too many runs', { grid: Object.fromEntries(['seed', 'lr', 'batchSize', 'dropout'].map((k, i) => [k, Array.from({ length: 20 }, (_, j) => (k === 'dropout' ? j / 40 : j + 1 + i))])) }, new RegExp(`make 160000 runs, more than the ${MAX_RUNS}`)],
    ['a combination that does not fit', { base, grid: { activation: [['relu', 'tanh']], depth: [2, 3] } }, /^sweep\.json: the run with activation=\["relu","tanh"\], depth=3: activation: arch 2-8-8-8-2 has 3 hidden layers but the list has 2 activations/],
    ['data that does not fit the arch', { base: { ...base, arch: '784-30-10' } }, /^sweep\.json: base: arch: starts with 784 inputs but dataset 'moons' has 2 features/],
    ['a missing MNIST folder', { base: { arch: '784-30-10', data: 'mnist:/no/such/dir' } }, /^sweep\.json: base: data: MNIST directory '\/no\/such\/dir' does not exist$/],
  ];
  it.each(cases)('%s', (_name, json, re) => {
    const msg = problem(json);
    expect(msg).toMatch(re);
    expect(msg).not.toContain('\n');
  });
});
