// Batch and layer normalisation against independent references: central finite
// differences (float64) in training, evaluation and probe modes, PyTorch's
// running-statistics rule worked by hand, and the normalised output itself.
import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng.js';
import { jsKernels } from '../tensor/kernels.js';
import { BatchNorm } from './batchnorm.js';
import { buildMlp, outputActivationFor, type NormKind } from './build.js';
import { gradCheck, type GradCheckEntry } from './gradcheck.js';
import { LayerNorm } from './layernorm.js';
import { LOSSES, type LossName } from './losses.js';
import type { Network } from './network.js';

const env = { dtype: 'float64' as const, kernels: jsKernels };

function data(rng: Rng, B: number, I: number, C: number, loss: LossName) {
  const x = new Float64Array(B * I).map(() => 2 * rng.normal() + 0.5);
  const y = new Float64Array(B * C);
  for (let r = 0; r < B; r++) {
    if (loss === 'cross_entropy') y[r * C + rng.int(C)] = 1;
    else for (let c = 0; c < C; c++) y[r * C + c] = loss === 'binary_cross_entropy' ? rng.int(2) : rng.normal();
  }
  return { x, y };
}

function net(norm: NormKind, act: string, loss: LossName, seed: number): Network {
  const n = buildMlp({ sizes: [4, 6, 5, 3], hidden: { name: act }, output: { name: outputActivationFor(loss, act) }, init: 'xavier_normal', norm, dtype: 'float64', rng: new Rng(seed) });
  // non-trivial γ and β, so their gradients and the scale path are exercised
  const rng = new Rng(seed + 100);
  for (const l of n.mainPath) {
    if (l instanceof BatchNorm || l instanceof LayerNorm) {
      l.weight.forEach((_, i) => (l.weight[i] = 0.5 + rng.uniform()));
      l.bias.forEach((_, i) => (l.bias[i] = 0.3 * rng.normal()));
    }
  }
  return n;
}

/**
 * Worst error over the checked tensors: relative, except for a dense bias
 * right before batch normalisation, whose true gradient is exactly 0 (the
 * normalisation subtracts it again): there the absolute error must be ~0.
 */
function worst(res: readonly GradCheckEntry[], n: Network): number {
  return Math.max(
    ...res.map((r) => {
      const next = n.layers[r.layerIndex + 1];
      const cancelled = r.layerType === 'dense' && r.param === 'bias' && next instanceof BatchNorm;
      return cancelled ? r.maxAbsError * 1e3 : r.maxRelError;
    }),
  );
}

const TOL = 1e-6;

describe('batch normalisation: backpropagation equals central finite differences (float64)', () => {
  for (const loss of ['cross_entropy', 'binary_cross_entropy', 'quadratic'] as const) {
    for (const act of ['tanh', 'sigmoid', 'elu', 'relu']) {
      it(`training mode (batch statistics), ${act} hidden layers, ${loss}`, () => {
        const n = net('batch', act, loss, 3);
        const { x, y } = data(new Rng(4), 7, 4, 3, loss);
        const res = gradCheck(n, x, y, 7, LOSSES[loss], { training: true });
        expect(res.filter((r) => r.layerType === 'batchnorm')).toHaveLength(4);
        expect(worst(res, n), res.map((r) => `${r.layerType}.${r.param}=${r.maxRelError.toExponential(1)}`).join(' ')).toBeLessThan(TOL);
      });
    }
  }

  it('evaluation mode (running statistics as constants)', () => {
    const n = net('batch', 'tanh', 'cross_entropy', 5);
    const { x, y } = data(new Rng(6), 9, 4, 3, 'cross_entropy');
    // a few training-mode passes move the running statistics away from 0 / 1
    for (let k = 0; k < 5; k++) n.forward(x, 9, { training: true, rng: new Rng(0) });
    const res = gradCheck(n, x, y, 9, LOSSES.cross_entropy, { training: false });
    const maxRel = Math.max(...res.map((r) => r.maxRelError));
    expect(maxRel).toBeLessThan(TOL); // in evaluation mode the dense bias does reach the loss
  });

  it('probe mode (batch statistics, running statistics untouched)', () => {
    const n = net('batch', 'gelu', 'quadratic', 7);
    const { x, y } = data(new Rng(8), 6, 4, 3, 'quadratic');
    const bn = n.mainPath.find((l): l is BatchNorm => l instanceof BatchNorm)!;
    const res = gradCheck(n, x, y, 6, LOSSES.quadratic, { batchStats: true });
    expect(worst(res, n)).toBeLessThan(TOL);
    expect(Array.from(bn.runningMean)).toEqual(Array(bn.inSize).fill(0));
    expect(Array.from(bn.runningVar)).toEqual(Array(bn.inSize).fill(1));
    expect(bn.batchesTracked).toBe(0);
  });
});

