/**
 * The study's training runs. Every stage trains through the run driver
 * (`Run`), the loop `gradscope train`, sweeps and the web lab use: a run is a
 * RunSpec (network, optimiser, remedy, steps and seed written as settings),
 * its weights drawn from the spec's seed and its batch order from the
 * driver's own stream of that seed. The study only chooses the cadence:
 * probes at initialisation and at the end on the first STUDY_PROBE_EXAMPLES
 * training images (no Jacobian, no accuracy at a probe), every step's loss
 * and gradient norm when a stage plots them, and the test accuracy of the
 * final weights.
 */
import type { Dataset, Split } from '../data/types.js';
import type { Network } from '../nn/network.js';
import type { RunData } from '../run/derive.js';
import { Run, type RunOutcome } from '../run/driver.js';
import type { RunSpec } from '../run/schema.js';
import type { SeedOutcome } from './types.js';

/** Accuracy of always answering the most frequent class of `ds`: the chance level of a classifier that learned nothing. */
export function chanceLevel(ds: Dataset): number {
  const counts = new Array<number>(ds.classes).fill(0);
  for (let i = 0; i < ds.n; i++) counts[ds.labels[i]]++;
  return Math.max(...counts) / ds.n;
}

/** A run "trained" when its test accuracy is above chance by this many points (a fraction). */
export const TRAINED_MARGIN = 0.2;

/** Probe-batch size of the study's measurements: 250 images are plenty for per-layer means, variances and batch-mean gradients. */
export const STUDY_PROBE_EXAMPLES = 250;

/** What a stage keeps of every step. */
export type StepKeep = 'none' | 'loss' | 'biasNorms';

/** A finished study run: the driver's outcome and the steps kept. */
export interface DrivenRun {
  readonly outcome: RunOutcome;
  /** The trained network. */
  readonly net: Network;
  /** Loss and global gradient norm of every step (the step that blew up included); empty with keep 'none'. */
  readonly loss: number[];
  readonly gradNorm: number[];
  /** ‖∂C/∂bˡ‖ of every weight layer, one row per layer, one value per step; empty unless keep is 'biasNorms'. */
  readonly biasNorms: number[][];
}

/** Options of `driveRun`. */
export interface DriveOptions {
  /** Start from this network instead of building the spec's (a stage that rescales weights after drawing them). */
  readonly net?: Network;
  readonly keep?: StepKeep;
  /** Examples in the probe batch (default STUDY_PROBE_EXAMPLES). */
  readonly probeSamples?: number;
  /** Told each step's number as it is recorded (keep ≠ 'none'). */
  readonly onStep?: (step: number) => void;
}

/** Trains `spec` (its maxSteps is the budget) on `data` with the study's cadence. */
export function driveRun(spec: RunSpec, data: RunData, o: DriveOptions = {}): DrivenRun {
  const steps = spec.maxSteps;
  if (steps === null) throw new RangeError('driveRun: the study gives every run its maxSteps');
  const keep = o.keep ?? 'none';
  const cadence: RunSpec = { ...spec, epochs: null, probeEvery: steps + 1, stepsEvery: keep === 'none' ? 0 : 1, probeSamples: o.probeSamples ?? STUDY_PROBE_EXAMPLES, jacobianSamples: 0, testAccuracy: false };
  const loss: number[] = [];
  const gradNorm: number[] = [];
  const biasNorms: number[][] = [];
  const run = new Run(cadence, data, {
    ...(o.net ? { net: o.net } : {}),
    sink: {
      step: (r) => {
        loss.push(r.loss);
        gradNorm.push(r.gradNorm);
        if (keep === 'biasNorms') r.biasGradNorms.forEach((v, l) => (biasNorms[l] ??= []).push(v));
        o.onStep?.(r.step);
      },
    },
  });
  run.advance(steps);
  return { outcome: run.finish({ trainAccuracy: false }), net: run.net, loss, gradNorm, biasNorms };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A run's outcome as the remedy and exploding comparisons report it: losses of the first and last tenth, test accuracy, blow-up, clipping, and whether it trained (above chance by TRAINED_MARGIN). */
export function seedOutcome(spec: RunSpec, split: Split, r: DrivenRun): SeedOutcome {
  const { outcome: o, loss } = r;
  const tail = Math.max(1, Math.ceil(loss.length / 10));
  const testAccuracy = o.nonFinite || o.testAccuracy === null ? NaN : o.testAccuracy;
  return {
    seed: spec.seed,
    firstLoss: mean(loss.slice(0, tail)),
    lastLoss: o.nonFinite ? loss[loss.length - 1] ?? NaN : mean(loss.slice(-tail)),
    testAccuracy,
    nonFinite: o.nonFinite ? { ...o.nonFinite } : null,
    clipEvents: o.clipEvents,
    steps: o.steps,
    clippedFraction: o.steps > 0 ? o.clipEvents / o.steps : 0,
    maxNormRows: o.maxNormRows,
    trained: Number.isFinite(testAccuracy) && testAccuracy >= chanceLevel(split.test) + TRAINED_MARGIN,
  };
}

/** Trains `spec` on the study's split with every step's loss kept; its seed outcome and the run. */
export function trainRun(spec: RunSpec, split: Split, net?: Network): DrivenRun & { readonly seedOutcome: SeedOutcome } {
  const r = driveRun(spec, { train: split.train, test: split.test }, { keep: 'loss', ...(net ? { net } : {}) });
  return { ...r, seedOutcome: seedOutcome(spec, split, r) };
}
