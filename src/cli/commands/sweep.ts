/**
 * `gradscope sweep SWEEP.json --out DIR [--workers N] [--resume] [--shard i/n]
 * [--queue redis://HOST:PORT]`: a grid and/or random search over run-config
 * fields, run on a pool of worker threads (or spread over `gradscope worker`
 * processes through Redis), each result appended to DIR/results.jsonl the
 * moment its run finishes; a progress bar with ETA on stderr and a summary
 * table at the end. Subcommands: `sweep report DIR` (HTML heatmaps + CSV)
 * and `sweep merge DIR... --out DIR` (join shards). See docs/sweeps.md.
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { summaryTable } from '../../sweep/aggregate.js';
import type { RunTask } from '../../sweep/execute.js';
import { bytesNeeded, checkExisting, checkReportFile, checkSpace, checkWritable, cleanScratch, RUNS_DIR, SCRATCH_DIR } from '../../sweep/folder.js';
import { driveRuns, threadExecutor, type DriveEnd } from '../../sweep/pool.js';
import { checkRedis, DEFAULT_QUEUE_NAME, parseRedisUrl, runViaQueue } from '../../sweep/queue.js';
import type { RunRecord } from '../../sweep/record.js';
import { inShard, parseShard } from '../../sweep/shard.js';
import { InputError, inputError } from '../../errors.js';
import { checkSweepData, parseSweep, type Sweep } from '../../sweep/spec.js';
import { acquireLock } from '../../sweep/lock.js';
import { recordLine } from '../../sweep/record.js';
import { renderSweepReport } from '../../report/sweep.js';
import { toCsv } from '../../sweep/csv.js';
import { mergeSweepDirs } from '../../sweep/shard.js';
import { ioReason, MANIFEST_FILE, manifestOf, readManifest, readResults, RESULTS_FILE, ResultStore, writeFileAtomic, writeManifest } from '../../sweep/store.js';
import { color } from '../format.js';
import { memoryOption, numberOption, printJson, readJson, flagUsage, usageError } from '../io.js';
import type { RunState } from '../main.js';
import { compactTable } from '../table.js';
import { memoryBudget } from '../../experiments/budget.js';
import { checkSweepMemory } from '../../sweep/memory.js';
import { DEFAULT_QUEUE_TIMEOUT_S } from '../../sweep/redis.js';
import { stopOnSignals, type Stopper } from '../signals.js';
import { say, type MessageKey, msg } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { addLangOption, langOf } from '../lang.js';

/** Options of `gradscope sweep`. */
interface SweepOptions {
  out?: string;
  workers?: string;
  resume?: boolean;
  shard?: string;
  queue?: string;
  queueName: string;
  keepRuns?: boolean;
  dryRun?: boolean;
  json?: boolean;
  queueTimeout: string;
  memory?: string;
}

/** Progress on stderr: a bar with ETA on a terminal, otherwise a line every 5 s. */
function progress(total: number, already: number, lang: Lang): { tick(failed: number): void; stop(): void } {
  const t0 = Date.now();
  let done = already;
  if (process.stderr.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      { format: 'sweep |{bar}| {value}/{total} runs | {failed} failed | {duration_formatted} | ETA {eta_formatted}', stream: process.stderr, hideCursor: true, etaBuffer: 20, fps: 5 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, already, { failed: 0 });
    return { tick: (failed) => bar.update(++done, { failed }), stop: () => bar.stop() };
  }
  let last = Date.now();
  return {
    tick(failed) {
      done++;
      const now = Date.now();
      if (now - last < 5000 && done < total) return;
      last = now;
      const s = (now - t0) / 1000;
      const eta = done > already ? ((total - done) * s) / (done - already) : NaN;
      process.stderr.write(`${say(lang, 'cli.sweep.progress', { done, total, failed, secs: s.toFixed(0) })}${Number.isFinite(eta) && done < total ? say(lang, 'cli.sweep.eta', { secs: eta.toFixed(0) }) : ''}\n`);
    },
    stop() {},
  };
}