describe('batch normalisation: forward pass and running statistics', () => {
  // x is (B = 3, F = 2): column 0 = 1, 2, 6 (mean 3, biased var 14/3, unbiased 7); column 1 = 4, 4, 4 (var 0)
  const x = Float64Array.of(1, 4, 2, 4, 6, 4);

  it('normalises each feature with the batch mean and biased variance, then γ and β', () => {
    const bn = new BatchNorm(2, env);
    bn.weight.set([2, 1]);
    bn.bias.set([0.5, -1]);
    const out = bn.forward(x, 3, { training: true, rng: new Rng(0) });
    const s = Math.sqrt(14 / 3 + 1e-5);
    expect(out[0]).toBeCloseTo(2 * ((1 - 3) / s) + 0.5, 14);
    expect(out[2]).toBeCloseTo(2 * ((2 - 3) / s) + 0.5, 14);
    expect(out[4]).toBeCloseTo(2 * ((6 - 3) / s) + 0.5, 14);
    // a constant feature becomes β (x − μ = 0; ε keeps the division finite)
    expect([out[1], out[3], out[5]]).toEqual([-1, -1, -1]);
  });

  it("updates running statistics as PyTorch: momentum 0.1, the variance unbiased", () => {
    const bn = new BatchNorm(2, env);
    bn.forward(x, 3, { training: true, rng: new Rng(0) });
    // running_mean = 0.9·0 + 0.1·3 = 0.3 (col 0), 0.4 (col 1); running_var = 0.9·1 + 0.1·7 = 1.6, 0.9·1 + 0 = 0.9
    expect(bn.runningMean[0]).toBeCloseTo(0.3, 15);
    expect(bn.runningMean[1]).toBeCloseTo(0.4, 15);
    expect(bn.runningVar[0]).toBeCloseTo(1.6, 15);
    expect(bn.runningVar[1]).toBeCloseTo(0.9, 15);
    bn.forward(x, 3, { training: true, rng: new Rng(0) });
    expect(bn.runningMean[0]).toBeCloseTo(0.9 * 0.3 + 0.3, 15);
    expect(bn.runningVar[0]).toBeCloseTo(0.9 * 1.6 + 0.7, 15);
    expect(bn.batchesTracked).toBe(2);
  });

  it('evaluation mode normalises with the running statistics and leaves them alone', () => {
    const bn = new BatchNorm(2, env);
    bn.runningMean.set([1, 2]);
    bn.runningVar.set([4, 9]);
    const out = bn.forward(Float64Array.of(3, 2), 1, { training: false, rng: new Rng(0) });
    expect(out[0]).toBeCloseTo((3 - 1) / Math.sqrt(4 + 1e-5), 14);
    expect(out[1]).toBeCloseTo(0, 14);
    expect(Array.from(bn.runningMean)).toEqual([1, 2]);
  });

  it('refuses batch statistics of a single example with a sentence', () => {
    const bn = new BatchNorm(2, env);
    expect(() => bn.forward(Float64Array.of(1, 2), 1, { training: true, rng: new Rng(0) })).toThrow(/batchnorm: batch statistics need at least 2 examples per batch; got 1/);
  });
});

