/**
 * `gradscope probe`: the per-layer diagnostics for a fresh network on N
 * examples — per layer the gradient norm on a log-scale bar, saturated and
 * dead fractions, then the verdict. The remedies can be switched on:
 * architectural ones (normalisation, residual blocks, zero biases, a
 * per-layer initialiser list) act on the fresh network; pre-training and the
 * training remedies (clipping, max-norm, regularisation, optimiser,
 * schedule) act through `--steps` training steps on the probe set before the
 * probe. `--compare` probes the same seed without the remedies beside it.
 */
import { Command } from 'commander';
import { fmtCorr, type Finding } from '../../diagnostics/verdict.js';
import { loadRunData } from '../../experiments/run.js';
import { hasRemedy, probeRun, withoutRemedies, type ProbeReport } from '../../run/probe.js';
import type { RunSpec } from '../../run/schema.js';
import { flagOf, SETTINGS, type SettingDef, type SettingName } from '../../run/settings.js';
import { gapAfter, say, type MessageKey, msg } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { nonFiniteText, verdictIn } from '../../report/say.js';
import { color, logBar, num, padEnd, padStart, pct, width } from '../format.js';
import { checkMemory, memoryBudget } from '../../experiments/budget.js';
import { dataShapeOf, runMemory } from '../../experiments/memory.js';
import { memoryOption, printJson, usageError } from '../io.js';
import { addLangOption, langOf } from '../lang.js';
import type { RunState } from '../main.js';
import type { LayerDiagnostics } from '../../diagnostics/layer-stats.js';
import type { Verdict } from '../../diagnostics/verdict.js';
import { runModelProbe } from './probe-model.js';
import { addSettingOptions, dataInFlagWords, gaveAny, runFromFlags, settingsFromFlags } from '../settings.js';

/** The one-word name of a verdict kind in `lang`. */
export function kindWord(kind: string, lang: Lang): string {
  return say(lang, `term.verdict.${kind}` as MessageKey);
}

/** One column of a terminal table: its heading, width in terminal columns, and side. */
interface Col {
  readonly head: string;
  readonly width: number;
  readonly left?: boolean;
}

/** A row of cells under `cols`, each padded to its column's width in terminal columns. */
function line(cols: readonly Col[], cells: readonly string[]): string {
  return cols.map((c, i) => (c.left ? padEnd(cells[i] ?? '', c.width) : padStart(cells[i] ?? '', c.width))).join('');
}

/** Prints the per-layer table (log-scale bars of ‖δ‖), the first-to-last ratio and the verdict in `lang`; `label` names each layer's row. */
export function printLayersAndVerdict<L extends LayerDiagnostics>(r: { readonly layers: readonly L[]; readonly firstToLast: number | null; readonly verdict: Verdict }, label: (l: L) => string, lang: Lang = 'en'): void {
  const w = (s: string) => process.stdout.write(s);
  const norms = r.layers.map((l) => l.biasGradNorm).filter((v) => v > 0 && Number.isFinite(v));
  const hi = Math.max(...norms, 1e-300);
  const lo = Math.min(hi / 1e4, ...norms);
  const h = (k: MessageKey): string => say(lang, k);
  const cols: Col[] = [
    { head: h('cli.probe.col.layer'), width: Math.max(7, ...r.layers.map((l) => width(label(l)) + 1)), left: true },
    { head: h('cli.probe.col.units'), width: 6 },
    { head: '', width: 2, left: true },
    { head: h('cli.probe.col.delta'), width: 42, left: true },
    { head: h('cli.probe.col.dW'), width: 10 },
    { head: h('cli.probe.col.meanDf'), width: 10 },
    { head: h('cli.probe.col.saturated'), width: 11 },
    { head: h('cli.probe.col.dead'), width: 9 },
    { head: h('cli.probe.col.corr'), width: 9 },
  ];
  w(`${line(cols, cols.map((c) => c.head))}\n`);
  for (const l of r.layers) {
    const bar = `${color.cyan(padEnd(logBar(l.biasGradNorm, lo, hi, 30), 30))} ${padStart(num(l.biasGradNorm), 10)} `;
    w(`${line(cols, [label(l), String(l.units), '', bar, num(l.weightGradNorm), num(l.meanAbsDerivative), pct(l.saturatedFraction), pct(l.deadFraction), Number.isFinite(l.inputCorrelation) ? l.inputCorrelation.toFixed(4) : '—'])}\n`);
  }
  w(`\n${say(lang, 'cli.probe.ratio', { r: num(r.firstToLast) })}\n`);
  const v = r.verdict;
  const paint = v.kind === 'healthy' ? color.green : v.kind === 'exploding' ? color.red : color.yellow;
  const said = verdictIn(v, lang);
  w(`${say(lang, 'cli.probe.verdict', { kind: color.bold(paint(kindWord(v.kind, lang))), cause: said.cause })}\n`);
  if (v.findings.length > 0) w(`${say(lang, 'cli.probe.findings', { list: v.findings.map((f) => findingText(f, lang)).join(lang === 'en' ? '; ' : '；') })}\n`);
  said.remedies.forEach((s, i) => w(`  ${i + 1}. ${s}\n`));
}

