/**
 * `gradscope rnn`: one recurrent experiment (RNN, LSTM or GRU on the adding,
 * temporal-order or copy-memory task) — the solved fraction on held-out
 * sequences, σ_max(W_hh) against Pascanu's threshold, and the gradient
 * through time ‖∂ℓ/∂h_t‖ at initialisation and after training as log-scale
 * bars. `--json` prints one document on stdout; progress goes to stderr.
 */
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { getActivation, resolveParams } from '../../activations/catalogue.js';
import { getInit } from '../../nn/init.js';
import { CELL_KINDS, type CellKind } from '../../nn/rnn/types.js';
import { checkMemory, memoryBudget } from '../../experiments/budget.js';
import { recurrentRunMemory } from '../../experiments/rnn/memory.js';
import { resolveRecurrentConfig, RNN_DEFAULTS, runRecurrent, type RecurrentConfig, type RecurrentRunResult } from '../../experiments/rnn/run.js';
import { getTask, TASK_NAMES, type TaskName } from '../../experiments/rnn/tasks.js';
import { gapAfter, msg, say } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { nonFiniteText, pascanuText, taskText } from '../../report/say.js';
import { color, logBar, num, padEnd, padStart, pct, width } from '../format.js';
import { flagUsage, memoryOption, numberOption, printJson } from '../io.js';
import { addLangOption, langOf } from '../lang.js';
import type { RunState } from '../main.js';
import { collect, parseParams } from '../params.js';

/** Raw option values as commander hands them over. */
interface RnnOptions {
  cell: string;
  task: string;
  length: string;
  hidden: string;
  steps: string;
  batch: string;
  lr: string;
  optimizer: string;
  clipNorm: string;
  truncate: string;
  act: string;
  param: string[];
  forgetBias: string;
  updateBias: string;
  init: string;
  recurrentInit: string;
  recurrentGain: string;
  testSize: string;
  seed: string;
  dtype: string;
  json?: boolean;
  memory?: string;
  lang?: string;
}

/** Turns the options into a run config; every error names the option and the value. */
export function rnnConfig(o: RnnOptions): Partial<RecurrentConfig> {
  const task = getTask(o.task);
  const length = numberOption('--length', o.length, { integer: true, min: task.minLength })!;
  const clip = o.clipNorm.trim().toLowerCase();
  const clipNorm = clip === 'none' || clip === 'off' ? null : numberOption('--clip-norm', o.clipNorm, { min: 0, exclusiveMin: true })!;
  const act = getActivation(o.act);
  if (act.kind !== 'elementwise') throw flagUsage('--act', msg('err.rnn.elementwise', { name: act.name }));
  const activationParams = parseParams(o.param);
  resolveParams(act, activationParams);
  getInit(o.init);
  getInit(o.recurrentInit);
  return {
    cell: o.cell as CellKind,
    task: o.task as TaskName,
    length,
    hidden: numberOption('--hidden', o.hidden, { integer: true, min: 1, max: 4096 })!,
    steps: numberOption('--steps', o.steps, { integer: true, min: 0 })!,
    batch: numberOption('--batch', o.batch, { integer: true, min: 1 })!,
    lr: numberOption('--lr', o.lr, { min: 0, exclusiveMin: true })!,
    optimizer: o.optimizer as RecurrentConfig['optimizer'],
    clipNorm,
    truncate: numberOption('--truncate', o.truncate, { integer: true, min: 0 })!,
    activation: act.name,
    activationParams,
    forgetBias: numberOption('--forget-bias', o.forgetBias)!,
    updateBias: numberOption('--update-bias', o.updateBias)!,
    inputInit: o.init,
    recurrentInit: o.recurrentInit,
    recurrentGain: numberOption('--recurrent-gain', o.recurrentGain, { min: 0, exclusiveMin: true })!,
    testSize: numberOption('--test-size', o.testSize, { integer: true, min: 1 })!,
    seed: numberOption('--seed', o.seed, { integer: true })!,
    dtype: o.dtype as RecurrentConfig['dtype'],
  };
}

