/**
 * The matrix kernels the layers need, behind one small interface so a faster
 * backend (WebAssembly SIMD, worker threads) can be plugged in without
 * touching the layers. Every fast kernel has its naive reference beside it;
 * `kernels.test.ts` holds them equal on odd shapes.
 *
 * All matrices are flat row-major buffers; sizes follow the BLAS letters:
 * C is (M,N), the shared dimension is K.
 */
import { alloc, type Buf, type DType } from './dtype.js';
import type { FusedOps } from './wasm/fused.js';

/** The operations a backend must provide. `acc` adds into C instead of overwriting it. */
export interface Kernels {
  /** Backend name shown by `bench` and diagnostics. */
  readonly name: string;
  /**
   * A zero-filled buffer of n elements placed where this backend reads it
   * without copying (the wasm backend: in its memory). Without it, buffers
   * are ordinary arrays.
   */
  alloc?(dtype: DType, n: number): Buf;
  /** A fresh instance of this backend with a memory of its own, for one network's buffers (the wasm backend). */
  forNetwork?(): Kernels;
  /** Fused elementwise kernels for float32 buffers, where the backend has them. */
  readonly fused?: FusedOps;
  /** C(M,N) = A(M,K) · B(K,N). */
  gemm(C: Buf, A: Buf, B: Buf, M: number, K: number, N: number, acc: boolean): void;
  /** C(M,N) = A(M,K) · B(N,K)ᵀ — a dense forward pass z = a·Wᵀ. */
  gemmABt(C: Buf, A: Buf, B: Buf, M: number, K: number, N: number, acc: boolean): void;
  /** C(M,N) = A(K,M)ᵀ · B(K,N) — a weight gradient dW = dzᵀ·a. */
  gemmAtB(C: Buf, A: Buf, B: Buf, M: number, K: number, N: number, acc: boolean): void;
  /** X(R,C) += b(C) on every row. */
  addRow(X: Buf, b: Buf, R: number, C: number): void;
  /** out(C) = Σ_r X(r,:), or += when `acc`. */
  sumRows(out: Buf, X: Buf, R: number, C: number, acc: boolean): void;
}

/** A buffer of n elements from `k.alloc` where the backend has it, else an ordinary array. */
export function allocFor(k: Kernels, dtype: DType, n: number): Buf {
  return k.alloc ? k.alloc(dtype, n) : alloc(dtype, n);
}

// ---------------------------------------------------------------------------
// Naive references: the definitions, written as plainly as possible.

/** Reference kernels: triple loops straight from the definitions. */
export const naiveKernels: Kernels = {
  name: 'naive',
  gemm(C, A, B, M, K, N, acc) {
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
        C[i * N + j] = acc ? C[i * N + j] + s : s;
      }
  },
  gemmABt(C, A, B, M, K, N, acc) {
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[i * K + k] * B[j * K + k];
        C[i * N + j] = acc ? C[i * N + j] + s : s;
      }
  },
  gemmAtB(C, A, B, M, K, N, acc) {
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[k * M + i] * B[k * N + j];
        C[i * N + j] = acc ? C[i * N + j] + s : s;
      }
  },
  addRow(X, b, R, C) {
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) X[r * C + c] += b[c];
  },
  sumRows(out, X, R, C, acc) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let r = 0; r < R; r++) s += X[r * C + c];
      out[c] = acc ? out[c] + s : s;
    }
  },
};

// ---------------------------------------------------------------------------
// Fast TypeScript kernels: loop orders that stream contiguous rows, 4-way
// unrolled inner loops, no allocation. The default backend.

