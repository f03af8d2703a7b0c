/**
 * Time-major sequence storage for the recurrent core: one flat buffer of
 * slots × B × W elements (slot s holds B rows of W numbers), grown to the
 * largest (T, B) seen and never shrunk, with per-slot views cached so the
 * forward and backward loops allocate nothing while B stays the same.
 */
import { alloc, type Buf, type DType } from '../../tensor/dtype.js';
import { allocFor, type Kernels } from '../../tensor/kernels.js';

/** A (slots, B, W) buffer with cached per-slot views. */
export class SeqBuf {
  /** The storage; slot s starts at s·B·W. May be longer than needed. */
  data: Buf;
  private exact: Buf[] = [];
  private tails: Buf[] = [];
  private rows = -1;

  /** Creates an empty buffer of rows of `width` elements; `extra` slots beyond T (1 for h₀ in front); storage from `kernels.alloc` when given. */
  constructor(
    private readonly dtype: DType,
    /** W: elements per example and slot. */
    readonly width: number,
    private readonly extra = 0,
    private readonly kernels?: Kernels,
  ) {
    this.data = alloc(dtype, 0);
  }

  /** Makes room for T + extra slots of B rows; rebuilds views only when B or the storage changes. */
  reshape(T: number, B: number): void {
    const slots = T + this.extra;
    const n = slots * B * this.width;
    let rebuild = B !== this.rows || slots > this.exact.length;
    if (n > this.data.length) {
      this.data = this.kernels ? allocFor(this.kernels, this.dtype, n) : alloc(this.dtype, n);
      rebuild = true;
    }
    if (!rebuild) return;
    const step = B * this.width;
    // views for the slots in use only: one per slot the storage could hold would grow with the largest B over the smallest
    const count = slots;
    this.exact = [];
    this.tails = [];
    for (let s = 0; s < count; s++) {
      this.exact.push(this.data.subarray(s * step, (s + 1) * step));
      this.tails.push(this.data.subarray(s * step));
    }
    this.rows = B;
  }

  /** Slot s exactly: B·W elements. */
  at(s: number): Buf {
    return this.exact[s];
  }

  /** Everything from slot s to the end of the storage (for one gemm over many slots). */
  from(s: number): Buf {
    return this.tails[s];
  }
}
