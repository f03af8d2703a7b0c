/**
 * Node's side of the kernel threads (src/tensor/wasm/threads.ts): starts the
 * workers with worker_threads from the threads' JavaScript source — lazily,
 * at the first product large enough to split — and turns on relaxed SIMD in
 * this process's V8 (Node 20 has it behind a flag; Node ≥ 22 and Chromium
 * have it on) so the products can use fused multiply-add. GRADSCOPE_THREADS
 * sets the thread count of every command (default: the cores, at most 4;
 * 1 turns the threads off); results are the same bits whatever it is.
 */
import { availableParallelism } from 'node:os';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { collectHeapsInThisThread } from '../tensor/wasm/node-collector.js';
import { lazyKernelThreads, setKernelThreads, startKernelThreads, type KernelThreads, type WorkerFactory } from '../tensor/wasm/threads.js';

/** Enables relaxed SIMD for WebAssembly compiled from now on (call before the kernels are first loaded). */
export function enableRelaxedSimd(): void {
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/** Starts a Node worker from the thread program's source; it never keeps the process alive. */
const spawnNode: WorkerFactory = (source) => {
  const w = new Worker(source, { eval: true });
  w.unref();
  return w;
};

/** Starts n − 1 worker threads now (the caller is the n-th). */
export function startNodeKernelThreads(n: number): KernelThreads {
  return startKernelThreads(n, spawnNode);
}

/** The default thread count: every core, at most 4 (past that the hand-off of the products' blocks costs more than it saves at gradscope's sizes). */
export function defaultKernelThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** The thread count GRADSCOPE_THREADS asks for (default defaultKernelThreads()); a sentence naming the value when it is not an integer in 1 … 64. */
export function threadsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.GRADSCOPE_THREADS;
  if (v === undefined || v === '') return defaultKernelThreads();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError(`GRADSCOPE_THREADS must be an integer in 1 … 64; got '${v}'`);
  return n;
}

/** Sets up this process's kernels: relaxed SIMD, the heaps' collector, and n kernel threads started on first use (1: none). */
export function setUpKernels(n: number): void {
  enableRelaxedSimd();
  collectHeapsInThisThread();
  setKernelThreads(n > 1 ? lazyKernelThreads(n, spawnNode) : null);
}
