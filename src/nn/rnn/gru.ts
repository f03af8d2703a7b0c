/**
 * The GRU cell (Cho et al. 2014) in the form PyTorch and cuDNN use, where
 * the reset gate multiplies the recurrent product, forward and backward
 * through time. Gates stacked [r | u | n]:
 *
 *   r = σ(x_r + W_hr h_{t−1}),  u = σ(x_u + W_hu h_{t−1})        (x_· = rows of W_ih x_t + b)
 *   n = tanh(x_n + r ⊙ (W_hn h_{t−1} + b_hn))
 *   h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}
 *
 * The last line is the additive path: ∂h_t/∂h_{t−1} contains diag(u) with
 * no weight matrix, so an update gate near 1 carries the gradient like the
 * LSTM's forget gate.
 */
import type { Buf } from '../../tensor/dtype.js';
import type { Rng } from '../../tensor/rng.js';
import { ParamSlot } from '../layer.js';
import { CellBase } from './base.js';
import { SeqBuf } from './seqbuf.js';
import type { BackwardOptions, CellOptions } from './types.js';

/** A GRU cell with gates [reset, update, candidate]. */
export class GruCell extends CellBase {
  readonly kind = 'gru' as const;
  /** b_hn (H): the recurrent bias inside the reset product. */
  private readonly phn: ParamSlot;
  /** W_hn h_{t−1} + b_hn of every step (T,B,H). */
  private readonly hns: SeqBuf;
  /** Gradient of the recurrent pre-activations [r | u | r ⊙ ∂n] (T,B,3H). */
  private readonly dzh: SeqBuf;
  /** W_hh h_{t−1} of one step (B,3H). */
  private readonly rec: SeqBuf;
  private x: Buf;

  /** Builds the cell and initialises it from `rng`; the update-gate bias is `updateBias` (default 1, the counterpart of the LSTM's forget bias). */
  constructor(o: CellOptions, rng: Rng) {
    super({ ...o, kind: 'gru' }, 3, rng);
    const ub = o.updateBias ?? 1;
    if (!Number.isFinite(ub)) throw new RangeError(`gru: updateBias must be a finite number; got ${ub}`);
    this.bias.fill(ub, o.hidden, 2 * o.hidden);
    this.phn = new ParamSlot('bias_hn', [o.hidden], false, o.dtype);
    this.plist.push(this.phn);
    this.hns = new SeqBuf(o.dtype, o.hidden, 0, this.k);
    this.dzh = new SeqBuf(o.dtype, 3 * o.hidden, 0, this.k);
    this.rec = new SeqBuf(o.dtype, 3 * o.hidden, 0, this.k);
    this.x = this.wih.subarray(0, 0);
  }

  /** b_hn (H). */
  get biasHn(): Buf {
    return this.phn.value;
  }

  /** ∂L/∂b_hn, accumulated. */
  get dbiasHn(): Buf {
    return this.phn.grad;
  }

  /** Runs x(T,B,I); returns hs (T+1,B,H). */
  forward(x: Buf, T: number, B: number): Buf {
    this.reshape(T, B);
    this.hns.reshape(T, B);
    this.dzh.reshape(T, B);
    this.rec.reshape(1, B);
    this.x = x;
    this.project(x, T, B);
    const H = this.hidden;
    const G = 3 * H;
    const rec = this.rec.at(0);
    const bhn = this.biasHn;
    for (let t = 0; t < T; t++) {
      const a = this.zs.at(t); // (B,3H): input part in, gate activations out
      const hPrev = this.hs.at(t);
      this.k.gemmABt(rec, hPrev, this.whh, B, H, G, false); // W_hh h_{t−1} (B,3H)
      const hn = this.hns.at(t);
      const h = this.hs.at(t + 1);
      for (let b = 0; b < B; b++) {
        const ab = b * G;
        const hb = b * H;
        for (let j = 0; j < H; j++) {
          const r = 1 / (1 + Math.exp(-(a[ab + j] + rec[ab + j])));
          const u = 1 / (1 + Math.exp(-(a[ab + H + j] + rec[ab + H + j])));
          const hnv = rec[ab + 2 * H + j] + bhn[j];
          const nv = Math.tanh(a[ab + 2 * H + j] + r * hnv);
          a[ab + j] = r;
          a[ab + H + j] = u;
          a[ab + 2 * H + j] = nv;
          hn[hb + j] = hnv;
          h[hb + j] = (1 - u) * nv + u * hPrev[hb + j];
        }
      }
    }
    return this.hs.data;
  }

  /** Backpropagation through time from dH(T,B,H); accumulates dW_ih, dW_hh, db, db_hn. */
  backward(dH: Buf, T: number, B: number, o?: BackwardOptions): void {
    const H = this.hidden;
    const G = 3 * H;
    const n = B * H;
    const trunc = o?.truncate ?? 0;
    const dh = this.dh.at(0);
    const next = this.dhPrev.at(0); // ∂L/∂h_t arriving from step t + 1
    const dbhn = this.dbiasHn;
    next.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const off = t * n;
      for (let i = 0; i < n; i++) dh[i] = dH[off + i] + next[i];
      this.recordNorm(o?.gradNorms, t, dh, B);
      const a = this.zs.at(t);
      const dz = this.dzs.at(t);
      const dzh = this.dzh.at(t);
      const hn = this.hns.at(t);
      const hPrev = this.hs.at(t);
      const cut = this.cut(t, T, trunc);
      for (let b = 0; b < B; b++) {
        const ab = b * G;
        const hb = b * H;
        for (let j = 0; j < H; j++) {
          const r = a[ab + j], u = a[ab + H + j], nv = a[ab + 2 * H + j];
          const dhv = dh[hb + j];
          const dan = dhv * (1 - u) * (1 - nv * nv); // ∂/∂(pre-activation of n)
          const dar = dan * hn[hb + j] * r * (1 - r);
          const dau = dhv * (hPrev[hb + j] - nv) * u * (1 - u);
          dz[ab + j] = dar;
          dz[ab + H + j] = dau;
          dz[ab + 2 * H + j] = dan;
          dzh[ab + j] = dar;
          dzh[ab + H + j] = dau;
          const dhn = dan * r; // ∂/∂(W_hn h_{t−1} + b_hn)
          dzh[ab + 2 * H + j] = dhn;
          dbhn[j] += dhn;
          next[hb + j] = cut ? 0 : dhv * u; // the additive path: ∂h_t/∂h_{t−1} ∋ diag(u)
        }
      }
      if (!cut) this.k.gemm(next, dzh, this.whh, B, G, H, true); // += dzh_t·W_hh
    }
    this.weightGrads(this.x, T, B, o, this.dzh.from(0));
  }
}
