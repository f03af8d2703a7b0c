/**
 * The memory check of a sweep before any run starts: the largest run's
 * estimate (memory.ts) plus a worker thread, times the runs that go at once.
 * A run too large on its own is named by its swept values; a sweep whose
 * runs fit alone but not `--workers` of them at once is named by --workers.
 */
import { checkMemory, type MemoryBudget } from '../experiments/budget.js';
import { runMemory, THREAD_BYTES, timesWorkers, type DataShape, type MemoryEstimate } from '../experiments/memory.js';
import { msg } from '../i18n/catalogue.js';
import { runSettings, type SweepRun } from './spec.js';

/** Throws an InputError when `lanes` of the largest of `runs` at once exceed `budget`. */
export function checkSweepMemory(runs: readonly SweepRun[], shapes: ReadonlyMap<string, DataShape>, lanes: number, budget: MemoryBudget, file: string): void {
  let worst: { run: SweepRun; e: MemoryEstimate } | null = null;
  for (const run of runs) {
    const shape = shapes.get(run.id);
    if (shape === undefined) continue;
    const e = runMemory(run.config, shape);
    if (worst === null || e.bytes > worst.e.bytes) worst = { run, e };
  }
  if (worst === null) return;
  const arch = worst.run.config.arch.join('-');
  checkMemory(timesWorkers(worst.e, 1, THREAD_BYTES), budget, msg('err.mem.sweepRun', { run: runSettings(worst.run), arch, batch: String(worst.run.config.batchSize) }), [file]);
  if (lanes > 1) checkMemory(timesWorkers(worst.e, lanes, THREAD_BYTES), budget, msg('err.mem.lanes', { n: String(lanes), arch }), [`--workers ${lanes}`]);
}
