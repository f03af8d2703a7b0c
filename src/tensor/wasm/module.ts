/**
 * Loads gradscope's WebAssembly SIMD kernels: decodes the embedded bytes
 * (kernels-wasm.ts), checks that the engine supports SIMD, and instantiates
 * the module — synchronously where the platform allows it (Node, Web
 * Workers), asynchronously everywhere (browser main threads refuse to compile
 * large modules synchronously). Works unchanged in Node and in browsers.
 */
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/** What kernels.as exports; pointers and sizes are byte offsets and element counts, booleans are 0/1. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  workspaceBytes(): number;
  gemm(c: number, a: number, b: number, M: number, K: number, N: number, acc: number, ws: number): void;
  gemmABt(c: number, a: number, b: number, M: number, K: number, N: number, acc: number, ws: number): void;
  gemmAtB(c: number, a: number, b: number, M: number, K: number, N: number, acc: number, ws: number): void;
  biasActivation(kind: number, a: number, d: number, z: number, bias: number, R: number, C: number, tmp: number): void;
  activationBackward(dz: number, dout: number, d: number, n: number): void;
  sgdStep(w: number, g: number, n: number, lr: number, decay: number): number;
  momentumStep(w: number, g: number, v: number, n: number, lr: number, mu: number, decay: number): number;
  sumSquares(x: number, n: number): number;
}

/** Every function kernels.as must export. */
const FUNCTIONS = ['heapBase', 'workspaceBytes', 'gemm', 'gemmABt', 'gemmAtB', 'biasActivation', 'activationBackward', 'sgdStep', 'momentumStep', 'sumSquares'];

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

let bytesCache: Uint8Array | undefined;

/** The kernel module's bytes (decoded once). */
export function kernelBytes(): Uint8Array {
  bytesCache ??= decodeBase64(KERNELS_WASM_BASE64);
  return bytesCache;
}

/** Checks that an instance has every export the kernels need. */
function asExports(instance: WebAssembly.Instance): KernelExports {
  const e = instance.exports as Record<string, unknown>;
  for (const name of FUNCTIONS) {
    if (typeof e[name] !== 'function') throw new Error(`wasm kernels: the module lacks the export '${name}' (rebuild with npm run build:wasm)`);
  }
  if (!(e.memory instanceof WebAssembly.Memory)) throw new Error("wasm kernels: the module lacks the export 'memory'");
  return e as unknown as KernelExports;
}

/** Instantiates a fresh kernel module synchronously; null when SIMD is missing or synchronous compilation is refused. */
export function instantiateKernelsSync(): KernelExports | null {
  if (!simdSupported()) return null;
  try {
    return asExports(new WebAssembly.Instance(new WebAssembly.Module(kernelBytes() as BufferSource), {}));
  } catch {
    return null;
  }
}

/** Instantiates a fresh kernel module asynchronously; null when SIMD is missing. */
export async function instantiateKernels(): Promise<KernelExports | null> {
  if (!simdSupported()) return null;
  try {
    const { instance } = await WebAssembly.instantiate(kernelBytes() as BufferSource, {});
    return asExports(instance);
  } catch {
    return null;
  }
}
