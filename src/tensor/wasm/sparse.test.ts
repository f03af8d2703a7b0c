// The sparse products (kernels.as gemmABtSparse, gemmAtBSparse; the choice in
// sparse.ts) must equal the float64 definition within float32 rounding on odd
// shapes and sparsity patterns, give the same bits for any block of C (so a
// split product keeps one thread's bits), be chosen for a sparse operand and
// only then, and train a digits network as the dense kernels do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableRelaxedSimd, startNodeKernelThreads } from '../../cli/kernel-threads.js';
import { takeFirst } from '../../data/batch.js';
import { loadDigits } from '../../data/node.js';
import { buildMlp } from '../../nn/build.js';
import { getLoss } from '../../nn/losses.js';
import { Optimizer } from '../../nn/optim.js';
import { naiveKernels } from '../kernels.js';
import { countingThreads, inHeap, oneThreadAndSplit } from '../kernels.test-helper.js';
import { Rng } from '../rng.js';
import type { KernelVariant } from './module.js';
import { setSparseEnabled, SPARSE_MAX_DENSITY, sparseProductCount } from './sparse.js';
import { setKernelThreads } from './threads.js';
import { createWasmKernels, type HeapKernels } from './wasm-kernels.js';

enableRelaxedSimd();

/** n draws, each nonzero (normal) with probability `density`. */
function sparseRand(n: number, rng: Rng, density: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform() < density ? rng.normal() : 0;
  return x;
}


/** The largest |got − want| over each element's bound Σ|terms| · 1e-6 (float32 carries 6e-8 per rounding; the sums here have at most a few hundred terms). */
function worstRatio(got: Float32Array, want: Float64Array, bound: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1e-6 * bound[i] + 1e-30));
  return worst;
}

/**
 * Runs a sparse kernel (`run(c, m0, m1, n0, n1)` computes that block of C(M,N) at byte offset c) on C
 * filled with noise, checks it against the float64 definition `op` on A, B within 1e-6 Σ|terms| per
 * element, then computes C again in blocks (columns in whole strips, as threads split them) and
 * checks that they give the bits of the whole.
 */
function checkKernel(k: HeapKernels, op: 'gemmABt' | 'gemmAtB', A: Float32Array, B: Float32Array, M: number, K: number, N: number, acc: boolean, rng: Rng, run: (c: number, m0: number, m1: number, n0: number, n1: number) => void): void {
  const C0 = Float32Array.from(sparseRand(M * N, rng, 1));
  const C = inHeap(k, C0);
  run(C.byteOffset, 0, M, 0, N);
  const want = Float64Array.from(C0);
  naiveKernels[op](want, Float64Array.from(A), Float64Array.from(B), M, K, N, acc);
  const bound = new Float64Array(M * N).fill(acc ? 1 : 0);
  naiveKernels[op](bound, Float64Array.from(A, Math.abs), Float64Array.from(B, Math.abs), M, K, N, acc);
  const r = worstRatio(C, want, bound);
  expect(r, `${op} sparse: worst |error| ÷ (1e-6 Σ|terms|) = ${r}`).toBeLessThanOrEqual(1);
  const parts = inHeap(k, C0);
  const cuts = [0, Math.min(N, 8), Math.min(N, 8 * Math.ceil(N / 16)), N];
  const rows = [0, M >> 1, M];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) run(parts.byteOffset, rows[i], rows[i + 1], cuts[j], cuts[j + 1]);
  expect(Array.from(parts), `${op} in blocks`).toEqual(Array.from(C));
}

// [M, K, N, density]: one element, ragged against the 8-wide strips and 4-row tiles, one to seven strips,
// a digits layer, K past a packing block, a row list longer than its rows, all zero
const CASES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [1, 9, 1, 0.3],
  [3, 17, 2, 0.3],
  [7, 13, 5, 0.2],
  [10, 784, 30, 0.2],
  [13, 300, 49, 0.1],
  [6, 40, 56, 0.3],
  [5, 70, 57, 0.25],
  [64, 784, 256, 0.19],
  [5, 4096, 9, 0.05],
  [33, 40, 100, 0.02],
  [9, 31, 17, 0],
];

