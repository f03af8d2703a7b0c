/**
 * Signal propagation through a wide random network (Poole et al. 2016;
 * Schoenholz et al. 2017): weights W ~ N(0, σ_w²/n_in), biases N(0, σ_b²),
 * activation φ, Dz the standard normal measure.
 *
 *   length map       q^l = σ_w² ∫Dz φ(√q^{l−1} z)² + σ_b²,  fixed point q*
 *   gradient factor  χ₁ = σ_w² ∫Dz φ′(√q* z)²  (E‖δ^l‖² = χ₁·E‖δ^{l+1}‖²)
 *   correlation map  c^l = (σ_w² ∫Dz₁Dz₂ φ(u₁)φ(u₂) + σ_b²)/q*,
 *                    u₁ = √q* z₁, u₂ = √q*(c z₁ + √(1 − c²) z₂); fixed point c*
 *   its slope at c*  χ_c = σ_w² ∫Dz₁Dz₂ φ′(u₁)φ′(u₂)  (= χ₁ when c* = 1)
 *   depth scales     ξ_∇ = −1/ln χ₁,  ξ_c = −1/ln χ_c
 *
 * q* is the fixed point the length map reaches from the input's variance q⁰
 * (1 by default): for bounded φ the map is bounded and q* always exists; for
 * φ that grows linearly (the ReLU family) the variance may die out (q* = 0)
 * or grow without bound (q* = ∞, no fixed point).
 */
import type { TheoryAct } from './acts.js';
import { crossMoment, derivativeCross, derivativeMoment, secondMoment } from './moments.js';
import { brent } from './roots.js';

/** |χ₁ − 1| at or below this is the critical phase (the gradient changes by less than e^{±1/2} over 1000 layers). */
export const CRITICAL_TOLERANCE = 1e-3;

/** χ within this of 1 is 1 to the integrals' accuracy (their relative error is below 1e-13). */
export const CHI_ROUNDING = 1e-12;

/** Variances above this count as unbounded growth: no fixed point. */
/** The variance past which the length map is no longer followed (a fixed point beyond it, if any, means nothing for a network). */
export const Q_INFINITE = 1e60;

/** Weight and bias variances of a layer: W ~ N(0, σ_w²/n_in), b ~ N(0, σ_b²). */
export interface Variances {
  readonly sigmaW2: number;
  readonly sigmaB2: number;
}

/** The length map q ↦ σ_w²·E[φ(√q z)²] + σ_b². */
export function lengthMap(act: TheoryAct, v: Variances, q: number): number {
  return v.sigmaW2 * secondMoment(act, q) + v.sigmaB2;
}

/** χ at variance q: σ_w²·E[φ′(√q z)²], the mean squared gradient factor of one layer. */
export function chiAt(act: TheoryAct, v: Variances, q: number): number {
  return v.sigmaW2 * derivativeMoment(act, q);
}

/** Where the length map settles from q⁰: a finite fixed point, 0 (the signal dies out) or ∞ (it grows without bound). */
export interface LengthFixedPoint {
  /** q*, 0 or Infinity. */
  readonly q: number;
  readonly kind: 'finite' | 'zero' | 'diverges';
}

/**
 * The fixed point of the length map reached from q0 (assuming, as for every
 * catalogue activation, that the map is increasing in q): the nearest root of
 * h(q) = map(q) − q below q0 when h(q0) < 0, above it when h(q0) > 0, found by
 * stepping by factors of 4 until h changes sign and then Brent's method.
 */
export function lengthFixedPoint(act: TheoryAct, v: Variances, q0 = 1): LengthFixedPoint {
  const h = (q: number): number => lengthMap(act, v, q) - q;
  const h0 = h(q0);
  if (Math.abs(h0) <= 1e-14 * q0) return { q: q0, kind: 'finite' };
  let prev = q0, hp = h0;
  for (;;) {
    const next = h0 < 0 ? prev / 4 : prev * 4;
    if (next < 1e-280) return { q: 0, kind: 'zero' };
    if (next > Q_INFINITE) return { q: Infinity, kind: 'diverges' };
    const hn = h(next);
    if (hn === 0) return { q: next, kind: 'finite' };
    if (hn > 0 !== hp > 0) {
      const q = brent(h, Math.min(prev, next), Math.max(prev, next), 1e-15 * Math.min(prev, next));
      return { q, kind: 'finite' };
    }
    prev = next;
    hp = hn;
  }
}

