/**
 * What the mean-field integrals need to know about each catalogue
 * activation, as typed data keyed by canonical name (the compiler forces an
 * entry for every name): where f or f′ breaks for given parameters, the
 * scale of its features, how far from the real axis its nearest complex
 * singularity lies (which sets how far Gauss–Hermite converges), and the
 * closed forms of the piecewise-linear ones.
 *
 * Which integrals are exact and which are converged (tests in
 * theory.test.ts and quadrature.test.ts):
 * - closed form, exact to rounding, in one and two dimensions: linear, relu,
 *   leaky_relu, prelu, rrelu (its evaluation slope) — f(x) = x for x > 0 and
 *   k·x otherwise, with the arc-cosine kernel of Cho & Saul 2009;
 * - Gauss–Hermite (96 nodes) where the activation is analytic and the
 *   standard deviation is at most `GH_REACH`·(distance to the nearest
 *   singularity): tanh, lecun_tanh, tanhshrink, sigmoid, bipolar_sigmoid,
 *   logsigmoid, silu, swish, gelu, gelu_tanh, mish, squareplus — agrees with
 *   the panel method to 1e-13 there;
 * - Gauss–Legendre panels split exactly at the kinks for the rest (elu,
 *   selu, celu, relu6, hardswish, hardtanh, softsign, softshrink, hardshrink,
 *   hardsigmoid, hard_sigmoid_keras2, softplus at its threshold) and for
 *   smooth ones at larger variance — converged to 1e-13 relative (checked
 *   against closed forms for elu and hardtanh and by halving the panels).
 */
import { ValueError } from '../errors.js';
import { getActivation, resolveParams, type ActivationName } from '../activations/catalogue.js';
import type { ActivationDef } from '../activations/types.js';
import type { Integrand } from './gaussian.js';

/** Gauss–Hermite is used up to σ = GH_REACH × (distance to the activation's nearest complex singularity). */
export const GH_REACH = 0.4;

/** Per-entry facts for the integrals, as functions of the resolved parameters. */
interface TheoryFacts {
  /** Points where f or f′ jumps or has a kink (so f², f′² and f′·f′ are smooth between them). */
  readonly breaks: (p: readonly number[]) => number[];
  /** Length scale of f's features in x. */
  readonly scale?: (p: readonly number[]) => number;
  /** Distance from the real axis to f's nearest complex singularity (Infinity: entire and tame; 0: piecewise). */
  readonly singularity: (p: readonly number[]) => number;
  /** Slope k for x ≤ 0 of the piecewise-linear entries f(x) = x (x > 0), k·x (x ≤ 0). */
  readonly negSlope?: (p: readonly number[]) => number;
}

const none = (): number[] => [];
const at0 = (): number[] => [0];
const kinked = (): number => 0;
const at = (d: number) => (): number => d;

