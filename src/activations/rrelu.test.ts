/**
 * RReLU's training mode: slopes drawn from U(lower, upper) by the seeded
 * generator, reproducible per seed, with the right mean; evaluation mode uses
 * the mean slope.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng.js';
import { getActivation, resolveParams } from './index.js';

const def = getActivation('rrelu');

/** Runs mapTrain on n copies of z with a fresh generator: (a, d). */
function train(seed: number, z: number, n: number, params: Record<string, number> = {}): [Float64Array, Float64Array] {
  const zs = new Float64Array(n).fill(z);
  const a = new Float64Array(n);
  const d = new Float64Array(n);
  def.mapTrain?.(a, d, zs, n, resolveParams(def, params), new Rng(seed));
  return [a, d];
}

describe('rrelu', () => {
  it('has a training mode', () => {
    expect(def.mapTrain).toBeTypeOf('function');
  });

  it('draws slopes in [lower, upper] with mean ≈ (lower + upper)/2', () => {
    const n = 100_000;
    const [a, d] = train(1, -2, n);
    let sum = 0;
    let outside = 0;
    let wrongA = 0;
    for (let i = 0; i < n; i++) {
      if (!(d[i] >= 1 / 8 && d[i] < 1 / 3)) outside++;
      if (a[i] !== -2 * d[i]) wrongA++;
      sum += d[i];
    }
    expect(outside).toBe(0);
    expect(wrongA).toBe(0);
    // std of U(1/8, 1/3) is (1/3 − 1/8)/√12 ≈ 0.060, so the mean of 1e5 draws is within ±0.0006 (3σ)
    expect(Math.abs(sum / n - 11 / 48)).toBeLessThan(1e-3);
  });

  it('honours non-default bounds', () => {
    const [, d] = train(2, -1, 10_000, { lower: 0.3, upper: 0.35 });
    for (const r of d) expect(r >= 0.3 && r < 0.35).toBe(true);
  });

  it('gives the same draws for the same seed and different ones for another', () => {
    const [, d1] = train(42, -1, 1000);
    const [, d2] = train(42, -1, 1000);
    const [, d3] = train(43, -1, 1000);
    expect(Array.from(d1)).toEqual(Array.from(d2));
    expect(Array.from(d1)).not.toEqual(Array.from(d3));
  });

  it('passes positive inputs unchanged with derivative 1, and uses the random slope at 0', () => {
    const [a, d] = train(5, 3, 10);
    expect(Array.from(a)).toEqual(new Array(10).fill(3));
    expect(Array.from(d)).toEqual(new Array(10).fill(1));
    const [a0, d0] = train(5, 0, 10);
    for (let i = 0; i < 10; i++) {
      expect(a0[i] === 0).toBe(true);
      expect(d0[i] >= 1 / 8 && d0[i] < 1 / 3).toBe(true);
    }
  });

  it('evaluates with the mean slope 11/48', () => {
    const p = resolveParams(def);
    expect(def.f(-1, p)).toBe(-(1 / 8 + 1 / 3) / 2);
    expect(def.df(-1, p)).toBe((1 / 8 + 1 / 3) / 2);
    expect(def.df(0, p)).toBe((1 / 8 + 1 / 3) / 2);
    expect(def.df(1, p)).toBe(1);
  });
});
