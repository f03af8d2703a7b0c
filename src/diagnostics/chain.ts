/**
 * The chain view of Nielsen's one-neuron-per-layer network: the gradient of
 * the first bias is a product with one factor w_j·f'(z_j) per layer above it,
 *   ∂C/∂b₁ = f'(z₁) · w₂f'(z₂) · w₃f'(z₃) ⋯ w_Lf'(z_L) · ∂C/∂a_L,
 * shown factor by factor with its running product, and checked against
 * backpropagation.
 */
import type { ActivationDef } from '../activations/types.js';

/** One link of the chain. */
export interface ChainLink {
  /** 1-based layer index. */
  readonly layer: number;
  readonly w: number;
  readonly b: number;
  readonly z: number;
  readonly a: number;
  /** f'(z_j). */
  readonly derivative: number;
  /** w_j·f'(z_j) for j ≥ 2; f'(z₁) for the first layer. */
  readonly factor: number;
  /** Product of the factors up to and including this one. */
  readonly runningProduct: number;
}

/** The whole chain. */
export interface ChainView {
  readonly links: readonly ChainLink[];
  /** ∂C/∂a_L for the quadratic cost C = (a_L − y)²/2. */
  readonly dCdaL: number;
  /** ∂C/∂b₁ as the product of the factors. */
  readonly dCdb1: number;
  /** ∂C/∂b_j for every layer (backpropagated one link at a time). */
  readonly dCdb: readonly number[];
}

/**
 * Evaluates the chain of a one-neuron-per-layer net with weights w, biases b
 * and activation f on input x, target y (quadratic cost), in float64.
 */
export function chainView(f: ActivationDef, p: readonly number[], w: readonly number[], b: readonly number[], x: number, y: number): ChainView {
  if (w.length !== b.length || w.length === 0) throw new RangeError(`chainView: w and b must have the same non-zero length; got ${w.length} and ${b.length}`);
  const zs: number[] = [];
  const as: number[] = [];
  let a = x;
  for (let j = 0; j < w.length; j++) {
    const z = w[j] * a + b[j];
    a = f.f(z, p);
    zs.push(z);
    as.push(a);
  }
  const L = w.length;
  const dCdaL = as[L - 1] - y;
  const links: ChainLink[] = [];
  let prod = 1;
  for (let j = 0; j < L; j++) {
    const d = f.df(zs[j], p);
    const factor = j === 0 ? d : w[j] * d;
    prod *= factor;
    links.push({ layer: j + 1, w: w[j], b: b[j], z: zs[j], a: as[j], derivative: d, factor, runningProduct: prod });
  }
  // backprop: δ_L = f'(z_L)·∂C/∂a_L, δ_j = f'(z_j)·w_{j+1}·δ_{j+1}
  const dCdb = new Array<number>(L);
  dCdb[L - 1] = f.df(zs[L - 1], p) * dCdaL;
  for (let j = L - 2; j >= 0; j--) dCdb[j] = f.df(zs[j], p) * w[j + 1] * dCdb[j + 1];
  return { links, dCdaL, dCdb1: prod * dCdaL, dCdb };
}
