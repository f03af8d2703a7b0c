/**
 * The Gaussian moments of an activation that mean-field theory is made of,
 * for pre-activations u ~ N(0, q) and pairs (u1, u2) with variances q11, q22
 * and covariance q12:
 *
 *   E[f(u)²], E[f′(u)²], E[f(u)], E[f(u1)f(u2)], E[f′(u1)f′(u2)].
 *
 * The piecewise-linear entries f(x) = x (x > 0), k·x (x ≤ 0) — linear, relu,
 * leaky_relu, prelu, rrelu — use closed forms: with f = (1 − k)·relu + k·id
 * and the arc-cosine kernel of degree 1 and 0 (Cho & Saul 2009),
 *   E[relu(u1)relu(u2)] = √(q11 q22)/(2π)·(sin θ + (π − θ) cos θ),
 *   P(u1 > 0, u2 > 0) = (π − θ)/(2π),  cos θ = ρ = q12/√(q11 q22),
 * so E[f′²] = (1 + k²)/2 exactly (ReLU: χ₁ = σ_w²/2). Every other entry is
 * integrated numerically (gaussian.ts), split at its kinks.
 */
import type { TheoryAct } from './acts.js';
import { integrandOf } from './acts.js';
import { gaussMean, gaussMean2, methodOf } from './gaussian.js';

/** θ = arccos ρ, clamped to [0, π]. */
function angle(rho: number): number {
  return Math.acos(Math.max(-1, Math.min(1, rho)));
}

function corr(q11: number, q22: number, q12: number): number {
  const s = Math.sqrt(q11 * q22);
  return s === 0 ? 0 : q12 / s;
}

/** E[f(u)], u ~ N(0, q). */
export function meanOf(act: TheoryAct, q: number): number {
  const k = act.negSlope;
  // E[relu(u)] = √q/√(2π); E[u] = 0
  if (k !== null) return ((1 - k) * Math.sqrt(q)) / Math.sqrt(2 * Math.PI);
  return gaussMean(integrandOf(act, act.f), 0, Math.sqrt(q));
}

/** E[f(u)²], u ~ N(0, q). */
export function secondMoment(act: TheoryAct, q: number): number {
  const k = act.negSlope;
  if (k !== null) return (q * (1 + k * k)) / 2;
  return gaussMean(integrandOf(act, (x) => act.f(x) ** 2), 0, Math.sqrt(q));
}

/** E[f′(u)²], u ~ N(0, q). */
export function derivativeMoment(act: TheoryAct, q: number): number {
  const k = act.negSlope;
  if (k !== null) return (1 + k * k) / 2;
  return gaussMean(integrandOf(act, (x) => act.df(x) ** 2), 0, Math.sqrt(q));
}

/** E[f(u1)f(u2)] for the centred pair with variances q11, q22 and covariance q12. */
export function crossMoment(act: TheoryAct, q11: number, q22: number, q12: number): number {
  const k = act.negSlope;
  if (k !== null) {
    const th = angle(corr(q11, q22, q12));
    const relu2 = (Math.sqrt(q11 * q22) / (2 * Math.PI)) * (Math.sin(th) + (Math.PI - th) * Math.cos(th));
    // E[relu(u1)·u2] = q12/2, E[u1 u2] = q12
    return (1 - k) ** 2 * relu2 + k * q12;
  }
  const it = integrandOf(act, act.f);
  return gaussMean2(it, it, q11, q22, q12);
}

/** E[f′(u1)f′(u2)] for the centred pair with variances q11, q22 and covariance q12. */
export function derivativeCross(act: TheoryAct, q11: number, q22: number, q12: number): number {
  const k = act.negSlope;
  if (k !== null) {
    const th = angle(corr(q11, q22, q12));
    // P(u1 > 0, u2 > 0) = (π − θ)/(2π), P(u > 0) = 1/2
    return (1 - k) ** 2 * ((Math.PI - th) / (2 * Math.PI)) + k;
  }
  const it = integrandOf(act, act.df);
  return gaussMean2(it, it, q11, q22, q12);
}

/** How the one-dimensional moments at variance q are computed, in words. */
export function momentMethod(act: TheoryAct, q: number): string {
  if (act.negSlope !== null) return 'closed form (piecewise linear: arc-cosine kernels)';
  return methodOf(integrandOf(act, act.f), Math.sqrt(q));
}
