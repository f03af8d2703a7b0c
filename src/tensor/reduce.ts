/**
 * Small reductions over flat buffers used by diagnostics and optimisers.
 */
import type { Buf } from './dtype.js';

/** Euclidean (Frobenius) norm of a buffer, computed in float64 with scaling to avoid overflow. */
export function norm2(x: ArrayLike<number>, n = x.length): number {
  let scale = 0;
  let ssq = 1;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== 0) {
      const a = Math.abs(v);
      if (scale < a) {
        ssq = 1 + ssq * (scale / a) * (scale / a);
        scale = a;
      } else {
        ssq += (a / scale) * (a / scale);
      }
    }
  }
  return Number.isNaN(scale) ? NaN : scale * Math.sqrt(ssq);
}

/** Sum of squares (float64 accumulation). */
export function sumSquares(x: ArrayLike<number>, n = x.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  return s;
}

/** True when every element is finite. */
export function allFinite(x: ArrayLike<number>, n = x.length): boolean {
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

/** Index of the largest element in x[off .. off+n). */
export function argmax(x: Buf | ArrayLike<number>, off: number, n: number): number {
  let best = 0;
  let bv = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[off + i];
    if (v > bv) {
      bv = v;
      best = i;
    }
  }
  return best;
}
