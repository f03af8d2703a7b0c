/**
 * TensorFlow.js LayersModel → gradscope: model.json (Sequential or
 * functional topology and the weights manifest) and its weight shards, layer
 * by layer into one sequential Network — Dense (kernel (I, O) transposed to
 * gradscope's [O][I]), Activation, LeakyReLU, BatchNormalization (moving
 * statistics), LayerNormalization, Dropout, Flatten, Add (residual),
 * SimpleRNN, LSTM, GRU. Anything else stops the import with one sentence naming
 * the layer, its class and what is supported. Pure: shards come through `shard`.
 */
import { msg } from '../../i18n/catalogue.js';
import { getActivation, resolveParams } from '../../activations/catalogue.js';
import type { ActivationDef } from '../../activations/types.js';
import { inputError, refusedBy } from '../../errors.js';
import type { Msg } from '../../i18n/message.js';
import { Activation } from '../../nn/activation-layer.js';
import { BatchNorm } from '../../nn/batchnorm.js';
import { Dense } from '../../nn/dense.js';
import { Dropout } from '../../nn/dropout.js';
import type { Layer, LayerEnv } from '../../nn/layer.js';
import { LayerNorm } from '../../nn/layernorm.js';
import { Network } from '../../nn/network.js';
import { createCell } from '../../nn/rnn/cell.js';
import type { DType } from '../../tensor/dtype.js';
import { Rng } from '../../tensor/rng.js';
import { fastKernels, networkKernels } from '../../tensor/wasm/index.js';
import { concatBytes } from '../bytes.js';
import { joinResidual } from '../join.js';
import { KerasRecurrentLayer } from '../layers/keras-rnn.js';
import { RecurrentLayer } from '../layers/recurrent.js';
import type { LayerName, LoadedModel } from '../names.js';
import { partsOf, refuse as refuseAt, type At } from '../onnx/attrs.js';
import { cons, layersOf, rowWidth, showShape, type DataVal, type Dim } from '../onnx/values.js';

/** TensorFlow.js activation identifiers → gradscope's catalogue names. */
const ACTIVATIONS: Readonly<Record<string, string>> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', softplus: 'softplus', softsign: 'softsign',
  hard_sigmoid: 'hard_sigmoid_keras2', hardSigmoid: 'hard_sigmoid_keras2', swish: 'silu', mish: 'mish', gelu: 'gelu', gelu_new: 'gelu_tanh',
};

/** The layer classes gradscope reads, for messages (the classes are names in every language). */
export const SUPPORTED_LAYERS: readonly (string | Msg)[] = ['InputLayer', 'Dense', 'Activation', 'LeakyReLU', 'BatchNormalization', 'LayerNormalization', 'Dropout', 'Flatten', msg('err.tfjs.addResidual', { add: 'Add' }), 'SimpleRNN', 'LSTM', 'GRU'];

/** One layer entry of a topology. */
interface LayerJson {
  class_name: string;
  name?: string;
  config: Record<string, unknown>;
  inbound_nodes?: [string, number, number, unknown][][];
}

/** A weight of the manifest with its values. */
type Weights = ReadonlyMap<string, { shape: number[]; values: Float64Array }>;

/** Reads the weights manifest's shards in order (float32 little-endian, or int32). */
function readWeights(doc: Record<string, unknown>, file: string, shard: (p: string) => Uint8Array): Weights {
  const manifest = doc.weightsManifest;
  if (!Array.isArray(manifest)) throw inputError([file], msg('err.tfjs.manifest', { field: 'weightsManifest' }));
  const out = new Map<string, { shape: number[]; values: Float64Array }>();
  for (const group of manifest as { paths?: unknown; weights?: unknown }[]) {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) throw inputError([file], msg('err.tfjs.entry', { field: 'weightsManifest', a: "'paths'", b: "'weights'" }));
    const bytes = concatBytes((group.paths as string[]).map((p) => shard(p)));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let off = 0;
    for (const w of group.weights as { name: string; shape: number[]; dtype?: string; quantization?: unknown }[]) {
      if (w.quantization) throw inputError([file], msg('err.tfjs.quantized', { name: w.name }));
      if (w.dtype !== undefined && w.dtype !== 'float32' && w.dtype !== 'int32') throw inputError([file], msg('err.tfjs.dtype', { name: w.name, dtype: w.dtype }));
      const n = w.shape.reduce((a, b) => a * b, 1);
      if (off + 4 * n > bytes.length) throw inputError([file], msg('err.tfjs.short', { n: String(bytes.length), name: w.name, end: String(off + 4 * n) }));
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = w.dtype === 'int32' ? view.getInt32(off + 4 * i, true) : view.getFloat32(off + 4 * i, true);
      off += 4 * n;
      out.set(w.name, { shape: w.shape, values });
    }
  }
  return out;
}

