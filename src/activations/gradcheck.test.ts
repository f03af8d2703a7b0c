/**
 * The table-driven finite-difference check of every elementwise catalogue
 * entry: f' (and ∂f/∂p for learnable parameters) against central differences,
 * in float64, at default and at non-default parameter values.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, getActivation, resolveParams, type ActivationDef } from './index.js';

/** 40 points spread over [−8, 8]. */
const XS = Array.from({ length: 40 }, (_, i) => -8 + (16 * i) / 39);
/** Points closer than this to a documented kink are skipped. */
const KINK_GAP = 1e-3;
/** Relative-or-absolute tolerance. */
const TOL = 1e-6;

const elementwise = ACTIVATIONS.filter((d) => d.kind === 'elementwise');

/** Central difference (g(x+h) − g(x−h))/2h with h = 1e-5·max(1, |x|). */
function central(g: (x: number) => number, x: number): number {
  const h = 1e-5 * Math.max(1, Math.abs(x));
  return (g(x + h) - g(x - h)) / (2 * h);
}

/** One line per point where the analytic derivative and the central difference disagree. */
function derivativeFailures(def: ActivationDef, p: readonly number[], kinks: readonly number[]): string[] {
  const out: string[] = [];
  let worst = 0;
  for (const x of XS) {
    if (kinks.some((k) => Math.abs(x - k) < KINK_GAP)) continue;
    const analytic = def.df(x, p);
    const numeric = central((v) => def.f(v, p), x);
    const diff = Math.abs(analytic - numeric);
    worst = Math.max(worst, diff);
    if (!(diff <= TOL * Math.max(1, Math.abs(analytic)))) {
      out.push(`${def.name}(${p.join(', ')}): at x = ${x}, f' = ${analytic} but the central difference is ${numeric} (|diff| = ${diff})`);
    }
  }
  if (out.length > 0) out.push(`${def.name}: max |diff| = ${worst}`);
  return out;
}

/** Same for ∂f/∂p_j of every learnable parameter j. */
function paramFailures(def: ActivationDef, p: readonly number[], kinks: readonly number[]): string[] {
  const out: string[] = [];
  if (def.dparams === undefined) return [`${def.name}: has learnable parameters but no dparams`];
  const grad = p.map(() => 0);
  def.params.forEach((spec, j) => {
    if (!spec.learnable) return;
    for (const x of XS) {
      if (kinks.some((k) => Math.abs(x - k) < KINK_GAP)) continue;
      def.dparams?.(x, p, grad);
      const analytic = grad[j];
      const numeric = central((v) => def.f(x, p.map((q, i) => (i === j ? v : q))), p[j]);
      const diff = Math.abs(analytic - numeric);
      if (!(diff <= TOL * Math.max(1, Math.abs(analytic)))) {
        out.push(`${def.name}: ∂f/∂${spec.name} at x = ${x}, p = [${p.join(', ')}] is ${analytic}, central difference ${numeric} (|diff| = ${diff})`);
      }
    }
  });
  return out;
}

/** Non-default parameter values, with the kinks they move to. */
const CASES: readonly { name: string; params: Record<string, number>; kinks: number[] }[] = [
  { name: 'leaky_relu', params: { negative_slope: 0.2 }, kinks: [0] },
  { name: 'prelu', params: { weight: -0.3 }, kinks: [0] },
  { name: 'prelu', params: { weight: 0.7 }, kinks: [0] },
  { name: 'rrelu', params: { lower: 0.1, upper: 0.4 }, kinks: [0] },
  { name: 'elu', params: { alpha: 0.5 }, kinks: [0] },
  { name: 'elu', params: { alpha: 2 }, kinks: [0] },
  { name: 'celu', params: { alpha: 0.5 }, kinks: [] },
  { name: 'celu', params: { alpha: 2 }, kinks: [] },
  { name: 'softplus', params: { beta: 2 }, kinks: [10] },
  { name: 'softplus', params: { beta: 0.5, threshold: 3 }, kinks: [6] },
  { name: 'swish', params: { beta: 2 }, kinks: [] },
  { name: 'swish', params: { beta: 0.5 }, kinks: [] },
  { name: 'squareplus', params: { b: 1 }, kinks: [] },
  { name: 'hardtanh', params: { min_val: -2, max_val: 0.5 }, kinks: [-2, 0.5] },
  { name: 'softshrink', params: { lambd: 1.2 }, kinks: [-1.2, 1.2] },
  { name: 'hardshrink', params: { lambd: 0.3 }, kinks: [-0.3, 0.3] },
];

describe("f' against central finite differences", () => {
  it.each(elementwise.map((d) => [d.name, d] as const))('%s, default parameters', (_name, def) => {
    const p = resolveParams(def);
    expect(derivativeFailures(def, p, def.meta.kinks.map((k) => k.at))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, JSON.stringify(c.params), c] as const))('%s at %s', (_name, _p, c) => {
    const def = getActivation(c.name);
    expect(derivativeFailures(def, resolveParams(def, c.params), c.kinks)).toEqual([]);
  });

  it('covers every entry that has parameters at a non-default value', () => {
    const covered = new Set(CASES.map((c) => c.name));
    const missing = elementwise.filter((d) => d.params.length > 0 && !covered.has(d.name)).map((d) => d.name);
    expect(missing).toEqual([]);
  });
});

describe('∂f/∂p of learnable parameters against central finite differences', () => {
  const learnable = elementwise.filter((d) => d.params.some((s) => s.learnable));

  it('has at least the learnable entries of the spec (prelu, swish)', () => {
    expect(learnable.map((d) => d.name)).toEqual(expect.arrayContaining(['prelu', 'swish']));
  });

  it.each(learnable.map((d) => [d.name, d] as const))('%s, default parameters', (_name, def) => {
    expect(paramFailures(def, resolveParams(def), def.meta.kinks.map((k) => k.at))).toEqual([]);
  });

  it.each(CASES.filter((c) => getActivation(c.name).params.some((s) => s.learnable)).map((c) => [c.name, JSON.stringify(c.params), c] as const))(
    '%s at %s',
    (_name, _p, c) => {
      const def = getActivation(c.name);
      expect(paramFailures(def, resolveParams(def, c.params), c.kinks)).toEqual([]);
    },
  );
});
