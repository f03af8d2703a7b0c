/**
 * Study stage 4: exploding gradients. Nielsen's chain with w = 100 and
 * biases chosen so every z = 0 (factors of 25); fresh networks with weights
 * N(0, σ²) for growing σ, over many seeds; and a network whose gradient
 * really grows toward the input — ReLU with weight variance 6/n_in, three
 * times He's 2/n_in, so each layer multiplies ‖δ‖ by about √3 and the
 * first-to-last ratio is above 1e2 at initialisation — trained by plain SGD
 * without a remedy, with clipping by global norm at a threshold that clips
 * only part of the steps, and at lower learning rates, on several seeds.
 */
import { getActivation } from '../activations/catalogue.js';
import { takeFirst } from '../data/batch.js';
import type { Split } from '../data/types.js';
import { chainView } from '../diagnostics/chain.js';
import { probeNetwork } from '../diagnostics/probe.js';
import { crossEntropy } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import { Rng } from '../tensor/rng.js';
import { networkOf } from '../run/derive.js';
import { parseRun, type RunSpec } from '../run/schema.js';
import { fullBatch } from '../run/source.js';
import { chanceLevel, STUDY_PROBE_EXAMPLES, TRAINED_MARGIN, trainRun } from './train-run.js';
import { scalarStats } from '../experiments/stats.js';
import type { ClipArm, ExplodingSection, SeedOutcome } from './types.js';
import { msg, phrase } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { described } from '../i18n/described.js';

/** The w = 100, z = 0 chain of depth d: biases b₁ = −w·x, b_j = −w·σ(0) = −50. */
export function bigWeightChain(depth: number, w = 100, x = 1): number {
  const sig = getActivation('sigmoid');
  const ws = Array(depth).fill(w);
  const bs = Array.from({ length: depth }, (_, j) => (j === 0 ? -w * x : -w * 0.5));
  const v = chainView(sig, [], ws, bs, x, 0);
  return v.links[depth - 1].runningProduct;
}

/** The network of the clipping comparison and its training. */
export interface ExplodingNet {
  /** Weight variance gain·/n_in (He: 2). */
  readonly gain: number;
  readonly depth: number;
  readonly width: number;
  readonly steps: number;
  readonly batch: number;
}

/** Settings of stage 4. */
export interface ExplodingSettings {
  readonly seed: number;
  readonly sigmas: readonly number[];
  readonly depth: number;
  readonly width: number;
  /** Seeds of the measurements at initialisation, and of the training runs. */
  readonly initSeeds: number;
  readonly trainSeeds: number;
  readonly net: ExplodingNet;
}

/** One training arm: its label (a message of the catalogue), the learning rate and the remedy. */
export interface ArmSettings {
  readonly label: Msg;
  readonly lr: number;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly maxNorm?: number;
}

/** Stage 4's arms: no remedy, clipping by global norm at 20 (part of the steps), and the learning rate lowered 10× and 30×. */
export const STAGE4_ARMS: readonly ArmSettings[] = [
  { label: msg('x.arm.none', { lr: '0.01' }), lr: 0.01 },
  { label: msg('x.arm.clipNorm', { c: '20', lr: '0.01' }), lr: 0.01, clipNorm: 20 },
  { label: msg('x.arm.lowered', { k: '10', lr: '0.001' }), lr: 0.001 },
  { label: msg('x.arm.lowered', { k: '30', lr: '0.0003' }), lr: 0.0003 },
];

/** The exploding network's RunSpec for one arm and seed: ReLU, he_normal (biases 0), plain SGD, cross-entropy. */
function explodingSpec(n: ExplodingNet, seed: number, arm?: ArmSettings): RunSpec {
  const remedy = arm ? { lr: arm.lr, clipNorm: arm.clipNorm ?? null, clipValue: arm.clipValue ?? null, maxNorm: arm.maxNorm ?? null } : {};
  return parseRun({ arch: [784, ...Array<number>(n.depth).fill(n.width), 10], activation: 'relu', init: 'he_normal', loss: 'cross_entropy', dtype: 'float32', optimizer: 'sgd', batchSize: n.batch, maxSteps: n.steps, seed, ...remedy });
}

/** Builds the exploding network: he_normal (biases 0) with every weight scaled by √(gain/2). */
export function explodingNet(n: ExplodingNet, seed: number): Network {
  const net = networkOf(explodingSpec(n, seed), new Rng(seed));
  const f = Math.sqrt(n.gain / 2);
  for (const wl of net.weightLayers) for (let i = 0; i < wl.weight.length; i++) wl.weight[i] *= f;
  return net;
}

