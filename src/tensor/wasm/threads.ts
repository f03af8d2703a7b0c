/**
 * Kernel threads: worker threads that run the wasm kernels on the same
 * shared memory as the caller, so one large product or optimiser update is
 * split across cores.
 *
 * A job is cut into a fixed number of chunks (blocks of C's columns in whole
 * 8-wide strips, or of its rows in whole 4-row panels; runs of 4 elements of
 * an update), and every thread, the caller included, claims the next chunk
 * from a shared counter until none is left. So a worker that starts late, or
 * that the system does not schedule at all because other programs hold the
 * cores, costs no waiting: the caller does its chunks too, and waits only for
 * a chunk a worker has claimed and not yet finished. Every element of C is
 * computed by one thread with the same operations in the same order, so the
 * split product is bit-identical to the whole one; an update's ‖Δw‖² adds the
 * chunks' partial sums in chunk order, so it does not depend on which thread
 * ran which chunk either.
 *
 * The hand-off goes through a small shared control block with Atomics: the
 * caller closes the previous job's counter, writes the job, opens the counter
 * under the job's sequence number and rings the bell (notifying only when a
 * worker sleeps); a worker spins briefly on the bell, then sleeps on it. A
 * worker claims a chunk by compare-and-swap on a counter that carries the
 * job's sequence number, so a worker still holding an older job's arguments
 * can never claim a chunk of a newer job. A worker learns of a new memory
 * (each network has its own heap) by a message, read when a job tells every
 * worker to go back to its event loop. Nothing here imports a platform
 * module: the caller passes how to start a worker (Node's worker_threads
 * from the program's source text; a browser's Worker from a module calling
 * threadProgram, which a page's script policy allows where a Blob URL or
 * eval would not be).
 */
import type { Heap } from './heap.js';
import { SPARSE_CODES } from './sparse.js';

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
  /** How the jobs went so far: split (`shared`), run alone after a hold-up, the hold-ups, and the caller's time waiting for workers. */
  stats(): ThreadStats;
  /** Resolves when every worker is running (until then products are not split; a browser worker starts only once its parent yields to its event loop). */
  whenReady(): Promise<void>;
  /** Stops the workers. */
  close(): void;
}

