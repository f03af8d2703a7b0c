/**
 * Catalogue entries against closed forms and published numbers: the sigmoid
 * bound, GELU's value and minimum, the SELU constants and fixed point, the
 * minima of SiLU and Mish, RReLU's evaluation slope, and identities that tie
 * entries to each other (tanh = 2σ(2x) − 1, silu = swish(β = 1), …).
 */
import { describe, expect, it } from 'vitest';
import { erf, getActivation, normalPdf, resolveParams, SELU_ALPHA, SELU_LAMBDA } from './index.js';

/** f of a catalogue entry at its default parameters. */
function fOf(name: string, params: Record<string, number> = {}): (x: number) => number {
  const def = getActivation(name);
  const p = resolveParams(def, params);
  return (x) => def.f(x, p);
}

/** f' of a catalogue entry at its default parameters. */
function dfOf(name: string, params: Record<string, number> = {}): (x: number) => number {
  const def = getActivation(name);
  const p = resolveParams(def, params);
  return (x) => def.df(x, p);
}

/** Golden-section search for the minimum of a unimodal g on [a, b]: [argmin, min]. */
function goldenMin(g: (x: number) => number, a: number, b: number): [number, number] {
  const r = (Math.sqrt(5) - 1) / 2;
  let lo = a;
  let hi = b;
  for (let i = 0; i < 200; i++) {
    const c = hi - r * (hi - lo);
    const d = lo + r * (hi - lo);
    if (g(c) < g(d)) hi = d;
    else lo = c;
  }
  const x = (lo + hi) / 2;
  return [x, g(x)];
}

/** ∫ g(x) φ(x) dx over [−12, 12] by composite Simpson with a node at 0 (kinks at 0 stay on panel edges). */
function gaussianMean(g: (x: number) => number): number {
  const N = 24000;
  const h = 24 / N;
  let s = 0;
  for (let k = 0; k <= N; k++) {
    const x = (k - N / 2) * h;
    const w = k === 0 || k === N ? 1 : k % 2 === 1 ? 4 : 2;
    s += w * g(x) * normalPdf(x);
  }
  return (s * h) / 3;
}

describe('sigmoid', () => {
  it("σ'(0) = 1/4 exactly and σ' ≤ 1/4 on a dense grid", () => {
    const ds = dfOf('sigmoid');
    expect(ds(0)).toBe(0.25);
    for (let x = -50; x <= 50; x += 0.001) expect(ds(x) <= 0.25).toBe(true);
  });

  it('tanh(x) = 2σ(2x) − 1 and bipolar_sigmoid(x) = 2σ(x) − 1', () => {
    const s = fOf('sigmoid');
    const th = fOf('tanh');
    const bp = fOf('bipolar_sigmoid');
    for (let x = -10; x <= 10; x += 0.037) {
      expect(Math.abs(th(x) - (2 * s(2 * x) - 1))).toBeLessThan(1e-15);
      expect(Math.abs(bp(x) - (2 * s(x) - 1))).toBeLessThan(1e-15);
    }
  });

  it("logsigmoid = ln σ, softplus' = σ, hardsigmoid = relu6(x + 3)/6", () => {
    const s = fOf('sigmoid');
    const ls = fOf('logsigmoid');
    const dsp = dfOf('softplus');
    const hs = fOf('hardsigmoid');
    const r6 = fOf('relu6');
    for (let x = -15; x <= 15; x += 0.041) {
      expect(Math.abs(ls(x) - Math.log(s(x)))).toBeLessThan(1e-14);
      expect(Math.abs(dsp(x) - s(x))).toBeLessThan(1e-15);
      expect(Math.abs(hs(x) - r6(x + 3) / 6)).toBeLessThan(1e-15);
    }
  });
});

describe('GELU', () => {
  it('gelu(1) = 0.8413447460685429 (to 1e-12)', () => {
    expect(Math.abs(fOf('gelu')(1) - 0.8413447460685429)).toBeLessThan(1e-12);
    expect(fOf('gelu')(1)).toBeCloseTo(0.841344746, 9);
  });

  it('has its minimum ≈ −0.16997 at x ≈ −0.7518', () => {
    const [x, y] = goldenMin(fOf('gelu'), -3, 0);
    expect(Math.abs(x - -0.7518)).toBeLessThan(1e-4);
    expect(Math.abs(y - -0.16997)).toBeLessThan(1e-4);
  });

  it('equals PyTorch’s ½x(1 + erf(x/√2)) where that form does not cancel', () => {
    const g = fOf('gelu');
    for (let x = -3; x <= 10; x += 0.013) {
      const ref = 0.5 * x * (1 + erf(x / Math.SQRT2));
      expect(Math.abs(g(x) - ref)).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(ref)));
    }
  });

  it('gelu_tanh is within 5e-4 of gelu on [−10, 10] (max error ≈ 4.7e-4)', () => {
    const g = fOf('gelu');
    const gt = fOf('gelu_tanh');
    let worst = 0;
    for (let x = -10; x <= 10; x += 1e-3) worst = Math.max(worst, Math.abs(g(x) - gt(x)));
    expect(worst).toBeLessThan(5e-4);
    expect(worst).toBeGreaterThan(4e-4);
  });

  it('gelu_tanh matches PyTorch’s ½x(1 + tanh(√(2/π)(x + 0.044715x³)))', () => {
    const gt = fOf('gelu_tanh');
    for (let x = -4; x <= 10; x += 0.017) {
      const ref = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      expect(Math.abs(gt(x) - ref)).toBeLessThan(1e-14 * Math.max(1, Math.abs(x)));
    }
  });
});

