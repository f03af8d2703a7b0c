/**
 * `gradscope grad`: exact gradients of a given network (a gradscope-model
 * file) for given inputs and targets, in float64 by default; normalisation
 * layers run in evaluation mode (their running statistics).
 */
import { Command, Option } from 'commander';
import { getLoss, LOSS_NAMES } from '../../nn/losses.js';
import { networkFromModel, validateModel } from '../../nn/model-file.js';
import type { Network } from '../../nn/network.js';
import { ResidualBlock } from '../../nn/residual.js';
import { fromArray, parseDType, type DType } from '../../tensor/dtype.js';
import { norm2 } from '../../tensor/reduce.js';
import { Rng } from '../../tensor/rng.js';
import { num } from '../format.js';
import { InputError, parseMatrix, printJson, readJson } from '../io.js';
import type { RunState } from '../main.js';

/** The gradient of one weight layer, as `grad --json` prints it. */
export interface LayerGrad {
  index: number;
  weightGrad: number[][];
  biasGrad: number[];
  activation?: string;
  paramGrad?: Record<string, number>;
  /** The normalisation layer after it: ∂C/∂γ and ∂C/∂β. */
  norm?: { type: string; weightGrad: number[]; biasGrad: number[] };
  /** The projection of the residual block it is the branch of (when the block changes the width). */
  projection?: { weightGrad: number[][]; biasGrad: number[] };
}

/** The rows of a weight gradient dW(R, I). */
function gradRows(dW: ArrayLike<number>, I: number): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < dW.length / I; r++) rows.push(Array.from({ length: I }, (_, c) => dW[r * I + c]));
  return rows;
}

/** Loads model, inputs and targets; returns the network and the batch. */
export function loadProblem(modelFile: string, inputFile: string, targetFile: string, dtype: DType): { net: Network; x: Float32Array | Float64Array; y: Float32Array | Float64Array; B: number } {
  const model = validateModel(readJson(modelFile), modelFile);
  const net = networkFromModel(model, dtype);
  const xs = parseMatrix(readJson(inputFile), inputFile, net.inputSize, "the model's input width");
  const ys = parseMatrix(readJson(targetFile), targetFile, net.outputSize, "the model's output width");
  if (ys.length !== xs.length) throw new InputError(`${targetFile}: has ${ys.length} rows but ${inputFile} has ${xs.length}; one target row per input row`);
  return { net, x: fromArray(dtype, xs.flat()), y: fromArray(dtype, ys.flat()), B: xs.length };
}

/** Gradients of every weight layer (and of the learnable activation, normalisation and projection parameters with it) after a backward pass. */
export function collectGrads(net: Network): LayerGrad[] {
  return net.weightLayers.map((wl, l) => {
    const entry: LayerGrad = { index: l + 1, weightGrad: gradRows(wl.dweight, wl.inSize), biasGrad: Array.from(wl.dbias) };
    const act = net.activationAfter(l);
    if (act && act.params().length > 0) {
      entry.activation = act.name;
      entry.paramGrad = Object.fromEntries(act.params().map((p) => [p.name, p.grad[0]]));
    }
    const norm = net.normAfter(l);
    if (norm) entry.norm = { type: norm.type, weightGrad: Array.from(norm.dweight), biasGrad: Array.from(norm.dbias) };
    const block = net.layers.find((b): b is ResidualBlock => b instanceof ResidualBlock && b.inner.includes(wl));
    if (block?.projection) entry.projection = { weightGrad: gradRows(block.projection.dweight, block.projection.inSize), biasGrad: Array.from(block.projection.dbias) };
    return entry;
  });
}

/** Builds the `grad` command. */
export function gradCommand(state: RunState): Command {
  return new Command('grad')
    .description('exact gradients of a model file (gradscope-model/1 or /2) for given inputs and targets')
    .requiredOption('--model <file>', 'model file (gradscope-model/1 or /2)')
    .requiredOption('--input <file>', 'inputs: JSON array of rows (batch × features)')
    .requiredOption('--target <file>', 'targets: JSON array of rows (batch × outputs)')
    .addOption(new Option('--loss <name>', 'loss').choices(LOSS_NAMES).default('binary_cross_entropy'))
    .addOption(new Option('--dtype <dtype>', 'float64 (exact) or float32').choices(['float64', 'float32']).default('float64'))
    .option('--json', 'print one JSON document')
    .action((o: { model: string; input: string; target: string; loss: string; dtype: string; json?: boolean }) => {
      const dtype = parseDType(o.dtype, '--dtype');
      const loss = getLoss(o.loss);
      const { net, x, y, B } = loadProblem(o.model, o.input, o.target, dtype);
      net.zeroGrad();
      const value = net.lossAndBackward(x, y, B, loss, { training: false, rng: new Rng(0) });
      const layers = collectGrads(net);
      if (o.json) {
        printJson({ loss: value, layers });
      } else {
        process.stdout.write(`loss (${loss.name}, batch of ${B}): ${num(value, 10)}\n`);
        for (const [l, wl] of net.weightLayers.entries()) {
          const extra = layers[l].paramGrad ? `  ∂C/∂${Object.keys(layers[l].paramGrad!).join(',')} = ${Object.values(layers[l].paramGrad!).map((v) => num(v, 6)).join(', ')}` : '';
          process.stdout.write(`layer ${l + 1} (${wl.outSize}×${wl.inSize}): ‖∂C/∂W‖ = ${num(norm2(wl.dweight), 6)}  ‖∂C/∂b‖ = ${num(norm2(wl.dbias), 6)}${extra}\n`);
        }
        process.stdout.write('(add --json for every component)\n');
      }
      state.code = 0;
    });
}
