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
 *   5. stage 4's exploding network with clipping by value and a max-norm constraint;
 *   6. optimisers, schedules, regularisation and greedy pre-training on one deep sigmoid net.
 * Measurements at initialisation use many seeds (a probe costs milliseconds;
 * Glorot's exact singular values of 1000 × 1000 Jacobians are the
 * exception), training runs several; every training outcome says whether
 * the net trained: test accuracy above chance (the most frequent test
 * class) by TRAINED_MARGIN. Quick mode shrinks widths (Glorot: 500 units),
 * seeds and steps. Each part is a task of its own (`runRemedyPart`).
 */
import { takeFirst } from '../data/batch.js';
import type { Split } from '../data/types.js';
import { probeNetwork, type ProbeResult } from '../diagnostics/probe.js';
import type { NormKind } from '../nn/build.js';
import { crossEntropy } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import type { Buf } from '../tensor/dtype.js';
import { Rng } from '../tensor/rng.js';
import { networkOf } from '../run/derive.js';
import { parseRun, type RunInput, type RunSpec } from '../run/schema.js';
import { fullBatch } from '../run/source.js';
import { runArms, type ArmSettings, type ExplodingNet } from './exploding.js';
import { chanceLevel, STUDY_PROBE_EXAMPLES, TRAINED_MARGIN, trainRun } from './train-run.js';
import { scalarStats, seedStats } from '../experiments/stats.js';
import type { ClippingPart, GlorotPart, HePart, NormResidualPart, NormResidualRun, RemediesSection, SeluPart, TrainingRemediesPart } from './types.js';
import { msg } from '../i18n/catalogue.js';
import { described } from '../i18n/described.js';

/** The parts of stage 5, each a task of its own. */
export const REMEDY_PARTS = ['glorot', 'he', 'selu', 'normResidual', 'clipping', 'training'] as const;

/** A part of stage 5. */
export type RemedyPart = (typeof REMEDY_PARTS)[number];

/** The sizes of each part of stage 5. */
export interface RemediesSettings {
  readonly glorot: { readonly units: number; readonly hidden: number; readonly examples: number; readonly jacobianSamples: number; readonly seeds: number };
  readonly he: { readonly depth: number; readonly width: number; readonly seeds: number; readonly trainSeeds: number; readonly steps: number; readonly lr: number };
  readonly selu: { readonly depth: number; readonly width: number; readonly seeds: number };
  readonly normResidual: { readonly depths: readonly number[]; readonly width: number; readonly seeds: number; readonly trainSeeds: number; readonly steps: number; readonly lr: number };
  readonly clipping: { readonly seeds: number; readonly net: ExplodingNet };
  /** `runs`: the labels of the runs to make, or 'all'. */
  readonly training: { readonly depth: number; readonly width: number; readonly steps: number; readonly pretrainSteps: number; readonly seeds: number; readonly runs: readonly string[] | 'all' };
}

/** The sizes of stage 5 in quick and full mode; `net` is stage 4's exploding network. */
export function remediesSettings(quick: boolean, net: ExplodingNet): RemediesSettings {
  const q = quick;
  return {
    // the singular-value law does not depend on the width (REFERENCES.md): 500 units, not the paper's 1000, and more seeds
    glorot: { units: q ? 300 : 500, hidden: 5, examples: 200, jacobianSamples: 1, seeds: q ? 2 : 4 },
    he: { depth: 30, width: 32, seeds: q ? 20 : 100, trainSeeds: q ? 2 : 10, steps: q ? 300 : 600, lr: 0.01 },
    selu: { depth: 32, width: 64, seeds: q ? 10 : 100 },
    normResidual: { depths: q ? [10] : [10, 20], width: 32, seeds: q ? 10 : 100, trainSeeds: q ? 2 : 5, steps: q ? 150 : 300, lr: 0.05 },
    clipping: { seeds: q ? 2 : 5, net },
    training: { depth: 10, width: 32, steps: q ? 150 : 300, pretrainSteps: 100, seeds: q ? 2 : 5, runs: q ? ['momentum', 'adam', 'adam + warm-up + cosine', 'L2', 'max-norm', 'pre-training'] : 'all' },
  };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean of each window of `k` values (the last window may be shorter); non-finite values pass through. */
function windows(xs: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i += k) out.push(mean(xs.slice(i, i + k)));
  return out;
}