describe('layer normalisation', () => {
  for (const act of ['tanh', 'relu', 'selu']) {
    it(`backpropagation equals central finite differences, ${act} hidden layers`, () => {
      const n = net('layer', act, 'cross_entropy', 9);
      const { x, y } = data(new Rng(10), 5, 4, 3, 'cross_entropy');
      const res = gradCheck(n, x, y, 5, LOSSES.cross_entropy);
      expect(res.filter((r) => r.layerType === 'layernorm')).toHaveLength(4);
      expect(Math.max(...res.map((r) => r.maxRelError))).toBeLessThan(TOL);
    });
  }

  it('gives every row mean 0 and variance 1 (γ = 1, β = 0), whatever the batch', () => {
    const ln = new LayerNorm(4, env);
    const x = Float64Array.of(1, 2, 3, 4, -10, 0, 10, 20);
    const out = ln.forward(x, 2);
    for (let r = 0; r < 2; r++) {
      const row = Array.from(out.subarray(r * 4, r * 4 + 4));
      const m = row.reduce((s, v) => s + v, 0) / 4;
      const v = row.reduce((s, u) => s + (u - m) ** 2, 0) / 4;
      expect(m).toBeCloseTo(0, 14);
      expect(v).toBeCloseTo(1, 4); // ε = 1e-5 against variances 1.25 and 125
    }
    // the first row alone gives the same result: no batch statistics
    expect(Array.from(ln.forward(x.subarray(0, 4), 1))).toEqual(Array.from(out.subarray(0, 4)));
  });
});

describe('networks with normalisation', () => {
  it('keep the weight layers 1..L and find the activation past the normalisation layer', () => {
    const n = buildMlp({ sizes: [4, 6, 5, 3], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'xavier_normal', norm: 'batch', dtype: 'float64', rng: new Rng(1) });
    expect(n.weightLayers).toHaveLength(3);
    expect(n.layers.map((l) => l.type)).toEqual(['dense', 'batchnorm', 'activation', 'dense', 'batchnorm', 'activation', 'dense', 'activation']);
    expect(n.activationAfter(0)?.name).toBe('tanh');
    expect(n.activationAfter(2)?.name).toBe('softmax');
    expect(n.normAfter(0)?.type).toBe('batchnorm');
    expect(n.normAfter(2)).toBeNull();
    expect(n.hasBatchNorm).toBe(true);
  });

  it("the bias gradient the diagnostics read is β's: the dense bias before batch normalisation gets none", () => {
    const n = buildMlp({ sizes: [4, 6, 3], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'xavier_normal', norm: 'batch', dtype: 'float64', rng: new Rng(2) });
    const { x, y } = data(new Rng(3), 8, 4, 3, 'cross_entropy');
    n.zeroGrad();
    n.lossAndBackward(x, y, 8, LOSSES.cross_entropy, { training: true, rng: new Rng(0) });
    const denseBias = n.weightLayers[0].dbias;
    expect(Math.max(...Array.from(denseBias, Math.abs))).toBeLessThan(1e-15);
    expect(n.biasGradOf(0)).toBe(n.normAfter(0)!.dbias);
    expect(Math.max(...Array.from(n.biasGradOf(0), Math.abs))).toBeGreaterThan(1e-4);
  });

  it('the same seed gives the same dense weights with and without normalisation', () => {
    const mk = (norm: NormKind) => buildMlp({ sizes: [4, 6, 5, 3], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'he_normal', norm, dtype: 'float64', rng: new Rng(5) });
    const a = mk('none'), b = mk('batch'), c = mk('layer');
    a.weightLayers.forEach((w, l) => {
      expect(Array.from(b.weightLayers[l].weight)).toEqual(Array.from(w.weight));
      expect(Array.from(c.weightLayers[l].weight)).toEqual(Array.from(w.weight));
    });
  });

  it('refuses normalisation with maxout, which has no separate activation', () => {
    expect(() => buildMlp({ sizes: [4, 6, 3], hidden: { name: 'maxout' }, output: { name: 'softmax' }, init: 'he_normal', norm: 'layer', dtype: 'float64', rng: new Rng(1) })).toThrow(/maxout has no separate activation/);
  });
});
