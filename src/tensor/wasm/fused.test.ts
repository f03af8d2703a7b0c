// The fused WebAssembly kernels must equal their TypeScript references
// (reference.ts) on ragged shapes and on the hard inputs — 0, −0, kinks,
// saturated tails, ±∞, NaN — and the references must equal the activation
// catalogue's own f and f'.
import { describe, expect, it } from 'vitest';
import { getActivation } from '../../activations/catalogue.js';
import { Rng } from '../rng.js';
import { createWasmFusedOps, FUSED_ACTIVATIONS, type FusedOps } from './fused.js';
import { activationAt, referenceOps } from './reference.js';

const wasm = createWasmFusedOps() as FusedOps;

const SPECIAL = [0, -0, 1e-8, -1e-8, 1e-3, -0.3, 0.6249, 0.625, 0.9999, 1, -1, 2.5, -4.6, 9, -15, 20, -30, 50, -87, 88, -100, 1e4, -1e4, Infinity, -Infinity, NaN];

/** Values: the special ones, then normals of several scales. */
function inputs(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = i < SPECIAL.length ? SPECIAL[i] : rng.normal() * [0.1, 1, 5, 30][i % 4];
  return a;
}

/** |x − y| ≤ abs + rel·|y|, with NaN equal only to NaN. */
function close(x: number, y: number, abs: number, rel: number): boolean {
  if (Number.isNaN(y)) return Number.isNaN(x);
  if (!Number.isFinite(y)) return x === y;
  return Math.abs(x - y) <= abs + rel * Math.abs(y);
}

describe('fused references equal the activation catalogue', () => {
  for (const act of FUSED_ACTIVATIONS) {
    it(`${act}: f and f' at special points and on a grid`, () => {
      const def = getActivation(act === 'linear' ? 'linear' : act);
      const xs = [...SPECIAL, ...Array.from({ length: 81 }, (_, i) => -10 + i / 4)];
      for (const x of xs) {
        const [a, d] = activationAt(act, x);
        expect(close(a, def.f(x, []), 1e-15, 1e-12), `${act}(${x})`).toBe(true);
        expect(close(d, def.df(x, []), 1e-15, 1e-9), `${act}'(${x})`).toBe(true);
      }
    });
  }
});

describe('wasm fused kernels equal the references', () => {
  const shapes: [number, number][] = [
    [1, 1],
    [1, 3],
    [7, 13],
    [3, 4],
    [5, 30],
    [2, 67],
  ];
  for (const act of FUSED_ACTIVATIONS) {
    for (const [R, C] of shapes) {
      for (const withBias of [true, false]) {
        it(`biasActivation ${act} ${R}×${C} bias=${withBias}`, () => {
          const rng = new Rng(R * 100 + C);
          const z0 = inputs(R * C, rng);
          const bias = withBias ? inputs(C, rng).map((v) => (Number.isFinite(v) ? v * 0.5 : 0.25)) : null;
          const zw = z0.slice();
          const zr = z0.slice();
          const aw = new Float32Array(R * C), dw = new Float32Array(R * C);
          const ar = new Float32Array(R * C), dr = new Float32Array(R * C);
          wasm.biasActivation(act, aw, dw, zw, bias, R, C);
          referenceOps.biasActivation(act, ar, dr, zr, bias, R, C);
          expect(Array.from(zw)).toEqual(Array.from(zr));
          for (let i = 0; i < R * C; i++) {
            expect(close(aw[i], ar[i], 2e-7, 4e-6), `f(${zr[i]}) = ${aw[i]}, reference ${ar[i]}`).toBe(true);
            expect(close(dw[i], dr[i], 2e-7, 4e-6), `f'(${zr[i]}) = ${dw[i]}, reference ${dr[i]}`).toBe(true);
          }
        });
      }
    }
  }

  it('activationBackward is the exact elementwise product', () => {
    const rng = new Rng(1);
    for (const n of [1, 3, 4, 5, 31]) {
      const dout = inputs(n, rng).map((v) => (Number.isFinite(v) ? v : 1));
      const d = inputs(n, new Rng(n)).map((v) => (Number.isFinite(v) ? v : 2));
      const a = new Float32Array(n), b = new Float32Array(n);
      wasm.activationBackward(a, dout, d, n);
      referenceOps.activationBackward(b, dout, d, n);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });

  it('sgdStep updates like the reference and returns ‖Δw‖²', () => {
    for (const n of [1, 4, 7, 1001]) {
      const rng = new Rng(n);
      const w0 = Float32Array.from({ length: n }, () => rng.normal());
      const g = Float32Array.from({ length: n }, () => rng.normal());
      const w1 = w0.slice(), w2 = w0.slice();
      const s1 = wasm.sgdStep(w1, g, 0.1, 0.999);
      const s2 = referenceOps.sgdStep(w2, g, 0.1, 0.999);
      for (let i = 0; i < n; i++) expect(close(w1[i], w2[i], 1e-6, 1e-6)).toBe(true);
      expect(close(s1, s2, 1e-9, 1e-4)).toBe(true);
    }
  });

  it('momentumStep updates w and v like the reference', () => {
    for (const n of [1, 6, 9, 257]) {
      const rng = new Rng(n + 7);
      const w0 = Float32Array.from({ length: n }, () => rng.normal());
      const v0 = Float32Array.from({ length: n }, () => rng.normal() * 0.1);
      const g = Float32Array.from({ length: n }, () => rng.normal());
      const [w1, v1, w2, v2] = [w0.slice(), v0.slice(), w0.slice(), v0.slice()];
      const s1 = wasm.momentumStep(w1, g, v1, 0.05, 0.9, 1);
      const s2 = referenceOps.momentumStep(w2, g, v2, 0.05, 0.9, 1);
      for (let i = 0; i < n; i++) {
        expect(close(w1[i], w2[i], 1e-6, 1e-6)).toBe(true);
        expect(close(v1[i], v2[i], 1e-7, 1e-6)).toBe(true);
      }
      expect(close(s1, s2, 1e-9, 1e-4)).toBe(true);
    }
  });

  it('sumSquares accumulates in float64', () => {
    for (const n of [0, 1, 5, 8, 100_003]) {
      const rng = new Rng(n);
      const x = Float32Array.from({ length: n }, () => rng.normal());
      expect(close(wasm.sumSquares(x), referenceOps.sumSquares(x), 0, 1e-12)).toBe(true);
    }
  });

  it('name the kernel and the argument when a buffer is too short', () => {
    const f = new Float32Array(4);
    expect(() => wasm.biasActivation('tanh', f, new Float32Array(3), f, null, 2, 2)).toThrow("biasActivation: 'd' has 3 elements, needs 4");
    expect(() => wasm.sgdStep(f, new Float32Array(2), 0.1, 1)).toThrow("sgdStep: 'g' has 2 elements, needs 4");
    expect(() => wasm.biasActivation('gelu' as 'tanh', f, f, f, null, 2, 2)).toThrow("biasActivation: no fused kernel for activation 'gelu'");
  });
});