describe('sparse products', () => {
  for (const variant of ['plain', 'relaxed'] as KernelVariant[]) {
    const k = createWasmKernels({ variant }) as HeapKernels;
    const mod = k.heap.mod;
    for (const [M, K, N, density] of CASES) {
      for (const acc of [false, true]) {
        it(`${variant} ${M}×${K}×${N}, ${density * 100} % nonzero, acc=${acc}: z = x·Wᵀ and dW = dzᵀ·x equal the float64 definition, and any block of C has the bits of the whole`, () => {
          const rng = new Rng(M * 7919 + K * 31 + N + (acc ? 1 : 0));
          // gemmABt: C(M,N) = X(M,K)·W(N,K)ᵀ, X sparse
          const X = inHeap(k, sparseRand(M * K, rng, density));
          const W = inHeap(k, sparseRand(N * K, rng, 1));
          const list = k.heap.listArea(mod.sparseBytes(M, M * K));
          const nnz = mod.sparseRows(X.byteOffset, M, K, list, M * K, 32);
          expect(nnz).toBe(X.filter((v) => v !== 0).length);
          checkKernel(k, 'gemmABt', X, W, M, K, N, acc, rng, (c, m0, m1, n0, n1) => mod.gemmABtSparse(c, list, W.byteOffset, M, K, N, acc ? 1 : 0, k.heap.ws, m0, m1, n0, n1, 0));
          // gemmAtB: dW(N,K) = dZ(M,N)ᵀ · X(M,K), X sparse (M examples, N outputs, K inputs)
          const dZ = inHeap(k, sparseRand(M * N, rng, 1));
          checkKernel(k, 'gemmAtB', dZ, X, N, M, K, acc, rng, (c, m0, m1, n0, n1) => mod.gemmAtBSparse(c, dZ.byteOffset, X.byteOffset, N, M, K, acc ? 1 : 0, k.heap.ws, m0, m1, n0, n1, 0));
        });
      }
    }
  }

  it('list a row only to the cap (−1 past it), count −0 as zero and NaN as a nonzero, count the 8-runs that hold a nonzero', () => {
    const k = createWasmKernels() as HeapKernels;
    const mod = k.heap.mod;
    const x = inHeap(k, [0, -0, 1, 0, NaN, 0, 0, 2, 3]);
    expect(mod.countNonzeros(x.byteOffset, 9)).toBe(4);
    // runs of 8 with a nonzero: [0, −0, 1, 0, NaN, 0, 0, 2] and [3]; then 8 zeros, −0s and a last run with one
    expect(mod.nonzeroStrips(x.byteOffset, 9)).toBe(2);
    const runs = inHeap(k, [0, 0, 0, 0, 0, 0, 0, 0, -0, -0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
    expect(mod.nonzeroStrips(runs.byteOffset, 19)).toBe(1);
    expect(mod.nonzeroStrips(runs.byteOffset, 18)).toBe(0);
    const list = k.heap.listArea(mod.sparseBytes(3, 9));
    expect(mod.sparseRows(x.byteOffset, 3, 3, list, 4, 32)).toBe(4);
    expect(mod.sparseRows(x.byteOffset, 3, 3, list, 3, 32)).toBe(-1);
    // row pointers 0, 1, 2, 4 and the entries (k·32, value): (2·32, 1), (1·32, NaN), (1·32, 2), (2·32, 3)
    const ptr = new Int32Array(k.heap.memory.buffer, list, 4);
    expect(Array.from(ptr)).toEqual([0, 1, 2, 4]);
    const at = (list + 16 + 15) & ~15;
    const offs = new Int32Array(k.heap.memory.buffer, at, 8);
    const vals = new Float32Array(k.heap.memory.buffer, at, 8);
    expect([0, 2, 4, 6].map((i) => offs[i])).toEqual([64, 32, 32, 64]);
    expect([1, 3, 5, 7].map((i) => vals[i])).toEqual([1, NaN, 2, 3]);
  });

  it('are chosen for a sparse operand and only then (the share of nonzeros, or of 8-runs with one, in a sample of rows and in all; K; the rows; the size)', () => {
    const k = createWasmKernels() as HeapKernels;
    const rng = new Rng(5);
    const run = (op: 'gemmABt' | 'gemmAtB', M: number, K: number, N: number, sparse: Float64Array): boolean => {
      const before = sparseProductCount();
      if (op === 'gemmABt') k.gemmABt(inHeap(k, new Float64Array(M * N)), inHeap(k, sparse), inHeap(k, sparseRand(N * K, rng, 1)), M, K, N, false);
      else k.gemmAtB(inHeap(k, new Float64Array(M * N)), inHeap(k, sparseRand(K * M, rng, 1)), inHeap(k, sparse), M, K, N, false);
      return sparseProductCount() > before;
    };
    const digits = takeFirst(loadDigits(), 64).x;
    expect(run('gemmABt', 64, 784, 256, Float64Array.from(digits))).toBe(true);
    expect(run('gemmAtB', 256, 64, 784, Float64Array.from(digits))).toBe(true);
    expect(run('gemmABt', 64, 784, 256, sparseRand(64 * 784, rng, 0.7))).toBe(false);
    expect(run('gemmAtB', 256, 64, 784, sparseRand(64 * 784, rng, 0.7))).toBe(false);
    // 20 % scattered: sparse for the row list, but it leaves a nonzero in 83 % of gemmAtB's 8-runs
    const scattered = sparseRand(64 * 784, rng, 0.2);
    expect(run('gemmABt', 64, 784, 256, scattered)).toBe(true);
    expect(run('gemmAtB', 256, 64, 784, scattered)).toBe(false);
    // the digits in a weight gradient of fewer than 16 examples
    expect(run('gemmAtB', 256, 10, 784, Float64Array.from(digits.subarray(0, 10 * 784)))).toBe(false);
    expect(run('gemmAtB', 256, 16, 784, Float64Array.from(digits.subarray(0, 16 * 784)))).toBe(true);
    // sampled rows within the quick look's 1.5 × the cap, the rest over it: listed, then refused
    const mixed = sparseRand(64 * 784, rng, 0.45);
    for (let i = 0; i < 8; i++) mixed.fill(0, i * 8 * 784, (i * 8 + 1) * 784);
    expect(run('gemmABt', 64, 784, 256, mixed)).toBe(false);
    // an all-zero first row (an RNN's h₀ among its states) does not make a dense operand look sparse
    const states = sparseRand(1600 * 128, rng, 1);
    states.fill(0, 0, 32 * 128);
    expect(run('gemmAtB', 512, 1600, 128, states)).toBe(false);
    expect(run('gemmABt', 1600, 128, 64, states)).toBe(false);
    // K past what six packed strips hold, and a product too small to list
    expect(run('gemmABt', 4, k.heap.mod.sparseMaxK() + 1, 64, sparseRand(4 * (k.heap.mod.sparseMaxK() + 1), rng, 0.1))).toBe(false);
    expect(run('gemmABt', 2, 16, 8, sparseRand(32, rng, 0.1))).toBe(false);
    // switched off
    setSparseEnabled(false);
    try {
      expect(run('gemmABt', 64, 784, 256, Float64Array.from(digits))).toBe(false);
    } finally {
      setSparseEnabled(true);
    }
    expect(SPARSE_MAX_DENSITY).toBeLessThan(0.5);
  });

  it('leave out zero terms only: NaN in the sparse operand still reaches its row of z', () => {
    const k = createWasmKernels() as HeapKernels;
    const rng = new Rng(8);
    const M = 64, K = 784, N = 64;
    const x = sparseRand(M * K, rng, 0.1);
    x[3 * K + 100] = NaN;
    const z = inHeap(k, new Float64Array(M * N));
    const before = sparseProductCount();
    k.gemmABt(z, inHeap(k, x), inHeap(k, sparseRand(N * K, rng, 1)), M, K, N, false);
    expect(sparseProductCount()).toBe(before + 1);
    for (let m = 0; m < M; m++) expect(z.subarray(m * N, (m + 1) * N).some(Number.isNaN), `row ${m}`).toBe(m === 3);
  });
});

describe('sparse products split over kernel threads', () => {
  const pool = startNodeKernelThreads(2);
  const { threads, splits } = countingThreads(pool);
  beforeAll(() => pool.whenReady());
  afterAll(() => {
    setKernelThreads(null);
    threads.close();
  });

  it("give the bits of one thread on the digits' first layer (z = x·Wᵀ, dW = dzᵀ·x)", () => {
    const k = createWasmKernels({ threadMinWork: 0 }) as HeapKernels;
    const rng = new Rng(3);
    const x = inHeap(k, takeFirst(loadDigits(), 64).x);
    const W = inHeap(k, sparseRand(256 * 784, rng, 1));
    const dz = inHeap(k, sparseRand(64 * 256, rng, 1));
    for (const [op, M, K, N, A, B] of [['gemmABt', 64, 784, 256, x, W], ['gemmAtB', 256, 64, 784, dz, x]] as const) {
      const taken = sparseProductCount();
      const before = splits();
      const [one, split] = oneThreadAndSplit(k, op, threads, Float32Array.from(sparseRand(M * N, rng, 1)), A, B, M, K, N);
      expect(sparseProductCount() - taken, op).toBe(2);
      expect(splits() - before, op).toBe(1);
      expect(split, op).toEqual(one);
    }
  });
});

describe('a digits network on the sparse products', () => {
  it('trains as on the dense kernels: the same losses over 30 SGD steps within float32 rounding', () => {
    const ds = takeFirst(loadDigits(), 640);
    const lossesWith = (sparse: boolean): number[] => {
      setSparseEnabled(sparse);
      try {
        const kernels = createWasmKernels() as HeapKernels;
        const net = buildMlp({ sizes: [784, 64, 10], hidden: { name: 'relu' }, output: { name: 'softmax' }, init: 'he_normal', dtype: 'float32', rng: new Rng(1), kernels: kernels.forNetwork() });
        const opt = new Optimizer(net.params(), { name: 'sgd' });
        const loss = getLoss('cross_entropy');
        const B = 64;
        const { x, y } = net.batchRows('train', B);
        const out: number[] = [];
        for (let s = 0; s < 30; s++) {
          const r = (s % 10) * B;
          x.set(ds.x.subarray(r * 784, (r + B) * 784));
          y.fill(0);
          for (let i = 0; i < B; i++) y[i * 10 + ds.labels[r + i]] = 1;
          net.zeroGrad();
          out.push(net.lossAndBackward(x, y, B, loss, { training: true, rng: new Rng(2) }));
          opt.step(0.05);
        }
        return out;
      } finally {
        setSparseEnabled(true);
      }
    };
    const before = sparseProductCount();
    const sparse = lossesWith(true);
    expect(sparseProductCount() - before, 'products run the sparse way').toBeGreaterThanOrEqual(60);
    const dense = lossesWith(false);
    const worst = Math.max(...sparse.map((l, i) => Math.abs(l - dense[i]) / dense[i]));
    expect(worst, `largest relative difference of the losses: ${worst}`).toBeLessThan(1e-4);
    // and it learns (2.3 → about 1.5), so the comparison covers 30 real updates
    expect(sparse[29]).toBeLessThan(0.8 * sparse[0]);
  });
});
