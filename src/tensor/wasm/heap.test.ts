/**
 * The heaps' collector: it runs when COLLECT_AFTER_BYTES of new wasm memory
 * (created memories and growth both count) have accumulated in the thread
 * since it last ran, and nothing runs without one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { COLLECT_AFTER_BYTES, Heap, setHeapCollector } from './heap.js';
import { defaultVariant, kernelModule, sharedMemorySupported } from './module.js';

const shared = sharedMemorySupported();
const variant = defaultVariant();
const module = kernelModule(variant, shared);

afterEach(() => setHeapCollector(null));

describe('the heaps collector', () => {
  it.runIf(module !== null)('runs once COLLECT_AFTER_BYTES of new memory have accumulated since it last ran, counting growth', () => {
    let calls = 0;
    setHeapCollector(() => calls++);
    const mb = 2 ** 20;
    // every heap's memory counts whole: the 1 MiB it starts with and what it grows by to hold 15 MiB more
    let since = 0;
    let expected = 0;
    for (let i = 0; i < 60; i++) {
      const h = new Heap(module!, variant, shared);
      h.reserve(15 * mb);
      since += h.memory.buffer.byteLength;
      if (since >= COLLECT_AFTER_BYTES) {
        expected++;
        since = 0;
      }
      expect(calls).toBe(expected);
    }
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it.runIf(module !== null)('does nothing without a collector', () => {
    let calls = 0;
    setHeapCollector(() => calls++);
    setHeapCollector(null);
    for (let i = 0; i < 40; i++) new Heap(module!, variant, shared).reserve(15 * 2 ** 20); // 640 MiB
    expect(calls).toBe(0);
  });
});
