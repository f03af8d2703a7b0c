/**
 * Plain TypeScript references of the fused kernels (fused.ts): the
 * definitions written as directly as possible, in float64 arithmetic with
 * the buffers' storage (float32 or float64). The WebAssembly kernels are
 * tested against these, and these against the activation catalogue's f and
 * f'. The LSTM steps are the recurrent cell's own loops (src/nn/rnn/lstm.ts
 * calls them whenever it does not run the wasm kernels).
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
  // ‖Δw‖² from the update before it is rounded to the storage type, as the optimiser records it
  sgdStep(w, g, lr, decay) {
    let sq = 0;
    for (let i = 0; i < w.length; i++) {
      const old = w[i];
      const nw = decay * old - lr * g[i];
      w[i] = nw;
      sq += (nw - old) ** 2;
    }
    return sq;
  },
  momentumStep(w, g, v, lr, mu, decay) {
    let sq = 0;
    for (let i = 0; i < w.length; i++) {
      const old = w[i];
      v[i] = mu * v[i] - lr * g[i];
      const nw = decay * old + v[i];
      w[i] = nw;
      sq += (nw - old) ** 2;
    }
    return sq;
  },
  sumSquares(x) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * x[i];
    return s;
  },
  // a(B,4H) = [z_i z_f z_g z_o] in, the gates out; cPrev, c, tc, h are (B,H)
  lstmForward(a, cPrev, c, tc, h, B, H) {
    const G = 4 * H;
    for (let b = 0; b < B; b++) {
      const ab = b * G;
      const hb = b * H;
      for (let j = 0; j < H; j++) {
        const ig = 1 / (1 + Math.exp(-a[ab + j]));
        const fg = 1 / (1 + Math.exp(-a[ab + H + j]));
        const gg = Math.tanh(a[ab + 2 * H + j]);
        const og = 1 / (1 + Math.exp(-a[ab + 3 * H + j]));
        a[ab + j] = ig;
        a[ab + H + j] = fg;
        a[ab + 2 * H + j] = gg;
        a[ab + 3 * H + j] = og;
        const cv = fg * cPrev[hb + j] + ig * gg;
        c[hb + j] = cv;
        const tv = Math.tanh(cv);
        tc[hb + j] = tv;
        h[hb + j] = og * tv;
      }
    }
  },
  // dz and a are (B,4H); tc, cPrev, dh (∂L/∂h_t) and dc (∂L/∂c_t from step t + 1) are (B,H)
  lstmBackward(dz, a, tc, cPrev, dh, dc, B, H, cut) {
    const G = 4 * H;
    for (let b = 0; b < B; b++) {
      const ab = b * G;
      const hb = b * H;
      for (let j = 0; j < H; j++) {
        const ig = a[ab + j], fg = a[ab + H + j], gg = a[ab + 2 * H + j], og = a[ab + 3 * H + j];
        const tv = tc[hb + j];
        const dhv = dh[hb + j];
        // c_t reaches the loss through h_t = o·tanh(c_t) and through c_{t+1}
        const dcv = dc[hb + j] + dhv * og * (1 - tv * tv);
        dz[ab + j] = dcv * gg * ig * (1 - ig); // ∂/∂z_i
        dz[ab + H + j] = dcv * cPrev[hb + j] * fg * (1 - fg); // ∂/∂z_f
        dz[ab + 2 * H + j] = dcv * ig * (1 - gg * gg); // ∂/∂z_g
        dz[ab + 3 * H + j] = dhv * tv * og * (1 - og); // ∂/∂z_o
        dc[hb + j] = cut ? 0 : dcv * fg; // the additive path: ∂c_t/∂c_{t−1} = f
      }
    }
  },
};
