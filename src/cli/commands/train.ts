/**
 * `gradscope train CONFIG.json [--out DIR] [--SETTING VALUE …]`: one
 * training run with probes, per-layer curves and result files (see
 * experiments/run.ts for the run directory). Every run setting of the config
 * can be given as a flag too (`--batch-size 32`, `--clip-norm 1`).
 * Everything about the input — the settings, the data, the memory it needs —
 * is checked before the run directory is touched. Progress on stderr;
 * SIGINT, SIGTERM or SIGHUP stops after the current step and still writes
 * summary.json and model.json; a second signal exits at once.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { InputError, inputError } from '../../errors.js';
import { checkMemory, memoryBudget } from '../../experiments/budget.js';
import { ioReason, unwritableReason } from '../../experiments/files.js';
import { dataShapeOf, runMemory } from '../../experiments/memory.js';
import { configHash, loadRunData, RUN_FILES, runTraining, type RunProgress, type RunSummary } from '../../experiments/run.js';
import { flattenConfig, runFromConfig } from '../../run/config.js';
import type { RunSpec } from '../../run/schema.js';
import { gapAfter, say, type MessageKey, msg } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { nonFiniteText, verdictIn } from '../../report/say.js';
import { color, num, padEnd, padStart, pct } from '../format.js';
import { memoryOption, printJson, readJson, UsageError, usageError } from '../io.js';
import { addLangOption, langOf } from '../lang.js';
import { kindWord } from './probe.js';
import { withLossOutput } from '../../interop/load.js';
import type { Network } from '../../nn/network.js';
import { readModel } from '../model.js';
import { addSettingOptions, inFlagWordsWhenFlagged, runFromFlags, settingsFromFlags, type FileSettings, type FlagSettings } from '../settings.js';
import { builtNetworkSettingWithModel } from '../../run/rules.js';
import type { RunState } from '../main.js';
import { stopOnSignals } from '../signals.js';

/** Error codes that say the machine (a full disk, a read-only folder), not the run, failed. */
const MACHINE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EFBIG']);

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
    if (!statSync(dir).isDirectory()) throw usageError([], msg('err.runDir.exists', { dir }));
    const entries = readdirSync(dir);
    if (entries.length > 0 && !force) throw usageError([], msg('err.runDir.notEmpty', { dir, n: String(entries.length) }));
    if (force) for (const f of RUN_FILES) rmSync(join(dir, f), { force: true });
  }
  const why = unwritableReason(dir);
  if (why !== null) throw new UsageError(`run directory '${dir}' is not writable (${why})`);
}

/** Progress on stderr: a bar on a terminal, otherwise a line every few seconds. */
function progressReporter(lang: Lang): { update(p: RunProgress): void; stop(): void } {
  const ratio = (p: RunProgress): string => num(p.firstToLast);
  if (process.stderr.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      { format: say(lang, 'cli.train.bar'), stream: process.stderr, hideCursor: true, clearOnComplete: false },
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
      // a line every 5 s, and one when the run has finished (with its final probe and loss)
      if (!p.final && (p.step === lastStep || p.seconds - last < 5)) return;
      last = p.seconds;
      lastStep = p.step;
      process.stderr.write(`${say(lang, 'cli.train.progress', { step: p.step, total: p.totalSteps, epoch: p.epoch, loss: num(p.loss, 4), ratio: ratio(p), secs: p.seconds.toFixed(0) })}\n`);
    },
    stop() {},
  };
}