/** Reads a TensorFlow.js LayersModel (`doc` is model.json) into a network of `dtype`. */
export function importTfjs(doc: Record<string, unknown>, file: string, shard: (p: string) => Uint8Array, dtype: DType): LoadedModel {
  const topo = doc.modelTopology as { class_name?: string; config?: { layers?: LayerJson[]; input_layers?: unknown[][]; output_layers?: unknown[][] }; model_config?: unknown } | undefined;
  const root = topo && 'model_config' in topo ? (topo.model_config as typeof topo) : topo;
  const layersJson = root?.config?.layers;
  if (!root || !Array.isArray(layersJson) || layersJson.length === 0) throw inputError([file], msg('err.tfjs.noLayers', { field: 'modelTopology' }));
  const weights = readWeights(doc, file, shard);
  // float32: the network's own memory, as buildMlp and model files give it
  const env: LayerEnv = { dtype, kernels: dtype === 'float32' ? networkKernels(fastKernels()) : fastKernels() };
  const names = new Map<Layer, LayerName>();
  const seq = root.class_name === 'Sequential';
  const first = layersJson[0].config;
  const batchShape = (first.batch_input_shape ?? first.batchInputShape) as (number | null)[] | undefined;
  if (!Array.isArray(batchShape) || batchShape.slice(1).some((d) => !(typeof d === 'number' && d > 0))) {
    throw inputError([file], msg('err.tfjs.batchShape', { name: String(first.name), field: 'batch_input_shape', shape: JSON.stringify(batchShape ?? null) }));
  }
  const inShape: Dim[] = ['B', ...(batchShape.slice(1) as number[])];
  const input: DataVal = { kind: 'data', chain: null, shape: inShape };
  const vals = new Map<string, DataVal>();
  let x = input;
  for (const l of layersJson) {
    const name = String(l.config.name ?? l.name ?? l.class_name);
    const at: At = { file, subject: msg('err.tfjs.layerAt', { name, cls: l.class_name }) };
    if (seq) {
      x = l.class_name === 'InputLayer' ? input : apply(l, [x], { at, name, env, names, weights, inputWidth: rowWidth(inShape) });
    } else {
      const inbound = l.inbound_nodes ?? [];
      if (l.class_name === 'InputLayer') {
        vals.set(l.name ?? name, input);
        continue;
      }
      if (inbound.length !== 1) refuseAt(at, msg('err.tfjs.applied', { n: String(inbound.length) }));
      const ins = inbound[0].map((n) => {
        const v = vals.get(n[0]);
        if (!v) refuseAt(at, msg('err.tfjs.reads', { name: String(n[0]) }));
        return v;
      });
      vals.set(l.name ?? name, apply(l, ins, { at, name, env, names, weights, inputWidth: rowWidth(inShape) }));
    }
  }
  if (!seq) {
    const outs = root.config?.output_layers ?? [];
    if (outs.length !== 1) throw inputError([file], msg('err.tfjs.outputs', { n: String(outs.length) }));
    x = vals.get(String(outs[0][0]))!;
  }
  if (x.shape.length !== 2) throw inputError([file], msg('err.tfjs.outputShape', { shape: showShape(x.shape) }));
  const layers = layersOf(x.chain);
  if (layers.length === 0) throw inputError([file], msg('err.tfjs.nothing'));
  let net: Network;
  try {
    net = new Network(layers, dtype, env.kernels);
  } catch (e) {
    throw refusedBy([file], e as Error);
  }
  return { net, names, format: 'tfjs-layers', inputShape: inShape.slice(1) as number[], output: 'as_is', producer: String(doc.generatedBy ?? 'TensorFlow.js') };
}

/** What applying one layer needs. */
interface ApplyContext {
  /** The file and the layer, for messages. */
  readonly at: At;
  readonly name: string;
  readonly env: LayerEnv;
  readonly names: Map<Layer, LayerName>;
  readonly weights: Weights;
  readonly inputWidth: number;
}

function refuse(ctx: ApplyContext, why: Msg): never {
  return refuseAt(ctx.at, why);
}

/** The weight `<layer>/<suffix>`. */
function weight(ctx: ApplyContext, suffix: string): Float64Array {
  const w = ctx.weights.get(`${ctx.name}/${suffix}`);
  if (!w) return refuse(ctx, msg('err.tfjs.noWeight', { name: `${ctx.name}/${suffix}` }));
  return w.values;
}

function push(x: DataVal, layer: Layer, ctx: ApplyContext, className: string, shape: readonly Dim[] = x.shape): DataVal {
  ctx.names.set(layer, { name: ctx.name, op: className });
  return { kind: 'data', chain: cons(layer, x.chain), shape };
}

