/**
 * A heap: one WebAssembly memory with an instance of the kernels over it.
 * A network gets its own heap (Kernels.forNetwork), and its layers allocate
 * their parameters, gradients, activations and scratch in it, so the kernels
 * run on them in place — no copies between JavaScript and wasm memory inside
 * a step. Operands that live elsewhere are copied through a scratch region,
 * reused from call to call.
 *
 * The memory is shared where the engine allows it (Node; a
 * cross-origin-isolated page): growing a shared memory never detaches the
 * views made before, so buffers can be handed out and kept, and worker
 * threads can run the same kernels on the same memory. An unshared memory
 * detaches every view when it grows, so an unshared heap hands out no views
 * (alloc gives ordinary arrays) and only copies operands in and out.
 *
 * The allocator only bumps: a network's buffers live as long as the network
 * (a batch-size buffer that grows leaves its old region unused), and the
 * whole memory is freed by the garbage collector with the last view of it
 * (which this thread's collector, when one is set, runs often enough).
 *
 * Which memory a view belongs to is not simply `view.buffer === memory.buffer`:
 * V8 gives every shared memory a new SharedArrayBuffer object whenever any
 * shared memory in the process grows (the old objects stay valid views of
 * the same bytes). So each heap writes its id at a fixed address, and a
 * buffer object seen for the first time is identified by reading it there
 * (once; the answer is cached per object).
 */
import { instantiateOver, MAX_PAGES, type KernelExports, type KernelVariant } from './module.js';

const ALIGN = 64;
const PAGE = 65536;
/** Byte address of every heap's id: [MAGIC, id] (the kernels' static data ends at or before it). */
const ID_AT = 1024;
const MAGIC = 0x67726164; // 'grad'

/**
 * New wasm memory (bytes created or grown) in this thread after which the
 * collector runs. V8 does not count a shared memory's bytes toward the
 * external memory that schedules its garbage collections, so without one a
 * thread that builds thousands of networks (the study, a long sweep) holds
 * every dead network's memory until the JavaScript heap alone asks for a
 * collection: 19 GB in the full study. With it, the memory held by
 * networks nobody references stays below about twice this per thread.
 */
export const COLLECT_AFTER_BYTES = 256 * 2 ** 20;
let grownSinceCollect = 0;
let collector: (() => void) | null = null;

/** Sets how this thread frees the memories of heaps nobody references (Node: a full garbage collection; null: leave it to the engine). */
export function setHeapCollector(collect: (() => void) | null): void {
  collector = collect;
  grownSinceCollect = 0;
}

/** Counts `bytes` of new wasm memory in this thread, collecting when COLLECT_AFTER_BYTES have accumulated. */
function grew(bytes: number): void {
  grownSinceCollect += bytes;
  if (collector !== null && grownSinceCollect >= COLLECT_AFTER_BYTES) {
    grownSinceCollect = 0;
    collector();
  }
}

/** The heap id of each ArrayBuffer object seen (0: none), read once per object. */
const idOf = new WeakMap<ArrayBufferLike, number>();
let nextId = 1;

/** Reads the heap id at ID_AT of a buffer object (0 when it holds none). */
function readId(b: ArrayBufferLike): number {
  if (b.byteLength < ID_AT + 8) return 0;
  const w = new Int32Array(b, ID_AT, 2);
  return w[0] === MAGIC ? w[1] : 0;
}

/** Rounds `n` bytes up to the heap's alignment (a cache line). */
function align(n: number): number {
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}

/** One memory, its kernel instance and a bump allocator over it. */
export class Heap {
  readonly memory: WebAssembly.Memory;
  readonly mod: KernelExports;
  /** Byte offset of 64 bytes of scratch for the fused kernels' ragged tails. */
  readonly tmp: number;
  /** Byte offset of this thread's packing workspace for the products. */
  readonly ws: number;
  /** This heap's id, written at ID_AT. */
  private readonly id: number;
  /** The buffer object last found to be this memory's (the usual answer, checked first). */
  private last: ArrayBufferLike;
  private view: Float32Array;
  private top: number;
  private scratch = 0;
  private scratchBytes = 0;
  private cursor = 0;
  private list = 0;
  private listBytes = 0;

