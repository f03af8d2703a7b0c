/**
 * Fused elementwise kernels for the layers' hot paths beyond the matrix
 * products: bias + activation + derivative in one pass (a dense layer's
 * forward tail), an activation's backward product, the optimiser updates and
 * the squared gradient norm. `referenceOps` (reference.ts) defines them in
 * plain TypeScript; `wasmFusedOps` runs them on WebAssembly SIMD with the
 * same copy-in/copy-out arena as the products. The layers do not call these
 * yet: they pay off fully once the layers' buffers live in the module's
 * memory (README.md in this folder), because then nothing is copied.
 */
import { Arena } from './arena.js';
import { instantiateKernelsSync, type KernelExports } from './module.js';

/** Activations with a fused kernel (the cheap elementwise ones hot in gradscope's studies). */
export type FusedActivation = 'linear' | 'sigmoid' | 'tanh' | 'relu';

/** Every fused activation, in kernel-code order. */
export const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['linear', 'sigmoid', 'tanh', 'relu'];

/** The fused elementwise kernels; float32 buffers, sizes in elements. */
export interface FusedOps {
  /** Backend name: `reference` or `wasm`. */
  readonly name: string;
  /** z(R,C) += bias(C) on every row (skipped when bias is null), then a = f(z), d = f'(z). */
  biasActivation(act: FusedActivation, a: Float32Array, d: Float32Array, z: Float32Array, bias: Float32Array | null, R: number, C: number): void;
  /** dz = dout ⊙ d over n elements. */
  activationBackward(dz: Float32Array, dout: Float32Array, d: Float32Array, n: number): void;
  /** SGD with Nielsen's L2 factor: w ← decay·w − lr·g; returns ‖Δw‖². */
  sgdStep(w: Float32Array, g: Float32Array, lr: number, decay: number): number;
  /** Momentum: v ← μ·v − lr·g, w ← decay·w + v; returns ‖Δw‖². */
  momentumStep(w: Float32Array, g: Float32Array, v: Float32Array, lr: number, mu: number, decay: number): number;
  /** Σ x², accumulated in float64. */
  sumSquares(x: Float32Array): number;
}

/** Checks that every buffer holds at least n elements; throws naming the kernel and the argument. */
function check(op: string, n: number, bufs: Record<string, Float32Array>): void {
  for (const [name, b] of Object.entries(bufs)) {
    if (b.length < n) throw new RangeError(`${op}: '${name}' has ${b.length} elements, needs ${n}`);
  }
}

/** The fused kernels over one instantiated module. */
export function wasmFusedOpsOver(mod: KernelExports): FusedOps {
  const arena = new Arena(mod);
  return {
    name: 'wasm',
    biasActivation(act, a, d, z, bias, R, C) {
      const n = R * C;
      check('biasActivation', n, { a, d, z });
      if (bias) check('biasActivation', C, { bias });
      const kind = FUSED_ACTIVATIONS.indexOf(act);
      if (kind < 0) throw new RangeError(`biasActivation: no fused kernel for activation '${act}'; expected one of ${FUSED_ACTIVATIONS.join(', ')}`);
      arena.begin(3 * Arena.slot(n) + Arena.slot(C));
      const pz = arena.put(z, n, true);
      const pb = bias ? arena.put(bias, C, true) : 0;
      const pa = arena.put(a, n, false);
      const pd = arena.put(d, n, false);
      mod.biasActivation(kind, pa, pd, pz, pb, R, C, arena.tmp);
      if (bias) arena.take(z, pz, n);
      arena.take(a, pa, n);
      arena.take(d, pd, n);
    },
    activationBackward(dz, dout, d, n) {
      check('activationBackward', n, { dz, dout, d });
      arena.begin(3 * Arena.slot(n));
      const po = arena.put(dout, n, true);
      const pd = arena.put(d, n, true);
      const pz = arena.put(dz, n, false);
      mod.activationBackward(pz, po, pd, n);
      arena.take(dz, pz, n);
    },
    sgdStep(w, g, lr, decay) {
      const n = w.length;
      check('sgdStep', n, { g });
      arena.begin(2 * Arena.slot(n));
      const pw = arena.put(w, n, true);
      const pg = arena.put(g, n, true);
      const sq = mod.sgdStep(pw, pg, n, lr, decay);
      arena.take(w, pw, n);
      return sq;
    },
    momentumStep(w, g, v, lr, mu, decay) {
      const n = w.length;
      check('momentumStep', n, { g, v });
      arena.begin(3 * Arena.slot(n));
      const pw = arena.put(w, n, true);
      const pg = arena.put(g, n, true);
      const pv = arena.put(v, n, true);
      const sq = mod.momentumStep(pw, pg, pv, n, lr, mu, decay);
      arena.take(w, pw, n);
      arena.take(v, pv, n);
      return sq;
    },
    sumSquares(x) {
      const n = x.length;
      arena.begin(Arena.slot(n));
      return mod.sumSquares(arena.put(x, n, true), n);
    },
  };
}

/** The fused kernels on WebAssembly SIMD, or null when this engine lacks SIMD. */
export function createWasmFusedOps(): FusedOps | null {
  const mod = instantiateKernelsSync();
  return mod === null ? null : wasmFusedOpsOver(mod);
}
