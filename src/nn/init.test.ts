// The initialisers' stated variances (σ_w² = n_in·Var(W), σ_b² = Var(b)) against what they
// draw, and the layer-adaptive `critical` initialiser in real networks: the activation it
// reads (the one its weights feed from; the next one for the input layer), zero biases,
// its errors, what it says it chose, and that configs, sweeps and the web lab accept it.
import { describe, expect, it } from 'vitest';
import { runFromConfig } from '../run/config.js';
import { parseSweep } from '../sweep/spec.js';
import { Rng } from '../tensor/rng.js';
import { criticalChoice } from '../theory/critical.js';
import { SETTINGS } from '../web/state/settings.js';
import { buildMlp, explainInits } from './build.js';
import { getInit, INITIALISERS } from './init.js';
import { Dense } from './dense.js';
import { RecurrentModel } from './rnn/model.js';

function variance(x: ArrayLike<number>): number {
  let s = 0, s2 = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i];
    s2 += x[i] * x[i];
  }
  const m = s / x.length;
  return s2 / x.length - m * m;
}

describe('every initialiser states the variances it draws', () => {
  const names = [...INITIALISERS.keys(), 'uniform:0.3', 'normal:0.05', 'meanfield:1.76:0.05', 'critical:0.2'];
  it.each(names)('%s: n_in·Var(W) and Var(b) within 3 % of variances()', (name) => {
    const def = getInit(name);
    const I = 400, O = name === 'orthogonal' ? 300 : 2000;
    const ctx = { before: { name: 'tanh' }, after: { name: 'tanh' } };
    const W = new Float64Array(O * I);
    const b = new Float64Array(O);
    const rng = new Rng(3);
    def.weights(W, I, O, rng, ctx);
    def.biases(b, I, O, rng, ctx);
    const v = def.variances(I, O, ctx);
    expect(Math.abs((I * variance(W)) / v.sigmaW2 - 1), `σ_w²: ${I * variance(W)} vs ${v.sigmaW2}`).toBeLessThan(0.03);
    // 2000 biases: a relative standard error of about 3 %
    if (v.sigmaB2 === 0) expect(variance(b)).toBe(0);
    else expect(Math.abs(variance(b) / v.sigmaB2 - 1), `σ_b²: ${variance(b)} vs ${v.sigmaB2}`).toBeLessThan(0.12);
  });
});

