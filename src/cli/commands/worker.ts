/**
 * `gradscope worker --queue redis://HOST:PORT [--concurrency N]`: takes runs
 * of any sweep from the Redis queue that `gradscope sweep --queue` fills,
 * runs them on a pool of threads and hands the results back through the
 * queue. Start as many as you like, on any machines. SIGINT, SIGTERM (as
 * Kubernetes sends) or SIGHUP stops taking runs and lets the ones in
 * progress finish; a second one quits at once, and those runs are retried
 * elsewhere once their lock expires. A Redis that stays away longer than
 * --queue-timeout ends the worker with exit 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { checkMemory, memoryBudget } from '../../experiments/budget.js';
import { formatBytes, THREAD_BYTES } from '../../experiments/memory.js';
import { msg } from '../../i18n/catalogue.js';
import { threadExecutor } from '../../sweep/pool.js';
import { checkRedis, DEFAULT_QUEUE_NAME, parseRedisUrl, runQueueWorker } from '../../sweep/queue.js';
import { DEFAULT_QUEUE_TIMEOUT_S, RedisLostError } from '../../sweep/redis.js';
import { workerName } from '../../sweep/record.js';
import { flagUsage, memoryOption, numberOption } from '../io.js';
import type { RunState } from '../main.js';
import { stopOnSignals } from '../signals.js';

/** Options of `gradscope worker`. */
interface WorkerOptions {
  queue: string;
  queueName: string;
  concurrency?: string;
  lockSeconds: string;
  idleExit?: string;
  queueTimeout: string;
  memory?: string;
}

/** Builds the `worker` command. */
export function workerCommand(state: RunState): Command {
  return new Command('worker')
    .description('run sweep runs taken from a Redis queue (see gradscope sweep --queue)')
    .requiredOption('--queue <url>', 'the Redis holding the queue, redis://HOST:PORT[/DB]')
    .option('--queue-name <name>', 'the queue shared with the sweep', DEFAULT_QUEUE_NAME)
    .option('--concurrency <n>', 'runs at once (default: the number of cores)')
    .option('--lock-seconds <s>', 'lock time of a run: a killed worker\'s run is retried after about this long', '30')
    .option('--idle-exit <s>', 'exit after this many seconds without work (default: run until stopped)')
    .option('--queue-timeout <s>', 'give up (exit 1) when Redis stays away this long', String(DEFAULT_QUEUE_TIMEOUT_S))
    .addOption(memoryOption())
    .action(async (o: WorkerOptions) => {
      const target = parseRedisUrl(o.queue);
      if (o.queueName.includes(':') || o.queueName.trim() === '') throw flagUsage('--queue-name', msg('err.gotTyped', { clause: msg('err.sweep.queueName', { colon: "':'" }), value: o.queueName }));
      const concurrency = numberOption('--concurrency', o.concurrency, { integer: true, min: 1, max: 256 }) ?? availableParallelism();
      const lockSeconds = numberOption('--lock-seconds', o.lockSeconds, { min: 1, max: 86400 }) as number;
      const idle = numberOption('--idle-exit', o.idleExit, { min: 0 });
      const timeout = numberOption('--queue-timeout', o.queueTimeout, { min: 1, max: 86400 }) as number;
      const budget = memoryBudget(o.memory);
      // each thread's own cost; each run is checked against its share of the budget when it arrives
      checkMemory({ bytes: concurrency * THREAD_BYTES, parts: { 'worker threads': concurrency * THREAD_BYTES }, largestBuffer: 0 }, budget, msg('err.mem.threads', { n: String(concurrency) }), [`--concurrency ${concurrency}`]);
      const share = Math.floor(budget.bytes / concurrency);
      await checkRedis(target);

      const me = workerName();
      const log = (line: string): void => {
        process.stderr.write(`worker ${me}: ${line}\n`);
      };
      const stopper = stopOnSignals({
        command: 'worker',
        stopping: 'taking no more runs; finishing the runs in progress',
        kept: () => 'the runs finished so far were handed back; runs in progress are retried elsewhere once their lock expires',
        log,
      });
      const workDir = mkdtempSync(join(tmpdir(), 'gradscope-worker-'));
      const pool = threadExecutor(concurrency);
      log(`taking runs from ${o.queueName} at ${target.display}, ${concurrency} at a time, up to ${formatBytes(share)} each`);
      try {
        const done = await runQueueWorker({
          target,
          queueName: o.queueName,
          concurrency,
          lockMs: lockSeconds * 1000,
          workDir,
          run: (task, signal) => pool.run({ ...task, memoryBytes: share }, signal),
          signal: stopper.signal,
          idleExitMs: idle === undefined ? null : idle * 1000,
          timeoutMs: timeout * 1000,
          log,
        });
        log(`stopped after ${done} run${done === 1 ? '' : 's'}${stopper.received ? ` (${stopper.received})` : ''}`);
        state.code = stopper.exitCode ?? 0;
      } catch (e) {
        if (!(e instanceof RedisLostError)) throw e;
        process.stderr.write(`gradscope: ${e.message}; the runs finished before were handed back, those in progress are retried once it is back\n`);
        state.code = 1;
      } finally {
        await pool.close();
        rmSync(workDir, { recursive: true, force: true });
        stopper.dispose();
      }
    });
}
