/**
 * What the three cells share: the stacked weights W_ih (G,I), W_hh (G,H) and
 * bias (G) with their gradients and initialisation gate by gate, the input
 * projection of every step in one gemm, the weight gradients of every step in
 * one gemm after the backward loop, and the per-step gradient-norm record.
 * The recurrence itself — forward and backward — lives in each cell's file.
 */
import { gotValue } from '../../errors.js';
import { msg } from '../../i18n/catalogue.js';
import type { Buf, DType } from '../../tensor/dtype.js';
import { jsKernels, type Kernels } from '../../tensor/kernels.js';
import type { Rng } from '../../tensor/rng.js';
import { getInit } from '../init.js';
import { ParamSlot, type Param } from '../layer.js';
import { SeqBuf } from './seqbuf.js';
import type { BackwardOptions, CellKind, CellOptions, RecurrentCell, RecurrentMatrix } from './types.js';

/** Base class of the cells: parameters, input projection and weight gradients. */
export abstract class CellBase implements RecurrentCell {
  abstract readonly kind: CellKind;
  readonly inSize: number;
  readonly hidden: number;
  readonly dtype: DType;
  /** Stacked gate count: 1 (RNN), 4 (LSTM), 3 (GRU). */
  readonly gates: number;
  protected readonly k: Kernels;
  /** W_ih (G,I), W_hh (G,H), b (G). */
  private readonly pih: ParamSlot;
  private readonly phh: ParamSlot;
  private readonly pb: ParamSlot;
  protected readonly plist: Param[];
  /** Hidden states (T+1,B,H), h₀ in slot 0. */
  protected readonly hs: SeqBuf;
  /** Gate pre-activations, overwritten by their activations (T,B,G). */
  protected readonly zs: SeqBuf;
  /** Gradients of the gate pre-activations (T,B,G). */
  protected readonly dzs: SeqBuf;
  /** Running ∂L/∂h of the current step (B,H) and the part flowing to the previous step. */
  protected readonly dh: SeqBuf;
  protected readonly dhPrev: SeqBuf;

  /** Allocates and initialises the parameters from `rng`. */
  constructor(o: CellOptions, gates: number, rng: Rng) {
    const { inSize: I, hidden: H, dtype } = o;
    if (!(Number.isInteger(I) && I >= 1)) throw gotValue(I, msg('err.layer.int1', { layer: o.kind, k: 'inSize' }));
    if (!(Number.isInteger(H) && H >= 1)) throw gotValue(H, msg('err.layer.int1', { layer: o.kind, k: 'hidden' }));
    const gain = o.recurrentGain ?? 1;
    if (!(Number.isFinite(gain) && gain > 0)) throw new RangeError(`${o.kind}: recurrentGain must be a positive number; got ${gain}`);
    this.inSize = I;
    this.hidden = H;
    this.dtype = dtype;
    this.gates = gates;
    this.k = o.kernels ?? jsKernels;
    const G = gates * H;
    this.pih = new ParamSlot('weight_ih', [G, I], true, dtype);
    this.phh = new ParamSlot('weight_hh', [G, H], true, dtype);
    this.pb = new ParamSlot('bias', [G], false, dtype);
    // Each gate's block is initialised as its own H-unit layer (fan-in I or H, fan-out H).
    const inInit = getInit(o.inputInit ?? 'xavier_uniform');
    const recInit = getInit(o.recurrentInit ?? 'orthogonal');
    for (let g = 0; g < gates; g++) {
      inInit.weights(this.wih.subarray(g * H * I, (g + 1) * H * I), I, H, rng);
      recInit.weights(this.whh.subarray(g * H * H, (g + 1) * H * H), H, H, rng);
    }
    if (gain !== 1) for (let i = 0; i < this.whh.length; i++) this.whh[i] *= gain;
    this.plist = [this.pih, this.phh, this.pb];
    this.hs = new SeqBuf(dtype, H, 1, this.k);
    this.zs = new SeqBuf(dtype, G, 0, this.k);
    this.dzs = new SeqBuf(dtype, G, 0, this.k);
    this.dh = new SeqBuf(dtype, H, 0, this.k);
    this.dhPrev = new SeqBuf(dtype, H, 0, this.k);
  }

  /** W_ih (G,I). */
  get wih(): Buf {
    return this.pih.value;
  }

  /** W_hh (G,H). */
  get whh(): Buf {
    return this.phh.value;
  }

