/**
 * Loads gradscope's WebAssembly SIMD kernels: decodes the embedded bytes
 * (kernels-wasm.ts), checks what the engine supports — 128-bit SIMD, relaxed
 * SIMD (the products then use fused multiply-add), shared memory (worker
 * threads; in a browser only on a cross-origin-isolated page) — and compiles
 * the module once per variant, synchronously where the platform allows it
 * (Node, Web Workers) or asynchronously (browser main threads refuse to
 * compile large modules synchronously). Instances are made over a memory the
 * caller creates (heap.ts). Works unchanged in Node and in browsers.
 */
import { KERNELS_MAX_PAGES, KERNELS_MEMORY_FLAGS_AT, KERNELS_RELAXED, KERNELS_SIMD } from './kernels-wasm.js';

/** What kernels.as exports; pointers and sizes are byte offsets and element counts, booleans are 0/1. */
export interface KernelExports {
  heapBase(): number;
  workspaceBytes(): number;
  /**
   * The block of rows m0..m1 and columns n0..n1 of the product (gemmABt,
   * gemmAtB alike). `keep`: 0 packs A's panels one at a time; 1 keeps them
   * all in the workspace (where they fit), for the later blocks of columns
   * and for a next call with 2 on the same A, the same rows and workspace.
   */
  gemm(c: number, a: number, b: number, M: number, K: number, N: number, acc: number, ws: number, m0: number, m1: number, n0: number, n1: number, keep: number): void;
  gemmABt(c: number, a: number, b: number, M: number, K: number, N: number, acc: number, ws: number, m0: number, m1: number, n0: number, n1: number, keep: number): void;
  gemmAtB(c: number, a: number, b: number, M: number, K: number, N: number, acc: number, ws: number, m0: number, m1: number, n0: number, n1: number, keep: number): void;
  /** Nonzeros among the first n float32 at x. */
  countNonzeros(x: number, n: number): number;
  /** Runs of 8 among the first n float32 at x that hold a nonzero. */
  nonzeroStrips(x: number, n: number): number;
  /** Bytes of a nonzero list of `lines` lines with at most `cap` entries. */
  sparseBytes(lines: number, cap: number): number;
  /** Lists A(M,K)'s nonzeros row by row (offsets k·scale); their number, or −1 past `cap`. */
  sparseRows(a: number, M: number, K: number, list: number, cap: number, scale: number): number;
  /** The largest K gemmABtSparse takes. */
  sparseMaxK(): number;
  /** gemmABt with A given by its rows' nonzero list (scale 32); `keep` unused. */
  gemmABtSparse(c: number, list: number, b: number, M: number, K: number, N: number, acc: number, ws: number, m0: number, m1: number, n0: number, n1: number, keep: number): void;
  /** gemmAtB for a sparse B: its 8-column strips packed without their all-zero rows; `keep` unused. */
  gemmAtBSparse(c: number, a: number, list: number, M: number, K: number, N: number, acc: number, ws: number, m0: number, m1: number, n0: number, n1: number, keep: number): void;
  biasActivation(kind: number, a: number, d: number, z: number, bias: number, R: number, C: number, tmp: number): void;
  activationBackward(dz: number, dout: number, d: number, n: number): void;
  sgdStep(w: number, g: number, n: number, lr: number, decay: number): number;
  momentumStep(w: number, g: number, v: number, n: number, lr: number, mu: number, decay: number): number;
  addRow(x: number, b: number, R: number, C: number): void;
  sumRows(out: number, x: number, R: number, C: number, acc: number): void;
  sumSquares(x: number, n: number): number;
  lstmForward(a: number, cPrev: number, c: number, tc: number, h: number, B: number, H: number): void;
  lstmBackward(dz: number, a: number, tc: number, cPrev: number, dh: number, dc: number, B: number, H: number, cut: number): void;
  /** `iters` rounds of 12 independent multiply-adds on registers (96 flops a round): the limit the products are measured against. */
  maddPeak(iters: number, x: number): number;
}

/** Every function kernels.as must export. */
const FUNCTIONS = ['heapBase', 'workspaceBytes', 'gemm', 'gemmABt', 'gemmAtB', 'countNonzeros', 'nonzeroStrips', 'sparseBytes', 'sparseRows', 'sparseMaxK', 'gemmABtSparse', 'gemmAtBSparse', 'biasActivation', 'activationBackward', 'sgdStep', 'momentumStep', 'addRow', 'sumRows', 'sumSquares', 'lstmForward', 'lstmBackward', 'maddPeak'];

