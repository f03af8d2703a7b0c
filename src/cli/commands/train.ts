/**
 * `gradscope train CONFIG.json [--out DIR]`: one training run with probes,
 * per-layer curves and result files (see experiments/run.ts for the run
 * directory; the remedies — norm, residual, maxNorm, clipNorm, clipValue,
 * pretrain, lrSchedule — are config fields, overridable by flags here). Progress on stderr; Ctrl-C stops after the current step and
 * still writes summary.json and model.json, a second Ctrl-C exits at once.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { configHash, loadRunData, RUN_FILES, runTraining, type RunProgress, type RunSummary } from '../../experiments/run.js';
import { parseRunConfig, type RunConfig } from '../../experiments/run-config.js';
import { NORM_KINDS } from '../../nn/build.js';
import { color, num, pct } from '../format.js';
import { numberOption, printJson, readJson, UsageError } from '../io.js';
import type { RunState } from '../main.js';
import { withLossOutput } from '../../interop/load.js';
import type { Network } from '../../nn/network.js';
import { readModel } from '../model.js';

/**
 * The config's `model` file (relative to the config file) as the network to
 * train, with the loss's output activation appended to a logits model; the
 * config's arch becomes the model's sizes so the data checks apply to it.
 */
export function modelForRun(cfg: RunConfig, file: string): { cfg: RunConfig; network: Network } | null {
  if (cfg.model === null) return null;
  const path = isAbsolute(cfg.model) ? cfg.model : join(dirname(file), cfg.model);
  const architectural = (['norm', 'residual', 'pretrain'] as const).find((k) => (k === 'norm' ? cfg.norm !== 'none' : k === 'residual' ? cfg.residual : cfg.pretrain !== null));
  if (architectural) throw new UsageError(`${file}: ${architectural}: describes a network gradscope builds; with "model" the network is the file's (${path})`);
  const { model } = withLossOutput(readModel(path, cfg.dtype), cfg.loss);
  const net = model.net;
  return { cfg: { ...cfg, arch: [net.inputSize, ...net.weightLayers.map((w) => w.outSize)] }, network: net };
}

/** Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells expect. */
export const EXIT_INTERRUPTED = 130;

/** `runs/<yyyymmdd-hhmmss>-<config hash>`. */
export function defaultRunDir(cfg: RunConfig, now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `runs/${stamp}-${configHash(cfg)}`;
}

/**
 * Makes `dir` ready for a run: refuses a non-empty directory unless `force`
 * (which removes only the run files), creates it, and checks it is writable.
 */
