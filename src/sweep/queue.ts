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
import { Redis } from 'ioredis';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { show } from '../nn/model-file.js';
import type { RunTask } from './execute.js';
import type { DriveEnd, Executor } from './pool.js';
import { errorRecord, recordSchema, type RunRecord } from './record.js';

/** The queue's default name (workers and sweeps must agree on it). */
export const DEFAULT_QUEUE_NAME = 'gradscope-runs';

/** Where Redis is. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  /** The URL without its password, for messages. */
  readonly display: string;
}

/** Parses `redis://[user:password@]host[:port][/db]`; throws an InputError naming the option and the value. */
export function parseRedisUrl(text: string, option = '--queue'): RedisTarget {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new InputError(`${option} must be a Redis URL such as redis://127.0.0.1:6379; got ${show(text)}`);
  }
  if (u.protocol !== 'redis:') throw new InputError(`${option} must be a redis:// URL (rediss:// and others are not supported); got ${show(text)}`);
  if (u.hostname === '') throw new InputError(`${option} needs a host, as in redis://127.0.0.1:6379; got ${show(text)}`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new InputError(`${option}: the database after the port must be a number such as /0; got ${show(text)}`);
  if (u.search !== '' || u.hash !== '') throw new InputError(`${option} takes no query or fragment; got ${show(text)}`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    db,
    username: u.username !== '' ? decodeURIComponent(u.username) : undefined,
    password: u.password !== '' ? decodeURIComponent(u.password) : undefined,
    display: `redis://${u.hostname}:${port}${db > 0 ? `/${db}` : ''}`,
  };
}

/** ioredis options for `t`; workers need maxRetriesPerRequest null (BullMQ blocks on its connection). */
function connectionOf(t: RedisTarget): { host: string; port: number; db: number; username?: string; password?: string; maxRetriesPerRequest: null } {
  return { host: t.host, port: t.port, db: t.db, username: t.username, password: t.password, maxRetriesPerRequest: null };
}

/** Checks that Redis answers within `timeoutMs`; throws an InputError saying why not. */
export async function checkRedis(t: RedisTarget, option = '--queue', timeoutMs = 5000): Promise<void> {
  const client = new Redis({ ...connectionOf(t), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // the socket's own error (ECONNREFUSED, ENOTFOUND) says more than connect()'s "Connection is closed."
  let cause: Error | null = null;
  client.on('error', (e: Error) => (cause ??= e));
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    const err = cause ?? (e as Error);
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${option} ${t.display}: cannot reach Redis (${code ?? err.message}); is redis-server running there?`);
  } finally {
    // disconnecting a client that has already ended keeps the process alive for 2 s more
    if (client.status !== 'end') client.disconnect();
  }
}

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
  queue.on('error', () => {});
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
  try {
    await enqueue();
    for (let round = 1; pending.size > 0 && !o.signal.aborted; round++) {
      const finished: [Job<JobData, RunRecord>, boolean][] = [...(await queue.getCompleted(0, -1)).map((j) => [j, true] as [Job<JobData, RunRecord>, boolean]), ...(await queue.getFailed(0, -1)).map((j) => [j, false] as [Job<JobData, RunRecord>, boolean])];
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
      // a queue that lost jobs (Redis restarted without persistence) gets them again; existing ids are kept
      if (round % 60 === 0 && pending.size > 0) await enqueue();
      if (pending.size > 0) await sleep(o.pollMs ?? 250, o.signal);
    }
    if (o.signal.aborted && pending.size > 0) end = { kind: 'interrupted' };
    return end;
  } catch (e) {
    // commands wait while ioredis reconnects; what still fails (a Redis that refuses us) ends the sweep
    return (end = { kind: 'failed', message: `the queue at ${o.target.display} failed (${(e as Error).message})` });
  } finally {
    if (end.kind !== 'done') {
      // runs not started yet leave the queue; runs in progress finish and wait for --resume
      const waiting = await queue.getJobs(['waiting', 'delayed', 'prioritized'], 0, -1).catch(() => []);
      for (const job of waiting) if (job.id !== undefined && pending.has(job.id)) await job.remove().catch(() => {});
    }
    await queue.close().catch(() => {});
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
}

/** Takes runs from the queue until stopped (or idle for `idleExitMs`); resolves to the number of runs done. */
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
    { connection: connectionOf(o.target), concurrency: o.concurrency, lockDuration: o.lockMs, stalledInterval: o.lockMs, maxStalledCount: 10, removeOnComplete: { count: 1_000_000 }, removeOnFail: { count: 1_000_000 } },
  );
  let lastError = '';
  worker.on('error', (e) => {
    // ioredis reconnects by itself; say so once per distinct problem
    if (e.message !== lastError) o.log(`queue: ${e.message}`);
    lastError = e.message;
  });
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      if (o.signal.aborted || (o.idleExitMs !== null && active === 0 && Date.now() - lastBusy > o.idleExitMs)) {
        clearInterval(tick);
        resolve();
      }
    }, 200);
  });
  await worker.close();
  abortRuns.abort();
  return done;
}
