// Shared by the kernel tests: random operands, the largest difference, and operand sizes per layout.
import type { Buf } from './dtype.js';
import type { Kernels } from './kernels.js';
import type { Rng } from './rng.js';
import { setKernelThreads, type KernelThreads } from './wasm/threads.js';

/** The three matrix-product layouts. */
export type Gemm = 'gemm' | 'gemmABt' | 'gemmAtB';

/** n normal draws (a third of them zero when `zeros`, to exercise sparse skips). */
export function rand(n: number, rng: Rng, F: typeof Float32Array | typeof Float64Array = Float32Array, zeros = false): Buf {
  const a = new F(n);
  for (let i = 0; i < n; i++) a[i] = zeros && rng.uniform() < 0.3 ? 0 : rng.normal();
  return a;
}

/** max |a − b| over the elements. */
export function maxDiff(a: Buf, b: Buf): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A float32 buffer from `k.alloc` (in a wasm heap's memory) holding x. */
export function inHeap(k: Kernels, x: ArrayLike<number>): Float32Array {
  const v = (k.alloc ? k.alloc('float32', x.length) : new Float32Array(x.length)) as Float32Array;
  v.set(x);
  return v;
}

/**
 * k[op] accumulated into two copies of C: on one thread, then split over
 * `threads` (no kernel threads set afterwards); the two results.
 */
export function oneThreadAndSplit(k: Kernels, op: Gemm, threads: KernelThreads, C: Float32Array, A: Buf, B: Buf, M: number, K: number, N: number): [number[], number[]] {
  const one = inHeap(k, C);
  const split = inHeap(k, C);
  setKernelThreads(null);
  k[op](one, A, B, M, K, N, true);
  setKernelThreads(threads);
  try {
    k[op](split, A, B, M, K, N, true);
  } finally {
    setKernelThreads(null);
  }
  return [Array.from(one), Array.from(split)];
}

/** Element counts of A and B for each layout. */
export function sizes(op: Gemm, M: number, K: number, N: number): [number, number] {
  if (op === 'gemm') return [M * K, K * N];
  if (op === 'gemmABt') return [M * K, N * K];
  return [K * M, K * N];
}

/** `pool` with counts of the products and optimiser updates it split, so a test can tell that the threads did work. */
export function countingThreads(pool: KernelThreads): { threads: KernelThreads; splits: () => number; updates: () => number } {
  let n = 0;
  let u = 0;
  const threads: KernelThreads = {
    size: pool.size,
    product: (...a) => (pool.product(...a) ? (n++, true) : false),
    update: (...a) => {
      const r = pool.update(...a);
      if (r !== null) u++;
      return r;
    },
    whenReady: () => pool.whenReady(),
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
  return { threads, splits: () => n, updates: () => u };
}
