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
import { color, num } from '../format.js';
import { numberOption, printJson, UsageError } from '../io.js';
import type { RunState } from '../main.js';
import { loadProblem } from './grad.js';
import { compactTable } from '../table.js';

/** Builds the `gradcheck` command. */
export function gradcheckCommand(state: RunState): Command {
  return new Command('gradcheck')
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
    .action((o: { model?: string; input?: string; target?: string; arch: string; act: string; outAct?: string; init: string; batch: string; loss: string; tol: string; seed: string; json?: boolean }) => {
      const loss = getLoss(o.loss);
      const tol = numberOption('--tol', o.tol, { min: 0, exclusiveMin: true })!;
      const seed = numberOption('--seed', o.seed, { integer: true })!;
      let problem;
      if (o.model) {
        if (!o.input || !o.target) throw new UsageError('--model needs --input and --target');
        problem = loadProblem(o.model, o.input, o.target, 'float64', loss.name);
      } else {
        const sizes = parseArch(o.arch);
        const rng = new Rng(seed);
        const net = buildMlp({ sizes, hidden: { name: o.act }, output: { name: outputActivationFor(loss.name as LossName, o.act, o.outAct) }, init: o.init, dtype: 'float64', rng });
        const B = numberOption('--batch', o.batch, { integer: true, min: 1 })!;
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
        const t = compactTable(['layers[i]', 'type', 'param', 'checked', 'max rel error', 'max abs error']);
        for (const e of entries) t.push([e.layerIndex, e.layerType, e.param, e.checked, num(e.maxRelError), num(e.maxAbsError)]);
        process.stdout.write(`${t.toString()}\n`);
        process.stdout.write(pass ? color.green(`pass: max relative error ${num(worst)} ≤ ${tol}\n`) : color.red(`FAIL: max relative error ${num(worst)} > ${tol}\n`));
      }
      state.code = pass ? 0 : 1;
    });
}
