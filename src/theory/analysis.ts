/**
 * Everything `gradscope theory` reports about one (activation, σ_w², σ_b²)
 * point — q*, c*, χ₁, χ_c, the depth scales, the phase — and the critical
 * σ_w² for a bias variance: the σ_w² where χ₁ = 1 at the fixed point the
 * length map reaches from q⁰ (null when there is none).
 */
import { ValueError } from '../errors.js';
import type { TheoryAct } from './acts.js';
import { chiAt, chiCAt, correlationFixedPoint, depthScale, lengthFixedPoint, phaseOf, Q_INFINITE, type Phase, type Variances } from './meanfield.js';
import { derivativeMoment, momentMethod } from './moments.js';

/** The mean-field quantities of one point (the JSON of `gradscope theory`, plus how it was computed). */
export interface TheoryPoint {
  readonly act: string;
  readonly params: Readonly<Record<string, number>>;
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  /** The input variance the length map starts from. */
  readonly q0: number;
  readonly qStar: number;
  readonly cStar: number;
  readonly chi1: number;
  readonly chiC: number;
  /** −1/ln χ₁ (Infinity at χ₁ = 1, negative when gradients grow). */
  readonly gradDepthScale: number;
  /** −1/ln χ_c (Infinity at χ_c = 1). */
  readonly corrDepthScale: number;
  readonly phase: Phase;
  readonly criticalSigmaW2: number | null;
  /** How the integrals at q* were computed. */
  readonly method: string;
}

/** Throws a RangeError naming `what` unless v is finite and above `min` (or at it, when `orEqual`). */
export function checkVariance(what: string, v: number, orEqual: boolean): void {
  if (!Number.isFinite(v) || (orEqual ? v < 0 : v <= 0)) throw new ValueError(v, `theory: ${what} must be a finite number ${orEqual ? '≥' : '>'} 0; got ${v}`, true);
}

function label(act: TheoryAct): string {
  const ps = Object.entries(act.params).map(([k, v]) => `${k}=${v}`);
  return ps.length ? `${act.name} (${ps.join(', ')})` : act.name;
}

/** The mean-field quantities at (σ_w², σ_b²) from input variance q0; throws a RangeError when the length map has no fixed point. */
export function analyse(act: TheoryAct, v: Variances, q0 = 1): TheoryPoint {
  checkVariance('σ_w²', v.sigmaW2, false);
  checkVariance('σ_b²', v.sigmaB2, true);
  checkVariance('q⁰', q0, false);
  const fp = lengthFixedPoint(act, v, q0);
  if (fp.kind === 'diverges') {
    throw new ValueError(
      v.sigmaW2,
      `theory: ${label(act)} with σ_w² = ${v.sigmaW2}, σ_b² = ${v.sigmaB2} has no fixed point q* below ${Q_INFINITE}: from q⁰ = ${q0} the length map σ_w²·E[φ(u)²] + σ_b² stays above q up to there, so the variance either grows without bound or settles beyond anything a network can hold, and q*, c*, χ₁ at q* and the depth scales are not computed; lower σ_w² (or σ_b²)`,
      true,
    );
  }
  const chi1 = chiAt(act, v, fp.q);
  const cStar = correlationFixedPoint(act, v, fp.q, chi1);
  const chiC = chiCAt(act, v, fp.q, cStar);
  return {
    act: act.name,
    params: act.params,
    sigmaW2: v.sigmaW2,
    sigmaB2: v.sigmaB2,
    q0,
    qStar: fp.q,
    cStar,
    chi1,
    chiC,
    gradDepthScale: depthScale(chi1),
    corrDepthScale: depthScale(chiC),
    phase: phaseOf(chi1),
    criticalSigmaW2: criticalSigmaW2(act, v.sigmaB2, q0),
    method: momentMethod(act, fp.q),
  };
}

