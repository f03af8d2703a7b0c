/**
 * What every layer of a sequential network provides: an explicit forward and
 * backward pass over a batch, and its trainable parameters with gradient
 * buffers. Backward accumulates into gradient buffers; zeroing is explicit.
 */
import type { Buf, DType } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
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
}

/**
 * A batch-sized scratch buffer: grows to the largest batch seen and hands out
 * a cached view of exactly B rows, so a training loop allocates nothing per step.
 */
export class RowBuffer {
  private store: Buf;
  private view: Buf;
  private rows = -1;

  /** Creates an empty buffer of rows of `width` elements. */
  constructor(private readonly dtype: DType, private readonly width: number) {
    this.store = dtype === 'float64' ? new Float64Array(0) : new Float32Array(0);
    this.view = this.store;
  }

  /** A view of B rows (reused while B does not change). */
  rowsOf(B: number): Buf {
    if (B === this.rows) return this.view;
    const n = B * this.width;
    if (n > this.store.length) {
      this.store = this.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
    }
    this.view = this.store.subarray(0, n);
    this.rows = B;
    return this.view;
  }
}
