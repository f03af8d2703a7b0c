/**
 * Catalogue invariants: size, families, unique names, complete bilingual
 * texts, metadata consistent with the functions themselves (f'(0), sup |f'|,
 * kinks, boundedness, monotonicity, zero-centring, dead zones), and the
 * lookups: name suggestions, parameter validation, evalActivation.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_NAMES,
  ACTIVATIONS,
  ALIASES,
  CATALOGUE,
  FAMILIES,
  evalActivation,
  getActivation,
  normalPdf,
  resolveParams,
  type ActivationDef,
  type Family,
} from './index.js';

const elementwise = ACTIVATIONS.filter((d) => d.kind === 'elementwise');
const byName = (d: ActivationDef) => [d.name, d] as const;

/** [−a, a] in steps of h, exactly symmetric. */
function grid(a: number, h: number): number[] {
  const n = Math.round(a / h);
  return Array.from({ length: 2 * n + 1 }, (_, k) => (k - n) * h);
}
const DENSE = grid(60, 1e-3);

/** Characters found only in Simplified Chinese (their Traditional forms are 這為數層時導習網絡權應輸門單經處從過對計線級點與見關開變險發產實檢礙狀態). */
const SIMPLIFIED_ONLY = '这为数层时导习网络权应输门单经处从过对计线级点与见关开变险发产实检碍状态';

describe('catalogue shape', () => {
  it('has at least 30 entries with unique names, in ACTIVATION_NAMES order', () => {
    expect(ACTIVATIONS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ACTIVATIONS.map((d) => d.name)).size).toBe(ACTIVATIONS.length);
    expect(ACTIVATIONS.map((d) => d.name)).toEqual([...ACTIVATION_NAMES]);
    for (const n of ACTIVATION_NAMES) expect(CATALOGUE[n].name).toBe(n);
  });

  it('has every family non-empty, and FAMILIES lists each entry exactly once', () => {
    const ids: Family[] = ['relu', 'tanh', 'sigmoid', 'other'];
    expect(FAMILIES.map((f) => f.id)).toEqual(ids);
    for (const f of FAMILIES) {
      expect(f.members.length, f.id).toBeGreaterThan(0);
      for (const m of f.members) expect(CATALOGUE[m].family).toBe(f.id);
      for (const m of f.seeAlso) expect(CATALOGUE[m].family).not.toBe(f.id);
      expect(f.title.en && f.title['zh-Hant'] && f.summary.en && f.summary['zh-Hant']).toBeTruthy();
    }
    expect(FAMILIES.flatMap((f) => f.members).sort()).toEqual([...ACTIVATION_NAMES].sort());
    expect(FAMILIES.find((f) => f.id === 'sigmoid')?.seeAlso).toEqual(['silu', 'swish']);
  });

  it('contains every name of the three families and the others, with the right kinds', () => {
    const required = [
      'relu', 'leaky_relu', 'prelu', 'rrelu', 'elu', 'selu', 'celu', 'gelu', 'gelu_tanh', 'silu', 'swish', 'mish', 'softplus', 'relu6',
      'hardswish', 'squareplus', 'maxout', 'tanh', 'hardtanh', 'softsign', 'tanhshrink', 'lecun_tanh', 'softshrink', 'hardshrink',
      'sigmoid', 'hardsigmoid', 'logsigmoid', 'hard_sigmoid_keras2', 'bipolar_sigmoid', 'linear', 'softmax',
    ];
    expect(ACTIVATION_NAMES).toEqual(expect.arrayContaining(required));
    expect(getActivation('softmax').kind).toBe('vector');
    expect(getActivation('maxout').kind).toBe('layer');
    expect(ACTIVATIONS.filter((d) => d.kind !== 'elementwise').map((d) => d.name).sort()).toEqual(['maxout', 'softmax']);
  });

  it('has related names, aliases and see-also links that resolve', () => {
    for (const d of ACTIVATIONS) for (const r of d.meta.related) expect(ACTIVATION_NAMES, `${d.name} → ${r}`).toContain(r);
    for (const target of Object.values(ALIASES)) expect(ACTIVATION_NAMES).toContain(target);
  });
});

