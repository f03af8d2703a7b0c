/**
 * Batch normalisation (Ioffe & Szegedy 2015) over the features of a dense
 * layer, as PyTorch's BatchNorm1d: in training mode each feature is
 * normalised with the batch's mean and (biased) variance, then scaled by a
 * learnable γ and shifted by a learnable β, and the running statistics are
 * updated with momentum 0.1 (running variance unbiased, ×B/(B−1)); in
 * evaluation mode the running statistics normalise instead. Placed between
 * the linear part and the activation.
 */
import { gotValue } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { Buf } from '../tensor/dtype.js';
import { z } from 'zod';
import { checkLength, jsonFinite, jsonSize, normSlots, RowBuffer, WeightBiasLayer, type Layer, type LayerEnv, type LayerFormat, type Param, type PassContext } from './layer.js';

/** Options of a batch-normalisation layer (PyTorch's defaults). */
export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  readonly eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1). */
  readonly momentum?: number;
}

/** Batch normalisation of F features with learnable scale γ (`weight`) and shift β (`bias`). */
export class BatchNorm extends WeightBiasLayer implements Layer {
  readonly type = 'batchnorm';
  readonly outSize: number;
  needInputGrad = true;
  readonly eps: number;
  readonly momentum: number;
  /** Running mean(F), initialised to 0. */
  readonly runningMean: Float64Array;
  /** Running (unbiased) variance(F), initialised to 1. */
  readonly runningVar: Float64Array;
  /** Training-mode batches seen (PyTorch's num_batches_tracked). */
  batchesTracked = 0;
  private readonly out: RowBuffer;
  private readonly xhat: RowBuffer;
  private readonly dinp: RowBuffer;
  private readonly invStd: Float64Array; // 1/√(σ² + ε) used by the last forward pass, (F)
  private readonly sum1: Float64Array; // scratch (F)
  private readonly sum2: Float64Array; // scratch (F)
  private usedBatch = false;
  private rows = -1;
  private readonly ps: readonly Param[];

  /** Creates the layer for `size` features with γ = 1, β = 0, running mean 0 and variance 1. */
  constructor(readonly inSize: number, env: LayerEnv, o: BatchNormOptions = {}) {
    super(...normSlots('batchnorm', inSize, env.dtype));
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum ?? 0.1;
    if (!(this.eps > 0)) throw gotValue(this.eps, msg('err.layer.gt0', { layer: 'batchnorm', k: 'eps' }));
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw gotValue(this.momentum, msg('err.layer.in01', { layer: 'batchnorm', k: 'momentum' }));
    this.outSize = inSize;
    this.runningMean = new Float64Array(inSize);
    this.runningVar = new Float64Array(inSize).fill(1);
    this.out = new RowBuffer(env.dtype, inSize, env.kernels);
    this.xhat = new RowBuffer(env.dtype, inSize, env.kernels);
    this.dinp = new RowBuffer(env.dtype, inSize, env.kernels);
    this.invStd = new Float64Array(inSize);
    this.sum1 = new Float64Array(inSize);
    this.sum2 = new Float64Array(inSize);
    this.ps = [this.pw, this.pb];
  }


  // x is (B,F): x̂ = (x − μ)/√(σ² + ε), out = γ·x̂ + β
  forward(x: Buf, B: number, ctx: PassContext): Buf {
    const F = this.inSize;
    const out = this.out.rowsOf(B);
    const xhat = this.xhat.rowsOf(B);
    const mean = this.sum1;
    const inv = this.invStd;
    this.usedBatch = ctx.training || ctx.batchStats === true;
    if (this.usedBatch) {
      if (B < 2) throw new RangeError(`batchnorm: batch statistics need at least 2 examples per batch; got ${B}`);
      const varB = this.sum2;
      mean.fill(0);
      varB.fill(0);
      for (let r = 0; r < B; r++) for (let f = 0; f < F; f++) mean[f] += x[r * F + f];
      for (let f = 0; f < F; f++) mean[f] /= B;
      for (let r = 0; r < B; r++)
        for (let f = 0; f < F; f++) {
          const d = x[r * F + f] - mean[f];
          varB[f] += d * d;
        }
      for (let f = 0; f < F; f++) {
        varB[f] /= B; // biased: what normalises the batch
        inv[f] = 1 / Math.sqrt(varB[f] + this.eps);
      }
      if (ctx.training) {
        // running statistics as PyTorch: the variance enters unbiased, σ²·B/(B − 1)
        const m = this.momentum;
        for (let f = 0; f < F; f++) {
          this.runningMean[f] = (1 - m) * this.runningMean[f] + m * mean[f];
          this.runningVar[f] = (1 - m) * this.runningVar[f] + (m * varB[f] * B) / (B - 1);
        }
        this.batchesTracked++;
      }
    } else {
      for (let f = 0; f < F; f++) {
        mean[f] = this.runningMean[f];
        inv[f] = 1 / Math.sqrt(this.runningVar[f] + this.eps);
      }
    }
    const g = this.weight;
    const b = this.bias;
    for (let r = 0; r < B; r++)
      for (let f = 0; f < F; f++) {
        const i = r * F + f;
        const h = (x[i] - mean[f]) * inv[f];
        xhat[i] = h;
        out[i] = g[f] * h + b[f];
      }
    this.rows = B;
    return out;
  }

