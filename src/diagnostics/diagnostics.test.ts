// Diagnostics against hand-computed values on tiny nets, the chain view against
// backpropagation, and the verdict on constructed vanishing, exploding, dead,
// saturated and healthy networks.
import { describe, expect, it } from 'vitest';
import { getActivation } from '../activations/catalogue.js';
import { buildMlp } from '../nn/build.js';
import type { Dense } from '../nn/dense.js';
import { LOSSES } from '../nn/losses.js';
import { Optimizer } from '../nn/optim.js';
import { Rng } from '../tensor/rng.js';
import { chainView } from './chain.js';
import { firstToLast, layerDiagnostics, meanPairwiseCosine, updateRatios } from './layer-stats.js';
import { probeNetwork } from './probe.js';

const ctx = { training: false, rng: new Rng(0) };

describe('layer diagnostics on a hand-worked net', () => {
  it('2-2-1 linear net: norms, δ per example, activation statistics and the Jacobian', () => {
    // W1 = [[2, 0], [0, 0.5]], b1 = 0, linear; W2 = [[1, 1]], b2 = 0, linear; quadratic loss
    const net = buildMlp({ sizes: [2, 2, 1], hidden: { name: 'linear' }, output: { name: 'linear' }, init: 'normal', dtype: 'float64', rng: new Rng(0) });
    const [l1, l2] = net.weightLayers as Dense[];
    l1.weight.set([2, 0, 0, 0.5]); l1.bias.fill(0);
    l2.weight.set([1, 1]); l2.bias.fill(0);
    // two examples x = (1, 0) and (0, 2), targets 0: outputs a = 2 and 1
    const x = Float64Array.of(1, 0, 0, 2);
    const y = Float64Array.of(0, 0);
    net.zeroGrad();
    const c = net.lossAndBackward(x, y, 2, LOSSES.quadratic, ctx);
    expect(c).toBeCloseTo((4 + 1) / 4, 15);
    const d = layerDiagnostics(net, 2, { jacobianSamples: 2 });
    // δ² per example = a − y = 2 and 1; batch-mean ∂C/∂b² = 1.5
    expect(d[1].biasGradNorm).toBeCloseTo(1.5, 15);
    expect(d[1].deltaNormPerExample).toBeCloseTo(1.5, 15);
    // δ¹(x) = W2ᵀ δ² = (2, 2) and (1, 1): mean = (1.5, 1.5), norm 1.5√2; per-example norms 2√2 and √2
    expect(d[0].biasGradNorm).toBeCloseTo(1.5 * Math.SQRT2, 14);
    expect(d[0].deltaNormPerExample).toBeCloseTo((2 * Math.SQRT2 + Math.SQRT2) / 2, 14);
    // ∂C/∂W¹ = mean δ¹ xᵀ = ½[(2,2)(1,0)ᵀ + (1,1)(0,2)ᵀ] = [[1, 1], [1, 1]]: Frobenius 2
    expect(d[0].weightGradNorm).toBeCloseTo(2, 14);
    // hidden activations: (2, 0) and (0, 1) → mean 0.75, std √(5/4 − 9/16)
    expect(d[0].activationMean).toBeCloseTo(0.75, 15);
    expect(d[0].activationStd).toBeCloseTo(Math.sqrt(1.25 - 0.5625), 14);
    expect(d[0].meanAbsDerivative).toBe(1);
    expect(d[0].deadFraction).toBe(0);
    expect(d[0].saturatedFraction).toBe(0);
    // Jacobian diag(f')·W1 = W1 has singular values 2 and 0.5
    expect(d[0].jacobianMaxSingular).toBeCloseTo(2, 12);
    expect(d[0].jacobianMeanSingular).toBeCloseTo(1.25, 12);
    expect(firstToLast(d)).toBe(1); // one hidden layer: it is both the first and the last
  });

  it('firstToLast compares layer 1 with the last hidden layer', () => {
    const mk = (v: number[]) => v.map((b, i) => ({ index: i + 1, biasGradNorm: b }) as never);
    expect(firstToLast(mk([0.01, 0.1, 1, 5]))).toBeCloseTo(0.01, 15);
    expect(firstToLast(mk([3]))).toBeNull();
  });

  it('dead and saturated fractions count what the definitions say', () => {
    // relu layer with one unit always negative (dead) and one always positive
    const net = buildMlp({ sizes: [1, 2, 1], hidden: { name: 'relu' }, output: { name: 'linear' }, init: 'normal', dtype: 'float64', rng: new Rng(0) });
    const [l1] = net.weightLayers as Dense[];
    l1.weight.set([1, 1]); l1.bias.set([-10, 10]);
    const x = Float64Array.of(0.5, 1, 2);
    net.zeroGrad();
    net.lossAndBackward(x, Float64Array.of(0, 0, 0), 3, LOSSES.quadratic, ctx);
    const d = layerDiagnostics(net, 3, { jacobianSamples: 0 });
    expect(d[0].deadFraction).toBe(0.5);
    expect(d[0].saturatedFraction).toBe(0); // ReLU's zeros are dead, not saturated
    expect(d[0].meanAbsDerivative).toBe(0.5);
    // sigmoid at z = ±20: σ' ≈ 2e-9 < 1e-3/4 → saturated, not dead
    const s = buildMlp({ sizes: [1, 2, 1], hidden: { name: 'sigmoid' }, output: { name: 'linear' }, init: 'normal', dtype: 'float64', rng: new Rng(0) });
    const [s1] = s.weightLayers as Dense[];
    s1.weight.set([0, 0]); s1.bias.set([20, 0]);
    s.zeroGrad();
    s.lossAndBackward(x, Float64Array.of(0, 0, 0), 3, LOSSES.quadratic, ctx);
    const ds = layerDiagnostics(s, 3, { jacobianSamples: 0 });
    expect(ds[0].saturatedFraction).toBe(0.5);
    expect(ds[0].deadFraction).toBe(0);
  });

  it('update ratio is ‖ΔW‖/‖W‖ of the last step', () => {
    const net = buildMlp({ sizes: [2, 2, 1], hidden: { name: 'linear' }, output: { name: 'linear' }, init: 'normal', dtype: 'float64', rng: new Rng(1) });
    const w0 = Float64Array.from((net.weightLayers[0] as Dense).weight);
    net.zeroGrad();
    net.lossAndBackward(Float64Array.of(1, 2), Float64Array.of(3), 1, LOSSES.quadratic, ctx);
    const opt = new Optimizer(net.params(), { name: 'sgd' });
    opt.step(0.1);
    const w1 = (net.weightLayers[0] as Dense).weight;
    let dn = 0, wn = 0;
    for (let i = 0; i < 4; i++) { dn += (w1[i] - w0[i]) ** 2; wn += w1[i] ** 2; }
    expect(updateRatios(net, opt.lastUpdateSq)[0]).toBeCloseTo(Math.sqrt(dn) / Math.sqrt(wn), 14);
  });
});

