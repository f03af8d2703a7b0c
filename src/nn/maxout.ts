/**
 * Maxout layer (Goodfellow et al. 2013): each of O outputs is the maximum of
 * k affine pieces, a_o = max_j (W_{o,j}·x + b_{o,j}). Its gradient flows only
 * through the winning piece, with slope 1 — it never saturates and never dies
 * for all pieces at once.
 */
import { z } from 'zod';
import type { Buf } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { checkLength, checkRows, copyRows, jsonFinite, jsonSize, ParamSlot, RowBuffer, rowsOf, WeightBiasLayer, type Layer, type LayerEnv, type LayerFormat, type Param } from './layer.js';

/** W (O·k, I) — rows o·k … o·k+k−1 are the pieces of output o — and b (O·k), after checking `pieces`. */
function maxoutSlots(inSize: number, outSize: number, pieces: number, env: LayerEnv): [ParamSlot, ParamSlot] {
  if (!Number.isInteger(pieces) || pieces < 1) throw new RangeError(`maxout: 'pieces' must be a positive integer; got ${pieces}`);
  return [new ParamSlot('weight', [outSize * pieces, inSize], true, env.dtype), new ParamSlot('bias', [outSize * pieces], false, env.dtype)];
}

/** A maxout layer with `pieces` affine pieces per output unit. */
export class Maxout extends WeightBiasLayer implements Layer {
  readonly type = 'maxout';
  needInputGrad = true;
  private readonly kern: Kernels;
  private readonly z: RowBuffer; // (B, O·k)
  private readonly dz: RowBuffer; // (B, O·k)
  private readonly out: RowBuffer; // (B, O)
  private readonly dinp: RowBuffer; // (B, I)
  private winner = new Int32Array(0); // (B, O) index of the winning piece
  private inp: Buf | null = null;
  private readonly ps: readonly Param[];

  /** Creates a zero-initialised maxout layer. */
  constructor(readonly inSize: number, readonly outSize: number, readonly pieces: number, env: LayerEnv) {
    super(...maxoutSlots(inSize, outSize, pieces, env));
    const rows = outSize * pieces;
    this.kern = env.kernels;
    this.z = new RowBuffer(env.dtype, rows, env.kernels);
    this.dz = new RowBuffer(env.dtype, rows, env.kernels);
    this.out = new RowBuffer(env.dtype, outSize, env.kernels);
    this.dinp = new RowBuffer(env.dtype, inSize, env.kernels);
    this.ps = [this.pw, this.pb];
  }


  // inp is (B,I) → z (B,O·k) → out (B,O)
  forward(inp: Buf, B: number): Buf {
    const K = this.pieces;
    const O = this.outSize;
    const z = this.z.rowsOf(B);
    this.kern.gemmABt(z, inp, this.weight, B, this.inSize, O * K, false);
    this.kern.addRow(z, this.bias, B, O * K);
    const out = this.out.rowsOf(B);
    if (this.winner.length < B * O) this.winner = new Int32Array(B * O);
    for (let r = 0; r < B * O; r++) {
      let best = 0;
      let bv = z[r * K];
      for (let j = 1; j < K; j++) {
        const v = z[r * K + j];
        if (v > bv) {
          bv = v;
          best = j;
        }
      }
      out[r] = bv;
      this.winner[r] = best; // ties go to the first piece
    }
    this.inp = inp;
    return out;
  }

  // dout is (B,O): route each gradient to its winning piece, then as a dense layer
  backward(dout: Buf, B: number): Buf {
    if (this.inp === null) throw new Error('maxout: backward called before forward');
    const K = this.pieces;
    const O = this.outSize;
    const dz = this.dz.rowsOf(B);
    dz.fill(0);
    for (let r = 0; r < B * O; r++) dz[r * K + this.winner[r]] = dout[r];
    this.kern.gemmAtB(this.dweight, dz, this.inp, O * K, B, this.inSize, true);
    this.kern.sumRows(this.dbias, dz, B, O * K, true);
    const dinp = this.dinp.rowsOf(this.needInputGrad ? B : 0);
    if (this.needInputGrad) this.kern.gemm(dinp, dz, this.weight, B, O * K, this.inSize, false);
    return dinp;
  }

  params(): readonly Param[] {
    return this.ps;
  }

  /** `{type: 'maxout', in, out, pieces, weight: O·k rows of I numbers, bias: O·k numbers}`. */
  toJson(): MaxoutJson {
    return { type: 'maxout', in: this.inSize, out: this.outSize, pieces: this.pieces, weight: rowsOf(this.weight, this.outSize * this.pieces, this.inSize), bias: Array.from(this.bias) };
  }
}

/** A maxout layer's entry in a model file. */
export type MaxoutJson = z.infer<typeof maxoutSchema>;
const maxoutSchema = z.strictObject({ type: z.literal('maxout'), in: jsonSize, out: jsonSize, pieces: jsonSize, weight: z.array(z.array(jsonFinite)), bias: z.array(jsonFinite) });

/** The model-file format of a maxout layer (the same in gradscope-model/1 and /2). */
export const maxoutFormat: LayerFormat<MaxoutJson> = {
  type: 'maxout',
  schema: maxoutSchema,
  build(j, ctx) {
    checkRows(j.weight, j.out * j.pieces, j.in, 'weight', ctx, "'out' × 'pieces'");
    checkLength(j.bias, j.out * j.pieces, 'bias', ctx, "'out' × 'pieces'");
    const m = new Maxout(j.in, j.out, j.pieces, ctx.env);
    copyRows(m.weight, j.weight, j.in);
    m.bias.set(j.bias);
    return m;
  },
};