/** Prints the terminal view of a probe in `lang`. */
export function printProbe(r: ProbeReport, lang: Lang = 'en'): void {
  const w = (s: string) => process.stdout.write(s);
  const remedies = [r.norm !== 'none' ? `norm=${r.norm}` : '', r.residual ? 'residual' : '', r.pretrain ? 'pretrained' : ''].filter(Boolean).join('  ');
  w(`${color.bold('probe')} [${r.arch.join(', ')}]  act=${r.activation}  init=${r.init}  loss=${r.loss}  data=${r.dataset} (${say(lang, 'cli.probe.examples', { n: r.samples })})  seed=${r.seed}${remedies ? `  ${remedies}` : ''}\n`);
  if (r.pretrain) w(`${say(lang, 'cli.probe.pretrained', { losses: r.pretrain.map((p) => `${p.layer}: ${num(p.lossStart, 3)} → ${num(p.lossEnd, 3)}`).join(', ') })}\n`);
  if (r.training) {
    const t = r.training;
    w(`${say(lang, 'cli.probe.trained', { steps: t.steps, from: num(t.firstLoss, 4), to: num(t.lastLoss, 4), clip: t.clipEvents, byNorm: t.clipNormEvents, byValue: t.clipValueEvents, rows: t.maxNormRows })}\n`);
    if (t.nonFinite) w(`${color.red(say(lang, 'cli.probe.blowUp'))}${gapAfter(say(lang, 'cli.probe.blowUp'))}${nonFiniteText(t.nonFinite, lang)}\n`);
  }
  for (const rule of r.initRules ?? []) w(`init ${rule}\n`);
  w(`${say(lang, r.training ? 'cli.probe.lossAtProbe' : 'cli.probe.lossAtInit', { loss: num(r.lossValue, 4) })}\n\n`);
  printLayersAndVerdict(r, (l) => (l.index === r.layers.length ? say(lang, 'cli.probe.out', { n: l.index }) : `${l.index}`), lang);
}

/** One finding in a few words, in `lang`: kind, layer, the number and the threshold it crossed. */
export function findingText(f: Finding, lang: Lang = 'en'): string {
  const value = f.value === null ? say(lang, 'find.nonFinite') : f.measure === 'input correlation' ? fmtCorr(f.value) : f.measure.endsWith('fraction') ? pct(f.value) : num(f.value);
  const cmp = f.kind === 'vanishing' ? '<' : f.measure === 'input correlation' ? '≥' : '>';
  const thr = f.measure.endsWith('fraction') ? pct(f.threshold) : num(f.threshold);
  return say(lang, f.blocking ? 'find.textBlocking' : 'find.text', { kind: kindWord(f.kind, lang), layer: f.layer, measure: say(lang, `find.measure.${f.measure}` as MessageKey), value: f.value === null ? value : `${value} ${cmp} ${thr}` });
}