/** The facts of every catalogue entry; null for entries that are not elementwise. */
const FACTS: Readonly<Record<ActivationName, TheoryFacts | null>> = {
  relu: { breaks: at0, singularity: kinked, negSlope: () => 0 },
  leaky_relu: { breaks: at0, singularity: kinked, negSlope: (p) => p[0] },
  prelu: { breaks: at0, singularity: kinked, negSlope: (p) => p[0] },
  rrelu: { breaks: at0, singularity: kinked, negSlope: (p) => (p[0] + p[1]) / 2 },
  elu: { breaks: at0, singularity: kinked },
  selu: { breaks: at0, singularity: kinked },
  celu: { breaks: at0, singularity: kinked, scale: (p) => Math.min(1, p[0]) },
  // entire: Φ(x) grows like e^{y²/2} off the axis, a singularity at a distance of about 2 in effect
  gelu: { breaks: none, singularity: at(2) },
  // poles of σ(2K(x + Cx³)) where 2K(x + Cx³) = ±iπ: nearest at |Im x| ≈ 1.6
  gelu_tanh: { breaks: none, singularity: at(1.6) },
  silu: { breaks: none, singularity: at(Math.PI) },
  swish: { breaks: none, singularity: (p) => (p[0] === 0 ? Infinity : Math.PI / Math.abs(p[0])), scale: (p) => Math.min(1, 1 / Math.max(Math.abs(p[0]), 1e-9)) },
  // tanh(softplus(x)) has poles where softplus(x) = ±iπ/2, i.e. e^x = i − 1: |Im x| = 3π/4; softplus itself branches at ±iπ
  mish: { breaks: none, singularity: at((3 * Math.PI) / 4) },
  // f = x above βx > threshold (PyTorch): a tiny jump of f and f′ there
  softplus: { breaks: (p) => [p[1] / p[0]], singularity: kinked, scale: (p) => Math.min(1, 1 / p[0]) },
  squareplus: { breaks: none, singularity: (p) => Math.sqrt(p[0]), scale: (p) => Math.min(1, Math.sqrt(p[0])) },
  relu6: { breaks: () => [0, 6], singularity: kinked },
  hardswish: { breaks: () => [-3, 3], singularity: kinked },
  maxout: null,
  tanh: { breaks: none, singularity: at(Math.PI / 2) },
  lecun_tanh: { breaks: none, singularity: at((3 * Math.PI) / 4) },
  hardtanh: { breaks: (p) => [p[0], p[1]], singularity: kinked },
  // f′ = 1/(1 + |x|)² has a kink at 0
  softsign: { breaks: at0, singularity: kinked },
  tanhshrink: { breaks: none, singularity: at(Math.PI / 2) },
  softshrink: { breaks: (p) => [-p[0], p[0]], singularity: kinked },
  hardshrink: { breaks: (p) => [-p[0], p[0]], singularity: kinked },
  sigmoid: { breaks: none, singularity: at(Math.PI) },
  hardsigmoid: { breaks: () => [-3, 3], singularity: kinked },
  hard_sigmoid_keras2: { breaks: () => [-2.5, 2.5], singularity: kinked },
  logsigmoid: { breaks: none, singularity: at(Math.PI) },
  bipolar_sigmoid: { breaks: none, singularity: at(Math.PI) },
  linear: { breaks: none, singularity: at(Infinity), negSlope: () => 1 },
  softmax: null,
};

/** An activation prepared for the mean-field integrals. */
export interface TheoryAct {
  readonly name: string;
  readonly def: ActivationDef;
  /** Resolved parameter vector (defaults with the overrides). */
  readonly p: readonly number[];
  /** The overrides as given (for display). */
  readonly params: Readonly<Record<string, number>>;
  readonly f: (x: number) => number;
  readonly df: (x: number) => number;
  readonly breaks: readonly number[];
  readonly scale: number;
  /** Largest standard deviation for Gauss–Hermite (0: never). */
  readonly ghMaxScale: number;
  /** For f(x) = x (x > 0), k·x (x ≤ 0): k; null otherwise. */
  readonly negSlope: number | null;
  /** f bounded above and below, so the length map is bounded and has a stable fixed point for every σ_w². */
  readonly bounded: boolean;
}

/** The activation `name` with parameter overrides, prepared for the integrals; throws a RangeError for maxout, softmax and bad parameters. */
export function theoryAct(name: string, params: Readonly<Record<string, number>> = {}): TheoryAct {
  const def = getActivation(name);
  const facts = FACTS[def.name as ActivationName];
  if (facts === null || def.kind !== 'elementwise') {
    throw new ValueError(def.name, `theory: ${def.name} is not an elementwise activation (${def.kind === 'layer' ? 'a layer of several pieces' : 'it acts across a whole row'}); the mean-field theory here covers elementwise ones`, true);
  }
  const p = resolveParams(def, params);
  const sing = facts.singularity(p);
  return {
    name: def.name,
    def,
    p,
    params: { ...params },
    f: (x) => def.f(x, p),
    df: (x) => def.df(x, p),
    breaks: facts.breaks(p).filter(Number.isFinite),
    scale: facts.scale ? facts.scale(p) : 1,
    ghMaxScale: sing === 0 ? 0 : GH_REACH * sing,
    negSlope: facts.negSlope ? facts.negSlope(p) : null,
    bounded: def.meta.boundedAbove && def.meta.boundedBelow,
  };
}

/** Integrand for g(x) = h(f(x), f′(x)) of an activation, with its breakpoints and reach. */
export function integrandOf(act: TheoryAct, g: (x: number) => number): Integrand {
  return { g, breaks: act.breaks, scale: act.scale, ghMaxScale: act.ghMaxScale };
}
