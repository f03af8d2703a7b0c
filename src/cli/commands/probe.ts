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
import { loadRunData } from '../../experiments/run.js';
import { hasRemedy, probeRun, withoutRemedies, type ProbeReport } from '../../run/probe.js';
import type { RunSpec } from '../../run/schema.js';
import { flagOf, SETTINGS, type SettingDef, type SettingName } from '../../run/settings.js';
import { color, logBar, num, pct } from '../format.js';
import { printJson, UsageError } from '../io.js';
import type { RunState } from '../main.js';
import type { LayerDiagnostics } from '../../diagnostics/layer-stats.js';
import type { Verdict } from '../../diagnostics/verdict.js';
import { runModelProbe } from './probe-model.js';
import { addSettingOptions, dataInFlagWords, gaveAny, runFromFlags, settingsFromFlags } from '../settings.js';

/** Prints the per-layer table (log-scale bars of ‖δ‖), the first-to-last ratio and the verdict; `label` names each layer's row. */
export function printLayersAndVerdict<L extends LayerDiagnostics>(r: { readonly layers: readonly L[]; readonly firstToLast: number | null; readonly verdict: Verdict }, label: (l: L) => string): void {
  const w = (s: string) => process.stdout.write(s);
  const norms = r.layers.map((l) => l.biasGradNorm).filter((v) => v > 0 && Number.isFinite(v));
  const hi = Math.max(...norms, 1e-300);
  const lo = Math.min(hi / 1e4, ...norms);
  const width = Math.max(7, ...r.layers.map((l) => label(l).length + 1));
  w(`${'layer'.padEnd(width)}${'units'.padStart(6)}  ${'‖δ‖ = ‖∂C/∂b‖ (log scale)'.padEnd(42)}${'‖∂C/∂W‖'.padStart(10)}${'mean|f′|'.padStart(10)}${'saturated'.padStart(11)}${'dead'.padStart(9)}\n`);
  for (const l of r.layers) {
    w(`${label(l).padEnd(width)}${String(l.units).padStart(6)}  ${color.cyan(logBar(l.biasGradNorm, lo, hi, 30).padEnd(30))} ${num(l.biasGradNorm).padStart(10)} ${num(l.weightGradNorm).padStart(10)}${num(l.meanAbsDerivative).padStart(10)}${pct(l.saturatedFraction).padStart(11)}${pct(l.deadFraction).padStart(9)}\n`);
  }
  w(`\nfirst-to-last ratio ‖δ¹‖/‖δᴸ⁻¹‖: ${num(r.firstToLast)}\n`);
  const v = r.verdict;
  const paint = v.kind === 'healthy' ? color.green : v.kind === 'exploding' ? color.red : color.yellow;
  w(`${color.bold('verdict:')} ${paint(v.kind)} — ${v.cause}\n`);
  v.remedies.forEach((s, i) => w(`  ${i + 1}. ${s}\n`));
}

/** Prints the terminal view of a probe. */
export function printProbe(r: ProbeReport): void {
  const w = (s: string) => process.stdout.write(s);
  const remedies = [r.norm !== 'none' ? `norm=${r.norm}` : '', r.residual ? 'residual' : '', r.pretrain ? 'pretrained' : ''].filter(Boolean).join('  ');
  w(`${color.bold('probe')} [${r.arch.join(', ')}]  act=${r.activation}  init=${r.init}  loss=${r.loss}  data=${r.dataset} (${r.samples} examples)  seed=${r.seed}${remedies ? `  ${remedies}` : ''}\n`);
  if (r.pretrain) w(`pre-trained layer by layer: reconstruction loss ${r.pretrain.map((p) => `${p.layer}: ${num(p.lossStart, 3)} → ${num(p.lossEnd, 3)}`).join(', ')}\n`);
  if (r.training) {
    const t = r.training;
    w(`trained ${t.steps} steps: loss ${num(t.firstLoss, 4)} → ${num(t.lastLoss, 4)}; clipped on ${t.clipEvents} steps (by norm ${t.clipNormEvents}, by value ${t.clipValueEvents}); max-norm rescaled ${t.maxNormRows} rows\n`);
    if (t.nonFinite) w(`${color.red('blow-up:')} ${t.nonFinite.message}\n`);
  }
  w(`loss ${r.training ? 'at the probe' : 'at initialisation'}: ${num(r.lossValue, 4)}\n\n`);
  printLayersAndVerdict(r, (l) => (l.index === r.layers.length ? `${l.index} out` : `${l.index}`));
}

