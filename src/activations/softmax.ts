/**
 * Row-wise softmax and log-softmax kernels, forward and backward side by
 * side. A batch is row-major (B,C): B rows of C logits. The row maximum is
 * subtracted before exponentiating, so every e^{z − max} lies in (0, 1] and
 * logits of ±1000 are as safe as logits of ±1. Sums run in float64 (JS
 * numbers) whatever the buffer type.
 *
 * Backward kernels overwrite their gradient output (the activation layer owns
 * it as scratch); they do not accumulate.
 */
import type { Buf } from '../tensor/dtype.js';

/** a(B,C) = softmax of each row of z(B,C): a_j = e^{z_j − m}/Σ_k e^{z_k − m}, m = max_k z_k. a may alias z. */
export function softmaxRows(a: Buf, z: Buf, B: number, C: number): void {
  for (let r = 0; r < B; r++) {
    const o = r * C;
    let m = -Infinity;
    for (let j = 0; j < C; j++) if (z[o + j] > m) m = z[o + j];
    let s = 0;
    for (let j = 0; j < C; j++) {
      const e = Math.exp(z[o + j] - m);
      a[o + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < C; j++) a[o + j] *= inv;
  }
}

/**
 * dz(B,C) = a ⊙ (da − Σ_k da_k a_k) per row: the softmax Jacobian
 * ∂a_j/∂z_k = a_j(δ_jk − a_k) applied to da, without forming it. Overwrites dz; dz may alias da.
 */
export function softmaxBackward(dz: Buf, a: Buf, da: Buf, B: number, C: number): void {
  for (let r = 0; r < B; r++) {
    const o = r * C;
    let dot = 0;
    for (let j = 0; j < C; j++) dot += da[o + j] * a[o + j];
    for (let j = 0; j < C; j++) dz[o + j] = a[o + j] * (da[o + j] - dot);
  }
}

/** out(B,C) = log-softmax of each row of z: z_j − m − ln Σ_k e^{z_k − m} (log-sum-exp, no ln 0). out may alias z. */
export function logSoftmaxRows(out: Buf, z: Buf, B: number, C: number): void {
  for (let r = 0; r < B; r++) {
    const o = r * C;
    let m = -Infinity;
    for (let j = 0; j < C; j++) if (z[o + j] > m) m = z[o + j];
    let s = 0;
    for (let j = 0; j < C; j++) s += Math.exp(z[o + j] - m);
    const lse = m + Math.log(s);
    for (let j = 0; j < C; j++) out[o + j] = z[o + j] - lse;
  }
}

/** dz(B,C) = dout − softmax(z)·Σ_k dout_k per row, with softmax(z) = e^{out} from logSoftmaxRows. Overwrites dz. */
export function logSoftmaxBackward(dz: Buf, out: Buf, dout: Buf, B: number, C: number): void {
  for (let r = 0; r < B; r++) {
    const o = r * C;
    let s = 0;
    for (let j = 0; j < C; j++) s += dout[o + j];
    for (let j = 0; j < C; j++) dz[o + j] = dout[o + j] - Math.exp(out[o + j]) * s;
  }
}
