/**
 * Kernel threads: worker threads that run the wasm kernels on the same
 * shared memory as the caller, so one large product is split across cores.
 * The caller computes one block of C and each worker another (columns in
 * multiples of the 8-wide strip, or rows in multiples of the 4-row panel);
 * every element of C is computed by one thread with the same operations in
 * the same order, so the split product is bit-identical to the whole one.
 *
 * The hand-off goes through a small shared control block with Atomics: the
 * caller writes a job into a worker's slot, bumps the slot's sequence number
 * and notifies; the worker spins briefly, then sleeps on it, runs the job and
 * posts the sequence number back. A worker learns of a new memory (each
 * network has its own heap) by a message, read when a job tells it to go
 * back to its event loop. Nothing here imports a platform module: the
 * caller passes how to start a worker (Node's worker_threads from the
 * program's source text; a browser's Worker from a module calling
 * threadProgram, which a page's script policy allows where a Blob URL or
 * eval would not be).
 */
import type { Heap } from './heap.js';

/** The three matrix products. */
export type ProductName = 'gemm' | 'gemmABt' | 'gemmAtB';

/** The products' codes in the control block. */
export const PRODUCT_CODES: Readonly<Record<ProductName, number>> = { gemm: 0, gemmABt: 1, gemmAtB: 2 };

/** The optimiser updates' codes in the control block. */
export const UPDATE_CODES = { sgd: 3, momentum: 4 } as const;

/** Threads that split products. */
export interface KernelThreads {
  /** Threads a product is split over, the caller's included. */
  readonly size: number;
  /**
   * Computes the product `code` (PRODUCT_CODES) on the heap's memory split
   * over the threads; false, with nothing done, when C is too narrow and too
   * short to split.
   */
  product(heap: Heap, code: number, c: number, a: number, b: number, M: number, K: number, N: number, acc: boolean): boolean;
  /**
   * Runs an optimiser update (UPDATE_CODES) over n float32 elements at byte
   * offsets w, g (and v, momentum) split over the threads in runs of 4
   * elements; returns ‖Δw‖², the sum of the threads' partial sums (so its
   * rounding, not the weights, depends on the split), or null, with nothing
   * done, when the threads are not ready.
   */
  update(heap: Heap, code: number, w: number, g: number, v: number, n: number, lr: number, mu: number, decay: number): number | null;
  /** Resolves when every worker is running (until then products are not split; a browser worker starts only once its parent yields to its event loop). */
  whenReady(): Promise<void>;
  /** Stops the workers. */
  close(): void;
}

/** What the pool needs of a worker (a Node worker_threads Worker or a browser Worker). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** Starts a worker running the thread program: Node from `source` (threadSource()), a browser from its own worker module calling threadProgram. */
export type WorkerFactory = (source: string) => WorkerLike;

let current: KernelThreads | null = null;

/** The kernel threads products are split over, or null (one thread). */
export function kernelThreads(): KernelThreads | null {
  return current;
}

/** Sets (or, with null, clears) the kernel threads every heap's products use; returns the previous ones. */
export function setKernelThreads(t: KernelThreads | null): KernelThreads | null {
  const prev = current;
  current = t;
  return prev;
}

// Control block: one slot of 16 int32 per worker.
const SLOT = 16;
const SEQ = 0; // bumped by the caller to post a job
const DONE = 1; // set to the job's sequence number by the worker when finished (its negative when the job threw)
const OP = 2; // 0–2 a product, ATTACH, EXIT
const HEAP = 3; // the heap's id
const ARGS = 4; // products: c, a, b, ws, M, K, N, acc, m0, m1, n0, n1; updates: lr, mu, decay (float64, 2 words each), w, g, v, n; the update's result (float64) comes back in the first two
const READY = 15; // set to 1 by the worker once it runs
const ATTACH = 9;
const EXIT = 10;

