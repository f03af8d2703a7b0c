/**
 * A sweep spread over machines through a Redis-backed BullMQ queue. The
 * sweep (the coordinator) enqueues one job per unrecorded run, its job id
 * `<sweep id>-<run id>` so a job is never queued twice, then collects the
 * finished jobs' result lines into its store and deletes them. Workers on
 * any machine take jobs, run them on their own thread pool and return the
 * result line. A worker killed mid-run stops renewing its job's lock; when
 * the lock expires BullMQ's stalled-job check puts the job back in the
 * queue and another worker runs it. The store skips ids already recorded,
 * so a run that ran twice is still recorded exactly once.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import type { RunTask } from './execute.js';
import type { DriveEnd, Executor } from './pool.js';
import { errorRecord, recordSchema, type RunRecord } from './record.js';
import { connectionOf, RedisHealth, watchRedis, withDeadline, type RedisTarget } from './redis.js';

/** How long closing a queue connection may take before it is dropped (a Redis that went away never answers). */
const CLOSE_DEADLINE_MS = 3000;

/** Thrown into a wait that a signal cut short. */
class StopWaiting extends Error {}

/** The queue's default name (workers and sweeps must agree on it). */
export const DEFAULT_QUEUE_NAME = 'gradscope-runs';

export { checkRedis, parseRedisUrl, type RedisTarget } from './redis.js';

/** The BullMQ job id of a run: `<sweep id>-<run id>` (BullMQ ids may not contain ':'). */
export function jobIdOf(sweep: string, id: string): string {
  return `${sweep}-${id}`;
}

/** A job's data: a run without the worker's own folders. */
export type JobData = Omit<RunTask, 'workDir' | 'keep'>;

const jobDataSchema = z.object({
  sweep: z.string().regex(/^[0-9a-f]{16}$/),
  id: z.string().regex(/^[0-9a-f]{16}$/),
  index: z.number().int().min(0),
  params: z.record(z.string(), z.unknown()),
  config: z.record(z.string(), z.unknown()),
});