/** C(M,N) = A(M,K)·B(K,N): i-k-j order, so the inner loop walks rows of B and C. */
function gemmFast(C: Buf, A: Buf, B: Buf, M: number, K: number, N: number, acc: boolean): void {
  if (!acc) C.fill(0, 0, M * N);
  const N4 = N - (N % 4);
  for (let i = 0; i < M; i++) {
    const ci = i * N;
    const ai = i * K;
    for (let k = 0; k < K; k++) {
      const a = A[ai + k];
      if (a === 0) continue; // ReLU nets and one-hot inputs are sparse
      const bk = k * N;
      let j = 0;
      for (; j < N4; j += 4) {
        C[ci + j] += a * B[bk + j];
        C[ci + j + 1] += a * B[bk + j + 1];
        C[ci + j + 2] += a * B[bk + j + 2];
        C[ci + j + 3] += a * B[bk + j + 3];
      }
      for (; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

/** C(M,N) = A(M,K)·B(N,K)ᵀ: dot products of contiguous rows, two output columns at a time. */
function gemmABtFast(C: Buf, A: Buf, B: Buf, M: number, K: number, N: number, acc: boolean): void {
  const K4 = K - (K % 4);
  for (let i = 0; i < M; i++) {
    const ai = i * K;
    let j = 0;
    for (; j + 1 < N; j += 2) {
      const b0 = j * K;
      const b1 = b0 + K;
      let s0 = 0, s1 = 0, t0 = 0, t1 = 0;
      let k = 0;
      for (; k < K4; k += 4) {
        const a0 = A[ai + k], a1 = A[ai + k + 1], a2 = A[ai + k + 2], a3 = A[ai + k + 3];
        s0 += a0 * B[b0 + k] + a1 * B[b0 + k + 1];
        t0 += a2 * B[b0 + k + 2] + a3 * B[b0 + k + 3];
        s1 += a0 * B[b1 + k] + a1 * B[b1 + k + 1];
        t1 += a2 * B[b1 + k + 2] + a3 * B[b1 + k + 3];
      }
      for (; k < K; k++) {
        const a = A[ai + k];
        s0 += a * B[b0 + k];
        s1 += a * B[b1 + k];
      }
      const c = i * N + j;
      if (acc) {
        C[c] += s0 + t0;
        C[c + 1] += s1 + t1;
      } else {
        C[c] = s0 + t0;
        C[c + 1] = s1 + t1;
      }
    }
    for (; j < N; j++) {
      const b0 = j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[ai + k] * B[b0 + k];
      C[i * N + j] = acc ? C[i * N + j] + s : s;
    }
  }
}

/** C(M,N) = A(K,M)ᵀ·B(K,N): k-i-j order, rank-1 updates of C by rows of B. */
function gemmAtBFast(C: Buf, A: Buf, B: Buf, M: number, K: number, N: number, acc: boolean): void {
  if (!acc) C.fill(0, 0, M * N);
  const N4 = N - (N % 4);
  for (let k = 0; k < K; k++) {
    const ak = k * M;
    const bk = k * N;
    for (let i = 0; i < M; i++) {
      const a = A[ak + i];
      if (a === 0) continue;
      const ci = i * N;
      let j = 0;
      for (; j < N4; j += 4) {
        C[ci + j] += a * B[bk + j];
        C[ci + j + 1] += a * B[bk + j + 1];
        C[ci + j + 2] += a * B[bk + j + 2];
        C[ci + j + 3] += a * B[bk + j + 3];
      }
      for (; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

/** The default backend: fast TypeScript loops. */
export const jsKernels: Kernels = {
  name: 'js',
  gemm: gemmFast,
  gemmABt: gemmABtFast,
  gemmAtB: gemmAtBFast,
  addRow(X, b, R, C) {
    for (let r = 0; r < R; r++) {
      const o = r * C;
      for (let c = 0; c < C; c++) X[o + c] += b[c];
    }
  },
  sumRows(out, X, R, C, acc) {
    if (!acc) out.fill(0, 0, C);
    for (let r = 0; r < R; r++) {
      const o = r * C;
      for (let c = 0; c < C; c++) out[c] += X[o + c];
    }
  },
};