/** Prints the human summary of a run on stdout, in `lang`. */
export function printRunSummary(spec: RunSpec, s: RunSummary, lang: Lang = 'en'): void {
  const w = (t: string): void => {
    process.stdout.write(t);
  };
  const act = typeof spec.activation === 'string' ? spec.activation : spec.activation.join(',');
  const init = typeof spec.init === 'string' ? spec.init : spec.init.join(',');
  w(`${color.bold('train')} [${spec.arch.join(', ')}]  activation=${act}  init=${init}  loss=${spec.loss}  optimizer=${spec.optimizer} lr=${spec.lr}  data=${s.dataset.name} (${say(lang, 'cli.train.data', { train: s.dataset.train, test: s.dataset.test })})  seed=${spec.seed}\n`);
  const why = ['max_steps', 'grad_tol', 'target_loss', 'non_finite', 'stopped'].includes(s.stopReason) ? say(lang, `cli.train.stop.${s.stopReason}` as MessageKey) : s.stopReason;
  w(`${say(lang, 'cli.train.steps', { steps: s.steps, epochs: num(s.epochs), secs: s.wallSeconds.toFixed(1), rate: num(s.stepsPerSecond), why })}\n`);
  if (s.nonFinite) w(`${color.red(say(lang, 'cli.probe.blowUp'))}${gapAfter(say(lang, 'cli.probe.blowUp'))}${nonFiniteText(s.nonFinite, lang)}\n`);
  const remedies = [spec.norm !== 'none' ? say(lang, 'cli.train.remedy.norm', { kind: spec.norm }) : '', spec.residual ? say(lang, 'cli.train.remedy.residual') : '', spec.maxNorm !== null ? `max-norm ${spec.maxNorm}` : '', spec.clipNorm !== null ? `clip-norm ${spec.clipNorm}` : '', spec.clipValue !== null ? `clip-value ${spec.clipValue}` : ''].filter(Boolean);
  if (remedies.length) w(`${say(lang, 'cli.train.remedies', { list: remedies.join(', '), clip: s.clipEvents, byNorm: s.clipNormEvents, byValue: s.clipValueEvents, rows: s.maxNormRows })}\n`);
  if (s.pretrain) w(`${say(lang, 'cli.probe.pretrained', { losses: s.pretrain.map((p) => `${p.layer}: ${num(p.lossStart, 3)} → ${num(p.lossEnd, 3)}`).join(', ') })}\n`);
  w(`${say(lang, 'cli.train.accuracy', { from: num(s.atInit.loss, 4), to: num(s.finalProbeLoss, 4), train: s.trainAccuracy === null ? '—' : pct(s.trainAccuracy), test: s.testAccuracy === null ? '—' : pct(s.testAccuracy) })}\n`);
  w(`${say(lang, 'cli.train.perLayer')}\n`);
  s.atInit.layers.forEach((l, i) => {
    const e = s.atEnd.layers[i];
    w(`  ${padEnd(say(lang, 'cli.train.layer', { n: l.index }), 9)} ${padEnd(l.activation, 12)} ${padStart(num(l.biasGradNorm), 10)} → ${padEnd(num(e?.biasGradNorm), 10)}\n`);
  });
  w(`${say(lang, 'cli.train.ratio', { from: num(s.atInit.firstToLast), to: num(s.atEnd.firstToLast), v0: kindWord(s.atInit.verdict.kind, lang), v1: kindWord(s.atEnd.verdict.kind, lang) })}\n`);
  if (s.atEnd.verdict.kind !== 'healthy') w(`  ${verdictIn(s.atEnd.verdict, lang).cause}\n`);
  w(`${say(lang, 'cli.train.runDir', { dir: s.runDir, files: `config.json, metrics.jsonl${s.stepsEvery > 0 ? ', steps.jsonl' : ''}, summary.json${s.model ? ', model.json' : ''}` })}\n`);
}

/** The train command's own options (the run settings come through src/cli/settings.ts). */
interface TrainOpts {
  out?: string;
  force?: boolean;
  json?: boolean;
  memory?: string;
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
    if (e instanceof InputError) throw e.within(file);
    throw e;
  }
  const base: FileSettings = { file, input: { ...flat.input, ...extra }, written: flat.written };
  const flags = settingsFromFlags(opts);
  if (flags.input.maxSteps !== undefined && flags.input.epochs === undefined) flags.input.epochs = null;
  return { spec: runFromFlags(flags, base), base, flags };
}

