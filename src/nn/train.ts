/**
 * The training loop: mini-batch steps with the stopping rules people expect
 * (a maximum number of steps or epochs, a gradient-norm tolerance ‖∇‖ < tol,
 * a target loss), optional clipping, and hooks that see every step's
 * gradients before the update — what the diagnostics measure. A step
 * allocates nothing: the batch rows are the network's (in its memory, where
 * the kernels read them), the data order is kept per source across calls,
 * and the hooks see one StepInfo object per call, updated in place.
 */
import type { Buf } from '../tensor/dtype.js';
import type { Rng } from '../tensor/rng.js';
import { clipByGlobalNorm, clipByValue } from './clip.js';
import type { PassContext } from './layer.js';
import type { LossDef } from './losses.js';
import type { Network } from './network.js';
import { findNonFinite, nonFiniteFinding, type NonFiniteFinding } from './nonfinite.js';
import { msg } from '../i18n/catalogue.js';
import type { Optimizer } from './optim.js';

/** Where training examples come from: fills a batch of rows picked by `order`. */
export interface BatchSource {
  readonly n: number;
  readonly inputSize: number;
  readonly outputSize: number;
  /** Copies rows order[start..start+B) into x(B,I) and their targets into y(B,O). */
  fill(x: Buf, y: Buf, order: ArrayLike<number>, start: number, B: number): void;
}

/** What a step hook sees (one object per train() call, updated in place every step: copy what you keep). */
export interface StepInfo {
  /** 0-based step index (the gradient at the weights before update number step+1). */
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  readonly clipped: boolean;
  readonly batchSize: number;
  /** Gradient components clamped by clipping by value in this step (0 when it is off). */
  readonly clippedValues?: number;
}

/** Why training stopped. */
export type StopReason = 'max_steps' | 'grad_tol' | 'target_loss' | 'non_finite' | 'stopped';

/** Training settings. */
export interface TrainOptions {
  readonly loss: LossDef;
  readonly optimizer: Optimizer;
  readonly lr: number | ((step: number) => number);
  readonly batchSize: number;
  /** Stop after this many steps. */
  readonly maxSteps: number;
  /** Stop when the global gradient norm falls below this. */
  readonly gradTol?: number;
  /** Stop when the batch loss falls below this. */
  readonly targetLoss?: number;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  /** Reshuffle every epoch (default true); false walks the data in order, as full-batch runs do. */
  readonly shuffle?: boolean;
  readonly rng: Rng;
  /** Called after backward and before the update; return false to stop. */
  readonly afterBackward?: (info: StepInfo) => boolean | void;
  /** Called after the update. */
  readonly afterUpdate?: (info: StepInfo) => boolean | void;
  /** Checked before every step; true stops (Ctrl-C). */
  readonly shouldStop?: () => boolean;
}

/** The outcome of a training run. */
export interface TrainResult {
  readonly steps: number;
  readonly stopReason: StopReason;
  readonly lastLoss: number;
  readonly lastGradNorm: number;
  /** Steps on which either clipping changed the gradient. */
  readonly clipEvents: number;
  /** Steps on which clipping by global norm rescaled the gradient. */
  readonly clipNormEvents?: number;
  /** Steps on which clipping by value clamped at least one component. */
  readonly clipValueEvents?: number;
  readonly nonFinite: NonFiniteFinding | null;
}

/** The order array of each source, kept across train() calls (reset to 0 … n−1 at the start of each). */
const orders = new WeakMap<BatchSource, Int32Array>();

/** A StepInfo whose fields train() updates in place. */
type MutableStepInfo = { -readonly [K in keyof StepInfo]: StepInfo[K] };

/** Trains `net` on `data` until a stopping rule fires. */
export function train(net: Network, data: BatchSource, o: TrainOptions): TrainResult {
  if (data.inputSize !== net.inputSize) throw new RangeError(`train: the data has ${data.inputSize} features but the network takes ${net.inputSize}`);
  if (data.outputSize !== net.outputSize) throw new RangeError(`train: the data has ${data.outputSize} targets but the network gives ${net.outputSize}`);
  const B = Math.min(o.batchSize, data.n);
  const { x, y } = net.batchRows('train', B);
  let order = orders.get(data);
  if (order === undefined || order.length !== data.n) {
    order = new Int32Array(data.n);
    orders.set(data, order);
  }
  for (let i = 0; i < data.n; i++) order[i] = i;
  const ctx: PassContext = { training: true, rng: o.rng };
  const params = net.params();
  const info: MutableStepInfo = { step: 0, epoch: 0, loss: NaN, gradNorm: NaN, clipped: false, batchSize: B, clippedValues: 0 };
  const shuffle = o.shuffle ?? true;
  const perEpoch = Math.floor(data.n / B);
  let cursor = perEpoch; // forces a shuffle before the first step
  let epoch = -1;
  let lastLoss = NaN;
  let lastGradNorm = NaN;
  let clipEvents = 0;
  let clipNormEvents = 0;
  let clipValueEvents = 0;
  let step = 0;
  let reason: StopReason = 'max_steps';
  let nonFinite: NonFiniteFinding | null = null;
  for (; step < o.maxSteps; step++) {
    if (o.shouldStop?.()) {
      reason = 'stopped';
      break;
    }
    if (cursor >= perEpoch) {
      epoch++;
      cursor = 0;
      if (shuffle) o.rng.shuffle(order);
    }
    data.fill(x, y, order, cursor * B, B);
    cursor++;
    net.zeroGrad();
    const loss = net.lossAndBackward(x, y, B, o.loss, ctx);
    const gradNorm = Math.sqrt(net.gradSquaredSum());
    lastLoss = loss;
    lastGradNorm = gradNorm;
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      nonFinite = findNonFinite(net, loss, B, step) ?? nonFiniteFinding(step, 0, 'gradient', msg('nf.anyGradient', { step }));
      reason = 'non_finite';
      break;
    }
    let clipped = false;
    if (o.clipNorm !== undefined && clipByGlobalNorm(params, o.clipNorm, gradNorm)) {
      clipped = true;
      clipNormEvents++;
    }
    const clippedValues = o.clipValue !== undefined ? clipByValue(params, o.clipValue) : 0;
    if (clippedValues > 0) {
      clipped = true;
      clipValueEvents++;
    }
    if (clipped) clipEvents++;
    info.step = step;
    info.epoch = epoch;
    info.loss = loss;
    info.gradNorm = gradNorm;
    info.clipped = clipped;
    info.clippedValues = clippedValues;
    if (o.afterBackward?.(info) === false) {
      reason = 'stopped';
      step++;
      break;
    }
    if (o.targetLoss !== undefined && loss < o.targetLoss) {
      reason = 'target_loss';
      break;
    }
    if (o.gradTol !== undefined && gradNorm < o.gradTol) {
      reason = 'grad_tol';
      break;
    }
    o.optimizer.step(typeof o.lr === 'number' ? o.lr : o.lr(step));
    if (o.afterUpdate?.(info) === false) {
      reason = 'stopped';
      step++;
      break;
    }
  }
  if (reason === 'max_steps' || reason === 'stopped') {
    // a blow-up can also surface in the weights after the last update
    const f = findNonFinite(net, lastLoss, B, step);
    if (f && f.quantity === 'weight') {
      nonFinite = f;
      reason = 'non_finite';
    }
  }
  return { steps: step, stopReason: reason, lastLoss, lastGradNorm, clipEvents, clipNormEvents, clipValueEvents, nonFinite };
}
