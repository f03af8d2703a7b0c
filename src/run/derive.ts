/**
 * What a RunSpec means for the engine, decided in one place: the network it
 * builds, the optimiser, the learning rate of each step, the step budget,
 * the probe cadence and the data split. The run driver, `probe`, the study
 * and the web lab all derive these from here.
 */
import { getActivation } from '../activations/catalogue.js';
import { splitTrainTest, takeFirst } from '../data/batch.js';
import { fail, saying } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import type { Dataset } from '../data/types.js';
import { buildMlp, type ActSpec, type MlpSpec } from '../nn/build.js';
import type { Param } from '../nn/layer.js';
import type { Network } from '../nn/network.js';
import { Optimizer, scheduledLr, type LrSchedule, type OptimizerName } from '../nn/optim.js';
import type { Kernels } from '../tensor/kernels.js';
import type { Rng } from '../tensor/rng.js';
import { paramsFor, type RunSpec } from './schema.js';

/** The training and (possibly absent) test sets of a run. */
export interface RunData {
  readonly train: Dataset;
  readonly test: Dataset | null;
}

/** The hidden activations of a run, one per hidden layer, with the parameters each takes. */
export function hiddenLayers(s: RunSpec): ActSpec[] {
  const H = s.arch.length - 2;
  const names = typeof s.activation === 'string' ? Array.from({ length: H }, () => s.activation as string) : [...s.activation];
  return names.map((name) => {
    const params = paramsFor(getActivation(name), s.activationParams);
    return Object.keys(params).length > 0 ? { name, params } : { name };
  });
}

/** The network of `s` as buildMlp takes it, without the random stream that draws its weights. */
export function mlpOf(s: RunSpec): Omit<MlpSpec, 'rng' | 'kernels'> {
  return {
    sizes: s.arch,
    hidden: hiddenLayers(s),
    output: { name: s.outputActivation },
    init: s.init,
    dropout: s.dropout,
    norm: s.norm,
    residual: s.residual,
    biasInit: s.biasInit,
    dtype: s.dtype,
  };
}

/** Builds and initialises the network of `s`, drawing the weights from `rng`. */
export function networkOf(s: RunSpec, rng: Rng, kernels?: Kernels): Network {
  return buildMlp({ ...mlpOf(s), rng, ...(kernels ? { kernels } : {}) });
}

/** The update rule the engine runs: PyTorch's SGD with momentum > 0 is heavy-ball momentum. */
export function engineOptimizer(s: RunSpec): OptimizerName {
  return s.optimizer === 'sgd' && s.momentum > 0 ? 'momentum' : s.optimizer;
}

/** The optimiser of a run over `params`, for a training set of `n` examples (the L2/L1 terms divide by n). */
export function optimizerOf(s: RunSpec, params: readonly Param[], n: number): Optimizer {
  return new Optimizer(params, {
    name: engineOptimizer(s),
    momentum: s.momentum,
    beta1: s.beta1,
    beta2: s.beta2,
    eps: s.eps,
    l2: s.l2,
    l1: s.l1,
    n,
    weightDecay: s.weightDecay,
    ...(s.maxNorm !== null ? { maxNorm: s.maxNorm } : {}),
  });
}

/** The learning-rate schedule with its warm-up. */
export function scheduleOf(s: RunSpec): LrSchedule {
  return { ...s.schedule, warmup: s.warmup };
}

/** The learning rate of step `step` (0-based) of a run of `total` steps. */
export function learningRateAt(s: RunSpec, step: number, total: number): number {
  return scheduledLr(s.lr, scheduleOf(s), step, total);
}

/** Batch size, batches per epoch and the planned number of steps for a training set of `n` examples. */
export function stepBudget(s: RunSpec, n: number): { readonly batchSize: number; readonly perEpoch: number; readonly total: number } {
  const batchSize = Math.min(s.batchSize, n);
  const perEpoch = Math.floor(n / batchSize);
  const total = Math.min(s.maxSteps ?? Infinity, s.epochs === null ? Infinity : s.epochs * perEpoch);
  return { batchSize, perEpoch, total };
}

/** Why a data set does not fit an architecture's input and output widths, or null when it does. */
export function fitProblem(arch: readonly number[], ds: Dataset): { readonly expected: string; readonly said: Msg } | null {
  const I = arch[0];
  const O = arch[arch.length - 1];
  const f = String(ds.inputSize);
  const c = String(ds.classes);
  if (I !== ds.inputSize) return saying(msg('err.data.fitInputs', { i: String(I), name: ds.name, f, c }));
  if (O !== ds.classes) return saying(msg('err.data.fitOutputs', { o: String(O), name: ds.name, c }));
  return null;
}

/** Examples of the training set whose accuracy a probe reports. */
export const TRAIN_ACCURACY_SAMPLES = 1000;

/**
 * Probe every this many steps: `probeEvery`, or for 'auto' about 50 probes
 * but at most half the training's cost. In forward passes over one example:
 * a step costs 3·B; a probe a forward and backward pass over the probe batch
 * (3 each), the Jacobians (about min(O, I) passes per sampled example and
 * layer, relative to the whole network), and a forward pass over the test
 * set and the training-accuracy sample.
 */
export function probeCadence(s: RunSpec, net: Network, data: RunData, total: number): number {
  if (s.probeEvery !== 'auto') return s.probeEvery;
  const { batchSize } = stepBudget(s, data.train.n);
  const macs = net.weightLayers.reduce((a, l) => a + l.inSize * l.outSize, 0);
  const jac = net.weightLayers.reduce((a, l) => a + l.inSize * l.outSize * Math.min(l.inSize, l.outSize), 0) / Math.max(1, macs);
  const evalN = s.testAccuracy ? (data.test?.n ?? 0) + Math.min(TRAIN_ACCURACY_SAMPLES, data.train.n) : 0;
  const probeCost = 3 * Math.min(s.probeSamples, data.train.n) + s.jacobianSamples * jac + evalN;
  return Math.max(1, Math.ceil(total / 50), Math.ceil((2 * probeCost) / (3 * batchSize)));
}

/** Write steps.jsonl every this many steps (0: never; 'auto': every step up to 5,000 steps, else about 5,000 lines). */
export function stepsCadence(s: RunSpec, total: number): number {
  if (s.stepsEvery !== 'auto') return s.stepsEvery;
  return total <= 5000 ? 1 : Math.ceil(total / 5000);
}

/**
 * A run's data from the whole set it names: the first `samples` examples
 * (digits, mnist:DIR; a synthetic set was drawn with that many), then the
 * official test set when there is one (mnist:DIR), else a seeded stratified
 * split with `testFraction` held out.
 */
export function runData(s: RunSpec, all: Dataset, officialTest: Dataset | null = null, synthetic = false): RunData {
  const whole = !synthetic && s.samples !== null && s.samples < all.n ? takeFirst(all, s.samples) : all;
  if (officialTest) return { train: whole, test: officialTest.n > 0 ? officialTest : null };
  if (s.testFraction === 0) return { train: whole, test: null };
  const split = splitTrainTest(whole, s.testFraction, s.seed);
  // a split that leaves one side empty is not what the user asked for: say so rather than train without it
  if (split.test.n === 0) fail({ field: 'samples', value: whole.n, ...saying(msg('err.data.holdOut', { f: String(s.testFraction) })) });
  if (split.train.n === 0) fail({ field: 'testFraction', value: s.testFraction, ...saying(msg('err.data.allHeldOut', { n: String(whole.n) })) });
  return { train: split.train, test: split.test };
}
