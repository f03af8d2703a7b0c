// Mean-field theory against closed forms and the published points (Poole et al. 2016;
// Schoenholz et al. 2017), the closed-form arc-cosine kernels against quadrature, Price's
// theorem (χ_c is the correlation map's slope) by finite differences, and the `critical`
// rule: χ₁ = 1 to 1e-9 where a stable fixed point exists, unit variance preserved to 1e-9
// elsewhere — each checked by a route independent of the one that solved it.
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../activations/catalogue.js';
import { integrandOf, theoryAct } from './acts.js';
import { analyse, criticalSigmaW2 } from './analysis.js';
import { criticalChoice } from './critical.js';
import { gaussMean2, panelMean } from './gaussian.js';
import { chiCAt, correlationMap, lengthFixedPoint } from './meanfield.js';
import { crossMoment, derivativeCross } from './moments.js';

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe('ReLU: the closed forms of Poole et al. / Schoenholz et al.', () => {
  it('χ₁ = σ_w²/2 exactly and q* = σ_b²/(1 − σ_w²/2) (to 1e-13) wherever the fixed point exists', () => {
    const relu = theoryAct('relu');
    for (const sw2 of [0.5, 1, 1.5, 1.9]) {
      for (const sb2 of [0.01, 0.1, 1]) {
        const p = analyse(relu, { sigmaW2: sw2, sigmaB2: sb2 });
        expect(p.chi1).toBe(sw2 / 2);
        expect(relErr(p.qStar, sb2 / (1 - sw2 / 2)), `q* at σ_w² = ${sw2}, σ_b² = ${sb2}: ${p.qStar}`).toBeLessThan(1e-13);
        expect(p.phase).toBe('ordered');
        expect(p.cStar).toBe(1);
      }
    }
  });

  it('critical σ_w² is 2 (He) for σ_b = 0 and none for σ_b² > 0; leaky_relu: 2/(1 + k²)', () => {
    expect(criticalSigmaW2(theoryAct('relu'), 0)).toBe(2);
    expect(criticalSigmaW2(theoryAct('relu'), 0.05)).toBeNull();
    expect(criticalSigmaW2(theoryAct('leaky_relu', { negative_slope: 0.2 }), 0)).toBeCloseTo(2 / 1.04, 14);
  });

  it('σ_w² > 2 has no fixed point: one sentence naming it', () => {
    expect(() => analyse(theoryAct('relu'), { sigmaW2: 3, sigmaB2: 0 })).toThrow(/relu with σ_w² = 3, σ_b² = 0 has no fixed point q\*/);
  });

  it('the arc-cosine closed forms agree with quadrature of the kinked functions (2-D, to 1e-11)', () => {
    const bad: string[] = [];
    for (const [name, params] of [['relu', {}], ['leaky_relu', { negative_slope: 0.3 }], ['prelu', { weight: -0.4 }]] as const) {
      const a = theoryAct(name, params);
      const f = { ...integrandOf(a, a.f), ghMaxScale: 0 };
      const df = { ...integrandOf(a, a.df), ghMaxScale: 0 };
      for (const [q11, q22, q12] of [[1, 1, 0.5], [0.3, 2, -0.4], [2, 2, 1.9], [1, 0.5, 0]]) {
        const c1 = crossMoment(a, q11, q22, q12);
        const n1 = gaussMean2(f, f, q11, q22, q12);
        const c2 = derivativeCross(a, q11, q22, q12);
        const n2 = gaussMean2(df, df, q11, q22, q12);
        if (Math.abs(c1 - n1) > 1e-11 * Math.max(1, Math.abs(c1))) bad.push(`${name} E[ff](${q11},${q22},${q12}): ${c1} vs ${n1}`);
        if (Math.abs(c2 - n2) > 1e-11) bad.push(`${name} E[f′f′](${q11},${q22},${q12}): ${c2} vs ${n2}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('tanh: the published critical points', () => {
  it('σ_b = 0: critical at σ_w² = 1 (to 1e-12), ordered below, chaotic above', () => {
    const t = theoryAct('tanh');
    expect(Math.abs(criticalSigmaW2(t, 0)! - 1)).toBeLessThan(1e-12);
    expect(analyse(t, { sigmaW2: 0.8, sigmaB2: 0 }).phase).toBe('ordered');
    expect(analyse(t, { sigmaW2: 1.5, sigmaB2: 0 }).phase).toBe('chaotic');
  });

  it('σ_b² = 0.05: critical σ_w² within 0.005 of Schoenholz et al.\'s 1.76 (the precision they quote)', () => {
    const s = criticalSigmaW2(theoryAct('tanh'), 0.05)!;
    expect(Math.abs(s - 1.76), `critical σ_w² = ${s}`).toBeLessThan(0.005);
  });

  it('the critical line rises with σ_b² (the phase diagram\'s boundary)', () => {
    const t = theoryAct('tanh');
    const line = [0, 0.01, 0.05, 0.1, 0.3, 1].map((sb2) => criticalSigmaW2(t, sb2)!);
    for (let i = 1; i < line.length; i++) expect(line[i]).toBeGreaterThan(line[i - 1]);
  });

  it('in the chaotic phase c* < 1 and χ_c < 1; ξ_c diverges toward the critical point', () => {
    const t = theoryAct('tanh');
    const p = analyse(t, { sigmaW2: 2.5, sigmaB2: 0.05 });
    expect(p.cStar).toBeGreaterThan(0);
    expect(p.cStar).toBeLessThan(1);
    expect(p.chiC).toBeLessThan(1);
    const s = criticalSigmaW2(t, 0.05)!;
    const xi = [1.3, 1.1, 1.02, 1.005].map((k) => analyse(t, { sigmaW2: s * k, sigmaB2: 0.05 }).corrDepthScale);
    for (let i = 1; i < xi.length; i++) expect(xi[i]).toBeGreaterThan(xi[i - 1]);
    expect(xi[xi.length - 1]).toBeGreaterThan(100);
  });

  it('χ_c is the slope of the correlation map at c* (Price\'s theorem; central differences, to 1e-6)', () => {
    const bad: string[] = [];
    for (const [name, sw2] of [['tanh', 2.5], ['tanh', 4], ['hardtanh', 2], ['elu', 1.4]] as const) {
      const a = theoryAct(name);
      const v = { sigmaW2: sw2, sigmaB2: 0.05 };
      const p = analyse(a, v);
      const h = 1e-4;
      const slope = (correlationMap(a, v, p.qStar, p.cStar + h) - correlationMap(a, v, p.qStar, p.cStar - h)) / (2 * h);
      if (p.cStar < 1 && Math.abs(slope - chiCAt(a, v, p.qStar, p.cStar)) > 1e-6) bad.push(`${name} ${sw2}: slope ${slope} vs χ_c ${p.chiC}`);
      // and c* is a fixed point
      if (Math.abs(correlationMap(a, v, p.qStar, p.cStar) - p.cStar) > 1e-12) bad.push(`${name} ${sw2}: c* not fixed`);
    }
    expect(bad).toEqual([]);
  });
});

/** q* by plain iteration of the length map with the panel rule (no root finder, no Gauss–Hermite). */
function iteratedQStar(name: string, params: Record<string, number>, sw2: number, sb2: number): number {
  const a = theoryAct(name, params);
  const f2 = { ...integrandOf(a, (x) => a.f(x) ** 2), ghMaxScale: 0 };
  let q = 1;
  for (let i = 0; i < 20000; i++) {
    const next = sw2 * panelMean(f2, 0, Math.sqrt(q)) + sb2;
    if (Math.abs(next - q) <= 1e-16 * q) return next;
    q = next;
  }
  return q;
}

describe("the 'critical' rule", () => {
  const bounded = ['tanh', 'lecun_tanh', 'hardtanh', 'softsign', 'sigmoid', 'hardsigmoid', 'bipolar_sigmoid', 'relu6'];
  it('bounded activations: χ₁ = 1 to 1e-9 at the fixed point, re-evaluated by plain iteration and the panel rule', () => {
    const bad: string[] = [];
    for (const name of bounded) {
      for (const sb2 of [0.05, 0.3]) {
        const c = criticalChoice(name, {}, sb2);
        if (c.rule !== 'edge-of-chaos') bad.push(`${name} ${sb2}: rule ${c.rule}`);
        const q = iteratedQStar(name, {}, c.sigmaW2, sb2);
        const a = theoryAct(name);
        const chi = c.sigmaW2 * panelMean({ ...integrandOf(a, (x) => a.df(x) ** 2), ghMaxScale: 0 }, 0, Math.sqrt(q));
        if (Math.abs(chi - 1) > 1e-9) bad.push(`${name} σ_b²=${sb2}: χ₁ = ${chi} at q = ${q} (σ_w² = ${c.sigmaW2})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('bounded activations with σ_b = 0 and φ(0) = 0: σ_w² = 1/φ′(0)² exactly (tanh 1, lecun_tanh 1/(1.7159·2/3)², bipolar_sigmoid 4)', () => {
    expect(criticalChoice('tanh').sigmaW2).toBe(1);
    expect(relErr(criticalChoice('lecun_tanh').sigmaW2, 1 / (1.7159 * (2 / 3)) ** 2)).toBeLessThan(1e-15);
    expect(criticalChoice('bipolar_sigmoid').sigmaW2).toBe(4);
  });

  it('unbounded activations: unit variance preserved to 1e-9 (panel rule), He 2 for relu, 2/(1 + k²) for leaky_relu, 1 for selu', () => {
    const bad: string[] = [];
    const unbounded = ACTIVATIONS.filter((d) => d.kind === 'elementwise' && !(d.meta.boundedAbove && d.meta.boundedBelow)).map((d) => d.name);
    expect(unbounded).toEqual(expect.arrayContaining(['relu', 'leaky_relu', 'elu', 'gelu', 'silu', 'mish', 'softplus', 'selu']));
    for (const name of unbounded) {
      for (const sb2 of [0, 0.1]) {
        const c = criticalChoice(name, {}, sb2);
        const a = theoryAct(name);
        const q1 = c.sigmaW2 * panelMean({ ...integrandOf(a, (x) => a.f(x) ** 2), ghMaxScale: 0 }, 0, 1) + sb2;
        if (c.rule !== 'variance-preserving' || Math.abs(q1 - 1) > 1e-9) bad.push(`${name} σ_b²=${sb2}: ${c.rule}, q¹ = ${q1}`);
      }
    }
    expect(bad).toEqual([]);
    expect(criticalChoice('relu').sigmaW2).toBe(2);
    expect(criticalChoice('relu', {}, 0.1).sigmaW2).toBeCloseTo(1.8, 14);
    expect(criticalChoice('leaky_relu', { negative_slope: 0.3 }).sigmaW2).toBeCloseTo(2 / 1.09, 14);
    // SELU's constants make E[selu(z)²] = 1 for z ~ N(0, 1)
    expect(Math.abs(criticalChoice('selu').sigmaW2 - 1)).toBeLessThan(1e-9);
    expect(criticalChoice('relu').chi1).toBe(1);
  });

  it('says why it cannot: σ_b² ≥ 1 for an unbounded activation, maxout, softmax', () => {
    expect(() => criticalChoice('relu', {}, 1)).toThrow(/σ_b² = 1 ≥ 1 no weight variance keeps a unit variance/);
    expect(() => criticalChoice('maxout')).toThrow(/maxout is not an elementwise activation/);
    expect(() => criticalChoice('softmax')).toThrow(/softmax is not an elementwise activation/);
    expect(() => criticalChoice('tanh', {}, -1)).toThrow(/σ_b² must be a finite number ≥ 0; got -1/);
  });
});

describe('bad values', () => {
  it('σ_w² ≤ 0, σ_b² < 0, non-finite values and q⁰ ≤ 0 are one sentence each', () => {
    const t = theoryAct('tanh');
    expect(() => analyse(t, { sigmaW2: 0, sigmaB2: 0 })).toThrow('theory: σ_w² must be a finite number > 0; got 0');
    expect(() => analyse(t, { sigmaW2: 1, sigmaB2: -0.1 })).toThrow('theory: σ_b² must be a finite number ≥ 0; got -0.1');
    expect(() => analyse(t, { sigmaW2: NaN, sigmaB2: 0 })).toThrow('theory: σ_w² must be a finite number > 0; got NaN');
    expect(() => analyse(t, { sigmaW2: 1, sigmaB2: 0 }, 0)).toThrow('theory: q⁰ must be a finite number > 0; got 0');
  });

  it('the fixed point from q⁰: the ReLU family dies out (q* = 0) below He with σ_b = 0 and grows without bound above', () => {
    const relu = theoryAct('relu');
    expect(lengthFixedPoint(relu, { sigmaW2: 1.9, sigmaB2: 0 }).kind).toBe('zero');
    expect(lengthFixedPoint(relu, { sigmaW2: 2.1, sigmaB2: 0 }).kind).toBe('diverges');
    expect(lengthFixedPoint(relu, { sigmaW2: 2, sigmaB2: 0 }, 3.5).q).toBe(3.5);
  });
});

describe('correlationCurve', () => {
  it('interpolates the correlation map: 1e-6 for tanh and elu, 1e-4 for relu (square-root singularity at c = 1)', async () => {
    const { correlationCurve } = await import('./meanfield.js');
    const bad: string[] = [];
    for (const [name, sw2, tol] of [['tanh', 1, 1e-6], ['tanh', 4, 1e-6], ['elu', 1.5, 1e-6], ['relu', 2, 1e-4]] as const) {
      const a = theoryAct(name);
      const v = { sigmaW2: sw2, sigmaB2: 0.05 };
      const C = correlationCurve(a, v, 0.8);
      for (const c of [-0.9, -0.3, 0.1, 0.37, 0.6, 0.85, 0.97, 0.995]) {
        const e = Math.abs(C(c) - correlationMap(a, v, 0.8, c));
        if (e > tol) bad.push(`${name} σ_w²=${sw2} c=${c}: ${e.toExponential(1)}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
