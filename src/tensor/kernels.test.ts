// Fast kernels must equal their naive references on odd shapes.
import { describe, expect, it } from 'vitest';
import { jsKernels, naiveKernels, type Kernels } from './kernels.js';
import { Rng } from './rng.js';
import { maxDiff, rand, sizes, type Gemm } from './kernels.test-helper.js';

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [13, 7, 9],
  [3, 17, 2],
  [10, 784, 30],
  [5, 1, 11],
  [33, 31, 29],
];

describe('js kernels equal the naive references', () => {
  for (const F of [Float64Array, Float32Array]) {
    const tol = F === Float64Array ? 1e-12 : 1e-4;
    for (const op of ['gemm', 'gemmABt', 'gemmAtB'] as Gemm[]) {
      for (const [M, K, N] of shapes) {
        for (const acc of [false, true]) {
          it(`${op} ${M}×${K}×${N} acc=${acc} ${F.name}`, () => {
            const rng = new Rng(M * 1000 + K * 10 + N);
            const [na, nb] = sizes(op, M, K, N);
            const A = rand(na, rng, F, true);
            const Bm = rand(nb, rng, F);
            const C0 = rand(M * N, rng, F);
            const Cf = C0.slice();
            const Cn = C0.slice();
            (jsKernels as Kernels)[op](Cf, A, Bm, M, K, N, acc);
            naiveKernels[op](Cn, A, Bm, M, K, N, acc);
            const d = maxDiff(Cf, Cn);
            expect(d, `max |fast − naive| = ${d}`).toBeLessThanOrEqual(tol * Math.max(1, Math.sqrt(K)));
          });
        }
      }
    }
  }

  it('addRow and sumRows match on 7×13', () => {
    const rng = new Rng(3);
    const X = rand(7 * 13, rng, Float64Array);
    const b = rand(13, rng, Float64Array);
    const X1 = X.slice();
    const X2 = X.slice();
    jsKernels.addRow(X1, b, 7, 13);
    naiveKernels.addRow(X2, b, 7, 13);
    expect(maxDiff(X1, X2)).toBe(0);
    const s1 = rand(13, rng, Float64Array);
    const s2 = s1.slice();
    jsKernels.sumRows(s1, X, 7, 13, true);
    naiveKernels.sumRows(s2, X, 7, 13, true);
    expect(maxDiff(s1, s2)).toBeLessThan(1e-12);
  });

  it('gemm agrees with a hand-worked 2×3 · 3×2 product', () => {
    const A = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const B = Float64Array.from([7, 8, 9, 10, 11, 12]);
    const C = new Float64Array(4);
    jsKernels.gemm(C, A, B, 2, 3, 2, false);
    expect(Array.from(C)).toEqual([58, 64, 139, 154]);
  });
});
