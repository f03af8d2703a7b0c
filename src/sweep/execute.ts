/**
 * Runs one run of a sweep wherever it lands — a thread of the local pool or
 * a queue worker on another machine: re-resolves its config (and checks the
 * id, so two versions of gradscope that read a config differently are
 * caught), trains it with `runTraining` in a scratch run directory, and turns
 * the summary into a result line. A failure of the run itself becomes an
 * error record; a failure of the machine (disk full, read-only) is 'fatal'
 * and stops the sweep instead of being recorded as the run's result.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { checkMemory, withSource } from '../experiments/budget.js';
import { msg } from '../i18n/catalogue.js';
import { dataShapeOf, runMemory } from '../experiments/memory.js';
import { loadRunData, runTraining } from '../experiments/run.js';
import { parseRun, type RunInput } from '../run/schema.js';
import { runIdOf } from './ids.js';
import { errorRecord, recordOf, type RunRecord } from './record.js';
import { ioReason } from '../experiments/files.js';

/** One run as it travels to a worker (a thread's message or a queue job's data). */
export interface RunTask {
  readonly sweep: string;
  readonly id: string;
  readonly index: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** The resolved run config (plain JSON). */
  readonly config: unknown;
  /** Where the run directory goes: a scratch folder, removed after the run unless `keep`. */
  readonly workDir: string;
  /** Keep the run directory as workDir/<id> (config.json, metrics.jsonl, summary.json, model.json). */
  readonly keep: boolean;
  /** The memory this run may use (its share of the machine's budget); a run needing more is recorded as an error. */
  readonly memoryBytes?: number;
}

/** What running a task gives: its result line, or a failure of the machine that ran it. */
export type RunOutcome = { readonly kind: 'record'; readonly record: RunRecord } | { readonly kind: 'fatal'; readonly message: string };

/** Error codes that say the machine, not the run, is at fault. */
const MACHINE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EMFILE', 'ENFILE', 'ENOMEM']);

/** Runs `task` and resolves to its outcome; never rejects. */
export async function executeRun(task: RunTask, shouldStop?: () => boolean): Promise<RunOutcome> {
  const t0 = performance.now();
  const seconds = (): number => (performance.now() - t0) / 1000;
  const dir = task.keep ? join(task.workDir, task.id) : join(task.workDir, `${task.id}-${process.pid}-${threadId}`);
  try {
    const cfg = parseRun(task.config as RunInput);
    const id = runIdOf(cfg);
    if (id !== task.id) {
      return { kind: 'record', record: errorRecord(task, `this worker's gradscope resolves the run's config to id ${id}, not ${task.id}; run the sweep and its workers with the same version`, seconds()) };
    }
    const data = loadRunData(cfg, `run ${task.id}`);
    if (task.memoryBytes !== undefined) {
      checkMemory(runMemory(cfg, dataShapeOf(data, cfg.data === 'digits')), withSource(task.memoryBytes, msg('err.mem.workerShare')), msg('err.mem.task', { id: task.id, arch: cfg.arch.join('-') }));
    }
    rmSync(dir, { recursive: true, force: true });
    const summary = await runTraining(cfg, dir, { data, configFile: `run ${task.id}`, shouldStop });
    return { kind: 'record', record: recordOf(task, summary, seconds()) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && MACHINE_ERRORS.has(code)) return { kind: 'fatal', message: `cannot write the run directory ${dir} (${ioReason(e)})` };
    return { kind: 'record', record: errorRecord(task, e instanceof Error ? e.message : String(e), seconds()) };
  } finally {
    if (!task.keep) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // a scratch folder that cannot be removed is left for the next start to clean
      }
    }
  }
}
