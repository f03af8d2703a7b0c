/**
 * Keras's LSTM and GRU as TensorFlow.js computes them, forward and backward
 * through time, for the imported layers gradscope's own cells cannot
 * reproduce: any catalogue activation for the gates (`recurrentActivation`,
 * tfjs's default hard_sigmoid) and the cell (`activation`), and the GRU with
 * its reset gate before the recurrent product (reset_after = false, tfjs's
 * only form; ONNX's linear_before_reset = 0):
 *
 *   LSTM, gates [i f c o]:  z = x·W + h·U + b,  c_t = σ(z_f)·c + σ(z_i)·g(z_c),  h_t = σ(z_o)·g(c_t)
 *   GRU,  gates [z r h]:    u = σ(x·W_z + h·U_z + b_z),  r = σ(x·W_r + h·U_r + b_r),
 *                           ĥ = g(x·W_h + (r ⊙ h)·U_h + b_h),  h_t = u ⊙ h + (1 − u) ⊙ ĥ
 *
 * with σ the gate activation and g the activation. Weights in Keras's
 * layout: kernel W (I, G·H), recurrent kernel U (H, G·H), bias (G·H). Rows
 * are sequences batch-major, x(B, T·I); the output is every state (B, T·H)
 * or the last (B, H), h₀ = c₀ = 0. Float64 scratch throughout.
 */
import type { ActivationDef } from '../../activations/types.js';
import { gotValue, ValueError } from '../../errors.js';
import { msg, phrase } from '../../i18n/catalogue.js';
import { alloc, type Buf, type DType } from '../../tensor/dtype.js';
import type { Layer, LayerJson, Param } from '../../nn/layer.js';

/** The two Keras cells. */
export type KerasCellKind = 'lstm' | 'gru';

/** The refusal of an activation that is a layer of its own (maxout), not applied element by element. */
function notElementwise(name: string): ValueError {
  const said = msg('err.layer.notElementwise', { layer: 'keras-recurrent', name });
  return new ValueError(name, phrase('en', said), true, said);
}

/** A Keras LSTM or GRU (reset before the product) over T steps. */
export class KerasRecurrentLayer implements Layer {
  readonly type = 'keras-recurrent';
  readonly inSize: number;
  readonly outSize: number;
  needInputGrad = true;
  /** Gates per unit: 4 (LSTM) or 3 (GRU). */
  readonly gates: number;
  /** W (I, G·H), U (H, G·H), b (G·H), Keras's layout, and their gradients. */
  readonly kernel: Buf;
  readonly recurrentKernel: Buf;
  readonly bias: Buf;
  readonly dkernel: Buf;
  readonly drecurrentKernel: Buf;
  readonly dbias: Buf;
  private readonly ps: readonly Param[];
  // per-forward records, float64, sized for the largest batch seen
  private zs = new Float64Array(0); // pre-activations (T, B, G·H) — for the GRU candidate, x·W_h + (r⊙h)·U_h + b_h
  private hs = new Float64Array(0); // states (T+1, B, H)
  private cs = new Float64Array(0); // LSTM cell states (T+1, B, H)
  private rh = new Float64Array(0); // GRU r ⊙ h_prev (T, B, H)
  private xs: Buf; // the input rows of the last forward
  private out: Buf;
  private dinp: Buf;
  private rows = -1;
  /** The activations' parameters (their catalogue defaults). */
  private readonly pa: number[];
  private readonly pg: number[];

  /** A layer of `hidden` units over `steps` steps of `inSize` features (zero weights). */
  constructor(readonly kind: KerasCellKind, readonly steps: number, readonly features: number, readonly hidden: number, readonly activation: ActivationDef, readonly gateActivation: ActivationDef, readonly sequences: boolean, private readonly dtype: DType) {
    for (const [k, v] of [['steps', steps], ['features', features], ['hidden', hidden]] as const) if (!(Number.isInteger(v) && v >= 1)) throw gotValue(v, msg('err.layer.int1Quoted', { layer: 'keras-recurrent', k }));
    for (const a of [activation, gateActivation]) if (a.kind !== 'elementwise') throw notElementwise(a.name);
    this.gates = kind === 'lstm' ? 4 : 3;
    this.pa = activation.params.map((p) => p.default);
    this.pg = gateActivation.params.map((p) => p.default);
    const G = this.gates * hidden;
    this.inSize = steps * features;
    this.outSize = sequences ? steps * hidden : hidden;
    this.kernel = alloc(dtype, features * G);
    this.recurrentKernel = alloc(dtype, hidden * G);
    this.bias = alloc(dtype, G);
    this.dkernel = alloc(dtype, features * G);
    this.drecurrentKernel = alloc(dtype, hidden * G);
    this.dbias = alloc(dtype, G);
    this.ps = [
      { name: 'kernel', value: this.kernel, grad: this.dkernel, shape: [features, G], decay: true },
      { name: 'recurrent_kernel', value: this.recurrentKernel, grad: this.drecurrentKernel, shape: [hidden, G], decay: true },
      { name: 'bias', value: this.bias, grad: this.dbias, shape: [G], decay: false },
    ];
    this.xs = alloc(dtype, 0);
    this.out = alloc(dtype, 0);
    this.dinp = alloc(dtype, 0);
  }

