/**
 * Optimisers. Each applies one update to every parameter from its gradient
 * and records ‖Δθ‖² per parameter (for the update-to-weight ratio), with no
 * allocation after the first step. L2 follows Nielsen: w ← (1 − ηλ/n)·w − η∇
 * (weights only, n = training-set size); AdamW decays decoupled (w ← w − ηλw).
 * A max-norm constraint (Srivastava et al. 2014) rescales, after each update,
 * every unit's incoming weight row to norm ≤ c. Learning-rate schedules
 * (constant, step decay, cosine annealing, each after a linear warm-up) give
 * the rate of every step.
 */
import { alloc, type Buf } from '../tensor/dtype.js';
import type { FusedOps } from '../tensor/wasm/fused.js';
import type { Param } from './layer.js';
import { referenceUpdate, UPDATES, type UpdateFn, type UpdateHyper } from './optim-updates.js';
import { ParamBlock } from './param-block.js';

/** Names accepted by configs and the CLI. */
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'rmsprop' | 'adam' | 'adamw';

/** Every optimiser name. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw'];

/** Hyper-parameters shared by the optimisers (unused ones are ignored). */
export interface OptimizerOptions {
  readonly name: OptimizerName;
  /** Momentum μ for momentum/nesterov (default 0.9), ρ for rmsprop (default 0.9). */
  readonly momentum?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** L2 strength λ (Nielsen's form: decay factor 1 − ηλ/n). */
  readonly l2?: number;
  /** L1 strength λ₁: w ← w − (ηλ₁/n)·sign(w). */
  readonly l1?: number;
  /** Training-set size n used by the L2/L1 terms. */
  readonly n?: number;
  /** AdamW's decoupled weight decay (w ← w − ηλw). */
  readonly weightDecay?: number;
  /** Max-norm constraint c: after each update every weight row (a unit's incoming weights) is rescaled to ‖w‖ ≤ c. */
  readonly maxNorm?: number;
}

/** True for a parameter the max-norm constraint applies to: a decayed weight matrix (rows = units). */
function isWeightMatrix(p: Param): boolean {
  return p.decay && p.shape.length === 2;
}

/**
 * Rescales every row of every weight matrix in `params` whose L2 norm exceeds
 * `c` to norm exactly c (w ← c·w/‖w‖); returns how many rows it rescaled.
 */
export function applyMaxNorm(params: readonly Param[], c: number): number {
  if (!(c > 0)) throw new RangeError(`applyMaxNorm: 'c' must be > 0; got ${c}`);
  let count = 0;
  for (const p of params) {
    if (!isWeightMatrix(p)) continue;
    const [R, C] = p.shape;
    const w = p.value;
    for (let r = 0; r < R; r++) {
      let s = 0;
      for (let k = 0; k < C; k++) s += w[r * C + k] * w[r * C + k];
      const n = Math.sqrt(s);
      if (n > c) {
        const f = c / n;
        for (let k = 0; k < C; k++) w[r * C + k] *= f;
        count++;
      }
    }
  }
  return count;
}

/**
 * One optimiser instance bound to a parameter list. It picks its update loop
 * once (optim-updates.ts) and runs it over each parameter: on a network's
 * parameter block its state lives in blocks of the same layout, and SGD and
 * momentum on float32 run the fused wasm kernels in the network's memory.
 */
export class Optimizer {
  private readonly state1: Buf[];
  private readonly state2: Buf[];
  private t = 0;
  /** ‖Δθ‖² of each parameter in the last step, same order as the parameter list. */
  readonly lastUpdateSq: Float64Array;
  /** Weights before the last update, for the max-norm constraint's ‖Δθ‖² (empty when it is off). */
  private readonly before: Buf[];
  /** Rows the max-norm constraint rescaled in the last step. */
  lastMaxNormRows = 0;
  /** Rows the max-norm constraint rescaled over all steps. */
  maxNormRows = 0;
  /** The update loop, chosen once from the name (the reference when L1 is on). */
  private readonly update: UpdateFn;
  /** The fused SGD or momentum kernel over float32 parameters, when the parameters' kernels have it. */
  private readonly fused: FusedOps | null;
  private readonly h: UpdateHyper = { lr: 0, dec: 1, l1: 0, wd: 0, mu: 0.9, b1: 0.9, b2: 0.999, eps: 1e-8, c1: 1, c2: 1 };

