/**
 * The `Kernels` interface on WebAssembly SIMD, over a heap (heap.ts): float32
 * operands in the heap's memory are passed in place; other float32 operands
 * are copied in and C back out (memcpy speed). float64 buffers, mixed dtypes
 * and products too small to repay a call go to the fallback (the TypeScript
 * kernels, which stay the reference). Large products are split across the
 * kernel threads (threads.ts) when some are running and the heap is shared:
 * every element is still computed by one thread in the same order, so the
 * result is bit-identical to one thread's.
 *
 * `fastKernels()` is one process-wide instance for ad-hoc products; a network
 * calls `forNetwork()` on it for a heap of its own, whose `alloc` places the
 * network's buffers in that memory (on a shared heap).
 */
import type { Buf, DType } from '../dtype.js';
import { alloc } from '../dtype.js';
import { jsKernels, type Kernels } from '../kernels.js';
import { heapFusedOps } from './fused.js';
import { Heap } from './heap.js';
import { defaultVariant, kernelModule, kernelModuleAsync, sharedMemorySupported, type KernelVariant } from './module.js';
import { planSparse, SPARSE_CODES, type SparsePlan } from './sparse.js';
import { kernelThreads, PRODUCT_CODES, type ProductName } from './threads.js';

/** Tuning of the wasm backend. */
export interface WasmKernelOptions {
  /** Products with M·K·N below this go to the fallback; 0 sends every float32 product to wasm. */
  readonly minWork?: number;
  /** Products with M·K·N at least this are split across the kernel threads (when any run). */
  readonly threadMinWork?: number;
  /** Where float64, mixed dtypes and small products go (default jsKernels). */
  readonly fallback?: Kernels;
  /** Instruction set: `relaxed` (fused multiply-add, where the engine runs it) or `plain`; default the best available. */
  readonly variant?: KernelVariant;
  /** Use an unshared memory even where a shared one is possible (it then hands out no buffers). */
  readonly unshared?: boolean;
  /** Hand out no buffers (`alloc` gives ordinary arrays), only copy operands through scratch: the process-wide instance, whose memory lives as long as the process. */
  readonly scratchOnly?: boolean;
}

/** Below this M·K·N a call into wasm, with its copies, costs about as much as the TypeScript loops. */
export const DEFAULT_MIN_WORK = 256;

/** The same for operands already in the heap: an 8×8×8 product takes 0.13 µs in wasm, 0.5 µs in the TypeScript loops. */
const MIN_WORK_IN_PLACE = 32;

/** From this M·K·N (≈ 40 µs on one core) a product is split across threads: the hand-off costs a few µs. */
export const DEFAULT_THREAD_MIN_WORK = 1 << 20;

/** The wasm Kernels over one heap, with its heap and fused kernels exposed. */
export interface HeapKernels extends Kernels {
  readonly heap: Heap;
  readonly fused: ReturnType<typeof heapFusedOps>;
  forNetwork(): HeapKernels;
}

