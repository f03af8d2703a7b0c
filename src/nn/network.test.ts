// Whole-network gradients against independent references: central finite
// differences (float64) for every loss and layer type, and a tiny net worked by hand.
import { describe, expect, it } from 'vitest';
import { buildMlp, outputActivationFor, parseArch } from './build.js';
import { gradCheck } from './gradcheck.js';
import { LOSSES, LOSS_NAMES, type LossName } from './losses.js';
import { Rng } from '../tensor/rng.js';
import { Dense } from './dense.js';
import { Optimizer } from './optim.js';
import { train, type BatchSource } from './train.js';
import type { Buf } from '../tensor/dtype.js';

function batch(rng: Rng, B: number, I: number, C: number, loss: LossName) {
  const x = new Float64Array(B * I);
  const y = new Float64Array(B * C);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  for (let r = 0; r < B; r++) {
    if (loss === 'cross_entropy') y[r * C + rng.int(C)] = 1;
    else for (let c = 0; c < C; c++) y[r * C + c] = loss === 'binary_cross_entropy' ? rng.int(2) : rng.normal();
  }
  return { x, y };
}

const TOL = 1e-6;

describe('backpropagation equals central finite differences (float64)', () => {
  const hiddenActs = ['sigmoid', 'tanh', 'elu', 'gelu', 'softplus', 'selu', 'silu', 'prelu', 'swish', 'leaky_relu', 'maxout'];
  for (const loss of LOSS_NAMES) {
    for (const act of hiddenActs) {
      it(`${loss} with ${act} hidden layers`, () => {
        const rng = new Rng(11);
        const sizes = [5, 4, 6, 3];
        const net = buildMlp({
          sizes,
          hidden: { name: act },
          output: { name: outputActivationFor(loss, act) },
          init: 'xavier_normal',
          dtype: 'float64',
          rng,
        });
        const { x, y } = batch(rng, 4, 5, 3, loss);
        const res = gradCheck(net, x, y, 4, LOSSES[loss]);
        const worst = Math.max(...res.map((r) => r.maxRelError));
        expect(worst, `max relative error ${worst} over ${res.map((r) => `${r.layerType}.${r.param}=${r.maxRelError.toExponential(1)}`).join(' ')}`).toBeLessThan(TOL);
        expect(res.length).toBeGreaterThan(0);
      });
    }
  }

  it('quadratic loss on outputs that are not squashed (linear output)', () => {
    const rng = new Rng(3);
    const net = buildMlp({ sizes: [3, 5, 2], hidden: { name: 'tanh' }, output: { name: 'linear' }, init: 'normal', dtype: 'float64', rng });
    const { x, y } = batch(rng, 6, 3, 2, 'quadratic');
    const worst = Math.max(...gradCheck(net, x, y, 6, LOSSES.quadratic).map((r) => r.maxRelError));
    expect(worst).toBeLessThan(TOL);
  });

  it('cross-entropy on raw logits (no softmax layer) and softmax with the quadratic loss', () => {
    const rng = new Rng(4);
    for (const [out, loss] of [['linear', 'cross_entropy'], ['softmax', 'quadratic']] as const) {
      const net = buildMlp({ sizes: [3, 4, 4], hidden: { name: 'tanh' }, output: { name: out }, init: 'xavier_uniform', dtype: 'float64', rng });
      const { x, y } = batch(rng, 5, 3, 4, 'cross_entropy');
      const worst = Math.max(...gradCheck(net, x, y, 5, LOSSES[loss]).map((r) => r.maxRelError));
      expect(worst, `${out} + ${loss}: ${worst}`).toBeLessThan(TOL);
    }
  });

  it('binary cross-entropy on a non-sigmoid output in (0,1) (hardsigmoid) uses the general form', () => {
    const rng = new Rng(5);
    const net = buildMlp({ sizes: [3, 4, 2], hidden: { name: 'tanh' }, output: { name: 'hardsigmoid' }, init: 'xavier_uniform', dtype: 'float64', rng });
    const { x, y } = batch(rng, 5, 3, 2, 'binary_cross_entropy');
    const worst = Math.max(...gradCheck(net, x, y, 5, LOSSES.binary_cross_entropy).map((r) => r.maxRelError));
    expect(worst).toBeLessThan(TOL);
  });
});