/** How a kernel thread receives its messages: calls the handler with each message's data. */
export type ThreadListen = (handler: (message: Record<string, unknown>) => void) => void;

/**
 * A kernel thread's program: receives {ctl, slot} first, then {attach: id,
 * memory, module} and {detach: id} messages, and runs the jobs posted in its
 * slot of the control block. Self-contained (no import, no outer variable) so
 * Node can run it from its source text (threadSource); a browser worker
 * module calls it directly.
 */
export function threadProgram(listen: ThreadListen): void {
  const SLOT = 16, SEQ = 0, DONE = 1, OP = 2, HEAP = 3, ARGS = 4, READY = 15, ATTACH = 9, EXIT = 10, SPIN_MS = 2, SGD = 3, MOMENTUM = 4;
  const names = ['gemm', 'gemmABt', 'gemmAtB'];
  let f64: Float64Array<ArrayBufferLike> = new Float64Array(0);
  const instances = new Map<unknown, Record<string, (...args: number[]) => void>>();
  let ctl: Int32Array<ArrayBufferLike> = new Int32Array(0);
  let base = 0;
  let seq = 0;
  // runs jobs until one says ATTACH (go back to the event loop for the message) or EXIT
  const loop = (): void => {
    for (;;) {
      // spin for SPIN_MS after the last job (the next product usually follows within microseconds, and
      // waking a sleeping thread costs tens to hundreds of µs on a virtual machine), then sleep
      let spins = 0;
      let since = 0;
      while (Atomics.load(ctl, base + SEQ) === seq) {
        if ((++spins & 255) !== 0) continue;
        const now = performance.now();
        if (since === 0) since = now;
        else if (now - since > SPIN_MS) Atomics.wait(ctl, base + SEQ, seq, 1000);
      }
      seq = Atomics.load(ctl, base + SEQ);
      const op = ctl[base + OP];
      if (op === EXIT || op === ATTACH) return;
      try {
        const inst = instances.get(ctl[base + HEAP]);
        const u = (i: number): number => ctl[base + ARGS + i] >>> 0;
        if (inst === undefined) throw new Error('kernel thread: unknown heap');
        const fa = (base + ARGS) >> 1;
        if (op === SGD) f64[fa] = (inst.sgdStep as unknown as (...a: number[]) => number)(u(6), u(7), u(9), f64[fa], f64[fa + 2]);
        else if (op === MOMENTUM) f64[fa] = (inst.momentumStep as unknown as (...a: number[]) => number)(u(6), u(7), u(8), u(9), f64[fa], f64[fa + 1], f64[fa + 2]);
        else inst[names[op]](u(0), u(1), u(2), u(4), u(5), u(6), u(7), u(3), u(8), u(9), u(10), u(11));
        Atomics.store(ctl, base + DONE, seq);
      } catch {
        Atomics.store(ctl, base + DONE, -seq);
      }
      Atomics.notify(ctl, base + DONE);
    }
  };
  listen((m) => {
    if (m.ctl) {
      ctl = m.ctl as Int32Array;
      f64 = new Float64Array(ctl.buffer);
      base = (m.slot as number) * SLOT;
      Atomics.store(ctl, base + READY, 1);
      loop();
    } else if (m.attach !== undefined) {
      const inst = new WebAssembly.Instance(m.module as WebAssembly.Module, { env: { memory: m.memory as WebAssembly.Memory } });
      instances.set(m.attach, inst.exports as unknown as Record<string, (...args: number[]) => void>);
      Atomics.store(ctl, base + DONE, seq);
      Atomics.notify(ctl, base + DONE);
      loop();
    } else if (m.detach !== undefined) {
      instances.delete(m.detach);
    }
  });
}

/**
 * The thread program as JavaScript source for Node's `new Worker(source,
 * { eval: true })`, listening on worker_threads' parentPort (which holds
 * messages until it listens).
 */
