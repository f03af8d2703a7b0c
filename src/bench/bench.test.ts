// The bench's building blocks: summaries and ratios, workload selection, and
// — what makes the ratios honest — every contender of a training workload
// trains the same network from the same weights on the same batches: the
// losses of gradscope (each variant) and of tfjs (each backend) agree before
// and after a few SGD steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { takeFirst } from '../data/batch.js';
import { loadDigits } from '../data/node.js';
import { jsKernels } from '../tensor/kernels.js';
import { fastKernels } from '../tensor/wasm/wasm-kernels.js';
import type { Trial } from './contender.js';
import { gradscopeContender } from './gradscope.js';
import { ratio, summarize } from './stats.js';
import { loadTfjs, tfjsContender, type TfjsHandle } from './tfjs.js';
import { oneHot, selectWorkloads, WORKLOADS, type BenchData, type TrainWorkload } from './workloads.js';

describe('summaries', () => {
  it('take the median of odd and even counts, with min and max', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(Number.isNaN(summarize([]).median)).toBe(true);
  });

  it('divide medians, NaN when a side is missing', () => {
    expect(ratio(summarize([6]), summarize([2]))).toBe(3);
    expect(Number.isNaN(ratio(summarize([6]), summarize([])))).toBe(true);
  });
});

describe('workload selection', () => {
  it('takes exact names and prefixes', () => {
    expect(selectWorkloads().map((w) => w.name)).toEqual(WORKLOADS.map((w) => w.name));
    expect(selectWorkloads('d').map((w) => w.name)).toEqual(['d-matmul-256', 'd-matmul-1024']);
    expect(selectWorkloads('b-tanh-20x64').map((w) => w.name)).toEqual(['b-tanh-20x64']);
  });

  it('names the bad value and the valid ones', () => {
    expect(() => selectWorkloads('e')).toThrow("bench: --only 'e' matches no workload; expected one of a-sigmoid-784-30-10");
  });
});

describe('every contender trains the same network on the same batches', () => {
  let data: BenchData;
  let tf: TfjsHandle;
  beforeAll(async () => {
    const ds = takeFirst(loadDigits(), 400);
    data = { ds, y: oneHot(ds) };
    const h = await loadTfjs();
    if ('error' in h) throw new Error(h.error);
    tf = h;
  });

  const trains = WORKLOADS.filter((w): w is TrainWorkload => w.kind === 'train');
  for (const w of trains) {
    it(`${w.name}: equal losses before and after 3 steps`, async () => {
      const contenders = [
        gradscopeContender('gradscope', fastKernels(), 'float32', () => data),
        gradscopeContender('gradscope-js', jsKernels, 'float32', () => data),
        gradscopeContender('gradscope-f64', jsKernels, 'float64', () => data),
        tfjsContender(tf, 'cpu', () => data),
        tfjsContender(tf, 'wasm', () => data),
      ];
      const losses: { name: string; before: number; after: number }[] = [];
      for (const c of contenders) {
        const t: Trial = await c.prepare(w, 3);
        await t.enter?.();
        const before = (t.loss as () => number)();
        t.run();
        const after = (t.loss as () => number)();
        t.dispose();
        losses.push({ name: c.name, before, after });
      }
      const ref = losses[2]; // float64
      expect(ref.after).toBeLessThan(ref.before * 1.5);
      for (const l of losses) {
        expect(Math.abs(l.before - ref.before), `${l.name} before: ${l.before} vs ${ref.before}`).toBeLessThan(5e-6 * Math.max(1, ref.before));
        expect(Math.abs(l.after - ref.after), `${l.name} after: ${l.after} vs ${ref.after}`).toBeLessThan(5e-5 * Math.max(1, ref.after));
      }
    }, 60_000);
  }
});