/** Counts of a pool's jobs (KernelThreads.stats). */
export interface ThreadStats {
  /** Jobs split over the threads. */
  readonly shared: number;
  /** Jobs run on the calling thread alone because a worker had held it up just before. */
  readonly alone: number;
  /** Split jobs in which a worker held the caller up (it was off its core mid-chunk). */
  readonly holdUps: number;
  /** Time the caller spent waiting for workers' chunks, in all (ms). */
  readonly waitedMs: number;
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

// Control block (int32 words). The thread program repeats these numbers: it may use no outer variable.
const SEQ = 0; // the bell: the sequence number of the last job posted
const OP = 1; // 0–2 a product, 3–4 an update, 5–6 a sparse product (sparse.ts), ATTACH, EXIT
const HEAP = 2; // the heap's id
const CLAIM = 3; // (sequence number << 7) | next chunk; −1 while the caller writes a job
const FINISHED = 4; // chunks finished
const FAILED = 5; // set to 1 when a chunk threw
const TOTAL = 6; // chunks of the job
const SLEEPERS = 7; // workers asleep on the bell
const ARGS = 8; // products: c, a, b, M, K, N, acc, byCols, units; updates: w, g, v, n, units
const FARGS = 10; // updates' lr, mu, decay (float64 index; words 20–25)
const SUMS = 16; // the chunks' partial ‖Δw‖² (float64 index; words 32–159)
const WORKER = 160; // per worker: READY, ACK
const ATTACH = 9;
const EXIT = 10;
/** The control block's layout, for tests that stand in for a worker. */
export const CONTROL_LAYOUT = { SEQ, OP, HEAP, CLAIM, FINISHED, TOTAL, ARGS, WORKER, ATTACH, EXIT } as const;

/** The most chunks a job is cut into (the claim counter has 7 bits). */
const MAX_CHUNKS = 64;
/** Chunks per thread: enough that a late or busy thread's share is taken over in small pieces, few enough that repacking A per chunk stays cheap. */
const CHUNKS_PER_THREAD = 4;

/** How a kernel thread receives its messages: calls the handler with each message's data. */
export type ThreadListen = (handler: (message: Record<string, unknown>) => void) => void;

/**
 * A kernel thread's program: receives {ctl, slot} first, then {attach: id,
 * memory, module, ws} and {detach: id} messages, and claims chunks of the jobs
 * posted in the control block. Self-contained (no import, no outer variable)
 * so Node can run it from its source text (threadSource); a browser worker
 * module calls it directly.
 */
export function threadProgram(listen: ThreadListen): void {
  const SEQ = 0, OP = 1, HEAP = 2, CLAIM = 3, FINISHED = 4, FAILED = 5, TOTAL = 6, SLEEPERS = 7, ARGS = 8, FARGS = 10, SUMS = 16, WORKER = 160;
  const ATTACH = 9, EXIT = 10, SGD = 3, MOMENTUM = 4, SPIN_MS = 2;
  const names = ['gemm', 'gemmABt', 'gemmAtB', '', '', 'gemmABtSparse', 'gemmAtBSparse'];
  type Exports = Record<string, (...args: number[]) => number>;
  const instances = new Map<number, { k: Exports; ws: number }>();
  let ctl: Int32Array<ArrayBufferLike> = new Int32Array(0);
  let f64: Float64Array<ArrayBufferLike> = new Float64Array(0);
  let me = 0;
  let seen = 0;
  // claims and runs chunks of job `seq` until none is left or a newer job has replaced it
  const work = (seq: number): void => {
    const inst = instances.get(ctl[HEAP]);
    if (inst === undefined) return;
    const op = ctl[OP];
    const u = (i: number): number => ctl[ARGS + i] >>> 0;
    const total = ctl[TOTAL];
    const mine = (seq & 0xffffff) << 7;
    let packed = false;
    for (;;) {
      const claim = Atomics.load(ctl, CLAIM);
      const i = claim - mine;
      if (i < 0 || i >= total) return; // another job's counter, or no chunk left
      if (Atomics.compareExchange(ctl, CLAIM, claim, claim + 1) !== claim) continue;
      try {
        if (op === SGD || op === MOMENTUM) {
          const n = u(3);
          const lo = Math.min(n, Math.floor((u(4) * i) / total) * 4);
          const hi = Math.min(n, Math.floor((u(4) * (i + 1)) / total) * 4);
          const v = u(2) === 0 ? 0 : u(2) + 4 * lo;
          f64[SUMS + i] = op === SGD ? inst.k.sgdStep(u(0) + 4 * lo, u(1) + 4 * lo, hi - lo, f64[FARGS], f64[FARGS + 2]) : inst.k.momentumStep(u(0) + 4 * lo, u(1) + 4 * lo, v, hi - lo, f64[FARGS], f64[FARGS + 1], f64[FARGS + 2]);
        } else {
          const M = u(3), N = u(5), byCols = u(7) === 1, size = byCols ? 8 : 4, extent = byCols ? N : M;
          const lo = Math.min(extent, Math.floor((u(8) * i) / total) * size);
          const hi = Math.min(extent, Math.floor((u(8) * (i + 1)) / total) * size);
          // a thread's later column chunks of one job reuse the panels of A its first one packed
          inst.k[names[op]](u(0), u(1), u(2), M, u(4), N, u(6), inst.ws, byCols ? 0 : lo, byCols ? M : hi, byCols ? lo : 0, byCols ? hi : N, byCols ? (packed ? 2 : 1) : 0);
          packed = true;
        }
      } catch {
        Atomics.store(ctl, FAILED, 1);
      }
      if (Atomics.add(ctl, FINISHED, 1) + 1 === total) Atomics.notify(ctl, FINISHED);
    }
  };
  // runs jobs until one says ATTACH (go back to the event loop for the message) or EXIT
  const loop = (): void => {
    for (;;) {
      // spin for SPIN_MS after the last job (the next one usually follows within microseconds, and
      // waking a sleeping thread costs tens to hundreds of µs on a virtual machine), then sleep
      let spins = 0;
      let since = 0;
      while (Atomics.load(ctl, SEQ) === seen) {
        if ((++spins & 255) !== 0) continue;
        const now = performance.now();
        if (since === 0) since = now;
        else if (now - since > SPIN_MS) {
          Atomics.add(ctl, SLEEPERS, 1);
          Atomics.wait(ctl, SEQ, seen, 1000);
          Atomics.sub(ctl, SLEEPERS, 1);
        }
      }
      seen = Atomics.load(ctl, SEQ);
      const op = ctl[OP];
      if (op === EXIT) return;
      if (op === ATTACH) return;
      work(seen);
    }
  };
  listen((m) => {
    if (m.ctl) {
      ctl = m.ctl as Int32Array;
      f64 = new Float64Array(ctl.buffer);
      me = WORKER + 2 * (m.slot as number);
      seen = Atomics.load(ctl, SEQ);
      Atomics.store(ctl, me, 1);
      loop();
    } else if (m.attach !== undefined) {
      const inst = new WebAssembly.Instance(m.module as WebAssembly.Module, { env: { memory: m.memory as WebAssembly.Memory } });
      instances.set(m.attach as number, { k: inst.exports as unknown as Exports, ws: m.ws as number });
      // acknowledges the ATTACH job (the caller posts nothing else until every worker has)
      Atomics.store(ctl, me + 1, Atomics.load(ctl, SEQ));
      Atomics.notify(ctl, me + 1);
      loop();
    } else if (m.detach !== undefined) {
      instances.delete(m.detach as number);
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
    stats: () => pool?.stats() ?? { shared: 0, alone: 0, holdUps: 0, waitedMs: 0 },
    close() {
      pool?.close();
      pool = null;
    },
  };
}

/** How long the caller spins on the workers' last chunks before it sleeps (ms). */
const SPIN_MS = 2;

/** How long the caller waits for a worker before giving up on the threads (ms). */
const TIMEOUT_MS = 30_000;

/** A wait for the workers longer than this (ms) means one was descheduled: the next jobs run on the calling thread alone. */
const CONTENDED_MS = 0.5;

/** The jobs run alone after a hold-up: at least MIN_BACKOFF, at most MAX_BACKOFF (about a quarter of a second of training at gradscope's sizes). */
export const MIN_BACKOFF = 64;
const MAX_BACKOFF = 4096;

/** Split jobs within which a second hold-up means contention; as many clean ones in a row halve the window. */
const DECAY_STREAK = 64;

/** The first `i` of `units` units of `size` cut into `total` chunks, as an element index clamped to `extent` (the thread program computes the same). */
function chunkStart(i: number, total: number, units: number, size: number, extent: number): number {
  return Math.min(extent, Math.floor((units * i) / total) * size);
}

/** A pool of `n − 1` workers (the caller is thread number n); jobs are split n ways. */
export function startKernelThreads(n: number, spawn: WorkerFactory): KernelThreads {
  if (!(Number.isInteger(n) && n >= 2 && n <= 64)) throw new RangeError(`startKernelThreads: 'n' must be an integer in 2 … 64; got ${n}`);
  const W = n - 1;
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (WORKER + 2 * W)));
  const f64 = new Float64Array(ctl.buffer);
  const workers: WorkerLike[] = [];
  const source = threadSource();
  for (let w = 0; w < W; w++) {
    const worker = spawn(source);
    worker.postMessage({ ctl, slot: w });
    workers.push(worker);
  }
  const ids = new WeakMap<Heap, number>();
  let nextId = 1;
  let closed = false;
  const gone = new FinalizationRegistry<number>((id) => {
    if (!closed) for (const w of workers) w.postMessage({ detach: id });
  });

  /** Posts job `op` of `total` chunks (its arguments already written by `write`): closes the last job's counter first, so no worker still on it can claim a chunk of this one. */
  const post = (op: number, heapId: number, total: number, write: () => void): number => {
    Atomics.store(ctl, CLAIM, -1);
    ctl[OP] = op;
    ctl[HEAP] = heapId;
    ctl[TOTAL] = total;
    ctl[FINISHED] = 0;
    ctl[FAILED] = 0;
    write();
    const seq = (ctl[SEQ] + 1) & 0xffffff;
    Atomics.store(ctl, CLAIM, seq << 7);
    Atomics.store(ctl, SEQ, seq);
    if (Atomics.load(ctl, SLEEPERS) > 0) Atomics.notify(ctl, SEQ);
    return seq;
  };

  /** Spins, then sleeps, until `done()`; throws after TIMEOUT_MS naming what it waited for. */
  const waitUntil = (at: number, done: () => boolean, what: string): void => {
    let spins = 0;
    let t0 = 0;
    while (!done()) {
      if ((++spins & 255) !== 0) continue;
      const now = performance.now();
      if (t0 === 0) t0 = now;
      else if (now - t0 > SPIN_MS) {
        Atomics.wait(ctl, at, Atomics.load(ctl, at), 1);
        if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`kernel threads: ${what} did not answer within ${TIMEOUT_MS / 1000} s`);
      }
    }
  };