/** Appends the activation `id` (a tfjs identifier) unless it is linear. */
function activation(x: DataVal, id: unknown, ctx: ApplyContext, className: string, params: Record<string, number> = {}): DataVal {
  const key = String(id ?? 'linear');
  const gs = ACTIVATIONS[key];
  if (gs === undefined) return refuse(ctx, msg('err.tfjs.activation', { key, list: Object.keys(ACTIVATIONS).join(', ') }));
  if (gs === 'linear') return x;
  const def = getActivation(gs);
  return push(x, new Activation(def, rowWidth(x.shape), resolveParams(def, params), ctx.env), ctx, `${className} ${key}`);
}

function features(x: DataVal, ctx: ApplyContext): number {
  if (x.shape.length !== 2) return refuse(ctx, msg('err.tfjs.features', { shape: showShape(x.shape), dense: 'Dense' }));
  return x.shape[1] as number;
}

/** One layer of the topology applied to its inputs; a layer refusing the file's sizes or values is a fault of the file. */
function apply(l: LayerJson, ins: readonly DataVal[], ctx: ApplyContext): DataVal {
  try {
    return applyLayer(l, ins, ctx);
  } catch (e) {
    if (e instanceof RangeError) throw refusedBy(partsOf(ctx.at), e);
    throw e;
  }
}

function applyLayer(l: LayerJson, ins: readonly DataVal[], ctx: ApplyContext): DataVal {
  const c = l.config;
  const x = ins[0];
  switch (l.class_name) {
    case 'Dense': {
      const I = features(x, ctx);
      const O = Number(c.units);
      const kernel = weight(ctx, 'kernel');
      if (kernel.length !== I * O) return refuse(ctx, msg('err.tfjs.kernel', { w: 'kernel', n: String(kernel.length), i: String(I), o: String(O) }));
      const d = new Dense(I, O, ctx.env);
      for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) d.weight[o * I + i] = kernel[i * O + o]; // kernel (I, O) → W [O][I]
      if (c.use_bias !== false) d.bias.set(weight(ctx, 'bias'));
      return activation(push(x, d, ctx, 'Dense', ['B', O]), c.activation, ctx, 'Dense');
    }
    case 'Activation':
      return activation(x, c.activation, ctx, 'Activation');
    case 'LeakyReLU':
      return leaky(x, Number(c.alpha ?? 0.3), ctx);
    case 'Dropout': {
      const rate = Number(c.rate ?? 0);
      if (!(rate >= 0 && rate < 1)) return refuse(ctx, msg('err.tfjs.rate', { r: String(rate) }));
      return rate === 0 ? x : push(x, new Dropout(rowWidth(x.shape), rate, ctx.env.dtype), ctx, 'Dropout');
    }
    case 'Flatten':
      return { kind: 'data', chain: x.chain, shape: ['B', rowWidth(x.shape)] };
    case 'BatchNormalization': {
      const F = features(x, ctx);
      if (!(c.axis === -1 || c.axis === 1 || (Array.isArray(c.axis) && c.axis.length === 1 && (c.axis[0] === 1 || c.axis[0] === -1)))) return refuse(ctx, msg('err.tfjs.normAxis', { axis: String(JSON.stringify(c.axis)), op: 'BatchNormalization' }));
      const bn = new BatchNorm(F, ctx.env, { eps: Number(c.epsilon ?? 1e-3), momentum: 1 - Number(c.momentum ?? 0.99) });
      if (c.scale !== false) bn.weight.set(weight(ctx, 'gamma'));
      if (c.center !== false) bn.bias.set(weight(ctx, 'beta'));
      bn.runningMean.set(weight(ctx, 'moving_mean'));
      bn.runningVar.set(weight(ctx, 'moving_variance'));
      return push(x, bn, ctx, 'BatchNormalization');
    }
    case 'LayerNormalization': {
      const F = features(x, ctx);
      const axis = Array.isArray(c.axis) ? c.axis : [c.axis];
      if (!(axis.length === 1 && (axis[0] === -1 || axis[0] === 1))) return refuse(ctx, msg('err.tfjs.normAxes', { axis: String(JSON.stringify(c.axis)), op: 'LayerNormalization' }));
      const ln = new LayerNorm(F, ctx.env, Number(c.epsilon ?? 1e-3));
      if (c.scale !== false) ln.weight.set(weight(ctx, 'gamma'));
      if (c.center !== false) ln.bias.set(weight(ctx, 'beta'));
      return push(x, ln, ctx, 'LayerNormalization');
    }
    case 'Add': {
      if (ins.length !== 2) return refuse(ctx, msg('err.tfjs.addCount', { n: String(ins.length), add: 'Add' }));
      const r = joinResidual(ins[0], ins[1], ctx.env, ctx.inputWidth);
      if ('key' in r) return refuse(ctx, r);
      ctx.names.set(r.block, { name: ctx.name, op: r.identity ? 'Add (identity skip)' : 'Add (projection skip)' });
      return r.out;
    }
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return recurrent(l.class_name, x, c, ctx);
    default:
      return refuse(ctx, msg('err.interop.unsupported', { list: SUPPORTED_LAYERS }));
  }
}

