// Truncated against full BPTT, the per-step gradient record ‖∂ℓ/∂h_t‖, buffer reuse and the LSTM forget bias.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../tensor/rng.js';
import { RecurrentModel, SeqBatch } from './model.js';
import type { CellKind } from './types.js';

const T = 8;
const B = 4;

function make(kind: CellKind, head: 'regression' | 'sequence' = 'regression', seed = 3): { model: RecurrentModel; batch: SeqBatch } {
  const model = new RecurrentModel({ kind, inSize: 2, hidden: 5, dtype: 'float64', head, outSize: head === 'regression' ? 1 : 3 }, new Rng(seed));
  const batch = new SeqBatch('float64', T, B, 2, model.options.outSize);
  const rng = new Rng(seed + 1);
  for (let i = 0; i < batch.x.length; i++) batch.x[i] = rng.uniformIn(-1, 1);
  for (let i = 0; i < batch.y.length; i++) batch.y[i] = rng.uniform();
  for (let i = 0; i < batch.labels.length; i++) batch.labels[i] = rng.int(3);
  return { model, batch };
}

function grads(model: RecurrentModel, batch: SeqBatch, truncate: number, norms?: Float64Array): Float64Array[] {
  model.zeroGrad();
  model.lossAndGrad(batch, { truncate, gradNorms: norms });
  return model.params().map((p) => Float64Array.from(p.grad));
}

describe('truncated BPTT', () => {
  for (const kind of ['rnn', 'lstm', 'gru'] as const) {
    for (const head of ['regression', 'sequence'] as const) {
      it(`${kind}, ${head}: equals full BPTT when the window covers the sequence (k = T and k > T), differs when it does not`, () => {
        const { model, batch } = make(kind, head);
        const full = grads(model, batch, 0);
        for (const k of [T, T + 5]) expect(grads(model, batch, k)).toEqual(full);
        const short = grads(model, batch, 3);
        const whh = model.params().findIndex((p) => p.name === 'weight_hh');
        expect(short[whh]).not.toEqual(full[whh]);
      });
    }
  }

  it('with a loss at the end only, k steps back from the loss receive gradient and earlier steps none', () => {
    for (const kind of ['rnn', 'lstm', 'gru'] as const) {
      const { model, batch } = make(kind);
      const norms = new Float64Array(T);
      grads(model, batch, 3, norms);
      for (let t = 0; t < T; t++) {
        if (t >= T - 3) expect(norms[t]).toBeGreaterThan(0);
        else expect(norms[t]).toBe(0);
      }
    }
  });
});

describe('the gradient through time ‖∂ℓ/∂h_t‖', () => {
  it('index t is the state after step t: a linear RNN with W_ih = I has ∂ℓ/∂x_t = ∂ℓ/∂h_t', () => {
    const H = 3;
    const model = new RecurrentModel({ kind: 'rnn', inSize: H, hidden: H, dtype: 'float64', head: 'regression', outSize: 1, activation: 'linear', recurrentInit: 'normal:0.5' }, new Rng(5));
    const wih = model.cell.wih;
    wih.fill(0);
    for (let j = 0; j < H; j++) wih[j * H + j] = 1;
    const batch = new SeqBatch('float64', T, B, H, 1);
    const rng = new Rng(6);
    for (let i = 0; i < batch.x.length; i++) batch.x[i] = rng.normal();
    for (let i = 0; i < B; i++) batch.y[i] = rng.normal();
    const norms = new Float64Array(T);
    const dx = new Float64Array(T * B * H);
    model.zeroGrad();
    model.lossAndGrad(batch, { gradNorms: norms, dx });
    for (let t = 0; t < T; t++) {
      // L is the batch mean, so ∂ℓ_b/∂x = B·∂L/∂x and the mean over b of B·‖∂L/∂x_b‖ is Σ_b ‖∂L/∂x_b‖
      let mean = 0;
      for (let b = 0; b < B; b++) {
        let q = 0;
        for (let j = 0; j < H; j++) q += dx[(t * B + b) * H + j] ** 2;
        mean += Math.sqrt(q);
      }
      expect(norms[t]).toBeCloseTo(mean, 12);
    }
  });

  it('a tanh RNN with a small recurrent matrix shows the vanishing gradient: ‖∂ℓ/∂h_t‖ falls toward t = 0', () => {
    const model = new RecurrentModel({ kind: 'rnn', inSize: 2, hidden: 8, dtype: 'float64', head: 'regression', outSize: 1, recurrentGain: 0.5 }, new Rng(1));
    const batch = new SeqBatch('float64', 30, 4, 2, 1);
    const rng = new Rng(2);
    for (let i = 0; i < batch.x.length; i++) batch.x[i] = rng.uniformIn(-1, 1);
    const norms = new Float64Array(30);
    model.zeroGrad();
    model.lossAndGrad(batch, { gradNorms: norms });
    for (let t = 1; t < 30; t++) expect(norms[t - 1]).toBeLessThan(norms[t]);
    expect(norms[0] / norms[29]).toBeLessThan(0.5 ** 29 * 1.0001);
  });
});

describe('buffers and parameters', () => {
  it('reuses the state buffer for the same (T, B) and for shorter sequences', () => {
    const { model, batch } = make('lstm');
    model.lossOf(batch);
    const first = model.cell.states(0);
    batch.T = T - 2;
    model.lossOf(batch);
    expect(model.cell.states(0)).toBe(first);
  });

  it('the LSTM forget-gate bias defaults to 1 and is configurable; other biases start at 0', () => {
    const H = 5;
    const a = new RecurrentModel({ kind: 'lstm', inSize: 2, hidden: H, dtype: 'float32', head: 'regression', outSize: 1 }, new Rng(1));
    expect(Array.from(a.cell.bias.subarray(H, 2 * H))).toEqual(Array(H).fill(1));
    expect(Array.from(a.cell.bias.subarray(0, H))).toEqual(Array(H).fill(0));
    const b = new RecurrentModel({ kind: 'lstm', inSize: 2, hidden: H, dtype: 'float32', head: 'regression', outSize: 1, forgetBias: 2.5 }, new Rng(1));
    expect(Array.from(b.cell.bias.subarray(H, 2 * H))).toEqual(Array(H).fill(2.5));
  });

  it('rejects a non-elementwise activation for the vanilla RNN, naming it', () => {
    expect(() => new RecurrentModel({ kind: 'rnn', inSize: 2, hidden: 4, dtype: 'float32', head: 'regression', outSize: 1, activation: 'softmax' }, new Rng(1))).toThrow(/softmax/);
  });
});
