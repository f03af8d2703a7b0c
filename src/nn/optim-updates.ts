/**
 * The optimisers' per-element updates, one tight loop per optimiser with no
 * test inside it (the optimiser picks its loop once), next to the reference
 * they must equal bit for bit: one generic loop with a switch on the name
 * per element, written as directly as possible. Each loop updates one
 * parameter's weights w from its gradient g with state m (and v), and
 * returns ‖Δw‖² from the update before it is stored. Element formulas and
 * their order of operations are the same in both, so the stored weights and
 * state are identical; ‖Δw‖² is summed in four lanes by the sgd and
 * momentum loops, so it agrees with the reference's sum to rounding.
 */
import type { Buf } from '../tensor/dtype.js';
import type { OptimizerName } from './optim.js';

/** Hyper-parameters of one update of one parameter (its decay factors already chosen). */
export interface UpdateHyper {
  lr: number;
  /** Nielsen's L2 factor 1 − ηλ/n (1 for parameters that are not decayed). */
  dec: number;
  /** ηλ₁/n (0 for parameters that are not decayed). */
  l1: number;
  /** AdamW's decoupled decay λ (0 for parameters that are not decayed). */
  wd: number;
  mu: number;
  b1: number;
  b2: number;
  eps: number;
  /** Adam's bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ. */
  c1: number;
  c2: number;
}

/** One optimiser's update of w from g with state m, v; returns ‖Δw‖². */
export type UpdateFn = (w: Buf, g: Buf, m: Buf, v: Buf, h: UpdateHyper) => number;

/** The reference: every optimiser in one loop, the rule chosen per element. */
export function referenceUpdate(name: OptimizerName): UpdateFn {
  return (w, g, m, v, h) => {
    const { lr, dec, l1, wd, mu, b1, b2, eps, c1, c2 } = h;
    let sq = 0;
    for (let i = 0; i < w.length; i++) {
      const old = w[i];
      let nw: number;
      switch (name) {
        case 'sgd':
          nw = dec * old - lr * g[i];
          break;
        case 'momentum':
          // v ← μv − η∇ ; w ← decay·w + v
          m[i] = mu * m[i] - lr * g[i];
          nw = dec * old + m[i];
          break;
        case 'nesterov':
          // Sutskever et al. 2013 in the PyTorch form: v ← μv + ∇ ; w ← w − η(∇ + μv)
          m[i] = mu * m[i] + g[i];
          nw = dec * old - lr * (g[i] + mu * m[i]);
          break;
        case 'rmsprop':
          // Hinton's RMSprop: s ← ρs + (1 − ρ)∇² ; w ← w − η∇/(√s + ε)
          m[i] = mu * m[i] + (1 - mu) * g[i] * g[i];
          nw = dec * old - (lr * g[i]) / (Math.sqrt(m[i]) + eps);
          break;
        case 'adam':
        case 'adamw': {
          // Kingma & Ba 2015 with bias correction; AdamW (Loshchilov & Hutter 2019) decays decoupled
          m[i] = b1 * m[i] + (1 - b1) * g[i];
          v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
          const mh = m[i] / c1;
          const vh = v[i] / c2;
          nw = (name === 'adamw' ? old - lr * wd * old : dec * old) - (lr * mh) / (Math.sqrt(vh) + eps);
          break;
        }
      }
      if (l1 !== 0) nw -= l1 * Math.sign(old);
      w[i] = nw;
      const dlt = nw - old;
      sq += dlt * dlt;
    }
    return sq;
  };
}

// The loops: the reference's formulas, specialised. The cheap updates (sgd, momentum)
// keep four partial sums of ‖Δw‖², so its additions do not form one chain of dependent
// operations; the others do enough per element to hide that chain.