/** The run of `train CONFIG [flags]` (see `trainSettings`). */
export function trainSpec(file: string, opts: Readonly<Record<string, unknown>>, json: unknown = readJson(file, 'config')): RunSpec {
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
export function trainFromModel(file: string, opts: Readonly<Record<string, unknown>>): { spec: RunSpec; network?: Network; flags: FlagSettings } {
  const json = readJson(file, 'config');
  const first = trainSettings(file, opts, json);
  if (first.spec.model === null) return { spec: first.spec, flags: first.flags };
  const where = isAbsolute(first.spec.model) ? first.spec.model : resolve(dirname(file), first.spec.model);
  const sized = readModel(where, 'float64').net;
  const arch = [sized.inputSize, ...sized.weightLayers.slice(0, -1).map((w) => w.outSize), sized.outputSize];
  const clash = builtNetworkSettingWithModel(first.spec, [...first.base.written.keys(), ...first.flags.written.keys()], arch);
  if (clash !== undefined) {
    const why = msg('err.model.builtSetting', { setting: 'model', model: first.spec.model });
    const flag = first.flags.written.get(clash);
    throw flag ? usageError([flag], why) : inputError([file, first.base.written.get(clash) ?? clash], why);
  }
  const { spec, flags } = trainSettings(file, { ...opts, model: undefined }, json, { model: where, arch });
  const network = withLossOutput(readModel(where, spec.dtype), spec.loss).model.net;
  return { spec, network, flags };
}

/** Builds the `train` command. */
export function trainCommand(state: RunState): Command {
  const cmd = new Command('train')
    .description('one training run with per-layer gradient probes; writes a run directory (every setting of the config can be given as a flag too)')
    .argument('<config>', 'run config (JSON)')
    .option('--out <dir>', 'run directory (default: runs/<timestamp>-<config hash>)')
    .option('--force', 'overwrite the run files in a non-empty --out directory')
    .option('--json', 'print summary.json on stdout instead of the summary')
    .addOption(memoryOption());
  return addSettingOptions(addLangOption(cmd)).action(async (file: string, o: TrainOpts & Record<string, unknown>) => {
    const lang = langOf(o);
    const { spec, network, flags } = trainFromModel(file, o);
    // everything that can be wrong with the input fails before the run directory is touched
    const data = inFlagWordsWhenFlagged(flags, () => loadRunData(spec, file));
    checkMemory(runMemory(spec, dataShapeOf(data, spec.data === 'digits')), memoryBudget(o.memory), msg('err.mem.train', { arch: spec.arch.join('-'), batch: String(spec.batchSize), probe: String(spec.probeSamples) }), [file]);
    const outDir = o.out ?? defaultRunDir(spec);
    prepareRunDir(resolve(outDir), o.force === true);

    const stopper = stopOnSignals({
      command: 'train',
      stopping: 'stopping after the current step; summary.json and model.json will be written',
      kept: () => `${outDir} keeps config.json and the metrics lines written so far, without summary.json`,
    });
    const progress = progressReporter(lang);
    let summary: RunSummary;
    try {
      summary = await runTraining(spec, outDir, { data, configFile: file, shouldStop: () => stopper.signal.aborted, onProgress: (p) => progress.update(p), ...(network ? { network } : {}) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // a full or read-only disk: what was written is whole; the error keeps its code (exit 1, the machine failed)
      if (code !== undefined && MACHINE_ERRORS.has(code)) throw Object.assign(new Error(`cannot write the run directory ${outDir} (${ioReason(e)}); the files written so far are whole`), { code });
      throw e;
    } finally {
      progress.stop();
      stopper.dispose();
    }
    if (o.json) printJson(summary);
    else printRunSummary(spec, summary, lang);
    if (summary.nonFinite) {
      process.stderr.write(`${say(lang, 'cli.train.blewUp', { why: nonFiniteText(summary.nonFinite, lang) })}\n`);
      state.code = 1;
    } else if (summary.stopReason === 'stopped') {
      process.stderr.write(`gradscope train: stopped by ${stopper.received ?? 'a signal'} at step ${summary.steps} of ${summary.totalSteps}; kept ${outDir}: config.json, metrics.jsonl${summary.stepsEvery > 0 ? ', steps.jsonl' : ''}, summary.json${summary.model ? ', model.json' : ''}\n`);
      state.code = stopper.exitCode ?? 1;
    } else state.code = 0;
  });
}
