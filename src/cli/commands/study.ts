/**
 * `gradscope study` (also `gradscope` and `npm start`): the vanishing-gradient
 * study on the embedded digits, with a progress bar per stage; writes
 * report/index.html, report/results.json and report/summary.md.
 */
import { readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { loadDigits } from '../../data/node.js';
import { defaultWorkers, runStudyParallel, STAGES } from '../../experiments/study/study.js';
import { renderHtml, renderSummaryMd, renderTerminalSummary } from '../../report/index.js';
import { numberOption, printJson, writeFileAtomic, jsonSafe } from '../io.js';
import type { RunState } from '../main.js';

const require = createRequire(import.meta.url);

/** The package version, from package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Builds the `study` command. */
export function studyCommand(state: RunState): Command {
  return new Command('study')
    .description('the vanishing-gradient study on the embedded digits; writes an HTML report')
    .option('--quick', 'fewer seeds, steps and depths: well under a minute')
    .option('--out <dir>', 'report folder', 'report')
    .option('--seed <n>', 'seed of every random draw', '1')
    .option('--workers <n>', 'worker threads (1 = run in this thread; same numbers either way)', String(defaultWorkers()))
    .option('--resume', "keep the training runs an interrupted study recorded in OUT/lr-sweep (stage 3's learning-rate sweeps) instead of starting afresh")
    .option('--json', 'print results.json on stdout instead of the summary')
    .action(async (o: { quick?: boolean; out: string; seed: string; workers: string; resume?: boolean; json?: boolean }) => {
      const seed = numberOption('--seed', o.seed, { integer: true })!;
      const workers = numberOption('--workers', o.workers, { integer: true, min: 1, max: 64 })!;
      const out = resolve(o.out);
      // fail early if the report folder cannot be written
      writeFileAtomic(join(out, '.write-check'), '');
      rmSync(join(out, '.write-check'));
      const t0 = performance.now();
      const tty = process.stderr.isTTY === true;
      const bars = tty
        ? new cliProgress.MultiBar({ format: ' {stage} |{bar}| {percentage}% {label}', clearOnComplete: false, hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
        : null;
      const barOf = new Map<string, cliProgress.SingleBar>();
      let lastLog = 0;
      const digits = loadDigits();
      // stage 3's sweeps record every run as it finishes; without --resume an old record is not trusted
      const sweepDir = join(out, 'lr-sweep');
      if (o.resume !== true) rmSync(sweepDir, { recursive: true, force: true });
      const results = await runStudyParallel(digits, {
        quick: o.quick === true,
        seed,
        sweeps: { dir: sweepDir, resume: o.resume === true },
        version: packageVersion(),
        machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
        progress: (stage, label, fraction) => {
          const pct = Math.round(100 * fraction);
          if (bars) {
            // one bar per stage, created in report order (stages may run at the same time)
            if (barOf.size === 0) for (const [i, st] of STAGES.entries()) if (st !== 'conclusions') barOf.set(st, bars.create(100, 0, { stage: `${i + 1}. ${st}`.padEnd(18), label: '' }));
            barOf.get(stage)?.update(pct, { label: label.slice(0, 50) });
          } else if (performance.now() - lastLog > 2000) {
            lastLog = performance.now();
            process.stderr.write(`[study] ${stage} ${pct}% ${label}\n`);
          }
        },
      }, workers);
      if (bars) {
        for (const b of barOf.values()) b.update(100);
        bars.stop();
      }
      const chartJs = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8');
      const json = JSON.stringify(results, jsonSafe);
      writeFileAtomic(join(out, 'results.json'), `${json}\n`);
      const clean = JSON.parse(json) as typeof results;
      writeFileAtomic(join(out, 'index.html'), renderHtml(clean, { chartJs }));
      writeFileAtomic(join(out, 'summary.md'), renderSummaryMd(clean));
      const secs = (performance.now() - t0) / 1000;
      if (o.json) {
        printJson(clean);
      } else {
        process.stdout.write(`${renderTerminalSummary(clean)}\n`);
        process.stdout.write(`\nreport: ${join(out, 'index.html')}  (also results.json, summary.md) — ${secs.toFixed(1)} s\n`);
      }
      state.code = 0;
    });
}