/** χ₁ at the fixed point reached from q0 for σ_w², or null when the variance grows without bound. */
function chi1Along(act: TheoryAct, sigmaW2: number, sigmaB2: number, q0: number): number | null {
  const v = { sigmaW2, sigmaB2 };
  const fp = lengthFixedPoint(act, v, q0);
  return fp.kind === 'diverges' ? null : chiAt(act, v, fp.q);
}

/**
 * The σ_w² at which χ₁ = 1 at the fixed point reached from q0, for bias
 * variance σ_b²; null when there is none (χ₁ stays below 1 until the variance
 * starts to grow without bound, as for the ReLU family with σ_b² > 0).
 *
 * Closed form for the piecewise-linear entries: χ₁ = σ_w²(1 + k²)/2 does not
 * depend on q, and a fixed point with χ₁ = 1 exists only for σ_b² = 0
 * (σ_w² = 2/(1 + k²); with σ_b² > 0 the variance grows by σ_b² each layer).
 * With σ_b = 0 and φ(0) = 0, where the length map leads to q* = 0 below it,
 * the critical point is σ_w² = 1/φ′(0)² (tanh: 1), where q* = 0 loses its
 * stability. Otherwise σ_w² is scanned by factors of 1.25 from 0.01 to 10⁵ for a sign
 * change of χ₁ − 1, refined by bisection and accepted only where
 * |χ₁ − 1| < 1e-9 (a jump from one branch of fixed points to another is not
 * a root); where the scan runs into growth without bound with χ₁ < 1, the
 * border of growth is located by bisection and accepted if χ₁ = 1 there.
 */
export function criticalSigmaW2(act: TheoryAct, sigmaB2: number, q0 = 1): number | null {
  checkVariance('σ_b²', sigmaB2, true);
  if (act.negSlope !== null) return sigmaB2 === 0 ? 1 / derivativeMoment(act, 1) : null;
  if (sigmaB2 === 0 && act.f(0) === 0) {
    // with σ_b = 0 and φ(0) = 0, q* = 0 is a fixed point with χ₁ = σ_w²·φ′(0)², and it loses its
    // stability exactly where that reaches 1: the critical point, if q* = 0 is where q⁰ leads
    const d0 = derivativeMoment(act, 0);
    if (d0 > 0 && lengthFixedPoint(act, { sigmaW2: (1 - 1e-6) / d0, sigmaB2 }, q0).kind === 'zero') return 1 / d0;
  }
  const F = (s: number): number | null => {
    const c = chi1Along(act, s, sigmaB2, q0);
    return c === null ? null : c - 1;
  };
  let sPrev = 0.01;
  let fPrev = F(sPrev);
  if (fPrev === null) return null;
  if (fPrev >= 0) return null; // already chaotic at the smallest gain: no ordered side to cross from
  for (let s = sPrev * 1.25; s <= 1e5; s *= 1.25) {
    const f = F(s);
    if (f === null) {
      // the border of unbounded growth between sPrev (finite) and s
      let lo = sPrev, hi = s;
      for (let i = 0; i < 60 && hi - lo > 1e-15 * hi; i++) {
        const mid = 0.5 * (lo + hi);
        if (F(mid) === null) hi = mid;
        else lo = mid;
      }
      const fb = F(lo);
      return fb !== null && Math.abs(fb) < 1e-9 ? lo : null;
    }
    if (f >= 0) {
      // the smallest σ_w² with χ₁ ≥ 1, by bisection on the sign: where χ₁ − 1 is flat to
      // rounding on one side (tanh with σ_b = 0 just above σ_w² = 1, where q* ≈ 0),
      // interpolation would stop anywhere in the flat part
      let lo = sPrev, hi = s;
      for (let i = 0; i < 60 && hi - lo > 1e-15 * hi; i++) {
        const mid = 0.5 * (lo + hi);
        const fm = F(mid);
        if (fm !== null && fm < 0) lo = mid;
        else hi = mid;
      }
      const fr = F(hi);
      if (fr !== null && Math.abs(fr) < 1e-9) return hi;
    }
    sPrev = s;
    fPrev = f;
    if (f >= 0) return null;
  }
  return null;
}
