// Probing a run with remedies: the architectural ones on a fresh network
// (same seed, same main-path weights), pre-training and training with
// clipping and max-norm before the probe, and their counts in the report.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/node.js';
import type { RunData } from './derive.js';
import { hasRemedy, probeRun, withoutRemedies } from './probe.js';
import { parseRun, type RunInput, type RunSpec } from './schema.js';

const moons: RunData = { train: loadDataset('moons', { seed: 4, n: 200 }), test: null };
const spec = (extra: RunInput = {}): RunSpec => parseRun({ arch: [2, 16, 16, 16, 16, 16, 16, 2], activation: 'sigmoid', init: 'xavier_uniform', loss: 'cross_entropy', dtype: 'float64', jacobianSamples: 0, ...extra });

describe('probeRun with remedies', () => {
  it('batch normalisation and residual blocks lift the first-to-last ratio of a deep sigmoid net, seed for seed', () => {
    for (const seed of [1, 2, 3]) {
      const plain = probeRun(spec({ seed }), moons);
      const bn = probeRun(spec({ seed, norm: 'batch' }), moons);
      const res = probeRun(spec({ seed, residual: true }), moons);
      expect(plain.norm).toBe('none');
      expect(bn.norm).toBe('batch');
      expect(res.residual).toBe(true);
      expect(bn.layers).toHaveLength(plain.layers.length);
      expect(bn.firstToLast!, `seed ${seed}`).toBeGreaterThan(10 * plain.firstToLast!);
      expect(res.firstToLast!, `seed ${seed}`).toBeGreaterThan(10 * plain.firstToLast!);
    }
  });

  it('zero biases: the same weights, biases 0', () => {
    const a = probeRun(spec({ init: 'torch_default', seed: 5 }), moons);
    const b = probeRun(spec({ init: 'torch_default', biasInit: 'zeros', seed: 5 }), moons);
    expect(a.lossValue).not.toBe(b.lossValue);
  });

  it('trains before the probe with clipping and max-norm, and counts what they did', () => {
    const r = probeRun(spec({ activation: 'relu', init: 'normal:1', maxSteps: 30, epochs: null, lr: 0.1, batchSize: 20, clipNorm: 0.1, clipValue: 0.01, maxNorm: 1 }), moons);
    expect(r.training).toBeDefined();
    expect(r.training!.steps).toBe(30);
    expect(r.training!.clipEvents).toBe(30);
    expect(r.training!.clipNormEvents).toBe(30);
    expect(r.training!.maxNormRows).toBeGreaterThan(0);
    expect(r.training!.nonFinite).toBeNull();
    expect(Number.isFinite(r.training!.firstLoss)).toBe(true);
  });

  it('pre-trains layer by layer before the probe', () => {
    const r = probeRun(spec({ pretrain: true, pretrainSteps: 20, pretrainBatchSize: 20 }), moons);
    expect(r.pretrain).toHaveLength(6);
    expect(r.pretrain!.map((p) => p.layer)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a fresh probe is unchanged by the remedy settings when they are off', () => {
    const a = probeRun(spec({ seed: 7 }), moons);
    const b = probeRun(spec({ seed: 7, norm: 'none', residual: false, biasInit: 'scheme', clipNorm: null }), moons);
    expect(b.layers).toEqual(a.layers);
    expect(a.training).toBeUndefined();
    expect(a.pretrain).toBeUndefined();
  });

  it('withoutRemedies resets exactly the remedies: the same weights on the main path', () => {
    const s = spec({ norm: 'batch', residual: true, clipNorm: 1, l2: 0.5, dropout: 0.1, lr: 0.3, maxSteps: 5, epochs: null });
    expect(hasRemedy(s)).toBe(true);
    const plain = withoutRemedies(s);
    expect(plain).toMatchObject({ norm: 'none', residual: false, clipNorm: null, l2: 0, dropout: 0, lr: 0.3, maxSteps: 5 });
    expect(hasRemedy(plain)).toBe(false);
    expect(probeRun({ ...plain, maxSteps: null, epochs: 30 }, moons).layers).toEqual(probeRun(spec(), moons).layers);
  });
});
