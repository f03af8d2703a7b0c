// Stage 4's exploding network is tested by what the clipping claim needs: its
// gradient really grows toward the input at initialisation (first-to-last
// ratio above 1e2 by the probe, median over seeds), plain SGD at η = 0.01
// overflows on every seed, and clipping at c = 20 keeps it finite while
// clipping only part of the steps. And Nielsen's w = 100 chain: factors of 25.
import { describe, expect, it } from 'vitest';
import { splitTrainTest, takeFirst } from '../data/batch.js';
import { loadDigits } from '../data/node.js';
import { probeNetwork } from '../diagnostics/probe.js';
import { crossEntropy } from '../nn/losses.js';
import { fullBatch } from '../run/source.js';
import { bigWeightChain, explodingNet, STAGE4_ARMS, trainArm } from './exploding.js';
import { median } from '../experiments/stats.js';

const split = splitTrainTest(loadDigits(), 0.2, 1);
const net = { gain: 6, depth: 12, width: 32, steps: 300, batch: 32 };

describe('the exploding network', () => {
  it('has weight variance 6/n_in and a first-to-last ratio above 1e2 (median of 20 seeds)', () => {
    const n = explodingNet(net, 1);
    const w = n.weightLayers[1].weight;
    let s2 = 0;
    for (const x of w) s2 += x * x;
    // Var(W) ≈ 6/32 within sampling error of 1,024 weights (±10 %)
    expect(Math.abs(s2 / w.length / (6 / 32) - 1)).toBeLessThan(0.1);
    const pb = fullBatch(takeFirst(split.train, 250), 'float32');
    const ratios = Array.from({ length: 20 }, (_, i) => probeNetwork(explodingNet(net, i + 1), pb.x, pb.y, pb.B, crossEntropy, 'x', { jacobianSamples: 0 }).firstToLast!);
    expect(median(ratios), ratios.join(', ')).toBeGreaterThan(100);
  });

  it('overflows under plain SGD at η = 0.01 on every seed; clipping at 20 stays finite and clips only part of the steps', () => {
    const [none, clip] = STAGE4_ARMS;
    for (const seed of [1, 2]) {
      const a = trainArm(split, net, none, seed);
      expect(a.outcome.nonFinite, `seed ${seed}`).not.toBeNull();
      expect(a.outcome.trained).toBe(false);
      const b = trainArm(split, net, clip, seed);
      expect(b.outcome.nonFinite, `seed ${seed}`).toBeNull();
      expect(b.outcome.clippedFraction, `seed ${seed}`).toBeGreaterThan(0);
      expect(b.outcome.clippedFraction, `seed ${seed}`).toBeLessThan(1);
    }
  });

  it("Nielsen's chain with w = 100 and z = 0 multiplies by 25 per added layer", () => {
    for (let d = 2; d <= 6; d++) expect(bigWeightChain(d) / bigWeightChain(d - 1)).toBeCloseTo(25, 10);
  });
});