/** At most `max` time steps to show, evenly spread, always the first and the last. */
export function shownSteps(T: number, max = 24): number[] {
  if (T <= max) return Array.from({ length: T }, (_, t) => t);
  const out = new Set<number>();
  for (let i = 0; i < max; i++) out.add(Math.round((i * (T - 1)) / (max - 1)));
  return [...out];
}

/** Prints the terminal view of a run in `lang`: results, Pascanu's condition, the gradient through time. */
export function printRnn(r: RecurrentRunResult, lang: Lang = 'en'): void {
  const w = (s: string): void => {
    process.stdout.write(s);
  };
  const c = r.config;
  w(`${color.bold('rnn')} cell=${r.cell}${r.cell === 'rnn' ? ` (${c.activation})` : ''}  task=${r.task}  T=${r.length}  H=${r.hidden}  seed=${c.seed}\n`);
  w(`${color.dim(taskText(r.task, lang))}\n`);
  const bptt = c.truncate > 0 ? say(lang, 'cli.rnn.truncated', { k: c.truncate }) : say(lang, 'cli.rnn.full');
  w(`${say(lang, 'cli.rnn.training', { steps: r.steps, opt: c.optimizer, lr: String(c.lr), batch: c.batch, clip: c.clipNorm === null ? say(lang, 'term.none') : String(c.clipNorm), bptt, secs: r.seconds.toFixed(1) })}\n`);
  if (r.nonFinite) w(`${color.red(say(lang, 'cli.probe.blowUp'))}${gapAfter(say(lang, 'cli.probe.blowUp'))}${nonFiniteText(r.nonFinite, lang)}\n`);
  w(`${say(lang, 'cli.rnn.result', { from: num(r.initLoss, 4), to: num(r.finalLoss, 4), base: num(r.baselineLoss, 4), s0: pct(r.initSolvedFraction), s1: color.bold(pct(r.solvedFraction)), n: c.testSize })}\n`);
  w(`σ_max(W_hh) ${num(r.spectralNorm.init)} → ${num(r.spectralNorm.final)}\n`);
  const labels = [say(lang, 'cli.rnn.atInit'), say(lang, 'cli.rnn.afterTraining')];
  const lw = Math.max(...labels.map((l) => width(l)));
  w(`  ${padEnd(labels[0], lw)} ${pascanuText(r.pascanu.init, lang)}\n`);
  if (r.pascanu.final.regime !== 'not-applicable') w(`  ${padEnd(labels[1], lw)} ${pascanuText(r.pascanu.final, lang)}\n`);
  const gi = r.gradThroughTime.init;
  const gf = r.gradThroughTime.final;
  const all = [...gi, ...gf].filter((v) => v > 0 && Number.isFinite(v));
  const hi = Math.max(...all, 1e-300);
  const lo = Math.max(Math.min(...all, hi), hi * 1e-12);
  w(`\n${say(lang, 'cli.rnn.through', { lo: num(lo), hi: num(hi), n: c.probeSize, T: gi.length })}\n`);
  w(`${padStart('t', 5)}  ${padEnd(say(lang, 'cli.rnn.col.init'), 34)}  ${padEnd(say(lang, 'cli.rnn.col.trained'), 34)}\n`);
  for (const t of shownSteps(gi.length)) {
    w(`${String(t).padStart(5)}  ${color.cyan(logBar(gi[t], lo, hi, 24).padEnd(24))}${num(gi[t]).padStart(10)}  ${color.green(logBar(gf[t], lo, hi, 24).padEnd(24))}${num(gf[t]).padStart(10)}\n`);
  }
  const ratio = (g: readonly number[]): number => g[0] / g[g.length - 1];
  w(`\n${say(lang, 'cli.rnn.ratio', { a: num(ratio(gi)), b: num(ratio(gf)) })}\n`);
}

