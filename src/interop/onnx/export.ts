/**
 * gradscope → ONNX (opset 17): every layer gradscope builds or imports as
 * the operators exporters write — Gemm (W as [out][in], transB = 1),
 * activations as their operator or as the form the importer reads back
 * (GELU as Div/Erf/Add/Mul/Mul, SiLU as Sigmoid·x, …), BatchNormalization
 * (evaluation: running statistics), LayerNormalization, Dropout, residual
 * blocks as Add, recurrent layers as LSTM/GRU/RNN nodes between the
 * Reshape/Transpose a PyTorch export has. Weights are stored in the
 * network's float type and running statistics in float64, so importing the
 * file gives the same network bit for bit. Reads the layer objects. Pure.
 */
import { InputError } from '../../errors.js';
import { msg, phrase } from '../../i18n/catalogue.js';
import type { Msg } from '../../i18n/message.js';
import { Activation } from '../../nn/activation-layer.js';
import { BatchNorm } from '../../nn/batchnorm.js';
import { Dense } from '../../nn/dense.js';
import { Dropout } from '../../nn/dropout.js';
import type { Layer } from '../../nn/layer.js';
import { LayerNorm } from '../../nn/layernorm.js';
import type { Network } from '../../nn/network.js';
import { ResidualBlock } from '../../nn/residual.js';
import type { GruCell } from '../../nn/rnn/gru.js';
import type { RnnCell } from '../../nn/rnn/rnn-cell.js';
import { KerasRecurrentLayer } from '../layers/keras-rnn.js';
import { RecurrentLayer } from '../layers/recurrent.js';
import { SelectLayer } from '../layers/select.js';
import type { LayerNames } from '../names.js';
import { celuForm, formOf, type Expr } from './expr.js';
import { ATTR_TYPE, encodeModel, ONNX_DTYPE, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from './proto.js';

/** The opset gradscope writes (LayerNormalization needs 17). */
export const EXPORT_OPSET = 17;

/** Options of an export. */
export interface ExportOptions {
  /** The input's shape without the batch axis (default [inputSize]; [T, I] for a recurrent first layer). */
  readonly inputShape?: readonly number[];
  /** Layer names to use for nodes and weights (default: the layer type and its position). */
  readonly names?: LayerNames;
  /** The graph's name. */
  readonly graphName?: string;
}

/** Thrown for a layer that has no ONNX form gradscope reads back: the user's model cannot be exported (exit code 2). */
export class ExportError extends InputError {
  /** "export: clause", the clause a message of the catalogue. */
  constructor(said: Msg) {
    super(`export: ${phrase('en', said)}`, undefined, ['export'], said);
  }
}

/** The activations with an ONNX form gradscope reads back, for messages. */
const EXPORTABLE = ['relu', 'leaky_relu', 'prelu', 'elu', 'selu', 'celu', 'sigmoid', 'hardsigmoid', 'hard_sigmoid_keras2', 'tanh', 'softplus', 'softsign', 'hardswish', 'relu6', 'hardtanh', 'gelu', 'gelu_tanh', 'silu', 'mish', 'tanhshrink', 'logsigmoid', 'bipolar_sigmoid', 'lecun_tanh', 'softmax', 'linear'];

/** The graph being written. */
class Builder {
  readonly nodes: NodeProto[] = [];
  readonly inits: TensorProto[] = [];
  private used = new Set<string>();
  constructor(readonly dtype: number) {}

  /** A fresh tensor name from `base`. */
  fresh(base: string): string {
    let n = base;
    for (let k = 1; this.used.has(n); k++) n = `${base}_${k}`;
    this.used.add(n);
    return n;
  }

  /** A float initializer in the network's type (or float64 when `double`). */
  tensor(name: string, dims: readonly number[], values: ArrayLike<number>, double = false): string {
    const n = this.fresh(name);
    const type = double ? ONNX_DTYPE.DOUBLE : this.dtype;
    const arr = type === ONNX_DTYPE.DOUBLE ? Float64Array.from(values) : Float32Array.from(values);
    this.inits.push({ name: n, dims: [...dims], data_type: type, raw_data: new Uint8Array(arr.buffer) });
    return n;
  }

  /** An int64 initializer (shapes, axes). */
  ints(name: string, values: readonly number[]): string {
    const n = this.fresh(name);
    this.inits.push({ name: n, dims: [values.length], data_type: ONNX_DTYPE.INT64, raw_data: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) });
    return n;
  }

  /** Appends a node; gives its first output's name. */
  node(op: string, inputs: readonly string[], name: string, attrs: AttributeProto[] = [], outputs = 1): string[] {
    const nodeName = this.fresh(`${name}/${op}`);
    const outs = Array.from({ length: outputs }, (_, i) => this.fresh(`${nodeName}_output_${i}`));
    this.nodes.push({ name: nodeName, op_type: op, input: [...inputs], output: outs, attribute: attrs });
    return outs;
  }
}

