/**
 * `gradscope export`: a network to ONNX (`export MODEL --to onnx --out
 * net.onnx`, any format gradscope reads, in float32 or float64), or a run
 * directory to a TensorBoard event file (`export RUN_DIR --to tensorboard
 * OUT_DIR`). Files are written atomically.
 */
import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { exportOnnx } from '../../interop/onnx/export.js';
import { eventFileName, tensorboardEvents } from '../../interop/tensorboard.js';
import { parseDType } from '../../tensor/dtype.js';
import { say, msg } from '../../i18n/catalogue.js';
import { InputError, writeFileAtomic, usageError } from '../io.js';
import { addLangOption, langOf } from '../lang.js';
import { unwritableReason } from '../../experiments/files.js';
import type { RunState } from '../main.js';
import { readModel } from '../model.js';
import { readRunDir } from '../run-files.js';

/** Builds the `export` command. */
export function exportCommand(state: RunState): Command {
  return addLangOption(new Command('export'))
    .description('a network to ONNX (loadable by onnxruntime and PyTorch\'s ONNX tooling), or a run directory to a TensorBoard event file')
    .argument('<source>', 'a model file (gradscope, ONNX, TensorFlow.js model.json) or, with --to tensorboard, a run directory')
    .argument('[out]', 'with --to tensorboard: the directory to write the event file into')
    .addOption(new Option('--to <format>', 'what to write').choices(['onnx', 'tensorboard']).makeOptionMandatory())
    .option('--out <path>', 'the ONNX file to write (default: SOURCE with .onnx), or the TensorBoard directory')
    .addOption(new Option('--dtype <dtype>', 'with --to onnx: the float type of the weights').choices(['float32', 'float64']).default('float32'))
    .action((source: string, out: string | undefined, o: { to: string; out?: string; dtype: string; lang?: string }) => {
      const lang = langOf(o);
      if (out !== undefined && o.out !== undefined) throw usageError([], msg('err.export.twice', { out, o: o.out }));
      const target = o.out ?? out;
      if (o.to === 'onnx') {
        const m = readModel(source, parseDType(o.dtype, '--dtype'));
        const file = target ?? `${source.replace(/\.(json|onnx)$/i, '')}.onnx`;
        if (file === source) throw usageError([], msg('err.export.source', { file }));
        const why = unwritableReason(dirname(resolve(file)));
        if (why !== null) throw new InputError(`--out ${file}: cannot write the ONNX file there (${why}); choose another path`);
        writeFileAtomic(file, exportOnnx(m.net, { inputShape: m.inputShape, names: m.names, graphName: basename(source) }));
        process.stderr.write(`${say(lang, 'cli.export.onnx', { file, layers: m.net.layers.length, dtype: o.dtype })}\n`);
      } else {
        if (target === undefined) throw usageError([], msg('err.export.tensorboardDir', { usage: 'gradscope export RUN_DIR --to tensorboard OUT_DIR' }));
        const why = existsSync(target) && !statSync(target).isDirectory() ? 'it is not a directory' : unwritableReason(resolve(target));
        if (why !== null) throw new InputError(`${target}: cannot write the TensorBoard event file there (${why}); choose another directory`);
        const run = readRunDir(source);
        const wall = Date.now() / 1000;
        const file = join(target, eventFileName(wall, hostname()));
        writeFileAtomic(file, tensorboardEvents(run, wall));
        process.stderr.write(`${say(lang, 'cli.export.tensorboard', { file, probes: run.probes.length, command: `tensorboard --logdir ${target}` })}\n`);
      }
      state.code = 0;
    });
}
