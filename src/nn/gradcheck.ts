/**
 * Gradient checking: backpropagation against central finite differences,
 * (C(θ + h) − C(θ − h)) / 2h, parameter by parameter, in the network's dtype
 * (use float64). Reports the maximum relative error per parameter tensor.
 */
import { Rng } from '../tensor/rng.js';
import type { Buf } from '../tensor/dtype.js';
import type { LossDef } from './losses.js';
import type { Network } from './network.js';

/** The check of one parameter tensor. */
export interface GradCheckEntry {
  /** Layer index in `net.layers` (0-based) and its type. */
  readonly layerIndex: number;
  readonly layerType: string;
  readonly param: string;
  /** How many components were checked (all, or a seeded sample of large tensors). */
  readonly checked: number;
  /** max |analytic − numeric| / max(|analytic| + |numeric|, floor · max|analytic|). */
  readonly maxRelError: number;
  readonly maxAbsError: number;
}

/** Options of `gradCheck`. */
export interface GradCheckOptions {
  /** Finite-difference step (default 1e-5 scaled by max(1, |θ|)). */
  readonly h?: number;
  /** Check at most this many components per tensor (seeded sample; default 200). */
  readonly maxPerTensor?: number;
  /**
   * Denominator floor for relative errors, as a fraction of the tensor's largest
   * |gradient| (default 1e-4): components 10⁴ times smaller than the tensor's
   * scale are judged against that scale, where rounding (≈ ε·C/h) dominates.
   */
  readonly floor?: number;
  readonly seed?: number;
  /**
   * Check the training-mode computation (default false: evaluation mode).
   * Only for networks whose training mode is deterministic (no dropout, no
   * rrelu): batch normalisation then uses batch statistics.
   */
  readonly training?: boolean;
  /** Evaluation mode, but normalisation layers use batch statistics (as a probe does). */
  readonly batchStats?: boolean;
}

/** Compares backprop gradients of `loss` on batch (x, y) with central differences. */
export function gradCheck(net: Network, x: Buf, y: Buf, B: number, loss: LossDef, o: GradCheckOptions = {}): GradCheckEntry[] {
  const h0 = o.h ?? 1e-5;
  const floorFrac = o.floor ?? 1e-4;
  const maxPer = o.maxPerTensor ?? 200;
  const sampler = new Rng(o.seed ?? 1);
  const ctx = { training: o.training ?? false, rng: new Rng(0), batchStats: o.batchStats ?? false };
  net.zeroGrad();
  net.lossAndBackward(x, y, B, loss, ctx);
  const out: GradCheckEntry[] = [];
  net.layers.forEach((layer, li) => {
    for (const p of layer.params()) {
      const analytic = Float64Array.from(p.grad);
      const n = p.value.length;
      let idx: number[] = Array.from({ length: n }, (_, i) => i);
      if (n > maxPer) {
        sampler.shuffle(idx);
        idx = idx.slice(0, maxPer);
      }
      let scale = 0;
      for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(analytic[i]));
      const floor = Math.max(1e-12, floorFrac * scale);
      let maxRel = 0;
      let maxAbs = 0;
      for (const i of idx) {
        const old = p.value[i];
        const h = h0 * Math.max(1, Math.abs(old));
        p.value[i] = old + h;
        const hp = p.value[i] - old; // the step actually representable
        const cp = net.loss(x, y, B, loss, ctx);
        p.value[i] = old - h;
        const hm = old - p.value[i];
        const cm = net.loss(x, y, B, loss, ctx);
        p.value[i] = old;
        const numeric = (cp - cm) / (hp + hm);
        const abs = Math.abs(analytic[i] - numeric);
        const rel = abs / Math.max(Math.abs(analytic[i]) + Math.abs(numeric), floor);
        if (rel > maxRel) maxRel = rel;
        if (abs > maxAbs) maxAbs = abs;
      }
      out.push({ layerIndex: li, layerType: layer.type, param: p.name, checked: idx.length, maxRelError: maxRel, maxAbsError: maxAbs });
    }
  });
  net.zeroGrad();
  net.lossAndBackward(x, y, B, loss, ctx);
  return out;
}