function sgd(w: Buf, g: Buf, _m: Buf, _v: Buf, h: UpdateHyper): number {
  const { lr, dec } = h;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = w.length;
  const n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    const o0 = w[i], o1 = w[i + 1], o2 = w[i + 2], o3 = w[i + 3];
    const a0 = dec * o0 - lr * g[i], a1 = dec * o1 - lr * g[i + 1], a2 = dec * o2 - lr * g[i + 2], a3 = dec * o3 - lr * g[i + 3];
    w[i] = a0;
    w[i + 1] = a1;
    w[i + 2] = a2;
    w[i + 3] = a3;
    s0 += (a0 - o0) * (a0 - o0);
    s1 += (a1 - o1) * (a1 - o1);
    s2 += (a2 - o2) * (a2 - o2);
    s3 += (a3 - o3) * (a3 - o3);
  }
  for (; i < n; i++) {
    const old = w[i];
    const nw = dec * old - lr * g[i];
    w[i] = nw;
    s0 += (nw - old) * (nw - old);
  }
  return s0 + s1 + s2 + s3;
}

function momentum(w: Buf, g: Buf, m: Buf, _v: Buf, h: UpdateHyper): number {
  const { lr, dec, mu } = h;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = w.length;
  const n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    const o0 = w[i], o1 = w[i + 1], o2 = w[i + 2], o3 = w[i + 3];
    m[i] = mu * m[i] - lr * g[i];
    m[i + 1] = mu * m[i + 1] - lr * g[i + 1];
    m[i + 2] = mu * m[i + 2] - lr * g[i + 2];
    m[i + 3] = mu * m[i + 3] - lr * g[i + 3];
    const a0 = dec * o0 + m[i], a1 = dec * o1 + m[i + 1], a2 = dec * o2 + m[i + 2], a3 = dec * o3 + m[i + 3];
    w[i] = a0;
    w[i + 1] = a1;
    w[i + 2] = a2;
    w[i + 3] = a3;
    s0 += (a0 - o0) * (a0 - o0);
    s1 += (a1 - o1) * (a1 - o1);
    s2 += (a2 - o2) * (a2 - o2);
    s3 += (a3 - o3) * (a3 - o3);
  }
  for (; i < n; i++) {
    const old = w[i];
    m[i] = mu * m[i] - lr * g[i];
    const nw = dec * old + m[i];
    w[i] = nw;
    s0 += (nw - old) * (nw - old);
  }
  return s0 + s1 + s2 + s3;
}

function nesterov(w: Buf, g: Buf, m: Buf, _v: Buf, h: UpdateHyper): number {
  const { lr, dec, mu } = h;
  let sq = 0;
  for (let i = 0; i < w.length; i++) {
    const old = w[i];
    m[i] = mu * m[i] + g[i];
    const nw = dec * old - lr * (g[i] + mu * m[i]);
    w[i] = nw;
    sq += (nw - old) * (nw - old);
  }
  return sq;
}

function rmsprop(w: Buf, g: Buf, m: Buf, _v: Buf, h: UpdateHyper): number {
  const { lr, dec, mu, eps } = h;
  let sq = 0;
  for (let i = 0; i < w.length; i++) {
    const old = w[i];
    m[i] = mu * m[i] + (1 - mu) * g[i] * g[i];
    const nw = dec * old - (lr * g[i]) / (Math.sqrt(m[i]) + eps);
    w[i] = nw;
    sq += (nw - old) * (nw - old);
  }
  return sq;
}

function adam(w: Buf, g: Buf, m: Buf, v: Buf, h: UpdateHyper): number {
  const { lr, dec, b1, b2, eps, c1, c2 } = h;
  let sq = 0;
  for (let i = 0; i < w.length; i++) {
    const old = w[i];
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    const nw = dec * old - (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    w[i] = nw;
    sq += (nw - old) * (nw - old);
  }
  return sq;
}

function adamw(w: Buf, g: Buf, m: Buf, v: Buf, h: UpdateHyper): number {
  const { lr, wd, b1, b2, eps, c1, c2 } = h;
  let sq = 0;
  for (let i = 0; i < w.length; i++) {
    const old = w[i];
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    const nw = old - lr * wd * old - (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    w[i] = nw;
    sq += (nw - old) * (nw - old);
  }
  return sq;
}

/** The specialised loop of each optimiser (without L1: with it, the optimiser runs the reference). */
export const UPDATES: Readonly<Record<OptimizerName, UpdateFn>> = { sgd, momentum, nesterov, rmsprop, adam, adamw };
