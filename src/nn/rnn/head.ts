/**
 * Output heads on top of the hidden states, each a dense layer H→O with its
 * loss, forward and backward side by side:
 *
 * - `regression` (sequence-to-one): y = W_o h_T + b_o, quadratic loss
 *   C = (1/2B) Σ ‖y − target‖² (the adding problem);
 * - `classify` (sequence-to-one): softmax cross-entropy of W_o h_T + b_o
 *   against one label per sequence (the temporal-order problem);
 * - `sequence` (sequence-to-sequence): softmax cross-entropy at every step,
 *   averaged over steps and sequences (copy-memory).
 *
 * Cross-entropy uses log-sum-exp, so no logit can produce ln 0.
 */
import { alloc, type Buf, type DType } from '../../tensor/dtype.js';
import { allocFor, jsKernels, type Kernels } from '../../tensor/kernels.js';
import type { Rng } from '../../tensor/rng.js';
import { getInit } from '../init.js';
import { ParamSlot, WeightBiasLayer, type Param } from '../layer.js';

/** The three heads. */
export type HeadKind = 'regression' | 'classify' | 'sequence';

/** Targets of one batch: real targets (B,O) for `regression`, labels (B) for `classify`, (T,B) for `sequence`. */
export interface Targets {
  readonly y: Buf;
  readonly labels: Int32Array;
}

/** W_o (O,H) and b_o (O), after checking O. */
function headSlots(kind: HeadKind, hidden: number, outSize: number, dtype: DType): [ParamSlot, ParamSlot] {
  if (!(Number.isInteger(outSize) && outSize >= 1)) throw new RangeError(`head: outSize must be an integer ≥ 1; got ${outSize}`);
  if (kind !== 'regression' && outSize < 2) throw new RangeError(`head: a ${kind} head needs at least 2 classes; got ${outSize}`);
  return [new ParamSlot('head.weight', [outSize, hidden], true, dtype), new ParamSlot('head.bias', [outSize], false, dtype)];
}

/** A dense output layer H→O with its loss. */
export class Head extends WeightBiasLayer {
  /** W_o (O,H), b_o (O). */
  private readonly plist: Param[];
  private readonly k: Kernels;
  /** Outputs: values (regression) or logits, then probabilities (classify, sequence); (N,O). */
  private out: Buf;
  /** ∂L/∂outputs (N,O). */
  private dout: Buf;
  private readonly dtype: DType;

  /** A head of `kind` from H hidden units to O outputs, weights drawn with xavier_uniform. */
  constructor(readonly kind: HeadKind, readonly hidden: number, readonly outSize: number, dtype: DType, rng: Rng, kernels: Kernels = jsKernels) {
    super(...headSlots(kind, hidden, outSize, dtype));
    this.k = kernels;
    getInit('xavier_uniform').weights(this.weight, hidden, outSize, rng);
    this.plist = [this.pw, this.pb];
    this.dtype = dtype;
    this.out = alloc(dtype, 0);
    this.dout = alloc(dtype, 0);
  }


  /** Trainable parameters. */
  params(): readonly Param[] {
    return this.plist;
  }

  /** N, the rows the head reads: T·B for `sequence` (every state), B otherwise (the last state). */
  rows(T: number, B: number): number {
    return this.kind === 'sequence' ? T * B : B;
  }

  /** The first hidden-state slot the head reads: 1 (every step) or T (the last). */
  firstSlot(T: number): number {
    return this.kind === 'sequence' ? 1 : T;
  }

  /**
   * out(N,O) = h(N,H)·W_oᵀ + b_o, where h holds the N states the head reads
   * (slots firstSlot(T) … T of the cell's states, contiguous). Returns the
   * outputs, valid until the next call.
   */
  forward(h: Buf, N: number): Buf {
    const H = this.hidden;
    const O = this.outSize;
    if (this.out.length < N * O) {
      this.out = allocFor(this.k, this.dtype, N * O);
      this.dout = allocFor(this.k, this.dtype, N * O);
    }
    this.k.gemmABt(this.out, h, this.weight, N, H, O, false);
    this.k.addRow(this.out, this.bias, N, O);
    return this.out;
  }

  /**
   * The loss of the outputs of the last `forward` against `tg`; also fills
   * ∂L/∂out and returns with the probabilities in place of logits.
   */
  loss(T: number, B: number, tg: Targets): number {
    const O = this.outSize;
    const N = this.rows(T, B);
    const out = this.out;
    const d = this.dout;
    if (this.kind === 'regression') {
      // C = (1/2B) Σ (y − t)², ∂C/∂y = (y − t)/B
      let s = 0;
      for (let i = 0; i < B * O; i++) {
        const e = out[i] - tg.y[i];
        s += e * e;
        d[i] = e / B;
      }
      return s / (2 * B);
    }
    // C = −(1/N) Σ ln softmax(z)_label, ∂C/∂z = (softmax(z) − onehot)/N
    let s = 0;
    for (let r = 0; r < N; r++) {
      const o = r * O;
      const label = tg.labels[r];
      if (!(label >= 0 && label < O)) throw new RangeError(`head.loss: label ${label} of row ${r} is outside 0 … ${O - 1}`);
      let m = -Infinity;
      for (let j = 0; j < O; j++) if (out[o + j] > m) m = out[o + j];
      let se = 0;
      for (let j = 0; j < O; j++) se += Math.exp(out[o + j] - m);
      s -= out[o + label] - m - Math.log(se);
      for (let j = 0; j < O; j++) {
        const p = Math.exp(out[o + j] - m) / se;
        out[o + j] = p;
        d[o + j] = (p - (j === label ? 1 : 0)) / N;
      }
    }
    return s / N;
  }

  /** The outputs of the last forward (probabilities after `loss` or `probabilities`). */
  outputs(): Buf {
    return this.out;
  }

  /** Probabilities in place of logits after a `forward` (classifiers; a no-op for regression). */
  probabilities(T: number, B: number): Buf {
    if (this.kind !== 'regression') {
      const O = this.outSize;
      const out = this.out;
      for (let r = 0; r < this.rows(T, B); r++) {
        const o = r * O;
        let m = -Infinity;
        for (let j = 0; j < O; j++) if (out[o + j] > m) m = out[o + j];
        let se = 0;
        for (let j = 0; j < O; j++) se += Math.exp(out[o + j] - m);
        for (let j = 0; j < O; j++) out[o + j] = Math.exp(out[o + j] - m) / se;
      }
    }
    return this.out;
  }

  /** Backward after `loss`, for the N states h(N,H) that forward read: accumulates dW_o, db_o and writes ∂L/∂h (N,H) into dh. */
  backward(h: Buf, dh: Buf, N: number): void {
    const H = this.hidden;
    const O = this.outSize;
    this.k.gemmAtB(this.dweight, this.dout, h, O, N, H, true); // dW_o += doutᵀ·h
    this.k.sumRows(this.dbias, this.dout, N, O, true);
    this.k.gemm(dh, this.dout, this.weight, N, O, H, false); // dh = dout·W_o
  }
}
