/**
 * Study stage 5: remedies. Each remedy is measured against the same network
 * without it, built from the same seeds (same main-path weights, same batch
 * order), and shown beside the published claim it tests:
 *   1. Glorot & Bengio 2010 — tanh, 5 × 1000 units: mean singular value of the
 *      layer Jacobians ≈ 0.5 (torch_default) vs ≈ 0.8 (xavier_uniform), and
 *      the back-propagated gradient shrinking toward the input only under the former;
 *   2. He et al. 2015 — ReLU, 30 layers: activation scale × 1/√2 per layer with
 *      xavier_normal and training stalls; steady with he_normal and it trains;
 *   3. Klambauer et al. 2017 — SELU with lecun_normal keeps mean 0, variance 1;
 *   4. deep sigmoid nets with and without batch/layer normalisation and residual blocks;
 *   5. an exploding configuration without and with clipping (by norm, by value) and max-norm;
 *   6. optimisers, schedules, regularisation and greedy pre-training on one deep sigmoid net.
 * Quick mode shrinks widths (Glorot: 500 units), seeds and steps.
 */
import { takeFirst } from '../../data/batch.js';
import type { Split } from '../../data/types.js';
import { updateRatios } from '../../diagnostics/layer-stats.js';
import { probeNetwork, type ProbeResult } from '../../diagnostics/probe.js';
import type { NormKind } from '../../nn/build.js';
import { crossEntropy } from '../../nn/losses.js';
import type { Network } from '../../nn/network.js';
import { Optimizer, scheduledLr, type LrSchedule, type OptimizerName } from '../../nn/optim.js';
import { pretrainGreedy } from '../../nn/pretrain.js';
import { train } from '../../nn/train.js';
import type { Buf } from '../../tensor/dtype.js';
import { Rng } from '../../tensor/rng.js';
import { evaluate } from '../../run/evaluate.js';
import { buildNet, type NetSpec } from '../netspec.js';
import { datasetSource, fullBatch } from '../../run/source.js';
import { scalarStats, seedStats } from './stats.js';
import type { ClippingPart, GlorotPart, HePart, NormResidualPart, NormResidualRun, RemediesSection, SeedOutcome, SeluPart, TrainingRemediesPart } from './types.js';

/** Options of stage 5. */
export interface RemediesOptions {
  readonly quick: boolean;
  readonly seed: number;
  /** Called before each unit of work (see `remediesProgressSteps`). */
  readonly progress: (label: string) => void;
}

/** The sizes of each part of stage 5. */
export interface RemediesSettings {
  readonly glorot: { readonly units: number; readonly hidden: number; readonly examples: number; readonly jacobianSamples: number; readonly seeds: number };
  readonly he: { readonly depth: number; readonly width: number; readonly seeds: number; readonly trainSeeds: number; readonly steps: number; readonly lr: number };
  readonly selu: { readonly depth: number; readonly width: number; readonly seeds: number };
  readonly normResidual: { readonly depths: readonly number[]; readonly width: number; readonly seeds: number; readonly steps: number; readonly lr: number };
  readonly clipping: { readonly seeds: number; readonly steps: number; readonly lr: number };
  /** `runs`: the labels of the runs to make, or 'all'. */
  readonly training: { readonly depth: number; readonly width: number; readonly steps: number; readonly pretrainSteps: number; readonly runs: readonly string[] | 'all' };
}

/** The sizes of stage 5 in quick and full mode. */
export function remediesSettings(quick: boolean): RemediesSettings {
  const q = quick;
  return {
    glorot: { units: q ? 500 : 1000, hidden: 5, examples: 200, jacobianSamples: 1, seeds: q ? 1 : 2 },
    he: { depth: 30, width: 32, seeds: q ? 2 : 3, trainSeeds: q ? 1 : 2, steps: q ? 300 : 500, lr: 0.01 },
    selu: { depth: 32, width: 64, seeds: q ? 2 : 3 },
    normResidual: { depths: q ? [10] : [10, 20], width: 32, seeds: q ? 2 : 3, steps: q ? 150 : 300, lr: 0.05 },
    clipping: { seeds: q ? 2 : 3, steps: q ? 100 : 200, lr: 0.3 },
    training: { depth: 10, width: 32, steps: q ? 150 : 600, pretrainSteps: q ? 100 : 200, runs: q ? ['momentum', 'adam', 'adam + warm-up + cosine', 'L2', 'max-norm', 'pre-training'] : 'all' },
  };
}

