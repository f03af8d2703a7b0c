// The bench's building blocks: summaries and ratios, workload selection, and
// — what makes the ratios honest — every contender of a training workload
// trains the same network from the same weights on the same batches: the
// losses of gradscope (each variant, one thread and split over kernel
// threads), of tfjs (each backend) and of PyTorch (when a Python with torch
// is installed; skipped, saying so, otherwise) agree before and after a few
// SGD steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeKernelThreads } from '../cli/kernel-threads.js';
import { takeFirst } from '../data/batch.js';
import { phrase } from '../i18n/catalogue.js';
import { loadDigits } from '../data/node.js';
import { jsKernels } from '../tensor/kernels.js';
import { fastKernels } from '../tensor/wasm/wasm-kernels.js';
import type { Trial } from './contender.js';
import { gradscopeContender } from './gradscope.js';
import { cpuTimes, untilQuiet } from './quiet.js';
import { ratio, summarize } from './stats.js';
import { loadTfjs, tfjsContender, type TfjsHandle } from './tfjs.js';
import { findTorchPython, torchContender, TorchPeer } from './torch.js';
import { oneHot, selectWorkloads, WORKLOADS, type BenchData, type LstmWorkload, type TrainWorkload } from './workloads.js';
import { setKernelThreads, type KernelThreads } from '../tensor/wasm/threads.js';

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
    expect(() => selectWorkloads('x')).toThrow("bench: --only 'x' matches no workload; expected one of a-sigmoid-784-30-10");
  });
});

describe('every contender trains the same network on the same batches', () => {
  let data: BenchData;
  let tf: TfjsHandle;
  let threads: KernelThreads;
  const torch: TorchPeer[] = [];
  let torchMissing = '';
  beforeAll(async () => {
    const ds = takeFirst(loadDigits(), 400);
    data = { ds, y: oneHot(ds) };
    const h = await loadTfjs();
    if ('error' in h) throw new Error(phrase('en', h.error));
    tf = h;
    threads = startNodeKernelThreads(2);
    await threads.whenReady();
    const py = findTorchPython();
    if ('error' in py) torchMissing = phrase('en', py.error);
    else {
      for (const n of [1, 2]) {
        const p = await TorchPeer.start(py.python, n);
        if ('error' in p) throw new Error(phrase('en', p.error));
        torch.push(p);
      }
    }
  }, 300_000);
  afterAll(() => {
    setKernelThreads(null);
    threads.close();
    for (const p of torch) p.close();
  });

  const trains = WORKLOADS.filter((w): w is TrainWorkload | LstmWorkload => w.kind !== 'matmul');
  for (const w of trains) {
    it(`${w.name}: equal losses before and after 3 steps (gradscope on 1 and 2 threads, TypeScript, float64; tfjs; PyTorch where installed)`, async (ctx) => {
      if (torchMissing) ctx.annotate?.(torchMissing);
      const contenders = [
        gradscopeContender('gradscope', fastKernels(), 'float32', () => data),
        gradscopeContender('gradscope-2t', fastKernels(), 'float32', () => data, { threads }),
        gradscopeContender('gradscope-js', jsKernels, 'float32', () => data),
        gradscopeContender('gradscope-f64', jsKernels, 'float64', () => data),
        tfjsContender(tf, 'cpu', () => data),
        tfjsContender(tf, 'wasm', () => data),
        ...torch.map((p) => torchContender(p, () => data)),
      ];
      const losses: { name: string; before: number; after: number }[] = [];
      for (const c of contenders) {
        const t: Trial = await c.prepare(w, 3);
        await t.enter?.();
        const before = await (t.loss as () => number | Promise<number>)();
        if (t.measure) await t.measure();
        else t.run();
        const after = await (t.loss as () => number | Promise<number>)();
        await t.dispose();
        losses.push({ name: c.name, before, after });
      }
      setKernelThreads(null);
      const ref = losses[3]; // float64
      expect(ref.after).toBeLessThan(ref.before * 1.5);
      for (const l of losses) {
        expect(Math.abs(l.before - ref.before), `${l.name} before: ${l.before} vs ${ref.before}`).toBeLessThan(5e-6 * Math.max(1, ref.before));
        expect(Math.abs(l.after - ref.after), `${l.name} after: ${l.after} vs ${ref.after}`).toBeLessThan(5e-5 * Math.max(1, ref.after));
      }
      // products split over threads give the bits of one thread
      expect(losses[1].after).toBe(losses[0].after);
    }, 300_000);
  }
});

describe('waiting for a quiet machine', () => {
  const fast = { windowMs: 1, busyCores: 0.25, maxMs: 200 };
  /** A counter source that reports `busy` cores out of 2 for each window in turn, then idles. */
  const counters = (busyPerWindow: readonly number[]) => {
    let i = -1;
    let busy = 0;
    let total = 0;
    return () => {
      if (i >= 0) {
        busy += (busyPerWindow[i] ?? 0) * 50;
        total += 100;
      }
      i++;
      return { busy, total };
    };
  };

  it('reads /proc/stat: busy excludes idle, iowait and steal', () => {
    const t = cpuTimes(() => 'cpu  100 5 20 1000 7 1 2 30 0 0\ncpu0 1 2 3 4\n');
    expect(t).toEqual({ busy: 128, total: 1165 });
    expect(cpuTimes(() => 'intr 1 2 3\n')).toBeNull();
    expect(
      cpuTimes(() => {
        throw new Error('no /proc');
      }),
    ).toBeNull();
  });

  it('returns after the first quiet window, and after the bound while busy', async () => {
    const quick = await untilQuiet(2, fast, counters([0]));
    expect(quick.quiet).toBe(true);
    const later = await untilQuiet(2, fast, counters([1.5, 1, 0.1]));
    expect(later.quiet).toBe(true);
    const never = await untilQuiet(2, fast, counters(Array.from({ length: 10_000 }, () => 2)));
    expect(never.quiet).toBe(false);
    expect(never.waitedMs).toBeGreaterThanOrEqual(fast.maxMs);
    // where nothing can be observed, a fixed pause and "not known to be quiet"
    const blind = await untilQuiet(2, fast, () => null);
    expect(blind.quiet).toBe(false);
  });
});
