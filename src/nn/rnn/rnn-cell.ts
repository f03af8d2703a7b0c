/**
 * The vanilla (Elman) recurrent cell, forward and backward through time:
 *
 *   z_t = W_ih x_t + W_hh h_{t−1} + b,   h_t = f(z_t)
 *   ∂L/∂h_{t−1} = W_hhᵀ (f′(z_t) ⊙ ∂L/∂h_t)
 *
 * so the gradient reaching step t − n is a product of n factors
 * W_hhᵀ·diag(f′(z)) (a product of n factors W·f′ through n steps). f is any elementwise catalogue
 * activation (tanh by default), with its parameters fixed.
 */
import { getActivation, resolveParams } from '../../activations/catalogue.js';
import type { ActivationDef } from '../../activations/types.js';
import type { Buf } from '../../tensor/dtype.js';
import type { Rng } from '../../tensor/rng.js';
import { CellBase } from './base.js';
import { SeqBuf } from './seqbuf.js';
import type { BackwardOptions, CellOptions } from './types.js';

/** A vanilla RNN cell h_t = f(W_ih x_t + W_hh h_{t−1} + b). */
export class RnnCell extends CellBase {
  readonly kind = 'rnn' as const;
  /** The activation f and its resolved parameters. */
  readonly act: ActivationDef;
  readonly actParams: readonly number[];
  /** f′(z_t) of every step (T,B,H). */
  private readonly ds: SeqBuf;
  private x: Buf;

  /** Builds the cell and initialises it from `rng`. */
  constructor(o: CellOptions, rng: Rng) {
    super({ ...o, kind: 'rnn' }, 1, rng);
    const act = getActivation(o.activation ?? 'tanh');
    if (act.kind !== 'elementwise') throw new RangeError(`rnn: activation '${act.name}' is not elementwise (it is a ${act.kind} activation); choose e.g. tanh, sigmoid or relu`);
    this.act = act;
    this.actParams = resolveParams(act, o.activationParams ?? {});
    this.ds = new SeqBuf(o.dtype, o.hidden, 0, this.k);
    this.x = this.wih.subarray(0, 0);
  }

  /** Runs x(T,B,I); returns hs (T+1,B,H). */
  forward(x: Buf, T: number, B: number): Buf {
    this.reshape(T, B);
    this.ds.reshape(T, B);
    this.x = x;
    this.project(x, T, B);
    const H = this.hidden;
    const n = B * H;
    const { act, actParams: p } = this;
    for (let t = 0; t < T; t++) {
      const z = this.zs.at(t); // (B,H), holds W_ih x_t + b
      this.k.gemmABt(z, this.hs.at(t), this.whh, B, H, H, true); // z_t += h_{t−1}·W_hhᵀ
      const h = this.hs.at(t + 1);
      const d = this.ds.at(t);
      if (act.map) act.map(h, d, z, n, p);
      else
        for (let i = 0; i < n; i++) {
          h[i] = act.f(z[i], p);
          d[i] = act.df(z[i], p);
        }
    }
    return this.hs.data;
  }

  /** Backpropagation through time from dH(T,B,H); accumulates dW_ih, dW_hh, db. */
  backward(dH: Buf, T: number, B: number, o?: BackwardOptions): void {
    const H = this.hidden;
    const n = B * H;
    const trunc = o?.truncate ?? 0;
    const dh = this.dh.at(0);
    const next = this.dhPrev.at(0); // ∂L/∂h_t arriving from step t + 1
    next.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const off = t * n;
      for (let i = 0; i < n; i++) dh[i] = dH[off + i] + next[i];
      this.recordNorm(o?.gradNorms, t, dh, B);
      const dz = this.dzs.at(t);
      const d = this.ds.at(t);
      for (let i = 0; i < n; i++) dz[i] = dh[i] * d[i]; // dz_t = ∂L/∂h_t ⊙ f′(z_t)
      if (this.cut(t, T, trunc)) next.fill(0);
      else this.k.gemm(next, dz, this.whh, B, H, H, false); // ∂L/∂h_{t−1} = dz_t·W_hh
    }
    this.weightGrads(this.x, T, B, o);
  }
}
