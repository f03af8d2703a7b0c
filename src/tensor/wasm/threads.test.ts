// How the caller shares a job with workers that cannot keep up. Each test
// starts the pool with a stand-in worker speaking the control block's
// protocol (threads.ts): one that never claims a chunk (a thread the system
// never schedules), and one that claims a chunk and sits on it for 20 ms (a
// thread taken off its core mid-chunk). Against a pool of real workers, the
// products must keep the bits of one thread, an update's ‖Δw‖² the bits of
// the shared job (its chunks' sums are added in chunk order, whoever ran
// them), and after a second hold-up soon after the first the next jobs must run on
// the caller alone.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableRelaxedSimd, startNodeKernelThreads } from '../../cli/kernel-threads.js';
import { rand as randOf } from '../kernels.test-helper.js';
import { Rng } from '../rng.js';
import { CONTROL_LAYOUT, MIN_BACKOFF, setKernelThreads, startKernelThreads, type KernelThreads, type WorkerFactory } from './threads.js';
import { createWasmKernels, type HeapKernels } from './wasm-kernels.js';

enableRelaxedSimd();

/**
 * A stand-in worker: says it runs, acknowledges every ATTACH, and, when
 * `holdMs` is a number, spins on the bell, claims one chunk of each product
 * it sees, waits holdMs, and computes that chunk's columns with the kernels;
 * with null it sleeps on the bell and claims nothing. It counts the chunks
 * it has held in `held`.
 */
function standIn(holdMs: number | null, held = new Int32Array(new SharedArrayBuffer(4))): WorkerFactory {
  const L = CONTROL_LAYOUT;
  const program = `
    const { parentPort } = require('node:worker_threads');
    const L = ${JSON.stringify(L)}, holdMs = ${JSON.stringify(holdMs)};
    let ctl, me, held, seen = 0; const inst = new Map();
    const loop = () => {
      for (;;) {
        while (Atomics.load(ctl, L.SEQ) === seen) if (holdMs === null) Atomics.wait(ctl, L.SEQ, seen, 1);
        seen = Atomics.load(ctl, L.SEQ);
        const op = ctl[L.OP];
        if (op === L.EXIT || op === L.ATTACH) return;
        if (holdMs === null || op > 2) continue;
        const claim = Atomics.load(ctl, L.CLAIM), total = ctl[L.TOTAL], i = claim - (seen << 7);
        if (i < 0 || i >= total || Atomics.compareExchange(ctl, L.CLAIM, claim, claim + 1) !== claim) continue;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdMs);
        const u = (i) => ctl[L.ARGS + i] >>> 0, k = inst.get(ctl[L.HEAP]);
        const M = u(3), N = u(5), units = u(8), at = (j) => Math.min(N, Math.floor((units * j) / total) * 8);
        k.exports[['gemm', 'gemmABt', 'gemmAtB'][op]](u(0), u(1), u(2), M, u(4), N, u(6), k.ws, 0, M, at(i), at(i + 1), 0);
        Atomics.add(held, 0, 1);
        if (Atomics.add(ctl, L.FINISHED, 1) + 1 === total) Atomics.notify(ctl, L.FINISHED);
      }
    };
    parentPort.on('message', (m) => {
      if (m.held) held = m.held;
      else if (m.ctl) { ctl = m.ctl; me = L.WORKER + 2 * m.slot; Atomics.store(ctl, me, 1); loop(); }
      else if (m.attach !== undefined) {
        const i = new WebAssembly.Instance(m.module, { env: { memory: m.memory } });
        inst.set(m.attach, { exports: i.exports, ws: m.ws });
        Atomics.store(ctl, me + 1, Atomics.load(ctl, L.SEQ)); Atomics.notify(ctl, me + 1); loop();
      }
    });`;
  return () => {
    const w = new Worker(program, { eval: true });
    w.postMessage({ held });
    w.unref();
    return w;
  };
}

/** Float32 operands in the heap of `k`. */
function operands(k: HeapKernels, n: number, rng: Rng): Float32Array {
  const x = k.alloc('float32', n) as Float32Array;
  x.set(randOf(n, rng, Float32Array) as Float32Array);
  return x;
}

