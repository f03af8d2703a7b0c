/**
 * The shape of an activation catalogue entry: the function and its
 * derivative side by side (scalar and vectorised), its parameters, and the
 * metadata the CLI, the report and the web lab show.
 */
import type { Buf } from '../tensor/dtype.js';
import type { Rng } from '../tensor/rng.js';

/** The three families (ReLU, tanh, sigmoid), plus `other` for `linear` and `softmax`. */
export type Family = 'relu' | 'tanh' | 'sigmoid' | 'other';

/** Languages every text exists in. */
export type Lang = 'en' | 'zh-Hant';

/** A text in every supported language. */
export type Text = Record<Lang, string>;

/** How an entry is applied: element by element, across a row (softmax), or as its own layer (maxout). */
export type ActivationKind = 'elementwise' | 'vector' | 'layer';

/** One parameter of an activation, in the order of the `p` array passed to f and df. */
export interface ParamSpec {
  /** PyTorch's argument name, e.g. `negative_slope`, `alpha`, `beta`, `lambd`. */
  readonly name: string;
  /** PyTorch's default. */
  readonly default: number;
  /** True when training updates it (PReLU's slope, swish's β). */
  readonly learnable: boolean;
  /** Smallest allowed value (inclusive unless `minExclusive`). */
  readonly min?: number;
  readonly minExclusive?: boolean;
  /** Largest allowed value (inclusive). */
  readonly max?: number;
  /** What it does, in every language. */
  readonly doc: Text;
}

/** A point where f is not differentiable and the convention used there. */
export interface Kink {
  readonly at: number;
  /** The value returned for f'(at) and why (e.g. "0, as PyTorch"). */
  readonly derivative: number;
  readonly convention: string;
}

/** A published source. */
export interface Paper {
  readonly authors: string;
  readonly title: string;
  readonly year: number;
  readonly venue?: string;
}

/** Descriptive metadata of an entry: ranges, shape, saturation, dead zone, cost, kinks. */
export interface ActivationMeta {
  readonly formula: { readonly text: string; readonly latex: string };
  readonly derivative: { readonly text: string; readonly latex: string };
  /** Range of f, e.g. "(0, 1)", "[0, ∞)". */
  readonly range: string;
  /** Range of f', e.g. "(0, 1/4]". */
  readonly derivativeRange: string;
  /** Supremum of |f'| over ℝ (with default parameters). */
  readonly derivativeMax: number;
  /** f'(0) with default parameters (at a kink, the convention's value). */
  readonly derivativeAtZero: number;
  readonly zeroCentred: boolean;
  readonly monotonic: boolean;
  /** Continuously differentiable everywhere. */
  readonly smooth: boolean;
  readonly boundedAbove: boolean;
  readonly boundedBelow: boolean;
  /** Where f' → 0 (saturation), in words; empty when it never saturates. */
  readonly saturates: Text;
  /** Where f' = 0 exactly (dead zone), e.g. "x < 0"; empty when none. */
  readonly deadZone: string;
  /** Relative cost of f and f' per element, 1 = ReLU (a comparison, a measured value is in `bench`). */
  readonly cost: number;
  readonly kinks: readonly Kink[];
  readonly summary: Text;
  readonly advantages: Record<Lang, readonly string[]>;
  readonly drawbacks: Record<Lang, readonly string[]>;
  readonly paper: Paper;
  /** Names of related entries (variants, approximations). */
  readonly related: readonly string[];
}

/** One catalogue entry. */
export interface ActivationDef {
  /** Canonical name: PyTorch's functional name in snake_case. */
  readonly name: string;
  readonly family: Family;
  readonly kind: ActivationKind;
  readonly params: readonly ParamSpec[];
  /** f(x) for parameters `p` (same order as `params`). Elementwise entries only. */
  f(x: number, p: readonly number[]): number;
  /** f'(x) for parameters `p`, with the documented convention at kinks. */
  df(x: number, p: readonly number[]): number;
  /** ∂f/∂p_i written into `out` for every parameter (only entries with learnable parameters). */
  dparams?(x: number, p: readonly number[], out: number[]): void;
  /**
   * Optional vectorised forward: a[i] = f(z[i]), d[i] = f'(z[i]) for i < n.
   * Entries on hot paths provide it; otherwise the layer loops over f and df.
   */
  map?(a: Buf, d: Buf, z: Buf, n: number, p: readonly number[]): void;
  /**
   * Training-mode forward of stochastic entries (rrelu): draws what it needs
   * from `rng`, writes a and d = ∂a/∂z for this draw.
   */
  mapTrain?(a: Buf, d: Buf, z: Buf, n: number, p: readonly number[], rng: Rng): void;
  readonly meta: ActivationMeta;
}
