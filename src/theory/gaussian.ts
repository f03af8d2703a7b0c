/**
 * Gaussian expectations E[g(a + b·Z)], Z ~ N(0, 1), and over correlated
 * pairs, the integrals of mean-field theory. Two methods:
 *
 * - Gauss–Hermite (`GH_NODES` nodes) for integrands analytic in a strip
 *   around the real axis: the error falls geometrically with the nodes, at a
 *   rate set by the strip's half-width in z, which is (the activation's
 *   distance to its nearest complex singularity) / b. The caller says up to
 *   which b the rule has converged (`TheoryAct.ghMaxScale`).
 * - Composite Gauss–Legendre (`PANEL_NODES` per panel) on panels of width
 *   ≤ 1 in z over [−Z_MAX, Z_MAX], with extra panel edges every unit of the
 *   activation's own scale in x = a + b·z (out to 24 units) and at every
 *   breakpoint (a kink, or a jump of f or f′): each panel then holds an
 *   analytic piece, so kinks cost nothing in accuracy. Used for piecewise
 *   activations and for large b. Against a rule with four times the panels
 *   and twice the nodes it agrees to 5e-14 relative (quadrature.test.ts).
 *
 * The tails beyond |z| = Z_MAX = 10 weigh e^{−50}/√(2π)·poly(z) < 1e−20 and are
 * dropped.
 */
import { gaussHermite, gaussLegendre } from './quadrature.js';

/** Gauss–Hermite nodes used for smooth integrands. */
export const GH_NODES = 96;
/** Gauss–Legendre nodes per panel. */
export const PANEL_NODES = 10;
/** Half-width of the integration range in z. */
export const Z_MAX = 10;

const INV_SQRT_2PI = 0.3989422804014327;

/** How to integrate one function of x: where it breaks, its own scale in x, and how far Gauss–Hermite may stretch. */
export interface Integrand {
  readonly g: (x: number) => number;
  /** Points x where g or g′ jumps (kinks of the activation, jumps of its derivative). */
  readonly breaks: readonly number[];
  /** Length over which g changes shape, in x (1 for most activations; 1/β for β-scaled ones). */
  readonly scale: number;
  /** Largest b for which Gauss–Hermite has converged (0: never use it). */
  readonly ghMaxScale: number;
}

/** Panel edges in z for E[g(a + bz)] (b > 0): a unit grid, the scale grid in x, and the breakpoints. */
function panelEdges(it: Integrand, a: number, b: number): number[] {
  const edges: number[] = [];
  for (let k = -Z_MAX; k <= Z_MAX; k++) edges.push(k);
  const h = it.scale;
  // edges every h in x = a + bz, out to 24 scale lengths (beyond, every activation is in its asymptotic regime)
  const kLo = Math.max(Math.ceil((a - b * Z_MAX) / h), -24);
  const kHi = Math.min(Math.floor((a + b * Z_MAX) / h), 24);
  for (let k = kLo; k <= kHi; k++) edges.push((k * h - a) / b);
  for (const x of it.breaks) {
    const z = (x - a) / b;
    if (z > -Z_MAX && z < Z_MAX) edges.push(z);
  }
  edges.sort((p, q) => p - q);
  const out: number[] = [];
  for (const e of edges) if (e >= -Z_MAX && e <= Z_MAX && (out.length === 0 || e - out[out.length - 1] > 1e-13)) out.push(e);
  return out;
}

/** E[g(a + bZ)] by composite Gauss–Legendre split at the integrand's breakpoints. */
export function panelMean(it: Integrand, a: number, b: number): number {
  if (b === 0) return pointMean(it, a);
  const rule = gaussLegendre(PANEL_NODES);
  const edges = panelEdges(it, a, Math.abs(b));
  const sb = Math.abs(b);
  let sum = 0;
  for (let p = 0; p + 1 < edges.length; p++) {
    const lo = edges[p];
    const hi = edges[p + 1];
    const mid = 0.5 * (lo + hi);
    const half = 0.5 * (hi - lo);
    let s = 0;
    for (let i = 0; i < PANEL_NODES; i++) {
      const z = mid + half * rule.nodes[i];
      s += rule.weights[i] * Math.exp(-0.5 * z * z) * it.g(a + sb * z);
    }
    sum += half * s;
  }
  return INV_SQRT_2PI * sum;
}

