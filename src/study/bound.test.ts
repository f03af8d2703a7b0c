// Stage 1 against closed forms: σ' peaks at 1/4 at 0, Nielsen's band of width ≈ 0.45 at |w| ≈ 6.9.
import { describe, expect, it } from 'vitest';
import { getActivation } from '../activations/catalogue.js';
import { bandWidth, runBound } from './bound.js';

describe('stage 1: the derivative bound', () => {
  it('finds max σ\' = 1/4 at x = 0 and a chain product equal to backprop', () => {
    const r = runBound(1, 500, 10);
    expect(r.sigmoidDerivativeMax.value).toBe(0.25);
    expect(r.sigmoidDerivativeMax.x).toBe(0);
    const rel = Math.abs(r.chainExample.dCdb1Chain - r.chainExample.dCdb1Backprop) / Math.abs(r.chainExample.dCdb1Backprop);
    expect(rel).toBeLessThan(1e-12);
    // the median product shrinks by a roughly constant factor per layer (exponential decay)
    const m = r.productVsDepth.median;
    for (let d = 1; d < m.length; d++) expect(m[d]).toBeLessThan(m[d - 1]);
  });

  it("band width: 0 below |w| = 4, at most ≈ 0.45 near |w| ≈ 6.9 (Nielsen), and equal to a brute-force count", () => {
    expect(bandWidth(3.9)).toBe(0);
    const r = runBound(1, 10, 2);
    expect(r.band.maxWidth).toBeGreaterThan(0.44);
    expect(r.band.maxWidth).toBeLessThan(0.46);
    expect(Math.abs(r.band.argmaxW - 6.9)).toBeLessThan(0.15);
    // brute force: measure the set {a : |w σ'(w a + b)| ≥ 1} on a fine grid
    const sig = getActivation('sigmoid');
    for (const w of [4.5, 6.9, 12]) {
      const h = 1e-5;
      let n = 0;
      for (let a = -2; a <= 2; a += h) if (Math.abs(w * sig.df(w * a + 0.3, [])) >= 1) n++;
      expect(Math.abs(n * h - bandWidth(w)), `w = ${w}`).toBeLessThan(1e-4);
    }
  });
});
