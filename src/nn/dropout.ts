/**
 * Inverted dropout (Srivastava et al. 2014): in training each unit is kept
 * with probability 1 − p and scaled by 1/(1 − p); evaluation is the identity.
 */
import { gotValue } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import { z } from 'zod';
import type { Buf, DType } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { RowBuffer, type Layer, type LayerFormat, type Param, type PassContext } from './layer.js';

/** A dropout layer with drop probability `p` in [0, 1). */
export class Dropout implements Layer {
  readonly type = 'dropout';
  readonly outSize: number;
  needInputGrad = true;
  private readonly mask: RowBuffer;
  private readonly out: RowBuffer;
  private readonly dinp: RowBuffer;
  private active = false;

  /** Creates the layer for `size` units; its outputs are allocated by `kernels` when given (the network's memory). */
  constructor(readonly inSize: number, readonly p: number, dtype: DType, kernels?: Kernels) {
    if (!(p >= 0 && p < 1)) throw gotValue(p, msg('err.layer.in01open', { layer: 'dropout', k: 'p' }));
    this.outSize = inSize;
    this.mask = new RowBuffer(dtype, inSize);
    this.out = new RowBuffer(dtype, inSize, kernels);
    this.dinp = new RowBuffer(dtype, inSize, kernels);
  }

  forward(x: Buf, B: number, ctx: PassContext): Buf {
    this.active = ctx.training && this.p > 0;
    if (!this.active) return x;
    const n = B * this.inSize;
    const m = this.mask.rowsOf(B);
    const out = this.out.rowsOf(B);
    const keep = 1 - this.p;
    for (let i = 0; i < n; i++) {
      m[i] = ctx.rng.uniform() < keep ? 1 / keep : 0;
      out[i] = x[i] * m[i];
    }
    return out;
  }

  backward(dout: Buf, B: number): Buf {
    if (!this.active) return dout;
    const n = B * this.inSize;
    const m = this.mask.rowsOf(B);
    const dinp = this.dinp.rowsOf(B);
    for (let i = 0; i < n; i++) dinp[i] = dout[i] * m[i];
    return dinp;
  }

  params(): readonly Param[] {
    return [];
  }

  /** `{type: 'dropout', p}`. */
  toJson(): DropoutJson {
    return { type: 'dropout', p: this.p };
  }
}

/** A dropout layer's entry in a model file. */
export type DropoutJson = z.infer<typeof dropoutSchema>;
const dropoutSchema = z.strictObject({ type: z.literal('dropout'), p: z.number().min(0).lt(1) });

/** The model-file format of a dropout layer (the same in gradscope-model/1 and /2): it keeps the incoming width. */
export const dropoutFormat: LayerFormat<DropoutJson> = {
  type: 'dropout',
  schema: dropoutSchema,
  build(j, ctx) {
    const width = ctx.width ?? ctx.fail('type', 'dropout', msg('err.model.first', { a: 'dense', b: 'maxout' }));
    return new Dropout(width, j.p, ctx.env.dtype, ctx.env.kernels);
  },
};
