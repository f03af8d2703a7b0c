/**
 * The three losses (quadratic, binary cross-entropy, cross-entropy), each as a batch mean, with the loss and its
 * gradient computed together. Cross-entropy losses work from the logits z of
 * their output activation (sigmoid / softmax) when the network ends in it,
 * so no ln 0 can occur and δᴸ = (a − y)/B exactly.
 */
import type { Buf } from '../tensor/dtype.js';

/** Loss names accepted by the CLI, configs and model tools. */
export type LossName = 'quadratic' | 'binary_cross_entropy' | 'cross_entropy';

/** One catalogue entry of a loss. */
export interface LossDef {
  readonly name: LossName;
  /** The formula in plain text. */
  readonly formula: string;
  /** The output activation this loss pairs with (fused gradient δᴸ = a − y), if any. */
  readonly pairedOutput: 'sigmoid' | 'softmax' | null;
  /**
   * Loss over a batch of B rows of C outputs and its gradient with respect to
   * the network outputs a: writes da(B,C), returns C.
   */
  lossAndGrad(da: Buf, a: Buf, y: Buf, B: number, C: number): number;
  /**
   * Fused with the paired output activation: from logits z and a = f(z),
   * writes dz(B,C) = (a − y)/B and returns the loss computed stably from z.
   */
  fusedLossAndGrad?(dz: Buf, z: Buf, a: Buf, y: Buf, B: number, C: number): number;
}

/** C = (1/2B) Σ ‖a − y‖²; ∂C/∂a = (a − y)/B. */
export const quadratic: LossDef = {
  name: 'quadratic',
  formula: 'C = (1/2n) Σₓ ‖a(x) − y(x)‖²',
  pairedOutput: null,
  lossAndGrad(da, a, y, B, C) {
    let s = 0;
    const n = B * C;
    for (let i = 0; i < n; i++) {
      const e = a[i] - y[i];
      s += e * e;
      da[i] = e / B;
    }
    return s / (2 * B);
  },
};

/** ln(1 + eᵗ) without overflow. */
function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

/** C = −(1/B) Σ [y ln a + (1 − y) ln(1 − a)]. */
export const binaryCrossEntropy: LossDef = {
  name: 'binary_cross_entropy',
  formula: 'C = −(1/n) Σₓ Σⱼ [yⱼ ln aⱼ + (1−yⱼ) ln(1−aⱼ)]',
  pairedOutput: 'sigmoid',
  // Outputs not produced by a sigmoid: must lie strictly inside (0, 1).
  lossAndGrad(da, a, y, B, C) {
    let s = 0;
    const n = B * C;
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      if (!(ai > 0 && ai < 1)) {
        throw new RangeError(`binary_cross_entropy: output [${Math.floor(i / C)}][${i % C}] must lie in (0, 1); got ${ai} (end the network with a sigmoid)`);
      }
      s -= y[i] * Math.log(ai) + (1 - y[i]) * Math.log1p(-ai);
      da[i] = (ai - y[i]) / (ai * (1 - ai)) / B;
    }
    return s / B;
  },
  // With a = σ(z): −[y ln σ(z) + (1−y) ln(1−σ(z))] = softplus(z) − y·z.
  fusedLossAndGrad(dz, z, a, y, B, C) {
    let s = 0;
    const n = B * C;
    for (let i = 0; i < n; i++) {
      s += softplus(z[i]) - y[i] * z[i];
      dz[i] = (a[i] - y[i]) / B;
    }
    return s / B;
  },
};

/** Row-wise log-sum-exp of z(B,C) row r. */
function logSumExp(z: Buf, r: number, C: number): number {
  let m = -Infinity;
  for (let j = 0; j < C; j++) if (z[r * C + j] > m) m = z[r * C + j];
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (let j = 0; j < C; j++) s += Math.exp(z[r * C + j] - m);
  return m + Math.log(s);
}

/** C = −(1/B) Σ y ln softmax(z). */
export const crossEntropy: LossDef = {
  name: 'cross_entropy',
  formula: 'C = −(1/n) Σₓ Σⱼ yⱼ ln softmax(z)ⱼ',
  pairedOutput: 'softmax',
  // Outputs not produced by a softmax are taken as logits, as PyTorch's CrossEntropyLoss does.
  lossAndGrad(da, a, y, B, C) {
    let s = 0;
    for (let r = 0; r < B; r++) {
      const lse = logSumExp(a, r, C);
      let ysum = 0;
      for (let j = 0; j < C; j++) {
        const i = r * C + j;
        s += y[i] * (lse - a[i]);
        ysum += y[i];
      }
      // ∂/∂z_j of Σ_k y_k (lse − z_k) = softmax_j · Σy − y_j
      for (let j = 0; j < C; j++) {
        const i = r * C + j;
        da[i] = (Math.exp(a[i] - lse) * ysum - y[i]) / B;
      }
    }
    return s / B;
  },
  fusedLossAndGrad(dz, z, a, y, B, C) {
    let s = 0;
    for (let r = 0; r < B; r++) {
      const lse = logSumExp(z, r, C);
      let ysum = 0;
      for (let j = 0; j < C; j++) {
        const i = r * C + j;
        s += y[i] * (lse - z[i]);
        ysum += y[i];
      }
      // a·Σy − y: a − y for one-hot (or any probability) targets
      for (let j = 0; j < C; j++) dz[r * C + j] = (a[r * C + j] * ysum - y[r * C + j]) / B;
    }
    return s / B;
  },
};

/** Every loss by name. */
export const LOSSES: Readonly<Record<LossName, LossDef>> = {
  quadratic,
  binary_cross_entropy: binaryCrossEntropy,
  cross_entropy: crossEntropy,
};

/** Loss names in display order. */
export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];

/** Resolves a loss name; throws a sentence with the valid names otherwise. */
export function getLoss(name: string): LossDef {
  if (Object.prototype.hasOwnProperty.call(LOSSES, name)) return LOSSES[name as LossName];
  throw new RangeError(`unknown loss '${name}'; expected one of ${LOSS_NAMES.join(', ')}`);
}
