/**
 * Dense residual blocks (He et al. 2016): y = S(x) + F(x), where the branch
 * F is dense → [normalisation] → activation and the skip S is the identity
 * when the widths agree, or a projection (a dense layer without activation)
 * when they differ.
 *
 * The form: one dense layer per block and nothing after the addition — the
 * skip path is a clean identity, as in the "identity mappings" form of He et
 * al. 2016 (there: pre-activation; here the branch ends in its activation, so
 * a block is a plain hidden layer plus its input). Then ∂y/∂x = I + ∂F/∂x:
 * the gradient reaches x through the identity whatever the branch does, and
 * a residual net has exactly the weight layers of the plain net it is
 * compared with, layer for layer.
 */
import { msg } from '../i18n/catalogue.js';
import { z } from 'zod';
import type { Buf } from '../tensor/dtype.js';
import { Dense, type DenseJson } from './dense.js';
import { RowBuffer, type Layer, type LayerEnv, type LayerFormat, type LayerJson, type Param, type PassContext } from './layer.js';

/** y(B,O) = S(x(B,I)) + F(x): the branch `inner`, and `projection` as S when I ≠ O (identity otherwise). */
export class ResidualBlock implements Layer {
  readonly type = 'residual';
  readonly inSize: number;
  readonly outSize: number;
  private readonly out: RowBuffer;
  private readonly dinp: RowBuffer;
  private readonly ps: readonly Param[];
  private needDx = true;

  /** Wraps the branch layers (widths must chain) and the projection (required exactly when the widths differ). */
  constructor(readonly inner: readonly Layer[], readonly projection: Dense | null, env: LayerEnv) {
    if (inner.length === 0) throw new RangeError('residual: the branch needs at least one layer');
    for (let i = 1; i < inner.length; i++) {
      if (inner[i].inSize !== inner[i - 1].outSize) throw new RangeError(`residual: branch layer ${i} takes ${inner[i].inSize} inputs but layer ${i - 1} gives ${inner[i - 1].outSize}`);
    }
    this.inSize = inner[0].inSize;
    this.outSize = inner[inner.length - 1].outSize;
    if (this.inSize !== this.outSize && projection === null) throw new RangeError(`residual: the branch maps ${this.inSize} to ${this.outSize} units, so the skip needs a projection`);
    if (projection !== null && (projection.inSize !== this.inSize || projection.outSize !== this.outSize)) {
      throw new RangeError(`residual: the projection maps ${projection.inSize} to ${projection.outSize}; expected ${this.inSize} to ${this.outSize}`);
    }
    this.out = new RowBuffer(env.dtype, this.outSize, env.kernels);
    this.dinp = new RowBuffer(env.dtype, this.inSize, env.kernels);
    this.ps = [...inner.flatMap((l) => l.params()), ...(projection ? projection.params() : [])];
  }

  /** When false, backward skips dinp (also in the branch and the projection). */
  get needInputGrad(): boolean {
    return this.needDx;
  }

  set needInputGrad(v: boolean) {
    this.needDx = v;
    this.inner[0].needInputGrad = v;
    if (this.projection) this.projection.needInputGrad = v;
  }

  // x is (B,I): out = S(x) + F(x), (B,O)
  forward(x: Buf, B: number, ctx: PassContext): Buf {
    let h = x;
    for (const l of this.inner) h = l.forward(h, B, ctx);
    const out = this.out.rowsOf(B);
    const s = this.projection ? this.projection.forward(x, B) : x;
    const n = B * this.outSize;
    for (let i = 0; i < n; i++) out[i] = s[i] + h[i];
    return out;
  }

  // dout is (B,O): dinp = ∂F/∂xᵀ·dout + (dout, or Pᵀ·dout through the projection)
  backward(dout: Buf, B: number): Buf {
    let g = dout;
    for (let i = this.inner.length - 1; i >= 0; i--) g = this.inner[i].backward(g, B);
    const ds = this.projection ? this.projection.backward(dout, B) : dout;
    const dinp = this.dinp.rowsOf(this.needDx ? B : 0);
    if (!this.needDx) return dinp;
    const n = B * this.inSize;
    for (let i = 0; i < n; i++) dinp[i] = g[i] + ds[i];
    return dinp;
  }

  params(): readonly Param[] {
    return this.ps;
  }

  /** `{type: 'residual', layers: [the branch], projection: a dense entry or null}`. */
  toJson(): ResidualJson {
    return { type: 'residual', layers: this.inner.map((l) => l.toJson()), projection: this.projection ? this.projection.toJson() : null };
  }
}

/** A residual block's entry in a model file: its branch layers are entries of their own formats. */
export interface ResidualJson extends LayerJson {
  readonly type: 'residual';
  readonly layers: readonly LayerJson[];
  readonly projection: DenseJson | null;
}
const residualSchema = z.strictObject({
  type: z.literal('residual'),
  layers: z.array(z.object({ type: z.string() }).loose()).min(1),
  projection: z.object({ type: z.literal('dense') }).loose().nullable().default(null),
}) as unknown as z.ZodType<ResidualJson>;

/** The model-file format of a residual block (gradscope-model/2). */
export const residualFormat: LayerFormat<ResidualJson> = {
  type: 'residual',
  schema: residualSchema,
  build(j, ctx) {
    // first in a network, the branch's first layer fixes the input width
    const inner = ctx.decode(j.layers, 'layers', ctx.width);
    const width = inner[0].inSize;
    const out = inner[inner.length - 1].outSize;
    const layer = j.projection === null ? null : ctx.decodeOne(j.projection, 'projection', width);
    const proj = layer === null || layer instanceof Dense ? layer : ctx.fail('projection.type', layer.type, msg('err.exactly', { v: 'dense' }));
    if (proj === null && out !== width) ctx.fail('projection', null, msg('err.model.projection', { type: 'dense', from: String(width), to: String(out) }));
    if (proj !== null && proj.outSize !== out) ctx.fail('projection.out', proj.outSize, msg('err.model.branchOut', { n: String(out) }));
    return new ResidualBlock(inner, proj, ctx.env);
  },
};
