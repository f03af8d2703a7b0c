/**
 * A recurrent model: one cell and one output head, with the batch of
 * sequences it reads. `lossAndGrad` is the whole forward and backward pass
 * of one training step; buffers are reused from step to step.
 */
import { alloc, type Buf, type DType } from '../../tensor/dtype.js';
import { allocFor, jsKernels, type Kernels } from '../../tensor/kernels.js';
import { networkKernels } from '../../tensor/wasm/wasm-kernels.js';
import type { Rng } from '../../tensor/rng.js';
import type { Param } from '../layer.js';
import { ParamBlock } from '../param-block.js';
import type { CellBase } from './base.js';
import { createCell } from './cell.js';
import { Head, type HeadKind } from './head.js';
import { SeqBuf } from './seqbuf.js';
import type { BackwardOptions, CellOptions } from './types.js';

/**
 * A batch of B sequences of T steps (T ≤ the capacity given at construction),
 * filled in place by a task generator: x (T,B,I); y (B,O) real targets;
 * labels (B) per sequence or (T,B) per step.
 */
export class SeqBatch {
  /** Steps in use (≤ maxT). */
  T: number;
  readonly x: Buf;
  readonly y: Buf;
  readonly labels: Int32Array;

  /** Allocates room for maxT steps of B sequences of I inputs and O outputs (where `kernels` read them without copying, when given). */
  constructor(dtype: DType, readonly maxT: number, readonly B: number, readonly I: number, readonly O: number, kernels?: Kernels) {
    if (!(Number.isInteger(maxT) && maxT >= 1 && Number.isInteger(B) && B >= 1)) throw new RangeError(`SeqBatch: maxT and B must be integers ≥ 1; got ${maxT}, ${B}`);
    this.T = maxT;
    this.x = kernels ? allocFor(kernels, dtype, maxT * B * I) : alloc(dtype, maxT * B * I);
    this.y = kernels ? allocFor(kernels, dtype, B * O) : alloc(dtype, B * O);
    this.labels = new Int32Array(maxT * B);
  }
}

/** Settings of a model: the cell's and the head's (kernels default to the wasm kernels on a memory of the model's own for float32, the TypeScript kernels for float64). */
export interface ModelOptions extends CellOptions {
  readonly head: HeadKind;
  /** O: outputs (regression) or classes. */
  readonly outSize: number;
}

/** A cell followed by a dense head and its loss. */
export class RecurrentModel {
  readonly cell: CellBase;
  readonly head: Head;
  private readonly dH: SeqBuf;
  private readonly plist: readonly Param[];
  /** Every parameter and gradient in one block each (param-block.ts). */
  readonly block: ParamBlock | null;

  /** Builds the cell, then the head, drawing both from `rng`; their parameters then move into one block. */
  constructor(readonly options: ModelOptions, rng: Rng) {
    // float32 without kernels given: the wasm kernels on a memory of the model's own, as buildMlp does
    const kernels = options.kernels ?? (options.dtype === 'float32' ? networkKernels() : jsKernels);
    this.cell = createCell({ ...options, kernels }, rng);
    this.head = new Head(options.head, options.hidden, options.outSize, options.dtype, rng, kernels);
    this.dH = new SeqBuf(options.dtype, options.hidden, 0, kernels);
    this.plist = [...this.cell.params(), ...this.head.params()];
    this.block = ParamBlock.adopt(this.plist, this.cell.kernels, options.dtype);
  }

  /** Every trainable parameter: the cell's, then the head's. */
  params(): readonly Param[] {
    return this.plist;
  }

  /** Sets every gradient to 0. */
  zeroGrad(): void {
    if (this.block) this.block.grads.fill(0);
    else for (const p of this.plist) p.grad.fill(0);
  }

  /** Forward pass: returns the outputs (B,O) or (T,B,O), probabilities for classifiers; valid until the next call. */
  forward(batch: SeqBatch): Buf {
    const { T, B } = batch;
    this.cell.forward(batch.x, T, B);
    this.head.forward(this.cell.states(this.head.firstSlot(T)), this.head.rows(T, B));
    return this.head.probabilities(T, B);
  }

  /** The loss on `batch` (forward only; gradients untouched). */
  lossOf(batch: SeqBatch): number {
    const { T, B } = batch;
    this.cell.forward(batch.x, T, B);
    this.head.forward(this.cell.states(this.head.firstSlot(T)), this.head.rows(T, B));
    return this.head.loss(T, B, batch);
  }

  /** One forward and backward pass: returns the loss and adds its gradient to every parameter's (zero them first). */
  lossAndGrad(batch: SeqBatch, o?: BackwardOptions): number {
    const { T, B } = batch;
    const H = this.options.hidden;
    this.cell.forward(batch.x, T, B);
    const first = this.head.firstSlot(T);
    const N = this.head.rows(T, B);
    const h = this.cell.states(first);
    this.head.forward(h, N);
    const loss = this.head.loss(T, B, batch);
    this.dH.reshape(T, B);
    // ∂L/∂h_t from the head: every step (seq-to-seq) or only the last (seq-to-one)
    if (first > 1) this.dH.data.fill(0, 0, (first - 1) * B * H);
    this.head.backward(h, this.dH.from(first - 1), N);
    this.cell.backward(this.dH.data, T, B, o);
    return loss;
  }
}
