/**
 * `gradscope probe`: the diagnostics of SPEC §5 for a fresh network on N
 * examples — per layer the gradient norm on a log-scale bar, saturated and
 * dead fractions, then the verdict.
 */
import { Command, Option } from 'commander';
import { loadDataset } from '../../data/node.js';
import { probeSpec, type ProbeReport } from '../../experiments/netspec.js';
import { parseArch } from '../../nn/build.js';
import { getActivation } from '../../activations/catalogue.js';
import { getInit } from '../../nn/init.js';
import { LOSS_NAMES, type LossName } from '../../nn/losses.js';
import { color, logBar, num, pct } from '../format.js';
import { numberOption, printJson } from '../io.js';
import type { RunState } from '../main.js';
import { collect, parseParams } from '../params.js';

/** Prints the terminal view of a probe. */
export function printProbe(r: ProbeReport): void {
  const w = (s: string) => process.stdout.write(s);
  w(`${color.bold('probe')} [${r.arch.join(', ')}]  act=${r.activation}  init=${r.init}  loss=${r.loss}  data=${r.dataset} (${r.samples} examples)  seed=${r.seed}\n`);
  w(`loss at initialisation: ${num(r.lossValue, 4)}\n\n`);
  const norms = r.layers.map((l) => l.biasGradNorm).filter((v) => v > 0 && Number.isFinite(v));
  const hi = Math.max(...norms, 1e-300);
  const lo = Math.min(hi / 1e4, ...norms);
  w(`${'layer'.padEnd(7)}${'units'.padStart(6)}  ${'‖δ‖ = ‖∂C/∂b‖ (log scale)'.padEnd(42)}${'‖∂C/∂W‖'.padStart(10)}${'mean|f′|'.padStart(10)}${'saturated'.padStart(11)}${'dead'.padStart(9)}\n`);
  for (const l of r.layers) {
    const name = l.index === r.layers.length ? `${l.index} out` : `${l.index}`;
    w(`${name.padEnd(7)}${String(l.units).padStart(6)}  ${color.cyan(logBar(l.biasGradNorm, lo, hi, 30).padEnd(30))} ${num(l.biasGradNorm).padStart(10)} ${num(l.weightGradNorm).padStart(10)}${num(l.meanAbsDerivative).padStart(10)}${pct(l.saturatedFraction).padStart(11)}${pct(l.deadFraction).padStart(9)}\n`);
  }
  w(`\nfirst-to-last ratio ‖δ¹‖/‖δᴸ⁻¹‖: ${num(r.firstToLast)}\n`);
  const v = r.verdict;
  const paint = v.kind === 'healthy' ? color.green : v.kind === 'exploding' ? color.red : color.yellow;
  w(`${color.bold('verdict:')} ${paint(v.kind)} — ${v.cause}\n`);
  v.remedies.forEach((s, i) => w(`  ${i + 1}. ${s}\n`));
}

/** Builds the `probe` command. */
export function probeCommand(state: RunState): Command {
  return new Command('probe')
    .description('per-layer gradient diagnostics of a freshly initialised network')
    .option('--arch <sizes>', "layer sizes joined by '-', NxK repeats", '784-30-30-10')
    .option('--act <name>', 'hidden activation', 'sigmoid')
    .option('--param <k=v>', 'activation parameter (repeatable)', collect, [] as string[])
    .option('--out-act <name>', 'output activation for the quadratic loss (default: --act)')
    .option('--init <name>', 'initialiser (normal, nielsen, xavier_uniform, he_normal, …, uniform:A, normal:S)', 'normal')
    .addOption(new Option('--loss <name>', 'loss').choices(LOSS_NAMES).default('binary_cross_entropy'))
    .option('--data <name>', 'digits, mnist:DIR, spiral, circles, xor, gaussians, moons', 'digits')
    .option('--samples <n>', 'examples in the probe batch', '1000')
    .option('--seed <n>', 'seed of the weights (and of synthetic data)', '1')
    .addOption(new Option('--dtype <dtype>', 'float32 or float64').choices(['float32', 'float64']).default('float32'))
    .option('--jacobian-samples <n>', 'examples used for Jacobian singular values (0 = skip)', '8')
    .option('--json', 'print one JSON document')
    .action((o: { arch: string; act: string; param: string[]; outAct?: string; init: string; loss: string; data: string; samples: string; seed: string; dtype: string; jacobianSamples: string; json?: boolean }) => {
      const arch = parseArch(o.arch);
      getActivation(o.act);
      if (o.outAct) getActivation(o.outAct);
      getInit(o.init);
      const samples = numberOption('--samples', o.samples, { integer: true, min: 1 })!;
      const seed = numberOption('--seed', o.seed, { integer: true })!;
      const jac = numberOption('--jacobian-samples', o.jacobianSamples, { integer: true, min: 0 })!;
      const ds = loadDataset(o.data, { seed, n: samples });
      const report = probeSpec(
        { arch, act: o.act, actParams: parseParams(o.param), outAct: o.outAct, init: o.init, loss: o.loss as LossName, dtype: o.dtype as 'float32' | 'float64' },
        ds,
        seed,
        jac,
      );
      if (o.json) printJson(report);
      else printProbe(report);
      state.code = 0;
    });
}
