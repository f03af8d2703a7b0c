/**
 * The entry point of a study worker thread (loaded by file name by the
 * pool in study.ts): runs one task of the plan on the embedded digits and
 * their seeded split, both rebuilt once per thread.
 */
import { threadId } from 'node:worker_threads';
import { loadDigits } from '../data/node.js';
import { collectHeapsInThisThread } from '../tensor/wasm/node-collector.js';
import type { Dataset, Split } from '../data/types.js';
import { runStudyTask, studySplit, type StudyTask } from './plan.js';

/** A task's output, how long it took, and which process:thread ran it. */
export interface TaskResult {
  readonly output: unknown;
  readonly seconds: number;
  readonly worker: string;
}

collectHeapsInThisThread();

let cached: { seed: number; digits: Dataset; split: Split } | null = null;

/** Runs one task in this thread. */
export default function runTask(msg: { task: StudyTask; seed: number }): TaskResult {
  if (cached === null || cached.seed !== msg.seed) {
    const digits = loadDigits();
    cached = { seed: msg.seed, digits, split: studySplit(digits, msg.seed) };
  }
  const t0 = performance.now();
  const output = runStudyTask(msg.task, cached.digits, cached.split, () => {});
  return { output, seconds: (performance.now() - t0) / 1000, worker: `${process.pid}:${threadId}` };
}
