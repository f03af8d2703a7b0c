/**
 * Kernel threads for the training worker: on a cross-origin-isolated page
 * (COOP same-origin and COEP require-corp, as `gradscope serve` sends), the
 * large matrix products are split across one module worker per further core
 * (at most 4 threads in all), started at the first product worth splitting;
 * elsewhere shared memory is unavailable and the products run on one thread.
 * Results are the same bits either way.
 */
import { lazyKernelThreads, setKernelThreads } from '../../tensor/wasm/threads.js';

/** The parts of the worker's global scope used here. */
interface Scope {
  readonly crossOriginIsolated?: boolean;
  readonly navigator?: { readonly hardwareConcurrency?: number };
}

/** Sets up the kernel threads when the page allows them; returns how many threads the products use. */
export function setUpKernelThreads(): number {
  const g = globalThis as Scope;
  const n = Math.min(4, g.navigator?.hardwareConcurrency ?? 1);
  if (g.crossOriginIsolated !== true || typeof Worker !== 'function' || n < 2) return 1;
  setKernelThreads(lazyKernelThreads(n, () => new Worker(new URL('./kernel-thread.ts', import.meta.url), { type: 'module', name: 'gradscope-kernels' })));
  return n;
}
