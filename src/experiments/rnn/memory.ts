/**
 * The memory estimate of one recurrent run (memory.ts `recurrentMemory`)
 * from its config: the task's longest sequence, and the largest batch the
 * cell's buffers see — the training batch, the probe batch or a group of
 * equal-length test sequences, whose sizes come
 * from the same seeded draw `makeTestSet` makes. Pure.
 */
import { recurrentMemory, type MemoryEstimate } from '../memory.js';
import { lengthCounts, runStreams, type RecurrentConfig } from './run.js';
import { getTask } from './tasks.js';

/** Test sets up to this size have their lengths drawn for the estimate. */
const MAX_DRAWN = 100_000;

/** The estimate for `runRecurrent(c)` (c resolved). */
export function recurrentRunMemory(c: RecurrentConfig): MemoryEstimate {
  const task = getTask(c.task);
  // drawing the lengths is cheap up to a large test set; beyond it, the whole set in one group bounds it
  const groups = c.testSize <= MAX_DRAWN ? [...lengthCounts(task, c.length, c.testSize, runStreams(c.seed).test).values()] : [c.testSize];
  return recurrentMemory({
    cell: c.cell,
    dtype: c.dtype,
    hidden: c.hidden,
    inSize: task.inSize,
    outSize: task.outSize,
    perStepHead: task.head === 'sequence',
    maxSteps: task.maxSteps(c.length),
    maxRows: Math.max(c.batch, c.probeSize, ...groups),
    heldOut: c.testSize + c.probeSize,
    optimizer: c.optimizer,
    steps: c.steps,
  });
}
