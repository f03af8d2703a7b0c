// The LSTM on the wasm kernels (its gate arithmetic as one fused kernel per
// step, its buffers and parameter block in the model's own memory) against
// the same model on the TypeScript kernels: loss, every gradient and a few
// SGD steps agree within float32 rounding; the wasm path gives the same bits
// twice; H not a multiple of 4 falls back to the TypeScript loops.
import { describe, expect, it } from 'vitest';
import { jsKernels, type Kernels } from '../../tensor/kernels.js';
import { Rng } from '../../tensor/rng.js';
import { fastKernels, type HeapKernels } from '../../tensor/wasm/wasm-kernels.js';
import { Optimizer } from '../optim.js';
import { RecurrentModel, SeqBatch } from './model.js';

/** A model, a batch of random sequences, and the loss, gradients and weights after 3 SGD steps. */
function run(kernels: Kernels, H: number): { loss: number; grads: Float64Array[]; after: number[]; model: RecurrentModel } {
  const model = new RecurrentModel({ kind: 'lstm', inSize: 6, hidden: H, dtype: 'float32', head: 'classify', outSize: 5, kernels }, new Rng(3));
  const batch = new SeqBatch('float32', 12, 8, 6, 5, model.kernels);
  const rng = new Rng(4);
  for (let i = 0; i < batch.x.length; i++) batch.x[i] = rng.normal();
  for (let i = 0; i < batch.labels.length; i++) batch.labels[i] = rng.int(5);
  model.zeroGrad();
  const loss = model.lossAndGrad(batch);
  const grads = model.params().map((p) => Float64Array.from(p.grad));
  const opt = new Optimizer(model.params(), { name: 'sgd' });
  for (let s = 0; s < 3; s++) {
    opt.step(0.5);
    model.zeroGrad();
    model.lossAndGrad(batch);
  }
  return { loss, grads, after: Array.from(model.params()[1].value), model };
}

describe('the LSTM on the wasm kernels', () => {
  it('keeps its parameters in one block in its own memory', () => {
    const { model } = run(fastKernels(), 16);
    const heap = (model.kernels as HeapKernels).heap;
    expect(model.cell.kernels).toBe(model.kernels);
    expect(model.block).not.toBeNull();
    expect(heap.owns(model.block!.values)).toBe(true);
  });

  it('gives the loss, gradients and weights of the TypeScript kernels within float32 rounding (H = 16)', () => {
    const ts = run(jsKernels, 16);
    const wa = run(fastKernels(), 16);
    expect(Math.abs(wa.loss - ts.loss) / ts.loss).toBeLessThan(1e-5);
    ts.grads.forEach((g, i) => {
      let worst = 0;
      let scale = 0;
      for (let k = 0; k < g.length; k++) {
        worst = Math.max(worst, Math.abs(wa.grads[i][k] - g[k]));
        scale = Math.max(scale, Math.abs(g[k]));
      }
      expect(worst, `parameter ${i}: largest |Δ| ${worst} of ${scale}`).toBeLessThan(1e-4 * scale + 1e-7);
    });
    ts.after.forEach((v, k) => expect(Math.abs(wa.after[k] - v)).toBeLessThan(1e-4 * (1 + Math.abs(v))));
  });

  it('gives the same bits twice', () => {
    const a = run(fastKernels(), 16);
    const b = run(fastKernels(), 16);
    expect(b.loss).toBe(a.loss);
    expect(b.after).toEqual(a.after);
  });

  it('falls back to the TypeScript loops when H is not a multiple of 4 (same numbers as the TypeScript kernels up to the products)', () => {
    const ts = run(jsKernels, 6);
    const wa = run(fastKernels(), 6);
    expect(Math.abs(wa.loss - ts.loss) / ts.loss).toBeLessThan(1e-5);
  });
});