  // dout is (B,F): dβ += Σ dout, dγ += Σ dout·x̂;
  // batch statistics: dx = γ/(B·s)·(B·dout − Σ dout − x̂·Σ dout·x̂), s = √(σ² + ε);
  // running statistics (constants): dx = γ·dout/s
  backward(dout: Buf, B: number): Buf {
    if (this.rows !== B) throw new Error('batchnorm: backward called before forward (or with another batch size)');
    const F = this.inSize;
    const xhat = this.xhat.rowsOf(B);
    const sDy = this.sum1;
    const sDyX = this.sum2;
    sDy.fill(0);
    sDyX.fill(0);
    for (let r = 0; r < B; r++)
      for (let f = 0; f < F; f++) {
        const i = r * F + f;
        sDy[f] += dout[i];
        sDyX[f] += dout[i] * xhat[i];
      }
    for (let f = 0; f < F; f++) {
      this.dbias[f] += sDy[f];
      this.dweight[f] += sDyX[f];
    }
    const dinp = this.dinp.rowsOf(this.needInputGrad ? B : 0);
    if (!this.needInputGrad) return dinp;
    const g = this.weight;
    const inv = this.invStd;
    if (this.usedBatch) {
      for (let r = 0; r < B; r++)
        for (let f = 0; f < F; f++) {
          const i = r * F + f;
          dinp[i] = ((g[f] * inv[f]) / B) * (B * dout[i] - sDy[f] - xhat[i] * sDyX[f]);
        }
    } else {
      for (let r = 0; r < B; r++) for (let f = 0; f < F; f++) dinp[r * F + f] = g[f] * inv[f] * dout[r * F + f];
    }
    return dinp;
  }

  params(): readonly Param[] {
    return this.ps;
  }

  /** `{type: 'batchnorm', size, eps, momentum, weight: γ, bias: β, runningMean, runningVar, batchesTracked}`. */
  toJson(): BatchNormJson {
    return {
      type: 'batchnorm',
      size: this.inSize,
      eps: this.eps,
      momentum: this.momentum,
      weight: Array.from(this.weight),
      bias: Array.from(this.bias),
      runningMean: Array.from(this.runningMean),
      runningVar: Array.from(this.runningVar),
      batchesTracked: this.batchesTracked,
    };
  }
}

/** A batch-normalisation layer's entry in a model file. */
export type BatchNormJson = z.infer<typeof batchNormSchema>;
const batchNormSchema = z.strictObject({
  type: z.literal('batchnorm'),
  size: jsonSize,
  eps: z.number().positive(),
  momentum: z.number().min(0).max(1),
  weight: z.array(jsonFinite),
  bias: z.array(jsonFinite),
  runningMean: z.array(jsonFinite),
  runningVar: z.array(jsonFinite.refine((v) => v >= 0, { message: 'must be ≥ 0 (a variance)' })),
  batchesTracked: z.number().int().min(0).default(0),
});

/** The model-file format of a batch-normalisation layer with its running statistics (gradscope-model/2). */
export const batchNormFormat: LayerFormat<BatchNormJson> = {
  type: 'batchnorm',
  schema: batchNormSchema,
  build(j, ctx) {
    if (ctx.width !== null && j.size !== ctx.width) ctx.fail('size', j.size, msg('err.model.widthBefore', { w: String(ctx.width) }));
    for (const k of ['weight', 'bias', 'runningMean', 'runningVar'] as const) checkLength(j[k], j.size, k, ctx, "'size'");
    const n = new BatchNorm(j.size, ctx.env, { eps: j.eps, momentum: j.momentum });
    n.weight.set(j.weight);
    n.bias.set(j.bias);
    n.runningMean.set(j.runningMean);
    n.runningVar.set(j.runningVar);
    n.batchesTracked = j.batchesTracked;
    return n;
  },
};