describe('a tiny net worked by hand', () => {
  it('gives the hand-computed gradient of a 1-1-1 sigmoid net with the quadratic cost', () => {
    // x = 1, w1 = 0.5, b1 = 0.1, w2 = −0.3, b2 = 0.2, y = 1
    const net = buildMlp({ sizes: [1, 1, 1], hidden: { name: 'sigmoid' }, output: { name: 'sigmoid' }, init: 'normal', dtype: 'float64', rng: new Rng(0) });
    const [l1, l2] = net.weightLayers as Dense[];
    l1.weight[0] = 0.5; l1.bias[0] = 0.1; l2.weight[0] = -0.3; l2.bias[0] = 0.2;
    const s = (t: number) => 1 / (1 + Math.exp(-t));
    const z1 = 0.6, a1 = s(z1), z2 = -0.3 * a1 + 0.2, a2 = s(z2);
    const d2 = (a2 - 1) * a2 * (1 - a2);
    const d1 = -0.3 * d2 * a1 * (1 - a1);
    net.zeroGrad();
    const c = net.lossAndBackward(Float64Array.of(1), Float64Array.of(1), 1, LOSSES.quadratic, { training: false, rng: new Rng(0) });
    expect(c).toBeCloseTo(0.5 * (a2 - 1) ** 2, 14);
    expect(l2.dbias[0]).toBeCloseTo(d2, 14);
    expect(l2.dweight[0]).toBeCloseTo(d2 * a1, 14);
    expect(l1.dbias[0]).toBeCloseTo(d1, 14);
    expect(l1.dweight[0]).toBeCloseTo(d1 * 1, 14);
  });
});

describe('losses are numerically stable', () => {
  it('binary cross-entropy from logits at z = ±1000 is finite and exact', () => {
    const dz = new Float64Array(2);
    const z = Float64Array.of(1000, -1000);
    const a = Float64Array.of(1, 0);
    const y = Float64Array.of(0, 1);
    const c = LOSSES.binary_cross_entropy.fusedLossAndGrad!(dz, z, a, y, 1, 2);
    expect(c).toBeCloseTo(2000, 9);
    expect(Array.from(dz)).toEqual([1, -1]);
  });

  it('cross-entropy uses log-sum-exp at logits ±1000', () => {
    const d = new Float64Array(3);
    const c = LOSSES.cross_entropy.lossAndGrad(d, Float64Array.of(1000, -1000, 0), Float64Array.of(0, 1, 0), 1, 3);
    expect(c).toBeCloseTo(2000, 9);
    expect(d[0]).toBeCloseTo(1, 12);
    expect(d[1]).toBeCloseTo(-1, 12);
  });

  it('binary cross-entropy refuses outputs outside (0, 1) with a sentence naming the value', () => {
    const d = new Float64Array(1);
    expect(() => LOSSES.binary_cross_entropy.lossAndGrad(d, Float64Array.of(1.5), Float64Array.of(1), 1, 1)).toThrow(/output \[0\]\[0\] must lie in \(0, 1\); got 1.5/);
  });
});

describe('reproducibility', () => {
  function run(seed: number): { w: number[]; losses: number[] } {
    const rng = new Rng(seed);
    const net = buildMlp({ sizes: [4, 8, 8, 3], hidden: { name: 'rrelu' }, output: { name: 'softmax' }, init: 'he_normal', dropout: 0.2, dtype: 'float32', rng });
    const data = new Float32Array(64 * 4).map(() => rng.normal());
    const labels = Array.from({ length: 64 }, () => rng.int(3));
    const src: BatchSource = {
      n: 64, inputSize: 4, outputSize: 3,
      fill(x: Buf, y: Buf, order: ArrayLike<number>, start: number, B: number) {
        for (let b = 0; b < B; b++) {
          const r = order[start + b];
          for (let k = 0; k < 4; k++) x[b * 4 + k] = data[r * 4 + k];
          for (let c = 0; c < 3; c++) y[b * 3 + c] = labels[r] === c ? 1 : 0;
        }
      },
    };
    const losses: number[] = [];
    train(net, src, { loss: LOSSES.cross_entropy, optimizer: new Optimizer(net.params(), { name: 'momentum' }), lr: 0.05, batchSize: 8, maxSteps: 40, rng, afterBackward: (i) => { losses.push(i.loss); } });
    return { w: Array.from((net.weightLayers[0] as Dense).weight), losses };
  }

  it('the same seed gives bit-identical weights and loss trajectory (dropout and rrelu included)', () => {
    const a = run(9), b = run(9), c = run(10);
    expect(a.losses).toEqual(b.losses);
    expect(a.w).toEqual(b.w);
    expect(a.losses).not.toEqual(c.losses);
  });
});

describe('parseArch', () => {
  it('expands NxK repeats', () => {
    expect(parseArch('784-30x4-10')).toEqual([784, 30, 30, 30, 30, 10]);
    expect(parseArch('2-8-1')).toEqual([2, 8, 1]);
  });
  it('names the bad part', () => {
    expect(() => parseArch('784-3a-10')).toThrow(/'3a' is not a size/);
    expect(() => parseArch('784')).toThrow(/at least an input and an output/);
    expect(() => parseArch('784-0-10')).toThrow(/≥ 1/);
  });
});