/** A net of `depth` hidden layers of `width` units on the digits, softmax output and cross-entropy. */
function spec(act: string, init: string, depth: number, width: number, extra: RunInput = {}): RunSpec {
  return parseRun({ arch: [784, ...Array<number>(depth).fill(width), 10], activation: act, init, loss: 'cross_entropy', dtype: 'float32', ...extra });
}

/** SGD with momentum 0.9 (the default μ of `momentum`), mini-batches of 32, for `steps` steps. */
const momentumTraining = (lr: number, steps: number): RunInput => ({ optimizer: 'momentum', lr, batchSize: 32, maxSteps: steps });

function probe(net: Network, pb: { x: Buf; y: Buf; B: number }, init: string, jacobianSamples = 0): ProbeResult {
  return probeNetwork(net, pb.x, pb.y, pb.B, crossEntropy, init, { jacobianSamples });
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
      return probe(networkOf(spec('tanh', init, H, s.units, { biasInit: 'zeros' }), new Rng(seed)), pb, init, s.jacobianSamples);
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
  const pb = fullBatch(takeFirst(split.train, STUDY_PROBE_EXAMPLES), 'float32');
  const D = s.depth;
  const trainSeeds = seeds.slice(0, s.trainSeeds);
  const lossEvery = 10;
  const runs = ['xavier_normal', 'he_normal'].map((init) => {
    progress(`He et al.: relu ${D} × ${s.width}, ${init}, ${seeds.length} probe seeds`);
    const probes = seeds.map((seed) => probe(networkOf(spec('relu', init, D, s.width), new Rng(seed)), pb, init));
    const std = probes.map((p) => p.layers.slice(0, D).map((l) => l.activationStd));
    let loss: number[] = [];
    const training = trainSeeds.map((seed, k) => {
      progress(`He et al.: relu ${D} × ${s.width}, ${init}, training seed ${seed}`);
      const r = trainRun(spec('relu', init, D, s.width, { ...momentumTraining(s.lr, s.steps), seed }), split);
      if (k === 0) loss = windows(r.loss, lossEvery);
      return r.seedOutcome;
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
  return { depth: D, width: s.width, seeds: seeds.length, trainSeeds, steps: s.steps, lr: s.lr, optimizer: 'momentum 0.9, batch 32', lossEvery, runs };
}

const SELU_RUNS = [['selu', 'lecun_normal'], ['elu', 'lecun_normal'], ['selu', 'he_normal']] as const;

/** Part 3: activation mean and variance through depth for SELU (and two contrasts). */
export function measureSelu(split: Split, s: RemediesSettings['selu'], seeds: readonly number[], progress: (label: string) => void): SeluPart {
  const pb = fullBatch(takeFirst(split.train, STUDY_PROBE_EXAMPLES), 'float32');
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
    const probes = seeds.map((seed) => probe(networkOf(spec(act, init, s.depth, s.width), new Rng(seed)), pb, init).layers.slice(0, s.depth));
    return { activation: act, init, mean: seedStats(probes.map((ls) => ls.map((l) => l.activationMean))), variance: seedStats(probes.map((ls) => ls.map((l) => l.activationStd ** 2))) };
  });
  return { depth: s.depth, width: s.width, seeds: seeds.length, inputs: `the first ${pb.B} training images, each pixel standardised to mean 0 and variance 1 over them (constant pixels set to 0)`, runs };
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
  const pb = fullBatch(takeFirst(split.train, STUDY_PROBE_EXAMPLES), 'float32');
  const init = 'xavier_uniform';
  const lossEvery = 10;
  const trainSeeds = seeds.slice(0, s.trainSeeds);
  const runs: NormResidualRun[] = [];
  for (const depth of s.depths) {
    for (const v of NORM_RUNS) {
      progress(`sigmoid ${depth} × ${s.width}: ${v.label}`);
      const mk = (seed: number): RunSpec => spec('sigmoid', init, depth, s.width, { norm: v.norm, residual: v.residual, ...momentumTraining(s.lr, s.steps), seed });
      const probes = seeds.map((seed) => probe(networkOf(mk(seed), new Rng(seed)), pb, init));
      let loss: number[] = [];
      const outcomes = trainSeeds.map((seed, k) => {
        const r = trainRun(mk(seed), split);
        if (k === 0) loss = windows(r.loss, lossEvery);
        return r.seedOutcome;
      });
      const verdicts: Record<string, number> = {};
      for (const p of probes) verdicts[p.verdict.kind] = (verdicts[p.verdict.kind] ?? 0) + 1;
      runs.push({ ...v, depth, initNorms: seedStats(probes.map(deltas)), firstToLast: scalarStats(probes.map((p) => p.firstToLast ?? NaN)), verdicts, loss, outcomes });
    }
  }
  return { activation: 'sigmoid', init, width: s.width, depths: s.depths, seeds: seeds.length, trainSeeds, steps: s.steps, lr: s.lr, optimizer: 'momentum 0.9, batch 32', lossEvery, runs };
}

/** Part 5's arms on stage 4's exploding network: clipping by value and a max-norm constraint. */
export const CLIP_RUNS: readonly ArmSettings[] = [
  { label: msg('x.arm.clipValue', { v: '0.5', lr: '0.01' }), lr: 0.01, clipValue: 0.5 },
  { label: msg('x.arm.maxNorm', { c: '2', lr: '0.01' }), lr: 0.01, maxNorm: 2 },
];

/** Part 5: stage 4's exploding network with clipping by value and max-norm (its no-remedy and clipping-by-norm arms are stage 4's). */
export function measureClipping(split: Split, s: RemediesSettings['clipping'], seeds: readonly number[], progress: (label: string) => void): ClippingPart {
  const n = s.net;
  return {
    ...described(msg('desc.remediesClip', { width: n.width, depth: n.depth, gain: n.gain, batch: n.batch, steps: n.steps, seeds: seeds.join(', ') })),
    seeds,
    steps: n.steps,
    lossEvery: 1,
    runs: runArms(split, n, CLIP_RUNS, seeds, progress),
  };
}

/** The runs of part 6: label, description and the settings that differ from the baseline (momentum 0.9, η = 0.05). */
function trainingRuns(s: RemediesSettings['training']): { label: string; what: string; r: RunInput }[] {
  const steps = s.steps;
  const all: { label: string; what: string; r: RunInput }[] = [
    { label: 'momentum', what: 'SGD with momentum 0.9, η = 0.05 (the baseline)', r: {} },
    { label: 'nesterov', what: 'Nesterov momentum 0.9, η = 0.05', r: { optimizer: 'nesterov' } },
    { label: 'rmsprop', what: 'RMSprop ρ = 0.9, η = 0.001', r: { optimizer: 'rmsprop', lr: 0.001 } },
    { label: 'adam', what: 'Adam, η = 0.001', r: { optimizer: 'adam', lr: 0.001 } },
    { label: 'adam + warm-up + cosine', what: `Adam, η = 0.003, linear warm-up over ${Math.round(steps / 10)} steps, then cosine annealing to 0`, r: { optimizer: 'adam', lr: 0.003, schedule: { kind: 'cosine', minLr: 0 }, warmup: Math.round(steps / 10) } },
    { label: 'momentum + step decay', what: `momentum, η = 0.2 halved every ${Math.round(steps / 4)} steps after a ${Math.round(steps / 20)}-step warm-up`, r: { lr: 0.2, schedule: { kind: 'step', every: Math.round(steps / 4), factor: 0.5 }, warmup: Math.round(steps / 20) } },
    { label: 'L2', what: "momentum + L2, Nielsen's λ = 5", r: { l2: 5 } },
    { label: 'L1', what: 'momentum + L1, λ₁ = 1', r: { l1: 1 } },
    { label: 'dropout', what: 'momentum + dropout p = 0.1 after each hidden layer', r: { dropout: 0.1 } },
    { label: 'max-norm', what: 'momentum + max-norm c = 2', r: { maxNorm: 2 } },
    { label: 'pre-training', what: `greedy autoencoder pre-training (${s.pretrainSteps} Adam steps per hidden layer), then fine-tuning as the baseline`, r: { pretrain: true, pretrainSteps: s.pretrainSteps, pretrainLr: 0.003, pretrainBatchSize: 32, pretrainOptimizer: 'adam' } },
  ];
  const pick = s.runs;
  return pick === 'all' ? all : all.filter((x) => pick.includes(x.label));
}

/** Part 6: optimisers, schedules, regularisation and pre-training on one deep sigmoid net, over seeds. */
export function measureTrainingRemedies(split: Split, s: RemediesSettings['training'], seeds: readonly number[], progress: (label: string) => void): TrainingRemediesPart {
  const pb = fullBatch(takeFirst(split.train, STUDY_PROBE_EXAMPLES), 'float32');
  const init = 'xavier_uniform';
  const lossEvery = 10;
  const mk = (seed: number, r: RunInput = {}): RunSpec => spec('sigmoid', init, s.depth, s.width, { ...momentumTraining(0.05, s.steps), ...r, seed });
  const initNorms = deltas(probe(networkOf(mk(seeds[0]), new Rng(seeds[0])), pb, init));
  const runs = trainingRuns(s).map((v) => {
    progress(`sigmoid ${s.depth} × ${s.width}: ${v.label}`);
    let first: { endNorms: number[]; updateRatios: number[]; firstToLast: number | null; loss: number[]; pretrain?: { layer: number; lossStart: number; lossEnd: number }[] } | null = null;
    const outcomes = seeds.map((seed) => {
      const r = trainRun(mk(seed, v.r), split);
      if (first === null) {
        const o = r.outcome;
        const end = o.nonFinite ? null : o.atEnd;
        first = { endNorms: end ? end.layers.map((l) => l.biasGradNorm) : [], updateRatios: o.atEnd.layers.map((l) => l.updateRatio), firstToLast: end ? end.firstToLast : null, loss: windows(r.loss, lossEvery), ...(o.pretrain ? { pretrain: o.pretrain.map((q) => ({ layer: q.layer, lossStart: q.lossStart, lossEnd: q.lossEnd })) } : {}) };
      }
      return r.seedOutcome;
    });
    return { label: v.label, what: v.what, ...first!, outcomes };
  });
  return { activation: 'sigmoid', depth: s.depth, width: s.width, init, steps: s.steps, seeds, lossEvery, initNorms, runs };
}

/** The seeds of a part: seed, seed + 1, … */
const seedsOf = (seed: number, n: number): number[] => Array.from({ length: n }, (_, i) => seed + i);

/** Runs one part of stage 5 on the study's split. */
export function runRemedyPart(split: Split, part: RemedyPart, set: RemediesSettings, seed: number, progress: (label: string) => void): unknown {
  switch (part) {
    case 'glorot':
      return measureGlorot(split, set.glorot, seedsOf(seed, set.glorot.seeds), progress);
    case 'he':
      return measureHe(split, set.he, seedsOf(seed, set.he.seeds), progress);
    case 'selu':
      return measureSelu(split, set.selu, seedsOf(seed, set.selu.seeds), progress);
    case 'normResidual':
      return measureNormResidual(split, set.normResidual, seedsOf(seed, set.normResidual.seeds), progress);
    case 'clipping':
      return measureClipping(split, set.clipping, seedsOf(seed, set.clipping.seeds), progress);
    case 'training':
      return measureTrainingRemedies(split, set.training, seedsOf(seed, set.training.seeds), progress);
  }
}

/** Stage 5 from its parts' outputs (in REMEDY_PARTS order) and their seconds. */
export function remediesSection(split: Split, quick: boolean, seed: number, parts: readonly unknown[], seconds: Readonly<Record<string, number>>): RemediesSection {
  const [glorot, he, selu, normResidual, clipping, training] = parts;
  return {
    quick,
    seed,
    chance: chanceLevel(split.test),
    margin: TRAINED_MARGIN,
    seconds,
    glorot: glorot as GlorotPart,
    he: he as HePart,
    selu: selu as SeluPart,
    normResidual: normResidual as NormResidualPart,
    clipping: clipping as ClippingPart,
    training: training as TrainingRemediesPart,
  };
}