/** The two instruction sets the kernels are built for. */
export type KernelVariant = 'plain' | 'relaxed';

/** Pages the kernels' memory may grow to (all of wasm32's 4 GiB). */
export const MAX_PAGES = KERNELS_MAX_PAGES;

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt drop)) — the smallest module using SIMD.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** True when this engine has WebAssembly with 128-bit SIMD. */
export function simdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Decodes base64 with the platform's `atob` (Node ≥ 16 and every browser). */
function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const bytesCache = new Map<string, Uint8Array>();

/** The bytes of one variant; the unshared one has the memory import's flags byte patched from 0x03 to 0x01. */
export function kernelBytes(variant: KernelVariant, shared: boolean): Uint8Array {
  const key = `${variant}/${shared}`;
  let b = bytesCache.get(key);
  if (b === undefined) {
    b = decodeBase64(variant === 'relaxed' ? KERNELS_RELAXED : KERNELS_SIMD);
    if (b[KERNELS_MEMORY_FLAGS_AT] !== 0x03) throw new Error(`wasm kernels: byte ${KERNELS_MEMORY_FLAGS_AT} is not the memory import's flags (rebuild with npm run build:wasm)`);
    if (!shared) b[KERNELS_MEMORY_FLAGS_AT] = 0x01;
    bytesCache.set(key, b);
  }
  return b;
}

let relaxedCache: boolean | undefined;

/** True when this engine runs relaxed SIMD (Chromium; Node ≥ 22, or Node 20 with --experimental-wasm-relaxed-simd). */
export function relaxedSupported(): boolean {
  if (relaxedCache === undefined) {
    try {
      relaxedCache = simdSupported() && WebAssembly.validate(kernelBytes('relaxed', false) as BufferSource);
    } catch {
      relaxedCache = false;
    }
  }
  return relaxedCache;
}

let sharedCache: boolean | undefined;

/**
 * True when a shared WebAssembly memory can be created and handed to other
 * threads: always in Node; in a browser only where the page is
 * cross-origin isolated (COOP same-origin and COEP require-corp).
 */
export function sharedMemorySupported(): boolean {
  if (sharedCache === undefined) {
    const g = globalThis as { crossOriginIsolated?: boolean };
    try {
      sharedCache =
        typeof SharedArrayBuffer === 'function' &&
        g.crossOriginIsolated !== false &&
        new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer &&
        WebAssembly.validate(kernelBytes('plain', true) as BufferSource);
    } catch {
      sharedCache = false;
    }
  }
  return sharedCache;
}

/** The variant used unless asked otherwise: relaxed where the engine runs it. */
export function defaultVariant(): KernelVariant {
  return relaxedSupported() ? 'relaxed' : 'plain';
}

const modules = new Map<string, WebAssembly.Module>();

/** The variant's module compiled once by `compile` (sync or async); null when the engine cannot run it or compiling fails. */
function compiled<R extends WebAssembly.Module | Promise<WebAssembly.Module>>(variant: KernelVariant, shared: boolean, compile: (bytes: BufferSource) => R): WebAssembly.Module | R | null {
  if (!simdSupported() || (variant === 'relaxed' && !relaxedSupported())) return null;
  const key = `${variant}/${shared}`;
  const m = modules.get(key);
  if (m !== undefined) return m;
  try {
    const r = compile(kernelBytes(variant, shared) as BufferSource);
    if (r instanceof WebAssembly.Module) modules.set(key, r);
    else void r.then((x) => modules.set(key, x), () => undefined);
    return r;
  } catch {
    return null;
  }
}

/** The compiled module of a variant (compiled once); null when SIMD is missing or synchronous compilation is refused. */
export function kernelModule(variant: KernelVariant, shared: boolean): WebAssembly.Module | null {
  return compiled(variant, shared, (b) => new WebAssembly.Module(b));
}

/** Like kernelModule, compiling asynchronously (the way for a browser's main thread). */
export async function kernelModuleAsync(variant: KernelVariant, shared: boolean): Promise<WebAssembly.Module | null> {
  try {
    return await compiled(variant, shared, (b) => WebAssembly.compile(b));
  } catch {
    return null;
  }
}

/** Instantiates a compiled kernel module over `memory` and checks its exports. */
export function instantiateOver(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const e = instance.exports as Record<string, unknown>;
  for (const name of FUNCTIONS) {
    if (typeof e[name] !== 'function') throw new Error(`wasm kernels: the module lacks the export '${name}' (rebuild with npm run build:wasm)`);
  }
  return e as unknown as KernelExports;
}