/** How many times `runRemedies` calls `progress` (for a progress bar's total). */
export function remediesProgressSteps(quick: boolean): number {
  const s = remediesSettings(quick);
  return 2 * s.glorot.seeds + 2 * (s.he.seeds + s.he.trainSeeds) + SELU_RUNS.length + s.normResidual.depths.length * NORM_RUNS.length + CLIP_RUNS.length + trainingRuns(s.training).length;
}

const PROBE_EXAMPLES = 500;
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean of each window of `k` values (the last window may be shorter); non-finite values pass through. */
function windows(xs: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i += k) out.push(mean(xs.slice(i, i + k)));
  return out;
}

/** A net of `depth` hidden layers of `width` units on the digits, softmax output and cross-entropy. */
function spec(act: string, init: string, depth: number, width: number, extra: Partial<NetSpec> = {}): NetSpec {
  return { arch: [784, ...Array<number>(depth).fill(width), 10], act, init, loss: 'cross_entropy', dtype: 'float32', ...extra };
}

function probe(net: Network, pb: { x: Buf; y: Buf; B: number }, init: string, jacobianSamples = 0): ProbeResult {
  return probeNetwork(net, pb.x, pb.y, pb.B, crossEntropy, init, { jacobianSamples });
}

/** Training settings of one run. */
interface RunSettings {
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly steps: number;
  readonly schedule?: LrSchedule;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly maxNorm?: number;
  readonly l2?: number;
  readonly l1?: number;
}

