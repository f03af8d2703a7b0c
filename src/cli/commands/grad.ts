/**
 * `gradscope grad`: exact gradients of a given network — a gradscope model
 * file, an ONNX model or a TensorFlow.js model.json — for given inputs and
 * targets, in float64 by default; normalisation layers run in evaluation
 * mode (their running statistics). Dense layers are listed in the order the
 * input reaches them, weights as [out][in] whatever the file's layout, with
 * the file's layer names.
 */
import { Command, Option } from 'commander';
import { Activation } from '../../nn/activation-layer.js';
import { getLoss, LOSS_NAMES } from '../../nn/losses.js';
import { findNonFinite } from '../../nn/nonfinite.js';
import { outputLayerIssue, targetIssue } from '../../nn/targets.js';
import { inputError } from '../../errors.js';
import type { Network } from '../../nn/network.js';
import { withLossOutput } from '../../interop/load.js';
import type { LayerNames, LoadedModel } from '../../interop/names.js';
import type { LossName } from '../../nn/losses.js';
import { readModel } from '../model.js';
import { ResidualBlock } from '../../nn/residual.js';
import { fromArray, parseDType, type DType } from '../../tensor/dtype.js';
import { norm2 } from '../../tensor/reduce.js';
import { Rng } from '../../tensor/rng.js';
import { num } from '../format.js';
import { parseMatrix, printJson, readJson } from '../io.js';
import { msg, say } from '../../i18n/catalogue.js';
import { addLangOption, langOf } from '../lang.js';
import type { RunState } from '../main.js';