const attrF = (name: string, f: number): AttributeProto => ({ name, type: ATTR_TYPE.FLOAT, f });
const attrI = (name: string, i: number): AttributeProto => ({ name, type: ATTR_TYPE.INT, i });
const attrIs = (name: string, ints: number[]): AttributeProto => ({ name, type: ATTR_TYPE.INTS, ints });
const attrSs = (name: string, strings: string[]): AttributeProto => ({ name, type: ATTR_TYPE.STRINGS, strings: strings.map((s) => new TextEncoder().encode(s)) });

/** Writes an expression of x (an activation's form) as nodes. */
function emitExpr(b: Builder, e: Expr, x: string, name: string): string {
  if (e.op === 'x') return x;
  if (e.op === 'c') return b.tensor(`${name}.c`, [], [(e as { v: number }).v]);
  const args = 'args' in e ? e.args.map((a) => emitExpr(b, a, x, name)) : [];
  if (e.op === 'Elu') return b.node('Elu', args, name, [attrF('alpha', Number('key' in e && e.key ? e.key : 1))])[0];
  if (e.op === 'HardSigmoid') {
    const [alpha, beta] = ('key' in e && e.key ? e.key : '0.2,0.5').split(',').map(Number);
    return b.node('HardSigmoid', args, name, [attrF('alpha', alpha === 0.166667 ? 1 / 6 : alpha), attrF('beta', beta)])[0];
  }
  // the catalogue writes sums and products of several terms; ONNX's Add and Mul take two
  let acc = args[0];
  if (args.length === 1) return b.node(e.op, args, name)[0];
  for (let i = 1; i < args.length; i++) acc = b.node(e.op, [acc, args[i]], name)[0];
  return acc;
}

/** Writes an activation layer on `x`; gives its output. */
function emitActivation(b: Builder, l: Activation, x: string, name: string): string {
  const p = l.paramRecord();
  switch (l.name) {
    case 'linear':
      return x;
    case 'relu':
      return b.node('Relu', [x], name)[0];
    case 'sigmoid':
      return b.node('Sigmoid', [x], name)[0];
    case 'tanh':
      return b.node('Tanh', [x], name)[0];
    case 'softsign':
      return b.node('Softsign', [x], name)[0];
    case 'selu':
      return b.node('Selu', [x], name)[0];
    case 'hardswish':
      return b.node('HardSwish', [x], name)[0];
    case 'softmax':
      return b.node('Softmax', [x], name, [attrI('axis', -1)])[0];
    case 'elu':
      return b.node('Elu', [x], name, [attrF('alpha', p.alpha)])[0];
    case 'celu':
      // ONNX's Celu takes float only: in float64, α·Elu(x/α) (the importer reads the form back)
      if (b.dtype === ONNX_DTYPE.DOUBLE) return emitExpr(b, celuForm(p.alpha), x, name);
      return b.node('Celu', [x], name, [attrF('alpha', p.alpha)])[0];
    case 'leaky_relu':
      return b.node('LeakyRelu', [x], name, [attrF('alpha', p.negative_slope)])[0];
    case 'prelu':
      return b.node('PRelu', [x, b.tensor(`${name}.weight`, [1], [p.weight])], name)[0];
    case 'hardsigmoid':
      return b.node('HardSigmoid', [x], name, [attrF('alpha', 1 / 6), attrF('beta', 0.5)])[0];
    case 'hard_sigmoid_keras2':
      return b.node('HardSigmoid', [x], name, [attrF('alpha', 0.2), attrF('beta', 0.5)])[0];
    case 'relu6':
      return b.node('Clip', [x, b.tensor(`${name}.min`, [], [0]), b.tensor(`${name}.max`, [], [6])], name)[0];
    case 'hardtanh':
      return b.node('Clip', [x, b.tensor(`${name}.min`, [], [p.min_val]), b.tensor(`${name}.max`, [], [p.max_val])], name)[0];
    case 'softplus':
      if (p.beta !== 1) throw new ExportError(msg('err.export.softplus', { name, beta: String(p.beta), op: 'Softplus' }));
      return b.node('Softplus', [x], name)[0];
    default: {
      const form = formOf(l.name);
      if (form === null) throw new ExportError(msg('err.export.activation', { name, act: l.name, list: EXPORTABLE }));
      return emitExpr(b, form, x, name);
    }
  }
}

