// Residual blocks against independent references: central finite differences
// (float64) with identity and projection skips, with and without
// normalisation, a block worked by hand, and the layer bookkeeping the
// diagnostics rely on.
import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng.js';
import { buildMlp, type NormKind } from './build.js';
import type { Dense } from './dense.js';
import { gradCheck } from './gradcheck.js';
import { LOSSES } from './losses.js';
import { ResidualBlock } from './residual.js';

function data(rng: Rng, B: number, I: number, C: number) {
  const x = new Float64Array(B * I).map(() => rng.normal());
  const y = new Float64Array(B * C);
  for (let r = 0; r < B; r++) y[r * C + rng.int(C)] = 1;
  return { x, y };
}

describe('residual blocks: backpropagation equals central finite differences (float64)', () => {
  const cases: [string, number[], NormKind][] = [
    ['identity skips', [5, 5, 5, 5, 3], 'none'],
    ['a projection where the width changes', [4, 6, 6, 5, 3], 'none'],
    ['layer normalisation inside the branch', [4, 6, 6, 3], 'layer'],
    ['batch normalisation inside the branch (training mode)', [4, 6, 6, 3], 'batch'],
  ];
  for (const [what, sizes, norm] of cases) {
    for (const act of ['tanh', 'sigmoid', 'relu']) {
      it(`${what}, ${act}`, () => {
        const rng = new Rng(21);
        const net = buildMlp({ sizes, hidden: { name: act }, output: { name: 'softmax' }, init: 'xavier_normal', norm, residual: true, dtype: 'float64', rng });
        const { x, y } = data(rng, 6, sizes[0], 3);
        const res = gradCheck(net, x, y, 6, LOSSES.cross_entropy, { training: norm === 'batch' });
        // the branch's dense bias (a block's second parameter) sits before batch normalisation:
        // its gradient is exactly 0, so judge it by its absolute error
        const seen = new Map<number, number>();
        const worst = Math.max(
          ...res.map((r) => {
            const k = seen.get(r.layerIndex) ?? 0;
            seen.set(r.layerIndex, k + 1);
            const cancelled = norm === 'batch' && net.layers[r.layerIndex] instanceof ResidualBlock && k === 1;
            return cancelled ? r.maxAbsError * 1e3 : r.maxRelError;
          }),
        );
        expect(worst, res.map((r) => `${r.layerIndex}:${r.layerType}.${r.param}=${r.maxRelError.toExponential(1)}`).join(' ')).toBeLessThan(1e-6);
      });
    }
  }
});

describe('residual blocks: structure', () => {
  it('computes y = x + f(Wx + b) for a block worked by hand', () => {
    const net = buildMlp({ sizes: [2, 2, 1], hidden: { name: 'relu' }, output: { name: 'linear' }, init: 'normal', residual: true, dtype: 'float64', rng: new Rng(0) });
    const [d1, d2] = net.weightLayers as Dense[];
    d1.weight.set([1, -1, 2, 0.5]);
    d1.bias.set([0, -1]);
    d2.weight.set([1, 1]);
    d2.bias.set([0]);
    // x = (3, 1): Wx + b = (2, 6.5 − 1) = (2, 5.5), relu keeps both; y = (3 + 2, 1 + 5.5) = (5, 6.5); out = 11.5
    const out = net.forward(Float64Array.of(3, 1), 1, { training: false, rng: new Rng(0) });
    expect(out[0]).toBeCloseTo(11.5, 14);
    // a dead branch (relu of negatives) still passes x through the identity: x = (−3, 1) → Wx + b = (−4, −6.5) → y = x
    expect(net.forward(Float64Array.of(-3, 1), 1, { training: false, rng: new Rng(0) })[0]).toBeCloseTo(-2, 14);
  });

  it('the gradient reaches the input through the identity even when the branch is dead', () => {
    const net = buildMlp({ sizes: [3, 3, 3, 3, 1], hidden: { name: 'relu' }, output: { name: 'linear' }, init: 'he_normal', residual: true, dtype: 'float64', rng: new Rng(3) });
    for (const d of net.weightLayers.slice(0, 3) as Dense[]) d.bias.fill(-100); // every hidden unit dead
    net.zeroGrad();
    net.lossAndBackward(Float64Array.of(1, 2, 3), Float64Array.of(0), 1, LOSSES.quadratic, { training: false, rng: new Rng(0) });
    // the output layer's weight gradient is (out − y)·x: x reached it unchanged through three identities
    const top = net.weightLayers[3] as Dense;
    const outV = top.weight[0] * 1 + top.weight[1] * 2 + top.weight[2] * 3 + top.bias[0];
    expect(Array.from(top.dweight)).toEqual([outV * 1, outV * 2, outV * 3].map((v) => expect.closeTo(v, 12)));
  });

  it('lists the branch dense layers as weight layers 1..L (projections excluded), with the same weights as the plain net of the same seed', () => {
    const mk = (residual: boolean) => buildMlp({ sizes: [4, 6, 6, 6, 3], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'xavier_uniform', residual, dtype: 'float64', rng: new Rng(7) });
    const plain = mk(false);
    const res = mk(true);
    expect(res.layers.map((l) => l.type)).toEqual(['residual', 'residual', 'residual', 'dense', 'activation']);
    expect(res.weightLayers).toHaveLength(4);
    expect((res.layers[0] as ResidualBlock).projection).not.toBeNull();
    expect((res.layers[1] as ResidualBlock).projection).toBeNull();
    res.weightLayers.forEach((w, l) => {
      expect(Array.from(w.weight)).toEqual(Array.from(plain.weightLayers[l].weight));
      expect(res.activationAfter(l)?.name).toBe(plain.activationAfter(l)?.name);
    });
    // parameters: 4 dense (W, b) + the projection (W, b)
    expect(res.params()).toHaveLength(10);
  });

  it('refuses a width change without a projection, and maxout in a block', () => {
    const n = buildMlp({ sizes: [4, 6, 3], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'xavier_uniform', dtype: 'float64', rng: new Rng(1) });
    expect(() => new ResidualBlock([n.layers[0], n.layers[1]], null, { dtype: 'float64', kernels: n.kernels })).toThrow(/the skip needs a projection/);
    expect(() => buildMlp({ sizes: [4, 6, 3], hidden: { name: 'maxout' }, output: { name: 'softmax' }, init: 'he_normal', residual: true, dtype: 'float64', rng: new Rng(1) })).toThrow(/residual blocks need dense hidden layers/);
  });
});