describe('input correlation', () => {
  /** The O(B²·O) definition, pair by pair: the independent reference. */
  function bruteForce(z: Float64Array, B: number, O: number): number {
    const rows: Float64Array[] = [];
    for (let r = 0; r < B; r++) {
      const row = z.subarray(r * O, (r + 1) * O);
      if (row.some((v) => v !== 0)) rows.push(row);
    }
    let s = 0, n = 0;
    for (let i = 0; i < rows.length; i++)
      for (let j = 0; j < rows.length; j++) {
        if (i === j) continue;
        let dot = 0, ni = 0, nj = 0;
        for (let k = 0; k < O; k++) { dot += rows[i][k] * rows[j][k]; ni += rows[i][k] ** 2; nj += rows[j][k] ** 2; }
        s += dot / Math.sqrt(ni * nj);
        n++;
      }
    return s / n;
  }

  it('hand-worked pairs: (1, 0) and (1, 1) have cosine 1/√2; identical rows 1; opposite rows −1', () => {
    expect(meanPairwiseCosine(Float64Array.of(1, 0, 1, 1), 2, 2)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(meanPairwiseCosine(Float64Array.of(3, 4, 3, 4, 6, 8), 3, 2)).toBeCloseTo(1, 14);
    expect(meanPairwiseCosine(Float64Array.of(1, 2, -1, -2), 2, 2)).toBeCloseTo(-1, 15);
    // three orthogonal directions: every pair 0
    expect(meanPairwiseCosine(Float64Array.of(1, 0, 0, 0, 2, 0, 0, 0, 3), 3, 3)).toBeCloseTo(0, 15);
  });

  it('zero rows are left out, and fewer than two non-zero rows give NaN', () => {
    expect(meanPairwiseCosine(Float64Array.of(1, 0, 0, 0, 1, 1), 3, 2)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(meanPairwiseCosine(Float64Array.of(1, 0, 0, 0), 2, 2)).toBeNaN();
    expect(meanPairwiseCosine(Float64Array.of(1, 2), 1, 2)).toBeNaN();
  });

  it('equals the pair-by-pair definition on random batches (largest difference < 1e-12)', () => {
    const rng = new Rng(7);
    let worst = 0;
    for (const [B, O, shift] of [[2, 3, 0], [17, 5, 0.5], [200, 32, 2], [64, 1, 0.1]] as const) {
      const z = new Float64Array(B * O).map(() => rng.normal() + shift);
      worst = Math.max(worst, Math.abs(meanPairwiseCosine(z, B, O) - bruteForce(z, B, O)));
    }
    expect(worst, `largest difference ${worst}`).toBeLessThan(1e-12);
  });

  it('is the z of each layer in the diagnostics: 1 for a layer that ignores its input, the reference otherwise', () => {
    // layer 1 tanh with W = 0 and b ≠ 0: every example has the same z¹ = b → correlation 1
    const net = buildMlp({ sizes: [3, 4, 4, 2], hidden: { name: 'tanh' }, output: { name: 'sigmoid' }, init: 'normal', dtype: 'float64', rng: new Rng(3) });
    const [l1] = net.weightLayers as Dense[];
    l1.weight.fill(0); l1.bias.set([0.5, -1, 2, 0.1]);
    const rng = new Rng(4);
    const B = 10;
    const x = new Float64Array(B * 3).map(() => rng.normal());
    net.zeroGrad();
    net.lossAndBackward(x, new Float64Array(B * 2).fill(1), B, LOSSES.binary_cross_entropy, ctx);
    const d = layerDiagnostics(net, B, { jacobianSamples: 0 });
    expect(d[0].inputCorrelation).toBeCloseTo(1, 14);
    // the output layer's z against the reference on the same z
    const z = net.activationAfter(2)!.lastInput() as Float64Array;
    expect(Math.abs(d[2].inputCorrelation - bruteForce(z.slice(0, B * 2), B, 2))).toBeLessThan(1e-12);
  });
});

describe('chain view', () => {
  it('the product of factors w·σ\'(z) equals backpropagation through the same chain', () => {
    const sig = getActivation('sigmoid');
    const w = [0.7, -1.3, 0.4, 2.1, -0.6];
    const b = [0.1, 0.2, -0.3, 0.05, 0.5];
    const v = chainView(sig, [], w, b, 0.8, 1);
    expect(v.dCdb1).toBeCloseTo(v.dCdb[0], 15);
    // and against the engine
    const net = buildMlp({ sizes: [1, 1, 1, 1, 1, 1], hidden: { name: 'sigmoid' }, output: { name: 'sigmoid' }, init: 'normal', dtype: 'float64', rng: new Rng(0) });
    (net.weightLayers as Dense[]).forEach((d, j) => { d.weight[0] = w[j]; d.bias[0] = b[j]; });
    net.zeroGrad();
    net.lossAndBackward(Float64Array.of(0.8), Float64Array.of(1), 1, LOSSES.quadratic, ctx);
    const bp = net.weightLayers[0].dbias[0];
    expect(Math.abs(v.dCdb1 - bp) / Math.abs(bp), `chain ${v.dCdb1} vs backprop ${bp}`).toBeLessThan(1e-13);
    // every factor of the sigmoid chain with |w| < 4 is below 1
    for (const l of v.links) expect(Math.abs(l.factor)).toBeLessThan(1);
  });

  it("Nielsen's w = 100, z = 0 chain: every factor above the first is 25", () => {
    const sig = getActivation('sigmoid');
    const v = chainView(sig, [], [100, 100, 100], [-100, -50, -50], 1, 0);
    expect(v.links.map((l) => l.factor)).toEqual([0.25, 25, 25]);
    expect(v.links[2].runningProduct).toBe(0.25 * 625);
  });
});

describe('verdicts on constructed networks', () => {
  function probe(sizes: number[], act: string, init: string, setup?: (ls: Dense[]) => void, seed = 1) {
    const rng = new Rng(seed);
    const net = buildMlp({ sizes, hidden: { name: act }, output: { name: 'sigmoid' }, init, dtype: 'float64', rng });
    setup?.(net.weightLayers as Dense[]);
    const B = 64;
    const x = new Float64Array(B * sizes[0]).map(() => rng.normal());
    const y = new Float64Array(B * sizes[sizes.length - 1]).map(() => rng.int(2));
    return probeNetwork(net, x, y, B, LOSSES.binary_cross_entropy, init, { jacobianSamples: 0 });
  }

  it('deep sigmoid with N(0,1) weights vanishes', () => {
    const r = probe([20, ...Array(10).fill(20), 2], 'sigmoid', 'xavier_normal');
    expect(r.verdict.kind).toBe('vanishing');
    expect(r.firstToLast!).toBeLessThan(1e-2);
    expect(r.verdict.remedies.join(' ')).toMatch(/relu/);
  });

  it('deep linear net with large weights explodes', () => {
    const r = probe([20, ...Array(10).fill(20), 2], 'linear', 'normal:1');
    expect(r.verdict.kind).toBe('exploding');
    expect(r.verdict.remedies.join(' ')).toMatch(/[Cc]lip/);
  });

  it('a non-finite gradient is an exploding finding, not a crash', () => {
    const r = probe([4, 8, 8, 2], 'linear', 'normal', (ls) => { ls[0].weight.fill(1e308); ls[1].weight.fill(1e308); });
    expect(r.verdict.kind).toBe('exploding');
    expect(r.verdict.cause).toMatch(/non-finite/);
  });

  it('relu with very negative biases is dead', () => {
    const r = probe([10, 16, 16, 2], 'relu', 'he_normal', (ls) => ls[1].bias.fill(-100));
    expect(r.verdict.kind).toBe('dead');
    expect(r.verdict.remedies.join(' ')).toMatch(/leaky_relu/);
  });

  it('tanh with huge weights saturates', () => {
    const r = probe([10, 16, 2], 'tanh', 'normal:30');
    expect(r.verdict.kind).toBe('saturated');
  });

  it('a shallow tanh net with Xavier initialisation is healthy', () => {
    const r = probe([10, 16, 16, 2], 'tanh', 'xavier_uniform');
    expect(r.verdict.kind).toBe('healthy');
    expect(r.verdict.remedies).toEqual([]);
  });
});