/** Progress on stderr: a bar on a terminal, otherwise a line every 5 s. */
function reporter(total: number, lang: Lang): { update(fraction: number, loss: number): void; stop(): void } {
  if (process.stderr.isTTY === true) {
    const bar = new cliProgress.SingleBar({ format: 'rnn |{bar}| {value}/{total} steps | loss {loss} | {eta_formatted}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, { loss: '—' });
    return { update: (f, loss) => bar.update(Math.round(f * total), { loss: num(loss, 4) }), stop: () => bar.stop() };
  }
  const t0 = Date.now();
  let last = 0;
  return {
    update(f, loss) {
      const s = (Date.now() - t0) / 1000;
      if (s - last < 5) return;
      last = s;
      process.stderr.write(`${say(lang, 'cli.rnn.progress', { step: Math.round(f * total), total, loss: num(loss, 4), secs: s.toFixed(0) })}\n`);
    },
    stop() {},
  };
}

/** Builds the `rnn` command. */
export function rnnCommand(state: RunState): Command {
  const d = RNN_DEFAULTS;
  return addLangOption(new Command('rnn'))
    .description('recurrent nets: train an RNN, LSTM or GRU on a long-lag task and show the gradient through time')
    .addOption(new Option('--cell <cell>', 'recurrent cell').choices(CELL_KINDS).default(d.cell))
    .addOption(new Option('--task <task>', 'adding (Hochreiter & Schmidhuber), order (temporal order), copy (copy-memory)').choices(TASK_NAMES).default(d.task))
    .option('--length <T>', 'sequence length T (adding, order: T … T + T/10 steps; copy: the delay, T + 20 steps)', String(d.length))
    .option('--hidden <H>', 'hidden units', String(d.hidden))
    .option('--steps <N>', 'training steps', String(d.steps))
    .option('--batch <B>', 'sequences per step', String(d.batch))
    .option('--lr <eta>', 'learning rate', String(d.lr))
    .addOption(new Option('--optimizer <name>', 'optimiser').choices(['adam', 'momentum', 'sgd']).default(d.optimizer))
    .option('--clip-norm <c>', "clip the global gradient norm at c ('none' to disable)", String(d.clipNorm))
    .option('--truncate <k>', 'truncated BPTT window in steps (0 = full BPTT)', String(d.truncate))
    .option('--act <name>', 'activation of the plain RNN (any elementwise catalogue entry)', d.activation)
    .option('--param <k=v>', 'parameter of --act, e.g. negative_slope=0.2 (repeatable)', collect, [] as string[])
    .option('--forget-bias <b>', 'LSTM forget-gate bias', String(d.forgetBias))
    .option('--update-bias <b>', 'GRU update-gate bias', String(d.updateBias))
    .option('--init <name>', 'initialiser of the input weights W_ih', d.inputInit)
    .option('--recurrent-init <name>', 'initialiser of each recurrent block of W_hh', d.recurrentInit)
    .option('--recurrent-gain <g>', 'factor applied to W_hh after initialisation', String(d.recurrentGain))
    .option('--test-size <n>', 'held-out sequences for the solved fraction', String(d.testSize))
    .option('--seed <S>', 'seed of weights, training data and test set', String(d.seed))
    .addOption(new Option('--dtype <dtype>', 'float32 or float64').choices(['float32', 'float64']).default(d.dtype))
    .option('--json', 'print one JSON document')
    .addOption(memoryOption())
    .action((o: RnnOptions) => {
      const cfg = rnnConfig(o);
      // BPTT keeps every time step of every sequence: check it fits before allocating any
      const c = resolveRecurrentConfig(cfg);
      checkMemory(recurrentRunMemory(c), memoryBudget(o.memory), msg('err.mem.rnn', { length: String(c.length), hidden: String(c.hidden), batch: String(c.batch), test: String(c.testSize) }));
      const lang = langOf(o as unknown as Record<string, unknown>);
      const progress = reporter(cfg.steps ?? d.steps, lang);
      let r: RecurrentRunResult;
      try {
        r = runRecurrent(cfg, (f, loss) => progress.update(f, loss));
      } finally {
        progress.stop();
      }
      if (o.json) printJson(r);
      else printRnn(r, lang);
      state.code = 0;
    });
}
