// Stage 3's learning-rate choice through the sweep machinery: every run is
// recorded in the store as it finishes; a study resumed after an
// interruption (a torn last line, runs missing) reruns only what is missing
// and ends with the same numbers; the rate chosen is the best median
// validation accuracy (a blown-up run counts as 0, ties go to the smaller rate).
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitTrainTest } from '../data/batch.js';
import { loadDigits } from '../data/node.js';
import { readManifest, RESULTS_FILE, type SweepRun } from '../sweep/index.js';
import { chooseRates, finalRuns, lrRunConfig, runKey, runLrCell, selectionRuns, validationSplit, type ActDepthSettings, type LrRunResult } from './act-depth.js';
import { driveLrSweep, lrSweep, type LrExecutor } from './lr-sweep.js';

const split = splitTrainTest(loadDigits(), 0.2, 1);
const s: ActDepthSettings = {
  activations: ['relu', 'tanh'],
  depths: [2],
  width: 8,
  steps: 15,
  batch: 16,
  momentum: 0.9,
  lrs: [0.01, 0.05],
  selectionSeeds: 1,
  seeds: 2,
  initSeeds: 2,
  probeExamples: 50,
  seed: 1,
  gain: { depth: 2, activations: [], gains: [], seeds: 1, examples: 10 },
};

/** An executor in this thread that counts its calls. */
function counting(): { exec: LrExecutor; calls: string[] } {
  const calls: string[] = [];
  const exec: LrExecutor = async (run: SweepRun) => {
    calls.push(run.id);
    return { result: runLrCell(split, s.seed, run.config), seconds: 0, worker: 'test' };
  };
  return { exec, calls };
}

const never = new AbortController().signal;
const noop = (): void => {};

describe('the learning-rate sweep', () => {
  it('carves a stratified validation split of 20 % from the training images', () => {
    const v = validationSplit(split, 1);
    expect(v.train.n + v.validation.n).toBe(split.train.n);
    // stratified: rounded class by class, so within a few images of 20 %
    expect(Math.abs(v.validation.n - 0.2 * split.train.n)).toBeLessThanOrEqual(10);
    const share = (ds: typeof v.train, c: number) => ds.labels.filter((l) => l === c).length / ds.n;
    for (let c = 0; c < 10; c++) expect(Math.abs(share(v.validation, c) - share(v.train, c))).toBeLessThan(0.01);
  });

  it('describes each run as a valid run config with a stable id, one per cell × rate × seed', () => {
    const sweep = lrSweep('t', s, selectionRuns(s));
    expect(sweep.runs).toHaveLength(2 * 2 * 1);
    expect(new Set(sweep.runs.map((r) => r.id)).size).toBe(4);
    expect(lrSweep('t', s, selectionRuns(s)).id).toBe(sweep.id);
    const cfg = lrRunConfig(s, { activation: 'relu', depth: 2, lr: 0.05, seed: 3 });
    expect(cfg).toMatchObject({ arch: [784, 8, 8, 10], activation: 'relu', init: 'he_normal', optimizer: 'momentum', lr: 0.05, momentum: 0.9, maxSteps: 15, seed: 3 });
  });

  it('records every run in the store, and a resumed study recomputes nothing and gets the same numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-lr-'));
    const sweep = lrSweep('sel', s, selectionRuns(s));
    const a = counting();
    const first = await driveLrSweep(sweep, { dir, resume: false }, a.exec, 2, never, noop);
    expect(a.calls).toHaveLength(4);
    expect(first.size).toBe(4);
    const folder = join(dir, `sel-${sweep.id}`);
    expect(readManifest(folder)!.runs.map((r) => r.id)).toEqual(sweep.runs.map((r) => r.id));
    expect(readFileSync(join(folder, RESULTS_FILE), 'utf8').trim().split('\n')).toHaveLength(4);

    const b = counting();
    const again = await driveLrSweep(sweep, { dir, resume: true }, b.exec, 2, never, noop);
    expect(b.calls).toEqual([]);
    expect([...again.entries()].sort()).toEqual([...first.entries()].sort());
  });

  it('after an interruption (two runs recorded, a torn line) reruns only the missing runs and ends with identical results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-lr-'));
    const sweep = lrSweep('sel', s, selectionRuns(s));
    const full = await driveLrSweep(sweep, { dir, resume: false }, counting().exec, 1, never, noop);
    const folder = join(dir, readdirSync(dir)[0]);
    const lines = readFileSync(join(folder, RESULTS_FILE), 'utf8').trim().split('\n');
    writeFileSync(join(folder, RESULTS_FILE), `${lines.slice(0, 2).join('\n')}\n${lines[2].slice(0, 40)}`);
    const c = counting();
    const resumed = await driveLrSweep(sweep, { dir, resume: true }, c.exec, 1, never, noop);
    expect(c.calls).toHaveLength(2);
    expect([...resumed.entries()].sort()).toEqual([...full.entries()].sort());
    expect(readFileSync(join(folder, RESULTS_FILE), 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('stops with a sentence when a run throws, instead of dropping it', async () => {
    const sweep = lrSweep('sel', s, selectionRuns(s).slice(0, 1));
    const boom: LrExecutor = async () => {
      throw new Error('kernel fault');
    };
    await expect(driveLrSweep(sweep, { dir: null, resume: false }, boom, 1, never, noop)).rejects.toThrow(/study stage 3: run .*relu.* failed: the worker running it died: kernel fault/);
  });
});

describe('chooseRates', () => {
  const res = (validationAccuracy: number): LrRunResult => ({ steps: 1, finalLoss: 0, validationAccuracy, testAccuracy: validationAccuracy, nonFinite: Number.isFinite(validationAccuracy) ? null : 'blew up', atInit: { loss: 1, firstToLast: 1, verdict: 'healthy', cause: '', layers: [] }, atEnd: null });
  const two: ActDepthSettings = { ...s, selectionSeeds: 2, lrs: [0.001, 0.01, 0.1] };

  it('picks the highest median validation accuracy over the selection seeds; a blown-up run counts as 0; ties go to the smaller rate', () => {
    const m = new Map<string, LrRunResult>();
    const put = (activation: string, lr: number, a: number, b: number) => {
      m.set(runKey({ activation, depth: 2, lr, seed: 1 }), res(a));
      m.set(runKey({ activation, depth: 2, lr, seed: 2 }), res(b));
    };
    put('relu', 0.001, 0.5, 0.5);
    put('relu', 0.01, 0.9, 0.7);
    put('relu', 0.1, 0.99, NaN); // median of 0.99 and 0 (blown up): 0.495
    put('tanh', 0.001, 0.6, 0.6);
    put('tanh', 0.01, 0.6, 0.6);
    put('tanh', 0.1, 0.2, 0.3);
    const chosen = chooseRates(two, m);
    expect(chosen.get('relu@2')).toBe(0.01);
    expect(chosen.get('tanh@2')).toBe(0.001);
    // the remaining seeds run at the chosen rate only
    expect(finalRuns({ ...two, seeds: 4 }, chosen).map(runKey)).toEqual(['relu@2@0.01@3', 'relu@2@0.01@4', 'tanh@2@0.001@3', 'tanh@2@0.001@4']);
  });
});