describe("the 'critical' initialiser in networks", () => {
  const sampleW2 = (d: Dense) => d.inSize * variance(d.weight);
  const dense = (net: ReturnType<typeof buildMlp>) => net.weightLayers as readonly Dense[];

  it('reads the activation each layer feeds from (the next one for the input layer)', () => {
    const net = buildMlp({ sizes: [300, 400, 400, 400, 300], hidden: [{ name: 'tanh' }, { name: 'relu' }, { name: 'sigmoid' }], output: { name: 'softmax' }, init: 'critical:0.05', dtype: 'float64', rng: new Rng(5) });
    const [l1, l2, l3, l4] = dense(net);
    const tanh = criticalChoice('tanh', {}, 0.05).sigmaW2;
    const relu = criticalChoice('relu', {}, 0.05).sigmaW2;
    const sigmoid = criticalChoice('sigmoid', {}, 0.05).sigmaW2;
    expect(relu).toBeCloseTo(1.9, 12); // 2·(1 − σ_b²)
    // layers 1 and 2 feed tanh; layer 3 feeds from relu; the output layer from sigmoid
    for (const [d, want] of [[l1, tanh], [l2, tanh], [l3, relu], [l4, sigmoid]] as const) {
      expect(Math.abs(sampleW2(d) / want - 1), `${sampleW2(d)} vs ${want}`).toBeLessThan(0.03);
    }
    expect(Math.abs(variance(l2.bias) / 0.05 - 1)).toBeLessThan(0.3);
  });

  it('with zero biases it solves for σ_b² = 0 (tanh: σ_w² = 1) and draws no biases', () => {
    const net = buildMlp({ sizes: [300, 400, 400, 10], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'critical:0.05', biasInit: 'zeros', dtype: 'float64', rng: new Rng(5) });
    for (const d of dense(net)) {
      expect(Math.abs(sampleW2(d) - 1)).toBeLessThan(0.03);
      expect(variance(d.bias)).toBe(0);
    }
  });

  it('says per run of layers which rule it used and the σ_w² it chose', () => {
    const lines = explainInits({ sizes: [784, 32, 32, 32, 10], hidden: { name: 'gelu' }, output: { name: 'softmax' }, init: 'critical' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^layers 1–4: critical: gelu: variance-preserving — σ_w² = 2\.351\d*, σ_b² = 0 keeps a unit pre-activation variance/);
    const mixed = explainInits({ sizes: [784, 32, 32, 10], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: ['critical:0.05', 'critical:0.05', 'he_normal'] });
    expect(mixed).toEqual([expect.stringMatching(/^layers 1–2: critical:0\.05: tanh: edge of chaos — σ_w² = 1\.76095, σ_b² = 0\.05 makes χ₁ = 1 at the fixed point q\* = 0\.570048$/)]);
    expect(explainInits({ sizes: [784, 32, 10], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'he_normal' })).toEqual([]);
  });

  it('says why it cannot: maxout, a recurrent cell, σ_b² ≥ 1 for relu, bad numbers', () => {
    const mlp = (act: string, init: string) => () => buildMlp({ sizes: [8, 6, 6, 2], hidden: { name: act }, output: { name: 'softmax' }, init, dtype: 'float64', rng: new Rng(1) });
    expect(mlp('maxout', 'critical')).toThrow("init 'critical', layer 1: maxout is not an elementwise activation");
    expect(mlp('relu', 'critical:1.5')).toThrow("init 'critical:1.5', layer 1: with σ_b² = 1.5 ≥ 1 no weight variance keeps a unit variance through relu layers");
    expect(() => new RecurrentModel({ kind: 'rnn', inSize: 2, hidden: 4, dtype: 'float64', head: 'regression', outSize: 1, inputInit: 'critical' }, new Rng(1))).toThrow("init 'critical': needs to know the activation next to the layer");
    expect(() => getInit('critical:-1')).toThrow("the bias variance after 'critical:' must be a number ≥ 0; got \"critical:-1\"");
    expect(() => getInit('critical:')).toThrow("got \"critical:\"");
    expect(() => getInit('meanfield:0')).toThrow("the weight variance σ_w² after 'meanfield:' must be a positive number; got \"meanfield:0\"");
  });
});

describe("'critical' and 'meanfield' everywhere initialisers are named", () => {
  const config = (init: string) => ({ arch: '784-30x3-10', activation: 'tanh', init, loss: 'cross_entropy', optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 32, epochs: 1, seed: 1 });
  it('run configs accept them, and name a bad number in the file\'s words', () => {
    for (const init of ['critical', 'critical:0.05', 'meanfield:1.76:0.05']) expect(runFromConfig(config(init), 'run.json').init).toBe(init);
    expect(() => runFromConfig(config('critical:-1'), 'run.json')).toThrow("run.json: init: the bias variance after 'critical:' must be a number ≥ 0; got \"critical:-1\"");
    expect(() => runFromConfig(config('meanfield:x'), 'run.json')).toThrow("run.json: init: the weight variance σ_w² after 'meanfield:' must be a positive number; got \"meanfield:x\"");
  });
  it('sweeps accept them as grid values', () => {
    const sw = parseSweep({ base: config('critical'), grid: { init: ['critical', 'critical:0.05', 'meanfield:2:0'] } }, 'sweep.json');
    expect(sw.runs.map((r) => r.config.init)).toEqual(['critical', 'critical:0.05', 'meanfield:2:0']);
  });
  it('the web lab lists critical and accepts critical:SB2 and meanfield:SW2:SB2 in its URL', () => {
    const init = SETTINGS.init;
    expect(init.parse('critical')).toBe('critical');
    expect(init.parse('critical:0.05')).toBe('critical:0.05');
    expect(init.parse('meanfield:1.76:0.05')).toBe('meanfield:1.76:0.05');
    expect(init.parse('critical:-1')).toBeNull();
  });
});
