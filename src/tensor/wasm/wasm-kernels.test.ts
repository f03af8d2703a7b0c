// The WebAssembly SIMD products must equal the naive references on odd shapes
// (1×1, sizes that are not multiples of the 4×8 register tile, shapes that
// span several k- and n-blocks), with and without accumulation, in both
// instruction sets (plain, and relaxed with fused multiply-add); operands in
// the heap and copied operands must give the same bits; products split over
// kernel threads must give the same bits as one thread; float64 and small
// products must take the TypeScript fallback; the embedded module must be
// the one kernels.as compiles to.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableRelaxedSimd, startNodeKernelThreads } from '../../cli/kernel-threads.js';
import { buildMlp } from '../../nn/build.js';
import { getLoss } from '../../nn/losses.js';
import { Optimizer } from '../../nn/optim.js';
import { jsKernels, naiveKernels, type Kernels } from '../kernels.js';
import { Rng } from '../rng.js';
import { countingThreads, inHeap, maxDiff, oneThreadAndSplit, rand as randOf, sizes, type Gemm } from '../kernels.test-helper.js';

/** Float32 operands (the wasm kernels' type). */
const rand = (n: number, rng: Rng, zeros = false): Float32Array => randOf(n, rng, Float32Array, zeros) as Float32Array;
import { KERNELS_SOURCE_SHA256 } from './kernels-wasm.js';
import { relaxedSupported, sharedMemorySupported, simdSupported, type KernelVariant } from './module.js';
import { THREAD_MIN_UPDATE } from './fused.js';
import { setKernelThreads } from './threads.js';
import { createWasmKernels, createWasmKernelsAsync, fastKernels, type HeapKernels } from './wasm-kernels.js';

enableRelaxedSimd();

const OPS: Gemm[] = ['gemm', 'gemmABt', 'gemmAtB'];

// [M, K, N]: tiny, ragged against the 4-row and 8-column tile, past KC = 256 and NC = 512
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 5, 1],
  [2, 3, 9],
  [7, 13, 5],
  [13, 7, 9],
  [3, 17, 2],
  [5, 1, 11],
  [33, 31, 29],
  [10, 784, 30],
  [30, 10, 784],
  [9, 513, 17],
  [6, 300, 521],
  [64, 64, 64],
];


