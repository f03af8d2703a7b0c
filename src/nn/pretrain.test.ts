// Greedy layer-wise pre-training: each hidden layer learns to reconstruct its
// input, only the hidden layers change, the network is left as it was found
// (flags, output layer), and the same seed gives the same weights.
import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng.js';
import { buildMlp, type NormKind } from './build.js';
import { Dense } from './dense.js';
import type { Network } from './network.js';
import { layerStages, pretrainGreedy } from './pretrain.js';

/** 200 points near a 3-dimensional subspace of R^8: compressible, so autoencoders can learn them. */
function lowRank(seed: number): Float64Array {
  const rng = new Rng(seed);
  const basis = Array.from({ length: 3 }, () => Array.from({ length: 8 }, () => rng.normal()));
  const x = new Float64Array(200 * 8);
  for (let r = 0; r < 200; r++) {
    const c = [rng.normal(), rng.normal(), rng.normal()];
    for (let k = 0; k < 8; k++) x[r * 8 + k] = 0.5 * (c[0] * basis[0][k] + c[1] * basis[1][k] + c[2] * basis[2][k]) + 0.01 * rng.normal();
  }
  return x;
}

function mk(norm: NormKind = 'none', residual = false, dropout = 0): Network {
  return buildMlp({ sizes: [8, 6, 6, 4, 3], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'xavier_uniform', norm, residual, dropout, dtype: 'float64', rng: new Rng(1) });
}

describe('pretrainGreedy', () => {
  it('lowers the reconstruction loss of every hidden layer and leaves the output layer alone', () => {
    const net = mk();
    const out0 = Array.from((net.weightLayers[3] as Dense).weight);
    const w0 = Array.from((net.weightLayers[0] as Dense).weight);
    const res = pretrainGreedy(net, lowRank(2), 200, { steps: 300, lr: 0.05, batchSize: 20, rng: new Rng(3) });
    expect(res.map((r) => r.layer)).toEqual([1, 2, 3]);
    expect(res.map((r) => r.units)).toEqual([6, 6, 4]);
    for (const r of res) {
      expect(r.steps).toBe(300);
      expect(r.lossEnd, `layer ${r.layer}: ${r.lossStart} → ${r.lossEnd}`).toBeLessThan(0.6 * r.lossStart);
    }
    expect(Array.from((net.weightLayers[3] as Dense).weight)).toEqual(out0);
    expect(Array.from((net.weightLayers[0] as Dense).weight)).not.toEqual(w0);
    // the network's own first layer still skips its input gradient, the others still compute it
    expect(net.layers.map((l) => l.needInputGrad)).toEqual(net.layers.map((_, i) => i !== 0));
  });

  it('is reproducible from the seed', () => {
    const a = mk(), b = mk();
    pretrainGreedy(a, lowRank(2), 200, { steps: 50, lr: 0.05, batchSize: 20, rng: new Rng(4) });
    pretrainGreedy(b, lowRank(2), 200, { steps: 50, lr: 0.05, batchSize: 20, rng: new Rng(4) });
    a.weightLayers.forEach((w, l) => expect(Array.from(w.weight)).toEqual(Array.from(b.weightLayers[l].weight)));
  });

  it('works through normalisation layers, residual blocks and dropout', () => {
    for (const net of [mk('batch'), mk('layer', true), mk('none', false, 0.2)]) {
      const res = pretrainGreedy(net, lowRank(5), 200, { steps: 200, lr: 0.02, batchSize: 20, rng: new Rng(6) });
      expect(res).toHaveLength(3);
      for (const r of res) expect(r.lossEnd).toBeLessThan(r.lossStart);
    }
  });

  it('finds one stage per weight layer (dense with its norm and activation, or a block)', () => {
    expect(layerStages(mk('batch'))).toEqual([{ start: 0, end: 2 }, { start: 3, end: 5 }, { start: 6, end: 8 }, { start: 9, end: 10 }]);
    expect(layerStages(mk('none', true))).toEqual([{ start: 0, end: 0 }, { start: 1, end: 1 }, { start: 2, end: 2 }, { start: 3, end: 4 }]);
    expect(layerStages(mk('none', false, 0.5))).toEqual([{ start: 0, end: 1 }, { start: 3, end: 4 }, { start: 6, end: 7 }, { start: 9, end: 10 }]);
  });

  it('refuses a network without hidden layers', () => {
    const net = buildMlp({ sizes: [8, 3], hidden: [], output: { name: 'softmax' }, init: 'xavier_uniform', dtype: 'float64', rng: new Rng(1) });
    expect(() => pretrainGreedy(net, lowRank(2), 200, { steps: 10, lr: 0.1, batchSize: 10, rng: new Rng(1) })).toThrow(/no hidden layer to pre-train/);
  });
});
