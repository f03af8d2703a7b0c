/**
 * Fused elementwise kernels for the layers' hot paths beyond the matrix
 * products: bias + activation + derivative in one pass (a dense layer's
 * forward tail), an activation's backward product, the optimiser updates,
 * the squared gradient norm and the LSTM's per-step gate arithmetic.
 * `referenceOps` (reference.ts) defines them in plain TypeScript;
 * `heapFusedOps` runs them on WebAssembly SIMD over a heap: on buffers in the
 * heap's memory in place, on any other float32 buffer through a copy.
 */
import type { Buf } from '../dtype.js';
import { Heap } from './heap.js';
import { kernelThreads, UPDATE_CODES, type KernelThreads } from './threads.js';

/** Activations with a fused kernel (the cheap elementwise ones hot in gradscope's studies). */
export type FusedActivation = 'linear' | 'sigmoid' | 'tanh' | 'relu';

/** Every fused activation, in kernel-code order. */
export const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['linear', 'sigmoid', 'tanh', 'relu'];

/** True when `name` has a fused kernel. */
export function isFusedActivation(name: string): name is FusedActivation {
  return (FUSED_ACTIVATIONS as readonly string[]).includes(name);
}

/** The fused elementwise kernels; sizes in elements. The wasm implementation takes float32 buffers only. */
export interface FusedOps {
  /** Backend name: `reference` or `wasm`. */
  readonly name: string;
  /** z(R,C) += bias(C) on every row (skipped when bias is null), then a = f(z), d = f'(z). */
  biasActivation(act: FusedActivation, a: Buf, d: Buf, z: Buf, bias: Buf | null, R: number, C: number): void;
  /** dz = dout ⊙ d over n elements. */
  activationBackward(dz: Buf, dout: Buf, d: Buf, n: number): void;
  /** SGD with Nielsen's L2 factor over w[0..n): w ← decay·w − lr·g (float64 arithmetic, rounded once); returns ‖Δw‖². */
  sgdStep(w: Buf, g: Buf, lr: number, decay: number): number;
  /** Momentum over w[0..n): v ← μ·v − lr·g, w ← decay·w + v; returns ‖Δw‖². */
  momentumStep(w: Buf, g: Buf, v: Buf, lr: number, mu: number, decay: number): number;
  /** Σ x², accumulated in float64. */
  sumSquares(x: Buf): number;
  /** One LSTM forward step: a(B,4H) pre-activations in, gates [i f g o] out; c = f⊙cPrev + i⊙g, tc = tanh(c), h = o⊙tc. */
  lstmForward(a: Buf, cPrev: Buf, c: Buf, tc: Buf, h: Buf, B: number, H: number): void;
  /** One LSTM backward step: dz(B,4H) from the gates, tc, cPrev, dh and the carried dc; dc ← dc_t·f, or 0 when `cut`. */
  lstmBackward(dz: Buf, a: Buf, tc: Buf, cPrev: Buf, dh: Buf, dc: Buf, B: number, H: number, cut: boolean): void;
}

/** Throws unless buffer `x` holds at least n elements, naming the kernel and the argument. */
function need(op: string, name: string, x: Buf, n: number): void {
  if (x.length < n) throw new RangeError(`${op}: '${name}' has ${x.length} elements, needs ${n}`);
}

/** One operand of a copied call: its name, buffer, element count, and whether the kernel reads and writes it. */
type Operand = readonly [name: string, x: Buf, n: number, read: boolean, write: boolean];

/**
 * Runs a kernel on operands of which some live outside the heap: copies them
 * into scratch, calls `run` with every operand's address, copies the written
 * ones back. (Operands all in the heap never come here: they are passed in
 * place, with no allocation.)
 */
function copied<T>(heap: Heap, op: string, ops: readonly Operand[], run: (p: number[]) => T): T {
  let bytes = 0;
  for (const [name, x, n] of ops) {
    if (!(x instanceof Float32Array)) throw new TypeError(`${op}: '${name}' must be a Float32Array for the wasm kernels`);
    if (!heap.owns(x)) bytes += Heap.slot(n);
  }
  heap.begin(bytes);
  const p = ops.map(([, x, n, read]) => (heap.owns(x) ? x.byteOffset : heap.put(x as Float32Array, n, read)));
  const r = run(p);
  ops.forEach(([, x, n, , write], i) => {
    if (write && !heap.owns(x)) heap.take(x as Float32Array, p[i], n);
  });
  return r;
}

/** From this many elements an optimiser update is split over the kernel threads (≈ 40 µs on one core; the hand-off costs a few). */
export const THREAD_MIN_UPDATE = 1 << 15;

