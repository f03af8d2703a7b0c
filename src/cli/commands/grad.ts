/**
 * `gradscope grad`: exact gradients of a given network (a gradscope-model
 * file) for given inputs and targets, in float64 by default; normalisation
 * layers run in evaluation mode (their running statistics).
 */
import { Command, Option } from 'commander';
import { Activation } from '../../nn/activation-layer.js';
import { getLoss, LOSS_NAMES, type LossDef } from '../../nn/losses.js';
import { networkFromModel, validateModel } from '../../nn/model-file.js';
import { findNonFinite } from '../../nn/nonfinite.js';
import { outputLayerProblem, outputRangeProblem, targetProblem } from '../../nn/targets.js';
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

/**
 * Loads model, inputs and targets for `loss`; returns the network and the
 * batch. Targets outside the loss's domain, a last layer the loss cannot
 * read, and (binary cross-entropy) outputs outside (0, 1) are InputErrors
 * naming the file, the row and the value (nn/targets.ts).
 */
export function loadProblem(modelFile: string, inputFile: string, targetFile: string, dtype: DType, loss: LossDef): { net: Network; x: Float32Array | Float64Array; y: Float32Array | Float64Array; B: number } {
  const model = validateModel(readJson(modelFile, 'model'), modelFile);
  const net = networkFromModel(model, dtype);
  const xs = parseMatrix(readJson(inputFile, 'matrix'), inputFile, net.inputSize, "the model's input width");
  const ys = parseMatrix(readJson(targetFile, 'matrix'), targetFile, net.outputSize, "the model's output width");
  if (ys.length !== xs.length) throw new InputError(`${targetFile}: has ${ys.length} rows but ${inputFile} has ${xs.length}; one target row per input row`);
  const B = xs.length;
  const x = fromArray(dtype, xs.flat());
  const y = fromArray(dtype, ys.flat());
  const targets = targetProblem(loss.name, y, B, net.outputSize);
  if (targets !== null) throw new InputError(`${targetFile}: ${targets}`);
  const lastIndex = net.layers.length - 1;
  const last = net.layers[lastIndex];
  const lastAct = last instanceof Activation ? last.name : null;
  const layer = outputLayerProblem(loss.name, lastAct);
  if (layer !== null) throw new InputError(`${modelFile}: layers[${lastIndex}]: ${layer}`);
  // outputs a sigmoid fused with the loss gives are read as logits, so only other last layers can leave (0, 1)
  if (lastAct !== 'sigmoid') {
    const range = outputRangeProblem(loss.name, net.forward(x, B, { training: false, rng: new Rng(0) }), B, net.outputSize);
    if (range !== null) throw new InputError(`${modelFile}: layers[${lastIndex}] (${lastAct ?? last.type}) with ${inputFile}: ${range}`);
  }
  return { net, x, y, B };
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

/** The largest |v| of `a`. */
function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
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
      const { net, x, y, B } = loadProblem(o.model, o.input, o.target, dtype, loss);
      net.zeroGrad();
      const value = net.lossAndBackward(x, y, B, loss, { training: false, rng: new Rng(0) });
      const layers = collectGrads(net);
      // values that overflow are a finding (which layer), not a document of nulls
      const found = findNonFinite(net, value, B, 0);
      const nonFinite = found && found.quantity === 'loss' ? { ...found, layer: net.weightLayers.length, message: `${found.message}: the outputs of layer ${net.weightLayers.length} of ${net.weightLayers.length} reach ${num(maxAbs(net.forward(x, B, { training: false, rng: new Rng(0) })), 3)}, too large for ${loss.name}` } : found;
      if (o.json) {
        printJson(nonFinite ? { loss: value, layers, nonFinite: { layer: nonFinite.layer, quantity: nonFinite.quantity, message: nonFinite.message.replace(/^step 0: /, '') } } : { loss: value, layers });
      } else {
        process.stdout.write(`loss (${loss.name}, batch of ${B}): ${num(value, 10)}\n`);
        for (const [l, wl] of net.weightLayers.entries()) {
          const extra = layers[l].paramGrad ? `  ∂C/∂${Object.keys(layers[l].paramGrad!).join(',')} = ${Object.values(layers[l].paramGrad!).map((v) => num(v, 6)).join(', ')}` : '';
          process.stdout.write(`layer ${l + 1} (${wl.outSize}×${wl.inSize}): ‖∂C/∂W‖ = ${num(norm2(wl.dweight), 6)}  ‖∂C/∂b‖ = ${num(norm2(wl.dbias), 6)}${extra}\n`);
        }
        process.stdout.write('(add --json for every component)\n');
      }
      if (nonFinite) process.stderr.write(`gradscope: the gradient is not finite: ${nonFinite.message.replace(/^step 0: /, '')}\n`);
      state.code = nonFinite ? 1 : 0;
    });
}
