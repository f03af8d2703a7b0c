// One recurrent experiment end to end: reproducibility, the gradient-through-time record, non-finite findings, clipping, learning.
import { describe, expect, it } from 'vitest';
import { evaluateRecurrent, makeTestSet, resolveRecurrentConfig, runRecurrent, windowMeans } from './run.js';
import { addingTask as adding } from './tasks.js';
import { Rng } from '../../tensor/rng.js';

const tiny = { length: 10, hidden: 6, steps: 20, batch: 8, testSize: 50, probeSize: 10, snapshots: 1 } as const;

describe('runRecurrent', () => {
  it('is bit-identical for the same seed and differs for another', () => {
    const a = runRecurrent({ ...tiny, cell: 'gru', seed: 4 });
    const b = runRecurrent({ ...tiny, cell: 'gru', seed: 4 });
    const c = runRecurrent({ ...tiny, cell: 'gru', seed: 5 });
    expect(b.finalLoss).toBe(a.finalLoss);
    expect(b.gradThroughTime).toEqual(a.gradThroughTime);
    expect(c.finalLoss).not.toBe(a.finalLoss);
  });

  it('records ‖∂ℓ/∂h_t‖ for every step of the nominal length, index 0 first, at init, during and after training', () => {
    for (const task of ['adding', 'order', 'copy'] as const) {
      const r = runRecurrent({ ...tiny, cell: 'lstm', task });
      const T = task === 'copy' ? 30 : 10;
      expect(r.gradThroughTime.init.length).toBe(T);
      expect(r.gradThroughTime.final.length).toBe(T);
      expect(r.gradThroughTime.during.map((s) => s.step)).toEqual([10]);
      expect(r.gradThroughTime.init.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
      expect(r.solvedFraction).toBeGreaterThanOrEqual(0);
      expect(r.solvedFraction).toBeLessThanOrEqual(1);
    }
  });

  it('reports Pascanu for the plain RNN against γ of its activation and calls it not applicable for gated cells', () => {
    const tanh = runRecurrent({ ...tiny, cell: 'rnn', steps: 0, recurrentGain: 0.5 });
    expect(tanh.pascanu.init.regime).toBe('vanishing-guaranteed');
    expect(tanh.spectralNorm.init).toBeCloseTo(0.5, 5);
    const sig = runRecurrent({ ...tiny, cell: 'rnn', steps: 0, activation: 'sigmoid', recurrentGain: 3 });
    expect(sig.pascanu.init.gamma).toBe(0.25);
    expect(sig.pascanu.init.regime).toBe('vanishing-guaranteed');
    const lstm = runRecurrent({ ...tiny, cell: 'lstm', steps: 0 });
    expect(lstm.pascanu.init.regime).toBe('not-applicable');
    expect(lstm.spectralNorm.init).toBeCloseTo(2, 5); // four stacked orthogonal blocks
  });

  it('catches the first non-finite value of an exploding ReLU RNN, and clipping keeps the same run finite', () => {
    const base = { ...tiny, cell: 'rnn', activation: 'relu', length: 20, hidden: 24, batch: 32, recurrentGain: 2, optimizer: 'sgd', lr: 0.01, steps: 60 } as const;
    const without = runRecurrent({ ...base, clipNorm: null });
    expect(without.nonFinite).not.toBeNull();
    expect(without.nonFinite!.step).toBeLessThan(5);
    expect(without.nonFinite!.message).toMatch(/^step \d+: /);
    expect(without.steps).toBe(without.nonFinite!.step);
    expect(without.curves.loss.length).toBe(without.nonFinite!.step + 1); // the step that blew up is on the curve
    const withClip = runRecurrent({ ...base, clipNorm: 5 });
    expect(withClip.nonFinite).toBeNull();
    expect(withClip.clipEvents).toBeGreaterThan(0);
    expect(Number.isFinite(withClip.finalLoss)).toBe(true);
    // the gradient explodes toward the start of the sequence at initialisation
    const g = without.gradThroughTime.init;
    expect(g[0]).toBeGreaterThan(100 * g[g.length - 1]);
  });

  it('an LSTM learns the adding problem at T = 10 (≥ 80 % solved after 300 steps)', () => {
    const r = runRecurrent({ cell: 'lstm', length: 10, hidden: 16, steps: 300, batch: 32, testSize: 300, snapshots: 0 });
    expect(r.solvedFraction).toBeGreaterThanOrEqual(0.8);
    expect(r.finalLoss).toBeLessThan(r.baselineLoss / 10);
  });
});

describe('helpers', () => {
  it('resolveRecurrentConfig names the bad field', () => {
    expect(() => resolveRecurrentConfig({ length: 5 })).toThrow(/length must be an integer ≥ 10; got 5/);
    expect(() => resolveRecurrentConfig({ cell: 'elman' as 'rnn' })).toThrow(/cell must be one of rnn, lstm, gru; got 'elman'/);
    expect(() => resolveRecurrentConfig({ clipNorm: -1 })).toThrow(/clipNorm/);
  });

  it('the test set holds n sequences grouped by length, and the memoryless predictor scores its loss', () => {
    const test = makeTestSet(adding, 20, 500, new Rng(1), 'float64');
    expect(test.reduce((s, b) => s + b.B, 0)).toBe(500);
    expect(test.map((b) => b.T)).toEqual([20, 21, 22]);
    let se = 0;
    for (const b of test) for (let i = 0; i < b.B; i++) se += (b.y[i] - 0.5) ** 2;
    expect(se / 1000).toBeCloseTo(1 / 48, 2);
    expect(typeof evaluateRecurrent).toBe('function');
  });

  it('windowMeans averages consecutive windows', () => {
    expect(windowMeans([1, 2, 3, 4, 5], 5, 2)).toEqual([1.5, 3.5, 5]);
  });
});
