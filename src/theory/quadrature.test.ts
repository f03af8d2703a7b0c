// The quadrature rules against closed forms (moments of N(0, 1), Legendre integrals, the
// small rules' nodes and weights), the convergence of Gauss–Hermite and of the panel rule,
// and the panel rule against closed-form Gaussian integrals of kinked activations.
import { describe, expect, it } from 'vitest';
import { normalCdf, normalPdf } from '../activations/special.js';
import { integrandOf, theoryAct } from './acts.js';
import { GH_NODES, hermiteMean, panelMean, type Integrand } from './gaussian.js';
import { gaussHermite, gaussLegendre } from './quadrature.js';

/** (2k − 1)!! = E[Z^{2k}] for Z ~ N(0, 1). */
function doubleFactorial(k: number): number {
  let p = 1;
  for (let i = 2 * k - 1; i > 1; i -= 2) p *= i;
  return p;
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe('Gauss–Hermite (standard normal measure)', () => {
  it('has the closed-form nodes and weights for n = 1, 2, 3', () => {
    const r1 = gaussHermite(1);
    expect([r1.nodes[0], r1.weights[0]]).toEqual([0, 1]);
    const r2 = gaussHermite(2); // He₂ = z² − 1
    expect(Math.abs(r2.nodes[1] - 1)).toBeLessThan(1e-15);
    expect(Math.abs(r2.weights[0] - 0.5)).toBeLessThan(1e-15);
    const r3 = gaussHermite(3); // He₃ = z³ − 3z: nodes 0, ±√3, weights 2/3, 1/6
    expect(r3.nodes[1]).toBe(0);
    expect(Math.abs(r3.nodes[2] - Math.sqrt(3))).toBeLessThan(1e-15);
    expect(Math.abs(r3.weights[1] - 2 / 3)).toBeLessThan(1e-15);
    expect(Math.abs(r3.weights[2] - 1 / 6)).toBeLessThan(1e-15);
  });

  it('integrates every moment of degree ≤ 2n − 1 exactly (to 1e-13 relative)', () => {
    const worst: string[] = [];
    for (const n of [4, 10, 30, GH_NODES]) {
      const r = gaussHermite(n);
      for (let k = 0; 2 * k <= Math.min(2 * n - 1, 60); k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += r.weights[i] * r.nodes[i] ** (2 * k);
        if (relErr(s, doubleFactorial(k)) > 1e-13) worst.push(`n=${n} E[z^${2 * k}]: ${s} vs ${doubleFactorial(k)}`);
      }
    }
    expect(worst).toEqual([]);
  });

  it('converges geometrically for an analytic integrand (tanh², σ = 0.5): error falls with n to rounding', () => {
    const t = theoryAct('tanh');
    const g = (x: number) => t.f(x) ** 2;
    const ref = panelMean({ ...integrandOf(t, g), ghMaxScale: 0 }, 0, 0.5);
    const errs = [8, 16, 32, GH_NODES].map((n) => relErr(hermiteMean(g, 0, 0.5, n), ref));
    for (let i = 1; i < errs.length - 1; i++) expect(errs[i], `errors ${errs.join(', ')}`).toBeLessThan(errs[i - 1] / 10);
    expect(errs[errs.length - 1]).toBeLessThan(1e-14);
  });
});

describe('Gauss–Legendre', () => {
  it('has nodes ±1/√3 for n = 2 and integrates x^{2k} on [−1, 1] exactly for 2k ≤ 2n − 1', () => {
    const r2 = gaussLegendre(2);
    expect(Math.abs(r2.nodes[1] - 1 / Math.sqrt(3))).toBeLessThan(1e-15);
    const bad: string[] = [];
    for (const n of [3, 10, 20]) {
      const r = gaussLegendre(n);
      for (let k = 0; 2 * k <= 2 * n - 1; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += r.weights[i] * r.nodes[i] ** (2 * k);
        if (relErr(s, 2 / (2 * k + 1)) > 1e-14) bad.push(`n=${n} k=${k}: ${s}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

/** E[u²·1(|u| < 1)] + P(|u| ≥ 1) for u ~ N(0, q): E[hardtanh(u)²]. */
function hardtanhSecond(q: number): number {
  const t = 1 / Math.sqrt(q);
  return q * (2 * normalCdf(t) - 1) - 2 * Math.sqrt(q) * normalPdf(t) + 2 * normalCdf(-t);
}

/** E[elu(u)²] and E[elu′(u)²] for u ~ N(0, q), α = 1: from E[e^{tu}; u < 0] = e^{t²q/2}Φ(−t√q). */
function eluMoments(q: number): { m2: number; d2: number } {
  const s = Math.sqrt(q);
  const e1 = Math.exp(q / 2) * normalCdf(-s);
  const e2 = Math.exp(2 * q) * normalCdf(-2 * s);
  return { m2: q / 2 + (e2 - 2 * e1 + 0.5), d2: 0.5 + e2 };
}

describe('panels split at the kinks, against closed forms', () => {
  const asPanels = (it: Integrand): Integrand => ({ ...it, ghMaxScale: 0 });
  it('relu, leaky_relu: E[f²] = q(1 + k²)/2, E[f′²] = (1 + k²)/2 to 1e-13, at any variance', () => {
    const bad: string[] = [];
    for (const [name, k] of [['relu', 0], ['leaky_relu', 0.01]] as const) {
      const a = theoryAct(name);
      // the closed form is bypassed: integrate f² and f′² as plain kinked integrands
      const f2 = asPanels(integrandOf(a, (x) => a.f(x) ** 2));
      const d2 = asPanels(integrandOf(a, (x) => a.df(x) ** 2));
      for (const q of [1e-6, 0.01, 1, 7, 1e4]) {
        const s = Math.sqrt(q);
        if (relErr(panelMean(f2, 0, s), (q * (1 + k * k)) / 2) > 1e-13) bad.push(`${name} E[f²] q=${q}`);
        if (relErr(panelMean(d2, 0, s), (1 + k * k) / 2) > 1e-13) bad.push(`${name} E[f′²] q=${q}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('elu and hardtanh: E[f²] and E[f′²] to 1e-13 over q from 0.01 to 10', () => {
    const elu = theoryAct('elu');
    const ht = theoryAct('hardtanh');
    const bad: string[] = [];
    for (const q of [0.01, 0.1, 0.5, 1, 2.5, 10]) {
      const s = Math.sqrt(q);
      const e = eluMoments(q);
      const pairs: [string, number, number][] = [
        ['elu E[f²]', panelMean(integrandOf(elu, (x) => elu.f(x) ** 2), 0, s), e.m2],
        ['elu E[f′²]', panelMean(integrandOf(elu, (x) => elu.df(x) ** 2), 0, s), e.d2],
        ['hardtanh E[f²]', panelMean(integrandOf(ht, (x) => ht.f(x) ** 2), 0, s), hardtanhSecond(q)],
        ['hardtanh E[f′²]', panelMean(integrandOf(ht, (x) => ht.df(x) ** 2), 0, s), 2 * normalCdf(1 / s) - 1],
      ];
      for (const [what, got, want] of pairs) if (relErr(got, want) > 1e-13) bad.push(`${what} q=${q}: ${got} vs ${want} (${relErr(got, want).toExponential(1)})`);
    }
    expect(bad).toEqual([]);
  });

  it('a kink off the grid costs nothing: hardtanh with min −0.37, max 1.9 at σ = 0.8 matches the shifted closed form', () => {
    const a = theoryAct('hardtanh', { min_val: -0.37, max_val: 1.9 });
    const s = 0.8;
    // E[f′²] = P(−0.37 < u < 1.9)
    const want = normalCdf(1.9 / s) - normalCdf(-0.37 / s);
    expect(relErr(panelMean(integrandOf(a, (x) => a.df(x) ** 2), 0, s), want)).toBeLessThan(1e-13);
  });
});

describe('Gauss–Hermite reach (GH_REACH) for the smooth entries', () => {
  it('agrees with the panel rule to 1e-13 up to the largest σ it is used for', () => {
    const smooth = ['tanh', 'lecun_tanh', 'tanhshrink', 'sigmoid', 'bipolar_sigmoid', 'logsigmoid', 'silu', 'gelu', 'gelu_tanh', 'mish', 'squareplus'];
    const bad: string[] = [];
    for (const name of smooth) {
      const a = theoryAct(name);
      for (const frac of [0.25, 0.5, 1]) {
        const b = a.ghMaxScale * frac;
        for (const g of [(x: number) => a.f(x) ** 2, (x: number) => a.df(x) ** 2]) {
          const it = integrandOf(a, g);
          const e = relErr(hermiteMean(g, 0.3, b), panelMean({ ...it, ghMaxScale: 0 }, 0.3, b));
          if (e > 1e-13) bad.push(`${name} σ=${b}: ${e.toExponential(1)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