describe('texts', () => {
  it.each(ACTIVATIONS.map(byName))('%s has non-empty English and Traditional Chinese texts', (_n, d) => {
    const m = d.meta;
    for (const lang of ['en', 'zh-Hant'] as const) {
      expect(m.summary[lang].length, `${d.name} summary ${lang}`).toBeGreaterThan(20);
      expect(m.advantages[lang].length).toBeGreaterThanOrEqual(2);
      expect(m.advantages[lang].length).toBeLessThanOrEqual(4);
      expect(m.drawbacks[lang].length).toBeGreaterThanOrEqual(2);
      expect(m.drawbacks[lang].length).toBeLessThanOrEqual(4);
      for (const s of [...m.advantages[lang], ...m.drawbacks[lang]]) expect(s.trim().length).toBeGreaterThan(3);
      for (const p of d.params) expect(p.doc[lang].length).toBeGreaterThan(3);
    }
    expect(m.advantages['zh-Hant'].length).toBe(m.advantages.en.length);
    expect(m.drawbacks['zh-Hant'].length).toBe(m.drawbacks.en.length);
    expect(m.saturates['zh-Hant'] === '').toBe(m.saturates.en === '');
    expect(m.formula.text && m.formula.latex && m.derivative.text && m.derivative.latex).toBeTruthy();
    expect(m.paper.authors && m.paper.title).toBeTruthy();
    expect(m.paper.year).toBeGreaterThanOrEqual(1950);
    expect(m.paper.year).toBeLessThanOrEqual(2025);
  });

  it('writes Chinese in Traditional characters', () => {
    const zh = [
      ...ACTIVATIONS.flatMap((d) => [d.meta.summary['zh-Hant'], d.meta.saturates['zh-Hant'], ...d.meta.advantages['zh-Hant'], ...d.meta.drawbacks['zh-Hant'], ...d.params.map((p) => p.doc['zh-Hant'])]),
      ...FAMILIES.flatMap((f) => [f.title['zh-Hant'], f.summary['zh-Hant']]),
    ];
    const bad = zh.filter((s) => [...s].some((c) => SIMPLIFIED_ONLY.includes(c)));
    expect(bad).toEqual([]);
    for (const d of ACTIVATIONS) expect(d.meta.summary['zh-Hant'], d.name).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('metadata agrees with the functions', () => {
  it.each(elementwise.map(byName))("%s: derivativeAtZero = f'(0) and every kink's derivative = f'(kink)", (_n, d) => {
    const p = resolveParams(d);
    expect(d.df(0, p)).toBe(d.meta.derivativeAtZero);
    for (const k of d.meta.kinks) expect(d.df(k.at, p), `${d.name}'(${k.at})`).toBe(k.derivative);
    for (const k of d.meta.kinks) expect(k.convention.length).toBeGreaterThan(3);
  });

  it.each(elementwise.map(byName))('%s: derivativeMax bounds |f\'| on [−60, 60] and is attained (within 1e-3)', (_n, d) => {
    const p = resolveParams(d);
    let sup = 0;
    for (const x of DENSE) sup = Math.max(sup, Math.abs(d.df(x, p)));
    for (const k of d.meta.kinks) sup = Math.max(sup, Math.abs(d.df(k.at, p)));
    expect(sup).toBeLessThanOrEqual(d.meta.derivativeMax + 1e-9);
    expect(sup).toBeGreaterThan(d.meta.derivativeMax - 1e-3);
  });

  it.each(elementwise.map(byName))('%s: bounded above/below as documented', (_n, d) => {
    const p = resolveParams(d);
    const far = [1e6, -1e6].map((x) => d.f(x, p));
    const ys = DENSE.map((x) => d.f(x, p)).concat(far);
    const hi = Math.max(...ys);
    const lo = Math.min(...ys);
    expect(hi > 1e3, `${d.name}: max sampled f = ${hi}`).toBe(!d.meta.boundedAbove);
    expect(lo < -1e3, `${d.name}: min sampled f = ${lo}`).toBe(!d.meta.boundedBelow);
  });

  it.each(elementwise.map(byName))('%s: monotonic as documented', (_n, d) => {
    const p = resolveParams(d);
    let decreases = false;
    for (let i = 1; i < DENSE.length; i++) if (d.f(DENSE[i], p) < d.f(DENSE[i - 1], p)) decreases = true;
    expect(decreases).toBe(!d.meta.monotonic);
  });

  it.each(elementwise.map(byName))('%s: zero-centred means E[f(X)] = 0 for X ~ N(0, 1)', (_n, d) => {
    const p = resolveParams(d);
    // composite Simpson on a symmetric grid with a node at 0
    const xs = grid(12, 1e-3);
    let s = 0;
    xs.forEach((x, k) => {
      const w = k === 0 || k === xs.length - 1 ? 1 : k % 2 === 1 ? 4 : 2;
      s += w * d.f(x, p) * normalPdf(x);
    });
    const mean = (s * 1e-3) / 3;
    if (d.meta.zeroCentred) expect(Math.abs(mean), `${d.name}: mean ${mean}`).toBeLessThan(1e-9);
    else expect(Math.abs(mean), `${d.name}: mean ${mean}`).toBeGreaterThan(1e-3);
  });

  it.each(elementwise.map(byName))("%s: dead zone documented iff f' = 0 on an interval", (_n, d) => {
    const p = resolveParams(d);
    const zeros = grid(20, 1e-3).filter((x) => d.df(x, p) === 0).length;
    expect(zeros > 10, `${d.name}: ${zeros} grid points with f' = 0`).toBe(d.meta.deadZone !== '');
  });

  it.each(elementwise.map(byName))("%s: smooth entries have a continuous f', non-smooth ones document a kink", (_n, d) => {
    const p = resolveParams(d);
    if (!d.meta.smooth) {
      expect(d.meta.kinks.length).toBeGreaterThan(0);
      return;
    }
    let jump = 0;
    for (const x of grid(10, 1e-3)) jump = Math.max(jump, Math.abs(d.df(x + 1e-7, p) - d.df(x - 1e-7, p)));
    expect(jump).toBeLessThan(1e-4);
  });

  it('keeps costs relative to relu = 1', () => {
    expect(getActivation('relu').meta.cost).toBe(1);
    for (const d of ACTIVATIONS) expect(d.meta.cost).toBeGreaterThan(0);
    expect(getActivation('gelu').meta.cost).toBeGreaterThan(getActivation('sigmoid').meta.cost);
  });

  it('gives every entry with a learnable parameter a dparams', () => {
    for (const d of ACTIVATIONS) if (d.params.some((s) => s.learnable)) expect(d.dparams, d.name).toBeTypeOf('function');
  });

  it('throws clear errors from f and df of the non-elementwise entries', () => {
    expect(() => getActivation('softmax').f(0, [])).toThrow(/softmax is a vector function/);
    expect(() => getActivation('maxout').df(0, [2])).toThrow('maxout is a layer (max over k linear pieces), not an elementwise function; use it in a model');
  });
});

describe('getActivation', () => {
  it('finds canonical names, aliases, any case and dashes', () => {
    expect(getActivation('relu').name).toBe('relu');
    expect(getActivation('Leaky-ReLU').name).toBe('leaky_relu');
    expect(getActivation('identity').name).toBe('linear');
    expect(getActivation('hard_silu').name).toBe('hardswish');
  });

  it('suggests close names', () => {
    expect(() => getActivation('relux')).toThrow("unknown activation 'relux'; did you mean relu, relu6?");
    expect(() => getActivation('sigmod')).toThrow(/did you mean sigmoid\?/);
    expect(() => getActivation('hard_sigmoid')).toThrow(/did you mean hardsigmoid, hard_sigmoid_keras2\?/);
    expect(() => getActivation('soft')).toThrow(/softplus, softsign, softshrink, softmax/);
  });

  it('lists the known names when nothing is close, and never returns prototype keys', () => {
    expect(() => getActivation('quantum_wobble')).toThrow(/known activations: relu, leaky_relu/);
    expect(() => getActivation('constructor')).toThrow(RangeError);
    expect(() => getActivation('__proto__')).toThrow(RangeError);
  });
});

describe('resolveParams', () => {
  it('returns defaults in ParamSpec order, with overrides', () => {
    expect(resolveParams(getActivation('rrelu'))).toEqual([1 / 8, 1 / 3]);
    expect(resolveParams(getActivation('softplus'), { threshold: 10 })).toEqual([1, 10]);
    expect(resolveParams(getActivation('leaky_relu'), { negative_slope: 0.02 })).toEqual([0.02]);
  });

  it('accepts every default', () => {
    for (const d of ACTIVATIONS) expect(() => resolveParams(d), d.name).not.toThrow();
  });

  it('rejects bad values with a sentence naming activation, parameter and value', () => {
    expect(() => resolveParams(getActivation('elu'), { alpha: -1 })).toThrow("elu: parameter 'alpha' must be > 0; got -1");
    expect(() => resolveParams(getActivation('softshrink'), { lambd: -0.1 })).toThrow("softshrink: parameter 'lambd' must be >= 0; got -0.1");
    expect(() => resolveParams(getActivation('softplus'), { beta: NaN })).toThrow("softplus: parameter 'beta' must be a finite number; got NaN");
    expect(() => resolveParams(getActivation('rrelu'), { lower: 0.5 })).toThrow("rrelu: parameter 'lower' must be <= 'upper'; got lower = 0.5, upper = 0.3333333333333333");
    expect(() => resolveParams(getActivation('hardtanh'), { min_val: 2 })).toThrow(/hardtanh: parameter 'min_val' must be < 'max_val'/);
    expect(() => resolveParams(getActivation('maxout'), { pieces: 2.5 })).toThrow("maxout: parameter 'pieces' must be an integer; got 2.5");
    expect(() => resolveParams(getActivation('maxout'), { pieces: 0 })).toThrow("maxout: parameter 'pieces' must be >= 1; got 0");
  });

  it('rejects unknown parameter names, suggesting the right one', () => {
    expect(() => resolveParams(getActivation('relu'), { alpha: 1 })).toThrow("relu: takes no parameters; got 'alpha'");
    expect(() => resolveParams(getActivation('leaky_relu'), { negative_slop: 0.1 })).toThrow(
      "leaky_relu: unknown parameter 'negative_slop' (did you mean 'negative_slope'?); its parameters are negative_slope",
    );
    expect(() => resolveParams(getActivation('elu'), { slope: 1 })).toThrow(/elu: unknown parameter 'slope'; its parameters are alpha/);
  });
});

describe('evalActivation', () => {
  it('returns x, f and f\' in float64 for an elementwise entry', () => {
    expect(evalActivation('leaky_relu', [-1, 0, 2], { negative_slope: 0.1 })).toEqual({ name: 'leaky_relu', x: [-1, 0, 2], y: [-0.1, 0, 2], dy: [0.1, 0.1, 1] });
    const r = evalActivation('Sigmoid', Float64Array.of(0));
    expect(r.name).toBe('sigmoid');
    expect(r.y).toEqual([0.5]);
    expect(r.dy).toEqual([0.25]);
  });

  it('treats softmax as one vector: y = softmax(x), dy = s(1 − s)', () => {
    const r = evalActivation('softmax', [0, 0]);
    expect(r.y).toEqual([0.5, 0.5]);
    expect(r.dy).toEqual([0.25, 0.25]);
    const s = evalActivation('softmax', [1, 2, 3]);
    expect(Math.abs(s.y.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-15);
    s.dy.forEach((v, i) => expect(v).toBe(s.y[i] * (1 - s.y[i])));
  });

  it('refuses maxout with the reason', () => {
    expect(() => evalActivation('maxout', [1])).toThrow('maxout is a layer (max over k linear pieces), not an elementwise function; use it in a model');
  });
});