describe('wasm kernels', () => {
  it('are available on this engine (Node ≥ 20 has WebAssembly SIMD; relaxed SIMD once enabled; shared memory)', () => {
    expect(simdSupported()).toBe(true);
    expect(relaxedSupported()).toBe(true);
    expect(sharedMemorySupported()).toBe(true);
    expect(fastKernels().name).toBe('wasm');
  });

  const wasm = createWasmKernels({ minWork: 0 }) as Kernels;
  const variants: [KernelVariant, Kernels][] = [
    ['plain', createWasmKernels({ minWork: 0, variant: 'plain' }) as Kernels],
    ['relaxed', createWasmKernels({ minWork: 0, variant: 'relaxed' }) as Kernels],
  ];

  describe('equal the naive references in float32', () => {
    for (const [variant, wasm] of variants)
    for (const op of OPS) {
      for (const [M, K, N] of SHAPES) {
        for (const acc of [false, true]) {
          it(`${variant} ${op} ${M}×${K}×${N} acc=${acc}`, () => {
            const rng = new Rng(M * 1_000_003 + K * 1009 + N);
            const [na, nb] = sizes(op, M, K, N);
            const A = rand(na, rng, true);
            const B = rand(nb, rng);
            const C0 = rand(M * N, rng);
            const Cw = C0.slice();
            const Cn = C0.slice();
            wasm[op](Cw, A, B, M, K, N, acc);
            naiveKernels[op](Cn, A, B, M, K, N, acc);
            const d = maxDiff(Cw, Cn);
            expect(d, `max |wasm − naive| = ${d}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.sqrt(K)));
          });
        }
      }
    }
  });

  it("give the same bits when a thread's later column blocks reuse the panels of A its first block kept (and where they do not fit)", () => {
    const k = createWasmKernels({}) as HeapKernels;
    const mod = k.heap.mod;
    const rng = new Rng(19);
    // kept panels of 256 KB exactly (64×784), small, ragged, and too large to keep (300×300 needs 360 KB)
    for (const [M, K, N] of [[64, 784, 256], [33, 257, 40], [7, 13, 24], [300, 300, 64]] as const) {
      for (const op of OPS) {
        const [na, nb] = sizes(op, M, K, N);
        const A = inHeap(k, rand(na, rng));
        const B = inHeap(k, rand(nb, rng));
        const whole = k.alloc('float32', M * N) as Float32Array;
        const parts = k.alloc('float32', M * N) as Float32Array;
        mod[op](whole.byteOffset, A.byteOffset, B.byteOffset, M, K, N, 0, k.heap.ws, 0, M, 0, N, 0);
        // three column blocks: the first keeps A's panels, the others reuse them
        const cuts = [0, 8, 8 * Math.ceil(N / 16), N];
        for (let j = 0; j < 3; j++) mod[op](parts.byteOffset, A.byteOffset, B.byteOffset, M, K, N, 0, k.heap.ws, 0, M, cuts[j], cuts[j + 1], j === 0 ? 1 : 2);
        expect(Array.from(parts), `${op} ${M}×${K}×${N}`).toEqual(Array.from(whole));
        const d = maxDiff(whole, (() => { const C = new Float32Array(M * N); naiveKernels[op](C, A, B, M, K, N, false); return C; })());
        expect(d, `${op} ${M}×${K}×${N} against the naive product`).toBeLessThan(1e-4 * K);
      }
    }
  });

  it('give the same bits on operands in the heap as on copied ones', () => {
    const k = createWasmKernels({ minWork: 0 }) as HeapKernels;
    const rng = new Rng(21);
    for (const op of OPS) {
      for (const [M, K, N] of [[7, 13, 5], [33, 31, 29], [6, 300, 521]] as const) {
        const [na, nb] = sizes(op, M, K, N);
        const A = rand(na, rng);
        const B = rand(nb, rng);
        const C0 = rand(M * N, rng);
        const [Ah, Bh, Ch] = [k.alloc('float32', na), k.alloc('float32', nb), k.alloc('float32', M * N)] as Float32Array[];
        expect(k.heap.owns(Ah) && k.heap.owns(Bh) && k.heap.owns(Ch)).toBe(true);
        Ah.set(A);
        Bh.set(B);
        Ch.set(C0);
        const Cc = C0.slice();
        k[op](Ch, Ah, Bh, M, K, N, true);
        k[op](Cc, A, B, M, K, N, true);
        expect(Array.from(Ch)).toEqual(Array.from(Cc));
      }
    }
  });

  it('keep every view valid when the heap grows (a shared memory never detaches)', () => {
    const k = createWasmKernels({ minWork: 0 }) as HeapKernels;
    const first = k.alloc('float32', 16) as Float32Array;
    first.fill(3);
    const before = k.heap.memory.buffer.byteLength;
    const big = k.alloc('float32', 8 << 20) as Float32Array; // 32 MB: forces growth
    expect(k.heap.memory.buffer.byteLength).toBeGreaterThan(before);
    big[big.length - 1] = 7;
    expect(first.length).toBe(16);
    expect(Array.from(first)).toEqual(Array(16).fill(3));
    const C = k.alloc('float32', 16) as Float32Array;
    k.gemm(C, first, first, 4, 4, 4, false);
    expect(Array.from(C)).toEqual(Array(16).fill(36));
  });

  it("recognise their views after another memory grew (V8 then hands out new SharedArrayBuffer objects for every shared memory)", () => {
    const k = createWasmKernels({ minWork: 0 }) as HeapKernels;
    const A = k.alloc('float32', 64) as Float32Array;
    A.fill(1);
    const other = createWasmKernels() as HeapKernels;
    other.alloc('float32', 4 << 20); // grows the other memory
    expect(A.buffer).not.toBe(k.heap.memory.buffer);
    expect(k.heap.owns(A)).toBe(true);
    expect(other.heap.owns(A)).toBe(false);
    expect(k.heap.owns(new Float32Array(64))).toBe(false);
    expect(k.heap.owns(new Float32Array(new SharedArrayBuffer(4096)))).toBe(false);
  });

  it('leave C beyond M·N untouched and read only the first M·K, K·N elements of longer buffers', () => {
    const rng = new Rng(5);
    const [M, K, N] = [5, 9, 7];
    const A = rand(M * K + 11, rng);
    const B = rand(K * N + 3, rng);
    const C = rand(M * N + 6, rng);
    const tail = C.slice(M * N);
    const expected = C.slice();
    naiveKernels.gemm(expected, A, B, M, K, N, false);
    wasm.gemm(C, A, B, M, K, N, false);
    expect(maxDiff(C.subarray(0, M * N), expected.subarray(0, M * N))).toBeLessThan(1e-5);
    expect(Array.from(C.subarray(M * N))).toEqual(Array.from(tail));
  });

  it('write zeros for an empty shared dimension (K = 0) unless accumulating', () => {
    const C = Float32Array.from([1, 2, 3, 4]);
    wasm.gemm(C, new Float32Array(0), new Float32Array(0), 2, 0, 2, true);
    expect(Array.from(C)).toEqual([1, 2, 3, 4]);
    wasm.gemm(C, new Float32Array(0), new Float32Array(0), 2, 0, 2, false);
    expect(Array.from(C)).toEqual([0, 0, 0, 0]);
  });

  it('survive memory growth between calls (a large product after small ones)', () => {
    const rng = new Rng(11);
    const small = [3, 4, 5] as const;
    for (const [M, K, N] of [small, [300, 700, 257] as const, small]) {
      const A = rand(M * K, rng);
      const B = rand(K * N, rng);
      const Cw = new Float32Array(M * N);
      const Cn = new Float32Array(M * N);
      wasm.gemmABt(Cw, A, B, M, K, N, false);
      naiveKernels.gemmABt(Cn, A, B, M, K, N, false);
      expect(maxDiff(Cw, Cn)).toBeLessThan(1e-5 * Math.sqrt(K));
    }
  });

  it('send float64 buffers to the TypeScript kernels (bit-identical results)', () => {
    const rng = new Rng(7);
    const A = Float64Array.from(rand(33 * 31, rng));
    const B = Float64Array.from(rand(31 * 29, rng));
    const C1 = new Float64Array(33 * 29);
    const C2 = new Float64Array(33 * 29);
    wasm.gemm(C1, A, B, 33, 31, 29, false);
    jsKernels.gemm(C2, A, B, 33, 31, 29, false);
    expect(Array.from(C1)).toEqual(Array.from(C2));
  });

  it('send products below minWork to the TypeScript kernels', () => {
    const k = createWasmKernels({ minWork: 1_000_000 }) as Kernels;
    const rng = new Rng(8);
    const A = rand(7 * 13, rng);
    const B = rand(13 * 5, rng);
    const C1 = new Float32Array(35);
    const C2 = new Float32Array(35);
    k.gemm(C1, A, B, 7, 13, 5, false);
    jsKernels.gemm(C2, A, B, 7, 13, 5, false);
    expect(Array.from(C1)).toEqual(Array.from(C2));
  });

  it('delegate addRow and sumRows to the fallback', () => {
    const X = Float32Array.from([1, 2, 3, 4, 5, 6]);
    wasm.addRow(X, Float32Array.from([10, 20, 30]), 2, 3);
    expect(Array.from(X)).toEqual([11, 22, 33, 14, 25, 36]);
    const out = Float32Array.from([1, 1, 1]);
    wasm.sumRows(out, X, 2, 3, true);
    expect(Array.from(out)).toEqual([26, 48, 70]);
  });

  it('load asynchronously too (the browser main-thread path)', async () => {
    const k = await createWasmKernelsAsync({ minWork: 0 });
    expect(k?.name).toBe('wasm');
    const C = new Float32Array(1);
    k?.gemm(C, Float32Array.from([2]), Float32Array.from([3]), 1, 1, 1, false);
    expect(C[0]).toBe(6);
  });

  it('train a network like the TypeScript kernels do (same losses within float32 rounding)', () => {
    const run = (kernels: Kernels): number[] => {
      const net = buildMlp({ sizes: [20, 16, 16, 3], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'xavier_normal', dtype: 'float32', rng: new Rng(3), kernels });
      const opt = new Optimizer(net.params(), { name: 'sgd' });
      const rng = new Rng(4);
      const x = rand(8 * 20, rng);
      const y = new Float32Array(8 * 3);
      for (let i = 0; i < 8; i++) y[i * 3 + (i % 3)] = 1;
      const losses: number[] = [];
      for (let s = 0; s < 20; s++) {
        net.zeroGrad();
        losses.push(net.lossAndBackward(x, y, 8, getLoss('cross_entropy'), { training: true, rng }));
        opt.step(0.1);
      }
      return losses;
    };
    const a = run(jsKernels);
    const b = run(wasm);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4);
    expect(b[b.length - 1]).toBeLessThan(b[0]);
  });
});

describe('products split over kernel threads', () => {
  const pool = startNodeKernelThreads(2);
  const { threads, splits, updates } = countingThreads(pool);
  beforeAll(() => pool.whenReady());
  afterAll(() => {
    setKernelThreads(null);
    threads.close();
  });

  for (const [variant] of [['plain'], ['relaxed']] as const) {
    it(`${variant}: give the bits of one thread, split by columns and by rows`, () => {
      const k = createWasmKernels({ minWork: 0, threadMinWork: 0, variant }) as HeapKernels;
      const rng = new Rng(31);
      // wide C (columns split), tall narrow C (rows split), too small to split
      for (const [M, K, N] of [[64, 784, 256], [300, 70, 9], [5, 5, 5], [33, 257, 40]] as const) {
        for (const op of OPS) {
          const [na, nb] = sizes(op, M, K, N);
          const A = inHeap(k, rand(na, rng));
          const B = inHeap(k, rand(nb, rng));
          const before = splits();
          const [one, split] = oneThreadAndSplit(k, op, threads, rand(M * N, rng), A, B, M, K, N);
          expect(split, `${op} ${M}×${K}×${N}`).toEqual(one);
          // 5×5×5 is too small to split; the others are split by columns or rows
          expect(splits() - before).toBe(M === 5 ? 0 : 1);
        }
      }
    });
  }

  it('split optimiser updates: the weights and velocities to the bits of one thread, ‖Δw‖² to 1e-12 of it', () => {
    const k = createWasmKernels({}) as HeapKernels;
    const rng = new Rng(5);
    // sizes that are and are not multiples of 4 (the last part must still end at n)
    for (const n of [1000, THREAD_MIN_UPDATE, THREAD_MIN_UPDATE + 1, THREAD_MIN_UPDATE + 2, 100_003]) {
      for (const momentum of [false, true]) {
        const w1 = k.alloc('float32', n) as Float32Array;
        const g = k.alloc('float32', n) as Float32Array;
        const v1 = k.alloc('float32', n) as Float32Array;
        w1.set(rand(n, rng));
        g.set(rand(n, rng));
        v1.set(rand(n, rng));
        const w2 = k.alloc('float32', n) as Float32Array;
        const v2 = k.alloc('float32', n) as Float32Array;
        w2.set(w1);
        v2.set(v1);
        // float64 reference of ‖Δw‖², from the same float32 results
        const w0 = Float64Array.from(w1);
        setKernelThreads(null);
        const s1 = momentum ? k.fused.momentumStep(w1, g, v1, 0.05, 0.9, 0.999) : k.fused.sgdStep(w1, g, 0.05, 0.999);
        setKernelThreads(threads);
        const before = updates();
        const s2 = momentum ? k.fused.momentumStep(w2, g, v2, 0.05, 0.9, 0.999) : k.fused.sgdStep(w2, g, 0.05, 0.999);
        setKernelThreads(null);
        const what = `${momentum ? 'momentum' : 'sgd'} n = ${n}`;
        expect(updates() - before, what).toBe(n >= THREAD_MIN_UPDATE ? 1 : 0);
        expect(Array.from(w2), what).toEqual(Array.from(w1));
        expect(Array.from(v2), what).toEqual(Array.from(v1));
        // the split only reorders a float64 sum
        expect(Math.abs(s2 - s1), `${what}: ${s2} vs one thread's ${s1}`).toBeLessThanOrEqual(1e-12 * s1);
        // against the change of the stored float32 weights: each Δw is taken before the weight is
        // rounded to float32 (|Δw| ≈ 0.05·|g| against |w| ≤ 1: a relative 1e-5 per term at most)
        let ref = 0;
        for (let i = 0; i < n; i++) ref += (w1[i] - w0[i]) ** 2;
        expect(Math.abs(s2 - ref), `${what}: ${s2} vs float64 of the stored weights ${ref}`).toBeLessThanOrEqual(1e-4 * ref);
      }
    }
  });

  it('serve several heaps (each network has its own memory)', () => {
    setKernelThreads(threads);
    try {
      for (let h = 0; h < 3; h++) {
        const k = createWasmKernels({ minWork: 0, threadMinWork: 0 }) as HeapKernels;
        const A = k.alloc('float32', 64 * 64) as Float32Array;
        A.fill(1);
        const C = k.alloc('float32', 64 * 64) as Float32Array;
        k.gemm(C, A, A, 64, 64, 64, false);
        expect(C.every((v) => v === 64)).toBe(true);
      }
    } finally {
      setKernelThreads(null);
    }
  });
});

describe('the embedded module', () => {
  it('was compiled from the current kernels.as (else run npm run build:wasm)', () => {
    const src = readFileSync(new URL('./kernels.as', import.meta.url), 'utf8');
    expect(createHash('sha256').update(src).digest('hex')).toBe(KERNELS_SOURCE_SHA256);
  });
});

describe('maddPeak (the limit the bench measures the products against)', () => {
  it('computes its 12 chains x ← 0.9999·x + 0.0001 and returns lane 0 of their sum (float64 reference)', () => {
    for (const variant of ['plain', ...(relaxedSupported() ? ['relaxed'] : [])] as KernelVariant[]) {
      const mod = (createWasmKernels({ variant }) as HeapKernels).heap.mod;
      for (const [iters, x] of [[0, 1], [1, 0.5], [1000, -3], [20000, 2]] as const) {
        let want = 0;
        for (let j = 0; j < 12; j++) {
          let a = Math.fround(x + j);
          for (let i = 0; i < iters; i++) a = a * Math.fround(0.9999) + Math.fround(0.0001);
          want += a;
        }
        const got = mod.maddPeak(iters, x);
        // float32 rounding over up to 20,000 steps of a contraction: relative 1e-4
        expect(Math.abs(got - want), `${variant} iters ${iters} x ${x}: got ${got}, float64 ${want}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want)));
      }
    }
  });
});
