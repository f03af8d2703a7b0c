/**
 * Study stage 3: activation × depth. For each activation, with the
 * initialiser made for it, and each depth: per-layer ‖δ‖ at initialisation,
 * the verdict, ‖δ‖ per layer during training, and the final test accuracy.
 */
import type { Split } from '../../data/types.js';
import { probeNetwork } from '../../diagnostics/probe.js';
import { getLoss } from '../../nn/losses.js';
import { Optimizer } from '../../nn/optim.js';
import { train } from '../../nn/train.js';
import { norm2 } from '../../tensor/reduce.js';
import { Rng } from '../../tensor/rng.js';
import { evaluate } from '../../run/evaluate.js';
import { buildNet, type NetSpec } from '../netspec.js';
import { datasetSource, fullBatch } from '../../run/source.js';
import { takeFirst } from '../../data/batch.js';
import type { ActDepthRun, ActDepthSection, NonFinite } from './types.js';

/** The initialiser each activation is normally used with. */
export const RECOMMENDED_INIT: Readonly<Record<string, string>> = {
  sigmoid: 'xavier_uniform',
  tanh: 'xavier_uniform',
  softsign: 'xavier_uniform',
  relu: 'he_normal',
  leaky_relu: 'he_normal',
  prelu: 'he_normal',
  elu: 'he_normal',
  selu: 'lecun_normal',
  gelu: 'he_normal',
  silu: 'he_normal',
  mish: 'he_normal',
  softplus: 'he_normal',
};

/** Settings of stage 3. */
export interface ActDepthSettings {
  readonly activations: readonly string[];
  readonly depths: readonly number[];
  readonly width: number;
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  readonly momentum: number;
  readonly seed: number;
  /** Points recorded along training. */
  readonly recordPoints: number;
}

/** Trains one activation × depth cell. */
export function runCell(split: Split, act: string, depth: number, s: ActDepthSettings): ActDepthRun {
  const t0 = performance.now();
  const init = RECOMMENDED_INIT[act] ?? 'he_normal';
  const arch = [split.train.inputSize, ...Array(depth).fill(s.width), split.train.classes];
  const spec: NetSpec = { arch, act, init, loss: 'cross_entropy', dtype: 'float32' };
  const loss = getLoss(spec.loss);
  const net = buildNet(spec, new Rng(s.seed));
  const probeSet = takeFirst(split.train, 1000);
  const pb = fullBatch(probeSet, 'float32');
  const p0 = probeNetwork(net, pb.x, pb.y, pb.B, loss, init, { jacobianSamples: 0 });
  const every = Math.max(1, Math.floor(s.steps / s.recordPoints));
  const steps: number[] = [];
  const norms: number[][] = net.weightLayers.map(() => []);
  const result = train(net, datasetSource(split.train), {
    loss,
    optimizer: new Optimizer(net.params(), { name: 'momentum', momentum: s.momentum }),
    lr: s.lr,
    batchSize: s.batch,
    maxSteps: s.steps,
    rng: new Rng(s.seed + 1),
    afterBackward: (info) => {
      if (info.step % every === 0 || info.step === s.steps - 1) {
        steps.push(info.step);
        net.weightLayers.forEach((wl, l) => norms[l].push(norm2(wl.dbias)));
      }
    },
  });
  const nonFinite: NonFinite | null = result.nonFinite ? { ...result.nonFinite } : null;
  const test = nonFinite ? { accuracy: NaN, loss: NaN } : evaluate(net, split.test, loss);
  return {
    activation: act,
    depth,
    init,
    initNorms: p0.layers.map((l) => l.biasGradNorm),
    firstToLast: p0.firstToLast,
    verdict: { kind: p0.verdict.kind, cause: p0.verdict.cause, remedies: p0.verdict.remedies },
    during: { steps, norms },
    finalLoss: result.lastLoss,
    testAccuracy: test.accuracy,
    nonFinite,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Runs stage 3 over every activation × depth. */
export function runActDepth(split: Split, s: ActDepthSettings, progress: (label: string) => void): ActDepthSection {
  const runs: ActDepthRun[] = [];
  for (const depth of s.depths) {
    for (const act of s.activations) {
      progress(`${act} × ${depth} hidden layers`);
      runs.push(runCell(split, act, depth, s));
    }
  }
  return actDepthSection(split, s, runs);
}

/** The stage-3 section from its cells' runs (depth-major, in `s.activations` order), however they were computed. */
export function actDepthSection(split: Split, s: ActDepthSettings, runs: readonly ActDepthRun[]): ActDepthSection {
  return {
    activations: s.activations,
    depths: s.depths,
    width: s.width,
    steps: s.steps,
    batch: s.batch,
    lr: s.lr,
    optimizer: `momentum ${s.momentum}`,
    loss: 'cross_entropy',
    trainSize: split.train.n,
    testSize: split.test.n,
    seed: s.seed,
    inits: Object.fromEntries(s.activations.map((a) => [a, RECOMMENDED_INIT[a] ?? 'he_normal'])),
    runs,
  };
}
