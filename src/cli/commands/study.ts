/**
 * `gradscope study` (also `gradscope` and `npm start`): the vanishing-gradient
 * study on the embedded digits, with a progress bar per stage; writes
 * report/index.html, report/results.json and report/summary.md — as a whole
 * (folders.ts): the folder is either wholly the old report or wholly the new
 * one, also when the disk fills or the study is stopped. The report folder
 * and the memory the workers need are checked before the study starts;
 * SIGINT, SIGTERM or SIGHUP ends it at once, leaving the folder as it was.
 * Stage 3's learning-rate sweeps record every run in OUT/lr-sweep as it
 * finishes; the folder is carried into every new report, and `--resume`
 * keeps what an interrupted study recorded there.
 */
import { readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { loadDigits } from '../../data/node.js';
import { defaultWorkers, runStudyParallel, STAGES } from '../../study/study.js';
import type { StudyResults } from '../../study/types.js';
import { renderHtml, renderSummaryMd, renderTerminalSummary } from '../../report/index.js';
import { checkMemory, memoryBudget } from '../../experiments/budget.js';
import { unwritableReason } from '../../experiments/files.js';
import { checkReplaceable, folderWriteFailure, replaceFolder } from '../../experiments/folders.js';
import { studyMemory } from '../../experiments/memory.js';
import { InputError, jsonSafe, memoryOption, numberOption, printJson } from '../io.js';
import { msg, say } from '../../i18n/catalogue.js';
import { padEnd } from '../format.js';
import type { Stage } from '../../study/plan.js';
import type { Lang } from '../../i18n/lang.js';
import { addLangOption, langOf } from '../lang.js';
import type { RunState } from '../main.js';
import { stopOnSignals } from '../signals.js';

/** The files of a report folder. */
export const REPORT_FILES = ['index.html', 'results.json', 'summary.md'] as const;

/** The folder of stage 3's sweeps inside a report folder, carried from one report to the next. */
export const SWEEPS_DIR = 'lr-sweep';

const require = createRequire(import.meta.url);

/** The package version, from package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Builds the `study` command. */
export function studyCommand(state: RunState): Command {
  return addLangOption(new Command('study'))
    .description('the vanishing-gradient study on the embedded digits; writes an HTML report')
    .option('--quick', 'fewer seeds, steps and depths: about a minute')
    .option('--out <dir>', 'report folder', 'report')
    .option('--seed <n>', 'seed of every random draw', '1')
    .option('--workers <n>', 'worker threads (1 = run in this thread; same numbers either way)', String(defaultWorkers()))
    .option('--resume', "keep the training runs an interrupted study recorded in OUT/lr-sweep (stage 3's learning-rate sweeps) instead of starting afresh")
    .option('--json', 'print results.json on stdout instead of the summary')
    .addOption(memoryOption())
    .action(async (o: { quick?: boolean; out: string; seed: string; workers: string; resume?: boolean; json?: boolean; memory?: string; lang?: string }) => {
      const lang = langOf(o);
      const seed = numberOption('--seed', o.seed, { integer: true })!;
      const workers = numberOption('--workers', o.workers, { integer: true, min: 1, max: 64 })!;
      checkMemory(studyMemory(workers), memoryBudget(o.memory), msg('err.mem.study', { n: workers }), [`--workers ${workers}`]);
      const out = resolve(o.out);
      const label = `--out ${o.out}`;
      // fail early if the report folder cannot be replaced: the new report is written beside it
      const exists = checkReplaceable(out, REPORT_FILES, { label, own: [SWEEPS_DIR] });
      // the new report is written beside the folder (and into it, where the folder is a mount point)
      const why = unwritableReason(dirname(out)) ?? (exists ? unwritableReason(out) : null);
      if (why !== null) throw new InputError(`${label}: cannot write the report there (${why}); choose another folder`);
      const stopper = stopOnSignals({ command: 'study', stopping: 'stopping', atOnce: true, kept: () => `no report was written; ${o.out} keeps its previous report, and ${join(o.out, SWEEPS_DIR)} the training runs recorded so far (--resume continues from them)` });
      try {
        await study(o, seed, workers, out, label, lang, stopper.signal);
      } finally {
        stopper.dispose();
      }
      state.code = 0;
    });
}

/**
 * Writes the report folder `out` (index.html, results.json, summary.md) as a
 * whole: afterwards it is wholly the new report, or — when the disk is full
 * or the folder read-only — wholly what it was. The sweeps' folder
 * (SWEEPS_DIR) is carried over from the old folder. Returns the results as
 * written (non-finite numbers as null).
 */
export function writeReport(out: string, results: StudyResults, label = out, lang: Lang = 'en'): StudyResults {
  const chartJs = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8');
  const json = JSON.stringify(results, jsonSafe);
  const clean = JSON.parse(json) as StudyResults;
  try {
    replaceFolder(out, { 'results.json': `${json}\n`, 'index.html': renderHtml(clean, { chartJs }, { lang }), 'summary.md': renderSummaryMd(clean, lang) }, { label, carry: [SWEEPS_DIR] });
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new Error(folderWriteFailure(label, e));
  }
  return clean;
}

/** Runs the study and writes the report folder `out` as a whole. */
async function study(o: { quick?: boolean; json?: boolean; resume?: boolean }, seed: number, workers: number, out: string, label: string, lang: Lang, signal: AbortSignal): Promise<void> {
  const t0 = performance.now();
  const tty = process.stderr.isTTY === true;
  const bars = tty
    ? new cliProgress.MultiBar({ format: ' {stage} |{bar}| {percentage}% {label}', clearOnComplete: false, hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
    : null;
  const barOf = new Map<string, cliProgress.SingleBar>();
  let lastLog = 0;
  const digits = loadDigits();
  // stage 3's sweeps record every run as it finishes; without --resume an old record is not trusted
  const sweepDir = join(out, SWEEPS_DIR);
  if (o.resume !== true) rmSync(sweepDir, { recursive: true, force: true });
  const results = await runStudyParallel(digits, {
    quick: o.quick === true,
    seed,
    sweeps: { dir: sweepDir, resume: o.resume === true },
    signal,
    version: packageVersion(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
    threadEvenForOne: true,
    progress: (stage, label, fraction) => {
      const pct = Math.round(100 * fraction);
      if (bars) {
        // one bar per stage, created in report order (stages may run at the same time)
        if (barOf.size === 0) for (const st of STAGES) if (st !== 'conclusions') barOf.set(st, bars.create(100, 0, { stage: padEnd(say(lang, `stage.${st}`), 16), label: '' }));
        barOf.get(stage)?.update(pct, { label: label.slice(0, 50) });
      } else if (performance.now() - lastLog > 2000) {
        lastLog = performance.now();
        process.stderr.write(`[study] ${(STAGES as readonly string[]).includes(stage) ? say(lang, `stage.${stage as Stage}`) : stage} ${pct}% ${label}\n`);
      }
    },
  }, workers);
  if (bars) {
    for (const b of barOf.values()) b.update(100);
    bars.stop();
  }
  const clean = writeReport(out, results, label, lang);
  const secs = (performance.now() - t0) / 1000;
  if (o.json) {
    printJson(clean);
  } else {
    process.stdout.write(`${renderTerminalSummary(clean, lang)}\n`);
    process.stdout.write(`\n${say(lang, 'cli.study.wrote', { file: join(out, 'index.html'), secs: secs.toFixed(1) })}\n`);
  }
}
