/**
 * A recurrent model: one cell and one output head, with the batch of
 * sequences it reads. `lossAndGrad` is the whole forward and backward pass
 * of one training step; buffers are reused from step to step.
 */
import { z } from 'zod';
import { getActivation, resolveParams } from '../../activations/catalogue.js';
import { fail, issueFromZod, refusedBy, saying, ValueError } from '../../errors.js';
import { msg } from '../../i18n/catalogue.js';
import { alloc, type Buf, type DType } from '../../tensor/dtype.js';
import { allocFor, jsKernels, type Kernels } from '../../tensor/kernels.js';
import { networkKernels } from '../../tensor/wasm/wasm-kernels.js';
import { Rng } from '../../tensor/rng.js';
import { jsonFinite, jsonSize, rowsOf, type Param } from '../layer.js';
import { ParamBlock } from '../param-block.js';
import type { CellBase } from './base.js';
import { createCell } from './cell.js';
import { Head, type HeadKind } from './head.js';
import { SeqBuf } from './seqbuf.js';
import { CELL_KINDS, type BackwardOptions, type CellOptions } from './types.js';

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
  /** The kernels the model runs on (float32: on a memory of its own; allocate its batches with them). */
  readonly kernels: Kernels;

  /** Builds the cell, then the head, drawing both from `rng`; their parameters then move into one block. */
  constructor(readonly options: ModelOptions, rng: Rng) {
    // float32: the kernels (by default the wasm ones) on a memory of the model's own, as buildMlp does
    const kernels = options.dtype === 'float32' ? networkKernels(options.kernels) : (options.kernels ?? jsKernels);
    this.kernels = kernels;
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

  /** The model file entry: the cell's and the head's settings and every parameter by name, matrices as rows. */
  toJson(): RecurrentJson {
    const o = this.options;
    const params: Record<string, number[] | number[][]> = {};
    for (const p of this.plist) params[p.name] = p.shape.length === 2 ? rowsOf(p.value, p.shape[0], p.shape[1]) : Array.from(p.value);
    return {
      format: 'gradscope-model/2',
      kind: 'recurrent',
      cell: o.kind,
      inSize: o.inSize,
      hidden: o.hidden,
      head: o.head,
      outSize: o.outSize,
      ...(o.kind === 'rnn' ? { activation: o.activation ?? 'tanh', ...(o.activationParams ? { activationParams: { ...o.activationParams } } : {}) } : {}),
      params,
    };
  }
}

/** A recurrent model's file: `gradscope-model/2` with kind "recurrent". */
export type RecurrentJson = z.infer<typeof recurrentSchema>;
const recurrentSchema = z.strictObject({
  format: z.literal('gradscope-model/2'),
  kind: z.literal('recurrent'),
  cell: z.enum(CELL_KINDS as unknown as ['rnn', 'lstm', 'gru']),
  inSize: jsonSize,
  hidden: jsonSize,
  head: z.enum(['regression', 'classify', 'sequence']),
  outSize: jsonSize,
  activation: z.string().optional(),
  activationParams: z.record(z.string(), jsonFinite).optional(),
  params: z.record(z.string(), z.union([z.array(jsonFinite), z.array(z.array(jsonFinite))])),
});

/** Reads a recurrent model file; throws an InputError naming `file`, the field and the value. */
export function recurrentFromJson(json: unknown, file: string, dtype: DType, kernels?: Kernels): RecurrentModel {
  const r = recurrentSchema.safeParse(json);
  if (!r.success) fail(issueFromZod(r.error.issues[0], json), file);
  const j = r.data;
  if (j.activation !== undefined && j.cell !== 'rnn') fail({ field: 'activation', value: j.activation, ...saying(msg('err.rnnModel.activation', { cell: 'rnn' })) }, file);
  if (j.activation !== undefined) {
    try {
      resolveParams(getActivation(j.activation), j.activationParams ?? {});
    } catch (e) {
      if (e instanceof ValueError) fail({ ...e.at('activation'), value: e.quoted ? undefined : e.value }, file);
      throw e;
    }
  }
  let model: RecurrentModel;
  try {
    model = new RecurrentModel(
      { kind: j.cell, inSize: j.inSize, hidden: j.hidden, dtype, head: j.head, outSize: j.outSize, ...(kernels ? { kernels } : {}), ...(j.activation ? { activation: j.activation } : {}), ...(j.activationParams ? { activationParams: j.activationParams } : {}) },
      new Rng(0),
    );
  } catch (e) {
    if (e instanceof RangeError) throw refusedBy([file], e);
    throw e;
  }
  const names = model.params().map((p) => p.name);
  for (const k of Object.keys(j.params)) if (!names.includes(k)) fail({ field: `params.${k}`, value: undefined, ...saying(msg('err.rnnModel.param', { cell: j.cell, names: names.join(', ') })) }, file);
  for (const p of model.params()) {
    const v = j.params[p.name];
    if (v === undefined) fail({ field: `params.${p.name}`, value: undefined, ...saying(msg('err.required')) }, file);
    const flat = p.shape.length === 2 ? (v as unknown[]).flatMap((row, i) => {
      if (!Array.isArray(row) || row.length !== p.shape[1]) fail({ field: `params.${p.name}[${i}]`, value: Array.isArray(row) ? row.length : row, ...saying(msg('err.rnnModel.row', { n: String(p.shape[1]) })) }, file);
      return row as number[];
    }) : (v as unknown[]);
    if (flat.length !== p.value.length || flat.some((x) => typeof x !== 'number')) fail({ field: `params.${p.name}`, value: undefined, ...saying(msg('err.rnnModel.numbers', { shape: p.shape.join(' × ') })) }, file);
    p.value.set(flat as number[]);
  }
  return model;
}