/** Writes a dense layer as Gemm (W [O][I], transB = 1). */
function emitDense(b: Builder, l: Dense, x: string, name: string): string {
  return b.node('Gemm', [x, b.tensor(`${name}.weight`, [l.outSize, l.inSize], l.weight), b.tensor(`${name}.bias`, [l.outSize], l.bias)], name, [attrF('alpha', 1), attrF('beta', 1), attrI('transB', 1)])[0];
}

/** ONNX's gate blocks from gradscope's: LSTM i o f c ← i f g o, GRU z r h ← r u n. */
const ONNX_ORDER: Readonly<Record<string, readonly number[]>> = { lstm: [0, 3, 1, 2], gru: [1, 0, 2], rnn: [0] };

/**
 * ONNX's W (G×I), R (G×H) and B (2G: input half, recurrent half left 0 —
 * ONNX adds the two) of a recurrent cell, with the source's gate blocks
 * taken in `order` (ONNX block g ← source block order[g]); `w(from, i)`,
 * `r(from, k)` and `bias(from)` read the source's unit `from` (block × H +
 * unit) in whatever layout it keeps.
 */
function gateTensors(order: readonly number[], I: number, H: number, w: (from: number, i: number) => number, r: (from: number, k: number) => number, bias: (from: number) => number): { G: number; W: Float64Array; R: Float64Array; Bv: Float64Array } {
  const G = order.length * H;
  const W = new Float64Array(G * I);
  const R = new Float64Array(G * H);
  const Bv = new Float64Array(2 * G);
  order.forEach((src, g) => {
    for (let j = 0; j < H; j++) {
      const to = g * H + j;
      const from = src * H + j;
      for (let i = 0; i < I; i++) W[to * I + i] = w(from, i);
      for (let k = 0; k < H; k++) R[to * H + k] = r(from, k);
      Bv[to] = bias(from);
    }
  });
  return { G, W, R, Bv };
}

/** Writes a recurrent layer as Reshape → Transpose → LSTM/GRU/RNN → (Squeeze → Transpose → Reshape | Squeeze). */
function emitRecurrent(b: Builder, l: RecurrentLayer, x: string, name: string): string {
  const c = l.cell;
  const T = l.steps;
  const I = c.inSize;
  const H = c.hidden;
  const order = ONNX_ORDER[c.kind];
  const { G, W, R, Bv } = gateTensors(order, I, H, (from, i) => c.wih[from * I + i], (from, k) => c.whh[from * H + k], (from) => c.bias[from]);
  // the GRU's candidate keeps its recurrent bias apart (linear_before_reset 1): ONNX's recurrent half of B
  if (c.kind === 'gru') for (let j = 0; j < H; j++) Bv[G + order.indexOf(2) * H + j] = (c as GruCell).biasHn[j];
  const op = c.kind === 'lstm' ? 'LSTM' : c.kind === 'gru' ? 'GRU' : 'RNN';
  const attrs: AttributeProto[] = [attrI('hidden_size', H)];
  if (c.kind === 'gru') attrs.push(attrI('linear_before_reset', 1));
  if (c.kind === 'rnn') {
    const act = (c as RnnCell).act.name;
    const onnxAct = ({ tanh: 'Tanh', relu: 'Relu', sigmoid: 'Sigmoid' } as Record<string, string>)[act];
    if (!onnxAct) throw new ExportError(msg('err.export.rnnAct', { name, act, rnn: 'RNN', a: 'Tanh', b: 'Relu', c: 'Sigmoid' }));
    attrs.push(attrSs('activations', [onnxAct]));
  }
  return emitSequence(b, x, name, T, I, H, l.sequences, op, [b.tensor(`${name}.W`, [1, G, I], W), b.tensor(`${name}.R`, [1, G, H], R), b.tensor(`${name}.B`, [1, 2 * G], Bv)], attrs);
}

