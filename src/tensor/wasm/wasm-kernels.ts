/**
 * The `Kernels` interface on WebAssembly SIMD (f32x4), for float32 buffers,
 * and `fastKernels()`, which picks it when the engine supports SIMD and falls
 * back to the TypeScript kernels otherwise.
 *
 * Each product copies A and B (and C when accumulating) into the module's
 * memory and C back out (arena.ts): memcpy speed, a few percent of a
 * product's time at the layer sizes gradscope trains. float64 buffers, mixed
 * dtypes and products too small to repay a call go to the fallback (the
 * TypeScript kernels, which stay the reference).
 */
import { jsKernels, type Kernels } from '../kernels.js';
import type { Buf } from '../dtype.js';
import { Arena } from './arena.js';
import { instantiateKernels, instantiateKernelsSync, type KernelExports } from './module.js';

/** Tuning of the wasm backend. */
export interface WasmKernelOptions {
  /** Products with M·K·N below this go to the fallback; 0 sends every float32 product to wasm. */
  readonly minWork?: number;
  /** Where float64, mixed dtypes and small products go (default jsKernels). */
  readonly fallback?: Kernels;
}

/** Below this M·K·N a call into wasm (and its copies) costs about as much as the TypeScript loops. */
export const DEFAULT_MIN_WORK = 256;

type GemmName = 'gemm' | 'gemmABt' | 'gemmAtB';

/** The Kernels object over one instantiated module. */
export function wasmKernelsOver(mod: KernelExports, opts: WasmKernelOptions = {}): Kernels {
  const arena = new Arena(mod);
  const fb = opts.fallback ?? jsKernels;
  const minWork = opts.minWork ?? DEFAULT_MIN_WORK;

  // A is M·K elements and B is K·N in all three layouts; only their shapes differ
  const product = (op: GemmName) =>
    function (C: Buf, A: Buf, B: Buf, M: number, K: number, N: number, acc: boolean): void {
      const nc = M * N;
      if (!(C instanceof Float32Array && A instanceof Float32Array && B instanceof Float32Array) || nc * K < minWork || nc === 0) {
        fb[op](C, A, B, M, K, N, acc);
        return;
      }
      const na = M * K;
      const nb = K * N;
      arena.begin(Arena.slot(na) + Arena.slot(nb) + Arena.slot(nc));
      const a = arena.put(A, na, true);
      const b = arena.put(B, nb, true);
      const c = arena.put(C, nc, acc);
      mod[op](c, a, b, M, K, N, acc ? 1 : 0, arena.workspace);
      arena.take(C, c, nc);
    };

  return {
    name: 'wasm',
    gemm: product('gemm'),
    gemmABt: product('gemmABt'),
    gemmAtB: product('gemmAtB'),
    // O(R·C) work on data that would have to be copied in and out: the TypeScript loops are as fast
    addRow: (X, b, R, C) => fb.addRow(X, b, R, C),
    sumRows: (out, X, R, C, acc) => fb.sumRows(out, X, R, C, acc),
  };
}

/** WebAssembly SIMD kernels on a fresh module, or null when this engine lacks SIMD or refuses synchronous compilation. */
export function createWasmKernels(opts: WasmKernelOptions = {}): Kernels | null {
  const mod = instantiateKernelsSync();
  return mod === null ? null : wasmKernelsOver(mod, opts);
}

/** Like createWasmKernels, but compiles asynchronously (the way for a browser's main thread). */
export async function createWasmKernelsAsync(opts: WasmKernelOptions = {}): Promise<Kernels | null> {
  const mod = await instantiateKernels();
  return mod === null ? null : wasmKernelsOver(mod, opts);
}

let shared: Kernels | undefined;

/** The fastest kernels this engine runs: WebAssembly SIMD when available (float32 products), else jsKernels. */
export function fastKernels(): Kernels {
  shared ??= createWasmKernels() ?? jsKernels;
  return shared;
}

/** fastKernels() for a browser's main thread, where only asynchronous compilation is allowed. */
export async function loadFastKernels(): Promise<Kernels> {
  shared ??= (await createWasmKernelsAsync()) ?? jsKernels;
  return shared;
}
