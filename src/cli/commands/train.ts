/**
 * `gradscope train CONFIG.json [--out DIR] [--SETTING VALUE …]`: one
 * training run with probes, per-layer curves and result files (see
 * experiments/run.ts for the run directory). Every run setting of the config
 * can be given as a flag too (`--batch-size 32`, `--clip-norm 1`). Progress
 * on stderr; Ctrl-C stops after the current step and still writes
 * summary.json and model.json, a second Ctrl-C exits at once.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { InputError } from '../../errors.js';
import { configHash, loadRunData, RUN_FILES, runTraining, type RunProgress, type RunSummary } from '../../experiments/run.js';
import { flattenConfig, runFromConfig } from '../../run/config.js';
import type { RunSpec } from '../../run/schema.js';
import { color, num, pct } from '../format.js';
import { printJson, readJson, UsageError } from '../io.js';
import { withLossOutput } from '../../interop/load.js';
import type { Network } from '../../nn/network.js';
import { readModel } from '../model.js';
import { addSettingOptions, runFromFlags, settingsFromFlags, type FileSettings, type FlagSettings } from '../settings.js';
import { builtNetworkSettingWithModel } from '../../run/rules.js';
import type { RunState } from '../main.js';

/** Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells expect. */
export const EXIT_INTERRUPTED = 130;

/** `runs/<yyyymmdd-hhmmss>-<config hash>`. */
export function defaultRunDir(cfg: RunSpec, now = new Date()): string {
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
export function printRunSummary(spec: RunSpec, s: RunSummary): void {
  const w = (t: string): void => {
    process.stdout.write(t);
  };
  const act = typeof spec.activation === 'string' ? spec.activation : spec.activation.join(',');
  const init = typeof spec.init === 'string' ? spec.init : spec.init.join(',');
  w(`${color.bold('train')} [${spec.arch.join(', ')}]  activation=${act}  init=${init}  loss=${spec.loss}  optimizer=${spec.optimizer} lr=${spec.lr}  data=${s.dataset.name} (${s.dataset.train} train / ${s.dataset.test} test)  seed=${spec.seed}\n`);
  const why: Record<string, string> = { max_steps: 'step limit reached', grad_tol: 'gradient norm below gradTol', target_loss: 'loss below targetLoss', non_finite: 'a non-finite value appeared', stopped: 'stopped by a signal' };
  w(`${s.steps} steps (${num(s.epochs)} epochs) in ${s.wallSeconds.toFixed(1)} s, ${num(s.stepsPerSecond)} steps/s — ${why[s.stopReason] ?? s.stopReason}\n`);
  if (s.nonFinite) w(`${color.red('blow-up:')} ${s.nonFinite.message}\n`);
  const remedies = [spec.norm !== 'none' ? `${spec.norm} norm` : '', spec.residual ? 'residual blocks' : '', spec.maxNorm !== null ? `max-norm ${spec.maxNorm}` : '', spec.clipNorm !== null ? `clip-norm ${spec.clipNorm}` : '', spec.clipValue !== null ? `clip-value ${spec.clipValue}` : ''].filter(Boolean);
  if (remedies.length) w(`remedies: ${remedies.join(', ')}; clipped on ${s.clipEvents} steps (by norm ${s.clipNormEvents}, by value ${s.clipValueEvents}); max-norm rescaled ${s.maxNormRows} rows\n`);
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
}

/** The train command's own options (the run settings come through src/cli/settings.ts). */
interface TrainOpts {
  out?: string;
  force?: boolean;
  json?: boolean;
}

/** A run described by a config file and flags, and where each setting the user gave came from. */
interface TrainSettings {
  readonly spec: RunSpec;
  readonly base: FileSettings;
  readonly flags: FlagSettings;
}

/**
 * The run of `train CONFIG [flags]`: the config file's settings with the
 * flags over them (a step limit given as a flag replaces the file's epoch
 * limit unless --epochs is given too); errors name the file or the flag.
 */
function trainSettings(file: string, opts: Readonly<Record<string, unknown>>, json: unknown, extra: Record<string, unknown> = {}): TrainSettings {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) runFromConfig(json, file); // says what a config is
  let flat;
  try {
    flat = flattenConfig(json as Record<string, unknown>);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${file}: ${e.message}`, e.issue);
    throw e;
  }
  const base: FileSettings = { file, input: { ...flat.input, ...extra }, written: flat.written };
  const flags = settingsFromFlags(opts);
  if (flags.input.maxSteps !== undefined && flags.input.epochs === undefined) flags.input.epochs = null;
  return { spec: runFromFlags(flags, base), base, flags };
}

/** The run of `train CONFIG [flags]` (see `trainSettings`). */
export function trainSpec(file: string, opts: Readonly<Record<string, unknown>>, json: unknown = readJson(file)): RunSpec {
  return trainSettings(file, opts, json).spec;
}

/**
 * The run of `train CONFIG [flags]`, and with the `model` setting (a path
 * relative to the config file) the network it starts from: that file's
 * network and weights, with the loss's output activation appended to a
 * logits model. The spec records the model's absolute path and its sizes as
 * `arch` (so the data checks apply to it and config.json reproduces the run);
 * the settings that describe a built network may not be given with it.
 */
export function trainFromModel(file: string, opts: Readonly<Record<string, unknown>>): { spec: RunSpec; network?: Network } {
  const json = readJson(file);
  const first = trainSettings(file, opts, json);
  if (first.spec.model === null) return { spec: first.spec };
  const where = isAbsolute(first.spec.model) ? first.spec.model : resolve(dirname(file), first.spec.model);
  const sized = readModel(where, 'float64').net;
  const arch = [sized.inputSize, ...sized.weightLayers.slice(0, -1).map((w) => w.outSize), sized.outputSize];
  const clash = builtNetworkSettingWithModel(first.spec, [...first.base.written.keys(), ...first.flags.written.keys()], arch);
  if (clash !== undefined) {
    const why = `describes a network gradscope builds; with model the network is the file's (${first.spec.model})`;
    const flag = first.flags.written.get(clash);
    throw flag ? new UsageError(`${flag}: ${why}`) : new InputError(`${file}: ${first.base.written.get(clash) ?? clash}: ${why}`);
  }
  const { spec } = trainSettings(file, { ...opts, model: undefined }, json, { model: where, arch });
  const network = withLossOutput(readModel(where, spec.dtype), spec.loss).model.net;
  return { spec, network };
}