/** Trains the exploding network on one seed with one arm (plain SGD); loss and gradient norm every step. */
export function trainArm(split: Split, n: ExplodingNet, arm: ArmSettings, seed: number): { outcome: SeedOutcome; loss: number[]; gradNorm: number[] } {
  const r = trainRun(explodingSpec(n, seed, arm), split, explodingNet(n, seed));
  return { outcome: r.seedOutcome, loss: r.loss, gradNorm: r.gradNorm };
}

/** Every arm over `seeds` (the first seed's curves kept). */
export function runArms(split: Split, n: ExplodingNet, arms: readonly ArmSettings[], seeds: readonly number[], progress: (label: string) => void): ClipArm[] {
  return arms.map((arm) => {
    progress(`exploding relu net: ${phrase('en', arm.label)}`);
    let loss: number[] = [];
    let gradNorm: number[] = [];
    const outcomes = seeds.map((seed, k) => {
      const r = trainArm(split, n, arm, seed);
      if (k === 0) ({ loss, gradNorm } = r);
      return r.outcome;
    });
    return { label: phrase('en', arm.label), said: arm.label, lr: arm.lr, clipNorm: arm.clipNorm ?? null, clipValue: arm.clipValue ?? null, maxNorm: arm.maxNorm ?? null, outcomes, loss, gradNorm };
  });
}

function tally(xs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

/** Runs stage 4. */
export function runExploding(split: Split, s: ExplodingSettings, progress: (label: string) => void): ExplodingSection {
  const depths = Array.from({ length: 10 }, (_, i) => i + 1);
  const chain = { w: 100, factor: 100 * 0.25, depths, product: depths.map((d) => bigWeightChain(d)) };
  // float32 holds these ratios (up to ≈ 1e11 at σ = 4); 250 images are plenty for a ratio of batch-mean gradients
  const pb = fullBatch(takeFirst(split.train, STUDY_PROBE_EXAMPLES), 'float32');
  const initSeeds = Array.from({ length: s.initSeeds }, (_, i) => s.seed + i);
  const variance: ExplodingSection['variance'][number][] = [];
  for (const act of ['tanh', 'relu']) {
    for (const sigma of s.sigmas) {
      progress(`${act} with weights N(0, ${sigma}²)`);
      const init = `normal:${sigma}`;
      const spec = parseRun({ arch: [784, ...Array<number>(s.depth).fill(s.width), 10], activation: act, init, loss: 'cross_entropy', dtype: 'float32' });
      const probes = initSeeds.map((seed) => probeNetwork(networkOf(spec, new Rng(seed)), pb.x, pb.y, pb.B, crossEntropy, init, { jacobianSamples: 0 }));
      const v0 = probes[0].verdict;
      variance.push({ activation: act, sigma, depth: s.depth, seeds: probes.length, firstToLast: scalarStats(probes.map((p) => p.firstToLast ?? NaN)), verdicts: tally(probes.map((p) => p.verdict.kind)), verdict: { kind: v0.kind, cause: v0.cause, remedies: v0.remedies, ...(v0.said ? { said: v0.said } : {}) } });
    }
  }
  const n = s.net;
  progress('the exploding network at initialisation');
  const atInit = initSeeds.map((seed) => probeNetwork(explodingNet(n, seed), pb.x, pb.y, pb.B, crossEntropy, `normal with variance ${n.gain}/n_in`, { jacobianSamples: 0 }));
  const seeds = Array.from({ length: s.trainSeeds }, (_, i) => s.seed + i);
  return {
    chain,
    variance,
    clipping: {
      ...described(msg('desc.explodingNet', { width: n.width, depth: n.depth, gain: n.gain, half: n.gain / 2, batch: n.batch, steps: n.steps, seeds: seeds.join(', ') })),
      gain: n.gain,
      depth: n.depth,
      width: n.width,
      steps: n.steps,
      seeds,
      atInit: { seeds: atInit.length, firstToLast: scalarStats(atInit.map((p) => p.firstToLast ?? NaN)), verdicts: tally(atInit.map((p) => p.verdict.kind)) },
      chance: chanceLevel(split.test),
      margin: TRAINED_MARGIN,
      arms: runArms(split, n, STAGE4_ARMS, seeds, progress),
    },
  };
}
