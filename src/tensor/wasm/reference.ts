/**
 * Plain TypeScript references of the fused kernels (fused.ts): the
 * definitions written as directly as possible, in float64 arithmetic with
 * float32 storage. The WebAssembly kernels are tested against these, and
 * these against the activation catalogue's f and f'.
 */
import type { FusedActivation, FusedOps } from './fused.js';

/** σ(x) = 1/(1 + e^{−x}). */
function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** f(x) and f'(x) of a fused activation. */
export function activationAt(act: FusedActivation, x: number): [number, number] {
  switch (act) {
    case 'linear':
      return [x, x === x ? 1 : x]; // NaN in, NaN out
    case 'sigmoid': {
      const s = sigmoid(x);
      return [s, s * sigmoid(-x)];
    }
    case 'tanh': {
      const t = Math.tanh(x);
      return [t, 1 - t * t];
    }
    case 'relu':
      return [x <= 0 ? 0 : x, x > 0 ? 1 : x <= 0 ? 0 : x];
  }
}

/** The reference fused kernels. */
export const referenceOps: FusedOps = {
  name: 'reference',
  biasActivation(act, a, d, z, bias, R, C) {
    for (let r = 0; r < R; r++)
      for (let c = 0; c < C; c++) {
        const i = r * C + c;
        if (bias) z[i] += bias[c];
        [a[i], d[i]] = activationAt(act, z[i]);
      }
  },
  activationBackward(dz, dout, d, n) {
    for (let i = 0; i < n; i++) dz[i] = dout[i] * d[i];
  },
  sgdStep(w, g, lr, decay) {
    let sq = 0;
    for (let i = 0; i < w.length; i++) {
      const old = w[i];
      w[i] = decay * old - lr * g[i];
      sq += (w[i] - old) ** 2;
    }
    return sq;
  },
  momentumStep(w, g, v, lr, mu, decay) {
    let sq = 0;
    for (let i = 0; i < w.length; i++) {
      const old = w[i];
      v[i] = mu * v[i] - lr * g[i];
      w[i] = decay * old + v[i];
      sq += (w[i] - old) ** 2;
    }
    return sq;
  },
  sumSquares(x) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * x[i];
    return s;
  },
};
