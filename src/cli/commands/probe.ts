/**
 * `gradscope probe`: the diagnostics of SPEC §5 for a fresh network on N
 * examples — per layer the gradient norm on a log-scale bar, saturated and
 * dead fractions, then the verdict. The remedies can be switched on:
 * architectural ones (normalisation, residual blocks, zero biases, a
 * per-layer initialiser list) act on the fresh network; pre-training and the
 * training remedies (clipping, max-norm, regularisation, optimiser,
 * schedule) act through `--steps` training steps on the probe set before the
 * probe. `--compare` probes the same seed without the remedies beside it.
 */
import { Command, Option } from 'commander';
import { getActivation } from '../../activations/catalogue.js';
import { loadDataset } from '../../data/node.js';
import type { Finding } from '../../diagnostics/verdict.js';
import { probeSpec, type NetSpec, type ProbeReport, type ProbeSetup, type TrainSpec } from '../../experiments/netspec.js';
import { NORM_KINDS, parseArch, type NormKind } from '../../nn/build.js';
import { BIAS_INITS, getInit, type BiasInit } from '../../nn/init.js';
import { LOSS_NAMES, type LossName } from '../../nn/losses.js';
import { OPTIMIZER_NAMES, type LrSchedule, type OptimizerName } from '../../nn/optim.js';
import { color, logBar, num, pct } from '../format.js';
import { numberOption, printJson, UsageError } from '../io.js';
import type { RunState } from '../main.js';
import { collect, parseParams } from '../params.js';

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
  for (const rule of r.initRules ?? []) w(`init ${rule}\n`);
  w(`loss ${r.training ? 'at the probe' : 'at initialisation'}: ${num(r.lossValue, 4)}\n\n`);
  const norms = r.layers.map((l) => l.biasGradNorm).filter((v) => v > 0 && Number.isFinite(v));
  const hi = Math.max(...norms, 1e-300);
  const lo = Math.min(hi / 1e4, ...norms);
  w(`${'layer'.padEnd(7)}${'units'.padStart(6)}  ${'‖δ‖ = ‖∂C/∂b‖ (log scale)'.padEnd(42)}${'‖∂C/∂W‖'.padStart(10)}${'mean|f′|'.padStart(10)}${'saturated'.padStart(11)}${'dead'.padStart(9)}${'z corr'.padStart(9)}\n`);
  for (const l of r.layers) {
    const name = l.index === r.layers.length ? `${l.index} out` : `${l.index}`;
    w(`${name.padEnd(7)}${String(l.units).padStart(6)}  ${color.cyan(logBar(l.biasGradNorm, lo, hi, 30).padEnd(30))} ${num(l.biasGradNorm).padStart(10)} ${num(l.weightGradNorm).padStart(10)}${num(l.meanAbsDerivative).padStart(10)}${pct(l.saturatedFraction).padStart(11)}${pct(l.deadFraction).padStart(9)}${(Number.isFinite(l.inputCorrelation) ? l.inputCorrelation.toFixed(4) : '—').padStart(9)}\n`);
  }
  w(`\nfirst-to-last ratio ‖δ¹‖/‖δᴸ⁻¹‖: ${num(r.firstToLast)}; z corr: mean cosine similarity of the pre-activations of different examples (1 = every input looks the same)\n`);
  const v = r.verdict;
  const paint = v.kind === 'healthy' ? color.green : v.kind === 'exploding' ? color.red : color.yellow;
  w(`${color.bold('verdict:')} ${paint(v.kind)} — ${v.cause}\n`);
  if (v.findings.length > 0) w(`findings: ${v.findings.map(findingText).join('; ')}\n`);
  v.remedies.forEach((s, i) => w(`  ${i + 1}. ${s}\n`));
}