/** Prints the per-layer gradient norms without and with the remedies, side by side. */
export function printComparison(without: ProbeReport, withR: ProbeReport): void {
  const w = (s: string) => process.stdout.write(s);
  w(`\n${color.bold('without vs with the remedies')} (same seed ${withR.seed}, same initial weights on the main path)\n`);
  w(`${'layer'.padEnd(7)}${'‖δ‖ without'.padStart(13)}${'‖δ‖ with'.padStart(13)}${'with/without'.padStart(14)}${'‖∂C/∂W‖ without'.padStart(17)}${'‖∂C/∂W‖ with'.padStart(14)}\n`);
  withR.layers.forEach((l, i) => {
    const b = without.layers[i];
    w(`${String(l.index).padEnd(7)}${num(b?.biasGradNorm).padStart(13)}${num(l.biasGradNorm).padStart(13)}${num(b ? l.biasGradNorm / b.biasGradNorm : NaN).padStart(14)}${num(b?.weightGradNorm).padStart(17)}${num(l.weightGradNorm).padStart(14)}\n`);
  });
  w(`first-to-last ratio: ${num(without.firstToLast)} without, ${num(withR.firstToLast)} with; verdict ${without.verdict.kind} → ${withR.verdict.kind}\n`);
  if (without.training && withR.training) w(`final training loss: ${num(without.training.lastLoss, 4)} without, ${num(withR.training.lastLoss, 4)} with\n`);
  if (without.training?.nonFinite) w(`without: ${without.training.nonFinite.message}\n`);
}

/** The probe command's own options (the run settings come through src/cli/settings.ts). */
interface ProbeOpts {
  compare?: boolean;
  json?: boolean;
  model?: string;
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
  if (clash) throw new UsageError(`${flag(clash)} describes a network gradscope builds or trains; with --model the network is the file's (remedies: --init, --activation, --norm, --residual)`);
  flags.input.testFraction = 0;
  // --data also takes your own files here (csv:FILE#LABEL, npy:X,Y), which the run settings do not know
  const data = typeof flags.input.data === 'string' ? flags.input.data : 'digits';
  delete flags.input.data;
  const spec = runFromFlags(flags);
  const given = (n: SettingName): boolean => flags.written.has(n);
  const one = (v: string | readonly string[], n: string): string => {
    if (typeof v !== 'string') throw new UsageError(`${n} with --model takes one name (it applies to every layer it changes)`);
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
  );
}

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
  if (spec.maxSteps === null && training) throw new UsageError(`${flag(training)} acts on training steps, and a probe of a fresh network takes none; add --steps N to train N steps on the probe set first`);
  const pre = gaveAny(flags, PRETRAIN_ONLY);
  if (!spec.pretrain && pre) throw new UsageError(`${flag(pre)} needs --pretrain`);
  let baseline: RunSpec | null = null;
  if (o.compare === true) {
    if (!hasRemedy(spec)) throw new UsageError('--compare needs a remedy to compare against: --norm, --residual, --pretrain, or with --steps: --clip-norm, --clip-value, --max-norm, --l2, --l1, --dropout');
    baseline = withoutRemedies(spec);
  }
  return { spec, baseline };
}

/** Builds the `probe` command. */
export function probeCommand(state: RunState): Command {
  const cmd = new Command('probe')
    .description('per-layer gradient diagnostics of a freshly initialised network (optionally with remedies, and after --steps training steps on the probe data), or of your own network with --model FILE (ONNX, TensorFlow.js model.json, gradscope model: --init, --activation, --norm, --residual then change it, --compare shows both); every run setting is a flag')
    .option('--compare', 'also probe the same seed without the remedies and print both')
    .option('--json', 'print one JSON document');
  return addSettingOptions(cmd).action((o: ProbeOpts & Record<string, unknown>) => {
    if (typeof o.model === 'string') {
      modelProbe(o);
      state.code = 0;
      return;
    }
    const req = probeRequest(o);
    const data = dataInFlagWords(() => loadRunData(req.spec, 'probe'));
    const report = probeRun(req.spec, data);
    const baseline = req.baseline ? probeRun(req.baseline, data) : null;
    if (o.json) printJson(baseline ? { ...report, baseline } : report);
    else {
      printProbe(report);
      if (baseline) printComparison(baseline, report);
    }
    // a blow-up during the training before the probe is a failed run, as in `train`
    state.code = report.training?.nonFinite ? 1 : 0;
  });
}
