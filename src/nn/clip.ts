/**
 * Gradient clipping. By global norm (Pascanu, Mikolov, Bengio 2013): if
 * ‖g‖ ≥ c then g ← c·g/‖g‖ over all parameters together. By value: each
 * component clamped to [−v, v].
 */
import type { Param } from './layer.js';

/** Σ of the squares of all gradients, in parameter order (float64 accumulation). */
export function gradSquaredSum(params: readonly Param[]): number {
  let s = 0;
  for (const p of params) {
    const g = p.grad;
    for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  }
  return s;
}

/** Global L2 norm of all gradients (float64 accumulation). */
export function globalGradNorm(params: readonly Param[]): number {
  return Math.sqrt(gradSquaredSum(params));
}

/** Rescales gradients when their global norm is ≥ c; returns true when it clipped. */
export function clipByGlobalNorm(params: readonly Param[], c: number, norm = globalGradNorm(params)): boolean {
  if (!(norm >= c) || !Number.isFinite(norm) || norm === 0) return false;
  const k = c / norm;
  for (const p of params) {
    const g = p.grad;
    for (let i = 0; i < g.length; i++) g[i] *= k;
  }
  return true;
}

/** Clamps every gradient component to [−v, v]; returns how many were clamped. */
export function clipByValue(params: readonly Param[], v: number): number {
  let count = 0;
  for (const p of params) {
    const g = p.grad;
    for (let i = 0; i < g.length; i++) {
      if (g[i] > v) {
        g[i] = v;
        count++;
      } else if (g[i] < -v) {
        g[i] = -v;
        count++;
      }
    }
  }
  return count;
}
