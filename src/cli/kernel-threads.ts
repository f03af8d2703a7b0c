/**
 * Node's side of the kernel threads (src/tensor/wasm/threads.ts): starts the
 * workers with worker_threads from the threads' JavaScript source, and turns
 * on relaxed SIMD in this process's V8 (Node 20 has it behind a flag; Node
 * ≥ 22 and Chromium have it on) so the products can use fused multiply-add.
 */
import { availableParallelism } from 'node:os';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { setKernelThreads, startKernelThreads, type KernelThreads } from '../tensor/wasm/threads.js';

/** Enables relaxed SIMD for WebAssembly compiled from now on (before the kernels are first loaded). */
export function enableRelaxedSimd(): void {
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/** Starts n − 1 worker threads (the caller is the n-th); they never keep the process alive. */
export function startNodeKernelThreads(n: number): KernelThreads {
  return startKernelThreads(n, (source) => {
    const w = new Worker(source, { eval: true });
    w.unref();
    return w;
  });
}

/** The default thread count: every core, at most 4 (past that the hand-off of the products' blocks costs more than it saves at gradscope's sizes). */
export function defaultKernelThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Uses n kernel threads from now on (1 = none); returns a function that restores the previous setting and stops the new threads. */
export function useKernelThreads(n: number): () => void {
  const t = n > 1 ? startNodeKernelThreads(n) : null;
  const prev = setKernelThreads(t);
  return () => {
    setKernelThreads(prev);
    t?.close();
  };
}
