/**
 * Gaussian quadrature rules computed from the three-term recurrence of their
 * orthonormal polynomials (Golub & Welsch 1969): the nodes are the
 * eigenvalues of the Jacobi matrix — found here by Sturm-sequence bisection
 * and polished by Newton's method on the recurrence — and the weights are
 * the Christoffel numbers μ₀ / Σₖ pₖ(xᵢ)². Two rules are used:
 *
 * - Gauss–Hermite for the standard normal measure Dz = e^{−z²/2}/√(2π) dz
 *   (probabilists' Hermite polynomials, x·pₖ = √(k+1)·pₖ₊₁ + √k·pₖ₋₁);
 *   exact for polynomials of degree ≤ 2n − 1, so Σ wᵢ g(xᵢ) = E[g(Z)].
 * - Gauss–Legendre on [−1, 1] (x·pₖ = βₖ₊₁pₖ₊₁ + βₖpₖ₋₁, βₖ = k/√(4k² − 1)),
 *   for the panels of piecewise integrands.
 *
 * Nothing here is tabulated: every node and weight is computed, and cached by n.
 */

/** A quadrature rule: Σᵢ weights[i]·g(nodes[i]) approximates the integral. */
export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/** Off-diagonal βₖ (k ≥ 1) of a symmetric Jacobi matrix with zero diagonal, and the measure's total mass. */
interface Recurrence {
  readonly beta: (k: number) => number;
  readonly mass: number;
  /** Every node lies in [−bound, bound]. */
  readonly bound: (n: number) => number;
}

const HERMITE: Recurrence = { beta: (k) => Math.sqrt(k), mass: 1, bound: (n) => 2 * Math.sqrt(n) + 1 };
const LEGENDRE: Recurrence = { beta: (k) => k / Math.sqrt(4 * k * k - 1), mass: 2, bound: () => 1 };

/** Eigenvalues of the n×n Jacobi matrix below x (Sturm sequence of the LDLᵀ pivots). */
function countBelow(x: number, b2: Float64Array, n: number): number {
  let count = 0;
  let d = -x;
  if (d < 0) count++;
  for (let k = 1; k < n; k++) {
    // a zero pivot is replaced by a tiny one: the count is unchanged for x off the spectrum
    d = -x - b2[k] / (d === 0 ? 1e-300 : d);
    if (d < 0) count++;
  }
  return count;
}

/** p_n(x) and p_n'(x) of the orthonormal family, and Σ_{k<n} p_k(x)². */
function evaluate(x: number, n: number, beta: Float64Array): { p: number; dp: number; sum: number } {
  let p0 = 0, p1 = 1, d0 = 0, d1 = 0, sum = 0;
  for (let k = 0; k < n; k++) {
    sum += p1 * p1;
    // x·p_k = β_{k+1}·p_{k+1} + β_k·p_{k−1}
    const p2 = (x * p1 - beta[k] * p0) / beta[k + 1];
    const d2 = (p1 + x * d1 - beta[k] * d0) / beta[k + 1];
    p0 = p1; p1 = p2; d0 = d1; d1 = d2;
  }
  return { p: p1, dp: d1, sum };
}

function gaussRule(n: number, r: Recurrence): QuadratureRule {
  if (!Number.isInteger(n) || n < 1 || n > 400) throw new RangeError(`gaussRule: n must be an integer in 1..400; got ${n}`);
  const beta = new Float64Array(n + 1); // beta[0] = 0 (no p_{−1}), beta[k] = β_k
  for (let k = 1; k <= n; k++) beta[k] = r.beta(k);
  const b2 = beta.map((b) => b * b);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const B = r.bound(n);
  // both families are symmetric: compute the nodes above 0 and mirror them
  for (let i = Math.floor(n / 2); i < n; i++) {
    // the i-th smallest eigenvalue: the smallest x with more than i eigenvalues below it
    let lo = 0;
    let hi = B;
    for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); it++) {
      const mid = 0.5 * (lo + hi);
      if (countBelow(mid, b2, n) > i) hi = mid;
      else lo = mid;
    }
    let x = 0.5 * (lo + hi);
    if (n % 2 === 1 && i === (n - 1) / 2) x = 0;
    else {
      for (let it = 0; it < 3; it++) {
        const e = evaluate(x, n, beta);
        if (e.dp === 0) break;
        x -= e.p / e.dp;
      }
    }
    const w = r.mass / evaluate(x, n, beta).sum;
    nodes[i] = x;
    weights[i] = w;
    if (n - 1 - i !== i) {
      nodes[n - 1 - i] = -x;
      weights[n - 1 - i] = w;
    }
  }
  return { nodes, weights };
}

const hermiteCache = new Map<number, QuadratureRule>();
const legendreCache = new Map<number, QuadratureRule>();

/** The n-point Gauss–Hermite rule for the standard normal measure: Σ wᵢ g(xᵢ) ≈ E[g(Z)], Z ~ N(0, 1); weights sum to 1. */
export function gaussHermite(n: number): QuadratureRule {
  let rule = hermiteCache.get(n);
  if (!rule) hermiteCache.set(n, (rule = gaussRule(n, HERMITE)));
  return rule;
}

/** The n-point Gauss–Legendre rule on [−1, 1]: Σ wᵢ g(xᵢ) ≈ ∫ g(x) dx; weights sum to 2. */
export function gaussLegendre(n: number): QuadratureRule {
  let rule = legendreCache.get(n);
  if (!rule) legendreCache.set(n, (rule = gaussRule(n, LEGENDRE)));
  return rule;
}
