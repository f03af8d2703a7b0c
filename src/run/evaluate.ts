/**
 * Accuracy and loss of a network on a whole dataset, in evaluation mode and
 * in chunks (so a 10,000-example test set needs no giant buffers): one
 * forward pass per chunk gives both the loss and the outputs the accuracy
 * reads, in the network's own reusable batch rows.
 */
import { fillBatch } from '../data/batch.js';
import type { Dataset } from '../data/types.js';
import type { LossDef } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import { argmax } from '../tensor/reduce.js';
import { Rng } from '../tensor/rng.js';

/** The identity order 0 … n−1 of each size, shared by every evaluation. */
const identities = new Map<number, Int32Array>();

/** 0 … n−1. */
function identity(n: number): Int32Array {
  let o = identities.get(n);
  if (o === undefined) {
    o = new Int32Array(n);
    for (let i = 0; i < n; i++) o[i] = i;
    if (identities.size > 16) identities.clear();
    identities.set(n, o);
  }
  return o;
}

/** Fraction of examples whose arg-max output is the label, and the mean loss. */
export function evaluate(net: Network, ds: Dataset, loss: LossDef, chunk = 500): { accuracy: number; loss: number } {
  const B = Math.min(chunk, ds.n);
  const order = identity(ds.n);
  const ctx = { training: false, rng: new Rng(0) };
  let correct = 0;
  let total = 0;
  for (let s = 0; s < ds.n; s += B) {
    const b = Math.min(B, ds.n - s);
    const { x, y } = net.batchRows('eval', b);
    fillBatch(x, y, ds, order, s, b);
    total += net.loss(x, y, b, loss, ctx) * b;
    const out = net.lastOutput();
    for (let r = 0; r < b; r++) if (argmax(out, r * ds.classes, ds.classes) === ds.labels[s + r]) correct++;
  }
  return { accuracy: correct / ds.n, loss: total / ds.n };
}
