/**
 * Activation layer: a = f(z) element by element (or softmax across a row).
 * The forward pass also stores f'(z), which the backward pass multiplies in
 * and the diagnostics read (mean |f'|, saturated and dead fractions). With
 * the wasm kernels, float32 and a fused activation (linear, sigmoid, tanh,
 * relu), f and f' come from one fused pass — which also adds the preceding
 * dense layer's bias, right after its product — and the backward product
 * runs in place in the network's memory; otherwise the catalogue's loops run.
 */
import { msg } from '../i18n/catalogue.js';
import { z } from 'zod';
import { getActivation, resolveParams } from '../activations/catalogue.js';
import type { ActivationDef } from '../activations/types.js';
import { softmaxBackward, softmaxRows } from '../activations/softmax.js';
import { ValueError } from '../errors.js';
import { alloc, type Buf } from '../tensor/dtype.js';
import { isFusedActivation, type FusedActivation, type FusedOps } from '../tensor/wasm/fused.js';
import { jsonFinite, ParamSlot, RowBuffer, type BiasConsumer, type Layer, type LayerEnv, type LayerFormat, type Param, type PassContext, type DecodeContext } from './layer.js';

/** An activation applied to a layer of `size` units, with its parameters (learnable ones get gradients). */
export class Activation implements Layer, BiasConsumer {
  readonly type = 'activation';
  readonly inSize: number;
  readonly outSize: number;
  needInputGrad = true;
  /** Every parameter's value in the order of `def.params` (fixed ones, and the learnable ones' current values). */
  private readonly all: Buf;
  /** The learnable parameters' slots, by index into `def.params` (null for fixed ones). */
  private readonly slots: (ParamSlot | null)[];
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
  /** The fused kernels and this activation's code in them, when the forward and backward passes use them. */
  private readonly fused: FusedOps | null;
  private readonly fusedAct: FusedActivation | null;
  /** The z and batch size of a fused pass already done on behalf of the dense layer before (see addBiasFused). */
  private preparedZ: Buf | null = null;
  private preparedRows = 0;

  /** Creates the layer; `params` are resolved values in `def.params` order. */
  constructor(readonly def: ActivationDef, size: number, params: readonly number[], env: LayerEnv) {
    if (def.kind === 'layer') throw new RangeError(`activation: '${def.name}' is a layer of its own, not an elementwise activation`);
    this.inSize = size;
    this.outSize = size;
    this.all = alloc(env.dtype, params.length);
    this.all.set(params);
    this.pArr = Array.from(params);
    this.dpScratch = params.map(() => 0);
    this.dpAcc = new Float64Array(params.length);
    this.out = new RowBuffer(env.dtype, size, env.kernels);
    this.deriv = new RowBuffer(env.dtype, size, env.kernels);
    this.dinp = new RowBuffer(env.dtype, size, env.kernels);
    this.learnable = def.params.some((s) => s.learnable);
    this.slots = def.params.map((s, i) => {
      if (!s.learnable) return null;
      const slot = new ParamSlot(s.name, [1], false, env.dtype);
      slot.value[0] = params[i];
      return slot;
    });
    this.ps = this.slots.filter((s): s is ParamSlot => s !== null);
    const fusable = env.dtype === 'float32' && env.kernels.fused !== undefined && def.kind === 'elementwise' && def.params.length === 0 && isFusedActivation(def.name);
    this.fused = fusable ? (env.kernels.fused as FusedOps) : null;
    this.fusedAct = fusable ? (def.name as FusedActivation) : null;
  }

  /** A copy of every parameter's current value, in `def.params` order (set learnable ones through params()). */
  get p(): Buf {
    const p = this.all.slice();
    this.slots.forEach((s, i) => {
      if (s) p[i] = s.value[0];
    });
    return p;
  }

  /** The fused pass for the dense layer before: z += bias, a = f(z), d = f'(z); false when this activation has no fused kernel. */
  addBiasFused(z: Buf, bias: Buf, B: number): boolean {
    if (this.fused === null || this.fusedAct === null) return false;
    this.fused.biasActivation(this.fusedAct, this.out.rowsOf(B), this.deriv.rowsOf(B), z, bias, B, this.inSize);
    this.preparedZ = z;
    this.preparedRows = B;
    return true;
  }

  /** The canonical activation name. */
  get name(): string {
    return this.def.name;
  }

  /** Current parameter values as a plain record (for saving and reports). */
  paramRecord(): Record<string, number> {
    const r: Record<string, number> = {};
    const p = this.p;
    this.def.params.forEach((s, i) => (r[s.name] = p[i]));
    return r;
  }

  // z is (B,S); out a = f(z) is (B,S); deriv d = f'(z) is (B,S)
  forward(z: Buf, B: number, ctx: PassContext): Buf {
    const n = B * this.inSize;
    const a = this.out.rowsOf(B);
    const d = this.deriv.rowsOf(B);
    if (this.learnable) for (let i = 0; i < this.pArr.length; i++) this.pArr[i] = this.slots[i]?.value[0] ?? this.all[i];
    const p = this.pArr;
    const def = this.def;
    const prepared = this.preparedZ === z && this.preparedRows === B;
    this.preparedZ = null;
    if (prepared) {
      // a and d were computed by the fused pass right after the dense product of z
    } else if (this.fused !== null && this.fusedAct !== null) {
      this.fused.biasActivation(this.fusedAct, a, d, z, null, B, this.inSize);
    } else if (def.kind === 'vector') {
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
    } else if (this.fused !== null) {
      this.fused.activationBackward(dz, dout, this.d, n);
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
      for (let j = 0; j < acc.length; j++) {
        const slot = this.slots[j];
        if (slot) slot.grad[0] += acc[j];
      }
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
function checked<T>(field: string, fail: DecodeContext['fail'], f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ValueError) return fail(field, e.quoted ? undefined : e.value, e.said ?? e.expected);
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
    if (def.kind === 'layer') ctx.fail('name', undefined, msg('err.model.layerType', { name: j.name, example: '{"type":"maxout",...}' }));
    const params = checked('params', fail, () => resolveParams(def, j.params ?? {}));
    const width = ctx.width ?? ctx.fail('type', 'activation', msg('err.model.first', { a: 'dense', b: 'maxout' }));
    return new Activation(def, width, params, ctx.env);
  },
};
