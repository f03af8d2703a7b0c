// `gradscope grad`, `gradcheck` and `activations eval` through the real CLI, against
// an independent scalar implementation written here, and every bad input the
// engine issue lists: one clear sentence on stderr and exit code 2.
import { describe, expect, it } from 'vitest';
import { cli, oneCleanLine, put, tempDir } from './helpers.js';

const sig = (t: number) => 1 / (1 + Math.exp(-t));

/** A 3-4-2 model: dense, leaky_relu(0.02), dense, sigmoid. */
function model() {
  return {
    format: 'gradscope-model/1',
    layers: [
      { type: 'dense', in: 3, out: 4, weight: [[0.2, -0.5, 0.1], [0.7, 0.3, -0.2], [-0.4, 0.6, 0.5], [0.1, -0.1, 0.9]], bias: [0.1, -0.2, 0.05, 0] },
      { type: 'activation', name: 'leaky_relu', params: { negative_slope: 0.02 } },
      { type: 'dense', in: 4, out: 2, weight: [[0.3, -0.6, 0.2, 0.4], [-0.5, 0.1, 0.8, -0.3]], bias: [0.2, -0.1] },
      { type: 'activation', name: 'sigmoid' },
    ],
  };
}
const X = [[1, 2, -1], [0.5, -1.5, 2], [-2, 0.3, 0.7]];
const Y = [[1, 0], [0, 1], [1, 1]];

/** Independent reference: per-example scalar backprop of the same model with binary cross-entropy. */
function reference() {
  const m = model();
  const W1 = m.layers[0].weight!, b1 = m.layers[0].bias!, W2 = m.layers[2].weight!, b2 = m.layers[2].bias!;
  const n = X.length;
  const gW1 = W1.map((r) => r.map(() => 0)), gb1 = b1.map(() => 0), gW2 = W2.map((r) => r.map(() => 0)), gb2 = b2.map(() => 0);
  let loss = 0;
  X.forEach((x, e) => {
    const z1 = W1.map((row, j) => row.reduce((s, w, k) => s + w * x[k], b1[j]));
    const a1 = z1.map((z) => (z > 0 ? z : 0.02 * z));
    const z2 = W2.map((row, j) => row.reduce((s, w, k) => s + w * a1[k], b2[j]));
    const a2 = z2.map(sig);
    a2.forEach((a, j) => (loss -= Y[e][j] * Math.log(a) + (1 - Y[e][j]) * Math.log(1 - a)));
    const d2 = a2.map((a, j) => (a - Y[e][j]) / n);
    d2.forEach((d, j) => { gb2[j] += d; a1.forEach((a, k) => (gW2[j][k] += d * a)); });
    const d1 = z1.map((z, k) => d2.reduce((s, d, j) => s + d * W2[j][k], 0) * (z > 0 ? 1 : 0.02));
    d1.forEach((d, j) => { gb1[j] += d; x.forEach((v, k) => (gW1[j][k] += d * v)); });
  });
  return { loss: loss / n, layers: [{ weightGrad: gW1, biasGrad: gb1 }, { weightGrad: gW2, biasGrad: gb2 }] };
}

function maxRel(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.max(Math.abs(b[i]), 1e-300)));
}

