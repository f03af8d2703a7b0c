/**
 * Fully connected layer: z = a·Wᵀ + b for a batch, W stored [O][I] as in
 * PyTorch and Nielsen (w_jk connects input k to output j).
 */
import { z } from 'zod';
import { gotValue } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { Buf } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { checkLength, checkRows, copyRows, jsonFinite, jsonSize, ParamSlot, RowBuffer, rowsOf, WeightBiasLayer, type BiasConsumer, type Layer, type LayerEnv, type LayerFormat, type Param } from './layer.js';

/** W(O,I) and b(O) of a dense layer, after checking the sizes. */
function denseSlots(inSize: number, outSize: number, env: LayerEnv): [ParamSlot, ParamSlot] {
  if (!Number.isInteger(inSize) || inSize < 1) throw gotValue(inSize, msg('err.layer.positiveInt', { layer: 'dense', k: 'in' }));
  if (!Number.isInteger(outSize) || outSize < 1) throw gotValue(outSize, msg('err.layer.positiveInt', { layer: 'dense', k: 'out' }));
  return [new ParamSlot('weight', [outSize, inSize], true, env.dtype), new ParamSlot('bias', [outSize], false, env.dtype)];
}

/** A dense (affine) layer with weight W(O,I) and bias b(O). */
export class Dense extends WeightBiasLayer implements Layer {
  readonly type = 'dense';
  needInputGrad = true;
  /** The layer right after this one when it adds the bias itself, fused with its activation (set by the network). */
  biasConsumer: BiasConsumer | null = null;
  private readonly k: Kernels;
  private readonly out: RowBuffer;
  private readonly dinp: RowBuffer;
  private inp: Buf | null = null;
  /** dz(B,O) of the last backward pass: row x is δ(x)/B for a batch-mean loss. */
  lastDout: Buf | null = null;
  private readonly ps: readonly Param[];

  /** Creates a zero-initialised layer of `inSize` inputs and `outSize` outputs. */
  constructor(readonly inSize: number, readonly outSize: number, env: LayerEnv) {
    super(...denseSlots(inSize, outSize, env));
    this.k = env.kernels;
    this.out = new RowBuffer(env.dtype, outSize, env.kernels);
    this.dinp = new RowBuffer(env.dtype, inSize, env.kernels);
    this.ps = [this.pw, this.pb];
  }


  // inp is (B,I), weight is (O,I), out is (B,O)
  forward(inp: Buf, B: number): Buf {
    const out = this.out.rowsOf(B);
    this.k.gemmABt(out, inp, this.weight, B, this.inSize, this.outSize, false);
    // z += b here, or in the next layer's fused pass (z += b, a = f(z), f'(z))
    if (this.biasConsumer === null || !this.biasConsumer.addBiasFused(out, this.bias, B)) this.k.addRow(out, this.bias, B, this.outSize);
    this.inp = inp;
    return out;
  }

  // dout is (B,O): dW += doutᵀ·inp, db += Σ_rows dout, dinp = dout·W (= instead of += on a gradient zeroGrad cleared)
  backward(dout: Buf, B: number): Buf {
    if (this.inp === null) throw new Error('dense: backward called before forward');
    this.lastDout = dout;
    const overwriteW = this.pw.takeZero();
    const overwriteB = this.pb.takeZero();
    this.k.gemmAtB(this.dweight, dout, this.inp, this.outSize, B, this.inSize, !overwriteW);
    this.k.sumRows(this.dbias, dout, B, this.outSize, !overwriteB);
    const dinp = this.dinp.rowsOf(this.needInputGrad ? B : 0);
    if (this.needInputGrad) this.k.gemm(dinp, dout, this.weight, B, this.outSize, this.inSize, false);
    return dinp;
  }

  params(): readonly Param[] {
    return this.ps;
  }

  /** `{type: 'dense', in, out, weight: O rows of I numbers, bias: O numbers}`. */
  toJson(): DenseJson {
    return { type: 'dense', in: this.inSize, out: this.outSize, weight: rowsOf(this.weight, this.outSize, this.inSize), bias: Array.from(this.bias) };
  }
}

/** A dense layer's entry in a model file. */
export type DenseJson = z.infer<typeof denseSchema>;
const denseSchema = z.strictObject({ type: z.literal('dense'), in: jsonSize, out: jsonSize, weight: z.array(z.array(jsonFinite)), bias: z.array(jsonFinite) });

/** The model-file format of a dense layer (the same in gradscope-model/1 and /2). */
export const denseFormat: LayerFormat<DenseJson> = {
  type: 'dense',
  schema: denseSchema,
  build(j, ctx) {
    checkRows(j.weight, j.out, j.in, 'weight', ctx, "'out'");
    checkLength(j.bias, j.out, 'bias', ctx, "'out'");
    const d = new Dense(j.in, j.out, ctx.env);
    copyRows(d.weight, j.weight, j.in);
    d.bias.set(j.bias);
    return d;
  },
};
