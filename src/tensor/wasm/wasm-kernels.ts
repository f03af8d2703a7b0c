/**
 * The `Kernels` interface on WebAssembly SIMD (f32x4), for float32 buffers.
 *
 * Memory: the layers own ordinary Float32Arrays, so each call copies its
 * operands into the module's linear memory (a scratch arena after the
 * module's static data: packing workspace, then A, B, C), runs the kernel and
 * copies C back — memcpy speed, a few percent of a product's time for the
 * layer sizes gradscope trains (measured by `gradscope bench`). Operands that
 * already live in the module's memory (views of `memory.buffer`) are used in
 * place, without a copy. float64 buffers, mixed dtypes and products too small
 * to repay a call go to the TypeScript kernels, which stay the reference.
 */
import { jsKernels, type Kernels } from '../kernels.js';
import type { Buf } from '../dtype.js';
import { instantiateKernels, instantiateKernelsSync, type KernelExports } from './module.js';

/** Tuning of the wasm backend. */
export interface WasmKernelOptions {
  /** Products with M·K·N below this go to the TypeScript kernels (call and copy overhead); 0 sends everything to wasm. */
  readonly minWork?: number;
  /** Where float64, mixed dtypes and small products go (default jsKernels). */
  readonly fallback?: Kernels;
}

/** Below this M·K·N, a call into wasm (and its copies) costs more than the TypeScript loops. */
export const DEFAULT_MIN_WORK = 4096;

const ALIGN = 64;
const PAGE = 65536;

/** Rounds `n` bytes up to the arena's alignment. */
function align(n: number): number {
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}

/**
 * The scratch arena in the module's linear memory: grows (never shrinks) to
 * the largest call seen, and re-creates its Float32Array view whenever growth
 * replaces `memory.buffer`.
 */
class Arena {
  private view: Float32Array;
  /** First free byte after the module's static data, aligned. */
  readonly base: number;
  /** Bytes of the packing workspace at `base`. */
  readonly wsBytes: number;

  constructor(private readonly mod: KernelExports) {
    this.base = align(mod.heapBase());
    this.wsBytes = align(mod.workspaceBytes());
    this.view = new Float32Array(mod.memory.buffer);
  }

  /** The module's memory as float32, with at least `bytes` bytes past the workspace. */
  reserve(bytes: number): Float32Array {
    const need = this.base + this.wsBytes + bytes;
    const have = this.mod.memory.buffer.byteLength;
    if (need > have) this.mod.memory.grow(Math.ceil((need - have) / PAGE));
    if (this.view.buffer !== this.mod.memory.buffer) this.view = new Float32Array(this.mod.memory.buffer);
    return this.view;
  }

  /** Byte offset of the first operand slot (after the workspace). */
  get slots(): number {
    return this.base + this.wsBytes;
  }

  /** True when `x` is a view of the module's memory (usable in place). */
  owns(x: Float32Array): boolean {
    return x.buffer === this.mod.memory.buffer;
  }
}

type GemmName = 'gemm' | 'gemmABt' | 'gemmAtB';

/** Sizes (in elements) of A and B for each layout. */
function operandSizes(op: GemmName, M: number, K: number, N: number): [number, number] {
  return op === 'gemm' ? [M * K, K * N] : op === 'gemmABt' ? [M * K, N * K] : [K * M, K * N];
}

/** The Kernels object over one instantiated module. */
function wrap(mod: KernelExports, opts: WasmKernelOptions): Kernels {
  const arena = new Arena(mod);
  const fb = opts.fallback ?? jsKernels;
  const minWork = opts.minWork ?? DEFAULT_MIN_WORK;

  const product = (op: GemmName) =>
    function (C: Buf, A: Buf, B: Buf, M: number, K: number, N: number, acc: boolean): void {
      if (!(C instanceof Float32Array && A instanceof Float32Array && B instanceof Float32Array) || M * K * N < minWork || M === 0 || N === 0) {
        fb[op](C, A, B, M, K, N, acc);
        return;
      }
      const [na, nb] = operandSizes(op, M, K, N);
      const nc = M * N;
      // operands already in wasm memory stay where they are; the others get a slot each
      const inA = arena.owns(A), inB = arena.owns(B), inC = arena.owns(C);
      const bytes = (inA ? 0 : align(na * 4)) + (inB ? 0 : align(nb * 4)) + (inC ? 0 : align(nc * 4));
      const heap = arena.reserve(bytes);
      let slot = arena.slots;
      const place = (x: Float32Array, n: number, inside: boolean, copyIn: boolean): number => {
        if (inside) return x.byteOffset;
        const at = slot;
        slot += align(n * 4);
        if (copyIn) heap.set(x.length === n ? x : x.subarray(0, n), at >> 2);
        return at;
      };
      const a = place(A, na, inA, true);
      const b = place(B, nb, inB, true);
      const c = place(C, nc, inC, acc);
      mod[op](c, a, b, M, K, N, acc ? 1 : 0, arena.base);
      if (!inC) C.set(heap.subarray(c >> 2, (c >> 2) + nc));
    };

  return {
    name: 'wasm',
    gemm: product('gemm'),
    gemmABt: product('gemmABt'),
    gemmAtB: product('gemmAtB'),
    // O(R·C) work on data that would have to be copied anyway: the TypeScript loops are as fast
    addRow: (X, b, R, C) => fb.addRow(X, b, R, C),
    sumRows: (out, X, R, C, acc) => fb.sumRows(out, X, R, C, acc),
  };
}

/** WebAssembly SIMD kernels on a fresh module, or null when this engine lacks SIMD or refuses synchronous compilation. */
export function createWasmKernels(opts: WasmKernelOptions = {}): Kernels | null {
  const mod = instantiateKernelsSync();
  return mod === null ? null : wrap(mod, opts);
}

/** Like createWasmKernels, but compiles asynchronously (the way for a browser's main thread). */
export async function createWasmKernelsAsync(opts: WasmKernelOptions = {}): Promise<Kernels | null> {
  const mod = await instantiateKernels();
  return mod === null ? null : wrap(mod, opts);
}

let shared: Kernels | undefined;

/** The fastest kernels this engine runs: WebAssembly SIMD when available (float32), else jsKernels. */
export function fastKernels(): Kernels {
  shared ??= createWasmKernels() ?? jsKernels;
  return shared;
}

/** fastKernels() for a browser's main thread, where only asynchronous compilation is allowed. */
export async function loadFastKernels(): Promise<Kernels> {
  shared ??= (await createWasmKernelsAsync()) ?? jsKernels;
  return shared;
}
