/**
 * A recurrent cell (src/nn/rnn) as one layer of a sequential network, for
 * imported models: each example's row holds its whole sequence batch-major,
 * x(B, T·I) with step t at columns t·I … t·I + I − 1; the layer runs the cell
 * over the T steps from h₀ = 0 and hands on either every hidden state,
 * out(B, T·H), or only the last one, out(B, H). Backward is the cell's
 * backpropagation through time, with ∂L/∂x when an earlier layer needs it.
 */
import { gotValue } from '../../errors.js';
import { msg } from '../../i18n/catalogue.js';
import { alloc, type Buf, type DType } from '../../tensor/dtype.js';
import type { Layer, LayerJson, Param } from '../../nn/layer.js';
import type { CellBase } from '../../nn/rnn/base.js';

/** A recurrent cell over T steps: out(B, T·H) of every state, or out(B, H) of the last. */
export class RecurrentLayer implements Layer {
  readonly type = 'recurrent';
  readonly inSize: number;
  readonly outSize: number;
  needInputGrad = true;
  private xs: Buf; // (T,B,I)
  private out: Buf; // (B,O)
  private dH: Buf; // (T,B,H)
  private dxs: Buf; // (T,B,I)
  private dinp: Buf; // (B,T·I)
  private rows = -1;

  /** Wraps `cell` for sequences of `steps` steps; `sequences` hands on every state instead of the last. */
  constructor(readonly cell: CellBase, readonly steps: number, readonly sequences: boolean, private readonly dtype: DType) {
    if (!(Number.isInteger(steps) && steps >= 1)) throw gotValue(steps, msg('err.layer.int1', { layer: 'recurrent', k: 'steps' }));
    this.inSize = steps * cell.inSize;
    this.outSize = sequences ? steps * cell.hidden : cell.hidden;
    this.xs = alloc(dtype, 0);
    this.out = alloc(dtype, 0);
    this.dH = alloc(dtype, 0);
    this.dxs = alloc(dtype, 0);
    this.dinp = alloc(dtype, 0);
  }

  /** Grows the buffers to B rows (allocates only when B is larger than before). */
  private ensure(B: number): void {
    if (B === this.rows) return;
    const { steps: T } = this;
    const { inSize: I, hidden: H } = this.cell;
    if (this.xs.length < T * B * I) {
      this.xs = alloc(this.dtype, T * B * I);
      this.dxs = alloc(this.dtype, T * B * I);
      this.dinp = alloc(this.dtype, T * B * I);
      this.dH = alloc(this.dtype, T * B * H);
      this.out = alloc(this.dtype, B * this.outSize);
    }
    this.rows = B;
  }

  // x is (B, T·I) → xs (T,B,I) → states (T+1,B,H) → out (B, T·H) or (B, H)
  forward(x: Buf, B: number): Buf {
    this.ensure(B);
    const T = this.steps;
    const I = this.cell.inSize;
    const H = this.cell.hidden;
    const xs = this.xs;
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) xs[(t * B + b) * I + i] = x[b * T * I + t * I + i];
    const hs = this.cell.forward(xs, T, B);
    const out = this.out.subarray(0, B * this.outSize);
    if (this.sequences) {
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) out[b * T * H + t * H + j] = hs[((t + 1) * B + b) * H + j];
    } else {
      for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) out[b * H + j] = hs[(T * B + b) * H + j];
    }
    return out;
  }

  // dout is (B,O) → dH (T,B,H) → BPTT → dxs (T,B,I) → dinp (B, T·I)
  backward(dout: Buf, B: number): Buf {
    if (this.rows !== B) throw new Error('recurrent: backward called before forward (or with another batch size)');
    const T = this.steps;
    const I = this.cell.inSize;
    const H = this.cell.hidden;
    const dH = this.dH.subarray(0, T * B * H);
    if (this.sequences) {
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) dH[(t * B + b) * H + j] = dout[b * T * H + t * H + j];
    } else {
      dH.fill(0, 0, (T - 1) * B * H);
      for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) dH[((T - 1) * B + b) * H + j] = dout[b * H + j];
    }
    const dinp = this.dinp.subarray(0, this.needInputGrad ? B * T * I : 0);
    if (!this.needInputGrad) {
      this.cell.backward(dH, T, B);
      return dinp;
    }
    const dxs = this.dxs.subarray(0, T * B * I);
    this.cell.backward(dH, T, B, { dx: dxs });
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) dinp[b * T * I + t * I + i] = dxs[(t * B + b) * I + i];
    return dinp;
  }

  /** Imported layers have no gradscope model-file entry: save such a network with `gradscope export --to onnx`. */
  toJson(): LayerJson {
    throw new RangeError(`${this.type}: an imported layer has no gradscope-model/2 entry; save the network with gradscope export MODEL --to onnx`);
  }

  params(): readonly Param[] {
    return this.cell.params();
  }
}
