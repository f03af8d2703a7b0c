/**
 * The special functions against published values and against independent
 * references written here: erf by its positive-term series (no cancellation)
 * and erfc by its continued fraction (Lentz's algorithm).
 */
import { describe, expect, it } from 'vitest';
import { erf, erfc, logSigmoid, normalCdf, normalPdf, sigmoidFn, softplusStable } from './index.js';

/** erf(x) = (2/√π) e^{−x²} Σₙ 2ⁿ x^{2n+1}/(1·3·…·(2n+1)): every term positive, good to ~1e-16 for |x| ≤ 3. */
function erfSeries(x: number): number {
  const y = Math.abs(x);
  let term = y;
  let sum = y;
  for (let n = 1; n < 200; n++) {
    term *= (2 * y * y) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-y * y) * sum;
}

/** erfc(x) for x ≥ 3: (e^{−x²}/√π)·1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), by modified Lentz. */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

describe('erf', () => {
  it('matches published values to 1e-14', () => {
    const known: [number, number][] = [
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [-3, -0.9999779095030014],
    ];
    for (const [x, v] of known) expect(Math.abs(erf(x) - v), `erf(${x})`).toBeLessThan(1e-14);
  });

  it('is odd, with erf(0) = 0', () => {
    expect(erf(0)).toBe(0);
    for (let x = 0.01; x < 7; x += 0.37) expect(erf(-x)).toBe(-erf(x));
  });

  it('matches the positive-term series to 1e-15 relative on [−3, 3]', () => {
    let worst = 0;
    for (let x = -3; x <= 3; x += 0.0101) worst = Math.max(worst, Math.abs(erf(x) - erfSeries(x)) / Math.max(Math.abs(erfSeries(x)), 1e-300));
    expect(worst).toBeLessThan(1e-15);
  });

  it('saturates to ±1 and propagates NaN', () => {
    expect(erf(10)).toBe(1);
    expect(erf(-1e308)).toBe(-1);
    expect(erf(Infinity)).toBe(1);
    expect(erf(NaN)).toBeNaN();
  });
});

describe('erfc', () => {
  it('matches the continued fraction to 1e-13 relative on [3, 26]', () => {
    let worst = 0;
    for (let x = 3; x <= 26; x += 0.0913) worst = Math.max(worst, Math.abs(erfc(x) / erfcContinuedFraction(x) - 1));
    expect(worst).toBeLessThan(1e-13);
  });

  it('matches published tail values', () => {
    expect(Math.abs(erfc(5) / 1.5374597944280348502e-12 - 1)).toBeLessThan(1e-14);
    expect(Math.abs(erfc(10) / 2.0884875837625447570e-45 - 1)).toBeLessThan(1e-14);
  });

  it('is 1 − erf without cancellation, and 2 − erfc(−x) for x < 0', () => {
    for (let x = -5; x <= 5; x += 0.173) expect(Math.abs(erfc(x) - (1 - erf(x)))).toBeLessThanOrEqual(4.5e-16);
    expect(erfc(-30)).toBe(2);
    expect(erfc(30)).toBe(0);
  });
});

describe('normal pdf and cdf', () => {
  it('Φ(1) = 0.8413447460685429, Φ(0) = 1/2, φ(0) = 1/√(2π)', () => {
    expect(Math.abs(normalCdf(1) - 0.8413447460685429)).toBeLessThanOrEqual(1.2e-16);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 16);
  });

  it('keeps relative accuracy in the left tail: Φ(−10) = 7.6198530241605e-24', () => {
    expect(Math.abs(normalCdf(-10) / 7.6198530241604726e-24 - 1)).toBeLessThan(1e-13);
  });
});

describe('stable logistic helpers', () => {
  it('σ, softplus and ln σ are finite with the right limits at ±1000 and ±1e308', () => {
    for (const big of [1000, 1e308]) {
      expect(sigmoidFn(big)).toBe(1);
      expect(sigmoidFn(-big)).toBe(0);
      expect(softplusStable(big)).toBe(big);
      expect(softplusStable(-big)).toBe(0);
      expect(logSigmoid(big) === 0).toBe(true);
      expect(logSigmoid(-big)).toBe(-big);
    }
  });

  it('softplus(x) − softplus(−x) = x and σ(x) + σ(−x) = 1', () => {
    for (let x = -40; x <= 40; x += 0.77) {
      expect(Math.abs(softplusStable(x) - softplusStable(-x) - x)).toBeLessThan(1e-13);
      expect(Math.abs(sigmoidFn(x) + sigmoidFn(-x) - 1)).toBeLessThanOrEqual(2.3e-16);
    }
  });
});