  // Contention. A worker that held the caller up for longer than CONTENDED_MS beyond a chunk's own
  // time was taken off its core mid-chunk, which costs milliseconds against a split's gain of tens of
  // microseconds. Once in a while that happens on any machine (a virtual one more often), and then
  // nothing is to be done; but a hold-up within DECAY_STREAK split jobs of the last one means other
  // programs hold the cores, and then the next `skip` jobs run on the calling thread alone (the same
  // bits). The window doubles with each such hold-up and halves after each DECAY_STREAK clean jobs.
  const counts = { shared: 0, alone: 0, holdUps: 0, waitedMs: 0 };
  let skip = 0;
  let backoff = MIN_BACKOFF;
  let clean = DECAY_STREAK;
  const record = (held: boolean, waited = 0): void => {
    counts.shared++;
    counts.waitedMs += waited;
    if (held) {
      counts.holdUps++;
      if (clean < DECAY_STREAK) {
        skip = backoff;
        backoff = Math.min(MAX_BACKOFF, 2 * backoff);
      }
      clean = 0;
    } else if (++clean % DECAY_STREAK === 0) backoff = Math.max(MIN_BACKOFF, backoff / 2);
  };

  /** Claims and runs chunks of job `seq` on this thread until none is left, then waits for the workers' claimed chunks. */
  const share = (seq: number, total: number, run: (i: number) => void): void => {
    const mine = seq << 7;
    const t0 = performance.now();
    let own = 0;
    for (;;) {
      const claim = Atomics.load(ctl, CLAIM);
      const i = claim - mine;
      if (i >= total) break;
      if (Atomics.compareExchange(ctl, CLAIM, claim, claim + 1) !== claim) continue;
      run(i);
      own++;
      Atomics.add(ctl, FINISHED, 1);
    }
    if (Atomics.load(ctl, FINISHED) !== total) {
      const t1 = performance.now();
      waitUntil(FINISHED, () => Atomics.load(ctl, FINISHED) === total, 'a worker');
      // a worker's last chunk started before ours ended, so it may rightly take up to one chunk's time more
      const chunk = own > 0 ? (t1 - t0) / own : 0;
      const waited = performance.now() - t1;
      record(waited > CONTENDED_MS + 2 * chunk, waited);
    } else record(false);
    if (ctl[FAILED] !== 0) throw new Error('kernel threads: a chunk failed in a worker');
  };