/** C = A·Bᵀ (the dense layer's forward product, split by columns) on `threads`, or on one thread with null; true when it was split. */
function product(k: HeapKernels, threads: KernelThreads | null, M: number, K: number, N: number): { C: number[]; split: boolean } {
  const rng = new Rng(7);
  const A = operands(k, M * K, rng);
  const B = operands(k, N * K, rng);
  const C = k.alloc('float32', M * N) as Float32Array;
  const split = threads?.product(k.heap, 1, C.byteOffset, A.byteOffset, B.byteOffset, M, K, N, false) ?? false;
  if (!split) k.heap.mod.gemmABt(C.byteOffset, A.byteOffset, B.byteOffset, M, K, N, 0, k.heap.ws, 0, M, 0, N, 0);
  return { C: Array.from(C), split };
}

/** One SGD update of 100,003 weights on `threads`: the weights after it and its ‖Δw‖². */
function update(k: HeapKernels, threads: KernelThreads): { w: number[]; sum: number | null } {
  const rng = new Rng(11);
  const n = 100_003;
  const w = operands(k, n, rng);
  const g = operands(k, n, rng);
  const sum = threads.update(k.heap, 3, w.byteOffset, g.byteOffset, 0, n, 0.05, 0, 0.999);
  return { w: Array.from(w), sum };
}

describe('kernel threads that cannot keep up', () => {
  let real: KernelThreads;
  const pools: KernelThreads[] = [];
  const pool = async (spawn: WorkerFactory): Promise<KernelThreads> => {
    const t = startKernelThreads(2, spawn);
    pools.push(t);
    await t.whenReady();
    return t;
  };
  beforeAll(async () => {
    real = startNodeKernelThreads(2);
    pools.push(real);
    await real.whenReady();
  });
  afterAll(() => {
    setKernelThreads(null);
    for (const t of pools) t.close();
  });

  it('a worker that never claims a chunk: the caller runs every chunk and gets the same bits, ‖Δw‖² included', async () => {
    const idle = await pool(standIn(null));
    const k = createWasmKernels({}) as HeapKernels;
    const one = product(k, null, 64, 784, 256);
    const shared = product(k, real, 64, 784, 256);
    const alone = product(k, idle, 64, 784, 256);
    expect(shared.split && alone.split).toBe(true);
    expect(shared.C).toEqual(one.C);
    expect(alone.C).toEqual(one.C);
    const u1 = update(k, real);
    const u2 = update(k, idle);
    expect(u1.sum).not.toBeNull();
    expect(u2.w).toEqual(u1.w);
    // the same float64 sum, added in chunk order whoever ran the chunks
    expect(u2.sum).toBe(u1.sum);
  });

  it('a worker that sits on its chunk: the product still has the bits of one thread, and after two hold-ups close together the next jobs run on the caller alone', async () => {
    const held = new Int32Array(new SharedArrayBuffer(4));
    const slow = await pool(standIn(20, held));
    const k = createWasmKernels({}) as HeapKernels;
    const one = product(k, null, 64, 256, 256);
    // until the stand-in has caught a job and sat on one of its chunks (the system may not run it at once)
    const until = (n: number): void => {
      let tries = 0;
      for (; tries < 5000 && Atomics.load(held, 0) < n; tries++) {
        const p = product(k, slow, 64, 256, 256);
        expect(p.split).toBe(true);
        expect(p.C).toEqual(one.C);
      }
      expect(Atomics.load(held, 0), `${n} chunks not held after ${tries} products`).toBe(n);
    };
    until(1);
    // one hold-up (20 ms against a product of about 0.1 ms) may be the system's whim: the workers keep their jobs
    expect(slow.stats()).toMatchObject({ holdUps: 1, alone: 0 });
    // a second one soon after means contention: the next MIN_BACKOFF jobs go to the caller
    until(2);
    const after = Array.from({ length: MIN_BACKOFF }, () => product(k, slow, 64, 256, 256));
    expect(after.filter((p) => p.split).length).toBe(0);
    for (const p of after) expect(p.C).toEqual(one.C);
    const s = slow.stats();
    expect(s).toMatchObject({ holdUps: 2, alone: MIN_BACKOFF });
    expect(s.waitedMs).toBeGreaterThanOrEqual(30);
    // then the workers get jobs again
    expect(product(k, slow, 64, 256, 256).split).toBe(true);
  });
});
