/**
 * `gradscope worker --queue redis://HOST:PORT [--concurrency N]`: takes runs
 * of any sweep from the Redis queue that `gradscope sweep --queue` fills,
 * runs them on a pool of threads and hands the results back through the
 * queue. Start as many as you like, on any machines. Ctrl-C (or SIGTERM, as
 * Kubernetes sends) stops taking runs and lets the ones in progress finish;
 * a second one quits at once, and those runs are retried elsewhere once
 * their lock expires.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { threadExecutor } from '../../sweep/pool.js';
import { checkRedis, DEFAULT_QUEUE_NAME, parseRedisUrl, runQueueWorker } from '../../sweep/queue.js';
import { workerName } from '../../sweep/record.js';
import { numberOption, UsageError } from '../io.js';
import type { RunState } from '../main.js';
import { EXIT_INTERRUPTED } from './train.js';

/** Options of `gradscope worker`. */
interface WorkerOptions {
  queue: string;
  queueName: string;
  concurrency?: string;
  lockSeconds: string;
  idleExit?: string;
}

/** Builds the `worker` command. */
export function workerCommand(state: RunState): Command {
  return new Command('worker')
    .description('run sweep runs taken from a Redis queue (see gradscope sweep --queue)')
    .requiredOption('--queue <url>', 'the Redis holding the queue, redis://HOST:PORT')
    .option('--queue-name <name>', 'the queue shared with the sweep', DEFAULT_QUEUE_NAME)
    .option('--concurrency <n>', 'runs at once (default: the number of cores)')
    .option('--lock-seconds <s>', 'lock time of a run: a killed worker\'s run is retried after about this long', '30')
    .option('--idle-exit <s>', 'exit after this many seconds without work (default: run until stopped)')
    .action(async (o: WorkerOptions) => {
      const target = parseRedisUrl(o.queue);
      if (o.queueName.includes(':') || o.queueName.trim() === '') throw new UsageError(`--queue-name must be non-empty and without ':'; got '${o.queueName}'`);
      const concurrency = numberOption('--concurrency', o.concurrency, { integer: true, min: 1, max: 256 }) ?? availableParallelism();
      const lockSeconds = numberOption('--lock-seconds', o.lockSeconds, { min: 1, max: 86400 }) as number;
      const idle = numberOption('--idle-exit', o.idleExit, { min: 0 });
      await checkRedis(target);

      const me = workerName();
      const log = (line: string): void => {
        process.stderr.write(`worker ${me}: ${line}\n`);
      };
      const ctrl = new AbortController();
      const onSignal = (): void => {
        if (ctrl.signal.aborted) {
          log('interrupted again; quitting now (runs in progress are retried elsewhere)');
          process.exit(EXIT_INTERRUPTED);
        }
        ctrl.abort();
        log('stopping: finishing the runs in progress (Ctrl-C again to quit at once)');
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const workDir = mkdtempSync(join(tmpdir(), 'gradscope-worker-'));
      const pool = threadExecutor(concurrency);
      log(`taking runs from ${o.queueName} at ${target.display}, ${concurrency} at a time`);
      try {
        const done = await runQueueWorker({ target, queueName: o.queueName, concurrency, lockMs: lockSeconds * 1000, workDir, run: pool.run, signal: ctrl.signal, idleExitMs: idle === undefined ? null : idle * 1000, log });
        log(`stopped after ${done} run${done === 1 ? '' : 's'}`);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await pool.close();
        rmSync(workDir, { recursive: true, force: true });
      }
      state.code = ctrl.signal.aborted ? EXIT_INTERRUPTED : 0;
    });
}