  /** Creates optimiser state for `params` (in blocks of the parameters' layout when they form a network's block). */
  constructor(readonly params: readonly Param[], readonly opts: OptimizerOptions) {
    if (!OPTIMIZER_NAMES.includes(opts.name)) throw new RangeError(`optimizer: 'name' must be one of ${OPTIMIZER_NAMES.join(', ')}; got '${String(opts.name)}'`);
    const needs1 = opts.name !== 'sgd';
    const needs2 = opts.name === 'adam' || opts.name === 'adamw';
    const block = ParamBlock.of(params);
    const state = (needed: boolean): Buf[] => {
      if (!needed) return params.map((p) => p.value.subarray(0, 0));
      if (block === null) return params.map((p) => alloc(p.value instanceof Float64Array ? 'float64' : 'float32', p.value.length));
      const all = block.like();
      return params.map((_, i) => all.subarray(block.offsets[i], block.offsets[i + 1]));
    };
    this.state1 = state(needs1);
    this.state2 = state(needs2);
    this.lastUpdateSq = new Float64Array(params.length);
    if (opts.maxNorm !== undefined && !(opts.maxNorm > 0)) throw new RangeError(`optimizer: 'maxNorm' must be > 0; got ${opts.maxNorm}`);
    this.before = params.map((p) => (opts.maxNorm !== undefined && isWeightMatrix(p) ? alloc(p.value instanceof Float64Array ? 'float64' : 'float32', p.value.length) : p.value.subarray(0, 0)));
    const l1 = (opts.l1 ?? 0) !== 0;
    this.update = l1 ? referenceUpdate(opts.name) : UPDATES[opts.name];
    const f = block?.kernels.fused;
    this.fused = !l1 && f !== undefined && block?.values instanceof Float32Array && (opts.name === 'sgd' || opts.name === 'momentum') ? f : null;
  }

  /** Number of steps taken. */
  get steps(): number {
    return this.t;
  }

  /** Applies one update with learning rate `lr`. */
  step(lr: number): void {
    this.t++;
    const o = this.opts;
    const n = o.n ?? 1;
    const decay = 1 - (lr * (o.l2 ?? 0)) / n;
    const l1 = (lr * (o.l1 ?? 0)) / n;
    const h = this.h;
    h.lr = lr;
    h.mu = o.momentum ?? 0.9;
    h.b1 = o.beta1 ?? 0.9;
    h.b2 = o.beta2 ?? 0.999;
    h.eps = o.eps ?? 1e-8;
    h.c1 = 1 - Math.pow(h.b1, this.t);
    h.c2 = 1 - Math.pow(h.b2, this.t);
    const wd = o.weightDecay ?? 0;
    const fused = this.fused;
    const sgd = o.name === 'sgd';
    for (let pi = 0; pi < this.params.length; pi++) {
      const p = this.params[pi];
      h.dec = p.decay ? decay : 1;
      h.l1 = p.decay ? l1 : 0;
      h.wd = p.decay ? wd : 0;
      const before = this.before[pi];
      if (before.length > 0) before.set(p.value);
      const m = this.state1[pi];
      this.lastUpdateSq[pi] =
        fused === null ? this.update(p.value, p.grad, m, this.state2[pi], h) : sgd ? fused.sgdStep(p.value, p.grad, lr, h.dec) : fused.momentumStep(p.value, p.grad, m, lr, h.mu, h.dec);
    }
    if (o.maxNorm !== undefined) {
      this.lastMaxNormRows = applyMaxNorm(this.params, o.maxNorm);
      this.maxNormRows += this.lastMaxNormRows;
      for (let pi = 0; pi < this.params.length; pi++) {
        const before = this.before[pi];
        if (before.length === 0) continue;
        const w = this.params[pi].value;
        let sq = 0;
        for (let i = 0; i < w.length; i++) sq += (w[i] - before[i]) ** 2;
        this.lastUpdateSq[pi] = sq;
      }
    }
  }
}

/** A learning-rate schedule: constant, step decay, or cosine annealing, each after `warmup` linear steps. */
export type LrSchedule =
  | { readonly kind: 'constant'; readonly warmup: number }
  | { readonly kind: 'step'; readonly every: number; readonly factor: number; readonly warmup: number }
  | { readonly kind: 'cosine'; readonly minLr: number; readonly warmup: number };

/**
 * The learning rate of step `step` (0-based) of a run of `total` steps: during
 * the first `warmup` steps it rises linearly, lr·(step + 1)/warmup; then with
 * t = step − warmup and T = total − warmup: constant lr; step decay
 * lr·factor^⌊t/every⌋; cosine (Loshchilov & Hutter 2017, without restarts)
 * minLr + (lr − minLr)(1 + cos(π·min(t, T)/T))/2.
 */
export function scheduledLr(lr: number, s: LrSchedule, step: number, total: number): number {
  if (step < s.warmup) return (lr * (step + 1)) / s.warmup;
  const t = step - s.warmup;
  switch (s.kind) {
    case 'constant':
      return lr;
    case 'step':
      return lr * Math.pow(s.factor, Math.floor(t / s.every));
    case 'cosine': {
      const T = Math.max(1, total - s.warmup);
      return s.minLr + ((lr - s.minLr) * (1 + Math.cos((Math.PI * Math.min(t, T)) / T))) / 2;
    }
  }
}
