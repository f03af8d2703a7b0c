// Eigen- and singular values against matrices whose spectra are known by construction.
import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng.js';
import { singularValues, symmetricEigenvalues } from './eigen.js';

/** A random orthogonal n×n matrix by Gram–Schmidt (independent of the code under test). */
function orthogonal(n: number, rng: Rng): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) q[i] = rng.normal();
  for (let r = 0; r < n; r++) {
    for (let p = 0; p < r; p++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += q[r * n + k] * q[p * n + k];
      for (let k = 0; k < n; k++) q[r * n + k] -= dot * q[p * n + k];
    }
    let s = 0;
    for (let k = 0; k < n; k++) s += q[r * n + k] ** 2;
    for (let k = 0; k < n; k++) q[r * n + k] /= Math.sqrt(s);
  }
  return q;
}

describe('symmetricEigenvalues', () => {
  it('recovers the spectrum of Q·diag(λ)·Qᵀ (n = 1, 2, 7, 40)', () => {
    for (const n of [1, 2, 7, 40]) {
      const rng = new Rng(n);
      const lam = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -1 : 1) * (0.1 + i * 0.7));
      const Q = orthogonal(n, rng);
      const A = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += Q[i * n + k] * lam[k] * Q[j * n + k];
          A[i * n + j] = s;
        }
      const got = Array.from(symmetricEigenvalues(A, n)).sort((a, b) => a - b);
      const want = [...lam].sort((a, b) => a - b);
      const diff = Math.max(...got.map((g, i) => Math.abs(g - want[i])));
      expect(diff, `n=${n}: max |λ − λ*| = ${diff}`).toBeLessThan(1e-9);
    }
  });
});

describe('singularValues', () => {
  it('recovers σ of U·diag(σ)·Vᵀ for wide and tall matrices', () => {
    const rng = new Rng(5);
    for (const [R, C] of [[3, 8], [8, 3], [5, 5]] as const) {
      const k = Math.min(R, C);
      const sig = Array.from({ length: k }, (_, i) => 3 / (i + 1));
      const U = orthogonal(R, rng);
      const V = orthogonal(C, rng);
      const J = new Float64Array(R * C);
      for (let i = 0; i < R; i++)
        for (let j = 0; j < C; j++) {
          let s = 0;
          for (let t = 0; t < k; t++) s += U[i * R + t] * sig[t] * V[j * C + t];
          J[i * C + j] = s;
        }
      const got = Array.from(singularValues(J, R, C));
      const diff = Math.max(...got.map((g, i) => Math.abs(g - sig[i])));
      expect(diff, `${R}×${C}: max |σ − σ*| = ${diff}`).toBeLessThan(1e-9);
    }
  });

  it('gives |w| for a 1×1 matrix and 0 for a zero matrix', () => {
    expect(Array.from(singularValues([-2.5], 1, 1))).toEqual([2.5]);
    expect(Array.from(singularValues([0, 0, 0, 0], 2, 2))).toEqual([0, 0]);
  });
});

describe('non-finite input', () => {
  it('gives NaN singular values instead of throwing', () => {
    const sv = singularValues([1, Infinity, 0, 1], 2, 2);
    expect(Array.from(sv).every(Number.isNaN)).toBe(true);
    const sv2 = singularValues([1e300, 1e300, 1e300, -1e300], 2, 2);
    expect(Array.from(sv2).every(Number.isNaN)).toBe(true);
  });
});
