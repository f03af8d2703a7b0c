/**
 * The entry point of a worker-pool thread (piscina loads it by file name):
 * each task is one run of a sweep, answered with its outcome.
 */
import { collectHeapsInThisThread } from '../tensor/wasm/node-collector.js';
import { executeRun, type RunOutcome, type RunTask } from './execute.js';

collectHeapsInThisThread();

/** Runs one task in this thread. */
export default function runTask(task: RunTask): Promise<RunOutcome> {
  return executeRun(task);
}
