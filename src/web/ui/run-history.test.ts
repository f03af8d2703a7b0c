/**
 * A run's history keeps block sums of ln ‖∂C/∂bˡ‖ so long runs chart cheaply:
 * the geometric mean over any range of steps, from the blocks, equals the
 * direct one over the same values (zeros and non-finite values left out),
 * whatever the chunks the records arrived in.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE } from '../state/settings.js';
import { specOf } from '../engine/spec.js';
import { Rng } from '../../tensor/rng.js';
import { BLOCK, RunHistory } from './run-controller.js';
import { bins } from './run-charts.js';

describe('run history', () => {
  it('gives the geometric mean of any step range from block sums as the direct computation does (largest relative difference < 1e-12)', () => {
    const h = new RunHistory(specOf({ ...DEFAULT_STATE, depth: 3 }));
    const L = h.L;
    const rng = new Rng(5);
    const all: number[] = [];
    let start = 0;
    // chunks of uneven sizes, with zeros and non-finite values among the norms
    for (const count of [1, 7, 40, 3, 100, 33, 64, 9, 250]) {
      const g = new Float64Array(count * L).map(() => {
        const u = rng.uniform();
        return u < 0.05 ? 0 : u < 0.07 ? Infinity : u < 0.08 ? NaN : Math.exp(8 * rng.uniform() - 10);
      });
      all.push(...g);
      h.add({ start, count, layers: L, loss: new Float64Array(count), gradNorm: new Float64Array(count), clipped: new Uint8Array(count), biasGrad: g });
      start += count;
    }
    let worst = 0;
    for (let t = 0; t < 300; t++) {
      const a = Math.floor(rng.uniform() * start);
      const b = a + 1 + Math.floor(rng.uniform() * (start - a));
      for (let l = 0; l < L; l++) {
        let s = 0;
        let c = 0;
        for (let i = a; i < b; i++) {
          const v = all[i * L + l];
          if (v > 0 && Number.isFinite(v)) {
            s += Math.log(v);
            c++;
          }
        }
        const direct = c > 0 ? Math.exp(s / c) : null;
        const got = h.geoMeanGrad(a, b, l);
        if (direct === null) expect(got).toBeNull();
        else worst = Math.max(worst, Math.abs((got ?? NaN) - direct) / direct);
      }
    }
    expect(worst, `largest relative difference ${worst}`).toBeLessThan(1e-12);
  });

  it('bins long runs in whole blocks, short runs step by step, never more than the maximum', () => {
    for (const n of [0, 1, 299, 300, 301, 9600, 9601, 100000]) {
      const bs = bins(n);
      expect(bs.length).toBeLessThanOrEqual(300);
      expect(bs.reduce((k, [a, b]) => k + b - a, 0)).toBe(n);
      const k = bs[0] ? bs[0][1] - bs[0][0] : 0;
      if (k > BLOCK) expect(k % BLOCK).toBe(0);
    }
  });
});
