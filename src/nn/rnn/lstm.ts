/**
 * The LSTM cell (Hochreiter & Schmidhuber 1997, with the forget gate of Gers
 * et al. 2000), forward and backward through time. Gates stacked [i | f | g | o]:
 *
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o),   z = W_ih x_t + W_hh h_{t−1} + b
 *   c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
 *
 * The cell state is updated additively: ∂c_t/∂c_{t−1} = diag(f), with no
 * weight matrix and no squashing derivative in the way, so with f ≈ 1 the
 * gradient is carried across many steps (the "constant error carousel").
 * The forget-gate bias starts at 1 by default so f ≈ σ(1) ≈ 0.73 early on.
 *
 * The gate arithmetic of a step (the loops of reference.ts) runs as one
 * fused wasm kernel per step on float32 with the wasm kernels and H a
 * multiple of 4: the forward's exponentials are float32 polynomials there
 * (within float32 rounding of the reference), the backward is float64 as
 * the reference, so the same numbers.
 */
import type { Buf } from '../../tensor/dtype.js';
import type { Rng } from '../../tensor/rng.js';
import type { FusedOps } from '../../tensor/wasm/fused.js';
import { referenceOps } from '../../tensor/wasm/reference.js';
import { CellBase } from './base.js';
import { SeqBuf } from './seqbuf.js';
import type { BackwardOptions, CellOptions } from './types.js';

/** An LSTM cell with gates [input, forget, candidate, output]. */
export class LstmCell extends CellBase {
  readonly kind = 'lstm' as const;
  /** Cell states (T+1,B,H), c₀ = 0 in slot 0. */
  private readonly cs: SeqBuf;
  /** tanh(c_t) of every step (T,B,H). */
  private readonly tcs: SeqBuf;
  /** ∂L/∂c flowing back from step t + 1 (B,H). */
  private readonly dc: SeqBuf;
  private x: Buf;

  /** Builds the cell; the forget-gate bias is `forgetBias` (default 1). */
  constructor(o: CellOptions, rng: Rng) {
    super({ ...o, kind: 'lstm' }, 4, rng);
    const fb = o.forgetBias ?? 1;
    if (!Number.isFinite(fb)) throw new RangeError(`lstm: forgetBias must be a finite number; got ${fb}`);
    this.bias.fill(fb, this.hidden, 2 * this.hidden);
    this.cs = new SeqBuf(o.dtype, o.hidden, 1, this.k);
    this.tcs = new SeqBuf(o.dtype, o.hidden, 0, this.k);
    this.dc = new SeqBuf(o.dtype, o.hidden, 0, this.k);
    this.x = this.wih.subarray(0, 0);
  }

  /** The per-step gate kernels: the fused wasm ones where they apply, else the TypeScript loops. */
  private gateOps(): Pick<FusedOps, 'lstmForward' | 'lstmBackward'> {
    const f = this.k.fused;
    return f !== undefined && this.dtype === 'float32' && this.hidden % 4 === 0 ? f : referenceOps;
  }

  /** Runs x(T,B,I); returns hs (T+1,B,H). */
  forward(x: Buf, T: number, B: number): Buf {
    this.reshape(T, B);
    this.cs.reshape(T, B);
    this.tcs.reshape(T, B);
    this.dc.reshape(1, B);
    this.x = x;
    this.project(x, T, B);
    const H = this.hidden;
    const G = 4 * H;
    this.cs.at(0).fill(0);
    const ops = this.gateOps();
    for (let t = 0; t < T; t++) {
      const a = this.zs.at(t); // (B,4H): pre-activations in, gate activations out
      this.k.gemmABt(a, this.hs.at(t), this.whh, B, H, G, true);
      ops.lstmForward(a, this.cs.at(t), this.cs.at(t + 1), this.tcs.at(t), this.hs.at(t + 1), B, H);
    }
    return this.hs.data;
  }

  /** Backpropagation through time from dH(T,B,H); accumulates dW_ih, dW_hh, db. */
  backward(dH: Buf, T: number, B: number, o?: BackwardOptions): void {
    const H = this.hidden;
    const G = 4 * H;
    const n = B * H;
    const trunc = o?.truncate ?? 0;
    const dh = this.dh.at(0);
    const next = this.dhPrev.at(0); // ∂L/∂h_t arriving from step t + 1
    const dc = this.dc.at(0); // ∂L/∂c_t arriving from step t + 1, then the total
    next.fill(0);
    dc.fill(0);
    const ops = this.gateOps();
    for (let t = T - 1; t >= 0; t--) {
      const off = t * n;
      for (let i = 0; i < n; i++) dh[i] = dH[off + i] + next[i];
      this.recordNorm(o?.gradNorms, t, dh, B);
      const cut = this.cut(t, T, trunc);
      ops.lstmBackward(this.dzs.at(t), this.zs.at(t), this.tcs.at(t), this.cs.at(t), dh, dc, B, H, cut);
      if (cut) next.fill(0);
      else this.k.gemm(next, this.dzs.at(t), this.whh, B, G, H, false); // ∂L/∂h_{t−1} = dz_t·W_hh
    }
    this.weightGrads(this.x, T, B, o);
  }
}
