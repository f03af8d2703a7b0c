/**
 * The vanishing-gradient study (the main job, `gradscope study`): runs the plan's tasks and stage
 * 3's learning-rate sweeps on the embedded digits — in this thread, or on a
 * pool of worker threads — and returns every number as a StudyResults
 * document. Both ways give identical numbers: every task is seeded and
 * self-contained. The sweeps keep their results in a store when given a
 * folder, so an interrupted study resumes.
 */
import { setMaxListeners } from 'node:events';
import { cpus } from 'node:os';
import { threadId } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Dataset } from '../data/types.js';
import type { SweepRun } from '../sweep/index.js';
import { chooseRates, finalRuns, selectionRuns, type LrRunKey, type LrRunResult } from './act-depth.js';
import { driveLrSweep, lrSweep, type LrStoreOptions } from './lr-sweep.js';
import { assembleStudy, runStudyTask, stageOf, studyPlan, studySplit, taskCost, type StudyTask } from './plan.js';
import type { StudyResults } from './types.js';
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
  /** Where stage 3's sweeps keep their results (default: in memory only), and whether to keep those of an interrupted study. */
  readonly sweeps?: LrStoreOptions;
  /** Aborting it stops the study after the runs in flight (the sweeps keep what they recorded). */
  readonly signal?: AbortSignal;
  /** With one worker, run on a thread anyway, keeping this thread free (for signal handlers); default false. */
  readonly threadEvenForOne?: boolean;
}

/** How many worker threads to use by default: one per core. */
export function defaultWorkers(): number {
  return Math.max(1, cpus().length);
}

/** Runs a task somewhere and says how long it took and where. */
type Exec = (t: StudyTask) => Promise<TaskResult>;

/**
 * Runs the plan through `exec`, the longest tasks first, and stage 3's two
 * sweeps beside it (selection runs, then the remaining seeds at each cell's
 * chosen rate), at most `concurrency` sweep runs in flight.
 */
async function runWith(digits: Dataset, o: StudyOptions, exec: Exec, concurrency: number, serial: boolean): Promise<StudyResults> {
  const plan = studyPlan(o.quick, o.seed);
  const split = studySplit(digits, o.seed);
  const s = plan.actDepth;
  const lrTotal = selectionRuns(s).length + s.depths.length * s.activations.length * (s.seeds - s.selectionSeeds);
  const counts: Record<string, number> = { activationDepth: lrTotal };
  for (const t of plan.tasks) counts[stageOf(t)] = (counts[stageOf(t)] ?? 0) + 1;
  const done: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  const tick = (stage: string, label: string, secs: number): void => {
    seconds[stage] = (seconds[stage] ?? 0) + secs;
    done[stage] = (done[stage] ?? 0) + 1;
    // a task's kind is an internal id: the progress line says how many of the stage's tasks are done instead
    o.progress(stage, label === '' ? `${done[stage]}/${counts[stage]}` : label, done[stage] / counts[stage]);
  };
  const t0 = performance.now();
  const outputs: unknown[] = new Array(plan.tasks.length);
  const taskSeconds: number[] = new Array(plan.tasks.length).fill(0);
  const order = plan.tasks.map((_, i) => i).sort((a, b) => taskCost(plan.tasks[b]) - taskCost(plan.tasks[a]));
  const one = async (i: number): Promise<void> => {
    const r = await exec(plan.tasks[i]);
    outputs[i] = r.output;
    taskSeconds[i] = r.seconds;
    tick(stageOf(plan.tasks[i]), '', r.seconds);
  };
  // in this thread one after the other (so progress shows between tasks); on a pool all queued at once
  const planned = serial ? order.reduce((p, i) => p.then(() => one(i)), Promise.resolve()) : Promise.all(order.map(one));
  const signal = o.signal ?? new AbortController().signal;
  const store: LrStoreOptions = o.sweeps ?? { dir: null, resume: false };
  const lrExec = async (run: SweepRun) => {
    const r = await exec({ kind: 'lrRun', config: run.config, studySeed: o.seed });
    return { result: r.output as LrRunResult, seconds: r.seconds, worker: r.worker };
  };
  const label = (run: SweepRun): string => {
    const k = run.params as unknown as LrRunKey;
    return `${k.activation} × ${k.depth}, η = ${k.lr}, seed ${k.seed}`;
  };
  const swept = async () => {
    const first = await driveLrSweep(lrSweep(`study-${o.quick ? 'quick' : 'full'}-lr-selection`, s, selectionRuns(s)), store, lrExec, concurrency, signal, (run, secs) => tick('activationDepth', label(run), secs));
    const chosen = chooseRates(s, first);
    const rest = await driveLrSweep(lrSweep(`study-${o.quick ? 'quick' : 'full'}-lr-seeds`, s, finalRuns(s, chosen)), store, lrExec, concurrency, signal, (run, secs) => tick('activationDepth', label(run), secs));
    const results = new Map<string, LrRunResult>([...first, ...rest]);
    return { results, chosen };
  };
  // in this thread the sweeps start after the plan; on a pool their runs queue behind the plan's longest tasks
  const lr = serial ? await planned.then(() => swept()) : (await Promise.all([planned, swept()]))[1];
  seconds.wall = (performance.now() - t0) / 1000;
  return assembleStudy(plan, split, outputs, taskSeconds, lr, seconds, o);
}

/** Runs the whole study on `digits` in this thread. */
export function runStudy(digits: Dataset, o: StudyOptions): Promise<StudyResults> {
  const split = studySplit(digits, o.seed);
  const exec: Exec = async (t) => {
    const t0 = performance.now();
    const output = runStudyTask(t, digits, split, () => {});
    return { output, seconds: (performance.now() - t0) / 1000, worker: `${process.pid}:${threadId}` };
  };
  return runWith(digits, o, exec, 1, true);
}

/**
 * Runs the study on `workers` worker threads, each rebuilding the digits and
 * the seeded split itself. Per-stage seconds are the sum of the stage's task
 * times (CPU-like); `seconds.wall` is the elapsed time.
 */
export async function runStudyParallel(digits: Dataset, o: StudyOptions, workers: number): Promise<StudyResults> {
  if (workers <= 1 && o.threadEvenForOne !== true) return runStudy(digits, o);
  const pool = new Piscina<{ task: StudyTask; seed: number }, TaskResult>({
    filename: fileURLToPath(new URL('./worker.js', import.meta.url)),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 1000,
  });
  // every task queued on the pool listens to the stop signal until it ends: the whole plan at once
  if (o.signal) setMaxListeners(0, o.signal);
  try {
    return await runWith(digits, o, (task) => pool.run({ task, seed: o.seed }, { signal: o.signal }), 2 * workers, false);
  } finally {
    await pool.destroy();
  }
}