/** ONNX's name of a gate or cell activation, with HardSigmoid's α and β. */
function onnxActivation(def: KerasRecurrentLayer['activation'], name: string): { op: string; alpha?: number; beta?: number } {
  switch (def.name) {
    case 'sigmoid':
      return { op: 'Sigmoid' };
    case 'tanh':
      return { op: 'Tanh' };
    case 'relu':
      return { op: 'Relu' };
    case 'hard_sigmoid_keras2':
      return { op: 'HardSigmoid', alpha: 0.2, beta: 0.5 };
    case 'hardsigmoid':
      return { op: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 };
    default:
      throw new ExportError(msg('err.export.recurrentAct', { name, act: def.name, list: 'Sigmoid, Tanh, Relu, HardSigmoid' }));
  }
}

/** Writes a Keras LSTM (gates i f c o → ONNX's i o f c) or GRU (z r h, linear_before_reset = 0) with its activations. */
function emitKeras(b: Builder, l: KerasRecurrentLayer, x: string, name: string): string {
  const { steps: T, features: I, hidden: H } = l;
  const order = l.kind === 'lstm' ? [0, 3, 1, 2] : [0, 1, 2]; // ONNX block ← Keras block
  const G = order.length * H;
  // Keras keeps its kernels input-major: [I][G] and [H][G]
  const { W, R, Bv } = gateTensors(order, I, H, (from, i) => l.kernel[i * G + from], (from, h) => l.recurrentKernel[h * G + from], (from) => l.bias[from]);
  const acts = [l.gateActivation, l.activation, ...(l.kind === 'lstm' ? [l.activation] : [])].map((a) => onnxActivation(a, name));
  const attrs: AttributeProto[] = [attrI('hidden_size', H), attrSs('activations', acts.map((a) => a.op))];
  const scaled = acts.filter((a) => a.alpha !== undefined);
  if (scaled.length) attrs.push({ name: 'activation_alpha', type: ATTR_TYPE.FLOATS, floats: scaled.map((a) => a.alpha!) }, { name: 'activation_beta', type: ATTR_TYPE.FLOATS, floats: scaled.map((a) => a.beta!) });
  if (l.kind === 'gru') attrs.push(attrI('linear_before_reset', 0));
  return emitSequence(b, x, name, T, I, H, l.sequences, l.kind === 'lstm' ? 'LSTM' : 'GRU', [b.tensor(`${name}.W`, [1, G, I], W), b.tensor(`${name}.R`, [1, G, H], R), b.tensor(`${name}.B`, [1, 2 * G], Bv)], attrs);
}

/** Reshape (B, T·I) → (B, T, I) → Transpose → the recurrent node → every state (B, T·H) or the last (B, H). */
function emitSequence(b: Builder, x: string, name: string, T: number, I: number, H: number, sequences: boolean, op: string, weights: string[], attrs: AttributeProto[]): string {
  const seq = b.node('Reshape', [x, b.ints(`${name}.shape_in`, [-1, T, I])], name)[0];
  const tm = b.node('Transpose', [seq], name, [attrIs('perm', [1, 0, 2])])[0];
  const [Y, Yh] = b.node(op, [tm, ...weights], name, attrs, 2);
  if (!sequences) return b.node('Squeeze', [Yh, b.ints(`${name}.axes`, [0])], name)[0];
  const sq = b.node('Squeeze', [Y, b.ints(`${name}.axes`, [1])], name)[0];
  const bm = b.node('Transpose', [sq], name, [attrIs('perm', [1, 0, 2])])[0];
  return b.node('Reshape', [bm, b.ints(`${name}.shape_out`, [-1, T * H])], name)[0];
}