/** Prints the dry-run listing. */
function printDryRun(sweep: Sweep, shard: ReturnType<typeof parseShard> | null, json: boolean, lang: Lang): void {
  const runs = sweep.runs.filter((r) => inShard(r.index, shard));
  if (json) {
    printJson({ sweep: sweep.id, name: sweep.name, keys: sweep.keys, total: sweep.runs.length, duplicates: sweep.duplicates, shard, runs: runs.map((r) => ({ index: r.index, id: r.id, params: r.params })) });
    return;
  }
  process.stdout.write(`sweep ${sweep.name} (id ${sweep.id}): ${sweep.runs.length} runs${sweep.duplicates ? ` (${sweep.duplicates} duplicate combinations dropped)` : ''}, swept: ${sweep.keys.join(', ') || 'nothing'}${shard ? `; shard ${shard.index}/${shard.count} has ${runs.length}` : ''}\n`);
  for (const r of runs.slice(0, 20)) process.stdout.write(`  ${String(r.index).padStart(5)}  ${r.id}  ${Object.entries(r.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}\n`);
  if (runs.length > 20) process.stdout.write(`  ${say(lang, 'cli.sweep.more', { n: runs.length - 20 })}\n`);
}

/** Prints the end-of-sweep table. */
/** "healthy, vanishing ×2" with each verdict kind in `lang`. */
function verdictsIn(counts: string, lang: Lang): string {
  return counts.replace(/\b(vanishing|exploding|dead|saturated|collapsed|healthy)\b/g, (k) => say(lang, `term.verdict.${k}` as MessageKey));
}

function printSummary(records: readonly RunRecord[], keys: readonly string[], lang: Lang): void {
  const t = summaryTable(records, keys);
  // the setting names stay as they are; the measures and verdicts in the reader's language
  const heads: MessageKey[] = ['cli.sweep.col.runs', 'cli.sweep.col.accuracy', 'cli.sweep.col.ratioInit', 'cli.sweep.col.ratioEnd', 'cli.sweep.col.verdict'];
  const keyCount = t.head.length - heads.length;
  const table = compactTable([...t.head.slice(0, keyCount), ...heads.map((k) => say(lang, k))]);
  t.rows.forEach((r) => table.push([...r.slice(0, -1), verdictsIn(r[r.length - 1], lang)]));
  process.stdout.write(`${table.toString()}\n`);
  if (t.more > 0) process.stdout.write(`${say(lang, 'cli.sweep.moreGroups', { n: t.more })}\n`);
}