/** Prints the per-layer gradient norms without and with the remedies, side by side, in `lang`. */
export function printComparison(without: ProbeReport, withR: ProbeReport, lang: Lang = 'en'): void {
  const w = (s: string) => process.stdout.write(s);
  w(`\n${say(lang, 'cli.probe.compareTitle', { title: color.bold(say(lang, 'cli.probe.compareHead')), seed: withR.seed })}\n`);
  const h = (k: MessageKey): string => say(lang, k);
  const cols: Col[] = [
    { head: h('cli.probe.col.layer'), width: 7, left: true },
    { head: h('cli.probe.col.without'), width: 13 },
    { head: h('cli.probe.col.with'), width: 13 },
    { head: h('cli.probe.col.ratio'), width: 14 },
    { head: h('cli.probe.col.dWwithout'), width: 17 },
    { head: h('cli.probe.col.dWwith'), width: 14 },
  ];
  w(`${line(cols, cols.map((c) => c.head))}\n`);
  withR.layers.forEach((l, i) => {
    const b = without.layers[i];
    w(`${line(cols, [String(l.index), num(b?.biasGradNorm), num(l.biasGradNorm), num(b ? l.biasGradNorm / b.biasGradNorm : NaN), num(b?.weightGradNorm), num(l.weightGradNorm)])}\n`);
  });
  w(`${say(lang, 'cli.probe.compareRatio', { without: num(without.firstToLast), with: num(withR.firstToLast), from: kindWord(without.verdict.kind, lang), to: kindWord(withR.verdict.kind, lang) })}\n`);
  if (without.training && withR.training) w(`${say(lang, 'cli.probe.compareLoss', { without: num(without.training.lastLoss, 4), with: num(withR.training.lastLoss, 4) })}\n`);
  if (without.training?.nonFinite) w(`${say(lang, 'cli.probe.without')}${gapAfter(say(lang, 'cli.probe.without'))}${nonFiniteText(without.training.nonFinite, lang)}\n`);
}

/** The probe command's own options (the run settings come through src/cli/settings.ts). */
interface ProbeOpts {
  compare?: boolean;
  json?: boolean;
  model?: string;
  memory?: string;
}

/** Settings that describe a network gradscope builds, which a probe of your own model (--model) has no use for. */
const BUILD_ONLY: readonly SettingName[] = ['arch', 'outputActivation', 'biasInit', 'dropout', 'pretrain', 'maxSteps'];

/**
 * `probe --model FILE`: the run settings that apply to your own network —
 * data, samples, loss, dtype, seed, the Jacobian samples — and as remedies
 * --init, --activation (with --activation-params), --norm and --residual.
 */
function modelProbe(o: ProbeOpts & Record<string, unknown>): void {
  const flags = settingsFromFlags(o);
  const flag = (n: SettingName): string => flags.written.get(n) ?? flagOf(n);
  const clash = gaveAny(flags, [...BUILD_ONLY, ...TRAINING_ONLY, ...PRETRAIN_ONLY]);
  if (clash) throw usageError([], msg('err.probe.builtWithModel', { flag: flag(clash) }));
  flags.input.testFraction = 0;
  // --data also takes your own files here (csv:FILE#LABEL, npy:X,Y), which the run settings do not know
  const data = typeof flags.input.data === 'string' ? flags.input.data : 'digits';
  delete flags.input.data;
  const spec = runFromFlags(flags);
  const given = (n: SettingName): boolean => flags.written.has(n);
  const one = (v: string | readonly string[], n: string): string => {
    if (typeof v !== 'string') throw usageError([], msg('err.probe.oneName', { flag: n }));
    return v;
  };
  runModelProbe(
    {
      file: o.model!,
      data,
      samples: spec.samples ?? spec.probeSamples,
      seed: spec.seed,
      loss: spec.loss,
      dtype: spec.dtype,
      jacobianSamples: spec.jacobianSamples,
      compare: o.compare === true,
      remedy: {
        ...(given('init') ? { init: one(spec.init, flag('init')) } : {}),
        ...(given('activation') ? { act: one(spec.activation, flag('activation')), actParams: spec.activationParams } : {}),
        ...(spec.norm !== 'none' ? { norm: spec.norm as 'batch' | 'layer' } : {}),
        ...(spec.residual ? { residual: true } : {}),
      },
    },
    o.json === true,
    langOf(o),
  );
}

