/**
 * `gradscope gradcheck`: backpropagation against central finite differences
 * in float64, for a model file or a generated network; fails (exit 1) when
 * any tensor's max relative error exceeds the tolerance.
 */
import { Command, Option } from 'commander';
import { buildMlp, outputActivationFor, parseArch } from '../../nn/build.js';
import { gradCheck } from '../../nn/gradcheck.js';
import { getLoss, LOSS_NAMES, type LossName } from '../../nn/losses.js';
import { Rng } from '../../tensor/rng.js';
import { alloc } from '../../tensor/dtype.js';
import { say } from '../../i18n/catalogue.js';
import { color, num } from '../format.js';
import { checkMemory, memoryBudget } from '../../experiments/budget.js';
import { mlpMemory } from '../../experiments/memory.js';
import { memoryOption, numberOption, printJson, UsageError } from '../io.js';
import { addLangOption, langOf } from '../lang.js';
import type { RunState } from '../main.js';
import { loadProblem } from './grad.js';
import { compactTable } from '../table.js';

/** Builds the `gradcheck` command. */
export function gradcheckCommand(state: RunState): Command {
  return addLangOption(new Command('gradcheck'))
    .description('check backpropagation against central finite differences (float64)')
    .option('--model <file>', 'model file; with --input and --target')
    .option('--input <file>', 'inputs (JSON rows)')
    .option('--target <file>', 'targets (JSON rows)')
    .option('--arch <sizes>', 'generated network, e.g. 5-4x3-3 (used when no --model)', '5-4x3-3')
    .option('--act <name>', 'hidden activation of the generated network', 'tanh')
    .option('--out-act <name>', 'output activation for the quadratic loss')
    .option('--init <name>', 'initialiser of the generated network', 'xavier_normal')
    .option('--batch <n>', 'examples in the generated batch', '4')
    .addOption(new Option('--loss <name>', 'loss').choices(LOSS_NAMES).default('binary_cross_entropy'))
    .option('--tol <x>', 'maximum relative error allowed', '1e-6')
    .option('--seed <n>', 'seed of the generated network and batch', '1')
    .option('--json', 'print one JSON document')
    .addOption(memoryOption())
    .action((o: { model?: string; input?: string; target?: string; arch: string; act: string; outAct?: string; init: string; batch: string; loss: string; tol: string; seed: string; json?: boolean; memory?: string; lang?: string }) => {
      const lang = langOf(o);
      const loss = getLoss(o.loss);
      const tol = numberOption('--tol', o.tol, { min: 0, exclusiveMin: true })!;
      const seed = numberOption('--seed', o.seed, { integer: true })!;
      let problem;
      if (o.model) {
        if (!o.input || !o.target) throw new UsageError('--model needs --input and --target');
        problem = loadProblem(o.model, o.input, o.target, 'float64', loss.name);
      } else {
        const sizes = parseArch(o.arch);
        const B = numberOption('--batch', o.batch, { integer: true, min: 1 })!;
        // float64 weights, their gradients and the finite-difference copies of the largest tensor
        const e = mlpMemory({ arch: sizes, dtype: 'float64', optimizer: 'sgd', rows: B, dataBytes: 8 * B * (sizes[0] + sizes[sizes.length - 1]), writesModel: false });
        const largest = Math.max(...sizes.slice(1).map((n, i) => n * sizes[i]));
        checkMemory({ ...e, bytes: e.bytes + 16 * largest, parts: { ...e.parts, 'finite differences': 16 * largest } }, memoryBudget(o.memory), `--arch ${o.arch} with --batch ${B}`);
        const rng = new Rng(seed);
        const net = buildMlp({ sizes, hidden: { name: o.act }, output: { name: outputActivationFor(loss.name as LossName, o.act, o.outAct) }, init: o.init, dtype: 'float64', rng });
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
