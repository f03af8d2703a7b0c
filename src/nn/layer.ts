/**
 * What every layer of a sequential network provides: an explicit forward and
 * backward pass over a batch, and its trainable parameters with gradient
 * buffers. Backward accumulates into gradient buffers; zeroing is explicit.
 * Layers hold their parameters as slots that can move, once, into the
 * network's parameter block (param-block.ts), and allocate their batch
 * buffers where the network's kernels read them without copying.
 */
import { gotValue } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { z } from 'zod';
import { alloc, type Buf, type DType } from '../tensor/dtype.js';
import { allocFor, type Kernels } from '../tensor/kernels.js';
import type { Rng } from '../tensor/rng.js';

/** A trainable tensor with its gradient buffer (same length). */
export interface Param {
  /** `weight`, `bias`, or an activation parameter name such as `weight` for PReLU. */
  readonly name: string;
  readonly value: Buf;
  readonly grad: Buf;
  /** Shape, e.g. [O, I] for a dense weight. */
  readonly shape: readonly number[];
  /** True for weights that L2/L1 regularisation applies to (biases and activation parameters are not decayed). */
  readonly decay: boolean;
}

/**
 * A parameter whose value and gradient live in buffers that can move once,
 * into a parameter block: its layer reads them through the slot, so it sees
 * the block's views after the move. Starts zero-filled in ordinary arrays.
 */
export class ParamSlot implements Param {
  private v: Buf;
  private g: Buf;
  private owner: object | null = null;
  private zeroPending = false;

  /** A zero parameter of `shape` (its element count is the product of the shape). */
  constructor(readonly name: string, readonly shape: readonly number[], readonly decay: boolean, dtype: DType) {
    const n = shape.reduce((a, b) => a * b, 1);
    this.v = alloc(dtype, n);
    this.g = alloc(dtype, n);
  }

  get value(): Buf {
    return this.v;
  }

  /** The gradient; zeros after clearGrad, written out on this first read (or by the writer that takeZero told to overwrite it). */
  get grad(): Buf {
    if (this.zeroPending) {
      this.g.fill(0);
      this.zeroPending = false;
    }
    return this.g;
  }

  /**
   * Sets the gradient to zero without writing it: a layer that writes the
   * whole gradient in its backward pass asks takeZero first and overwrites
   * instead of accumulating, so the zeros are never written at all; any
   * other reader gets them written out at its first read of `grad`.
   */
  clearGrad(): void {
    this.zeroPending = true;
  }

  /** True, once, when the gradient is zero by clearGrad and not yet written: the caller must then overwrite all of it rather than add to it. */
  takeZero(): boolean {
    const z = this.zeroPending;
    this.zeroPending = false;
    return z;
  }

  /** The block holding this parameter, or null before it has one. */
  get block(): object | null {
    return this.owner;
  }

  /** Moves value and gradient into `value` and `grad` (same length), copying their contents; once only. */
  moveTo(block: object, value: Buf, grad: Buf): void {
    if (this.owner !== null) throw new Error(`param '${this.name}': already in a parameter block`);
    if (value.length !== this.v.length || grad.length !== this.g.length) throw new RangeError(`param '${this.name}': the block gives ${value.length} elements for ${this.v.length}`);
    value.set(this.v);
    grad.set(this.grad);
    this.v = value;
    this.g = grad;
    this.owner = block;
  }
}

/** State shared by one forward pass. */
export interface PassContext {
  /** Training mode: dropout masks and rrelu draws are sampled; evaluation mode is deterministic. */
  readonly training: boolean;
  /** The only source of randomness (dropout masks, rrelu slopes). */
  readonly rng: Rng;
  /**
   * Normalisation layers use the statistics of this batch even when `training`
   * is false, and leave their running statistics alone (probing a network's
   * training-mode gradient without changing it). Default false.
   */
  readonly batchStats?: boolean;
}

/** Construction-time settings shared by all layers of one network. */
export interface LayerEnv {
  readonly dtype: DType;
  readonly kernels: Kernels;
}

/**
 * A layer with a weight and a bias held as parameter slots (so they can move
 * into the network's block), and the four views such a layer exposes.
 */
export abstract class WeightBiasLayer {
  /** Takes the slots (a subclass validates its sizes before making them). */
  protected constructor(
    protected readonly pw: ParamSlot,
    protected readonly pb: ParamSlot,
  ) {}

  /** The weight: W(O,I) of a dense or maxout layer, γ(F) of a normalisation layer. */
  get weight(): Buf {
    return this.pw.value;
  }

  /** The bias: b(O), or β(F) of a normalisation layer. */
  get bias(): Buf {
    return this.pb.value;
  }

  /** ∂C/∂weight, accumulated. */
  get dweight(): Buf {
    return this.pw.grad;
  }

  /** ∂C/∂bias, accumulated. */
  get dbias(): Buf {
    return this.pb.grad;
  }
}

/** The γ = 1 and β = 0 slots of a normalisation layer of `size` features, after checking the size. */
export function normSlots(layer: string, size: number, dtype: DType): [ParamSlot, ParamSlot] {
  if (!Number.isInteger(size) || size < 1) throw gotValue(size, msg('err.layer.positiveInt', { layer, k: 'size' }));
  const gamma = new ParamSlot('weight', [size], false, dtype);
  gamma.value.fill(1);
  return [gamma, new ParamSlot('bias', [size], false, dtype)];
}