/** The correlation map at variance q (both inputs at q): c ↦ (σ_w²·E[φ(u₁)φ(u₂)] + σ_b²)/q. */
export function correlationMap(act: TheoryAct, v: Variances, q: number, c: number): number {
  return (v.sigmaW2 * crossMoment(act, q, q, q * c) + v.sigmaB2) / q;
}

/**
 * The stable fixed point c* of the correlation map at q = q* > 0. c = 1 is
 * always fixed, with slope χ₁ there; when χ₁ ≤ 1 it is the stable one.
 * Otherwise the map (convex and increasing on [0, 1]: its Hermite expansion
 * has non-negative coefficients) crosses the diagonal exactly once more in
 * [0, 1), at c* — found by stepping c = 1 − 2⁻ᵏ up to the sign change, then Brent.
 */
export function correlationFixedPoint(act: TheoryAct, v: Variances, qStar: number, chi1: number): number {
  if (!(qStar > 0) || chi1 <= 1 + CHI_ROUNDING) return 1;
  const h = (c: number): number => correlationMap(act, v, qStar, c) - c;
  const h0 = h(0);
  if (h0 <= 0) return 0;
  let lo = 0, hlo = h0;
  for (let k = 1; k <= 52; k++) {
    const c = 1 - 2 ** -k;
    const hc = h(c);
    if (hc <= 0) return brent(h, lo, c, 1e-15, hlo, hc);
    lo = c;
    hlo = hc;
  }
  return 1;
}

/** σ_w²·E[φ′(u₁)φ′(u₂)] at (q, c): the slope of the correlation map, χ_c at the fixed point. */
export function chiCAt(act: TheoryAct, v: Variances, q: number, c: number): number {
  return c >= 1 ? chiAt(act, v, q) : v.sigmaW2 * derivativeCross(act, q, q, q * c);
}

/** The phase of a point from χ₁. */
export type Phase = 'ordered' | 'chaotic' | 'critical';

/** Ordered (χ₁ < 1: gradients vanish, inputs converge), chaotic (χ₁ > 1) or critical (|χ₁ − 1| ≤ CRITICAL_TOLERANCE). */
export function phaseOf(chi1: number): Phase {
  return Math.abs(chi1 - 1) <= CRITICAL_TOLERANCE ? 'critical' : chi1 < 1 ? 'ordered' : 'chaotic';
}

/** −1/ln χ: the depth over which a factor χ per layer changes a quantity by e (Infinity at χ = 1 to within CHI_ROUNDING; negative for growth). */
export function depthScale(chi: number): number {
  const l = Math.log(chi);
  return Math.abs(l) <= CHI_ROUNDING ? Infinity : -1 / l;
}

/**
 * The correlation map at variance q as a function of c, for many pairs at
 * once: the exact map at the n Chebyshev points cos(kπ/(n − 1)) of [−1, 1],
 * interpolated barycentrically. For smooth φ the map is analytic in c and
 * the interpolant converges geometrically (13 points: 1e-7 for tanh); for the
 * ReLU family the arc-cosine kernel has a square-root singularity at c = ±1
 * and it converges algebraically (13 points: 6e-5) — theory.test.ts.
 */
export function correlationCurve(act: TheoryAct, v: Variances, q: number, n = 13): (c: number) => number {
  const xs = Array.from({ length: n }, (_, k) => Math.cos((k * Math.PI) / (n - 1)));
  const ys = xs.map((c) => correlationMap(act, v, q, c));
  const w = xs.map((_, k) => (k % 2 === 0 ? 1 : -1) * (k === 0 || k === n - 1 ? 0.5 : 1));
  return (c: number): number => {
    let num = 0, den = 0;
    for (let k = 0; k < n; k++) {
      const d = c - xs[k];
      if (d === 0) return ys[k];
      const t = w[k] / d;
      num += t * ys[k];
      den += t;
    }
    return num / den;
  };
}