  private ensure(B: number): void {
    if (B === this.rows) return;
    const { steps: T, hidden: H } = this;
    const G = this.gates * H;
    if (this.hs.length < (T + 1) * B * H) {
      this.zs = new Float64Array(T * B * G);
      this.hs = new Float64Array((T + 1) * B * H);
      this.cs = new Float64Array((T + 1) * B * H);
      this.rh = new Float64Array(T * B * H);
      this.out = alloc(this.dtype, B * this.outSize);
      this.dinp = alloc(this.dtype, B * this.inSize);
    }
    this.rows = B;
  }

  // x is (B, T·I); out (B, T·H) or (B, H)
  forward(x: Buf, B: number): Buf {
    this.ensure(B);
    this.xs = x;
    const { steps: T, features: I, hidden: H, gates } = this;
    const G = gates * H;
    const W = this.kernel, U = this.recurrentKernel, b = this.bias;
    const sg = this.gateActivation, g = this.activation, pa = this.pa, pg = this.pg;
    const hs = this.hs, cs = this.cs, zs = this.zs;
    hs.fill(0, 0, B * H);
    cs.fill(0, 0, B * H);
    for (let t = 0; t < T; t++)
      for (let r = 0; r < B; r++) {
        const xo = r * T * I + t * I;
        const hp = (t * B + r) * H; // h_{t−1}
        const hn = ((t + 1) * B + r) * H; // h_t
        const zo = (t * B + r) * G;
        // input and bias part of every gate: z = x·W + b
        for (let k = 0; k < G; k++) {
          let s = b[k];
          for (let i = 0; i < I; i++) s += x[xo + i] * W[i * G + k];
          zs[zo + k] = s;
        }
        if (this.kind === 'lstm') {
          for (let k = 0; k < G; k++) {
            let s = 0;
            for (let j = 0; j < H; j++) s += hs[hp + j] * U[j * G + k];
            zs[zo + k] += s;
          }
          for (let j = 0; j < H; j++) {
            const i_ = sg.f(zs[zo + j], pg), f_ = sg.f(zs[zo + H + j], pg), c_ = g.f(zs[zo + 2 * H + j], pa), o_ = sg.f(zs[zo + 3 * H + j], pg);
            const c = f_ * cs[hp + j] + i_ * c_;
            cs[hn + j] = c;
            hs[hn + j] = o_ * g.f(c, pa);
          }
        } else {
          // update and reset gates read h·U_z, h·U_r; the candidate reads (r ⊙ h)·U_h
          for (let k = 0; k < 2 * H; k++) {
            let s = 0;
            for (let j = 0; j < H; j++) s += hs[hp + j] * U[j * G + k];
            zs[zo + k] += s;
          }
          const rh = this.rh;
          for (let j = 0; j < H; j++) rh[hp + j] = sg.f(zs[zo + H + j], pg) * hs[hp + j];
          for (let k = 2 * H; k < G; k++) {
            let s = 0;
            for (let j = 0; j < H; j++) s += rh[hp + j] * U[j * G + k];
            zs[zo + k] += s;
          }
          for (let j = 0; j < H; j++) {
            const u = sg.f(zs[zo + j], pg);
            hs[hn + j] = u * hs[hp + j] + (1 - u) * g.f(zs[zo + 2 * H + j], pa);
          }
        }
      }
    const out = this.out.subarray(0, B * this.outSize);
    for (let r = 0; r < B; r++)
      if (this.sequences) for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) out[r * T * H + t * H + j] = hs[((t + 1) * B + r) * H + j];
      else for (let j = 0; j < H; j++) out[r * H + j] = hs[(T * B + r) * H + j];
    return out;
  }

  // dout is (B, T·H) or (B, H): backpropagation through time; dW, dU, db accumulate
  backward(dout: Buf, B: number): Buf {
    if (this.rows !== B) throw new Error('keras-recurrent: backward called before forward (or with another batch size)');
    const { steps: T, features: I, hidden: H, gates } = this;
    const G = gates * H;
    const x = this.xs, W = this.kernel, U = this.recurrentKernel;
    const sg = this.gateActivation, g = this.activation, pa = this.pa, pg = this.pg;
    const hs = this.hs, cs = this.cs, zs = this.zs, rh = this.rh;
    const dinp = this.dinp.subarray(0, this.needInputGrad ? B * T * I : 0);
    const dh = new Float64Array(B * H); // ∂L/∂h_t, carried back
    const dc = new Float64Array(B * H); // ∂L/∂c_t (LSTM), carried back
    const dz = new Float64Array(G);
    const drh = new Float64Array(H);
    for (let t = T - 1; t >= 0; t--)
      for (let r = 0; r < B; r++) {
        const hp = (t * B + r) * H;
        const hn = ((t + 1) * B + r) * H;
        const zo = (t * B + r) * G;
        const xo = r * T * I + t * I;
        const d = r * H;
        for (let j = 0; j < H; j++) dh[d + j] += this.sequences ? dout[r * T * H + t * H + j] : t === T - 1 ? dout[r * H + j] : 0;
        if (this.kind === 'lstm') {
          for (let j = 0; j < H; j++) {
            const zi = zs[zo + j], zf = zs[zo + H + j], zc = zs[zo + 2 * H + j], zo_ = zs[zo + 3 * H + j];
            const c = cs[hn + j];
            const gc = g.f(c, pa);
            const dct = dc[d + j] + dh[d + j] * sg.f(zo_, pg) * g.df(c, pa);
            dz[3 * H + j] = dh[d + j] * gc * sg.df(zo_, pg);
            dz[j] = dct * g.f(zc, pa) * sg.df(zi, pg);
            dz[2 * H + j] = dct * sg.f(zi, pg) * g.df(zc, pa);
            dz[H + j] = dct * cs[hp + j] * sg.df(zf, pg);
            dc[d + j] = dct * sg.f(zf, pg); // the additive path: ∂c_t/∂c_{t−1} = f
          }
          // ∂L/∂h_{t−1} = dz·Uᵀ
          for (let j = 0; j < H; j++) {
            let s = 0;
            for (let k = 0; k < G; k++) s += dz[k] * U[j * G + k];
            dh[d + j] = s;
          }
          for (let j = 0; j < H; j++) for (let k = 0; k < G; k++) this.drecurrentKernel[j * G + k] += hs[hp + j] * dz[k];
        } else {
          for (let j = 0; j < H; j++) {
            const zu = zs[zo + j], zh = zs[zo + 2 * H + j];
            const u = sg.f(zu, pg);
            const hh = g.f(zh, pa);
            dz[j] = dh[d + j] * (hs[hp + j] - hh) * sg.df(zu, pg);
            dz[2 * H + j] = dh[d + j] * (1 - u) * g.df(zh, pa);
            dh[d + j] *= u; // h_t = u ⊙ h_{t−1} + …: the direct path
          }
          // the candidate read r ⊙ h_{t−1} through U_h
          for (let j = 0; j < H; j++) {
            let s = 0;
            for (let k = 2 * H; k < G; k++) s += dz[k] * U[j * G + k];
            drh[j] = s;
            for (let k = 2 * H; k < G; k++) this.drecurrentKernel[j * G + k] += rh[hp + j] * dz[k];
          }
          for (let j = 0; j < H; j++) {
            const zr = zs[zo + H + j];
            dz[H + j] = drh[j] * hs[hp + j] * sg.df(zr, pg);
            dh[d + j] += drh[j] * sg.f(zr, pg);
          }
          for (let j = 0; j < H; j++) {
            let s = 0;
            for (let k = 0; k < 2 * H; k++) s += dz[k] * U[j * G + k];
            dh[d + j] += s;
            for (let k = 0; k < 2 * H; k++) this.drecurrentKernel[j * G + k] += hs[hp + j] * dz[k];
          }
        }
        for (let k = 0; k < G; k++) {
          this.dbias[k] += dz[k];
          for (let i = 0; i < I; i++) this.dkernel[i * G + k] += x[xo + i] * dz[k];
        }
        if (this.needInputGrad)
          for (let i = 0; i < I; i++) {
            let s = 0;
            for (let k = 0; k < G; k++) s += dz[k] * W[i * G + k];
            dinp[xo + i] = s;
          }
      }
    return dinp;
  }

  /** Imported layers have no gradscope model-file entry: save such a network with `gradscope export --to onnx`. */
  toJson(): LayerJson {
    throw new RangeError(`${this.type}: an imported layer has no gradscope-model/2 entry; save the network with gradscope export MODEL --to onnx`);
  }

  params(): readonly Param[] {
    return this.ps;
  }
}
