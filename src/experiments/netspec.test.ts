// Probing a network spec with remedies: the architectural ones on a fresh
// network (same seed, same main-path weights), pre-training and training
// with clipping and max-norm before the probe, and their counts in the report.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/node.js';
import { probeSpec, type NetSpec } from './netspec.js';

const moons = loadDataset('moons', { seed: 4, n: 200 });
const base: NetSpec = { arch: [2, 16, 16, 16, 16, 16, 16, 2], act: 'sigmoid', init: 'xavier_uniform', loss: 'cross_entropy', dtype: 'float64' };

describe('probeSpec with remedies', () => {
  it('batch normalisation and residual blocks lift the first-to-last ratio of a deep sigmoid net, seed for seed', () => {
    for (const seed of [1, 2, 3]) {
      const plain = probeSpec(base, moons, seed, 0);
      const bn = probeSpec({ ...base, norm: 'batch' }, moons, seed, 0);
      const res = probeSpec({ ...base, residual: true }, moons, seed, 0);
      expect(plain.norm).toBe('none');
      expect(bn.norm).toBe('batch');
      expect(res.residual).toBe(true);
      expect(bn.layers).toHaveLength(plain.layers.length);
      expect(bn.firstToLast!, `seed ${seed}`).toBeGreaterThan(10 * plain.firstToLast!);
      expect(res.firstToLast!, `seed ${seed}`).toBeGreaterThan(10 * plain.firstToLast!);
    }
  });

  it('zero biases: the same weights, biases 0', () => {
    const a = probeSpec({ ...base, init: 'torch_default' }, moons, 5, 0);
    const b = probeSpec({ ...base, init: 'torch_default', biasInit: 'zeros' }, moons, 5, 0);
    expect(a.lossValue).not.toBe(b.lossValue);
  });

  it('trains before the probe with clipping and max-norm, and counts what they did', () => {
    const r = probeSpec({ ...base, act: 'relu', init: 'normal:1' }, moons, 1, 0, { train: { steps: 30, optimizer: 'sgd', lr: 0.1, batchSize: 20, clipNorm: 0.1, clipValue: 0.01, maxNorm: 1 } });
    expect(r.training).toBeDefined();
    expect(r.training!.steps).toBe(30);
    expect(r.training!.clipEvents).toBe(30);
    expect(r.training!.clipNormEvents).toBe(30);
    expect(r.training!.maxNormRows).toBeGreaterThan(0);
    expect(r.training!.nonFinite).toBeNull();
  });

  it('pre-trains layer by layer before the probe', () => {
    const r = probeSpec(base, moons, 1, 0, { pretrain: { steps: 20, lr: 0.01, batchSize: 20, optimizer: 'momentum' } });
    expect(r.pretrain).toHaveLength(6);
    expect(r.pretrain!.map((p) => p.layer)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a fresh probe is unchanged by the new options when they are off', () => {
    const a = probeSpec(base, moons, 7, 0);
    const b = probeSpec({ ...base, norm: 'none', residual: false, biasInit: 'scheme' }, moons, 7, 0, {});
    expect(b.layers).toEqual(a.layers);
    expect(a.training).toBeUndefined();
    expect(a.pretrain).toBeUndefined();
  });
});