/** One finding in a few words: kind, layer, the number and the threshold it crossed. */
export function findingText(f: Finding): string {
  const value = f.value === null ? 'non-finite' : f.measure === 'input correlation' ? f.value.toPrecision(6) : f.measure.endsWith('fraction') ? pct(f.value) : num(f.value);
  const cmp = f.kind === 'vanishing' ? '<' : f.measure === 'input correlation' ? '≥' : '>';
  const thr = f.measure.endsWith('fraction') ? pct(f.threshold) : num(f.threshold);
  return `${f.kind} (layer ${f.layer}${f.blocking ? ', blocks the gradient' : ''}: ${f.measure} ${value}${f.value === null ? '' : ` ${cmp} ${thr}`})`;
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

/** Parses --schedule: constant, step:EVERY[:FACTOR], cosine[:MINLR]. */
export function parseSchedule(text: string, warmup: number): LrSchedule {
  const [kind, a, b, ...rest] = text.split(':');
  const bad = (): never => {
    throw new UsageError(`--schedule must be constant, step:EVERY[:FACTOR] or cosine[:MINLR]; got '${text}'`);
  };
  if (rest.length > 0) bad();
  if (kind === 'constant' && a === undefined) return { kind, warmup };
  if (kind === 'step' && a !== undefined) {
    const every = numberOption('--schedule step:EVERY', a, { integer: true, min: 1 })!;
    const factor = b === undefined ? 0.1 : numberOption('--schedule step:EVERY:FACTOR', b, { min: 0, exclusiveMin: true })!;
    return { kind, every, factor, warmup };
  }
  if (kind === 'cosine' && b === undefined) return { kind, minLr: a === undefined ? 0 : numberOption('--schedule cosine:MINLR', a, { min: 0 })!, warmup };
  return bad();
}

/** The probe command's options as commander hands them over. */
interface ProbeOpts {
  arch: string; act: string; param: string[]; outAct?: string; init: string; biasInit: string; loss: string; data: string; samples: string; seed: string; dtype: string; jacobianSamples: string; json?: boolean;
  norm: string; residual?: boolean; pretrain?: boolean; pretrainSteps?: string; pretrainLr?: string; compare?: boolean;
  steps?: string; optimizer?: string; lr?: string; momentum?: string; batchSize?: string; schedule?: string; warmup?: string; clipNorm?: string; clipValue?: string; maxNorm?: string; l2?: string; l1?: string; dropout?: string;
}

/** Options that act through training steps, by flag. */
const TRAINING_FLAGS: readonly [keyof ProbeOpts, string][] = [
  ['optimizer', '--optimizer'], ['lr', '--lr'], ['momentum', '--momentum'], ['batchSize', '--batch-size'], ['schedule', '--schedule'], ['warmup', '--warmup'],
  ['clipNorm', '--clip-norm'], ['clipValue', '--clip-value'], ['maxNorm', '--max-norm'], ['l2', '--l2'], ['l1', '--l1'], ['dropout', '--dropout'],
];

/** Turns the options into a network spec and a setup; throws a UsageError for impossible combinations. */
export function probeRequest(o: ProbeOpts): { spec: NetSpec; setup: ProbeSetup; baseline: { spec: NetSpec; setup: ProbeSetup } | null; samples: number; seed: number; jac: number } {
  const arch = parseArch(o.arch);
  const hidden = arch.length - 2;
  const act = getActivation(o.act);
  if (o.outAct) getActivation(o.outAct);
  const inits = o.init.includes(',') ? o.init.split(',').map((s) => s.trim()) : null;
  if (inits && inits.length !== arch.length - 1) throw new UsageError(`--init lists ${inits.length} initialisers but --arch ${o.arch} has ${arch.length - 1} weight layers`);
  (inits ?? [o.init]).forEach((n) => getInit(n));
  const samples = numberOption('--samples', o.samples, { integer: true, min: 1 })!;
  const seed = numberOption('--seed', o.seed, { integer: true })!;
  const jac = numberOption('--jacobian-samples', o.jacobianSamples, { integer: true, min: 0 })!;
  const norm = o.norm as NormKind;
  const residual = o.residual === true;
  const pretrain = o.pretrain === true;
  const maxout = act.kind === 'layer';
  if (norm !== 'none' && maxout) throw new UsageError(`--norm ${norm} goes between a layer's linear part and its activation, which --act ${o.act} does not separate; use another activation or --norm none`);
  if (residual && maxout) throw new UsageError(`--residual needs dense hidden layers; --act ${o.act} is a layer of its own`);
  if ((norm !== 'none' || residual || pretrain) && hidden < 1) throw new UsageError(`--arch ${o.arch} has no hidden layer for ${norm !== 'none' ? `--norm ${norm}` : residual ? '--residual' : '--pretrain'}`);
  if (norm === 'batch' && samples < 2) throw new UsageError(`--norm batch normalises with batch statistics, which need --samples ≥ 2; got ${samples}`);
  if (!pretrain && (o.pretrainSteps !== undefined || o.pretrainLr !== undefined)) throw new UsageError(`${o.pretrainSteps !== undefined ? '--pretrain-steps' : '--pretrain-lr'} needs --pretrain`);
  const steps = numberOption('--steps', o.steps, { integer: true, min: 0 }) ?? 0;
  if (steps === 0) {
    const given = TRAINING_FLAGS.find(([k]) => o[k] !== undefined);
    if (given) throw new UsageError(`${given[1]} acts on training steps, and a probe of a fresh network takes none; add --steps N to train N steps on the probe set first`);
  }
  const optimizer = (o.optimizer ?? 'sgd') as OptimizerName;
  if (!OPTIMIZER_NAMES.includes(optimizer)) throw new UsageError(`--optimizer must be one of ${OPTIMIZER_NAMES.join(', ')}; got '${o.optimizer}'`);
  if (optimizer === 'adamw' && o.l2 !== undefined) throw new UsageError('--l2 does not apply to adamw (which decays decoupled); use --optimizer adam with --l2');
  const batchSize = numberOption('--batch-size', o.batchSize, { integer: true, min: 1 }) ?? Math.min(32, samples);
  if (norm === 'batch' && steps > 0 && Math.min(batchSize, samples) < 2) throw new UsageError(`--norm batch needs --batch-size ≥ 2 to compute batch statistics; got ${batchSize}`);
  const warmup = numberOption('--warmup', o.warmup, { integer: true, min: 0 }) ?? 0;
  const dropout = numberOption('--dropout', o.dropout, { min: 0, max: 0.99 });
  const train: TrainSpec | undefined =
    steps > 0
      ? {
          steps,
          optimizer,
          lr: numberOption('--lr', o.lr, { min: 0, exclusiveMin: true }) ?? 0.1,
          momentum: numberOption('--momentum', o.momentum, { min: 0, max: 0.999 }),
          batchSize,
          schedule: parseSchedule(o.schedule ?? 'constant', warmup),
          clipNorm: numberOption('--clip-norm', o.clipNorm, { min: 0, exclusiveMin: true }),
          clipValue: numberOption('--clip-value', o.clipValue, { min: 0, exclusiveMin: true }),
          maxNorm: numberOption('--max-norm', o.maxNorm, { min: 0, exclusiveMin: true }),
          l2: numberOption('--l2', o.l2, { min: 0 }),
          l1: numberOption('--l1', o.l1, { min: 0 }),
        }
      : undefined;
  const pretrainSpec = pretrain
    ? { steps: numberOption('--pretrain-steps', o.pretrainSteps, { integer: true, min: 1 }) ?? 300, lr: numberOption('--pretrain-lr', o.pretrainLr, { min: 0, exclusiveMin: true }) ?? 0.01, batchSize: Math.min(32, samples), optimizer: 'momentum' as const }
    : undefined;
  if (pretrainSpec && norm === 'batch' && pretrainSpec.batchSize < 2) throw new UsageError('--pretrain with --norm batch needs --samples ≥ 2');
  const spec: NetSpec = {
    arch,
    act: o.act,
    actParams: parseParams(o.param),
    outAct: o.outAct,
    init: inits ?? o.init,
    biasInit: o.biasInit as BiasInit,
    loss: o.loss as LossName,
    dtype: o.dtype as 'float32' | 'float64',
    norm,
    residual,
    dropout,
  };
  const setup: ProbeSetup = { ...(pretrainSpec ? { pretrain: pretrainSpec } : {}), ...(train ? { train } : {}) };
  let baseline: { spec: NetSpec; setup: ProbeSetup } | null = null;
  if (o.compare) {
    const trainingRemedy = train && (train.clipNorm !== undefined || train.clipValue !== undefined || train.maxNorm !== undefined || train.l2 !== undefined || train.l1 !== undefined || dropout !== undefined);
    if (norm === 'none' && !residual && !pretrain && !trainingRemedy) throw new UsageError('--compare needs a remedy to compare against: --norm, --residual, --pretrain, or with --steps: --clip-norm, --clip-value, --max-norm, --l2, --l1, --dropout');
    // the same network, seed, optimiser and steps, without the remedies
    const plainTrain = train ? { ...train, clipNorm: undefined, clipValue: undefined, maxNorm: undefined, l2: undefined, l1: undefined } : undefined;
    baseline = { spec: { ...spec, norm: 'none', residual: false, dropout: undefined }, setup: plainTrain ? { train: plainTrain } : {} };
  }
  return { spec, setup, baseline, samples, seed, jac };
}

/** Builds the `probe` command. */
export function probeCommand(state: RunState): Command {
  return new Command('probe')
    .description('per-layer gradient diagnostics of a freshly initialised network (optionally with remedies, and after training steps)')
    .option('--arch <sizes>', "layer sizes joined by '-', NxK repeats", '784-30-30-10')
    .option('--act <name>', 'hidden activation', 'sigmoid')
    .option('--param <k=v>', 'activation parameter (repeatable)', collect, [] as string[])
    .option('--out-act <name>', 'output activation for the quadratic loss (default: --act)')
    .option('--init <name>', 'initialiser (normal, nielsen, torch_default, xavier_uniform, he_normal, …, critical[:SB2], meanfield:SW2[:SB2], uniform:A, normal:S), or one per weight layer joined by commas', 'normal')
    .addOption(new Option('--bias-init <rule>', "biases by the initialiser's own rule, or zeros").choices(BIAS_INITS).default('scheme'))
    .addOption(new Option('--loss <name>', 'loss').choices(LOSS_NAMES).default('binary_cross_entropy'))
    .option('--data <name>', 'digits, mnist:DIR, spiral, circles, xor, gaussians, moons', 'digits')
    .option('--samples <n>', 'examples in the probe batch (and the training set of --steps)', '1000')
    .option('--seed <n>', 'seed of the weights (and of synthetic data)', '1')
    .addOption(new Option('--dtype <dtype>', 'float32 or float64').choices(['float32', 'float64']).default('float32'))
    .option('--jacobian-samples <n>', 'examples used for Jacobian singular values (0 = skip)', '8')
    .addOption(new Option('--norm <kind>', 'normalisation between each hidden layer\'s linear part and its activation').choices(NORM_KINDS).default('none'))
    .option('--residual', 'hidden layers as residual blocks y = x + f(N(Wx + b)) (a projection where the width changes)')
    .option('--pretrain', 'greedy layer-wise autoencoder pre-training on the probe set before the probe')
    .option('--pretrain-steps <n>', 'pre-training steps per hidden layer (default 300)')
    .option('--pretrain-lr <x>', 'pre-training learning rate (default 0.01)')
    .option('--steps <n>', 'train this many steps on the probe set before probing (default 0: a fresh network)')
    .option('--optimizer <name>', `with --steps: ${OPTIMIZER_NAMES.join(', ')} (default sgd)`)
    .option('--lr <x>', 'with --steps: learning rate (default 0.1)')
    .option('--momentum <x>', 'with --steps: μ of momentum/nesterov, ρ of rmsprop (default 0.9)')
    .option('--batch-size <n>', 'with --steps: mini-batch size (default 32)')
    .option('--schedule <s>', 'with --steps: constant, step:EVERY[:FACTOR] or cosine[:MINLR] (default constant)')
    .option('--warmup <n>', 'with --steps: linear warm-up steps (default 0)')
    .option('--clip-norm <c>', 'with --steps: clip the gradient by global norm c')
    .option('--clip-value <v>', 'with --steps: clamp every gradient component to [−v, v]')
    .option('--max-norm <c>', "with --steps: after each update rescale every unit's incoming weights to norm ≤ c")
    .option('--l2 <lambda>', "with --steps: L2 regularisation (Nielsen's λ, n = --samples)")
    .option('--l1 <lambda>', 'with --steps: L1 regularisation')
    .option('--dropout <p>', 'with --steps: dropout probability after each hidden activation')
    .option('--compare', 'also probe the same seed without the remedies and print both')
    .option('--json', 'print one JSON document')
    .action((o: ProbeOpts) => {
      const req = probeRequest(o);
      const ds = loadDataset(o.data, { seed: req.seed, n: req.samples });
      const report = probeSpec(req.spec, ds, req.seed, req.jac, req.setup);
      const baseline = req.baseline ? probeSpec(req.baseline.spec, ds, req.seed, req.jac, req.baseline.setup) : null;
      if (o.json) printJson(baseline ? { ...report, baseline } : report);
      else {
        printProbe(report);
        if (baseline) printComparison(baseline, report);
      }
      state.code = 0;
    });
}
