/**
 * Activation layer: a = f(z) element by element (or softmax across a row).
 * The forward pass also stores f'(z), which the backward pass multiplies in
 * and the diagnostics read (mean |f'|, saturated and dead fractions).
 */
import { z } from 'zod';
import { getActivation, resolveParams } from '../activations/catalogue.js';
import type { ActivationDef } from '../activations/types.js';
import { softmaxBackward, softmaxRows } from '../activations/softmax.js';
import { ValueError } from '../errors.js';
import { alloc, type Buf } from '../tensor/dtype.js';
import { jsonFinite, RowBuffer, type Layer, type LayerEnv, type LayerFormat, type Param, type PassContext } from './layer.js';

/** An activation applied to a layer of `size` units, with its parameters (learnable ones get gradients). */
export class Activation implements Layer {
  readonly type = 'activation';
  readonly inSize: number;
  readonly outSize: number;
  needInputGrad = true;
  /** Parameter values in the order of `def.params`. */
  readonly p: Buf;
  /** ∂C/∂p, accumulated. */
  readonly dp: Buf;
  private readonly pArr: number[];
  private readonly dpScratch: number[];
  private readonly dpAcc: Float64Array;
  private readonly out: RowBuffer;
  private readonly deriv: RowBuffer;
  private readonly dinp: RowBuffer;
  private z: Buf | null = null;
  private a: Buf | null = null;
  private d: Buf | null = null;
  private rows = 0;
  private readonly ps: readonly Param[];
  private readonly learnable: boolean;

  /** Creates the layer; `params` are resolved values in `def.params` order. */
  constructor(readonly def: ActivationDef, size: number, params: readonly number[], env: LayerEnv) {
    if (def.kind === 'layer') throw new RangeError(`activation: '${def.name}' is a layer of its own, not an elementwise activation`);
    this.inSize = size;
    this.outSize = size;
    this.p = alloc(env.dtype, params.length);
    this.p.set(params);
    this.dp = alloc(env.dtype, params.length);
    this.pArr = Array.from(params);
    this.dpScratch = params.map(() => 0);
    this.dpAcc = new Float64Array(params.length);
    this.out = new RowBuffer(env.dtype, size);
    this.deriv = new RowBuffer(env.dtype, size);
    this.dinp = new RowBuffer(env.dtype, size);
    this.learnable = def.params.some((s) => s.learnable);
    const ps: Param[] = [];
    def.params.forEach((s, i) => {
      if (s.learnable) ps.push({ name: s.name, value: this.p.subarray(i, i + 1), grad: this.dp.subarray(i, i + 1), shape: [1], decay: false });
    });
    this.ps = ps;
  }

  /** The canonical activation name. */
  get name(): string {
    return this.def.name;
  }

  /** Current parameter values as a plain record (for saving and reports). */
  paramRecord(): Record<string, number> {
    const r: Record<string, number> = {};
    this.def.params.forEach((s, i) => (r[s.name] = this.p[i]));
    return r;
  }

  // z is (B,S); out a = f(z) is (B,S); deriv d = f'(z) is (B,S)
  forward(z: Buf, B: number, ctx: PassContext): Buf {
    const n = B * this.inSize;
    const a = this.out.rowsOf(B);
    const d = this.deriv.rowsOf(B);
    if (this.learnable) for (let i = 0; i < this.pArr.length; i++) this.pArr[i] = this.p[i];
    const p = this.pArr;
    const def = this.def;
    if (def.kind === 'vector') {
      softmaxRows(a, z, B, this.inSize);
      // diagonal of the softmax Jacobian, s(1 − s): what diagnostics read as "f'"
      for (let i = 0; i < n; i++) d[i] = a[i] * (1 - a[i]);
    } else if (ctx.training && def.mapTrain) {
      def.mapTrain(a, d, z, n, p, ctx.rng);
    } else if (def.map) {
      def.map(a, d, z, n, p);
    } else {
      for (let i = 0; i < n; i++) {
        a[i] = def.f(z[i], p);
        d[i] = def.df(z[i], p);
      }
    }
    this.z = z;
    this.a = a;
    this.d = d;
    this.rows = B;
    return a;
  }

  // dout is (B,S): dz = dout ⊙ f'(z); dp += Σ dout · ∂f/∂p
  backward(dout: Buf, B: number): Buf {
    if (this.z === null || this.a === null || this.d === null) throw new Error('activation: backward called before forward');
    const n = B * this.inSize;
    const dz = this.dinp.rowsOf(B);
    if (this.def.kind === 'vector') {
      softmaxBackward(dz, this.a, dout, B, this.inSize);
    } else {
      const d = this.d;
      for (let i = 0; i < n; i++) dz[i] = dout[i] * d[i];
    }
    if (this.learnable && this.def.dparams) {
      const acc = this.dpAcc;
      acc.fill(0);
      const z = this.z;
      for (let i = 0; i < n; i++) {
        this.def.dparams(z[i], this.pArr, this.dpScratch);
        for (let j = 0; j < acc.length; j++) acc[j] += dout[i] * this.dpScratch[j];
      }
      for (let j = 0; j < acc.length; j++) if (this.def.params[j].learnable) this.dp[j] += acc[j];
    }
    return dz;
  }

  /** f'(z) of the last forward pass, (B,S). */
  lastDerivative(): Buf | null {
    return this.d === null ? null : this.d.subarray(0, this.rows * this.inSize);
  }

  /** z of the last forward pass, (B,S). */
  lastInput(): Buf | null {
    return this.z;
  }

  /** a of the last forward pass, (B,S). */
  lastOutput(): Buf | null {
    return this.a;
  }

  params(): readonly Param[] {
    return this.ps;
  }

  /** `{type: 'activation', name, params?}` with the current (possibly learned) parameter values. */
  toJson(): ActivationJson {
    const params = this.paramRecord();
    return Object.keys(params).length > 0 ? { type: 'activation', name: this.name, params } : { type: 'activation', name: this.name };
  }
}

/** An activation layer's entry in a model file. */
export type ActivationJson = z.infer<typeof activationSchema>;
const activationSchema = z.strictObject({ type: z.literal('activation'), name: z.string(), params: z.record(z.string(), jsonFinite).optional() });

/** Runs `f`, failing at `field` of the layer with what a bad name or parameter value is. */
function checked<T>(field: string, fail: (field: string, value: unknown, expected: string) => never, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ValueError) return fail(field, e.quoted ? undefined : e.value, e.expected);
    throw e;
  }
}

/** The model-file format of an activation layer (the same in gradscope-model/1 and /2): it keeps the incoming width. */
export const activationFormat: LayerFormat<ActivationJson> = {
  type: 'activation',
  schema: activationSchema,
  build(j, ctx) {
    const fail = ctx.fail.bind(ctx);
    const def = checked('name', fail, () => getActivation(j.name));
    if (def.kind === 'layer') ctx.fail('name', undefined, `'${j.name}' is a layer type of its own; write {"type":"maxout",...}`);
    const params = checked('params', fail, () => resolveParams(def, j.params ?? {}));
    const width = ctx.width ?? ctx.fail('type', 'activation', 'the first layer must be dense or maxout (it fixes the input width)');
    return new Activation(def, width, params, ctx.env);
  },
};
