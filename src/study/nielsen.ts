/**
 * Study stage 2: Nielsen's measurement (Neural Networks and Deep Learning,
 * ch. 5) in the book's exact setup — sigmoid everywhere, cross-entropy with
 * sigmoid outputs, weights N(0, 1/n_in) and biases N(0, 1), the first 1,000
 * images, ‖δˡ‖ = ‖mean over the images of ∂C/∂bˡ‖ per hidden layer — over
 * hundreds of seeds (a probe costs milliseconds); then 500 full-batch steps
 * (η = 0.1, L2 λ = 5 with n = 1,000) recording the norms before each step, on
 * several seeds; and the book's training recipe for the 4-hidden net (plain
 * SGD, mini-batch 10, η = 0.1, λ = 5) over seeds, to see whether it trains.
 */
import { takeFirst } from '../data/batch.js';
import type { Dataset, Split } from '../data/types.js';
import { probeNetwork } from '../diagnostics/probe.js';
import { binaryCrossEntropy } from '../nn/losses.js';
import { Rng } from '../tensor/rng.js';
import { networkOf } from '../run/derive.js';
import { parseRun, type RunSpec } from '../run/schema.js';
import { fullBatch } from '../run/source.js';
import { scalarStats, seedStats } from '../experiments/stats.js';
import { chanceLevel, driveRun, TRAINED_MARGIN } from './train-run.js';
import type { BookRecipe, NielsenNetwork, NielsenSection, SpeedRun, SpeedSummary } from './types.js';

/** The four networks and the book's published norms (REFERENCES.md). */
export const NIELSEN_NETWORKS: readonly { arch: number[]; published: number[] | null; ratio: number | null }[] = [
  { arch: [784, 30, 10], published: null, ratio: null },
  { arch: [784, 30, 30, 10], published: [0.0657, 0.309], ratio: 4.7 },
  { arch: [784, 30, 30, 30, 10], published: [0.0118, 0.06, 0.283], ratio: 23.9 },
  { arch: [784, 30, 30, 30, 30, 10], published: [0.00298, 0.0171, 0.0695, 0.285], ratio: 95.8 },
];

/**
 * Nielsen's published accuracies (ch. 5: 50,000 training images, 30 epochs,
 * mini-batch 10, η = 0.1, λ = 5.0). He measures them on the 10,000 images of
 * his validation set (validation_data), not on the MNIST test set.
 */
export const NIELSEN_ACCURACY = [
  { arch: [784, 30, 10], accuracy: 0.9648 },
  { arch: [784, 30, 30, 10], accuracy: 0.969 },
  { arch: [784, 30, 30, 30, 10], accuracy: 0.9657 },
  { arch: [784, 30, 30, 30, 30, 10], accuracy: 0.9653 },
];

/** Nielsen's network: sigmoid everywhere, cross-entropy on sigmoid outputs, his default initialiser. */
const NIELSEN_SETTINGS = { activation: 'sigmoid', init: 'nielsen', loss: 'binary_cross_entropy', dtype: 'float32' } as const;

/** Nielsen's network of sizes `arch`. */
export function nielsenSpec(arch: readonly number[]): RunSpec {
  return parseRun({ ...NIELSEN_SETTINGS, arch });
}

/** ‖δ‖ of every hidden layer of a fresh Nielsen network on `images`. */
export function nielsenNorms(arch: readonly number[], images: Dataset, seed: number): number[] {
  const spec = nielsenSpec(arch);
  const net = networkOf(spec, new Rng(seed));
  const { x, y, B } = fullBatch(images, spec.dtype);
  const r = probeNetwork(net, x, y, B, binaryCrossEntropy, 'nielsen', { jacobianSamples: 0 });
  return r.layers.slice(0, -1).map((l) => l.biasGradNorm);
}

/** The 500-step speed-of-learning run: full-batch gradient descent (η = 0.1, L2 λ = 5), the hidden layers' ‖δˡ‖ before each step. */
export function speedOfLearning(arch: readonly number[], images: Dataset, seed: number, steps: number, onStep?: (t: number) => void): SpeedRun {
  const spec = parseRun({ ...NIELSEN_SETTINGS, arch, optimizer: 'sgd', lr: 0.1, l2: 5, batchSize: images.n, maxSteps: steps, seed });
  const r = driveRun(spec, { train: images, test: null }, { keep: 'biasNorms', ...(onStep ? { onStep } : {}) });
  const norms = r.biasNorms.slice(0, -1);
  const argmin = norms.map((s) => s.reduce((best, v, i) => (v < s[best] ? i : best), 0));
  return { arch, seed, norms, loss: r.loss, argmin };
}