/** The Kernels object over one heap. */
export function heapKernels(heap: Heap, opts: WasmKernelOptions = {}): HeapKernels {
  const mod = heap.mod;
  const fb = opts.fallback ?? jsKernels;
  const minWork = opts.minWork ?? DEFAULT_MIN_WORK;
  const minInPlace = Math.min(minWork, MIN_WORK_IN_PLACE);
  const threadMinWork = opts.threadMinWork ?? DEFAULT_THREAD_MIN_WORK;
  const own = (x: Buf): x is Float32Array => x instanceof Float32Array && heap.owns(x);

  // A is M·K elements and B is K·N in all three layouts; only their shapes differ
  const product = (op: ProductName) => {
    const code = PRODUCT_CODES[op];
    const run = mod[op];
    const plan: SparsePlan = { code: 0, a: 0, b: 0, work: 0 };
    return function (C: Buf, A: Buf, B: Buf, M: number, K: number, N: number, acc: boolean): void {
      const nc = M * N;
      const na = M * K;
      const nb = K * N;
      if (!(C instanceof Float32Array && A instanceof Float32Array && B instanceof Float32Array) || nc === 0 || nc * K < minInPlace) {
        fb[op](C, A, B, M, K, N, acc);
        return;
      }
      const inA = heap.owns(A);
      const inB = heap.owns(B);
      const inC = heap.owns(C);
      if (nc * K < (inA && inB && inC ? minInPlace : minWork)) {
        fb[op](C, A, B, M, K, N, acc);
        return;
      }
      if (C.length < nc || A.length < na || B.length < nb) throw new RangeError(`${op}: operands of ${C.length}, ${A.length}, ${B.length} elements are too short for M, K, N = ${M}, ${K}, ${N}`);
      let a = A.byteOffset;
      let b = B.byteOffset;
      let c = C.byteOffset;
      if (!(inA && inB && inC)) {
        heap.begin((inA ? 0 : Heap.slot(na)) + (inB ? 0 : Heap.slot(nb)) + (inC ? 0 : Heap.slot(nc)));
        if (!inA) a = heap.put(A, na, true);
        if (!inB) b = heap.put(B, nb, true);
        if (!inC) c = heap.put(C, nc, acc);
      }
      const sparse = planSparse(plan, heap, op, a, b, M, K, N);
      const pool = (sparse ? plan.work : nc * K) >= threadMinWork && heap.shared ? kernelThreads() : null;
      if (sparse) {
        if (pool === null || !pool.product(heap, plan.code, c, plan.a, plan.b, M, K, N, acc)) (plan.code === SPARSE_CODES.gemmABtSparse ? mod.gemmABtSparse : mod.gemmAtBSparse)(c, plan.a, plan.b, M, K, N, acc ? 1 : 0, heap.ws, 0, M, 0, N, 0);
      } else if (pool === null || !pool.product(heap, code, c, a, b, M, K, N, acc)) run(c, a, b, M, K, N, acc ? 1 : 0, heap.ws, 0, M, 0, N, 1);
      if (!inC) heap.take(C, c, nc);
    };
  };

  const k: HeapKernels = {
    name: 'wasm',
    heap,
    gemm: product('gemm'),
    gemmABt: product('gemmABt'),
    gemmAtB: product('gemmAtB'),
    addRow(X, b, R, C) {
      if (own(X) && own(b) && X.length >= R * C && b.length >= C) mod.addRow(X.byteOffset, b.byteOffset, R, C);
      else fb.addRow(X, b, R, C);
    },
    sumRows(out, X, R, C, acc) {
      if (own(out) && own(X) && X.length >= R * C && out.length >= C) mod.sumRows(out.byteOffset, X.byteOffset, R, C, acc ? 1 : 0);
      else fb.sumRows(out, X, R, C, acc);
    },
    alloc(dtype: DType, n: number): Buf {
      return dtype === 'float32' && heap.shared && !opts.scratchOnly ? heap.alloc(n) : alloc(dtype, n);
    },
    forNetwork(): HeapKernels {
      return heap.shared ? heapKernels(new Heap(heap.module, heap.variant, true), { ...opts, scratchOnly: false }) : k;
    },
    fused: heapFusedOps(heap),
  };
  return k;
}

/** WebAssembly SIMD kernels on a fresh heap, or null when this engine lacks SIMD or refuses synchronous compilation. */
export function createWasmKernels(opts: WasmKernelOptions = {}): HeapKernels | null {
  const shared = !opts.unshared && sharedMemorySupported();
  const variant = opts.variant ?? defaultVariant();
  const module = kernelModule(variant, shared);
  return module === null ? null : heapKernels(new Heap(module, variant, shared), opts);
}

/** Like createWasmKernels, but compiles asynchronously (the way for a browser's main thread). */
export async function createWasmKernelsAsync(opts: WasmKernelOptions = {}): Promise<HeapKernels | null> {
  const shared = !opts.unshared && sharedMemorySupported();
  const variant = opts.variant ?? defaultVariant();
  const module = await kernelModuleAsync(variant, shared);
  return module === null ? null : heapKernels(new Heap(module, variant, shared), opts);
}

let shared: Kernels | undefined;

/**
 * The fastest kernels this engine runs: WebAssembly SIMD when available
 * (float32 products), else jsKernels. One instance per process, for ad-hoc
 * products: it hands out no buffers (its memory is never freed), so build
 * networks with `networkKernels()`, which gives each its own memory.
 */
export function fastKernels(): Kernels {
  shared ??= createWasmKernels({ scratchOnly: true }) ?? jsKernels;
  return shared;
}

/** fastKernels() for a browser's main thread, where only asynchronous compilation is allowed. */
export async function loadFastKernels(): Promise<Kernels> {
  shared ??= (await createWasmKernelsAsync({ scratchOnly: true })) ?? jsKernels;
  return shared;
}

/** The kernels a new network should use: a heap of its own from `k` when the backend has heaps, else `k` itself. */
export function networkKernels(k: Kernels = fastKernels()): Kernels {
  return k.forNetwork ? k.forNetwork() : k;
}
