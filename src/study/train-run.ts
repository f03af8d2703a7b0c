/**
 * One training run of the study's remedy and exploding comparisons: a net
 * trained on the study's training split (order from seed + 1) with the given
 * optimiser and remedy, its loss and gradient norm at every step, the update
 * ratios of the last step, and the outcome — test accuracy and whether the
 * net trained (above chance by TRAINED_MARGIN), not only whether it stayed finite.
 */
import type { Split } from '../data/types.js';
import { updateRatios } from '../diagnostics/layer-stats.js';
import { crossEntropy } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import { Optimizer, scheduledLr, type LrSchedule, type OptimizerName } from '../nn/optim.js';
import { train } from '../nn/train.js';
import { Rng } from '../tensor/rng.js';
import { evaluate } from '../run/evaluate.js';
import { datasetSource } from '../run/source.js';
import { chanceLevel, TRAINED_MARGIN } from './nielsen.js';
import type { SeedOutcome } from './types.js';

/** Training settings of one run. */
export interface RunSettings {
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly steps: number;
  /** Mini-batch size (default 32). */
  readonly batch?: number;
  readonly schedule?: LrSchedule;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly maxNorm?: number;
  readonly l2?: number;
  readonly l1?: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Trains `net` on the training split and measures the outcome (momentum 0.9 for the optimisers that have one). */
export function trainRun(net: Network, split: Split, r: RunSettings, seed: number): { outcome: SeedOutcome; loss: number[]; gradNorm: number[]; ratios: number[] } {
  const optimizer = new Optimizer(net.params(), { name: r.optimizer, momentum: 0.9, l2: r.l2, l1: r.l1, n: split.train.n, maxNorm: r.maxNorm });
  const loss: number[] = [];
  const gradNorm: number[] = [];
  let ratios: number[] = [];
  const res = train(net, datasetSource(split.train), {
    loss: crossEntropy,
    optimizer,
    lr: r.schedule ? (s) => scheduledLr(r.lr, r.schedule as LrSchedule, s, r.steps) : r.lr,
    batchSize: r.batch ?? 32,
    maxSteps: r.steps,
    clipNorm: r.clipNorm,
    clipValue: r.clipValue,
    rng: new Rng(seed + 1),
    afterBackward: (i) => {
      loss.push(i.loss);
      gradNorm.push(i.gradNorm);
    },
    afterUpdate: (i) => {
      if (i.step === r.steps - 1) ratios = updateRatios(net, optimizer.lastUpdateSq);
    },
  });
  if (res.nonFinite && loss.length === res.steps) {
    loss.push(res.lastLoss);
    gradNorm.push(res.lastGradNorm);
  }
  const tail = Math.max(1, Math.ceil(loss.length / 10));
  const testAccuracy = res.nonFinite ? NaN : evaluate(net, split.test, crossEntropy).accuracy;
  const outcome: SeedOutcome = {
    seed,
    firstLoss: mean(loss.slice(0, tail)),
    lastLoss: res.nonFinite ? res.lastLoss : mean(loss.slice(-tail)),
    testAccuracy,
    nonFinite: res.nonFinite ? { ...res.nonFinite } : null,
    clipEvents: res.clipEvents,
    steps: res.steps,
    clippedFraction: res.steps > 0 ? res.clipEvents / res.steps : 0,
    maxNormRows: optimizer.maxNormRows,
    trained: Number.isFinite(testAccuracy) && testAccuracy >= chanceLevel(split.test) + TRAINED_MARGIN,
  };
  return { outcome, loss, gradNorm, ratios };
}
