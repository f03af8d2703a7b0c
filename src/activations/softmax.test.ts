/**
 * The softmax and log-softmax row kernels: probabilities that sum to 1,
 * stability at logits of ±1000, and both backward kernels against central
 * finite differences of a weighted loss.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng.js';
import { logSoftmaxBackward, logSoftmaxRows, softmaxBackward, softmaxRows } from './index.js';

const rng = new Rng(11);
/** (B,C) logits drawn from N(0, scale²). */
function logits(B: number, C: number, scale: number): Float64Array {
  return Float64Array.from({ length: B * C }, () => scale * rng.normal());
}

describe('softmaxRows', () => {
  it('gives positive rows that sum to 1 (float64 and float32)', () => {
    const B = 7;
    const C = 5;
    const z = logits(B, C, 3);
    for (const a of [new Float64Array(B * C), new Float32Array(B * C)]) {
      softmaxRows(a, a instanceof Float32Array ? Float32Array.from(z) : z, B, C);
      for (let r = 0; r < B; r++) {
        let s = 0;
        for (let j = 0; j < C; j++) {
          expect(a[r * C + j]).toBeGreaterThan(0);
          s += a[r * C + j];
        }
        expect(Math.abs(s - 1)).toBeLessThan(a instanceof Float32Array ? 1e-6 : 1e-15);
      }
    }
  });

  it('is stable at logits of ±1000 and invariant to a shift', () => {
    const z = Float64Array.of(1000, 999, -1000, 1000);
    const a = new Float64Array(4);
    softmaxRows(a, z, 1, 4);
    const e = Math.exp(-1);
    const want = [1 / (2 + e), e / (2 + e), 0, 1 / (2 + e)];
    a.forEach((v, j) => expect(Math.abs(v - want[j])).toBeLessThan(1e-15));
    const b = new Float64Array(4);
    softmaxRows(b, Float64Array.of(0, -1, -2000, 0), 1, 4);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('works in place (a === z)', () => {
    const z = Float64Array.of(1, 2, 3);
    const ref = new Float64Array(3);
    softmaxRows(ref, z, 1, 3);
    softmaxRows(z, z, 1, 3);
    expect(Array.from(z)).toEqual(Array.from(ref));
  });
});

describe('softmaxBackward', () => {
  it('matches central finite differences of L = Σ w ⊙ softmax(z)', () => {
    const B = 3;
    const C = 6;
    const z = logits(B, C, 2);
    const w = logits(B, C, 1);
    const a = new Float64Array(B * C);
    softmaxRows(a, z, B, C);
    const dz = new Float64Array(B * C);
    softmaxBackward(dz, a, w, B, C);
    const loss = (zz: Float64Array): number => {
      const s = new Float64Array(B * C);
      softmaxRows(s, zz, B, C);
      return s.reduce((acc, v, i) => acc + v * w[i], 0);
    };
    for (let i = 0; i < B * C; i++) {
      const h = 1e-6;
      const zp = Float64Array.from(z);
      const zm = Float64Array.from(z);
      zp[i] += h;
      zm[i] -= h;
      const numeric = (loss(zp) - loss(zm)) / (2 * h);
      expect(Math.abs(dz[i] - numeric), `dz[${i}]`).toBeLessThan(1e-8);
    }
  });

  it('overwrites dz rather than accumulating, and allows dz === da', () => {
    const a = Float64Array.of(0.2, 0.3, 0.5);
    const da = Float64Array.of(1, -1, 2);
    const dz = Float64Array.of(100, 100, 100);
    softmaxBackward(dz, a, da, 1, 3);
    const dot = 0.2 - 0.3 + 1;
    const want = [0.2 * (1 - dot), 0.3 * (-1 - dot), 0.5 * (2 - dot)];
    dz.forEach((v, j) => expect(Math.abs(v - want[j])).toBeLessThan(1e-15));
    softmaxBackward(da, a, da, 1, 3);
    expect(Array.from(da)).toEqual(Array.from(dz));
  });
});

describe('logSoftmaxRows', () => {
  it('equals ln softmax and stays finite at logits of ±1000', () => {
    const z = Float64Array.of(1000, 999, -1000);
    const out = new Float64Array(3);
    logSoftmaxRows(out, z, 1, 3);
    const lse = 1000 + Math.log(1 + Math.exp(-1));
    expect(Math.abs(out[0] - (1000 - lse))).toBeLessThan(1e-12);
    expect(Math.abs(out[2] - (-1000 - lse))).toBeLessThan(1e-12);
    const y = logits(4, 5, 2);
    const ls = new Float64Array(20);
    const s = new Float64Array(20);
    logSoftmaxRows(ls, y, 4, 5);
    softmaxRows(s, y, 4, 5);
    ls.forEach((v, i) => expect(Math.abs(v - Math.log(s[i]))).toBeLessThan(1e-14));
  });

  it('has a backward pass that matches central finite differences', () => {
    const B = 2;
    const C = 4;
    const z = logits(B, C, 2);
    const w = logits(B, C, 1);
    const out = new Float64Array(B * C);
    logSoftmaxRows(out, z, B, C);
    const dz = new Float64Array(B * C);
    logSoftmaxBackward(dz, out, w, B, C);
    const loss = (zz: Float64Array): number => {
      const o = new Float64Array(B * C);
      logSoftmaxRows(o, zz, B, C);
      return o.reduce((acc, v, i) => acc + v * w[i], 0);
    };
    for (let i = 0; i < B * C; i++) {
      const h = 1e-6;
      const zp = Float64Array.from(z);
      const zm = Float64Array.from(z);
      zp[i] += h;
      zm[i] -= h;
      expect(Math.abs(dz[i] - (loss(zp) - loss(zm)) / (2 * h)), `dz[${i}]`).toBeLessThan(1e-8);
    }
  });
});