/** E[g(a + bZ)] by Gauss–Hermite. */
export function hermiteMean(g: (x: number) => number, a: number, b: number, n = GH_NODES): number {
  const rule = gaussHermite(n);
  let s = 0;
  for (let i = 0; i < n; i++) s += rule.weights[i] * g(a + b * rule.nodes[i]);
  return s;
}

/**
 * The limit b → 0 of E[g(a + bZ)]: g(a), or at a breakpoint a the mean of the
 * one-sided limits (half of Z's mass falls on each side).
 */
function pointMean(it: Integrand, a: number): number {
  if (!it.breaks.includes(a)) return it.g(a);
  const eps = a === 0 ? 1e-300 : Math.abs(a) * 1e-15;
  return 0.5 * (it.g(a - eps) + it.g(a + eps));
}

/** E[g(a + bZ)], Z ~ N(0, 1): Gauss–Hermite where it has converged, panels otherwise. */
export function gaussMean(it: Integrand, a: number, b: number): number {
  if (b === 0) return pointMean(it, a);
  return it.breaks.length === 0 && Math.abs(b) <= it.ghMaxScale ? hermiteMean(it.g, a, b) : panelMean(it, a, b);
}

/** Which method `gaussMean` uses for scale b, in words. */
export function methodOf(it: Integrand, b: number): string {
  if (b === 0) return 'exact (zero variance)';
  return it.breaks.length === 0 && Math.abs(b) <= it.ghMaxScale ? `Gauss–Hermite, ${GH_NODES} nodes` : `Gauss–Legendre panels (${PANEL_NODES} nodes each) split at the kinks`;
}

/**
 * E[g1(u1)·g2(u2)] for (u1, u2) centred Gaussian with variances q11, q22 and
 * covariance q12: u1 = √q11·z1, u2 = √q22·(ρ z1 + √(1 − ρ²) z2), ρ = q12/√(q11 q22).
 * The inner integral over z2 is a Gaussian smoothing of g2, analytic in z1
 * for |ρ| < 1, so the outer integral breaks only where g1 does — and, when
 * |ρ| is near 1 (the smoothing is narrow), also where g2 does, as seen from z1.
 */
export function gaussMean2(it1: Integrand, it2: Integrand, q11: number, q22: number, q12: number): number {
  const s1 = Math.sqrt(q11);
  const s2 = Math.sqrt(q22);
  const rho = s1 === 0 || s2 === 0 ? 0 : Math.max(-1, Math.min(1, q12 / (s1 * s2)));
  const perp = s2 * Math.sqrt(Math.max(0, 1 - rho * rho));
  const inner = (z1: number): number => gaussMean(it2, s2 * rho * z1, perp);
  const smooth = it1.breaks.length === 0 && it2.breaks.length === 0;
  if (smooth && s1 <= it1.ghMaxScale && s2 <= it2.ghMaxScale) {
    return hermiteMean((z1) => it1.g(s1 * z1) * inner(z1), 0, 1);
  }
  // outer integrand h(z1) = g1(s1 z1)·inner(z1), integrated as a function of z1 with unit scale
  const outerBreaks = [...it1.breaks.map((x) => (s1 === 0 ? NaN : x / s1))];
  if (rho !== 0) for (const x of it2.breaks) outerBreaks.push(x / (s2 * rho));
  const outer: Integrand = {
    g: (z1) => it1.g(s1 * z1) * inner(z1),
    breaks: outerBreaks.filter(Number.isFinite),
    scale: Math.min(1, it1.scale / Math.max(s1, 1e-300), it2.scale / Math.max(Math.abs(s2 * rho), 1e-300)),
    ghMaxScale: 0,
  };
  return panelMean(outer, 0, 1);
}
