/**
 * Tests of a training run: the run directory's files and their lines, the
 * loss going down, bit-identical metrics for the same seed, a blow-up ending
 * as a finding, Ctrl-C (the stop flag) leaving a complete directory, and
 * loading the data.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateModel } from '../nn/model-file.js';
import { configHash, loadRunData, runTraining, type RunHooks, type RunSummary } from './run.js';
import { runFromConfig } from '../run/config.js';
import type { RunSpec } from '../run/schema.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gradscope-run-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

type Line = Record<string, unknown> & { step: number; layers: Record<string, number | null>[] };

function lines(file: string): Line[] {
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}

const MOONS = { arch: '2-8-8-2', activation: 'tanh', init: 'xavier_uniform', loss: 'cross_entropy', optimizer: { name: 'sgd', lr: 0.5 }, batchSize: 16, epochs: null, maxSteps: 200, data: { name: 'moons', samples: 400 }, probe: { every: 20, samples: 200 }, seed: 7 };

async function run(json: unknown, name: string, hooks: RunHooks = {}): Promise<{ cfg: RunSpec; dir: string; summary: RunSummary }> {
  const cfg = runFromConfig(json, `${name}.json`);
  const dir = join(root, name);
  mkdirSync(dir);
  const summary = await runTraining(cfg, dir, { configFile: `${name}.json`, ...hooks });
  return { cfg, dir, summary };
}

describe('runTraining on moons (2-8-8-2, 200 steps)', () => {
  let a: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    a = await run(MOONS, 'moons-a');
  });

  it('writes config.json, metrics.jsonl, steps.jsonl, summary.json and model.json', () => {
    for (const f of ['config.json', 'metrics.jsonl', 'steps.jsonl', 'summary.json', 'model.json']) expect(existsSync(join(a.dir, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(a.dir, 'config.json'), 'utf8'))).toEqual(a.cfg);
    expect(validateModel(JSON.parse(readFileSync(join(a.dir, 'model.json'), 'utf8')), 'model.json').layers).toHaveLength(6);
  });

  it('writes one metrics line per probe: steps 0, 20, …, 200, one layer entry per weight layer', () => {
    const m = lines(join(a.dir, 'metrics.jsonl'));
    expect(m.map((l) => l.step)).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    for (const l of m) {
      expect(l.layers.map((x) => x.index)).toEqual([1, 2, 3]);
      for (const k of ['biasGradNorm', 'weightGradNorm', 'updateRatio', 'meanAbsDerivative', 'saturatedFraction', 'deadFraction', 'activationMean', 'activationStd']) expect(l.layers[0]).toHaveProperty(k);
      expect(l).toHaveProperty('firstToLast');
      expect(l).toHaveProperty('verdict.kind');
      expect(typeof l.testAccuracy).toBe('number');
    }
    expect(m[0].layers[0].updateRatio).toBeNull(); // no update yet
    expect(m[1].layers[0].updateRatio).toBeGreaterThan(0);
  });

  it('writes one steps line per step with per-layer bias-gradient norms', () => {
    const s = lines(join(a.dir, 'steps.jsonl'));
    expect(s.map((l) => l.step)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(s[0].biasGradNorms).toHaveLength(3);
  });

  it('makes the loss go down', () => {
    const m = lines(join(a.dir, 'metrics.jsonl'));
    expect(m[m.length - 1].loss as number).toBeLessThan(0.7 * (m[0].loss as number));
    expect(a.summary.finalProbeLoss).toBeLessThan(a.summary.atInit.loss);
  });

  it('summarises the run', () => {
    const s = JSON.parse(readFileSync(join(a.dir, 'summary.json'), 'utf8')) as RunSummary;
    expect(s).toMatchObject({ steps: 200, totalSteps: 200, stopReason: 'max_steps', nonFinite: null, model: 'model.json', configHash: configHash(a.cfg) });
    expect(s.dataset).toEqual({ name: 'moons', train: 320, test: 80 });
    expect(s.trainAccuracy).toBeGreaterThan(0.75);
    expect(s.testAccuracy).toBeGreaterThan(0.7);
    expect(s.atInit.layers).toHaveLength(3);
    expect(s.atEnd.layers).toHaveLength(3);
    expect(s.atEnd.step).toBe(200);
    expect(typeof s.atInit.verdict.kind).toBe('string');
    expect(s.wallSeconds).toBeGreaterThan(0);
  });

  it('gives identical metrics and steps lines for the same seed (apart from timing)', async () => {
    const b = await run(MOONS, 'moons-b');
    const strip = (l: Line): Line => ({ ...l, seconds: 0 });
    expect(lines(join(b.dir, 'metrics.jsonl')).map(strip)).toEqual(lines(join(a.dir, 'metrics.jsonl')).map(strip));
    expect(readFileSync(join(b.dir, 'steps.jsonl'), 'utf8')).toBe(readFileSync(join(a.dir, 'steps.jsonl'), 'utf8'));
    expect(readFileSync(join(b.dir, 'model.json'), 'utf8')).toBe(readFileSync(join(a.dir, 'model.json'), 'utf8'));
  });

  it('does not depend on how the steps are chunked between event-loop yields (dropout draws included)', async () => {
    const cfg = { ...MOONS, dropout: 0.2, activation: 'rrelu' };
    const x = await run(cfg, 'chunk-x');
    // a slow clock makes every chunk one step long
    let t = 0;
    const y = await run(cfg, 'chunk-y', { clock: () => (t += 1000) });
    expect(readFileSync(join(y.dir, 'steps.jsonl'), 'utf8')).toBe(readFileSync(join(x.dir, 'steps.jsonl'), 'utf8'));
    expect(readFileSync(join(y.dir, 'model.json'), 'utf8')).toBe(readFileSync(join(x.dir, 'model.json'), 'utf8'));
  });

  it('gives different results for another seed', async () => {
    const c = await run({ ...MOONS, seed: 8 }, 'moons-c');
    expect(readFileSync(join(c.dir, 'model.json'), 'utf8')).not.toBe(readFileSync(join(a.dir, 'model.json'), 'utf8'));
  });
});

describe('runTraining: other endings', () => {
  it('ends an exploding run with stopReason non_finite and a finding naming the step and layer', async () => {
    const { dir, summary } = await run(
      { arch: '2-32x6-2', activation: 'relu', init: 'normal:10', optimizer: { lr: 1 }, epochs: null, maxSteps: 200, data: 'xor', probe: { every: 10 }, seed: 1 },
      'explode',
    );
    expect(summary.stopReason).toBe('non_finite');
    const nf = summary.nonFinite;
    expect(nf).not.toBeNull();
    expect(nf!.step).toBe(summary.steps);
    expect(nf!.step).toBeLessThan(200);
    expect(nf!.layer).toBeGreaterThanOrEqual(0);
    expect(nf!.message).toMatch(new RegExp(`^step ${nf!.step}: `));
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).nonFinite).toEqual(nf);
    const m = lines(join(dir, 'metrics.jsonl'));
    expect(m[m.length - 1].step).toBe(summary.steps);
  });

  it('stops after the current step when the stop flag is set, and leaves a complete directory', async () => {
    let calls = 0;
    const { dir, summary } = await run({ ...MOONS, maxSteps: 100000, probe: { every: 10 } }, 'stopped', { shouldStop: () => ++calls > 57 });
    expect(summary.stopReason).toBe('stopped');
    expect(summary.steps).toBe(57);
    const m = lines(join(dir, 'metrics.jsonl'));
    expect(m[m.length - 1].step).toBe(57);
    expect(existsSync(join(dir, 'model.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).stopReason).toBe('stopped');
  });

  it('stops at the target loss', async () => {
    const { summary } = await run({ ...MOONS, maxSteps: 5000, targetLoss: 0.3 }, 'target');
    expect(summary.stopReason).toBe('target_loss');
    expect(summary.steps).toBeLessThan(5000);
  });

  it('skips steps.jsonl when stepsEvery is 0 and subsamples when it is larger', async () => {
    const off = await run({ ...MOONS, maxSteps: 30, stepsEvery: 0 }, 'steps-off');
    expect(existsSync(join(off.dir, 'steps.jsonl'))).toBe(false);
    const sub = await run({ ...MOONS, maxSteps: 30, stepsEvery: 7 }, 'steps-sub');
    expect(lines(join(sub.dir, 'steps.jsonl')).map((l) => l.step)).toEqual([0, 7, 14, 21, 28]);
  });
});

describe('runTraining with remedies', () => {
  it('trains with batch norm, residual blocks, max-norm, both clippings, a schedule and pre-training, and counts the events', async () => {
    const cfg = { ...MOONS, arch: '2-8x4-2', activation: 'sigmoid', norm: 'batch', residual: true, maxNorm: 2, clipNorm: 0.5, clipValue: 0.05, lrSchedule: { kind: 'cosine', warmup: 10 }, pretrain: { steps: 40 } };
    const { dir, summary } = await run(cfg, 'remedies');
    expect(summary.stopReason).toBe('max_steps');
    expect(summary.pretrain).toHaveLength(4);
    expect(summary.clipEvents).toBeGreaterThan(0);
    expect(summary.clipNormEvents! + summary.clipValueEvents!).toBeGreaterThanOrEqual(summary.clipEvents);
    expect(summary.maxNormRows).toBeGreaterThanOrEqual(0);
    expect(summary.atInit.layers.map((l) => l.index)).toEqual([1, 2, 3, 4, 5]);
    // the loss of the probe batch goes down
    expect(summary.finalProbeLoss).toBeLessThan(summary.atInit.loss);
    // gradscope-model/2 holds the normalisation layers and residual blocks
    expect(summary.model).toBe('model.json');
    expect(validateModel(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), 'model.json').layers.map((l) => l.type)).toEqual(['residual', 'residual', 'residual', 'residual', 'dense', 'activation']);
    const m = lines(join(dir, 'metrics.jsonl'));
    expect(m[m.length - 1].clipEvents).toBe(summary.clipEvents);
    const s = lines(join(dir, 'steps.jsonl'));
    expect(s[0].lr).toBeCloseTo(0.05, 15); // warm-up: 0.5·1/10
    expect(s[0]).toHaveProperty('clippedValues');
    // the bias gradient of a batch-normalised layer is its shift β's, not the cancelled dense bias
    expect(s[0].biasGradNorms as unknown as number[]).toSatisfy((v: number[]) => v.every((x) => x > 1e-8));
  });
});

describe('loadRunData', () => {
  it('checks the architecture against the dataset', () => {
    const cfg = runFromConfig({ arch: '784-30-10', data: 'moons' }, 'run.json');
    expect(() => loadRunData(cfg, 'run.json')).toThrow("run.json: arch: starts with 784 inputs but dataset 'moons' has 2 features; use 2-…-2");
  });

  it('refuses more samples than the set has', () => {
    const cfg = runFromConfig({ data: { name: 'digits', samples: 20000 } }, 'run.json');
    expect(() => loadRunData(cfg, 'run.json')).toThrow("run.json: samples: 'digits' has 10000 examples; got 20000");
  });

  it('splits the data with the seed, stratified', () => {
    const cfg = runFromConfig({ arch: '2-4-2', data: { name: 'xor', samples: 100, testFraction: 0.3 } }, 'run.json');
    const d = loadRunData(cfg);
    expect(d.train.n + d.test!.n).toBe(100);
    expect(d.test!.n).toBe(30);
  });
});
