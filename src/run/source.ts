/**
 * Adapts a Dataset to the training loop's BatchSource (one-hot targets).
 */
import { fillBatch } from '../data/batch.js';
import type { Dataset } from '../data/types.js';
import type { BatchSource } from '../nn/train.js';
import type { Rng } from '../tensor/rng.js';
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

/**
 * Training batches that keep their place across `train()` calls: ⌊n/B⌋
 * batches per epoch, reshuffled by their own generator at the start of every
 * epoch (as `train()` does). Lets a run advance in chunks — between Ctrl-C
 * checks, or between worker messages — with results independent of the chunking.
 */
export class EpochSource implements BatchSource {
  readonly n: number;
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly order: Int32Array;
  private readonly perEpoch: number;
  private cursor: number;

  constructor(private readonly ds: Dataset, private readonly B: number, private readonly rng: Rng) {
    this.n = ds.n;
    this.inputSize = ds.inputSize;
    this.outputSize = ds.classes;
    this.order = new Int32Array(ds.n);
    for (let i = 0; i < ds.n; i++) this.order[i] = i;
    this.perEpoch = Math.floor(ds.n / B);
    this.cursor = this.perEpoch;
  }

  /** train() passes its own order; this source walks its own. */
  fill(x: Buf, y: Buf, _order: ArrayLike<number>, _start: number, B: number): void {
    if (this.cursor >= this.perEpoch) {
      this.cursor = 0;
      this.rng.shuffle(this.order);
    }
    fillBatch(x, y, this.ds, this.order, this.cursor * this.B, B);
    this.cursor++;
  }
}
