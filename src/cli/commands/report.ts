/**
 * `gradscope report RUN_DIR [--out FILE]`: the offline HTML report of one
 * training run (gradscope's `train` or the TensorFlow.js monitor), written
 * atomically to RUN_DIR/report.html by default.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { renderRunReport } from '../../report/run/render.js';
import { say } from '../../i18n/catalogue.js';
import { writeFileAtomic } from '../io.js';
import { addLangOption, langOf } from '../lang.js';
import type { RunState } from '../main.js';
import { readRunDir } from '../run-files.js';

/** Builds the `report` command. */
export function reportCommand(state: RunState): Command {
  return addLangOption(new Command('report'))
    .description('an offline HTML report of one training run: loss, accuracy, per-layer gradient norms over time, the layer × time heatmap, dead/saturated fractions, verdicts, the first non-finite value')
    .argument('<run-dir>', 'a run directory (gradscope train --out DIR, or the TensorFlow.js monitor\'s)')
    .option('--out <file>', 'the HTML file (default RUN_DIR/report.html)')
    .option('--title <text>', 'the page title')
    .action((dir: string, o: { out?: string; title?: string; lang?: string }) => {
      const run = readRunDir(dir);
      const require = createRequire(import.meta.url);
      const chartJs = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8');
      const file = o.out ?? join(dir, 'report.html');
      writeFileAtomic(file, renderRunReport(run, chartJs, o.title, langOf(o)));
      const lang = langOf(o);
      const nf = run.nonFinite ? say(lang, 'cli.report.nonFinite', { step: run.nonFinite.step }) : '';
      process.stderr.write(`${say(lang, 'cli.report.wrote', { file, probes: run.probes.length, layers: run.layerLabels.length, nf })}\n`);
      state.code = 0;
    });
}