/** Trains `net` on the training split (batch 32, order from seed + 1) and measures the outcome. */
function trainRun(net: Network, split: Split, r: RunSettings, seed: number) {
  const optimizer = new Optimizer(net.params(), { name: r.optimizer, momentum: 0.9, l2: r.l2, l1: r.l1, n: split.train.n, maxNorm: r.maxNorm });
  const loss: number[] = [];
  const gradNorm: number[] = [];
  let ratios: number[] = [];
  const res = train(net, datasetSource(split.train), {
    loss: crossEntropy,
    optimizer,
    lr: r.schedule ? (s) => scheduledLr(r.lr, r.schedule as LrSchedule, s, r.steps) : r.lr,
    batchSize: 32,
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
  const outcome: SeedOutcome = {
    seed,
    firstLoss: mean(loss.slice(0, tail)),
    lastLoss: res.nonFinite ? res.lastLoss : mean(loss.slice(-tail)),
    testAccuracy: res.nonFinite ? NaN : evaluate(net, split.test, crossEntropy).accuracy,
    nonFinite: res.nonFinite ? { ...res.nonFinite } : null,
    clipEvents: res.clipEvents,
    maxNormRows: optimizer.maxNormRows,
  };
  return { outcome, loss, gradNorm, ratios };
}

/** ‖δˡ‖ per weight layer right after a probe. */
const deltas = (p: ProbeResult): number[] => p.layers.map((l) => l.biasGradNorm);

/** Part 1: Glorot & Bengio's tanh nets under torch_default and xavier_uniform (biases 0). */
export function measureGlorot(split: Split, s: RemediesSettings['glorot'], seeds: readonly number[], progress: (label: string) => void): GlorotPart {
  const pb = fullBatch(takeFirst(split.train, s.examples), 'float32');
  const H = s.hidden;
  const runs = ([['torch_default', 0.5], ['xavier_uniform', 0.8]] as const).map(([init, published]) => {
    const probes = seeds.map((seed) => {
      progress(`Glorot & Bengio: tanh ${H} × ${s.units}, ${init}, seed ${seed}`);
      // biases 0 for both schemes, as in the paper
      return probe(buildNet(spec('tanh', init, H, s.units, { biasInit: 'zeros' }), new Rng(seed)), pb, init, s.jacobianSamples);
    });
    const sv = probes.map((p) => p.layers.slice(0, H).map((l) => l.jacobianMeanSingular ?? NaN));
    const d = probes.map(deltas);
    return {
      init,
      published,
      meanSingular: seedStats(sv),
      meanSingularHidden: scalarStats(sv.map((r) => mean(r.slice(1)))),
      deltaNorms: seedStats(d),
      weightGradNorms: seedStats(probes.map((p) => p.layers.map((l) => l.weightGradNorm))),
      deltaFactor: scalarStats(d.map((r) => Math.pow(r[0] / r[H - 1], 1 / (H - 1)))),
    };
  });
  return { units: s.units, hidden: H, examples: pb.B, jacobianSamples: s.jacobianSamples, seeds, runs };
}

/** Part 2: He et al.'s deep ReLU nets under xavier_normal and he_normal. */
export function measureHe(split: Split, s: RemediesSettings['he'], seeds: readonly number[], progress: (label: string) => void): HePart {
  const pb = fullBatch(takeFirst(split.train, PROBE_EXAMPLES), 'float32');
  const D = s.depth;
  const trainSeeds = seeds.slice(0, s.trainSeeds);
  const lossEvery = 10;
  const runs = ['xavier_normal', 'he_normal'].map((init) => {
    const probes = seeds.map((seed) => {
      progress(`He et al.: relu ${D} × ${s.width}, ${init}, probe seed ${seed}`);
      return probe(buildNet(spec('relu', init, D, s.width), new Rng(seed)), pb, init);
    });
    const std = probes.map((p) => p.layers.slice(0, D).map((l) => l.activationStd));
    let loss: number[] = [];
    const training = trainSeeds.map((seed, k) => {
      progress(`He et al.: relu ${D} × ${s.width}, ${init}, training seed ${seed}`);
      const r = trainRun(buildNet(spec('relu', init, D, s.width), new Rng(seed)), split, { optimizer: 'momentum', lr: s.lr, steps: s.steps }, seed);
      if (k === 0) loss = windows(r.loss, lossEvery);
      return r.outcome;
    });
    return {
      init,
      activationStd: seedStats(std),
      stdFactor: scalarStats(std.map((r) => Math.pow(r[D - 1] / r[1], 1 / (D - 2)))),
      firstToLast: scalarStats(probes.map((p) => p.firstToLast ?? NaN)),
      training,
      loss,
    };
  });
  return { depth: D, width: s.width, seeds, trainSeeds, steps: s.steps, lr: s.lr, optimizer: 'momentum 0.9, batch 32', lossEvery, runs };
}

const SELU_RUNS = [['selu', 'lecun_normal'], ['elu', 'lecun_normal'], ['selu', 'he_normal']] as const;

/** Part 3: activation mean and variance through depth for SELU (and two contrasts). */
export function measureSelu(split: Split, s: RemediesSettings['selu'], seeds: readonly number[], progress: (label: string) => void): SeluPart {
  const pb = fullBatch(takeFirst(split.train, PROBE_EXAMPLES), 'float32');
  // standardise every pixel over the probe batch (constant pixels become 0): Klambauer et al.'s setting
  const I = 784;
  for (let k = 0; k < I; k++) {
    let m = 0;
    for (let r = 0; r < pb.B; r++) m += pb.x[r * I + k];
    m /= pb.B;
    let v = 0;
    for (let r = 0; r < pb.B; r++) v += (pb.x[r * I + k] - m) ** 2;
    const sd = Math.sqrt(v / pb.B);
    for (let r = 0; r < pb.B; r++) pb.x[r * I + k] = sd > 1e-6 ? (pb.x[r * I + k] - m) / sd : 0;
  }
  const runs = SELU_RUNS.map(([act, init]) => {
    progress(`Klambauer et al.: ${act} ${s.depth} × ${s.width}, ${init}`);
    const probes = seeds.map((seed) => probe(buildNet(spec(act, init, s.depth, s.width), new Rng(seed)), pb, init).layers.slice(0, s.depth));
    return { activation: act, init, mean: seedStats(probes.map((ls) => ls.map((l) => l.activationMean))), variance: seedStats(probes.map((ls) => ls.map((l) => l.activationStd ** 2))) };
  });
  return { depth: s.depth, width: s.width, seeds, inputs: `the first ${pb.B} training images, each pixel standardised to mean 0 and variance 1 over them (constant pixels set to 0)`, runs };
}

const NORM_RUNS: readonly { label: string; norm: NormKind; residual: boolean }[] = [
  { label: 'plain', norm: 'none', residual: false },
  { label: 'batch norm', norm: 'batch', residual: false },
  { label: 'layer norm', norm: 'layer', residual: false },
  { label: 'residual', norm: 'none', residual: true },
  { label: 'batch norm + residual', norm: 'batch', residual: true },
];

/** Part 4: deep sigmoid nets, plain and with batch/layer normalisation and residual blocks. */
export function measureNormResidual(split: Split, s: RemediesSettings['normResidual'], seeds: readonly number[], progress: (label: string) => void): NormResidualPart {
  const pb = fullBatch(takeFirst(split.train, PROBE_EXAMPLES), 'float32');
  const init = 'xavier_uniform';
  const lossEvery = 10;
  const runs: NormResidualRun[] = [];
  for (const depth of s.depths) {
    for (const v of NORM_RUNS) {
      progress(`sigmoid ${depth} × ${s.width}: ${v.label}`);
      const mk = (seed: number): Network => buildNet(spec('sigmoid', init, depth, s.width, { norm: v.norm, residual: v.residual }), new Rng(seed));
      const probes = seeds.map((seed) => probe(mk(seed), pb, init));
      const net = mk(seeds[0]);
      const r = trainRun(net, split, { optimizer: 'momentum', lr: s.lr, steps: s.steps }, seeds[0]);
      const end = r.outcome.nonFinite ? [] : deltas(probe(net, pb, init));
      runs.push({ ...v, depth, initNorms: seedStats(probes.map(deltas)), firstToLast: scalarStats(probes.map((p) => p.firstToLast ?? NaN)), verdict: probes[0].verdict.kind, endNorms: end, loss: windows(r.loss, lossEvery), outcome: r.outcome });
    }
  }
  return { activation: 'sigmoid', init, width: s.width, depths: s.depths, seeds, steps: s.steps, lr: s.lr, optimizer: 'momentum 0.9, batch 32', lossEvery, runs };
}

const CLIP_RUNS: readonly { label: string; clipNorm?: number; clipValue?: number; maxNorm?: number }[] = [
  { label: 'no clipping' },
  { label: 'clip by global norm at 1', clipNorm: 1 },
  { label: 'clip by value at 0.05', clipValue: 0.05 },
  { label: 'max-norm constraint c = 2', maxNorm: 2 },
];

/** Part 5: stage 4's exploding relu net at a larger step, without and with clipping and max-norm. */
export function measureClipping(split: Split, s: RemediesSettings['clipping'], seeds: readonly number[], progress: (label: string) => void): ClippingPart {
  const runs = CLIP_RUNS.map((v) => {
    progress(`exploding relu net: ${v.label}`);
    let loss: number[] = [];
    let gradNorm: number[] = [];
    const outcomes = seeds.map((seed, k) => {
      // stage 4's network (relu, 10 × 32, weights and biases N(0, 0.3²)) at a larger step, which blows up on every seed
      const r = trainRun(buildNet(spec('relu', 'normal:0.3', 10, 32), new Rng(seed)), split, { optimizer: 'sgd', lr: s.lr, steps: s.steps, ...v }, seed);
      if (k === 0) ({ loss, gradNorm } = r);
      return r.outcome;
    });
    return { label: v.label, clipNorm: v.clipNorm ?? null, clipValue: v.clipValue ?? null, maxNorm: v.maxNorm ?? null, outcomes, loss, gradNorm };
  });
  return {
    description: `relu, [784, 32×10, 10], weights and biases N(0, 0.3²) — stage 4's exploding network — cross-entropy, plain SGD with η = ${s.lr} (stage 4: 0.05), batch 32, ${s.steps} steps, on seeds ${seeds.join(', ')}`,
    seeds,
    steps: s.steps,
    lossEvery: 1,
    runs,
  };
}

/** The runs of part 6: label, description, training settings, dropout, pre-training steps per layer. */
function trainingRuns(s: RemediesSettings['training']): { label: string; what: string; r: RunSettings; dropout?: number; pretrain?: number }[] {
  const steps = s.steps;
  const base: RunSettings = { optimizer: 'momentum', lr: 0.05, steps };
  const all = [
    { label: 'momentum', what: 'SGD with momentum 0.9, η = 0.05 (the baseline)', r: base },
    { label: 'nesterov', what: 'Nesterov momentum 0.9, η = 0.05', r: { ...base, optimizer: 'nesterov' as const } },
    { label: 'rmsprop', what: 'RMSprop ρ = 0.9, η = 0.001', r: { ...base, optimizer: 'rmsprop' as const, lr: 0.001 } },
    { label: 'adam', what: 'Adam, η = 0.001', r: { ...base, optimizer: 'adam' as const, lr: 0.001 } },
    { label: 'adam + warm-up + cosine', what: `Adam, η = 0.003, linear warm-up over ${Math.round(steps / 10)} steps, then cosine annealing to 0`, r: { ...base, optimizer: 'adam' as const, lr: 0.003, schedule: { kind: 'cosine', minLr: 0, warmup: Math.round(steps / 10) } as const } },
    { label: 'momentum + step decay', what: `momentum, η = 0.2 halved every ${Math.round(steps / 4)} steps after a ${Math.round(steps / 20)}-step warm-up`, r: { ...base, lr: 0.2, schedule: { kind: 'step', every: Math.round(steps / 4), factor: 0.5, warmup: Math.round(steps / 20) } as const } },
    { label: 'L2', what: "momentum + L2, Nielsen's λ = 5", r: { ...base, l2: 5 } },
    { label: 'L1', what: 'momentum + L1, λ₁ = 1', r: { ...base, l1: 1 } },
    { label: 'dropout', what: 'momentum + dropout p = 0.1 after each hidden layer', r: base, dropout: 0.1 },
    { label: 'max-norm', what: 'momentum + max-norm c = 2', r: { ...base, maxNorm: 2 } },
    { label: 'pre-training', what: `greedy autoencoder pre-training (${s.pretrainSteps} Adam steps per hidden layer), then fine-tuning as the baseline`, r: base, pretrain: s.pretrainSteps },
  ];
  const pick = s.runs;
  return pick === 'all' ? all : all.filter((x) => pick.includes(x.label));
}

/** Part 6: optimisers, schedules, regularisation and pre-training on one deep sigmoid net. */
export function measureTrainingRemedies(split: Split, s: RemediesSettings['training'], seed: number, progress: (label: string) => void): TrainingRemediesPart {
  const pb = fullBatch(takeFirst(split.train, PROBE_EXAMPLES), 'float32');
  const init = 'xavier_uniform';
  const lossEvery = 10;
  const mk = (dropout?: number): Network => buildNet(spec('sigmoid', init, s.depth, s.width, { dropout }), new Rng(seed));
  const initNorms = deltas(probe(mk(), pb, init));
  const runs = trainingRuns(s).map((v) => {
    progress(`sigmoid ${s.depth} × ${s.width}: ${v.label}`);
    const net = mk(v.dropout);
    const pre = v.pretrain ? pretrainGreedy(net, fullBatch(split.train, 'float32').x, split.train.n, { steps: v.pretrain, lr: 0.003, batchSize: 32, optimizer: 'adam', rng: new Rng(seed + 2) }) : undefined;
    const r = trainRun(net, split, v.r, seed);
    const p = r.outcome.nonFinite ? null : probe(net, pb, init);
    return {
      label: v.label,
      what: v.what,
      endNorms: p ? deltas(p) : [],
      updateRatios: r.ratios,
      firstToLast: p ? p.firstToLast : null,
      loss: windows(r.loss, lossEvery),
      outcome: r.outcome,
      ...(pre ? { pretrain: pre.map((q) => ({ layer: q.layer, lossStart: q.lossStart, lossEnd: q.lossEnd })) } : {}),
    };
  });
  return { activation: 'sigmoid', depth: s.depth, width: s.width, init, steps: s.steps, seed, lossEvery, initNorms, runs };
}

/** Runs stage 5 on the study's train/test split. */
export function runRemedies(split: Split, o: RemediesOptions): RemediesSection {
  const set = remediesSettings(o.quick);
  const seedsOf = (n: number): number[] => Array.from({ length: n }, (_, i) => o.seed + i);
  const seconds: Record<string, number> = {};
  const timed = <T>(name: string, f: () => T): T => {
    const t0 = performance.now();
    const r = f();
    seconds[name] = (performance.now() - t0) / 1000;
    return r;
  };
  const p = o.progress;
  return {
    quick: o.quick,
    seed: o.seed,
    seconds,
    glorot: timed('glorot', () => measureGlorot(split, set.glorot, seedsOf(set.glorot.seeds), p)),
    he: timed('he', () => measureHe(split, set.he, seedsOf(set.he.seeds), p)),
    selu: timed('selu', () => measureSelu(split, set.selu, seedsOf(set.selu.seeds), p)),
    normResidual: timed('normResidual', () => measureNormResidual(split, set.normResidual, seedsOf(set.normResidual.seeds), p)),
    clipping: timed('clipping', () => measureClipping(split, set.clipping, seedsOf(set.clipping.seeds), p)),
    training: timed('training', () => measureTrainingRemedies(split, set.training, o.seed, p)),
  };
}