describe('gradscope grad', () => {
  it('matches an independent scalar implementation to 1e-9 relative (float64)', () => {
    const d = tempDir();
    const r = cli(['grad', '--model', put(d, 'm.json', model()), '--input', put(d, 'x.json', X), '--target', put(d, 'y.json', Y), '--loss', 'binary_cross_entropy', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout);
    const ref = reference();
    expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(1e-12);
    expect(got.layers.map((l: { index: number }) => l.index)).toEqual([1, 2]);
    got.layers.forEach((l: { weightGrad: number[][]; biasGrad: number[] }, i: number) => {
      const e = maxRel(l.weightGrad.flat(), ref.layers[i].weightGrad.flat());
      const eb = maxRel(l.biasGrad, ref.layers[i].biasGrad);
      expect(e, `layer ${i + 1} weight: max rel diff ${e}`).toBeLessThan(1e-9);
      expect(eb, `layer ${i + 1} bias: max rel diff ${eb}`).toBeLessThan(1e-9);
    });
  });

  it('reports the PReLU slope gradient as paramGrad', () => {
    const d = tempDir();
    const m = model();
    m.layers[1] = { type: 'activation', name: 'prelu', params: { weight: 0.25 } } as never;
    const r = cli(['grad', '--model', put(d, 'm.json', m), '--input', put(d, 'x.json', X), '--target', put(d, 'y.json', Y), '--json']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout);
    expect(typeof got.layers[0].paramGrad.weight).toBe('number');
    expect(Number.isFinite(got.layers[0].paramGrad.weight)).toBe(true);
  });

  const bad: [string, (d: string) => string[], RegExp][] = [
    ['a truncated model file', (d) => ['--model', put(d, 'm.json', JSON.stringify(model()).slice(0, 80))], /m\.json: not valid JSON/],
    ['a missing field', (d) => { const m = model(); delete (m.layers[0] as Record<string, unknown>).bias; return ['--model', put(d, 'm.json', m)]; }, /m\.json: layers\[0\]\.bias/],
    ['wrong shapes between layers', (d) => { const m = model(); m.layers[2].in = 5; m.layers[2].weight = m.layers[2].weight!.map((r) => [...r, 0]); return ['--model', put(d, 'm.json', m)]; }, /layers\[2\]\.in: must be 4, the width the previous layer gives; got 5/],
    ['a weight row of the wrong length', (d) => { const m = model(); m.layers[0].weight![2] = [1, 2]; return ['--model', put(d, 'm.json', m)]; }, /layers\[0\]\.weight\[2\]: must have 3 numbers \('in'\); got 2/],
    ['an unknown activation', (d) => { const m = model(); m.layers[1].name = 'relux'; return ['--model', put(d, 'm.json', m)]; }, /layers\[1\]\.name: unknown activation 'relux'; did you mean/],
    ['a parameter out of range', (d) => { const m = model(); m.layers[1] = { type: 'activation', name: 'elu', params: { alpha: -1 } } as never; return ['--model', put(d, 'm.json', m)]; }, /layers\[1\]\.params: .*alpha.*-1/],
    ['a missing model file', (d) => ['--model', `${d}/nope.json`], /nope\.json: cannot read the file \(no such file\)/],
    ['a wrong format tag', (d) => { const m = { ...model(), format: 'keras' }; return ['--model', put(d, 'm.json', m)]; }, /m\.json: format: .*"keras"/],
  ];
  for (const [what, args, msg] of bad) {
    it(`rejects ${what} with one sentence and exit 2`, () => {
      const d = tempDir();
      const r = cli(['grad', ...args(d), '--input', put(d, 'x.json', X), '--target', put(d, 'y.json', Y), '--json']);
      expect(r.code, r.stderr).toBe(2);
      expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    });
  }

  const badData: [string, unknown, unknown, RegExp][] = [
    ['inputs of the wrong width', [[1, 2]], [[1, 0]], /x\.json: row 0 has 2 numbers, expected 3/],
    ['NaN in inputs', [[1, 'NaN', 2]], [[1, 0]], /x\.json: \[0\]\[1\] is "NaN", expected a finite number/],
    ['null in inputs', [[1, null, 2]], [[1, 0]], /x\.json: \[0\]\[1\] is null/],
    ['targets with fewer rows', [[1, 2, 3], [1, 2, 3]], [[1, 0]], /y\.json: has 1 rows but .*x\.json has 2/],
  ];
  for (const [what, x, y, msg] of badData) {
    it(`rejects ${what}`, () => {
      const d = tempDir();
      const r = cli(['grad', '--model', put(d, 'm.json', model()), '--input', put(d, 'x.json', x), '--target', put(d, 'y.json', y)]);
      expect(r.code, r.stderr).toBe(2);
      expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
      expect(r.stderr).toMatch(msg);
    });
  }

  it('rejects an unknown loss, naming the valid ones', () => {
    const d = tempDir();
    const r = cli(['grad', '--model', put(d, 'm.json', model()), '--input', put(d, 'x.json', X), '--target', put(d, 'y.json', Y), '--loss', 'mse']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mse/);
    expect(r.stderr).toMatch(/quadratic/);
  });
});

describe('gradscope gradcheck', () => {
  it('passes on a generated net and on a model file', () => {
    const r = cli(['gradcheck', '--arch', '4-5x2-3', '--act', 'gelu', '--loss', 'cross_entropy', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.pass).toBe(true);
    expect(j.maxRelError).toBeLessThan(1e-6);
    const d = tempDir();
    const r2 = cli(['gradcheck', '--model', put(d, 'm.json', model()), '--input', put(d, 'x.json', X), '--target', put(d, 'y.json', Y), '--json']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(JSON.parse(r2.stdout).tensors.length).toBe(4);
  });

  it('takes the network settings of a run: normalisation, residual blocks and activation parameters are checked too', () => {
    // finite differences in float64 against backpropagation, every tensor, tolerance 1e-6 relative
    for (const args of [
      ['--arch', '5-6x3-3', '--act', 'relu', '--norm', 'batch', '--residual', '--init', 'he_normal'],
      ['--activation', 'prelu', '--param', 'weight=0.3', '--norm', 'layer', '--bias-init', 'zeros'],
      ['--activation', 'elu,tanh,selu', '--loss', 'quadratic', '--out-act', 'sigmoid', '--seed', '7'],
    ]) {
      const r = cli(['gradcheck', ...args, '--json']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      const j = JSON.parse(r.stdout) as { pass: boolean; maxRelError: number; tensors: { layerType: string; param: string }[] };
      expect(j.maxRelError, args.join(' ')).toBeLessThan(1e-6);
      const kinds = j.tensors.map((t) => `${t.layerType}:${t.param}`);
      // the blocks: 5→6 with a projection (W, b, γ, β, P, p), then 6→6 twice (W, b, γ, β)
      if (args.includes('--residual')) expect(kinds.filter((k) => k.startsWith('residual:')), kinds.join(' ')).toHaveLength(14);
      // three hidden layers, each dense + layer norm (γ, β) + PReLU's slope
      if (args.includes('prelu')) expect([kinds.filter((k) => k.startsWith('layernorm:')).length, kinds.filter((k) => k === 'activation:weight').length], kinds.join(' ')).toEqual([6, 3]);
    }
    const bad = cli(['gradcheck', '--act', 'relux']);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, "gradscope: --act: unknown activation 'relux'; did you mean relu, relu6?"]);
    const d = tempDir();
    const both = cli(['gradcheck', '--model', put(d, 'm.json', model()), '--input', put(d, 'x.json', X), '--target', put(d, 'y.json', Y), '--arch', '4-5-3']);
    expect([both.code, both.stderr.trim()]).toEqual([2, "gradscope: --arch describes a generated network; with --model the network is the file's"]);
  });

  it('fails (exit 1) when the tolerance is impossible to meet', () => {
    const r = cli(['gradcheck', '--arch', '4-5-3', '--act', 'tanh', '--tol', '1e-30']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL/);
  });
});

describe('gradscope activations eval', () => {
  it('agrees with closed forms to 1e-9 relative in float64', () => {
    const xs = [-3, -0.5, 0.25, 1, 4];
    const cases: [string, string[], (x: number) => number, (x: number) => number][] = [
      ['sigmoid', [], sig, (x) => sig(x) * (1 - sig(x))],
      ['tanh', [], Math.tanh, (x) => 1 - Math.tanh(x) ** 2],
      ['leaky_relu', ['--param', 'negative_slope=0.2'], (x) => (x > 0 ? x : 0.2 * x), (x) => (x > 0 ? 1 : 0.2)],
      ['elu', ['--param', 'alpha=0.5'], (x) => (x > 0 ? x : 0.5 * Math.expm1(x)), (x) => (x > 0 ? 1 : 0.5 * Math.exp(x))],
      ['softplus', [], (x) => Math.log1p(Math.exp(x)), sig],
      ['silu', [], (x) => x * sig(x), (x) => sig(x) * (1 + x * (1 - sig(x)))],
      ['softsign', [], (x) => x / (1 + Math.abs(x)), (x) => 1 / (1 + Math.abs(x)) ** 2],
    ];
    for (const [name, extra, f, df] of cases) {
      const r = cli(['activations', 'eval', name, '--at', xs.join(','), ...extra, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.name).toBe(name);
      expect(j.x).toEqual(xs);
      const ey = maxRel(j.y, xs.map(f));
      const ed = maxRel(j.dy, xs.map(df));
      expect(ey, `${name} f`).toBeLessThan(1e-9);
      expect(ed, `${name} f'`).toBeLessThan(1e-9);
    }
  });

  it('gelu(1) = 0.841344746 and unknown names get suggestions', () => {
    const r = cli(['activations', 'eval', 'gelu', '--at', '1', '--json']);
    expect(JSON.parse(r.stdout).y[0]).toBeCloseTo(0.8413447460685429, 12);
    const bad = cli(['activations', 'eval', 'gelux', '--at', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown activation 'gelux'; did you mean .*gelu/);
    const badp = cli(['activations', 'eval', 'elu', '--at', '1', '--param', 'alpha=-2']);
    expect(badp.code).toBe(2);
    expect(oneCleanLine(badp.stderr)).toBe(true);
    const badx = cli(['activations', 'eval', 'elu', '--at', '1,a']);
    expect(badx.code).toBe(2);
    expect(badx.stderr).toMatch(/'a' is not a number/);
    // a point that overflows to Infinity is refused, not evaluated to Infinity and NaN
    const huge = cli(['activations', 'eval', 'gelu', '--at', '1e999']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/--at: '1e999' is not a finite number/);
  });
});

describe('a network with batch norm, residual blocks and PReLU, from train to grad', () => {
  it('train writes a gradscope-model/2 model.json that grad --model reads, and its gradients pass gradcheck', () => {
    const d = tempDir();
    const cfg = put(d, 'run.json', { arch: '2-6x3-2', activation: 'prelu', init: 'he_normal', loss: 'cross_entropy', norm: 'batch', residual: true, data: 'moons', maxSteps: 60, epochs: null, seed: 3 });
    const t = cli(['train', cfg, '--out', `${d}/run`, '--json']);
    expect(t.code, t.stderr).toBe(0);
    const summary = JSON.parse(t.stdout) as { model: string | null };
    expect(summary.model).toBe('model.json');
    const m = `${d}/run/model.json`;
    const x = put(d, 'x.json', [[0.5, -0.2], [1.0, 0.3], [-0.7, 0.1]]);
    const y = put(d, 'y.json', [[1, 0], [0, 1], [1, 0]]);
    const g = cli(['grad', '--model', m, '--input', x, '--target', y, '--loss', 'cross_entropy', '--json']);
    expect(g.code, g.stderr).toBe(0);
    const doc = JSON.parse(g.stdout) as { layers: { index: number; paramGrad?: Record<string, number>; norm?: { type: string; weightGrad: number[] }; projection?: unknown }[] };
    expect(doc.layers.map((l) => l.index)).toEqual([1, 2, 3, 4]);
    expect(doc.layers[0].paramGrad).toHaveProperty('weight');
    expect(doc.layers[0].norm?.type).toBe('batchnorm');
    expect(doc.layers[0].projection).toBeDefined();
    expect(doc.layers[1].projection).toBeUndefined();
    // central differences in float64 agree with the backward pass through every layer type
    const c = cli(['gradcheck', '--model', m, '--input', x, '--target', y, '--loss', 'cross_entropy', '--json']);
    expect(c.code, c.stdout).toBe(0);
    expect((JSON.parse(c.stdout) as { maxRelError: number }).maxRelError).toBeLessThan(1e-6);
  });
});
