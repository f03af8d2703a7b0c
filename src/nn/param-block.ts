/**
 * All of a network's parameters in one contiguous buffer and their gradients
 * in another with the same layout (as llm.c keeps `params_memory` and
 * `grads_memory`): the layers hold views, so zeroing the gradients is one
 * fill, the gradient norm one pass, and the optimiser one loop over the
 * block per parameter, with its state in blocks of the same layout. With the
 * wasm kernels the blocks live in the network's wasm memory, where the
 * fused kernels update them in place.
 */
import type { Buf, DType } from '../tensor/dtype.js';
import { allocFor, type Kernels } from '../tensor/kernels.js';
import { ParamSlot, type Param } from './layer.js';

/** One network's parameters and gradients, each in one buffer. */
export class ParamBlock {
  /** Element offset of each parameter in the block, and the total at the end. */
  readonly offsets: readonly number[];

  private constructor(
    /** The parameters, in block order. */
    readonly params: readonly Param[],
    /** Every parameter's value, back to back. */
    readonly values: Buf,
    /** Every gradient, in the same layout. */
    readonly grads: Buf,
    /** The kernels the block's buffers were allocated for. */
    readonly kernels: Kernels,
    offsets: number[],
  ) {
    this.offsets = offsets;
  }

  /** Number of scalar parameters. */
  get size(): number {
    return this.values.length;
  }

  /**
   * The block of `params`: the one they already form (same parameters, same
   * order), or a new one they move into — when every one is a fresh
   * ParamSlot of `dtype`, none repeated. Null when they cannot form one
   * (parameters of another block mixed in, as when layers are shared between
   * networks; plain parameter objects; an empty list): callers then work
   * parameter by parameter.
   */
  static adopt(params: readonly Param[], kernels: Kernels, dtype: DType): ParamBlock | null {
    const existing = ParamBlock.of(params);
    if (existing !== null || params.length === 0) return existing;
    const seen = new Set<Param>();
    for (const p of params) {
      if (!(p instanceof ParamSlot) || p.block !== null || seen.has(p) || (p.value instanceof Float64Array) !== (dtype === 'float64')) return null;
      seen.add(p);
    }
    const offsets = [0];
    for (const p of params) offsets.push(offsets[offsets.length - 1] + p.value.length);
    const n = offsets[offsets.length - 1];
    const block = new ParamBlock(params, allocFor(kernels, dtype, n), allocFor(kernels, dtype, n), kernels, offsets);
    params.forEach((p, i) => (p as ParamSlot).moveTo(block, block.values.subarray(offsets[i], offsets[i + 1]), block.grads.subarray(offsets[i], offsets[i + 1])));
    return block;
  }

  /** The block `params` form exactly (its parameters, in its order), or null. */
  static of(params: readonly Param[]): ParamBlock | null {
    const first = params[0];
    if (!(first instanceof ParamSlot) || !(first.block instanceof ParamBlock)) return null;
    const b = first.block;
    if (b.params.length !== params.length) return null;
    for (let i = 0; i < params.length; i++) if (b.params[i] !== params[i]) return null;
    return b;
  }

  /** A buffer of the block's size and dtype, allocated like it (optimiser state). */
  like(): Buf {
    return allocFor(this.kernels, this.values instanceof Float64Array ? 'float64' : 'float32', this.values.length);
  }
}
