/**
 * Optimisers. Each applies one update to every parameter from its gradient
 * and records ‖Δθ‖² per parameter (for the update-to-weight ratio), with no
 * allocation after the first step. L2 follows Nielsen: w ← (1 − ηλ/n)·w − η∇
 * (weights only, n = training-set size); AdamW decays decoupled (w ← w − ηλw).
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
}

/** One optimiser instance bound to a parameter list. */
export class Optimizer {
  private readonly state1: Buf[];
  private readonly state2: Buf[];
  private t = 0;
  /** ‖Δθ‖² of each parameter in the last step, same order as the parameter list. */
  readonly lastUpdateSq: Float64Array;

  /** Creates optimiser state for `params`. */
  constructor(readonly params: readonly Param[], readonly opts: OptimizerOptions) {
    const needs1 = opts.name !== 'sgd';
    const needs2 = opts.name === 'adam' || opts.name === 'adamw';
    this.state1 = params.map((p) => (needs1 ? alloc(p.value instanceof Float64Array ? 'float64' : 'float32', p.value.length) : p.value.subarray(0, 0)));
    this.state2 = params.map((p) => (needs2 ? alloc(p.value instanceof Float64Array ? 'float64' : 'float32', p.value.length) : p.value.subarray(0, 0)));
    this.lastUpdateSq = new Float64Array(params.length);
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
  }
}