/** Run settings a probe has no use for: it holds out no test split (its examples are the probe batch). */
const PROBE_EXCEPT: readonly SettingName[] = ['testFraction'];

/** Settings that only a pre-training run reads. */
const PRETRAIN_ONLY: readonly SettingName[] = ['pretrainSteps', 'pretrainLr', 'pretrainBatchSize', 'pretrainOptimizer'];
/** Settings that act only through training steps. */
const TRAINING_ONLY: readonly SettingName[] = SETTINGS.filter((s) => (s as SettingDef).training === true).map((s) => s.name);

/**
 * The run a probe command describes, and for --compare the same run without
 * its remedies; throws a UsageError naming the flag for settings that cannot
 * act (training settings without --steps, pre-training settings without
 * --pretrain) and for --compare without a remedy.
 */
export function probeRequest(o: Readonly<Record<string, unknown>>): { spec: RunSpec; baseline: RunSpec | null } {
  const flags = settingsFromFlags(o);
  // a probe trains exactly --steps steps (no epoch limit) on the probe data, with no test split
  if (flags.input.maxSteps !== undefined) flags.input.epochs = null;
  flags.input.testFraction = 0;
  const spec = runFromFlags(flags);
  const flag = (n: SettingName): string => flags.written.get(n) ?? flagOf(n);
  const training = gaveAny(flags, TRAINING_ONLY);
  if (spec.maxSteps === null && training) throw usageError([], msg('err.probe.trainingOnly', { flag: flag(training) }));
  const pre = gaveAny(flags, PRETRAIN_ONLY);
  if (!spec.pretrain && pre) throw usageError([], msg('err.probe.needsPretrain', { flag: flag(pre) }));
  let baseline: RunSpec | null = null;
  if (o.compare === true) {
    if (!hasRemedy(spec)) throw usageError([], msg('err.probe.compare'));
    baseline = withoutRemedies(spec);
  }
  return { spec, baseline };
}

/** Builds the `probe` command. */
export function probeCommand(state: RunState): Command {
  const cmd = new Command('probe')
    .description('per-layer gradient diagnostics of a freshly initialised network (optionally with remedies, and after --steps training steps on the probe data), or of your own network with --model FILE (ONNX, TensorFlow.js model.json, gradscope model: --init, --activation, --norm, --residual then change it, --compare shows both); every run setting is a flag')
    .option('--compare', 'also probe the same seed without the remedies and print both')
    .option('--json', 'print one JSON document')
    .addOption(memoryOption());
  return addSettingOptions(addLangOption(cmd), { except: PROBE_EXCEPT }).action((o: ProbeOpts & Record<string, unknown>) => {
    if (typeof o.model === 'string') {
      modelProbe(o);
      state.code = 0;
      return;
    }
    const req = probeRequest(o);
    const data = dataInFlagWords(() => loadRunData(req.spec, 'probe'));
    // the probe batch goes through the network in one pass: check it fits before building anything
    checkMemory(runMemory(req.spec, dataShapeOf(data, req.spec.data === 'digits'), { probe: true }), memoryBudget(o.memory), msg('err.mem.probe', { arch: req.spec.arch.join('-'), n: String(req.spec.probeSamples) }));
    const report = probeRun(req.spec, data);
    const baseline = req.baseline ? probeRun(req.baseline, data) : null;
    if (o.json) printJson(baseline ? { ...report, baseline } : report);
    else {
      const lang = langOf(o);
      printProbe(report, lang);
      if (baseline) printComparison(baseline, report, lang);
    }
    // a blow-up during the training before the probe is a failed run, as in `train`
    if (report.training?.nonFinite) process.stderr.write(`${say(langOf(o), 'cli.train.blewUp', { why: nonFiniteText(report.training.nonFinite, langOf(o)) })}\n`);
    state.code = report.training?.nonFinite ? 1 : 0;
  });
}
