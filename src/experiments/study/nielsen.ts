/**
 * Study stage 2: Nielsen's measurement (Neural Networks and Deep Learning,
 * ch. 5) in the book's exact setup — sigmoid everywhere, cross-entropy with
 * sigmoid outputs, weights N(0, 1/n_in) and biases N(0, 1), the first 1,000
 * images, ‖δˡ‖ = ‖mean over the images of ∂C/∂bˡ‖ per hidden layer — over
 * several seeds, then 500 full-batch steps (η = 0.1, L2 λ = 5 with n = 1,000)
 * recording the norms before each step.
 */
import { takeFirst } from '../../data/batch.js';
import type { Dataset } from '../../data/types.js';
import { probeNetwork } from '../../diagnostics/probe.js';
import { binaryCrossEntropy } from '../../nn/losses.js';
import { Optimizer } from '../../nn/optim.js';
import { train } from '../../nn/train.js';
import { norm2 } from '../../tensor/reduce.js';
import { Rng } from '../../tensor/rng.js';
import { buildNet, type NetSpec } from '../netspec.js';
import { datasetSource, fullBatch } from '../../run/source.js';
import { scalarStats, seedStats } from './stats.js';
import type { NielsenNetwork, NielsenSection, SpeedRun } from './types.js';

/** The four networks and the book's published norms (REFERENCES.md). */
export const NIELSEN_NETWORKS: readonly { arch: number[]; published: number[] | null; ratio: number | null }[] = [
  { arch: [784, 30, 10], published: null, ratio: null },
  { arch: [784, 30, 30, 10], published: [0.0657, 0.309], ratio: 4.7 },
  { arch: [784, 30, 30, 30, 10], published: [0.0118, 0.06, 0.283], ratio: 23.9 },
  { arch: [784, 30, 30, 30, 30, 10], published: [0.00298, 0.0171, 0.0695, 0.285], ratio: 95.8 },
];

/** Nielsen's published test accuracies (50,000 training images, 30 epochs). */
export const NIELSEN_ACCURACY = [
  { arch: [784, 30, 10], accuracy: 0.9648 },
  { arch: [784, 30, 30, 10], accuracy: 0.969 },
  { arch: [784, 30, 30, 30, 10], accuracy: 0.9657 },
  { arch: [784, 30, 30, 30, 30, 10], accuracy: 0.9653 },
];

/** Nielsen's network: sigmoid everywhere, cross-entropy, his default initialiser. */
export function nielsenSpec(arch: readonly number[]): NetSpec {
  return { arch, act: 'sigmoid', init: 'nielsen', loss: 'binary_cross_entropy', dtype: 'float32' };
}

/** ‖δ‖ of every hidden layer of a fresh Nielsen network on `images`. */
export function nielsenNorms(arch: readonly number[], images: Dataset, seed: number): number[] {
  const spec = nielsenSpec(arch);
  const net = buildNet(spec, new Rng(seed));
  const { x, y, B } = fullBatch(images, spec.dtype);
  const r = probeNetwork(net, x, y, B, binaryCrossEntropy, 'nielsen', { jacobianSamples: 0 });
  return r.layers.slice(0, -1).map((l) => l.biasGradNorm);
}

/** The 500-step speed-of-learning run: full-batch gradient descent, norms before each step. */
export function speedOfLearning(arch: readonly number[], images: Dataset, seed: number, steps: number, onStep?: (t: number) => void): SpeedRun {
  const net = buildNet(nielsenSpec(arch), new Rng(seed));
  const hidden = net.weightLayers.length - 1;
  const norms: number[][] = Array.from({ length: hidden }, () => []);
  const loss: number[] = [];
  train(net, datasetSource(images), {
    loss: binaryCrossEntropy,
    optimizer: new Optimizer(net.params(), { name: 'sgd', l2: 5, n: images.n }),
    lr: 0.1,
    batchSize: images.n,
    maxSteps: steps,
    shuffle: false,
    rng: new Rng(seed),
    afterBackward: (info) => {
      for (let l = 0; l < hidden; l++) norms[l].push(norm2(net.weightLayers[l].dbias));
      loss.push(info.loss);
      onStep?.(info.step);
    },
  });
  const argmin = norms.map((s) => s.reduce((best, v, i) => (v < s[best] ? i : best), 0));
  return { arch, seed, norms, loss, argmin };
}

/** Runs stage 2. `trainArchs` selects the networks trained for the speed-of-learning curves. */
export function runNielsen(
  digits: Dataset,
  seeds: readonly number[],
  steps: number,
  trainArchs: readonly (readonly number[])[],
  progress: (label: string) => void,
): NielsenSection {
  const images = takeFirst(digits, 1000);
  const networks: NielsenNetwork[] = NIELSEN_NETWORKS.map((n) => {
    const perSeed = seeds.map((s) => {
      progress(`norms [${n.arch.join(',')}] seed ${s}`);
      return nielsenNorms(n.arch, images, s);
    });
    const ratios = perSeed.map((v) => v[v.length - 1] / v[0]);
    return { arch: n.arch, published: n.published, measured: seedStats(perSeed), perSeed, ratioLastFirst: scalarStats(ratios), publishedRatio: n.ratio };
  });
  const runs = trainArchs.map((arch) =>
    speedOfLearning(arch, images, seeds[0], steps, (t) => {
      if (t % 10 === 0) progress(`500-step run [${arch.join(',')}] step ${t}`);
    }),
  );
  return { samples: images.n, seeds, networks, training: { steps, eta: 0.1, lambda: 5, runs }, publishedAccuracy: NIELSEN_ACCURACY };
}