  /** Creates the memory (shared or not) and instantiates `module` (compiled for that sharing) over it. */
  constructor(
    readonly module: WebAssembly.Module,
    readonly variant: KernelVariant,
    readonly shared: boolean,
  ) {
    grew(16 * PAGE);
    this.memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared });
    this.mod = instantiateOver(module, this.memory);
    if (this.mod.heapBase() > ID_AT) throw new Error(`heap: the kernels' static data ends at ${this.mod.heapBase()}, past the heap id at ${ID_AT}`);
    this.id = nextId++;
    const idWords = new Int32Array(this.memory.buffer, ID_AT, 2);
    idWords[0] = MAGIC;
    idWords[1] = this.id;
    this.view = new Float32Array(this.memory.buffer);
    this.last = this.memory.buffer;
    idOf.set(this.last, this.id);
    this.top = ID_AT + ALIGN;
    this.tmp = this.reserve(ALIGN);
    this.ws = this.reserve(this.mod.workspaceBytes());
  }

  /** Bytes of memory in use by the allocator. */
  get used(): number {
    return this.top;
  }

  /** Grows the memory to hold `end` bytes (at least doubling, to grow rarely). */
  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.min(MAX_PAGES, Math.max(Math.ceil(end / PAGE), 2 * (have / PAGE)));
    if (pages * PAGE < end) throw new RangeError(`heap: a wasm memory holds at most 4 GiB; ${end} bytes were asked for`);
    grew(pages * PAGE - have);
    this.memory.grow(pages - have / PAGE);
    this.view = new Float32Array(this.current());
  }

  /** The memory's current buffer object, remembered as this heap's. */
  private current(): ArrayBufferLike {
    const b = this.memory.buffer;
    if (b !== this.last) {
      this.last = b;
      idOf.set(b, this.id);
    }
    return b;
  }

  /** Reserves `bytes` (64-byte aligned) for good; returns the byte offset. */
  reserve(bytes: number): number {
    const at = align(this.top);
    this.top = at + align(bytes);
    this.ensure(this.top);
    return at;
  }

  /** Byte offset of a region of at least `bytes` for a product's nonzero list (sparse products), reused from call to call. */
  listArea(bytes: number): number {
    if (bytes > this.listBytes) {
      this.listBytes = Math.max(align(bytes), 2 * this.listBytes);
      this.list = this.reserve(this.listBytes);
    }
    return this.list;
  }

  /** A zero-filled float32 view of n elements in this memory (shared heaps only: an unshared one detaches its views when it grows). */
  alloc(n: number): Float32Array {
    if (!this.shared) throw new Error('heap.alloc: an unshared memory cannot hand out views');
    const at = this.reserve(n * 4);
    return new Float32Array(this.current(), at, n);
  }

  /** True when x is a view of this memory (its byteOffset is then its address for the kernels). */
  owns(x: ArrayBufferView): boolean {
    const b = x.buffer;
    if (b === this.last) return true;
    let id = idOf.get(b);
    if (id === undefined) {
      id = this.shared ? readId(b) : b === this.memory.buffer ? this.id : 0;
      idOf.set(b, id);
    }
    return id === this.id;
  }

  /** Starts a call that copies up to `bytes` of foreign operands: makes room and rewinds the scratch cursor. */
  begin(bytes: number): void {
    if (bytes > this.scratchBytes) {
      this.scratchBytes = Math.max(align(bytes), 2 * this.scratchBytes);
      this.scratch = this.reserve(this.scratchBytes);
    }
    this.cursor = this.scratch;
  }

  /** Scratch bytes a copy of n float32 takes. */
  static slot(n: number): number {
    return align(n * 4);
  }

  /** Byte offset of a scratch slot for x[0..n), filled from x when `copyIn`. */
  put(x: Float32Array, n: number, copyIn: boolean): number {
    const at = this.cursor;
    this.cursor += align(n * 4);
    if (copyIn) this.viewOf().set(x.length === n ? x : x.subarray(0, n), at >> 2);
    return at;
  }

  /** Copies the n elements at byte offset `at` back into x. */
  take(x: Float32Array, at: number, n: number): void {
    x.set(this.viewOf().subarray(at >> 2, (at >> 2) + n));
  }

  /** A float32 view of the whole memory (re-made when an unshared memory's growth detached it). */
  private viewOf(): Float32Array {
    if (this.view.length === 0 && this.memory.buffer.byteLength > 0) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }
}
