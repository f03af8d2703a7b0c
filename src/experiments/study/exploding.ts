/**
 * Study stage 4: exploding gradients. Nielsen's chain with w = 100 and
 * biases chosen so every z = 0 (factors of 25); fresh networks with weights
 * N(0, σ²) for growing σ; and a training run that blows up without gradient
 * clipping and stays finite with it.
 */
import { getActivation } from '../../activations/catalogue.js';
import type { Split } from '../../data/types.js';
import { chainView } from '../../diagnostics/chain.js';
import { probeNetwork } from '../../diagnostics/probe.js';
import { crossEntropy } from '../../nn/losses.js';
import { Optimizer } from '../../nn/optim.js';
import { train } from '../../nn/train.js';
import { Rng } from '../../tensor/rng.js';
import { takeFirst } from '../../data/batch.js';
import { buildNet, type NetSpec } from '../netspec.js';
import { datasetSource, fullBatch } from '../../run/source.js';
import type { ExplodingSection, NonFinite } from './types.js';

/** The w = 100, z = 0 chain of depth d: biases b₁ = −w·x, b_j = −w·σ(0) = −50. */
export function bigWeightChain(depth: number, w = 100, x = 1): number {
  const sig = getActivation('sigmoid');
  const ws = Array(depth).fill(w);
  const bs = Array.from({ length: depth }, (_, j) => (j === 0 ? -w * x : -w * 0.5));
  const v = chainView(sig, [], ws, bs, x, 0);
  return v.links[depth - 1].runningProduct;
}

/** Settings of stage 4. */
export interface ExplodingSettings {
  readonly seed: number;
  readonly sigmas: readonly number[];
  readonly depth: number;
  readonly width: number;
  readonly clipSteps: number;
}

function trainClip(split: Split, spec: NetSpec, seed: number, steps: number, lr: number, clipNorm?: number) {
  const net = buildNet(spec, new Rng(seed));
  const loss: number[] = [];
  const gradNorm: number[] = [];
  const r = train(net, datasetSource(split.train), {
    loss: crossEntropy,
    optimizer: new Optimizer(net.params(), { name: 'sgd' }),
    lr,
    batchSize: 32,
    maxSteps: steps,
    clipNorm,
    rng: new Rng(seed + 1),
    afterBackward: (i) => {
      loss.push(i.loss);
      gradNorm.push(i.gradNorm);
    },
  });
  if (r.nonFinite) {
    loss.push(r.lastLoss);
    gradNorm.push(r.lastGradNorm);
  }
  const nonFinite: NonFinite | null = r.nonFinite ? { ...r.nonFinite } : null;
  return { loss, gradNorm, nonFinite, clipEvents: r.clipEvents };
}

/** Runs stage 4. */
export function runExploding(split: Split, s: ExplodingSettings, progress: (label: string) => void): ExplodingSection {
  const depths = Array.from({ length: 10 }, (_, i) => i + 1);
  const chain = { w: 100, factor: 100 * 0.25, depths, product: depths.map((d) => bigWeightChain(d)) };
  const probeSet = takeFirst(split.train, 500);
  const pb = fullBatch(probeSet, 'float64');
  const variance: ExplodingSection['variance'][number][] = [];
  for (const act of ['tanh', 'relu']) {
    for (const sigma of s.sigmas) {
      progress(`${act} with weights N(0, ${sigma}²)`);
      const init = `normal:${sigma}`;
      const spec: NetSpec = { arch: [784, ...Array(s.depth).fill(s.width), 10], act, init, loss: 'cross_entropy', dtype: 'float64' };
      const net = buildNet(spec, new Rng(s.seed));
      const p = probeNetwork(net, pb.x, pb.y, pb.B, crossEntropy, init, { jacobianSamples: 0 });
      variance.push({ activation: act, sigma, depth: s.depth, initNorms: p.layers.map((l) => l.biasGradNorm), firstToLast: p.firstToLast, verdict: { kind: p.verdict.kind, cause: p.verdict.cause, remedies: p.verdict.remedies } });
    }
  }
  // A ReLU net with weights N(0, 0.3²) — about 2.4× He's scale for 32 inputs, so
  // each layer multiplies the signal and the gradient by ≈ 1.7 — and plain SGD:
  // the first updates are huge, the weights grow, and the values overflow.
  const init = 'normal:0.3';
  const spec: NetSpec = { arch: [784, ...Array(s.depth).fill(s.width), 10], act: 'relu', init, loss: 'cross_entropy', dtype: 'float32' };
  const lr = 0.05;
  const clipNorm = 1;
  progress('training without clipping');
  const without = trainClip(split, spec, s.seed, s.clipSteps, lr);
  progress('training with clipping');
  const withClip = trainClip(split, spec, s.seed, s.clipSteps, lr, clipNorm);
  return {
    chain,
    variance,
    clipping: {
      description: `relu, [784, ${s.width}×${s.depth}, 10], weights and biases N(0, 0.3²), cross-entropy, plain SGD with η = ${lr}, batch 32, ${s.clipSteps} steps; the same seed with and without clipping by global norm at ${clipNorm}`,
      clipNorm,
      without: { loss: without.loss, gradNorm: without.gradNorm, nonFinite: without.nonFinite },
      with: { loss: withClip.loss, gradNorm: withClip.gradNorm, nonFinite: withClip.nonFinite, clipEvents: withClip.clipEvents },
    },
  };
}