  /** b (G). */
  get bias(): Buf {
    return this.pb.value;
  }

  /** ∂L/∂W_ih, accumulated. */
  get dwih(): Buf {
    return this.pih.grad;
  }

  /** ∂L/∂W_hh, accumulated. */
  get dwhh(): Buf {
    return this.phh.grad;
  }

  /** ∂L/∂b, accumulated. */
  get dbias(): Buf {
    return this.pb.grad;
  }

  /** The cell's kernels (the model's parameter block is allocated by them). */
  get kernels(): Kernels {
    return this.k;
  }

  /** Makes room for T steps of B rows in every buffer (allocates only when larger than before). */
  protected reshape(T: number, B: number): void {
    if (!(Number.isInteger(T) && T >= 1)) throw new RangeError(`${this.kind}.forward: T must be an integer ≥ 1; got ${T}`);
    if (!(Number.isInteger(B) && B >= 1)) throw new RangeError(`${this.kind}.forward: B must be an integer ≥ 1; got ${B}`);
    this.hs.reshape(T, B);
    this.zs.reshape(T, B);
    this.dzs.reshape(T, B);
    this.dh.reshape(1, B);
    this.dhPrev.reshape(1, B);
  }

  /** zs(T·B,G) = x(T·B,I)·W_ihᵀ + b: the input part of every gate at every step, in one gemm. */
  protected project(x: Buf, T: number, B: number): void {
    const G = this.gates * this.hidden;
    if (x.length < T * B * this.inSize) throw new RangeError(`${this.kind}.forward: x has ${x.length} elements, expected T·B·I = ${T}·${B}·${this.inSize}`);
    this.k.gemmABt(this.zs.from(0), x, this.wih, T * B, this.inSize, G, false);
    this.k.addRow(this.zs.from(0), this.bias, T * B, G);
    this.hs.at(0).fill(0);
  }

  /**
   * After the backward loop: dW_ih += dZᵀ·X, dW_hh += dZhᵀ·H_prev, db += Σ dZ,
   * and dx = dZ·W_ih when asked. `dzh` is the gradient of the recurrent
   * pre-activations when it differs from dZ (the GRU's candidate gate).
   */
  protected weightGrads(x: Buf, T: number, B: number, o: BackwardOptions | undefined, dzh: Buf = this.dzs.from(0)): void {
    const G = this.gates * this.hidden;
    const N = T * B;
    const dz = this.dzs.from(0);
    this.k.gemmAtB(this.dwih, dz, x, G, N, this.inSize, true);
    this.k.gemmAtB(this.dwhh, dzh, this.hs.from(0), G, N, this.hidden, true);
    this.k.sumRows(this.dbias, dz, N, G, true);
    if (o?.dx) this.k.gemm(o.dx, dz, this.wih, N, G, this.inSize, false);
  }

  /** True when the gradient must not flow from step t back into h_{t−1} (truncated BPTT). */
  protected cut(t: number, T: number, truncate: number): boolean {
    return t === 0 || (truncate > 0 && (T - t) % truncate === 0);
  }

  /** Records the mean over the batch of per-example ‖∂ℓ/∂h_t‖ (L is a batch mean, so ℓ's gradient is B·dh). */
  protected recordNorm(out: Float64Array | undefined, t: number, dh: Buf, B: number): void {
    if (!out) return;
    const H = this.hidden;
    let s = 0;
    for (let b = 0; b < B; b++) {
      let q = 0;
      for (let j = 0; j < H; j++) {
        const v = dh[b * H + j];
        q += v * v;
      }
      s += Math.sqrt(q);
    }
    out[t] = s;
  }

  /** Runs the cell; see RecurrentCell.forward. */
  abstract forward(x: Buf, T: number, B: number): Buf;
  /** Backpropagates through time; see RecurrentCell.backward. */
  abstract backward(dH: Buf, T: number, B: number, o?: BackwardOptions): void;

  /** The hidden states from slot s on (slot t + 1 is h after step t), as one contiguous view. */
  states(s: number): Buf {
    return this.hs.from(s);
  }

  /** Trainable parameters. */
  params(): readonly Param[] {
    return this.plist;
  }

  /** W_hh (G,H). */
  recurrent(): RecurrentMatrix {
    return { W: this.whh, rows: this.gates * this.hidden, cols: this.hidden };
  }
}