/** A LeakyReLU layer with slope α. */
function leaky(x: DataVal, alpha: number, ctx: ApplyContext): DataVal {
  const def = getActivation('leaky_relu');
  return push(x, new Activation(def, rowWidth(x.shape), resolveParams(def, { negative_slope: alpha }), ctx.env), ctx, 'LeakyReLU');
}

/** The catalogue activation of a tfjs identifier, elementwise. */
function elementwise(id: string, ctx: ApplyContext, what: Msg | string): ActivationDef {
  const name = ACTIVATIONS[id];
  if (name === undefined || name === 'softmax') return refuse(ctx, msg('err.tfjs.recurrentAct', { what, id, list: Object.keys(ACTIVATIONS).filter((k) => k !== 'softmax').join(', ') }));
  return getActivation(name);
}

/**
 * SimpleRNN, LSTM, GRU: a recurrent layer over (batch, steps, features).
 * SimpleRNN and an LSTM with sigmoid gates and tanh become gradscope's own
 * cells (Keras's kernel (I, G·H) and recurrent_kernel (H, G·H) transposed;
 * Keras stacks the gates [i f c o] as gradscope does); an LSTM with other
 * gates (tfjs's default hard_sigmoid) and the GRU (tfjs: reset before the
 * product) the Keras layer, which computes them as tfjs does.
 */
function recurrent(cls: 'SimpleRNN' | 'LSTM' | 'GRU', x: DataVal, c: Record<string, unknown>, ctx: ApplyContext): DataVal {
  if (x.shape.length !== 3) return refuse(ctx, msg('err.tfjs.sequence', { shape: showShape(x.shape), form: msg('err.seq.batchFirst') }));
  for (const flag of ['return_state', 'go_backwards', 'stateful']) if (c[flag] === true) return refuse(ctx, msg('err.tfjs.flag', { flag }));
  if (c.reset_after === true) return refuse(ctx, msg('err.tfjs.resetAfter', { flag: 'reset_after' }));
  if (Number(c.dropout ?? 0) > 0 || Number(c.recurrent_dropout ?? 0) > 0) return refuse(ctx, msg('err.tfjs.cellDropout'));
  const T = x.shape[1] as number;
  const I = x.shape[2] as number;
  const H = Number(c.units);
  const seq = c.return_sequences === true;
  const shape: Dim[] = seq ? ['B', T, H] : ['B', H];
  const act = elementwise(String(c.activation ?? 'tanh'), ctx, msg('err.tfjs.activationWord'));
  const K = weight(ctx, 'kernel');
  const R = weight(ctx, 'recurrent_kernel');
  const gates = cls === 'LSTM' ? 4 : cls === 'GRU' ? 3 : 1;
  const G = gates * H;
  if (K.length !== I * G || R.length !== H * G) return refuse(ctx, msg('err.tfjs.kernels', { k: String(K.length), r: String(R.length), i: String(I), g: String(G), h: String(H) }));
  const B = c.use_bias !== false ? weight(ctx, 'bias') : new Float64Array(G);
  if (cls !== 'SimpleRNN') {
    const gate = elementwise(String(c.recurrent_activation ?? 'hard_sigmoid'), ctx, 'recurrentActivation');
    if (cls === 'GRU' || gate.name !== 'sigmoid' || act.name !== 'tanh') {
      const k = new KerasRecurrentLayer(cls === 'LSTM' ? 'lstm' : 'gru', T, I, H, act, gate, seq, ctx.env.dtype);
      k.kernel.set(K);
      k.recurrentKernel.set(R);
      k.bias.set(B);
      return push(x, k, ctx, `${cls} (${gate.name} gates)`, shape);
    }
  }
  const cell = createCell({ kind: cls === 'LSTM' ? 'lstm' : 'rnn', inSize: I, hidden: H, dtype: ctx.env.dtype, kernels: ctx.env.kernels, activation: cls === 'SimpleRNN' ? act.name : undefined }, new Rng(0));
  for (let g = 0; g < G; g++) {
    for (let i = 0; i < I; i++) cell.wih[g * I + i] = K[i * G + g];
    for (let k = 0; k < H; k++) cell.whh[g * H + k] = R[k * G + g];
  }
  cell.bias.set(B);
  return push(x, new RecurrentLayer(cell, T, seq, ctx.env.dtype), ctx, cls, shape);
}
