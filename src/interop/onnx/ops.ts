/**
 * The ONNX operators gradscope reads, one handler per op type (a catalogue
 * as data): dense layers (Gemm, MatMul + Add), normalisation, dropout,
 * softmax at the output, residual Adds, and the layout, elementwise and
 * recurrent operators from their own files. Pure.
 */
import { getActivation } from '../../activations/catalogue.js';
import { Activation } from '../../nn/activation-layer.js';
import { BatchNorm } from '../../nn/batchnorm.js';
import { Dense } from '../../nn/dense.js';
import { Dropout } from '../../nn/dropout.js';
import type { Layer } from '../../nn/layer.js';
import { LayerNorm } from '../../nn/layernorm.js';
import { joinResidual } from '../join.js';
import { attrFloat, attrInt, refuse } from './attrs.js';
import { binaryExpr, displayName, ELEMENTWISE_OPS, materialise, type MaterialiseContext } from './ops-elementwise.js';
import type { NodeProto } from './proto.js';
import { LAYOUT_OPS } from './ops-layout.js';
import { RECURRENT_OPS } from './ops-recurrent.js';
import { cons, rowWidth, showShape, type ConstVal, type DataVal, type Dim, type Val } from './values.js';

/** What a handler knows about the node it reads. */
export interface OpContext extends MaterialiseContext {
  readonly node: NodeProto;
  readonly opset: number;
  /** How many nodes (and graph outputs) read each tensor. */
  readonly consumers: ReadonlyMap<string, number>;
  /** The graph input's logical shape. */
  readonly inputShape: readonly Dim[];
}

/** Turns a node's inputs into its outputs (undefined for an optional input left out, or an output nothing reads). */
export type OpHandler = (ins: readonly (Val | undefined)[], ctx: OpContext) => (Val | undefined)[];

/** The sentence listing what gradscope imports. */
export const SUPPORTED_OPS =
  'Gemm, MatMul + Add, the activations Relu, LeakyRelu, PRelu, Elu, Selu, Celu, Sigmoid, HardSigmoid, Tanh, Softplus, Softsign, HardSwish, Gelu and Clip (relu6, hardtanh), the exporters\' forms of GELU, SiLU, Mish and Hardswish, Softmax/LogSoftmax at the output, BatchNormalization, LayerNormalization, Add (residual), Dropout, Identity, Flatten/Reshape/Squeeze/Transpose/Gather/Slice of the data, and RNN, LSTM and GRU';

/** The data input `i`, an expression turned into its activation first. */
export function dataIn(ins: readonly (Val | undefined)[], i: number, ctx: OpContext): DataVal {
  const v = ins[i];
  if (v === undefined) return refuse(ctx.where, `has no input ${i}`);
  return materialise(v, ctx);
}

/** Constant input `i`. */
export function constIn(ins: readonly (Val | undefined)[], i: number, ctx: OpContext, what: string): ConstVal {
  const v = ins[i];
  if (v?.kind !== 'const') return refuse(ctx.where, `has a ${what} that is not a constant (an initializer); gradscope imports trained weights stored in the file`);
  return v;
}

/** The user's name of the layer a node makes: its weight's name without `.weight` (PyTorch), else the node's name. */
export function layerName(ctx: OpContext, paramInput = 1): string {
  const p = paramInput < 0 ? '' : (ctx.node.input?.[paramInput] ?? '');
  const m = /^(.+?)\.(weight|bias|W|R|B)(_\d+)?$/.exec(p); // PyTorch's 'fc3.weight'; gradscope's own export 'rnn.W'
  if (m) return m[1];
  const tf = /^(.+?)\/(MatMul|BiasAdd|kernel|Tensordot)/.exec(p);
  if (tf) return tf[1];
  if (p !== '' && !p.startsWith('onnx::') && !p.includes('/')) return p; // an initializer named by the user (torch.nn.Parameter 'w1')
  const node = displayName(ctx.node.name ?? '');
  const scoped = node.split('/');
  return scoped.length > 1 && scoped[scoped.length - 1].startsWith(ctx.node.op_type) ? scoped.slice(0, -1).join('/') : node || p || ctx.node.op_type;
}

/** Appends `layer` to the data `v`, registers its name, and gives the data it computes (shape `shape`). */
export function append(v: DataVal, layer: Layer, shape: readonly Dim[], ctx: OpContext, name: string, op: string, extra: Partial<DataVal> = {}): DataVal {
  ctx.names.set(layer, { name, op });
  return { kind: 'data', chain: cons(layer, v.chain), shape, ...extra };
}

/** Checks that the data is a (batch, features) matrix; gives the features. */
function features(v: DataVal, ctx: OpContext, what: string): number {
  if (v.shape.length !== 2 || v.shape[0] !== 'B') return refuse(ctx.where, `${what} a tensor of shape ${showShape(v.shape)}; gradscope reads it on (batch, features) data only (a sequence model's dense layer must follow a Gather/Slice of one time step)`);
  return v.shape[1] as number;
}

