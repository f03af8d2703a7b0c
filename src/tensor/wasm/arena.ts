/**
 * The scratch arena in a kernel module's linear memory. The layers own
 * ordinary Float32Arrays, so a call copies its operands in (memcpy speed),
 * runs, and copies its results out. The arena grows (never shrinks) to the
 * largest call seen; growing replaces `memory.buffer`, so the arena's view of
 * it is re-created after every growth and never handed out.
 */
import type { KernelExports } from './module.js';

const ALIGN = 64;
const PAGE = 65536;

/** Rounds `n` bytes up to the arena's alignment (a cache line). */
function align(n: number): number {
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}

/** A bump allocator over one module's memory, reset at every call. */
export class Arena {
  /** First free byte after the module's static data. */
  readonly base: number;
  /** Byte offset of the matrix products' packing workspace. */
  readonly workspace: number;
  /** Byte offset of 64 bytes of scratch for the fused kernels' ragged tails. */
  readonly tmp: number;
  private readonly slots: number;
  private view: Float32Array;
  private cursor = 0;

  /** Lays out the fixed regions after the module's static data. */
  constructor(readonly mod: KernelExports) {
    this.base = align(mod.heapBase());
    this.tmp = this.base;
    this.workspace = this.base + ALIGN;
    this.slots = this.workspace + align(mod.workspaceBytes());
    this.view = new Float32Array(mod.memory.buffer);
    this.begin(0);
  }

  /** Bytes of a slot for `n` float32 elements. */
  static slot(n: number): number {
    return align(n * 4);
  }

  /** Starts a call needing `bytes` of slots: grows the memory if needed and rewinds the cursor. */
  begin(bytes: number): void {
    const need = this.slots + bytes;
    const have = this.mod.memory.buffer.byteLength;
    if (need > have) this.mod.memory.grow(Math.ceil((need - have) / PAGE));
    if (this.view.buffer !== this.mod.memory.buffer) this.view = new Float32Array(this.mod.memory.buffer);
    this.cursor = this.slots;
  }

  /** Byte offset of a new slot for x[0..n), filled from x when `copyIn`. */
  put(x: Float32Array, n: number, copyIn: boolean): number {
    const at = this.cursor;
    this.cursor += align(n * 4);
    if (copyIn) this.view.set(x.length === n ? x : x.subarray(0, n), at >> 2);
    return at;
  }

  /** Copies the n elements of the slot at byte offset `at` back into x. */
  take(x: Float32Array, at: number, n: number): void {
    x.set(this.view.subarray(at >> 2, (at >> 2) + n));
  }
}