/** The fused kernels over one heap. */
export function heapFusedOps(heap: Heap): FusedOps {
  const mod = heap.mod;
  const own = (x: Buf): boolean => x instanceof Float32Array && heap.owns(x);
  // the kernel threads for an update of n elements on this heap, when there are any and it pays
  const threaded = (n: number): KernelThreads | null => (n >= THREAD_MIN_UPDATE && heap.shared ? kernelThreads() : null);
  return {
    name: 'wasm',
    biasActivation(act, a, d, z, bias, R, C) {
      const n = R * C;
      need('biasActivation', 'a', a, n);
      need('biasActivation', 'd', d, n);
      need('biasActivation', 'z', z, n);
      if (bias) need('biasActivation', 'bias', bias, C);
      const kind = FUSED_ACTIVATIONS.indexOf(act);
      if (kind < 0) throw new RangeError(`biasActivation: no fused kernel for activation '${act}'; expected one of ${FUSED_ACTIVATIONS.join(', ')}`);
      if (own(a) && own(d) && own(z) && (bias === null || own(bias))) {
        mod.biasActivation(kind, a.byteOffset, d.byteOffset, z.byteOffset, bias ? bias.byteOffset : 0, R, C, heap.tmp);
        return;
      }
      const ops: Operand[] = [['a', a, n, false, true], ['d', d, n, false, true], ['z', z, n, true, bias !== null]];
      if (bias) ops.push(['bias', bias, C, true, false]);
      copied(heap, 'biasActivation', ops, (p) => mod.biasActivation(kind, p[0], p[1], p[2], bias ? p[3] : 0, R, C, heap.tmp));
    },
    activationBackward(dz, dout, d, n) {
      need('activationBackward', 'dz', dz, n);
      need('activationBackward', 'dout', dout, n);
      need('activationBackward', 'd', d, n);
      if (own(dz) && own(dout) && own(d)) return mod.activationBackward(dz.byteOffset, dout.byteOffset, d.byteOffset, n);
      copied(heap, 'activationBackward', [['dz', dz, n, false, true], ['dout', dout, n, true, false], ['d', d, n, true, false]], (p) => mod.activationBackward(p[0], p[1], p[2], n));
    },
    sgdStep(w, g, lr, decay) {
      const n = w.length;
      need('sgdStep', 'g', g, n);
      if (own(w) && own(g)) return threaded(n)?.update(heap, UPDATE_CODES.sgd, w.byteOffset, g.byteOffset, 0, n, lr, 0, decay) ?? mod.sgdStep(w.byteOffset, g.byteOffset, n, lr, decay);
      return copied(heap, 'sgdStep', [['w', w, n, true, true], ['g', g, n, true, false]], (p) => mod.sgdStep(p[0], p[1], n, lr, decay));
    },
    momentumStep(w, g, v, lr, mu, decay) {
      const n = w.length;
      need('momentumStep', 'g', g, n);
      need('momentumStep', 'v', v, n);
      if (own(w) && own(g) && own(v)) return threaded(n)?.update(heap, UPDATE_CODES.momentum, w.byteOffset, g.byteOffset, v.byteOffset, n, lr, mu, decay) ?? mod.momentumStep(w.byteOffset, g.byteOffset, v.byteOffset, n, lr, mu, decay);
      return copied(heap, 'momentumStep', [['w', w, n, true, true], ['g', g, n, true, false], ['v', v, n, true, true]], (p) => mod.momentumStep(p[0], p[1], p[2], n, lr, mu, decay));
    },
    sumSquares(x) {
      const n = x.length;
      if (own(x)) return mod.sumSquares(x.byteOffset, n);
      return copied(heap, 'sumSquares', [['x', x, n, true, false]], (p) => mod.sumSquares(p[0], n));
    },
    lstmForward(a, cPrev, c, tc, h, B, H) {
      if (H % 4 !== 0) throw new RangeError(`lstmForward: H must be a multiple of 4 for the wasm kernel; got ${H}`);
      const n = B * H;
      need('lstmForward', 'a', a, 4 * n);
      need('lstmForward', 'cPrev', cPrev, n);
      need('lstmForward', 'c', c, n);
      need('lstmForward', 'tc', tc, n);
      need('lstmForward', 'h', h, n);
      if (own(a) && own(cPrev) && own(c) && own(tc) && own(h)) return mod.lstmForward(a.byteOffset, cPrev.byteOffset, c.byteOffset, tc.byteOffset, h.byteOffset, B, H);
      const ops: Operand[] = [['a', a, 4 * n, true, true], ['cPrev', cPrev, n, true, false], ['c', c, n, false, true], ['tc', tc, n, false, true], ['h', h, n, false, true]];
      copied(heap, 'lstmForward', ops, (p) => mod.lstmForward(p[0], p[1], p[2], p[3], p[4], B, H));
    },
    lstmBackward(dz, a, tc, cPrev, dh, dc, B, H, cut) {
      if (H % 2 !== 0) throw new RangeError(`lstmBackward: H must be even for the wasm kernel; got ${H}`);
      const n = B * H;
      need('lstmBackward', 'dz', dz, 4 * n);
      need('lstmBackward', 'a', a, 4 * n);
      need('lstmBackward', 'tc', tc, n);
      need('lstmBackward', 'cPrev', cPrev, n);
      need('lstmBackward', 'dh', dh, n);
      need('lstmBackward', 'dc', dc, n);
      if (own(dz) && own(a) && own(tc) && own(cPrev) && own(dh) && own(dc)) {
        return mod.lstmBackward(dz.byteOffset, a.byteOffset, tc.byteOffset, cPrev.byteOffset, dh.byteOffset, dc.byteOffset, B, H, cut ? 1 : 0);
      }
      const ops: Operand[] = [['dz', dz, 4 * n, false, true], ['a', a, 4 * n, true, false], ['tc', tc, n, true, false], ['cPrev', cPrev, n, true, false], ['dh', dh, n, true, false], ['dc', dc, n, true, true]];
      copied(heap, 'lstmBackward', ops, (p) => mod.lstmBackward(p[0], p[1], p[2], p[3], p[4], p[5], B, H, cut ? 1 : 0));
    },
  };
}
