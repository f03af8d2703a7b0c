/**
 * A network described by the settings people type — sizes, hidden
 * activation, initialiser, loss, and the architectural remedies
 * (normalisation, residual blocks, bias rule) — built the same way by
 * `probe`, `train` and the study, and probed into the JSON document of
 * SPEC §6; optionally after greedy pre-training and a few training steps
 * with the remedies that act through training (clipping, max-norm,
 * regularisation, optimiser, schedule).
 */
import type { Dataset } from '../data/types.js';
import { probeNetwork, type ProbeResult } from '../diagnostics/probe.js';
import { buildMlp, explainInits, outputActivationFor, type ActSpec, type MlpSpec, type NormKind } from '../nn/build.js';
import type { BiasInit } from '../nn/init.js';
import { getLoss, type LossName } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import type { NonFiniteFinding } from '../nn/nonfinite.js';
import { Optimizer, scheduledLr, type LrSchedule, type OptimizerName } from '../nn/optim.js';
import { pretrainGreedy, type PretrainLayerResult } from '../nn/pretrain.js';
import { train, type StopReason } from '../nn/train.js';
import type { DType } from '../tensor/dtype.js';
import { Rng } from '../tensor/rng.js';
import { datasetSource, fullBatch } from './source.js';

/** What defines a feed-forward network in gradscope. */
export interface NetSpec {
  /** Layer sizes, input first. */
  readonly arch: readonly number[];
  /** Hidden activation, or one per hidden layer. */
  readonly act: string | readonly string[];
  /** Parameters of the hidden activation(s), e.g. { negative_slope: 0.2 }. */
  readonly actParams?: Readonly<Record<string, number>>;
  /** Output activation for the quadratic loss (default: the hidden one). */
  readonly outAct?: string;
  /** Initialiser, or one per weight layer. */
  readonly init: string | readonly string[];
  readonly loss: LossName;
  readonly dtype: DType;
  readonly dropout?: number;
  /** Normalisation between each hidden layer's linear part and its activation (default 'none'). */
  readonly norm?: NormKind;
  /** Hidden layers as residual blocks (default false). */
  readonly residual?: boolean;
  /** Biases by the initialiser's rule (default) or zeros. */
  readonly biasInit?: BiasInit;
}

/** The MLP layout of `spec`: sizes, activations and initialisers as `buildMlp` takes them. */
function mlpLayout(spec: NetSpec): Pick<MlpSpec, 'sizes' | 'hidden' | 'output' | 'init' | 'biasInit'> {
  const hidden: ActSpec | ActSpec[] = typeof spec.act === 'string' ? { name: spec.act, params: spec.actParams } : spec.act.map((name) => ({ name, params: spec.actParams }));
  const lastHidden = typeof spec.act === 'string' ? spec.act : spec.act[spec.act.length - 1] ?? 'linear';
  return { sizes: spec.arch, hidden, output: { name: outputActivationFor(spec.loss, lastHidden, spec.outAct) }, init: spec.init, biasInit: spec.biasInit };
}

/** Builds and initialises the network of `spec` from `rng`. */
export function buildNet(spec: NetSpec, rng: Rng): Network {
  return buildMlp({
    ...mlpLayout(spec),
    dropout: spec.dropout,
    norm: spec.norm,
    residual: spec.residual,
    dtype: spec.dtype,
    rng,
  });
}

/** What the layer-adaptive initialisers (`critical`) of `spec` chose per layer, in words; [] for the others. */
export function initRules(spec: NetSpec): string[] {
  return explainInits(mlpLayout(spec));
}

/** Checks that a dataset fits a network's input and output widths; throws a sentence naming both. */
export function checkFit(spec: NetSpec, ds: Dataset): void {
  const I = spec.arch[0];
  const O = spec.arch[spec.arch.length - 1];
  if (I !== ds.inputSize) throw new RangeError(`--arch starts with ${I} inputs but dataset '${ds.name}' has ${ds.inputSize} features; use ${ds.inputSize}-…-${ds.classes}`);
  if (O !== ds.classes) throw new RangeError(`--arch ends with ${O} outputs but dataset '${ds.name}' has ${ds.classes} classes; use …-${ds.classes}`);
}

/** Greedy pre-training before a probe (steps per hidden layer). */
export interface PretrainSpec {
  readonly steps: number;
  readonly lr: number;
  readonly batchSize: number;
  readonly optimizer: 'sgd' | 'momentum' | 'adam';
}

