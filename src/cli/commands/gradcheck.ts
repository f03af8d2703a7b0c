/**
 * `gradscope gradcheck`: backpropagation against central finite differences
 * in float64, for a model file or a generated network; fails (exit 1) when
 * any tensor's max relative error exceeds the tolerance.
 */
import { Command } from 'commander';
import { gradCheck } from '../../nn/gradcheck.js';
import { getLoss } from '../../nn/losses.js';
import { networkOf } from '../../run/derive.js';
import type { RunSpec } from '../../run/schema.js';
import { SETTING_NAMES, type SettingName } from '../../run/settings.js';
import { Rng } from '../../tensor/rng.js';
import { alloc } from '../../tensor/dtype.js';
import { say, msg } from '../../i18n/catalogue.js';
import { color, num } from '../format.js';
import { checkMemory, memoryBudget } from '../../experiments/budget.js';
import { mlpMemory } from '../../experiments/memory.js';
import { memoryOption, numberOption, printJson, usageError } from '../io.js';
import { addLangOption, langOf } from '../lang.js';
import type { RunState } from '../main.js';
import { loadProblem } from './grad.js';
import { compactTable } from '../table.js';
import { addSettingOptions, runFromFlags, settingsFromFlags } from '../settings.js';

/** The run settings that describe the generated network (the rest do not change a gradient check). */
const NETWORK_SETTINGS: readonly SettingName[] = ['arch', 'activation', 'activationParams', 'outputActivation', 'init', 'biasInit', 'loss', 'norm', 'residual', 'seed'];

/** Every other setting: no flag here. */
const EXCEPT: readonly SettingName[] = SETTING_NAMES.filter((n) => !NETWORK_SETTINGS.includes(n));

/** The check's own defaults where a run's differ: a small network, so every weight can be perturbed. */
const DEFAULTS: Readonly<Partial<Record<SettingName, string>>> = { arch: '5-4x3-3', activation: 'tanh', init: 'xavier_normal', loss: 'binary_cross_entropy' };

/** The generated network's description from the flags (float64, the check's defaults where the flags say nothing). */
export function gradcheckSpec(o: Readonly<Record<string, unknown>>): RunSpec {
  const flags = settingsFromFlags(o, { except: EXCEPT });
  // a model file brings its own network: only the loss and the seed (of the perturbation order) still apply
  const built = typeof o.model === 'string' ? NETWORK_SETTINGS.find((n) => n !== 'loss' && n !== 'seed' && flags.input[n] !== undefined) : undefined;
  if (built) throw usageError([], msg('err.gradcheck.builtWithModel', { flag: flags.written.get(built) ?? built }));
  for (const [k, v] of Object.entries(DEFAULTS)) if (flags.input[k] === undefined) flags.input[k] = v;
  flags.input.dtype = 'float64';
  return runFromFlags(flags);
}

/** Builds the `gradcheck` command. */
export function gradcheckCommand(state: RunState): Command {
  const cmd = addLangOption(new Command('gradcheck'))
    .description('check backpropagation against central finite differences (float64), for a model file or a generated network described by the network settings of a run (--arch, --activation, --activation-params, --output-activation, --init, --bias-init, --norm, --residual, --loss; --seed draws its weights and its batch)')
    .option('--model <file>', 'model file; with --input and --target')
    .option('--input <file>', 'inputs (JSON rows)')
    .option('--target <file>', 'targets (JSON rows)')
    .option('--batch <n>', 'examples in the generated batch', '4')
    .option('--tol <x>', 'maximum relative error allowed', '1e-6')
    .option('--json', 'print one JSON document')
    .addOption(memoryOption());
  return addSettingOptions(cmd, { except: EXCEPT, defaults: DEFAULTS })
    .action((o: { model?: string; input?: string; target?: string; batch: string; tol: string; json?: boolean; memory?: string; lang?: string } & Record<string, unknown>) => {
      const lang = langOf(o);
      const tol = numberOption('--tol', o.tol, { min: 0, exclusiveMin: true })!;
      const spec = gradcheckSpec(o);
      const loss = getLoss(spec.loss);
      const seed = spec.seed;
      let problem;
      if (o.model) {
        if (!o.input || !o.target) throw usageError([], msg('err.gradcheck.needsFiles'));
        problem = loadProblem(o.model, o.input, o.target, 'float64', loss.name);
      } else {
        const sizes = spec.arch;
        const B = numberOption('--batch', o.batch, { integer: true, min: 1 })!;
        if (spec.norm === 'batch' && B < 2) throw usageError([], msg('err.gradcheck.batch'));
        // float64 weights, their gradients and the finite-difference copies of the largest tensor
        const e = mlpMemory({ arch: sizes, dtype: 'float64', optimizer: 'sgd', rows: B, dataBytes: 8 * B * (sizes[0] + sizes[sizes.length - 1]), writesModel: false });
        const largest = Math.max(...sizes.slice(1).map((n, i) => n * sizes[i]));
        checkMemory({ ...e, bytes: e.bytes + 16 * largest, parts: { ...e.parts, 'finite differences': 16 * largest } }, memoryBudget(o.memory), msg('err.mem.gradcheck', { arch: sizes.join('-'), batch: String(B) }));
        const rng = new Rng(seed);
        const net = networkOf(spec, rng);
        const x = alloc('float64', B * sizes[0]);
        const y = alloc('float64', B * sizes[sizes.length - 1]);
        for (let i = 0; i < x.length; i++) x[i] = rng.normal();
        const C = sizes[sizes.length - 1];
        for (let r = 0; r < B; r++) {
          if (loss.name === 'cross_entropy') y[r * C + rng.int(C)] = 1;
          else for (let c = 0; c < C; c++) y[r * C + c] = loss.name === 'binary_cross_entropy' ? rng.int(2) : rng.normal();
        }
        problem = { net, x, y, B };
      }
      const entries = gradCheck(problem.net, problem.x, problem.y, problem.B, loss, { seed });
      const worst = Math.max(...entries.map((e) => e.maxRelError));
      const pass = worst <= tol;
      if (o.json) {
        printJson({ loss: loss.name, tolerance: tol, pass, maxRelError: worst, tensors: entries });
      } else {
        const t = compactTable((['cli.gradcheck.col.layer', 'cli.gradcheck.col.type', 'cli.gradcheck.col.param', 'cli.gradcheck.col.checked', 'cli.gradcheck.col.rel', 'cli.gradcheck.col.abs'] as const).map((k) => say(lang, k)));
        for (const e of entries) t.push([e.layerIndex, e.layerType, e.param, e.checked, num(e.maxRelError), num(e.maxAbsError)]);
        process.stdout.write(`${t.toString()}\n`);
        process.stdout.write(pass ? color.green(`${say(lang, 'cli.gradcheck.pass', { e: num(worst), tol: String(tol) })}\n`) : color.red(`${say(lang, 'cli.gradcheck.fail', { e: num(worst), tol: String(tol) })}\n`));
      }
      state.code = pass ? 0 : 1;
    });
}