/**
 * A layer that can take over a dense layer's bias: right after the dense
 * product it adds the bias and applies itself in one fused pass, and its own
 * forward on that z then only hands out the result.
 */
export interface BiasConsumer {
  /** z(B,·) += bias, then this layer's output from z, in one pass; false (nothing done) when it cannot here. */
  addBiasFused(z: Buf, bias: Buf, B: number): boolean;
}

/** A layer of a sequential network. Buffers it returns are owned by it and valid until its next call. */
export interface Layer {
  /** `dense`, `activation`, `maxout`, `dropout`, `batchnorm`, `layernorm`, `residual`. */
  readonly type: string;
  readonly inSize: number;
  readonly outSize: number;
  /** out(B,O) = layer(x(B,I)); `x` must stay unchanged until `backward`. */
  forward(x: Buf, B: number, ctx: PassContext): Buf;
  /** Given dout(B,O), accumulates parameter gradients and returns dinp(B,I) (or an empty buffer when `needInputGrad` is false). */
  backward(dout: Buf, B: number): Buf;
  /** Trainable parameters (may be empty). */
  params(): readonly Param[];
  /** When false, backward skips dinp (the first layer never needs it). */
  needInputGrad: boolean;
  /** The layer's entry in a model file (its format is the `LayerFormat` of its type). */
  toJson(): LayerJson;
}

/** A layer's entry in a model file: its type and the fields its format defines. */
export interface LayerJson {
  readonly type: string;
}

/** What a layer format may ask of the model-file reader while it builds a layer. */
export interface DecodeContext {
  readonly env: LayerEnv;
  /** The width coming in (null for the first layer of a network). */
  readonly width: number | null;
  /** Throws an input error at this layer's `field` (relative: `weight[2]`): what was expected as a catalogue message (a string: an English clause without one). */
  fail(field: string, value: unknown, expected: Msg | string): never;
  /** Validates and builds nested layer entries (a residual block's branch), found at `field`, chaining widths from `width`. */
  decode(entries: readonly unknown[], field: string, width: number | null): Layer[];
  /** The same for one nested entry. */
  decodeOne(entry: unknown, field: string, width: number | null): Layer;
}

/**
 * How one layer type is written to and read from a model file, kept in the
 * layer's own file beside its forward and backward: the zod schema of its
 * entry, and `build`, which checks the shapes against the JSON before
 * allocating and returns the layer holding exactly the file's values.
 */
export interface LayerFormat<J extends LayerJson = LayerJson> {
  readonly type: string;
  readonly schema: z.ZodType<J>;
  build(j: J, ctx: DecodeContext): Layer;
}

/** A finite number in a model file. */
export const jsonFinite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
/** A positive integer size in a model file. */
export const jsonSize = z.number().int().positive();

/** The rows of a row-major (R,C) matrix as nested arrays (model files write matrices this way). */
export function rowsOf(W: ArrayLike<number>, R: number, C: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < R; r++) out.push(Array.from({ length: C }, (_, c) => W[r * C + c]));
  return out;
}

/** Checks, before anything is allocated, that `rows` is R rows of C numbers; fails at `field` otherwise. */
export function checkRows(rows: readonly (readonly number[])[], R: number, C: number, field: string, ctx: DecodeContext, what: string): void {
  if (rows.length !== R) ctx.fail(field, rows.length, msg('err.model.rows', { n: String(R), what }));
  rows.forEach((row, r) => {
    if (row.length !== C) ctx.fail(`${field}[${r}]`, row.length, msg('err.model.numbersOf', { n: String(C), what: "'in'" }));
  });
}

/** Checks that `v` has n numbers; fails at `field` otherwise. */
export function checkLength(v: readonly unknown[], n: number, field: string, ctx: DecodeContext, what = ''): void {
  if (v.length !== n) ctx.fail(field, v.length, what ? msg('err.model.numbersOf', { n: String(n), what }) : msg('err.model.numbers', { n: String(n) }));
}

/** Copies checked rows into W(R,C), row-major. */
export function copyRows(W: Buf, rows: readonly (readonly number[])[], C: number): void {
  rows.forEach((row, r) => {
    for (let c = 0; c < C; c++) W[r * C + c] = row[c];
  });
}

/**
 * A batch-sized scratch buffer: grows to the largest batch seen and hands out
 * a cached view of exactly B rows, so a training loop allocates nothing per
 * step. With `kernels`, the storage comes from their `alloc` (for the wasm
 * kernels: in the network's memory).
 */
export class RowBuffer {
  private store: Buf;
  private view: Buf;
  private rows = -1;

  /** Creates an empty buffer of rows of `width` elements. */
  constructor(private readonly dtype: DType, private readonly width: number, private readonly kernels?: Kernels) {
    this.store = alloc(dtype, 0);
    this.view = this.store;
  }

  /** A view of B rows (reused while B does not change). */
  rowsOf(B: number): Buf {
    if (B === this.rows) return this.view;
    const n = B * this.width;
    if (n > this.store.length) this.store = this.kernels ? allocFor(this.kernels, this.dtype, n) : alloc(this.dtype, n);
    this.view = this.store.subarray(0, n);
    this.rows = B;
    return this.view;
  }
}