/** Gemm: Y = α·A·op(B) + β·C with A the data (transA = 0) and B, C constants: a dense layer with W = α·op(B)ᵀ. */
const gemm: OpHandler = (ins, ctx) => {
  if (ins[0]?.kind === 'const' && ins[1]?.kind !== 'const') return refuse(ctx.where, 'multiplies a constant by the data (A is the weight); gradscope reads Gemm with the data as A, as torch.nn.Linear and tf2onnx write it');
  const x = dataIn(ins, 0, ctx);
  if (attrInt(ctx.node, 'transA', 0) !== 0) return refuse(ctx.where, 'has transA = 1 (the data transposed, features × batch); gradscope reads Gemm with the data as rows (transA = 0, any transB)');
  const I = features(x, ctx, 'multiplies');
  const Bm = constIn(ins, 1, ctx, 'weight (B)');
  const transB = attrInt(ctx.node, 'transB', 0);
  const alpha = attrFloat(ctx.node, 'alpha', 1);
  const beta = attrFloat(ctx.node, 'beta', 1);
  if (Bm.dims.length !== 2) return refuse(ctx.where, `has a weight of shape [${Bm.dims.join(', ')}]; expected a matrix`);
  const [r, k] = Bm.dims;
  const O = transB ? r : k;
  if ((transB ? k : r) !== I) return refuse(ctx.where, `has a weight of shape [${Bm.dims.join(', ')}] (transB = ${transB}) for ${I} input features`);
  const dense = new Dense(I, O, ctx.env);
  // gradscope keeps W as [O][I]: transB = 1 stores it so, transB = 0 stores Wᵀ = [I][O]
  for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) dense.weight[o * I + i] = alpha * (transB ? Bm.values[o * I + i] : Bm.values[i * O + o]);
  if (ins[2] !== undefined) addBias(dense, constIn(ins, 2, ctx, 'bias (C)'), beta, ctx);
  return [append(x, dense, ['B', O], ctx, layerName(ctx), transB ? 'Gemm' : 'Gemm, transB = 0', { dense })];
};

/** Adds β·C to the bias of `dense`, C broadcast over the batch: a scalar, [O] or [1, O]. */
function addBias(dense: Dense, C: ConstVal, beta: number, ctx: OpContext): void {
  const O = dense.outSize;
  const n = C.values.length;
  if (!(n === 1 || (n === O && (C.dims.length === 1 || (C.dims.length === 2 && C.dims[0] === 1))))) return refuse(ctx.where, `adds a constant of shape [${C.dims.join(', ')}] to ${O} outputs; gradscope reads a bias of shape [${O}], [1, ${O}] or a scalar`);
  for (let o = 0; o < O; o++) dense.bias[o] += beta * C.values[n === 1 ? 0 : o];
}

/** MatMul of the data by a constant [I, O] (tf2onnx's and torch.matmul's dense layer, bias added by the next Add). */
const matmul: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  if (x.shape.length !== 2) return refuse(ctx.where, `multiplies data of shape ${showShape(x.shape)}; gradscope reads MatMul on (batch, features) data (a dense layer applied at every time step is not supported)`);
  const I = features(x, ctx, 'multiplies');
  const W = constIn(ins, 1, ctx, 'weight');
  if (W.dims.length !== 2 || W.dims[0] !== I) return refuse(ctx.where, `has a weight of shape [${W.dims.join(', ')}] for ${I} input features; expected [${I}, outputs]`);
  const O = W.dims[1];
  const dense = new Dense(I, O, ctx.env);
  for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) dense.weight[o * I + i] = W.values[i * O + o];
  return [append(x, dense, ['B', O], ctx, layerName(ctx), 'MatMul+Add', { dense })];
};

/**
 * Add: a bias folded into the dense layer right before it (MatMul + Add,
 * or a Gemm's extra bias); two branches of the data joined (a residual
 * connection: one side the identity or one Gemm); else part of an
 * activation's form.
 */
const add: OpHandler = (ins, ctx) => {
  const [a, b] = ins;
  if (a === undefined || b === undefined) return refuse(ctx.where, 'needs two inputs');
  for (const [d, k, other] of [[a, 0, b], [b, 1, a]] as const) {
    if (d.kind === 'data' && d.dense && other.kind === 'const' && ctx.consumers.get(ctx.node.input?.[k] ?? '') === 1) {
      addBias(d.dense, other, 1, ctx);
      return [{ kind: 'data', chain: d.chain, shape: d.shape }];
    }
  }
  const isData = (v: Val): boolean => v.kind === 'data' || v.kind === 'expr';
  if (isData(a) && isData(b) && baseOf(a) !== baseOf(b)) return [residual(materialise(a, ctx), materialise(b, ctx), ctx)];
  return [binaryExpr(ins, ctx)];
};

function baseOf(v: Val): DataVal | null {
  return v.kind === 'data' ? v : v.kind === 'expr' ? v.base : null;
}