/** ‖δ‖ of every hidden layer of every network over `seeds` (the cheap part of stage 2: no training). */
export function nielsenNetworks(digits: Dataset, seeds: readonly number[], progress: (label: string) => void): NielsenNetwork[] {
  const images = takeFirst(digits, 1000);
  return NIELSEN_NETWORKS.map((n) => {
    progress(`norms [${n.arch.join(',')}] over ${seeds.length} seeds`);
    const perSeed = seeds.map((s) => nielsenNorms(n.arch, images, s));
    const ratios = perSeed.map((v) => v[v.length - 1] / v[0]);
    return { arch: n.arch, published: n.published, measured: seedStats(perSeed), ratioLastFirst: scalarStats(ratios), publishedRatio: n.ratio };
  });
}

/** How one speed-of-learning run keeps the layer order: the share of steps with the first layer slowest, and with every layer below the next. */
export function speedSummary(run: SpeedRun): SpeedSummary {
  const T = Math.min(...run.norms.map((s) => s.length));
  let first = 0;
  let full = 0;
  for (let t = 0; t < T; t++) {
    const col = run.norms.map((s) => s[t]);
    if (col.every((v, l) => l === 0 || v > col[0])) first++;
    if (col.every((v, l) => l === 0 || v > col[l - 1])) full++;
  }
  return { arch: run.arch, seed: run.seed, argmin: run.argmin, firstSlowest: T ? first / T : NaN, fullOrder: T ? full / T : NaN };
}

/** Settings of the book's training recipe (ch. 1–3: plain SGD, mini-batch 10, η = 0.1, L2 λ = 5, sigmoid and cross-entropy). */
export interface RecipeSettings {
  readonly arch: readonly number[];
  readonly steps: number;
  readonly batch: number;
  readonly eta: number;
  readonly lambda: number;
}

/** Trains Nielsen's network with the book's recipe on the study's training split and returns its test accuracy (NaN after a blow-up). */
export function bookRecipeRun(split: Split, r: RecipeSettings, seed: number): number {
  const spec = parseRun({ ...NIELSEN_SETTINGS, arch: r.arch, optimizer: 'sgd', lr: r.eta, l2: r.lambda, batchSize: r.batch, maxSteps: r.steps, seed });
  const { outcome } = driveRun(spec, { train: split.train, test: split.test });
  return outcome.nonFinite || outcome.testAccuracy === null ? NaN : outcome.testAccuracy;
}

/** The book recipe's section part from its per-seed accuracies (seed order). */
export function bookRecipeOf(split: Split, r: RecipeSettings, seeds: readonly number[], accuracies: readonly number[]): BookRecipe {
  const chance = chanceLevel(split.test);
  const perSeed = seeds.map((seed, i) => ({ seed, testAccuracy: accuracies[i], trained: Number.isFinite(accuracies[i]) && accuracies[i] >= chance + TRAINED_MARGIN }));
  const published = NIELSEN_ACCURACY.find((a) => a.arch.join() === r.arch.join())?.accuracy ?? NaN;
  return {
    arch: r.arch,
    steps: r.steps,
    batch: r.batch,
    eta: r.eta,
    trainSize: split.train.n,
    testSize: split.test.n,
    seeds,
    perSeed,
    testAccuracy: scalarStats(accuracies.map((a) => (Number.isFinite(a) ? a : 0))),
    chance,
    margin: TRAINED_MARGIN,
    published,
  };
}

/** Stage 2 from its parts: the norms over seeds, every speed-of-learning run (arch-major, seed order) and the book recipe. */
export function nielsenSection(
  networks: readonly NielsenNetwork[],
  noiseSeeds: number,
  training: { readonly steps: number; readonly seeds: readonly number[]; readonly runs: readonly SpeedRun[] },
  bookRecipe: BookRecipe,
): NielsenSection {
  const firsts = training.runs.filter((r) => r.seed === training.seeds[0]);
  return {
    samples: 1000,
    seeds: noiseSeeds,
    networks,
    training: { steps: training.steps, eta: 0.1, lambda: 5, seeds: training.seeds, runs: firsts, summaries: training.runs.map(speedSummary) },
    bookRecipe,
    publishedAccuracy: NIELSEN_ACCURACY,
  };
}