/** The gradient of one weight layer, as `grad --json` prints it. */
export interface LayerGrad {
  index: number;
  /** The layer's name in the file ('fc3', 'dense_1', 'layers[2]'). */
  name?: string;
  /** The operator(s) it came from ('Gemm', 'MatMul+Add', 'Dense'). */
  op?: string;
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
 * Loads model, inputs and targets; returns the network (with the loss's
 * output activation appended to a logits model) and the batch. A last layer
 * the loss cannot read and targets outside the loss's domain are InputErrors
 * naming the file, the layer or row, and the value (nn/targets.ts).
 */
export function loadProblem(modelFile: string, inputFile: string, targetFile: string, dtype: DType, lossName: LossName): { net: Network; model: LoadedModel; appended: string | null; x: Float32Array | Float64Array; y: Float32Array | Float64Array; B: number } {
  const loaded = readModel(modelFile, dtype);
  const lastIndex = loaded.net.layers.length - 1;
  const last = loaded.net.layers[lastIndex];
  const lastAct = last instanceof Activation ? last.name : null;
  const layerProblem = loaded.output === 'log_softmax' ? null : outputLayerIssue(lossName, lastAct);
  const named = loaded.names.get(last)?.name;
  if (layerProblem !== null) throw inputError([modelFile, `layers[${lastIndex}]${named && named !== `layers[${lastIndex}]` ? ` '${named}'` : ''}`], layerProblem);
  const { model, appended } = withLossOutput(loaded, lossName);
  const net = model.net;
  const xs = parseMatrix(readJson(inputFile, 'matrix'), inputFile, net.inputSize, msg('err.matrix.inputWidth'));
  const ys = parseMatrix(readJson(targetFile, 'matrix'), targetFile, net.outputSize, msg('err.matrix.outputWidth'));
  if (ys.length !== xs.length) throw inputError([targetFile], msg('err.target.rows', { n: String(ys.length), x: inputFile, m: String(xs.length) }));
  const B = xs.length;
  const y = fromArray(dtype, ys.flat());
  const targets = targetIssue(lossName, y, B, net.outputSize);
  if (targets !== null) throw inputError([targetFile], targets);
  return { net, model, appended, x: fromArray(dtype, xs.flat()), y, B };
}

/** One trainable tensor of a layer `collectGrads` does not report (a recurrent layer), as `grad --json` prints it. */
export interface ParamGrad {
  layer: string;
  op: string;
  param: string;
  shape: readonly number[];
  grad: number[];
}

/** Gradients of the parameters outside the weight layers and what `collectGrads` reports with them (recurrent layers' W_ih, W_hh, biases in gradscope's layouts). */
export function collectOtherGrads(net: Network, names: LayerNames): ParamGrad[] {
  const reported = new Set<unknown>();
  net.weightLayers.forEach((wl, l) => {
    for (const p of wl.params()) reported.add(p);
    for (const p of net.normAfter(l)?.params() ?? []) reported.add(p);
    for (const p of net.activationAfter(l)?.params() ?? []) reported.add(p);
  });
  for (const b of net.layers) if (b instanceof ResidualBlock && b.projection) for (const p of b.projection.params()) reported.add(p);
  const out: ParamGrad[] = [];
  for (const l of net.mainPath) {
    for (const p of l.params()) if (!reported.has(p)) out.push({ layer: names.get(l)?.name ?? l.type, op: names.get(l)?.op ?? l.type, param: p.name, shape: p.shape, grad: Array.from(p.grad) });
  }
  return out;
}

/** Gradients of every weight layer (and of the learnable activation, normalisation and projection parameters with it) after a backward pass. */
export function collectGrads(net: Network, names?: LayerNames): LayerGrad[] {
  return net.weightLayers.map((wl, l) => {
    const n = names?.get(wl);
    const entry: LayerGrad = { index: l + 1, ...(n ? { name: n.name, op: n.op } : {}), weightGrad: gradRows(wl.dweight, wl.inSize), biasGrad: Array.from(wl.dbias) };
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
  return addLangOption(new Command('grad'))
    .description('exact gradients of a network (gradscope model, ONNX or TensorFlow.js model.json) for given inputs and targets')
    .requiredOption('--model <file>', 'model file: gradscope-model/1 or /2, ONNX (.onnx), TensorFlow.js model.json (told apart by content)')
    .requiredOption('--input <file>', 'inputs: JSON array of rows (batch × features)')
    .requiredOption('--target <file>', 'targets: JSON array of rows (batch × outputs)')
    .addOption(new Option('--loss <name>', 'loss').choices(LOSS_NAMES).default('binary_cross_entropy'))
    .addOption(new Option('--dtype <dtype>', 'float64 (exact) or float32').choices(['float64', 'float32']).default('float64'))
    .option('--json', 'print one JSON document')
    .action((o: { model: string; input: string; target: string; loss: string; dtype: string; json?: boolean; lang?: string }) => {
      const lang = langOf(o);
      const dtype = parseDType(o.dtype, '--dtype');
      const loss = getLoss(o.loss);
      const { net, model, appended, x, y, B } = loadProblem(o.model, o.input, o.target, dtype, loss.name);
      if (appended) process.stderr.write(`gradscope: ${o.model} ends in logits; ${loss.name} applies ${appended} to them (as torch.nn.${loss.name === 'cross_entropy' ? 'CrossEntropyLoss' : 'BCEWithLogitsLoss'} does)\n`);
      net.zeroGrad();
      const value = net.lossAndBackward(x, y, B, loss, { training: false, rng: new Rng(0) });
      const layers = collectGrads(net, model.names);
      const params = collectOtherGrads(net, model.names);
      // values that overflow are a finding (which layer), not a document of nulls
      const found = findNonFinite(net, value, B, 0);
      const L = net.weightLayers.length;
      const nonFinite = found && found.quantity === 'loss' ? { ...found, layer: L, message: `${found.message}: the outputs of layer ${L} of ${L} reach ${num(maxAbs(net.forward(x, B, { training: false, rng: new Rng(0) })), 3)}, too large for ${loss.name}` } : found;
      if (o.json) {
        printJson({ loss: value, format: model.format, ...(appended ? { outputActivationAdded: appended } : {}), layers, ...(params.length ? { params } : {}), ...(nonFinite ? { nonFinite: { layer: nonFinite.layer, quantity: nonFinite.quantity, message: nonFinite.message.replace(/^step 0: /, '') } } : {}) });
      } else {
        process.stdout.write(`${say(lang, 'cli.grad.loss', { format: model.format, producer: model.producer, loss: loss.name, B, value: num(value, 10) })}\n`);
        for (const [l, wl] of net.weightLayers.entries()) {
          const extra = layers[l].paramGrad ? `  ∂C/∂${Object.keys(layers[l].paramGrad!).join(',')} = ${Object.values(layers[l].paramGrad!).map((v) => num(v, 6)).join(', ')}` : '';
          const label = layers[l].name ? ` '${layers[l].name}' (${layers[l].op})` : '';
          process.stdout.write(`${say(lang, 'cli.grad.layer', { n: l + 1, label, shape: `${wl.outSize}×${wl.inSize}`, dW: num(norm2(wl.dweight), 6), db: num(norm2(wl.dbias), 6), extra })}\n`);
        }
        for (const p of params) process.stdout.write(`  '${p.layer}' (${p.op}) ${p.param} [${p.shape.join('×')}]: ‖∂C/∂·‖ = ${num(norm2(p.grad), 6)}\n`);
        process.stdout.write(`${say(lang, 'cli.grad.more')}\n`);
      }
      if (nonFinite) process.stderr.write(`gradscope: the gradient is not finite: ${nonFinite.message.replace(/^step 0: /, '')}\n`);
      state.code = nonFinite ? 1 : 0;
    });
}
