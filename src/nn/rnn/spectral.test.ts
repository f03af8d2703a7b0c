// The power-iteration spectral norm against matrices with known singular values and the exact SVD, and Pascanu's conditions.
import { describe, expect, it } from 'vitest';
import { singularValues } from '../../diagnostics/eigen.js';
import { Rng } from '../../tensor/rng.js';
import { getInit } from '../init.js';
import { derivativeBound, pascanuCondition, spectralNorm } from './spectral.js';

/** W = U·diag(s)·Vᵀ (R×C) with random orthonormal U (R×R) and V (C×C). */
function withSingularValues(s: readonly number[], R: number, C: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const U = new Float64Array(R * R);
  const V = new Float64Array(C * C);
  getInit('orthogonal').weights(U, R, R, rng);
  getInit('orthogonal').weights(V, C, C, rng);
  const W = new Float64Array(R * C);
  for (let i = 0; i < R; i++)
    for (let j = 0; j < C; j++) {
      let v = 0;
      for (let k = 0; k < s.length; k++) v += U[i * R + k] * s[k] * V[j * C + k];
      W[i * C + j] = v;
    }
  return W;
}

describe('spectralNorm (power iteration)', () => {
  it('finds the largest of known singular values, square and tall (a stacked-gate W_hh)', () => {
    expect(spectralNorm(withSingularValues([3, 1.5, 1, 0.5, 0.1], 5, 5, 1), 5, 5)).toBeCloseTo(3, 9);
    expect(spectralNorm(withSingularValues([2.2, 2, 0.3, 0.2], 16, 4, 2), 16, 4)).toBeCloseTo(2.2, 9);
    expect(spectralNorm(withSingularValues([0.9, 0.9 * 0.95, 0.1], 3, 3, 3), 3, 3)).toBeCloseTo(0.9, 8);
  });

  it('agrees with the exact singular values of random matrices', () => {
    const rng = new Rng(9);
    for (const [R, C] of [[8, 8], [32, 8], [12, 20]] as const) {
      const W = Float64Array.from({ length: R * C }, () => rng.normal());
      expect(spectralNorm(W, R, C)).toBeCloseTo(singularValues(W, R, C)[0], 8);
    }
  });

  it('is 0 for the zero matrix and gain·1 for a scaled orthogonal matrix', () => {
    expect(spectralNorm(new Float64Array(9), 3, 3)).toBe(0);
    const W = new Float64Array(36);
    getInit('orthogonal').weights(W, 6, 6, new Rng(4));
    for (let i = 0; i < W.length; i++) W[i] *= 1.7;
    expect(spectralNorm(W, 6, 6)).toBeCloseTo(1.7, 10);
  });
});

describe("Pascanu et al.'s conditions", () => {
  it('γ is 1 for tanh and relu, 1/4 for the sigmoid; a custom slope is measured', () => {
    expect(derivativeBound('tanh')).toBe(1);
    expect(derivativeBound('relu')).toBe(1);
    expect(derivativeBound('sigmoid')).toBe(0.25);
    expect(derivativeBound('leaky_relu', { negative_slope: 2 })).toBeCloseTo(2, 6);
  });

  it('λ₁ < 1/γ guarantees vanishing; λ₁ above it makes exploding possible; equality is the boundary; gated cells are out of its scope', () => {
    expect(pascanuCondition(0.9, 1).regime).toBe('vanishing-guaranteed');
    expect(pascanuCondition(3.9, 0.25).regime).toBe('vanishing-guaranteed');
    expect(pascanuCondition(4.1, 0.25).regime).toBe('exploding-possible');
    expect(pascanuCondition(1.2, 1).regime).toBe('exploding-possible');
    expect(pascanuCondition(1 - 1e-8, 1).regime).toBe('boundary');
    expect(pascanuCondition(4, 0.25).regime).toBe('boundary');
    const g = pascanuCondition(1.2, null);
    expect(g.regime).toBe('not-applicable');
    expect(g.threshold).toBeNull();
  });
});
