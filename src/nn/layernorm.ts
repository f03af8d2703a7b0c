/**
 * Layer normalisation (Ba, Kiros & Hinton 2016), as PyTorch's LayerNorm over
 * the last dimension: each example's features are normalised with their own
 * mean and (biased) variance, then scaled by a learnable γ and shifted by a
 * learnable β per feature. No batch statistics, so training and evaluation
 * are the same computation. Placed between the linear part and the activation.
 */
import { gotValue } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { Buf } from '../tensor/dtype.js';
import { z } from 'zod';
import { checkLength, jsonFinite, jsonSize, normSlots, RowBuffer, WeightBiasLayer, type Layer, type LayerEnv, type LayerFormat, type Param } from './layer.js';

/** Layer normalisation of F features with learnable scale γ (`weight`) and shift β (`bias`). */
export class LayerNorm extends WeightBiasLayer implements Layer {
  readonly type = 'layernorm';
  readonly outSize: number;
  needInputGrad = true;
  /** Added to the variance before the square root (PyTorch: 1e-5). */
  readonly eps: number;
  private readonly out: RowBuffer;
  private readonly xhat: RowBuffer;
  private readonly dinp: RowBuffer;
  private invStd = new Float64Array(0); // 1/√(σ² + ε) per row, (B)
  private rows = -1;
  private readonly ps: readonly Param[];

  /** Creates the layer for `size` features with γ = 1 and β = 0. */
  constructor(readonly inSize: number, env: LayerEnv, eps = 1e-5) {
    super(...normSlots('layernorm', inSize, env.dtype));
    if (!(eps > 0)) throw gotValue(eps, msg('err.layer.gt0', { layer: 'layernorm', k: 'eps' }));
    this.eps = eps;
    this.outSize = inSize;
    this.out = new RowBuffer(env.dtype, inSize, env.kernels);
    this.xhat = new RowBuffer(env.dtype, inSize, env.kernels);
    this.dinp = new RowBuffer(env.dtype, inSize, env.kernels);
    this.ps = [this.pw, this.pb];
  }


  // x is (B,F): per row x̂ = (x − μ)/√(σ² + ε), out = γ·x̂ + β
  forward(x: Buf, B: number): Buf {
    const F = this.inSize;
    const out = this.out.rowsOf(B);
    const xhat = this.xhat.rowsOf(B);
    if (this.invStd.length < B) this.invStd = new Float64Array(B);
    const g = this.weight;
    const b = this.bias;
    for (let r = 0; r < B; r++) {
      const o = r * F;
      let mean = 0;
      for (let f = 0; f < F; f++) mean += x[o + f];
      mean /= F;
      let v = 0;
      for (let f = 0; f < F; f++) {
        const d = x[o + f] - mean;
        v += d * d;
      }
      const inv = 1 / Math.sqrt(v / F + this.eps);
      this.invStd[r] = inv;
      for (let f = 0; f < F; f++) {
        const h = (x[o + f] - mean) * inv;
        xhat[o + f] = h;
        out[o + f] = g[f] * h + b[f];
      }
    }
    this.rows = B;
    return out;
  }

  // dout is (B,F): dβ += Σ_rows dout, dγ += Σ_rows dout·x̂; per row, with g = γ·dout,
  // dx = (1/(F·s))·(F·g − Σ_f g − x̂·Σ_f g·x̂), s = √(σ² + ε)
  backward(dout: Buf, B: number): Buf {
    if (this.rows !== B) throw new Error('layernorm: backward called before forward (or with another batch size)');
    const F = this.inSize;
    const xhat = this.xhat.rowsOf(B);
    const gam = this.weight;
    for (let r = 0; r < B; r++)
      for (let f = 0; f < F; f++) {
        const i = r * F + f;
        this.dbias[f] += dout[i];
        this.dweight[f] += dout[i] * xhat[i];
      }
    const dinp = this.dinp.rowsOf(this.needInputGrad ? B : 0);
    if (!this.needInputGrad) return dinp;
    for (let r = 0; r < B; r++) {
      const o = r * F;
      let sg = 0;
      let sgx = 0;
      for (let f = 0; f < F; f++) {
        const g = gam[f] * dout[o + f];
        sg += g;
        sgx += g * xhat[o + f];
      }
      const k = this.invStd[r] / F;
      for (let f = 0; f < F; f++) dinp[o + f] = k * (F * gam[f] * dout[o + f] - sg - xhat[o + f] * sgx);
    }
    return dinp;
  }

  params(): readonly Param[] {
    return this.ps;
  }

  /** `{type: 'layernorm', size, eps, weight: γ, bias: β}`. */
  toJson(): LayerNormJson {
    return { type: 'layernorm', size: this.inSize, eps: this.eps, weight: Array.from(this.weight), bias: Array.from(this.bias) };
  }
}

/** A layer-normalisation layer's entry in a model file. */
export type LayerNormJson = z.infer<typeof layerNormSchema>;
const layerNormSchema = z.strictObject({ type: z.literal('layernorm'), size: jsonSize, eps: z.number().positive(), weight: z.array(jsonFinite), bias: z.array(jsonFinite) });

/** The model-file format of a layer-normalisation layer (gradscope-model/2). */
export const layerNormFormat: LayerFormat<LayerNormJson> = {
  type: 'layernorm',
  schema: layerNormSchema,
  build(j, ctx) {
    if (ctx.width !== null && j.size !== ctx.width) ctx.fail('size', j.size, msg('err.model.widthBefore', { w: String(ctx.width) }));
    checkLength(j.weight, j.size, 'weight', ctx, "'size'");
    checkLength(j.bias, j.size, 'bias', ctx, "'size'");
    const n = new LayerNorm(j.size, ctx.env, j.eps);
    n.weight.set(j.weight);
    n.bias.set(j.bias);
    return n;
  },
};