export function threadSource(): string {
  return `(${threadProgram.toString()})((h) => { import('node:worker_threads').then((m) => m.parentPort.on('message', h)); });`;
}

/** Kernel threads that start their workers at the first product they split. */
export function lazyKernelThreads(n: number, spawn: WorkerFactory): KernelThreads {
  let pool: KernelThreads | null = null;
  return {
    size: n,
    product(heap, code, c, a, b, M, K, N, acc) {
      pool ??= startKernelThreads(n, spawn);
      return pool.product(heap, code, c, a, b, M, K, N, acc);
    },
    update(heap, code, w, g, v, count, lr, mu, decay) {
      pool ??= startKernelThreads(n, spawn);
      return pool.update(heap, code, w, g, v, count, lr, mu, decay);
    },
    whenReady() {
      pool ??= startKernelThreads(n, spawn);
      return pool.whenReady();
    },
    close() {
      pool?.close();
      pool = null;
    },
  };
}

/** How long the caller spins on a worker's answer before it sleeps (ms). */
const SPIN_MS = 2;

/** How long the caller waits for a worker before giving up on the threads (ms). */
const TIMEOUT_MS = 30_000;

/** A pool of `n − 1` workers (the caller is thread number n); products split n ways. */
export function startKernelThreads(n: number, spawn: WorkerFactory): KernelThreads {
  if (!(Number.isInteger(n) && n >= 2 && n <= 64)) throw new RangeError(`startKernelThreads: 'n' must be an integer in 2 … 64; got ${n}`);
  const W = n - 1;
  const ctl = new Int32Array(new SharedArrayBuffer(4 * SLOT * W));
  const f64 = new Float64Array(ctl.buffer);
  const workers: WorkerLike[] = [];
  const source = threadSource();
  for (let w = 0; w < W; w++) {
    const worker = spawn(source);
    worker.postMessage({ ctl, slot: w });
    workers.push(worker);
  }
  const ids = new WeakMap<Heap, { id: number; ws: number[] }>();
  let nextId = 1;
  let closed = false;
  const gone = new FinalizationRegistry<number>((id) => {
    if (!closed) for (const w of workers) w.postMessage({ detach: id });
  });

  /** Posts a job to worker w: writes the (int32) arguments from word `at` of its arguments, then bumps its sequence number. */
  const post = (w: number, op: number, heapId: number, args: readonly number[], at = 0): number => {
    const s = w * SLOT;
    ctl[s + OP] = op;
    ctl[s + HEAP] = heapId;
    for (let i = 0; i < args.length; i++) ctl[s + ARGS + at + i] = args[i] | 0;
    const seq = (ctl[s + SEQ] + 1) | 0;
    Atomics.store(ctl, s + SEQ, seq);
    Atomics.notify(ctl, s + SEQ);
    return seq;
  };

  /** Waits until worker w has finished job `seq`; throws when it failed or never answered. */
  const wait = (w: number, seq: number): void => {
    const s = w * SLOT + DONE;
    let spins = 0;
    let t0 = 0;
    for (;;) {
      const d = Atomics.load(ctl, s);
      if (d === seq) return;
      if (d === -seq) throw new Error(`kernel thread ${w + 1}: the job failed`);
      if ((++spins & 255) !== 0) continue;
      // spin for SPIN_MS (the worker's half usually ends within microseconds of ours), then sleep
      const now = performance.now();
      if (t0 === 0) t0 = now;
      else if (now - t0 > SPIN_MS) {
        Atomics.wait(ctl, s, d, 100);
        if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`kernel thread ${w + 1} did not answer within ${TIMEOUT_MS / 1000} s`);
      }
    }
  };

  /** The heap's id and per-worker workspaces, attaching its memory to every worker the first time. */
  const attached = (heap: Heap): { id: number; ws: number[] } => {
    let h = ids.get(heap);
    if (h !== undefined) return h;
    h = { id: nextId++, ws: workers.map(() => heap.reserve(heap.mod.workspaceBytes())) };
    for (const w of workers) w.postMessage({ attach: h.id, memory: heap.memory, module: heap.module });
    const seqs = workers.map((_, w) => post(w, ATTACH, 0, []));
    seqs.forEach((seq, w) => wait(w, seq));
    ids.set(heap, h);
    gone.register(heap, h.id);
    return h;
  };

  let ready = false;
  const allReady = (): boolean => {
    if (!ready) ready = workers.every((_, w) => Atomics.load(ctl, w * SLOT + READY) === 1);
    return ready;
  };
  const job = new Array<number>(12);
  const upd = new Array<number>(4);
  return {
    size: n,
    product(heap, code, c, a, b, M, K, N, acc) {
      if (closed || !allReady()) return false;
      // columns in whole 8-wide strips when there are enough, else rows in whole 4-row panels
      const byCols = N >= 16 * n;
      if (!byCols && M < 8 * n) return false;
      const h = attached(heap);
      const units = byCols ? Math.ceil(N / 8) : Math.ceil(M / 4);
      const size = byCols ? 8 : 4;
      const extent = byCols ? N : M;
      const cut = (t: number): number => Math.min(extent, Math.round((units * t) / n) * size);
      const seqs: number[] = [];
      for (let w = 0; w < W; w++) {
        const lo = cut(w + 1);
        const hi = cut(w + 2);
        job[0] = c; job[1] = a; job[2] = b; job[3] = h.ws[w];
        job[4] = M; job[5] = K; job[6] = N; job[7] = acc ? 1 : 0;
        job[8] = byCols ? 0 : lo; job[9] = byCols ? M : hi; job[10] = byCols ? lo : 0; job[11] = byCols ? hi : N;
        seqs.push(post(w, code, h.id, job));
      }
      const hi0 = cut(1);
      const run = code === 0 ? heap.mod.gemm : code === 1 ? heap.mod.gemmABt : heap.mod.gemmAtB;
      run(c, a, b, M, K, N, acc ? 1 : 0, heap.ws, 0, byCols ? M : hi0, 0, byCols ? hi0 : N);
      for (let w = 0; w < W; w++) wait(w, seqs[w]);
      return true;
    },
    update(heap, code, w, g, v, count, lr, mu, decay) {
      if (closed || !allReady()) return null;
      const h = attached(heap);
      // runs of 4 elements, so every thread's part starts on a 16-byte boundary of the arrays
      const cut = (t: number): number => (t >= n ? count : Math.min(count, Math.round((count * t) / (4 * n)) * 4));
      const seqs: number[] = [];
      for (let q = 0; q < W; q++) {
        const lo = cut(q + 1);
        const hi = cut(q + 2);
        const fa = (q * SLOT + ARGS) >> 1;
        f64[fa] = lr;
        f64[fa + 1] = mu;
        f64[fa + 2] = decay;
        upd[0] = w + 4 * lo; upd[1] = g + 4 * lo; upd[2] = v === 0 ? 0 : v + 4 * lo; upd[3] = hi - lo;
        seqs.push(post(q, code, h.id, upd, 6));
      }
      const n0 = cut(1);
      let sum = code === UPDATE_CODES.sgd ? heap.mod.sgdStep(w, g, n0, lr, decay) : heap.mod.momentumStep(w, g, v, n0, lr, mu, decay);
      for (let q = 0; q < W; q++) {
        wait(q, seqs[q]);
        sum += f64[(q * SLOT + ARGS) >> 1];
      }
      return sum;
    },
    async whenReady() {
      while (!closed && !allReady()) await new Promise((r) => setTimeout(r, 2));
    },
    close() {
      if (closed) return;
      closed = true;
      for (let w = 0; w < W; w++) post(w, EXIT, 0, []);
      for (const w of workers) w.terminate();
      if (current === this) current = null;
    },
  };
}
