/**
 * The vanishing-gradient study (the main job, `gradscope study`): runs the plan's tasks on the
 * embedded digits — in this thread, or on a pool of worker threads — and
 * returns every number as a StudyResults document. Both ways give identical
 * numbers: every task is seeded and self-contained.
 */
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Dataset } from '../../data/types.js';
import { assembleStudy, runStudyTask, stageOf, studyPlan, studySplit, type Stage, type StudyTask } from './plan.js';
import type { StudyResults } from './types.js';
import type { RecurrentCellRun } from '../rnn/types.js';
import type { TaskResult } from './worker.js';

export { STAGES } from './plan.js';

/** Study settings. */
export interface StudyOptions {
  readonly quick: boolean;
  readonly seed: number;
  readonly version: string;
  readonly machine: StudyResults['machine'];
  /** Reports progress of a stage: its name, what it is doing now, and the fraction done. */
  readonly progress: (stage: string, label: string, fraction: number) => void;
}

/** Runs the whole study on `digits` in this thread. */
export function runStudy(digits: Dataset, o: StudyOptions): StudyResults {
  const plan = studyPlan(o.quick, o.seed);
  const split = studySplit(digits, o.seed);
  const seconds: Record<string, number> = {};
  const counts = countByStage(plan.tasks);
  const done: Record<string, number> = {};
  const outputs: unknown[] = [];
  plan.tasks.forEach((t) => {
    const stage = stageOf(t);
    const t0 = performance.now();
    const k = done[stage] ?? 0;
    const rcells = t.kind === 'recurrent' ? (outputs.filter((_, i) => plan.tasks[i].kind === 'rcell') as RecurrentCellRun[]) : undefined;
    const out = runStudyTask(t, digits, split, (label, f) => o.progress(stage, label, (k + f) / counts[stage]), rcells);
    seconds[stage] = (seconds[stage] ?? 0) + (performance.now() - t0) / 1000;
    done[stage] = k + 1;
    outputs.push(out);
  });
  return assembleStudy(plan, split, outputs, seconds, o);
}

function countByStage(tasks: readonly StudyTask[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const t of tasks) c[stageOf(t)] = (c[stageOf(t)] ?? 0) + 1;
  return c;
}

/** How many worker threads to use by default: one per core. */
export function defaultWorkers(): number {
  return Math.max(1, cpus().length);
}

/**
 * Runs the study on `workers` worker threads (the longest tasks first), each
 * rebuilding the digits and the seeded split itself. Per-stage seconds are
 * the sum of the stage's task times (CPU-like); `seconds.wall` is the elapsed time.
 */
export async function runStudyParallel(digits: Dataset, o: StudyOptions, workers: number): Promise<StudyResults> {
  if (workers <= 1) return runStudy(digits, o);
  const plan = studyPlan(o.quick, o.seed);
  const split = studySplit(digits, o.seed);
  const counts = countByStage(plan.tasks);
  const done: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  const pool = new Piscina<{ task: StudyTask; seed: number }, TaskResult>({
    filename: fileURLToPath(new URL('./worker.js', import.meta.url)),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 1000,
  });
  const t0 = performance.now();
  // longest first, so the last task to start is a short one
  const weight = (t: StudyTask): number => ({ remedies: 6, rcell: 5, nielsen: 4, cell: 3, exploding: 1, bound: 0, recurrent: 0 })[t.kind] * 1000 + (t.kind === 'cell' || t.kind === 'rcell' ? ('depth' in t ? t.depth : t.length) : 0);
  // the 'recurrent' task needs the rcell runs: assembleStudy finishes it in this thread
  const order = plan.tasks.map((_t, i) => i).filter((i) => plan.tasks[i].kind !== 'recurrent').sort((a, b) => weight(plan.tasks[b]) - weight(plan.tasks[a]));
  const outputs: unknown[] = new Array(plan.tasks.length);
  try {
    await Promise.all(
      order.map(async (i) => {
        const task = plan.tasks[i];
        const stage: Stage = stageOf(task);
        const r = await pool.run({ task, seed: o.seed });
        outputs[i] = r.output;
        seconds[stage] = (seconds[stage] ?? 0) + r.seconds;
        done[stage] = (done[stage] ?? 0) + 1;
        o.progress(stage, task.kind === 'cell' ? `${task.act} × ${task.depth} hidden layers` : task.kind === 'rcell' ? `${task.cell} at T = ${task.length}` : 'done', done[stage] / counts[stage]);
      }),
    );
  } finally {
    await pool.destroy();
  }
  seconds.wall = (performance.now() - t0) / 1000;
  return assembleStudy(plan, split, outputs, seconds, o);
}