/** Writes the layers in order from `x`; gives the last output. */
function emitLayers(b: Builder, layers: readonly Layer[], x: string, names: LayerNames | undefined, counter: { n: number }): string {
  let h = x;
  for (const l of layers) {
    const name = (names?.get(l)?.name ?? `${l.type}${counter.n}`).replace(/[^A-Za-z0-9_.\-/]/g, '_');
    counter.n++;
    if (l instanceof Dense) h = emitDense(b, l, h, name);
    else if (l instanceof Activation) h = emitActivation(b, l, h, name);
    else if (l instanceof BatchNorm) {
      const F = l.inSize;
      h = b.node('BatchNormalization', [h, b.tensor(`${name}.weight`, [F], l.weight), b.tensor(`${name}.bias`, [F], l.bias), b.tensor(`${name}.running_mean`, [F], l.runningMean, true), b.tensor(`${name}.running_var`, [F], l.runningVar, true)], name, [
        attrF('epsilon', l.eps),
        attrF('momentum', 1 - l.momentum),
      ])[0];
    } else if (l instanceof LayerNorm) {
      h = b.node('LayerNormalization', [h, b.tensor(`${name}.weight`, [l.inSize], l.weight), b.tensor(`${name}.bias`, [l.inSize], l.bias)], name, [attrI('axis', -1), attrF('epsilon', l.eps)])[0];
    } else if (l instanceof Dropout) {
      h = b.node('Dropout', [h, b.tensor(`${name}.ratio`, [], [l.p], true)], name)[0];
    } else if (l instanceof ResidualBlock) {
      const branch = emitLayers(b, l.inner, h, names, counter);
      const skip = l.projection ? emitDense(b, l.projection, h, names?.get(l.projection)?.name ?? `${name}.projection`) : h;
      h = b.node('Add', [skip, branch], name)[0];
    } else if (l instanceof RecurrentLayer) h = emitRecurrent(b, l, h, name);
    else if (l instanceof KerasRecurrentLayer) h = emitKeras(b, l, h, name);
    else if (l instanceof SelectLayer) {
      const v = b.node('Reshape', [h, b.ints(`${name}.shape_in`, [-1, l.outer, l.mid, l.inner])], name)[0];
      const s = b.node('Slice', [v, b.ints(`${name}.starts`, [l.start]), b.ints(`${name}.ends`, [l.start + l.len]), b.ints(`${name}.axes`, [2])], name)[0];
      h = b.node('Reshape', [s, b.ints(`${name}.shape_out`, [-1, l.outSize])], name)[0];
    } else throw new ExportError(msg('err.export.layer', { n: String(counter.n), type: l.type, maxout: 'maxout', g: 'Gemm' }));
  }
  return h;
}

/** The ONNX model of `net`. */
export function networkToOnnx(net: Network, o: ExportOptions = {}): ModelProto {
  const dtype = net.dtype === 'float64' ? ONNX_DTYPE.DOUBLE : ONNX_DTYPE.FLOAT;
  const b = new Builder(dtype);
  const inputShape = o.inputShape ?? [net.inputSize];
  b.fresh('input');
  let x = 'input';
  // a recurrent first layer reads (batch, steps, features); the network's rows are flat
  if (inputShape.length > 1) x = b.node('Reshape', ['input', b.ints('input.flat', [-1, net.inputSize])], 'input')[0];
  const out = emitLayers(b, net.layers, x, o.names, { n: 0 });
  b.node('Identity', [out], 'output');
  b.nodes[b.nodes.length - 1].output = ['output'];
  const info = (name: string, dims: readonly number[]) => ({ name, type: { tensor_type: { elem_type: dtype, shape: { dim: [{ dim_param: 'batch' }, ...dims.map((d) => ({ dim_value: d }))] } } } });
  return {
    ir_version: 8,
    producer_name: 'gradscope',
    producer_version: '0.1.0',
    opset_import: [{ domain: '', version: EXPORT_OPSET }],
    graph: { name: o.graphName ?? 'gradscope', node: b.nodes, initializer: b.inits, input: [info('input', inputShape)], output: [info('output', [net.outputSize])] },
  };
}

/** The ONNX file of `net`, as bytes. */
export function exportOnnx(net: Network, o: ExportOptions = {}): Uint8Array {
  return encodeModel(networkToOnnx(net, o));
}