/** Runs (or resumes) a sweep; returns the exit code. */
async function runSweep(file: string, o: SweepOptions): Promise<number> {
  const lang = langOf(o as unknown as Record<string, unknown>);
  const sweep = parseSweep(readJson(file, 'sweep'), file);
  const shard = o.shard !== undefined ? parseShard(o.shard) : null;
  const workers = numberOption('--workers', o.workers, { integer: true, min: 1, max: 256 }) ?? availableParallelism();
  const target = o.queue !== undefined ? parseRedisUrl(o.queue) : null;
  if (o.queueName.includes(':') || o.queueName.trim() === '') throw flagUsage('--queue-name', msg('err.gotTyped', { clause: msg('err.sweep.queueName', { colon: "':'" }), value: o.queueName }));
  const timeout = numberOption('--queue-timeout', o.queueTimeout, { min: 1, max: 86400 }) as number;
  const shapes = checkSweepData(sweep, file);
  const mine = sweep.runs.filter((r) => inShard(r.index, shard));
  // the runs of this machine: the largest of them, times the runs at once (a queue's workers check their own)
  if (target === null) checkSweepMemory(mine, shapes, Math.min(workers, Math.max(1, mine.length)), memoryBudget(o.memory), file);
  if (o.dryRun) {
    printDryRun(sweep, shard, o.json === true, lang);
    return 0;
  }
  if (o.out === undefined) throw usageError([], msg('err.sweep.needsOut'));
  if (target !== null && o.keepRuns) throw usageError([], msg('err.sweep.keepRuns'));
  const dir = resolve(o.out);
  if (target !== null) await checkRedis(target);

  // everything that can be wrong is found before any run starts
  const existing = checkExisting(dir, sweep, shard, o.resume === true);
  checkWritable(dir);
  const recorded = new Set(readResults(join(dir, RESULTS_FILE), sweep.id, false).records.map((r) => r.id));
  checkSpace(dir, bytesNeeded(mine.filter((r) => !recorded.has(r.id)).map((r) => r.config), target ? 0 : workers, o.keepRuns === true));
  const { store, contents } = ResultStore.open(dir, sweep.id);
  const records: RunRecord[] = [...contents.records];
  let end: DriveEnd = { kind: 'done' };
  let bar: { tick(failed: number): void; stop(): void } | null = null;
  let stopper: Stopper | null = null;
  try {
    contents.notes.forEach((n) => process.stderr.write(`gradscope: ${n}\n`));
    const todo = mine.filter((r) => !store.has(r.id));
    const workDir = join(dir, o.keepRuns ? RUNS_DIR : SCRATCH_DIR);
    if (existing === null) {
      try {
        writeManifest(dir, manifestOf(sweep, file, shard));
      } catch (e) {
        throw new InputError(`--out ${dir}: cannot write ${MANIFEST_FILE} (${ioReason(e)})`);
      }
    }
    cleanScratch(dir);
    const lanes = Math.min(workers, Math.max(1, todo.length));
    const where = target ? say(lang, 'cli.sweep.onQueue', { name: o.queueName, url: target.display }) : lanes === 1 && lang === 'en' ? '1 worker' : say(lang, 'cli.sweep.onWorkers', { n: lanes });
    const inShard = shard ? say(lang, 'cli.sweep.inShard', { i: shard.index, n: shard.count }) : '';
    process.stderr.write(`${say(lang, 'cli.sweep.start', { name: sweep.name, id: sweep.id, n: mine.length, shard: inShard, done: mine.length - todo.length, todo: todo.length, where, dir })}\n`);
    const t0 = Date.now();
    const mineIds = new Set(mine.map((r) => r.id));
    let failed = records.filter((r) => r.status === 'error' && mineIds.has(r.id)).length;
    bar = progress(mine.length, mine.length - todo.length, lang);
    const onRecord = (r: RunRecord): void => {
      if (!store.append(r)) return;
      records.push(r);
      if (r.status === 'error') failed++;
      bar?.tick(failed);
    };
    stopper = stopOnSignals({
      command: 'sweep',
      stopping: `stopping the sweep; runs in progress are dropped, finished ones are kept${target ? ' (runs already taken by workers finish and wait for --resume)' : ''}`,
      kept: () => `${store.count} results are kept in ${join(dir, RESULTS_FILE)}; rerun with --resume to finish`,
      // taking waiting runs off a queue is bounded; this bounds everything else
      graceMs: 30_000,
    });
    const tasks: RunTask[] = todo.map((r) => ({ sweep: sweep.id, id: r.id, index: r.index, params: r.params, config: r.config, workDir, keep: o.keepRuns === true }));
    if (target) {
      end = await runViaQueue(tasks.map(({ workDir: _w, keep: _k, ...data }) => data), { target, queueName: o.queueName, signal: stopper.signal, onRecord, timeoutMs: timeout * 1000, log: (line) => process.stderr.write(`gradscope sweep: ${line}\n`) });
    } else if (tasks.length > 0) {
      const pool = threadExecutor(Math.min(workers, tasks.length));
      try {
        end = await driveRuns(tasks, { concurrency: workers, run: pool.run, signal: stopper.signal, onRecord });
      } finally {
        await pool.close();
      }
    }
    bar.stop();
    bar = null;
    const recordedMine = records.filter((r) => mineIds.has(r.id));
    const seconds = (Date.now() - t0) / 1000;
    if (o.json) printJson({ sweep: sweep.id, name: sweep.name, dir, shard, total: mine.length, recorded: recordedMine.length, failed, end: end.kind, seconds, groups: summaryTable(recordedMine, sweep.keys, Infinity) });
    else if (recordedMine.length > 0) printSummary(recordedMine, sweep.keys, lang);
    const missing = mine.length - recordedMine.length;
    if (end.kind === 'failed') {
      const hint = end.message.includes('--resume') ? '' : `; the ${recordedMine.length} results recorded so far are kept — fix that and rerun with --resume`;
      process.stderr.write(`gradscope: ${end.message}${hint}\n`);
      return 1;
    }
    if (end.kind === 'interrupted') {
      process.stderr.write(`gradscope sweep: stopped by ${stopper.received ?? 'a signal'}: ${recordedMine.length} of ${mine.length} runs recorded in ${join(dir, RESULTS_FILE)}; rerun with --resume to finish\n`);
      return stopper.exitCode ?? 1;
    }
    process.stderr.write(`${color.bold(say(lang, 'cli.sweep.done'))}${lang === 'en' ? ': ' : '：'}${say(lang, 'cli.sweep.recorded', { n: recordedMine.length, m: mine.length, secs: seconds.toFixed(1) })}${failed ? say(lang, 'cli.sweep.failed', { n: failed }) : ''}${missing ? say(lang, 'cli.sweep.missing', { n: missing }) : ''} → ${join(dir, 'results.jsonl')}\n`);
    return failed > 0 ? 1 : 0;
  } finally {
    bar?.stop();
    try {
      if (!o.keepRuns) cleanScratch(dir);
    } catch {
      // a folder that went read-only keeps its scratch until the next start
    }
    store.close();
    stopper?.dispose();
  }
}