/** Options of the coordinator. */
export interface CoordinatorOptions {
  readonly target: RedisTarget;
  readonly queueName: string;
  /** Aborting it (Ctrl-C) stops collecting and takes this sweep's waiting jobs off the queue. */
  readonly signal: AbortSignal;
  /** Records a finished run; throwing stops the sweep. */
  readonly onRecord: (r: RunRecord) => void;
  /** Tries per run for runs that throw (a killed worker's run is retried regardless). */
  readonly attempts?: number;
  readonly pollMs?: number;
  /** How long Redis may stay away before the sweep gives up. */
  readonly timeoutMs: number;
  /** Sentences about the connection (lost, back) for stderr. */
  readonly log: (line: string) => void;
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Enqueues `runs` of sweep `sweep` and records each result as workers finish
 * it; resolves when every run is recorded, on Ctrl-C, or when recording fails.
 */
export async function runViaQueue(runs: readonly JobData[], o: CoordinatorOptions): Promise<DriveEnd> {
  const queue = new Queue<JobData, RunRecord>(o.queueName, { connection: connectionOf(o.target) });
  const health = new RedisHealth(o.target.display, o.timeoutMs, o.log);
  queue.on('error', (e) => health.socketError(e));
  const pending = new Map(runs.map((r) => [jobIdOf(r.sweep, r.id), r]));
  const enqueue = (): Promise<unknown> =>
    queue.addBulk(
      [...pending].map(([jobId, data]) => ({
        name: 'run',
        data,
        opts: { jobId, attempts: o.attempts ?? 3, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false },
      })),
    );
  let end: DriveEnd = { kind: 'done' };
  let enqueued = false;
  // a signal does not wait for a command in flight (Redis may be reconnecting)
  const aborted = new Promise<never>((_, reject) => {
    const stop = (): void => reject(new StopWaiting());
    if (o.signal.aborted) stop();
    else o.signal.addEventListener('abort', stop, { once: true });
  });
  aborted.catch(() => {});
  const unlessStopped = <T>(p: Promise<T>): Promise<T> => Promise.race([p, aborted]);
  try {
    for (let round = 1; pending.size > 0 && !o.signal.aborted; round++) {
      try {
        // a queue that lost jobs (Redis restarted without persistence) gets them again; existing ids are kept
        if (!enqueued || round % 60 === 0) {
          await unlessStopped(enqueue());
          enqueued = true;
        }
        const completed = await unlessStopped(queue.getCompleted(0, -1));
        const failedJobs = await unlessStopped(queue.getFailed(0, -1));
        const finished: [Job<JobData, RunRecord>, boolean][] = [...completed.map((j) => [j, true] as [Job<JobData, RunRecord>, boolean]), ...failedJobs.map((j) => [j, false] as [Job<JobData, RunRecord>, boolean])];
        health.ok();
        for (const [job, ok] of finished) {
          const data = job.id !== undefined ? pending.get(job.id) : undefined;
          if (data === undefined) continue; // another sweep's job
          let record: RunRecord;
          if (ok) {
            const r = recordSchema.safeParse(job.returnvalue);
            record = r.success && r.data.id === data.id && r.data.sweep === data.sweep ? r.data : errorRecord(data, `the worker ${job.processedBy ?? ''} returned an unreadable result`, 0);
          } else record = errorRecord(data, `failed on the queue after ${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}: ${job.failedReason}`, 0, job.processedBy ?? 'queue');
          try {
            o.onRecord(record);
          } catch (e) {
            return (end = { kind: 'failed', message: (e as Error).message });
          }
          pending.delete(job.id as string);
          await job.remove().catch(() => {});
        }
      } catch (e) {
        if (e instanceof StopWaiting) break;
        // Redis went away: wait for it (a restart) up to the timeout, then give up keeping what is recorded
        try {
          health.failed(e);
        } catch (lost) {
          return (end = { kind: 'failed', message: (lost as Error).message });
        }
      }
      if (pending.size > 0) await sleep(o.pollMs ?? 250, o.signal);
    }
    if (o.signal.aborted && pending.size > 0) end = { kind: 'interrupted' };
    return end;
  } finally {
    if (end.kind !== 'done' && !health.lost) {
      // runs not started yet leave the queue; runs in progress finish and wait for --resume
      await withDeadline(
        (async () => {
          const waiting = await queue.getJobs(['waiting', 'delayed', 'prioritized'], 0, -1);
          for (const job of waiting) if (job.id !== undefined && pending.has(job.id)) await job.remove();
        })(),
        CLOSE_DEADLINE_MS,
        'taking the waiting runs off the queue',
      ).catch(() => {});
    }
    await closeWithin(() => queue.close(), () => queue.disconnect());
  }
}

/** Closes a queue connection, dropping it (without waiting on a server that may never answer) if closing takes longer than CLOSE_DEADLINE_MS. */
async function closeWithin(close: () => Promise<void>, drop: () => Promise<void> | void): Promise<void> {
  try {
    await withDeadline(close(), CLOSE_DEADLINE_MS, 'closing the queue');
  } catch {
    void Promise.resolve(drop()).catch(() => {});
  }
}

/** Options of a queue worker. */
export interface QueueWorkerOptions {
  readonly target: RedisTarget;
  readonly queueName: string;
  /** Runs at once (threads of `run`). */
  readonly concurrency: number;
  /** How long a job's lock lasts without renewal: a killed worker's run is retried after about this long. */
  readonly lockMs: number;
  /** Scratch folder for run directories. */
  readonly workDir: string;
  readonly run: Executor;
  /** Aborting it stops taking runs; runs in progress finish first. */
  readonly signal: AbortSignal;
  /** Exit after this long without work (null: run until stopped). */
  readonly idleExitMs: number | null;
  /** Log lines (started/finished runs) for stderr. */
  readonly log: (line: string) => void;
  /** How long Redis may stay away before the worker gives up (throwing a RedisLostError). */
  readonly timeoutMs: number;
}

/**
 * Takes runs from the queue until stopped (or idle for `idleExitMs`);
 * resolves to the number of runs done. Rejects with a RedisLostError when
 * Redis stays away longer than `timeoutMs` (runs in progress are dropped;
 * the queue gives them to another worker once their lock expires).
 */
export async function runQueueWorker(o: QueueWorkerOptions): Promise<number> {
  let active = 0;
  let done = 0;
  let lastBusy = Date.now();
  const abortRuns = new AbortController();
  const worker = new Worker<JobData, RunRecord>(
    o.queueName,
    async (job) => {
      const parsed = jobDataSchema.safeParse(job.data);
      if (!parsed.success) throw new Error(`job ${job.id ?? '?'} is not a gradscope run (${parsed.error.issues[0].message})`);
      const data = parsed.data;
      active++;
      lastBusy = Date.now();
      o.log(`run ${data.id} of sweep ${data.sweep} started (job ${job.id ?? '?'}, attempt ${job.attemptsStarted})`);
      try {
        const out = await o.run({ ...data, workDir: o.workDir, keep: false }, abortRuns.signal);
        if (out.kind === 'fatal') throw new Error(out.message);
        const r = out.record;
        o.log(`run ${data.id} finished: ${r.status === 'ok' ? `${r.atEnd?.verdict ?? '?'}, test accuracy ${r.metrics?.testAccuracy ?? '—'}` : `error: ${r.error ?? ''}`} (${r.wallSeconds.toFixed(1)} s)`);
        done++;
        return r;
      } finally {
        active--;
        lastBusy = Date.now();
      }
    },
    { connection: connectionOf(o.target, true), concurrency: o.concurrency, lockDuration: o.lockMs, stalledInterval: o.lockMs, maxStalledCount: 10, removeOnComplete: { count: 1_000_000 }, removeOnFail: { count: 1_000_000 } },
  );
  // BullMQ reconnects by itself and reports each failure; the watch says once what happened and gives up after the timeout
  worker.on('error', () => {});
  const health = new RedisHealth(o.target.display, o.timeoutMs, o.log);
  const stopWatch = watchRedis(o.target, health);
  const until = (cond: () => boolean): Promise<void> =>
    new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        if (cond()) {
          clearInterval(tick);
          resolve();
        }
      }, 200);
    });
  try {
    await until(() => o.signal.aborted || health.gaveUp || (o.idleExitMs !== null && active === 0 && Date.now() - lastBusy > o.idleExitMs));
    // stop taking runs; those in progress finish (unless Redis is gone: nobody could hear of them)
    const closing = worker.close().catch(() => {});
    await until(() => active === 0 || health.gaveUp);
    if (health.gaveUp) throw health.lostError();
    await closeWithin(() => closing, () => worker.close(true));
    return done;
  } finally {
    abortRuns.abort();
    stopWatch();
    if (health.gaveUp) void worker.close(true).catch(() => {});
  }
}