export function prepareRunDir(dir: string, force: boolean): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`run directory '${dir}' exists and is not a directory`);
    const entries = readdirSync(dir);
    if (entries.length > 0 && !force) throw new UsageError(`run directory '${dir}' is not empty (${entries.length} entries); choose another --out or pass --force to overwrite the run in it`);
    if (force) for (const f of RUN_FILES) rmSync(join(dir, f), { force: true });
  }
  const probe = join(dir, `.write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : code === 'ENOTDIR' ? 'a parent is not a directory' : (e as Error).message;
    throw new UsageError(`run directory '${dir}' is not writable (${why})`);
  }
}

/** Progress on stderr: a bar on a terminal, otherwise a line every few seconds. */
function progressReporter(): { update(p: RunProgress): void; stop(): void } {
  const ratio = (p: RunProgress): string => num(p.firstToLast);
  if (process.stderr.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      { format: 'train |{bar}| {value}/{total} steps | epoch {epoch} | loss {loss} | first/last {ratio} | {eta_formatted}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const payload = { loss: num(p.loss, 4), ratio: ratio(p), epoch: p.epoch };
        if (!started) {
          bar.start(p.totalSteps, p.step, payload);
          started = true;
        } else bar.update(p.step, payload);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = -Infinity;
  let lastStep = -1;
  return {
    update(p) {
      // a line every 5 s, and one for the last step
      if (p.step === lastStep || (p.seconds - last < 5 && p.step < p.totalSteps)) return;
      last = p.seconds;
      lastStep = p.step;
      process.stderr.write(`train: step ${p.step}/${p.totalSteps}  epoch ${p.epoch}  loss ${num(p.loss, 4)}  first/last ${ratio(p)}  ${p.seconds.toFixed(0)} s\n`);
    },
    stop() {},
  };
}

/** Prints the human summary of a run on stdout. */
export function printRunSummary(cfg: RunConfig, s: RunSummary): void {
  const w = (t: string): void => {
    process.stdout.write(t);
  };
  const act = cfg.model !== null ? `(${cfg.model})` : typeof cfg.activation === 'string' ? cfg.activation : cfg.activation.join(',');
  const init = cfg.model !== null ? '(the file\'s weights)' : typeof cfg.init === 'string' ? cfg.init : cfg.init.join(',');
  w(`${color.bold('train')} [${cfg.arch.join(', ')}]  act=${act}  init=${init}  loss=${cfg.loss}  optimizer=${cfg.optimizer.name} lr=${cfg.optimizer.lr}  data=${s.dataset.name} (${s.dataset.train} train / ${s.dataset.test} test)  seed=${cfg.seed}\n`);
  const why: Record<string, string> = { max_steps: 'step limit reached', grad_tol: 'gradient norm below gradTol', target_loss: 'loss below targetLoss', non_finite: 'a non-finite value appeared', stopped: 'stopped by Ctrl-C' };
  w(`${s.steps} steps (${num(s.epochs)} epochs) in ${s.wallSeconds.toFixed(1)} s, ${num(s.stepsPerSecond)} steps/s — ${why[s.stopReason] ?? s.stopReason}\n`);
  if (s.nonFinite) w(`${color.red('blow-up:')} ${s.nonFinite.message}\n`);
  const remedies = [cfg.norm !== 'none' ? `${cfg.norm} norm` : '', cfg.residual ? 'residual blocks' : '', cfg.maxNorm !== null ? `max-norm ${cfg.maxNorm}` : '', cfg.clipNorm !== null ? `clip-norm ${cfg.clipNorm}` : '', cfg.clipValue !== null ? `clip-value ${cfg.clipValue}` : ''].filter(Boolean);
  if (remedies.length) w(`remedies: ${remedies.join(', ')}; clipped on ${s.clipEvents} steps (by norm ${s.clipNormEvents ?? 0}, by value ${s.clipValueEvents ?? 0}); max-norm rescaled ${s.maxNormRows ?? 0} rows\n`);
  if (s.pretrain) w(`pre-trained layer by layer: reconstruction loss ${s.pretrain.map((p) => `${p.layer}: ${num(p.lossStart, 3)} → ${num(p.lossEnd, 3)}`).join(', ')}\n`);
  w(`probe loss ${num(s.atInit.loss, 4)} → ${num(s.finalProbeLoss, 4)}   train accuracy ${s.trainAccuracy === null ? '—' : pct(s.trainAccuracy)}   test accuracy ${s.testAccuracy === null ? '—' : pct(s.testAccuracy)}\n`);
  w(`‖∂C/∂b‖ per layer, at initialisation → at the end:\n`);
  s.atInit.layers.forEach((l, i) => {
    const e = s.atEnd.layers[i];
    w(`  layer ${String(l.index).padEnd(3)} ${l.activation.padEnd(12)} ${num(l.biasGradNorm).padStart(10)} → ${num(e?.biasGradNorm).padEnd(10)}\n`);
  });
  w(`first-to-last ratio ${num(s.atInit.firstToLast)} → ${num(s.atEnd.firstToLast)}   verdict ${s.atInit.verdict.kind} → ${s.atEnd.verdict.kind}\n`);
  if (s.atEnd.verdict.kind !== 'healthy') w(`  ${s.atEnd.verdict.cause}\n`);
  w(`run directory: ${s.runDir} (config.json, metrics.jsonl${s.stepsEvery > 0 ? ', steps.jsonl' : ''}, summary.json${s.model ? ', model.json' : ''})\n`);
  if (s.modelSkipped) w(`no model.json: ${s.modelSkipped} (gradscope-model/1 holds dense, maxout, activation and dropout layers)\n`);
}

/** The train command's options as commander hands them over. */
interface TrainOpts {
  out?: string;
  force?: boolean;
  json?: boolean;
  seed?: string;
  steps?: string;
  norm?: string;
  residual?: boolean;
  clipNorm?: string;
  clipValue?: string;
  maxNorm?: string;
  pretrain?: boolean;
}

/** Builds the `train` command. */
export function trainCommand(state: RunState): Command {
  return new Command('train')
    .description('one training run with per-layer gradient probes; writes a run directory')
    .argument('<config>', 'run config (JSON)')
    .option('--out <dir>', 'run directory (default: runs/<timestamp>-<config hash>)')
    .option('--force', 'overwrite the run files in a non-empty --out directory')
    .option('--json', 'print summary.json on stdout instead of the summary')
    .option('--seed <n>', "override the config's seed")
    .option('--steps <n>', "override the config's maxSteps (and lift its epoch limit)")
    .addOption(new Option('--norm <kind>', "override the config's norm (between each hidden layer's linear part and its activation)").choices(NORM_KINDS))
    .option('--residual', 'hidden layers as residual blocks (config: residual)')
    .option('--clip-norm <c>', 'clip the gradient by global norm c (config: clipNorm)')
    .option('--clip-value <v>', 'clamp every gradient component to [−v, v] (config: clipValue)')
    .option('--max-norm <c>', "rescale every unit's incoming weights to norm ≤ c after each update (config: maxNorm)")
    .option('--pretrain', 'greedy layer-wise pre-training with default settings first (config: pretrain)')
    .action(async (file: string, o: TrainOpts) => {
      let cfg = parseRunConfig(readJson(file), file);
      const seed = numberOption('--seed', o.seed, { integer: true });
      const steps = numberOption('--steps', o.steps, { integer: true, min: 1 });
      if (seed !== undefined) cfg = { ...cfg, seed };
      if (steps !== undefined) cfg = { ...cfg, maxSteps: steps, epochs: null };
      const overrides: Record<string, unknown> = {};
      if (o.norm !== undefined) overrides.norm = o.norm;
      if (o.residual) overrides.residual = true;
      if (o.pretrain) overrides.pretrain = cfg.pretrain ?? true;
      const clipNorm = numberOption('--clip-norm', o.clipNorm, { min: 0, exclusiveMin: true });
      const clipValue = numberOption('--clip-value', o.clipValue, { min: 0, exclusiveMin: true });
      const maxNorm = numberOption('--max-norm', o.maxNorm, { min: 0, exclusiveMin: true });
      if (clipNorm !== undefined) overrides.clipNorm = clipNorm;
      if (clipValue !== undefined) overrides.clipValue = clipValue;
      if (maxNorm !== undefined) overrides.maxNorm = maxNorm;
      // the overridden config goes through the same checks, so impossible combinations fail the same way
      if (Object.keys(overrides).length > 0) cfg = parseRunConfig({ ...cfg, ...overrides }, `${file} with ${Object.keys(overrides).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
      // a "model" file to start from: its network, its sizes as arch
      const fromFile = modelForRun(cfg, file);
      if (fromFile) cfg = fromFile.cfg;
      // everything that can be wrong with the input fails before the run directory exists
      const data = loadRunData(cfg, file);
      const outDir = o.out ?? defaultRunDir(cfg);
      prepareRunDir(resolve(outDir), o.force === true);

      let stop = false;
      const onSigint = (): void => {
        if (stop) {
          process.stderr.write('\ngradscope: interrupted again; exiting without a summary\n');
          process.exit(EXIT_INTERRUPTED);
        }
        stop = true;
        process.stderr.write('\ngradscope: stopping after the current step (Ctrl-C again to quit at once)\n');
      };
      process.on('SIGINT', onSigint);
      const progress = progressReporter();
      let summary: RunSummary;
      try {
        summary = await runTraining(cfg, outDir, { data, configFile: file, shouldStop: () => stop, onProgress: (p) => progress.update(p), ...(fromFile ? { network: fromFile.network } : {}) });
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
      }
      if (o.json) printJson(summary);
      else printRunSummary(cfg, summary);
      if (summary.nonFinite) {
        process.stderr.write(`gradscope: the run blew up: ${summary.nonFinite.message}\n`);
        state.code = 1;
      } else state.code = summary.stopReason === 'stopped' ? EXIT_INTERRUPTED : 0;
    });
}