/** Joins two branches of the data into a residual block (see join.ts). */
function residual(a: DataVal, b: DataVal, ctx: OpContext): DataVal {
  const r = joinResidual(a, b, ctx.env, rowWidth(ctx.inputShape));
  if (typeof r === 'string') return refuse(ctx.where, r);
  ctx.names.set(r.block, { name: layerName(ctx), op: r.identity ? 'Add (identity skip)' : 'Add (projection skip)' });
  return r.out;
}

/** Softmax / LogSoftmax over the features of (batch, features) data: the softmax output activation. */
const softmax: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  const F = features(x, ctx, 'normalises');
  const axis = attrInt(ctx.node, 'axis', ctx.opset < 13 ? 1 : -1);
  if (axis !== 1 && axis !== -1) return refuse(ctx.where, `has axis = ${axis}; gradscope reads softmax over the features (axis 1 or −1)`);
  const layer = new Activation(getActivation('softmax'), F, [], ctx.env);
  return [append(x, layer, x.shape, ctx, layerName(ctx, -1), ctx.node.op_type)];
};

/** BatchNormalization in evaluation mode: γ, β and the running statistics of the file. */
const batchNorm: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  const F = features(x, ctx, 'normalises');
  if (attrInt(ctx.node, 'training_mode', 0) !== 0) return refuse(ctx.where, 'has training_mode = 1; export the model in evaluation mode (model.eval()), so the running statistics are used');
  if ((ctx.node.output ?? []).slice(1).some((n) => n !== '' && (ctx.consumers.get(n) ?? 0) > 0)) return refuse(ctx.where, 'has its batch statistics read by other nodes; gradscope reads BatchNormalization in evaluation mode');
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => constIn(ins, i, ctx, ['', 'scale', 'bias', 'mean', 'variance'][i]));
  for (const [t, what] of [[scale, 'scale'], [bias, 'bias'], [mean, 'mean'], [variance, 'variance']] as const) if (t.values.length !== F) return refuse(ctx.where, `has a ${what} of ${t.values.length} values for ${F} features`);
  const bn = new BatchNorm(F, ctx.env, { eps: attrFloat(ctx.node, 'epsilon', 1e-5), momentum: 1 - attrFloat(ctx.node, 'momentum', 0.9) });
  bn.weight.set(scale.values);
  bn.bias.set(bias.values);
  bn.runningMean.set(mean.values);
  bn.runningVar.set(variance.values);
  return [append(x, bn, x.shape, ctx, layerName(ctx), 'BatchNormalization')];
};

/** LayerNormalization over the last axis of (batch, features) data. */
const layerNorm: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  const F = features(x, ctx, 'normalises');
  const axis = attrInt(ctx.node, 'axis', -1);
  if (axis !== -1 && axis !== 1) return refuse(ctx.where, `has axis = ${axis}; gradscope reads LayerNormalization over the features (axis −1)`);
  if ((ctx.node.output ?? []).slice(1).some((n) => n !== '' && (ctx.consumers.get(n) ?? 0) > 0)) return refuse(ctx.where, 'has its mean or inverse standard deviation read by other nodes');
  const scale = constIn(ins, 1, ctx, 'scale');
  if (scale.values.length !== F) return refuse(ctx.where, `has a scale of ${scale.values.length} values for ${F} features`);
  const ln = new LayerNorm(F, ctx.env, attrFloat(ctx.node, 'epsilon', 1e-5));
  ln.weight.set(scale.values);
  if (ins[2] !== undefined) {
    const b = constIn(ins, 2, ctx, 'bias');
    if (b.values.length !== F) return refuse(ctx.where, `has a bias of ${b.values.length} values for ${F} features`);
    ln.bias.set(b.values);
  }
  return [append(x, ln, x.shape, ctx, layerName(ctx), 'LayerNormalization')];
};

/** Dropout: gradscope's dropout layer with the file's ratio (the identity in evaluation). */
const dropout: OpHandler = (ins, ctx) => {
  if ((ctx.node.output ?? [])[1] && (ctx.consumers.get(ctx.node.output![1]) ?? 0) > 0) return refuse(ctx.where, 'has its mask read by other nodes');
  const ratio = ctx.opset < 12 ? attrFloat(ctx.node, 'ratio', 0.5) : ins[1] === undefined ? 0.5 : constIn(ins, 1, ctx, 'ratio').values[0];
  if (!(ratio >= 0 && ratio < 1)) return refuse(ctx.where, `has ratio ${ratio}; expected a probability in [0, 1)`);
  const x = dataIn(ins, 0, ctx);
  if (ratio === 0) return [x];
  return [append(x, new Dropout(rowWidth(x.shape), ratio, ctx.env.dtype), x.shape, ctx, layerName(ctx, -1), 'Dropout')];
};

/** Every operator gradscope reads, by op type. */
export const OPS: Readonly<Record<string, OpHandler>> = {
  ...ELEMENTWISE_OPS,
  ...RECURRENT_OPS,
  ...LAYOUT_OPS,
  Gemm: gemm,
  MatMul: matmul,
  Add: add,
  Softmax: softmax,
  LogSoftmax: softmax,
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  Dropout: dropout,
};