/** Training steps before a probe, with the remedies that act through training. */
export interface TrainSpec {
  readonly steps: number;
  readonly optimizer: OptimizerName;
  readonly lr: number;
  /** μ for momentum/nesterov, ρ for rmsprop (default 0.9). */
  readonly momentum?: number;
  readonly batchSize: number;
  readonly schedule?: LrSchedule;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly maxNorm?: number;
  /** Nielsen's L2 λ (decay 1 − ηλ/n) and L1 λ₁, n = the probe set's size. */
  readonly l2?: number;
  readonly l1?: number;
}

/** What happened before the probe, when anything did. */
export interface ProbeSetup {
  readonly pretrain?: PretrainSpec;
  readonly train?: TrainSpec;
}

/** How the training before a probe went. */
export interface ProbeTrainingOutcome {
  readonly steps: number;
  readonly stopReason: StopReason;
  readonly firstLoss: number;
  readonly lastLoss: number;
  /** Steps on which clipping changed the gradient (by norm, by value). */
  readonly clipEvents: number;
  readonly clipNormEvents: number;
  readonly clipValueEvents: number;
  /** Weight rows the max-norm constraint rescaled, over all steps. */
  readonly maxNormRows: number;
  readonly nonFinite: NonFiniteFinding | null;
}

/** The JSON document of `gradscope probe --json` (SPEC §6). */
export interface ProbeReport extends ProbeResult {
  readonly arch: readonly number[];
  readonly activation: string;
  readonly init: string;
  readonly loss: LossName;
  readonly samples: number;
  readonly seed: number;
  readonly dataset: string;
  readonly dtype: DType;
  readonly norm: NormKind;
  readonly residual: boolean;
  /** Per hidden layer, when the network was pre-trained before the probe. */
  readonly pretrain?: readonly PretrainLayerResult[];
  /** When it was trained before the probe. */
  readonly training?: ProbeTrainingOutcome;
  /** What a layer-adaptive initialiser (`critical`) chose per layer (absent for the others). */
  readonly initRules?: readonly string[];
}

/** Trains `net` on `ds` as `t` says (seeded by `rng`) and reports how it went. */
export function trainForProbe(net: Network, ds: Dataset, loss: LossName, t: TrainSpec, rng: Rng): ProbeTrainingOutcome {
  const optimizer = new Optimizer(net.params(), { name: t.optimizer, momentum: t.momentum, l2: t.l2, l1: t.l1, n: ds.n, maxNorm: t.maxNorm });
  const schedule: LrSchedule = t.schedule ?? { kind: 'constant', warmup: 0 };
  let firstLoss = NaN;
  const r = train(net, datasetSource(ds), {
    loss: getLoss(loss),
    optimizer,
    lr: (s) => scheduledLr(t.lr, schedule, s, t.steps),
    batchSize: t.batchSize,
    maxSteps: t.steps,
    clipNorm: t.clipNorm,
    clipValue: t.clipValue,
    rng,
    afterBackward: (i) => {
      if (i.step === 0) firstLoss = i.loss;
    },
  });
  return {
    steps: r.steps,
    stopReason: r.stopReason,
    firstLoss,
    lastLoss: r.lastLoss,
    clipEvents: r.clipEvents,
    clipNormEvents: r.clipNormEvents ?? 0,
    clipValueEvents: r.clipValueEvents ?? 0,
    maxNormRows: optimizer.maxNormRows,
    nonFinite: r.nonFinite,
  };
}

/**
 * Builds a network from `seed` and probes it on all of `ds`: fresh, or after
 * `setup`'s pre-training and training on `ds` (seeded apart from the weights,
 * so the same seed gives the same initial weights whatever the setup).
 */
export function probeSpec(spec: NetSpec, ds: Dataset, seed: number, jacobianSamples = 8, setup: ProbeSetup = {}): ProbeReport {
  checkFit(spec, ds);
  const net = buildNet(spec, new Rng(seed));
  const { x, y, B } = fullBatch(ds, spec.dtype);
  const init = typeof spec.init === 'string' ? spec.init : spec.init.join(',');
  const pre = setup.pretrain ? pretrainGreedy(net, x, B, { ...setup.pretrain, rng: new Rng(seed + 7919) }) : undefined;
  const training = setup.train ? trainForProbe(net, ds, spec.loss, setup.train, new Rng(seed + 104729)) : undefined;
  const r = probeNetwork(net, x, y, B, getLoss(spec.loss), init, { jacobianSamples });
  const rules = initRules(spec);
  return {
    arch: spec.arch,
    activation: typeof spec.act === 'string' ? spec.act : spec.act.join(','),
    init,
    loss: spec.loss,
    samples: B,
    seed,
    dataset: ds.name,
    dtype: spec.dtype,
    norm: spec.norm ?? 'none',
    residual: spec.residual ?? false,
    ...(pre ? { pretrain: pre } : {}),
    ...(training ? { training } : {}),
    ...(rules.length ? { initRules: rules } : {}),
    ...r,
  };
}
