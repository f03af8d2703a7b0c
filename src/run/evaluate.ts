/**
 * Accuracy and loss of a network on a whole dataset, in evaluation mode and
 * in chunks (so a 10,000-example test set needs no giant buffers).
 */
import { fillBatch } from '../data/batch.js';
import type { Dataset } from '../data/types.js';
import type { LossDef } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import { alloc } from '../tensor/dtype.js';
import { argmax } from '../tensor/reduce.js';
import { Rng } from '../tensor/rng.js';

/** Fraction of examples whose arg-max output is the label, and the mean loss. */
export function evaluate(net: Network, ds: Dataset, loss: LossDef, chunk = 500): { accuracy: number; loss: number } {
  const B = Math.min(chunk, ds.n);
  const x = alloc(net.dtype, B * ds.inputSize);
  const y = alloc(net.dtype, B * ds.classes);
  const order = new Int32Array(ds.n);
  for (let i = 0; i < ds.n; i++) order[i] = i;
  const ctx = { training: false, rng: new Rng(0) };
  let correct = 0;
  let total = 0;
  for (let s = 0; s < ds.n; s += B) {
    const b = Math.min(B, ds.n - s);
    fillBatch(x, y, ds, order, s, b);
    total += net.loss(x, y, b, loss, ctx) * b;
    const out = net.forward(x, b, ctx);
    for (let r = 0; r < b; r++) if (argmax(out, r * ds.classes, ds.classes) === ds.labels[s + r]) correct++;
  }
  return { accuracy: correct / ds.n, loss: total / ds.n };
}