/** Writes `file`, turning a failure into an InputError naming it. */
function writeOut(file: string, text: string): void {
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    throw new InputError(`cannot write ${file} (${ioReason(e)})`);
  }
}

/** Reads a sweep folder's manifest; an InputError when there is none. */
function manifestAt(dir: string, shown: string): NonNullable<ReturnType<typeof readManifest>> {
  const m = readManifest(dir);
  if (m === null) throw inputError([shown], msg('err.sweep.noManifest', { file: 'manifest.json' }));
  return m;
}

/**
 * The `sweep` command's own --out and --json as given after a subcommand:
 * commander lets the parent take its options wherever they appear, so
 * `sweep merge A B --out C` hands --out to `sweep`, not to `merge`.
 */
function inherited(self: Command): { out?: string; json?: boolean; lang?: string } {
  return (self.parent?.opts() ?? {}) as { out?: string; json?: boolean; lang?: string };
}

/** Builds `sweep report DIR`. */
function reportCommand(state: RunState): Command {
  return addLangOption(new Command('report'))
    .description("a sweep's HTML report (heatmaps, seeds aggregated) and all its results as CSV")
    .argument('<dir>', 'sweep folder')
    .option('--rows <key>', 'swept key for the heatmap rows (default: activation, else the first swept key)')
    .option('--cols <key>', 'swept key for the heatmap columns (default: depth, else the next swept key)')
    .option('--html <file>', 'where to write the report (default: DIR/report.html)')
    .option('--csv <file>', 'where to write the CSV (default: DIR/results.csv)')
    .option('--json', 'print what was written as JSON')
    .action((dirArg: string, own: { rows?: string; cols?: string; html?: string; csv?: string; json?: boolean; lang?: string }, self: Command) => {
      const o = { ...own, json: own.json ?? inherited(self).json, lang: own.lang ?? inherited(self).lang };
      const dir = resolve(dirArg);
      const m = manifestAt(dir, dirArg);
      const { records, notes } = readResults(join(dir, RESULTS_FILE), m.sweep, false);
      notes.forEach((n) => process.stderr.write(`gradscope: ${n.replace(': dropped', ': skipped')}\n`));
      for (const [opt, key] of [['--rows', o.rows], ['--cols', o.cols]] as const) {
        if (key !== undefined && !m.keys.includes(key)) throw flagUsage(opt, msg('err.gotTyped', { clause: msg('err.sweep.notKey', { keys: m.keys.length > 0 ? m.keys.join(', ') : msg('err.none') }), value: key }));
      }
      const htmlFile = resolve(o.html ?? join(dir, 'report.html'));
      const csvFile = resolve(o.csv ?? join(dir, 'results.csv'));
      checkReportFile(htmlFile, '--html', dir);
      checkReportFile(csvFile, '--csv', dir);
      if (htmlFile === csvFile) throw usageError([], msg('err.sweep.sameFile', { file: htmlFile }));
      const csvName = join(dir, 'results.csv') === csvFile ? 'results.csv' : csvFile;
      writeOut(csvFile, toCsv(records, m.keys));
      writeOut(htmlFile, renderSweepReport({ name: m.name, sweep: m.sweep, created: m.created, keys: m.keys, total: m.runs.length, records, rows: o.rows, cols: o.cols, csvName }, langOf(o)));
      if (o.json) printJson({ sweep: m.sweep, html: htmlFile, csv: csvFile, recorded: records.length, total: m.runs.length });
      else process.stdout.write(`${say(langOf(o), 'cli.sweep.reportFiles', { html: htmlFile, csv: csvFile, n: records.length, m: m.runs.length })}\n`);
      state.code = 0;
    });
}

