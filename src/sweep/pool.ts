/**
 * Running a sweep's runs on this machine: a piscina pool of worker threads
 * (one run per thread at a time), fed by `driveRuns`, which hands each
 * finished run's result line to the caller the moment it arrives. Ctrl-C
 * aborts the runs in flight (their threads are terminated) and keeps every
 * result already delivered; a failure to record (disk full) or a machine
 * failure in a thread stops the pool the same way.
 */
import { setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { RunOutcome, RunTask } from './execute.js';
import { errorRecord, type RunRecord } from './record.js';

/** Runs one task somewhere; rejects only when `signal` aborted it (or its worker died). */
export type Executor = (task: RunTask, signal: AbortSignal) => Promise<RunOutcome>;

/** An executor that owns resources (threads) until closed. */
export interface PoolExecutor {
  readonly run: Executor;
  /** Terminates the threads. */
  close(): Promise<void>;
}

/** The compiled thread entry beside this module (dist/sweep/pool-worker.js). */
export function defaultWorkerFile(): string {
  return fileURLToPath(new URL('./pool-worker.js', import.meta.url));
}

/** A pool of `threads` worker threads running `workerFile` (default: pool-worker.js beside this module). */
export function threadExecutor(threads: number, workerFile = defaultWorkerFile()): PoolExecutor {
  // atomics disabled: a run is asynchronous (it yields between chunks of steps)
  const pool = new Piscina<RunTask, RunOutcome>({ filename: workerFile, minThreads: threads, maxThreads: threads, atomics: 'disabled', idleTimeout: 60_000 });
  return {
    run: (task, signal) => pool.run(task, { signal }),
    close: () => pool.destroy(),
  };
}

/** Options of `driveRuns`. */
export interface DriveOptions {
  /** Runs at once. */
  readonly concurrency: number;
  readonly run: Executor;
  /** Aborting it (Ctrl-C) stops the sweep. */
  readonly signal: AbortSignal;
  /** Called when a run starts. */
  readonly onStart?: (task: RunTask) => void;
  /** Records a finished run; throwing (a store that cannot be written) stops the sweep. */
  readonly onRecord: (record: RunRecord) => void;
}

/** Why `driveRuns` ended: every run done, Ctrl-C, or a failure that stopped it. */
export type DriveEnd = { readonly kind: 'done' } | { readonly kind: 'interrupted' } | { readonly kind: 'failed'; readonly message: string };

/** Runs `tasks` with at most `concurrency` at a time, recording each as it finishes. */
export async function driveRuns(tasks: readonly RunTask[], o: DriveOptions): Promise<DriveEnd> {
  const stop = new AbortController();
  // every lane's run listens to it (as many as there are lanes, up to 256)
  setMaxListeners(Math.max(10, o.concurrency + 10), stop.signal);
  const onAbort = (): void => stop.abort();
  if (o.signal.aborted) stop.abort();
  o.signal.addEventListener('abort', onAbort);
  let next = 0;
  let failure: string | null = null;
  const fail = (message: string): void => {
    if (failure === null) failure = message;
    stop.abort();
  };

  const lane = async (): Promise<void> => {
    while (!stop.signal.aborted && next < tasks.length) {
      const task = tasks[next++];
      o.onStart?.(task);
      let out: RunOutcome;
      try {
        out = await o.run(task, stop.signal);
      } catch (e) {
        if (stop.signal.aborted) return; // aborted in flight: not finished, so not recorded
        out = { kind: 'record', record: errorRecord(task, `the worker running it died: ${(e as Error).message}`, 0) };
      }
      if (out.kind === 'fatal') return fail(out.message);
      try {
        // a run that finished as Ctrl-C came is still kept
        o.onRecord(out.record);
      } catch (e) {
        return fail((e as Error).message);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, tasks.length)) }, lane));
  } finally {
    o.signal.removeEventListener('abort', onAbort);
  }
  if (failure !== null) return { kind: 'failed', message: failure };
  if (o.signal.aborted) return { kind: 'interrupted' };
  return { kind: 'done' };
}