describe('SELU', () => {
  it('uses Klambauer et al.’s constants', () => {
    expect(SELU_LAMBDA).toBe(1.0507009873554804934193349852946);
    expect(SELU_ALPHA).toBe(1.6732632423543772848170429916717);
    const f = fOf('selu');
    expect(f(1)).toBe(SELU_LAMBDA);
    expect(Math.abs(f(-1e3) - -SELU_LAMBDA * SELU_ALPHA)).toBeLessThan(1e-15);
  });

  it('maps N(0, 1) to mean 0 and variance 1 (its fixed point)', () => {
    const f = fOf('selu');
    expect(Math.abs(gaussianMean(f))).toBeLessThan(1e-9);
    expect(Math.abs(gaussianMean((x) => f(x) * f(x)) - 1)).toBeLessThan(1e-9);
  });
});

describe('gated units', () => {
  it('silu has its minimum ≈ −0.27846 at x ≈ −1.2785', () => {
    const [x, y] = goldenMin(fOf('silu'), -4, 0);
    expect(Math.abs(x - -1.2785)).toBeLessThan(1e-4);
    expect(Math.abs(y - -0.27846)).toBeLessThan(1e-4);
  });

  it('mish has its minimum ≈ −0.30884 at x ≈ −1.1924', () => {
    const [x, y] = goldenMin(fOf('mish'), -4, 0);
    expect(Math.abs(x - -1.1924)).toBeLessThan(1e-4);
    expect(Math.abs(y - -0.30884)).toBeLessThan(1e-4);
  });

  it("mish'(0) = tanh(ln 2) = 0.6", () => {
    expect(Math.abs(dfOf('mish')(0) - 0.6)).toBeLessThan(1e-15);
  });

  it('swish with β = 1 is silu, and hardswish = x·relu6(x + 3)/6', () => {
    const si = fOf('silu');
    const sw = fOf('swish', { beta: 1 });
    const dsi = dfOf('silu');
    const dsw = dfOf('swish', { beta: 1 });
    const hs = fOf('hardswish');
    const r6 = fOf('relu6');
    for (let x = -12; x <= 12; x += 0.029) {
      expect(sw(x)).toBe(si(x));
      expect(dsw(x)).toBe(dsi(x));
      expect(Math.abs(hs(x) - (x * r6(x + 3)) / 6)).toBeLessThan(1e-15);
    }
  });
});

describe('rectifiers', () => {
  it('rrelu evaluates with the mean slope (1/8 + 1/3)/2 = 11/48', () => {
    const slope = (1 / 8 + 1 / 3) / 2;
    expect(Math.abs(slope - 11 / 48)).toBeLessThan(1e-16);
    expect(fOf('rrelu')(-2)).toBe(-2 * slope);
    expect(dfOf('rrelu')(-2)).toBe(slope);
  });

  it('celu with α = 1 is elu, and elu\' = f + α for x ≤ 0', () => {
    const e = fOf('elu');
    const c = fOf('celu');
    const de = dfOf('elu', { alpha: 0.7 });
    const e7 = fOf('elu', { alpha: 0.7 });
    for (let x = -10; x <= 5; x += 0.031) {
      expect(c(x)).toBe(e(x));
      if (x <= 0) expect(Math.abs(de(x) - (e7(x) + 0.7))).toBeLessThan(1e-15);
    }
  });

  it('relu6 is hardtanh(0, 6), and softplus returns x above the threshold as PyTorch', () => {
    const r6 = fOf('relu6');
    const ht = fOf('hardtanh', { min_val: 0, max_val: 6 });
    for (let x = -3; x <= 9; x += 0.05) expect(r6(x)).toBe(ht(x));
    expect(fOf('softplus')(20.5)).toBe(20.5);
    expect(fOf('softplus')(20)).toBe(Math.log1p(Math.exp(20)));
    expect(fOf('softplus', { beta: 2 })(10.5)).toBe(10.5);
  });

  it('squareplus(0) = √b/2 and approaches softplus-like limits', () => {
    expect(fOf('squareplus')(0)).toBe(1);
    expect(fOf('squareplus', { b: 9 })(0)).toBe(1.5);
    expect(Math.abs(fOf('squareplus')(-1e6) - 1e-6)).toBeLessThan(1e-18);
  });
});

describe('tanh family', () => {
  it("lecun_tanh(±1) ≈ ±1 and lecun_tanh'(0) = 1.7159·2/3", () => {
    expect(Math.abs(fOf('lecun_tanh')(1) - 1)).toBeLessThan(1e-4);
    expect(dfOf('lecun_tanh')(0)).toBe(1.7159 * (2 / 3));
  });

  it('softshrink and hardshrink zero [−λ, λ] and follow x outside', () => {
    const ss = fOf('softshrink');
    const hs = fOf('hardshrink');
    expect(ss(0.5)).toBe(0);
    expect(ss(2)).toBe(1.5);
    expect(ss(-2)).toBe(-1.5);
    expect(hs(0.5)).toBe(0);
    expect(hs(0.6)).toBe(0.6);
  });
});
