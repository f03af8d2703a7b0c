// Shared by the kernel tests: random operands, the largest difference, and operand sizes per layout.
import type { Buf } from './dtype.js';
import type { Rng } from './rng.js';
import type { KernelThreads } from './wasm/threads.js';

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
