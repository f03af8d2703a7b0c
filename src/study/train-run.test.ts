// The study's runs are the run driver's: the study's cadence (probes at the
// start and the end only, no Jacobian, no accuracy at a probe) changes what
// is measured, never the training — the final weights are bit-identical to
// those of the same RunSpec driven with a probe every 10 steps (Jacobians and
// accuracies included) and every step recorded — and the steps a stage keeps
// are the driver's step records.
import { describe, expect, it } from 'vitest';
import { splitTrainTest, takeFirst } from '../data/batch.js';
import { loadDigits } from '../data/node.js';
import { getLoss } from '../nn/losses.js';
import { Run, type StepRecord } from '../run/driver.js';
import { evaluate } from '../run/evaluate.js';
import { parseRun } from '../run/schema.js';
import { driveRun, seedOutcome, trainRun } from './train-run.js';

const split = splitTrainTest(takeFirst(loadDigits(), 1500), 0.2, 1);
const data = { train: split.train, test: split.test };
const input = { arch: [784, 24, 24, 10], activation: 'tanh', loss: 'cross_entropy', dtype: 'float32', optimizer: 'momentum', lr: 0.05, batchSize: 16, maxSteps: 120, seed: 3 } as const;
const spec = parseRun({ ...input, clipNorm: 1 });

/** Every parameter of a network, concatenated. */
const weightsOf = (net: Run['net']): number[] => net.params().flatMap((p) => Array.from(p.value));

describe("the study's training runs", () => {
  it('train exactly as the driver does when it probes every 10 steps (with Jacobians): same weights, same steps, same clipping', () => {
    const steps: StepRecord[] = [];
    const ref = new Run({ ...spec, probeEvery: 10, stepsEvery: 1, jacobianSamples: 4 }, data, { sink: { step: (r) => steps.push({ ...r, biasGradNorms: r.biasGradNorms.slice() }) } });
    ref.advance(spec.maxSteps!);
    const refOut = ref.finish();

    const r = driveRun(spec, data, { keep: 'biasNorms' });
    const a = weightsOf(ref.net);
    const b = weightsOf(r.net);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst, 'largest weight difference').toBe(0);
    expect(r.outcome.steps).toBe(120);
    expect(r.outcome.clipEvents).toBe(refOut.clipEvents);
    expect(r.outcome.testAccuracy).toBe(refOut.testAccuracy);
    expect(r.outcome.trainAccuracy).toBeNull(); // the study skips the pass over the whole training set
    expect(r.loss).toEqual(steps.map((s) => s.loss));
    expect(r.gradNorm).toEqual(steps.map((s) => s.gradNorm));
    expect(r.biasNorms.length).toBe(3);
    r.biasNorms.forEach((row, l) => expect(row).toEqual(steps.map((s) => s.biasGradNorms[l])));
  });

  it('probe only at the start and the end, on the requested probe batch', () => {
    const r = driveRun(spec, data, { probeSamples: 100 });
    expect(r.outcome.atInit.step).toBe(0);
    expect(r.outcome.atEnd.step).toBe(120);
    expect(r.loss).toEqual([]); // keep 'none'
    expect(r.outcome.atEnd.layers.every((l) => Number.isFinite(l.updateRatio))).toBe(true);
  });

  it("give the remedy comparisons' outcome: losses of the first and last tenth, test accuracy, trained or not", () => {
    const r = trainRun(spec, split);
    const o = seedOutcome(spec, split, r);
    expect(r.seedOutcome).toEqual(o);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(o.firstLoss).toBeCloseTo(mean(r.loss.slice(0, 12)), 12);
    expect(o.lastLoss).toBeCloseTo(mean(r.loss.slice(-12)), 12);
    expect(o.testAccuracy).toBe(evaluate(r.net, split.test, getLoss('cross_entropy')).accuracy);
    expect(o.seed).toBe(3);
    expect(o.clippedFraction).toBe(r.outcome.clipEvents / 120);
  });

  it('stop at a blow-up and keep the step that overflowed', () => {
    const wild = parseRun({ ...input, arch: [784, ...Array<number>(10).fill(32), 10], activation: 'relu', init: 'normal:3', optimizer: 'sgd', lr: 1 });
    const r = trainRun(wild, split);
    expect(r.outcome.nonFinite, 'a non-finite finding').not.toBeNull();
    expect(r.seedOutcome.trained).toBe(false);
    expect(Number.isNaN(r.seedOutcome.testAccuracy)).toBe(true);
    expect(r.loss.length).toBeGreaterThanOrEqual(r.outcome.steps);
  });
});