  /** True when this job should run on the calling thread alone (the workers were held up lately). */
  const alone = (): boolean => {
    if (skip === 0) return false;
    counts.alone++;
    skip--;
    return true;
  };

  /** The heap's id, attaching its memory (and each worker's workspace in it) to every worker the first time. */
  const attached = (heap: Heap): number => {
    let id = ids.get(heap);
    if (id !== undefined) return id;
    id = nextId++;
    for (const w of workers) w.postMessage({ attach: id, memory: heap.memory, module: heap.module, ws: heap.reserve(heap.mod.workspaceBytes()) });
    const seq = post(ATTACH, 0, 0, () => {});
    workers.forEach((_, w) => waitUntil(WORKER + 2 * w + 1, () => Atomics.load(ctl, WORKER + 2 * w + 1) === seq, `kernel thread ${w + 1}`));
    ids.set(heap, id);
    gone.register(heap, id);
    return id;
  };

  let ready = false;
  const allReady = (): boolean => {
    if (!ready) ready = workers.every((_, w) => Atomics.load(ctl, WORKER + 2 * w) === 1);
    return ready;
  };
  return {
    size: n,
    product(heap, code, c, a, b, M, K, N, acc) {
      if (closed || !allReady() || alone()) return false;
      // columns in whole 8-wide strips when there are enough, else rows in whole 4-row panels
      const byCols = N >= 16 * n;
      // the sparse products are split by columns only
      if (!byCols && (M < 8 * n || code === SPARSE_CODES.gemmABtSparse || code === SPARSE_CODES.gemmAtBSparse)) return false;
      const id = attached(heap);
      const size = byCols ? 8 : 4;
      const extent = byCols ? N : M;
      const units = Math.ceil(extent / size);
      const total = Math.min(units, CHUNKS_PER_THREAD * n, MAX_CHUNKS);
      const seq = post(code, id, total, () => {
        ctl[ARGS] = c; ctl[ARGS + 1] = a; ctl[ARGS + 2] = b; ctl[ARGS + 3] = M; ctl[ARGS + 4] = K; ctl[ARGS + 5] = N;
        ctl[ARGS + 6] = acc ? 1 : 0; ctl[ARGS + 7] = byCols ? 1 : 0; ctl[ARGS + 8] = units;
      });
      const m = heap.mod;
      const run = code === PRODUCT_CODES.gemm ? m.gemm : code === PRODUCT_CODES.gemmABt ? m.gemmABt : code === PRODUCT_CODES.gemmAtB ? m.gemmAtB : code === SPARSE_CODES.gemmABtSparse ? m.gemmABtSparse : m.gemmAtBSparse;
      let packed = false;
      share(seq, total, (i) => {
        const lo = chunkStart(i, total, units, size, extent);
        const hi = chunkStart(i + 1, total, units, size, extent);
        // this thread's later column chunks reuse the panels of A its first one packed
        run(c, a, b, M, K, N, acc ? 1 : 0, heap.ws, byCols ? 0 : lo, byCols ? M : hi, byCols ? lo : 0, byCols ? hi : N, byCols ? (packed ? 2 : 1) : 0);
        packed = true;
      });
      return true;
    },
    update(heap, code, w, g, v, count, lr, mu, decay) {
      if (closed || !allReady()) return null;
      // runs of 4 elements, so every chunk starts on a 16-byte boundary of the arrays
      const units = Math.ceil(count / 4);
      const total = Math.min(units, CHUNKS_PER_THREAD * n, MAX_CHUNKS);
      const run = (i: number): void => {
        const lo = chunkStart(i, total, units, 4, count);
        const len = chunkStart(i + 1, total, units, 4, count) - lo;
        f64[SUMS + i] = code === UPDATE_CODES.sgd ? heap.mod.sgdStep(w + 4 * lo, g + 4 * lo, len, lr, decay) : heap.mod.momentumStep(w + 4 * lo, g + 4 * lo, v === 0 ? 0 : v + 4 * lo, len, lr, mu, decay);
      };
      if (alone()) {
        // the same chunks in the same order, so ‖Δw‖² has the same bits as a shared job's
        for (let i = 0; i < total; i++) run(i);
      } else {
        const id = attached(heap);
        const seq = post(code, id, total, () => {
          ctl[ARGS] = w; ctl[ARGS + 1] = g; ctl[ARGS + 2] = v; ctl[ARGS + 3] = count; ctl[ARGS + 4] = units;
          f64[FARGS] = lr; f64[FARGS + 1] = mu; f64[FARGS + 2] = decay;
        });
        share(seq, total, run);
      }
      let sum = 0;
      for (let i = 0; i < total; i++) sum += f64[SUMS + i];
      return sum;
    },
    async whenReady() {
      while (!closed && !allReady()) await new Promise((r) => setTimeout(r, 2));
    },
    stats: () => ({ ...counts }),
    close() {
      if (closed) return;
      closed = true;
      post(EXIT, 0, 0, () => {});
      Atomics.notify(ctl, SEQ);
      for (const w of workers) w.terminate();
      if (current === this) current = null;
    },
  };
}
