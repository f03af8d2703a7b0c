/**
 * Node's collector for the heaps (see setHeapCollector in heap.ts): a full
 * garbage collection, reached through V8's gc function in a fresh context
 * once the flag that exposes it is set (the process was not started with
 * --expose-gc). Call it once in every thread that builds networks.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { setHeapCollector } from './heap.js';

/** Makes this thread run a full garbage collection after every COLLECT_AFTER_BYTES of new wasm memory. */
export function collectHeapsInThisThread(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  if (typeof gc === 'function') setHeapCollector(gc as () => void);
}
