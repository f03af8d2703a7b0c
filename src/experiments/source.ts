/**
 * Adapts a Dataset to the training loop's BatchSource (one-hot targets).
 */
import { fillBatch } from '../data/batch.js';
import type { Dataset } from '../data/types.js';
import type { BatchSource } from '../nn/train.js';
import type { Buf } from '../tensor/dtype.js';

/** A BatchSource reading rows of `ds` with one-hot targets. */
export function datasetSource(ds: Dataset): BatchSource {
  return {
    n: ds.n,
    inputSize: ds.inputSize,
    outputSize: ds.classes,
    fill(x: Buf, y: Buf, order: ArrayLike<number>, start: number, B: number) {
      fillBatch(x, y, ds, order, start, B);
    },
  };
}

/** Fills whole-dataset buffers x(n,I), y(n,C) in the dataset's order. */
export function fullBatch(ds: Dataset, dtype: 'float32' | 'float64'): { x: Buf; y: Buf; B: number } {
  const x = dtype === 'float64' ? new Float64Array(ds.n * ds.inputSize) : new Float32Array(ds.n * ds.inputSize);
  const y = dtype === 'float64' ? new Float64Array(ds.n * ds.classes) : new Float32Array(ds.n * ds.classes);
  const order = new Int32Array(ds.n);
  for (let i = 0; i < ds.n; i++) order[i] = i;
  fillBatch(x, y, ds, order, 0, ds.n);
  return { x, y, B: ds.n };
}
