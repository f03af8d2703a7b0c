// The fused WebAssembly kernels must equal their TypeScript references
// (reference.ts) on ragged shapes and on the hard inputs — 0, −0, kinks,
// saturated tails, ±∞, NaN — in place (operands in the heap) and copied, and
// the references must equal the activation catalogue's own f and f'. The
// optimiser updates and the LSTM backward step compute in float64 as the
// references do, so they must give the same bits; the LSTM forward step's
// exponentials are polynomials in float32, within a stated tolerance.
import { describe, expect, it } from 'vitest';
import { getActivation } from '../../activations/catalogue.js';
import { Rng } from '../rng.js';
import { FUSED_ACTIVATIONS, type FusedOps } from './fused.js';
import { activationAt, referenceOps } from './reference.js';
import { createWasmKernels, type HeapKernels } from './wasm-kernels.js';

const heapK = createWasmKernels() as HeapKernels;
const wasm: FusedOps = heapK.fused;

/** A copy of x in the heap's memory (the kernels then run in place). */
const inHeap = (x: Float32Array): Float32Array => {
  const y = heapK.alloc('float32', x.length) as Float32Array;
  y.set(x);
  return y;
};

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

  for (const where of ['copied', 'in the heap'] as const) {
    const place = where === 'copied' ? (x: Float32Array) => x.slice() : inHeap;

    it(`sgdStep (${where}) gives the reference's weights bit for bit and its ‖Δw‖² to 1e-12`, () => {
      for (const n of [1, 4, 7, 1001]) {
        const rng = new Rng(n);
        const w0 = Float32Array.from({ length: n }, () => rng.normal());
        const g = place(Float32Array.from({ length: n }, () => rng.normal()));
        const w1 = place(w0), w2 = w0.slice();
        const s1 = wasm.sgdStep(w1, g, 0.1, 0.999);
        const s2 = referenceOps.sgdStep(w2, g, 0.1, 0.999);
        expect(Array.from(w1)).toEqual(Array.from(w2));
        expect(close(s1, s2, 0, 1e-12), `‖Δw‖² ${s1} vs ${s2}`).toBe(true);
      }
    });

    it(`momentumStep (${where}) gives the reference's w and v bit for bit`, () => {
      for (const n of [1, 6, 9, 257]) {
        const rng = new Rng(n + 7);
        const w0 = Float32Array.from({ length: n }, () => rng.normal());
        const v0 = Float32Array.from({ length: n }, () => rng.normal() * 0.1);
        const g = place(Float32Array.from({ length: n }, () => rng.normal()));
        const [w1, v1, w2, v2] = [place(w0), place(v0), w0.slice(), v0.slice()];
        const s1 = wasm.momentumStep(w1, g, v1, 0.05, 0.9, 0.99);
        const s2 = referenceOps.momentumStep(w2, g, v2, 0.05, 0.9, 0.99);
        expect(Array.from(w1)).toEqual(Array.from(w2));
        expect(Array.from(v1)).toEqual(Array.from(v2));
        expect(close(s1, s2, 0, 1e-12)).toBe(true);
      }
    });

    it(`lstm steps (${where}): forward within float32 tolerance of the reference, backward bit for bit`, () => {
      for (const [B, H] of [[1, 4], [3, 8], [32, 128]] as const) {
        const rng = new Rng(B * 100 + H);
        const n = B * H;
        const a0 = Float32Array.from({ length: 4 * n }, () => rng.normal() * 3);
        a0[0] = 40; // saturated gates
        a0[1] = -40;
        const cPrev = place(Float32Array.from({ length: n }, () => rng.normal()));
        const [aw, cw, tw, hw] = [place(a0), place(new Float32Array(n)), place(new Float32Array(n)), place(new Float32Array(n))];
        const [ar, cr, tr, hr] = [a0.slice(), new Float32Array(n), new Float32Array(n), new Float32Array(n)];
        wasm.lstmForward(aw, cPrev, cw, tw, hw, B, H);
        referenceOps.lstmForward(ar, cPrev, cr, tr, hr, B, H);
        const pairs: [Float32Array, Float32Array, string][] = [[aw, ar, 'gates'], [cw, cr, 'c'], [tw, tr, 'tanh c'], [hw, hr, 'h']];
        for (const [x, y, what] of pairs) for (let i = 0; i < x.length; i++) expect(close(x[i], y[i], 4e-7, 4e-6), `${what}[${i}] = ${x[i]}, reference ${y[i]}`).toBe(true);
        // backward from the reference's forward values, so both see the same inputs
        const dh = place(Float32Array.from({ length: n }, () => rng.normal()));
        const dc0 = Float32Array.from({ length: n }, () => rng.normal());
        for (const cut of [false, true]) {
          const [dzw, dcw] = [place(new Float32Array(4 * n)), place(dc0)];
          const [dzr, dcr] = [new Float32Array(4 * n), dc0.slice()];
          wasm.lstmBackward(dzw, place(ar), place(tr), cPrev, dh, dcw, B, H, cut);
          referenceOps.lstmBackward(dzr, ar, tr, cPrev, dh, dcr, B, H, cut);
          expect(Array.from(dzw)).toEqual(Array.from(dzr));
          expect(Array.from(dcw)).toEqual(Array.from(dcr));
        }
      }
    });
  }

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
    expect(() => wasm.lstmForward(f, f, f, f, f, 1, 3)).toThrow('lstmForward: H must be a multiple of 4 for the wasm kernel; got 3');
    expect(() => wasm.activationBackward(new Float64Array(4), f, f, 4)).toThrow("activationBackward: 'dz' must be a Float32Array for the wasm kernels");
  });
});