/** Builds the `train` command. */
export function trainCommand(state: RunState): Command {
  const cmd = new Command('train')
    .description('one training run with per-layer gradient probes; writes a run directory (every setting of the config can be given as a flag too)')
    .argument('<config>', 'run config (JSON)')
    .option('--out <dir>', 'run directory (default: runs/<timestamp>-<config hash>)')
    .option('--force', 'overwrite the run files in a non-empty --out directory')
    .option('--json', 'print summary.json on stdout instead of the summary');
  return addSettingOptions(cmd).action(async (file: string, o: TrainOpts & Record<string, unknown>) => {
    const { spec, network } = trainFromModel(file, o);
    // everything that can be wrong with the input fails before the run directory exists
    const data = loadRunData(spec, file);
    const outDir = o.out ?? defaultRunDir(spec);
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
      summary = await runTraining(spec, outDir, { data, configFile: file, shouldStop: () => stop, onProgress: (p) => progress.update(p), ...(network ? { network } : {}) });
    } finally {
      progress.stop();
      process.off('SIGINT', onSigint);
    }
    if (o.json) printJson(summary);
    else printRunSummary(spec, summary);
    if (summary.nonFinite) {
      process.stderr.write(`gradscope: the run blew up: ${summary.nonFinite.message}\n`);
      state.code = 1;
    } else state.code = summary.stopReason === 'stopped' ? EXIT_INTERRUPTED : 0;
  });
}
