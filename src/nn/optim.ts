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
import type { Param } from './layer.js';

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

/** One optimiser instance bound to a parameter list. */
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

  /** Creates optimiser state for `params`. */
  constructor(readonly params: readonly Param[], readonly opts: OptimizerOptions) {
    const needs1 = opts.name !== 'sgd';
    const needs2 = opts.name === 'adam' || opts.name === 'adamw';
    this.state1 = params.map((p) => (needs1 ? alloc(p.value instanceof Float64Array ? 'float64' : 'float32', p.value.length) : p.value.subarray(0, 0)));
    this.state2 = params.map((p) => (needs2 ? alloc(p.value instanceof Float64Array ? 'float64' : 'float32', p.value.length) : p.value.subarray(0, 0)));
    this.lastUpdateSq = new Float64Array(params.length);
    if (opts.maxNorm !== undefined && !(opts.maxNorm > 0)) throw new RangeError(`optimizer: 'maxNorm' must be > 0; got ${opts.maxNorm}`);
    this.before = params.map((p) => (opts.maxNorm !== undefined && isWeightMatrix(p) ? alloc(p.value instanceof Float64Array ? 'float64' : 'float32', p.value.length) : p.value.subarray(0, 0)));
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
    const mu = o.momentum ?? 0.9;
    const b1 = o.beta1 ?? 0.9;
    const b2 = o.beta2 ?? 0.999;
    const eps = o.eps ?? (o.name === 'rmsprop' ? 1e-8 : 1e-8);
    const c1 = 1 - Math.pow(b1, this.t);
    const c2 = 1 - Math.pow(b2, this.t);
    const wd = o.weightDecay ?? 0;
    for (let pi = 0; pi < this.params.length; pi++) {
      const p = this.params[pi];
      const w = p.value;
      const g = p.grad;
      const m = this.state1[pi];
      const v = this.state2[pi];
      const dec = p.decay ? decay : 1;
      const l1p = p.decay ? l1 : 0;
      const wdp = p.decay ? wd : 0;
      const before = this.before[pi];
      if (before.length > 0) before.set(w);
      let sq = 0;
      for (let i = 0; i < w.length; i++) {
        const old = w[i];
        let nw: number;
        switch (o.name) {
          case 'sgd':
            nw = dec * old - lr * g[i];
            break;
          case 'momentum':
            // v ← μv − η∇ ; w ← decay·w + v
            m[i] = mu * m[i] - lr * g[i];
            nw = dec * old + m[i];
            break;
          case 'nesterov':
            // Sutskever et al. 2013 in the PyTorch form: v ← μv + ∇ ; w ← w − η(∇ + μv)
            m[i] = mu * m[i] + g[i];
            nw = dec * old - lr * (g[i] + mu * m[i]);
            break;
          case 'rmsprop':
            // Hinton's RMSprop: s ← ρs + (1 − ρ)∇² ; w ← w − η∇/(√s + ε)
            m[i] = mu * m[i] + (1 - mu) * g[i] * g[i];
            nw = dec * old - (lr * g[i]) / (Math.sqrt(m[i]) + eps);
            break;
          case 'adam':
          case 'adamw': {
            // Kingma & Ba 2015 with bias correction; AdamW (Loshchilov & Hutter 2019) decays decoupled
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            const mh = m[i] / c1;
            const vh = v[i] / c2;
            nw = (o.name === 'adamw' ? old - lr * wdp * old : dec * old) - (lr * mh) / (Math.sqrt(vh) + eps);
            break;
          }
        }
        if (l1p !== 0) nw -= l1p * Math.sign(old);
        w[i] = nw;
        const dlt = nw - old;
        sq += dlt * dlt;
      }
      this.lastUpdateSq[pi] = sq;
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
