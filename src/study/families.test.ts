/**
 * The three families' part of results.json: every catalogue entry placed
 * exactly once, each after its parent in the same family, and the measured
 * numbers against closed forms (tolerances stated per check).
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, CATALOGUE } from '../activations/catalogue.js';
import { CROSS_LINKS, LINEAGE } from '../activations/lineage.js';
import { familiesPart, measureVariant } from './families.js';

const part = familiesPart();
const phi = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));
function erf(x: number): number {
  // erf by its Taylor series (|x| ≤ 3 is all we need; 60 terms reach 1e-16)
  let sum = 0;
  let term = x;
  for (let n = 0; n < 80; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('families part', () => {
  it('places every catalogue entry exactly once, in the map of its own family', () => {
    const placed = part.maps.flatMap((m) => m.variants.map((v) => v.name));
    expect([...placed].sort()).toEqual([...ACTIVATION_NAMES].sort());
    expect(placed.length).toBe(ACTIVATION_NAMES.length);
    for (const m of part.maps) for (const v of m.variants) expect(CATALOGUE[v.name].family, v.name).toBe(m.family);
  });

  it('lists each variant after its parent, and every parent is in the same family', () => {
    for (const m of part.maps) {
      const names = m.variants.map((v) => v.name);
      for (const [i, v] of m.variants.entries()) {
        if (v.parent === null) continue;
        expect(CATALOGUE[v.parent].family, `${v.name}'s parent`).toBe(m.family);
        expect(names.indexOf(v.parent), `${v.parent} before ${v.name}`).toBeLessThan(i);
      }
    }
    // one root per family (identity and softmax are two separate entries)
    for (const m of part.maps) expect(m.variants.filter((v) => v.parent === null).length, m.family).toBe(m.family === 'other' ? 2 : 1);
  });

  it('links across families only (a link inside a family would be an edge of its map)', () => {
    for (const l of CROSS_LINKS) expect(CATALOGUE[l.a].family, `${l.a}–${l.b}`).not.toBe(CATALOGUE[l.b].family);
    for (const n of ACTIVATION_NAMES) expect(LINEAGE[n].how.en.length, n).toBeGreaterThan(5);
  });

  // within 3e-3 relative: softplus and squareplus approach their supremum 1 only as x → ∞, and the grid stops at 20
  it('measures max |f′| as the catalogue states it (relative 3e-3) and where (σ′ at 0, tanh′ at 0)', () => {
    for (const n of ACTIVATION_NAMES) {
      const m = measureVariant(n);
      if (!m) continue;
      const sup = CATALOGUE[n].meta.derivativeMax;
      expect(m.maxAbsDf, n).toBeLessThanOrEqual(sup * (1 + 1e-12));
      expect((sup - m.maxAbsDf) / sup, n).toBeLessThan(3e-3);
    }
    expect(measureVariant('sigmoid')!.maxAbsDf).toBeCloseTo(0.25, 12);
    expect(measureVariant('sigmoid')!.argmaxAbsDf).toBe(0);
    expect(measureVariant('tanh')!.maxAbsDf).toBeCloseTo(1, 12);
  });

  // the trapezoid rule with h = 1e-3 is exact to about h²/12·|f″| for smooth f, ~1e-7 at a kink
  it('measures the normal-input moments against closed forms (absolute 1e-6)', () => {
    const relu = measureVariant('relu')!;
    expect(relu.meanOut).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 6); // E[max(0, X)]
    expect(relu.meanSqDf).toBeCloseTo(0.5, 3); // P(X > 0); the grid point at 0 has f′ = 0
    expect(relu.deadProb).toBeCloseTo(0.5, 3); // the grid point at 0 counts half
    expect(measureVariant('tanh')!.meanOut).toBeCloseTo(0, 12); // odd
    expect(measureVariant('selu')!.meanOut).toBeCloseTo(0, 6); // SELU's constants make E = 0
    expect(measureVariant('hardtanh')!.deadProb).toBeCloseTo(2 * (1 - phi(1)), 3); // P(|X| ≥ 1) = 0.3173
    expect(measureVariant('hardsigmoid')!.deadProb).toBeCloseTo(2 * (1 - phi(3)), 3); // P(|X| ≥ 3) = 0.0027
    expect(measureVariant('linear')!.meanSqDf).toBeCloseTo(1, 9);
    // leaky_relu: E[X·1(X > 0)] + k·E[X·1(X ≤ 0)] = (1 − k)/√(2π)
    expect(measureVariant('leaky_relu')!.meanOut).toBeCloseTo(0.99 / Math.sqrt(2 * Math.PI), 6);
    expect(measureVariant('softmax')).toBeNull();
    expect(measureVariant('maxout')).toBeNull();
  });
});
