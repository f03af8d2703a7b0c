/**
 * Selecting a range along one axis of each example's row — what ONNX's
 * Gather (one index) and Slice do to a feature axis, e.g. the last time step
 * of a recurrent layer's states. A row is viewed as (outer, mid, inner);
 * out(B, outer·len·inner) keeps mid indices start … start + len − 1.
 */
import { ValueError } from '../../errors.js';
import { msg, phrase } from '../../i18n/catalogue.js';
import type { Buf, DType } from '../../tensor/dtype.js';
import { RowBuffer, type Layer, type LayerJson, type Param } from '../../nn/layer.js';

/** out[b, o, k, i] = x[b, o, start + k, i] for k < len. */
export class SelectLayer implements Layer {
  readonly type = 'select';
  readonly inSize: number;
  readonly outSize: number;
  needInputGrad = true;
  private readonly out: RowBuffer;
  private readonly dinp: RowBuffer;

  /** Rows of outer × mid × inner values; keeps `len` mid indices from `start`. */
  constructor(readonly outer: number, readonly mid: number, readonly inner: number, readonly start: number, readonly len: number, dtype: DType) {
    if (!(start >= 0 && len >= 1 && start + len <= mid)) {
      const said = msg('err.layer.selectRange', { layer: 'select', a: String(start), b: String(start + len - 1), c: String(mid - 1) });
      throw new ValueError([start, len], phrase('en', said), true, said);
    }
    this.inSize = outer * mid * inner;
    this.outSize = outer * len * inner;
    this.out = new RowBuffer(dtype, this.outSize);
    this.dinp = new RowBuffer(dtype, this.inSize);
  }

  // x is (B, outer·mid·inner) → out (B, outer·len·inner)
  forward(x: Buf, B: number): Buf {
    const out = this.out.rowsOf(B);
    const { outer, mid, inner, start, len } = this;
    let w = 0;
    for (let b = 0; b < B; b++)
      for (let o = 0; o < outer; o++) {
        const from = b * this.inSize + (o * mid + start) * inner;
        for (let k = 0; k < len * inner; k++) out[w++] = x[from + k];
      }
    return out;
  }

  // dout is (B, outer·len·inner): the selected entries of dinp get dout, the rest 0
  backward(dout: Buf, B: number): Buf {
    const dinp = this.dinp.rowsOf(this.needInputGrad ? B : 0);
    if (!this.needInputGrad) return dinp;
    dinp.fill(0);
    const { outer, mid, inner, start, len } = this;
    let r = 0;
    for (let b = 0; b < B; b++)
      for (let o = 0; o < outer; o++) {
        const to = b * this.inSize + (o * mid + start) * inner;
        for (let k = 0; k < len * inner; k++) dinp[to + k] = dout[r++];
      }
    return dinp;
  }

  /** Imported layers have no gradscope model-file entry: save such a network with `gradscope export --to onnx`. */
  toJson(): LayerJson {
    throw new RangeError(`${this.type}: an imported layer has no gradscope-model/2 entry; save the network with gradscope export MODEL --to onnx`);
  }

  params(): readonly Param[] {
    return [];
  }
}