/** Builds `sweep merge DIR... --out DIR`. */
function mergeCommand(state: RunState): Command {
  return new Command('merge')
    .description('join the folders of a sweep\'s shards into one sweep folder (refuses folders of different sweeps)')
    .argument('<dirs...>', 'sweep folders (shards) to merge')
    .option('--out <dir>', 'the merged sweep folder (may be one of the inputs; required)')
    .option('--json', 'print the outcome as JSON')
    .action((dirArgs: string[], own: { out?: string; json?: boolean }, self: Command) => {
      const o = { out: own.out ?? inherited(self).out, json: own.json ?? inherited(self).json };
      if (o.out === undefined) throw usageError([], msg('err.merge.needsOut', { cmd: 'sweep merge' }));
      const out = resolve(o.out);
      const inputs = dirArgs.map((d) => resolve(d));
      inputs.forEach((d, i) => manifestAt(d, dirArgs[i]));
      // a merged folder that already holds results keeps them; a shard's folder stays a shard's
      const outManifest = readManifest(out);
      if (outManifest?.shard) {
        throw inputError([`--out ${o.out}`], msg('err.merge.intoShard', { shard: `${outManifest.shard.index}/${outManifest.shard.count}` }));
      }
      if (!inputs.includes(out) && outManifest !== null) inputs.push(out);
      const r = mergeSweepDirs(inputs);
      checkWritable(out);
      const lock = acquireLock(join(out, `${RESULTS_FILE}.lock`), out);
      try {
        writeManifest(out, r.manifest);
        writeOut(join(out, RESULTS_FILE), r.records.map(recordLine).join(''));
      } finally {
        lock.release();
      }
      r.notes.forEach((n) => process.stderr.write(`gradscope: ${n}\n`));
      const total = r.manifest.runs.length;
      if (o.json) printJson({ sweep: r.manifest.sweep, out, folders: inputs.length, recorded: r.records.length, total, missing: r.missing, duplicates: r.duplicates });
      else {
        process.stdout.write(`merged ${inputs.length} folder${inputs.length === 1 ? '' : 's'} of sweep ${r.manifest.name} (id ${r.manifest.sweep}) into ${out}: ${r.records.length} of ${total} runs${r.duplicates ? `, ${r.duplicates} found twice and kept once` : ''}\n`);
        if (r.missing > 0) process.stdout.write(`${r.missing} runs are missing; run them with: gradscope sweep SWEEP.json --out ${out} --resume\n`);
      }
      state.code = 0;
    });
}

/** Builds the `sweep` command (with its `report` and `merge` subcommands). */
export function sweepCommand(state: RunState): Command {
  const cmd = addLangOption(new Command('sweep'))
    .description('grid and random searches over run-config fields, on a worker pool, in shards, or through a Redis queue')
    .argument('<sweep>', 'sweep file (JSON, gradscope-sweep/1; see docs/sweeps.md)')
    .option('--out <dir>', 'sweep folder: manifest.json and results.jsonl (required unless --dry-run)')
    .option('--workers <n>', 'runs at once on this machine (default: the number of cores)')
    .option('--resume', 'finish the sweep already in --out; recorded runs are not run again')
    .option('--shard <i/n>', 'run only shard i of n (i from 0): the runs whose index is i mod n')
    .option('--queue <url>', 'put the runs on a Redis queue (redis://HOST:PORT) for `gradscope worker` processes and collect their results')
    .option('--queue-name <name>', 'the queue shared with the workers', DEFAULT_QUEUE_NAME)
    .option('--queue-timeout <s>', 'give up (exit 1, keeping every result) when Redis stays away this long', String(DEFAULT_QUEUE_TIMEOUT_S))
    .addOption(memoryOption())
    .option('--keep-runs', 'keep every run directory under DIR/runs/<id> (metrics.jsonl, model.json, ...)')
    .option('--dry-run', 'validate the sweep and list its runs without running them')
    .option('--json', 'print a JSON summary on stdout')
    .action(async (file: string, o: SweepOptions) => {
      state.code = await runSweep(file, o);
    });
  cmd.addCommand(reportCommand(state));
  cmd.addCommand(mergeCommand(state));
  return cmd;
}
