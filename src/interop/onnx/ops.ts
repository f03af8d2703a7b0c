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
import { msg } from '../../i18n/catalogue.js';
import type { Msg } from '../../i18n/message.js';
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

/** The sentence listing what gradscope imports (the operators are names in every language). */
export const SUPPORTED_OPS: Msg = msg('err.onnx.supported', {
  gm: 'Gemm',
  mm: 'MatMul + Add',
  acts: ['Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Celu', 'Sigmoid', 'HardSigmoid', 'Tanh', 'Softplus', 'Softsign', 'HardSwish', 'Gelu', msg('err.onnx.clipActs', { clip: 'Clip', a: 'relu6', b: 'hardtanh' })],
  forms: ['GELU', 'SiLU', 'Mish', 'Hardswish'],
  sm: 'Softmax/LogSoftmax',
  bn: 'BatchNormalization',
  ln: 'LayerNormalization',
  add: 'Add',
  drop: 'Dropout',
  id: 'Identity',
  moves: 'Flatten/Reshape/Squeeze/Transpose/Gather/Slice',
  rnns: ['RNN', 'LSTM', 'GRU'],
});

/** The data input `i`, an expression turned into its activation first. */
export function dataIn(ins: readonly (Val | undefined)[], i: number, ctx: OpContext): DataVal {
  const v = ins[i];
  if (v === undefined) return refuse(ctx.at, msg('err.onnx.noInput', { i: String(i) }));
  return materialise(v, ctx);
}

/** Constant input `i`; `what` names it (a message, or the input's name in ONNX: 'W'). */
export function constIn(ins: readonly (Val | undefined)[], i: number, ctx: OpContext, what: Msg | string): ConstVal {
  const v = ins[i];
  if (v?.kind !== 'const') return refuse(ctx.at, msg('err.onnx.notConst', { what }));
  return v;
}

/** An input's name as a message: 'weight', 'scale', 'axes', … (see err.onnx.in.* in the catalogue). */
export function inputWord(name: 'weightB' | 'biasC' | 'weight' | 'bias' | 'scale' | 'mean' | 'variance' | 'ratio' | 'axes' | 'index' | 'starts' | 'ends' | 'steps' | 'shape'): Msg {
  return msg(`err.onnx.in.${name}`);
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
function features(v: DataVal, ctx: OpContext, verb: 'multiplies' | 'normalises'): number {
  if (v.shape.length !== 2 || v.shape[0] !== 'B') return refuse(ctx.at, msg('err.onnx.features', { verb: msg(`err.onnx.verb.${verb}`), shape: showShape(v.shape), ops: 'Gather/Slice' }));
  return v.shape[1] as number;
}

/** Gemm: Y = α·A·op(B) + β·C with A the data (transA = 0) and B, C constants: a dense layer with W = α·op(B)ᵀ. */
const gemm: OpHandler = (ins, ctx) => {
  if (ins[0]?.kind === 'const' && ins[1]?.kind !== 'const') return refuse(ctx.at, msg('err.onnx.gemm.constA', { op: 'Gemm', linear: 'torch.nn.Linear', tf2onnx: 'tf2onnx' }));
  const x = dataIn(ins, 0, ctx);
  if (attrInt(ctx.node, 'transA', 0) !== 0) return refuse(ctx.at, msg('err.onnx.gemm.transA', { attr: 'transA', op: 'Gemm', other: 'transB' }));
  const I = features(x, ctx, 'multiplies');
  const Bm = constIn(ins, 1, ctx, inputWord('weightB'));
  const transB = attrInt(ctx.node, 'transB', 0);
  const alpha = attrFloat(ctx.node, 'alpha', 1);
  const beta = attrFloat(ctx.node, 'beta', 1);
  if (Bm.dims.length !== 2) return refuse(ctx.at, msg('err.onnx.weightMatrix', { dims: Bm.dims.join(', ') }));
  const [r, k] = Bm.dims;
  const O = transB ? r : k;
  if ((transB ? k : r) !== I) return refuse(ctx.at, msg('err.onnx.weightFor', { dims: Bm.dims.join(', '), attr: 'transB', t: String(transB), i: String(I) }));
  const dense = new Dense(I, O, ctx.env);
  // gradscope keeps W as [O][I]: transB = 1 stores it so, transB = 0 stores Wᵀ = [I][O]
  for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) dense.weight[o * I + i] = alpha * (transB ? Bm.values[o * I + i] : Bm.values[i * O + o]);
  if (ins[2] !== undefined) addBias(dense, constIn(ins, 2, ctx, inputWord('biasC')), beta, ctx);
  return [append(x, dense, ['B', O], ctx, layerName(ctx), transB ? 'Gemm' : 'Gemm, transB = 0', { dense })];
};

/** Adds β·C to the bias of `dense`, C broadcast over the batch: a scalar, [O] or [1, O]. */
function addBias(dense: Dense, C: ConstVal, beta: number, ctx: OpContext): void {
  const O = dense.outSize;
  const n = C.values.length;
  if (!(n === 1 || (n === O && (C.dims.length === 1 || (C.dims.length === 2 && C.dims[0] === 1))))) return refuse(ctx.at, msg('err.onnx.bias', { dims: C.dims.join(', '), o: String(O) }));
  for (let o = 0; o < O; o++) dense.bias[o] += beta * C.values[n === 1 ? 0 : o];
}

/** MatMul of the data by a constant [I, O] (tf2onnx's and torch.matmul's dense layer, bias added by the next Add). */
const matmul: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  if (x.shape.length !== 2) return refuse(ctx.at, msg('err.onnx.matmulData', { shape: showShape(x.shape), op: 'MatMul' }));
  const I = features(x, ctx, 'multiplies');
  const W = constIn(ins, 1, ctx, inputWord('weight'));
  if (W.dims.length !== 2 || W.dims[0] !== I) return refuse(ctx.at, msg('err.onnx.matmulWeight', { dims: W.dims.join(', '), i: String(I) }));
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
  if (a === undefined || b === undefined) return refuse(ctx.at, msg('err.onnx.twoInputs'));
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
  if ('key' in r) return refuse(ctx.at, r);
  ctx.names.set(r.block, { name: layerName(ctx), op: r.identity ? 'Add (identity skip)' : 'Add (projection skip)' });
  return r.out;
}

/** Softmax / LogSoftmax over the features of (batch, features) data: the softmax output activation. */
const softmax: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  const F = features(x, ctx, 'normalises');
  const axis = attrInt(ctx.node, 'axis', ctx.opset < 13 ? 1 : -1);
  if (axis !== 1 && axis !== -1) return refuse(ctx.at, msg('err.onnx.softmaxAxis', { attr: 'axis', axis: String(axis) }));
  const layer = new Activation(getActivation('softmax'), F, [], ctx.env);
  return [append(x, layer, x.shape, ctx, layerName(ctx, -1), ctx.node.op_type)];
};

/** BatchNormalization in evaluation mode: γ, β and the running statistics of the file. */
const batchNorm: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  const F = features(x, ctx, 'normalises');
  if (attrInt(ctx.node, 'training_mode', 0) !== 0) return refuse(ctx.at, msg('err.onnx.bn.training', { attr: 'training_mode', call: 'model.eval()' }));
  if ((ctx.node.output ?? []).slice(1).some((n) => n !== '' && (ctx.consumers.get(n) ?? 0) > 0)) return refuse(ctx.at, msg('err.onnx.bn.stats', { op: 'BatchNormalization' }));
  const words = ['scale', 'bias', 'mean', 'variance'] as const;
  const [scale, bias, mean, variance] = words.map((w, i) => constIn(ins, i + 1, ctx, inputWord(w)));
  for (const [t, what] of [[scale, 'scale'], [bias, 'bias'], [mean, 'mean'], [variance, 'variance']] as const) if (t.values.length !== F) return refuse(ctx.at, msg('err.onnx.count', { what: inputWord(what), n: String(t.values.length), f: String(F) }));
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
  if (axis !== -1 && axis !== 1) return refuse(ctx.at, msg('err.onnx.ln.axis', { attr: 'axis', axis: String(axis), op: 'LayerNormalization' }));
  if ((ctx.node.output ?? []).slice(1).some((n) => n !== '' && (ctx.consumers.get(n) ?? 0) > 0)) return refuse(ctx.at, msg('err.onnx.ln.stats'));
  const scale = constIn(ins, 1, ctx, inputWord('scale'));
  if (scale.values.length !== F) return refuse(ctx.at, msg('err.onnx.count', { what: inputWord('scale'), n: String(scale.values.length), f: String(F) }));
  const ln = new LayerNorm(F, ctx.env, attrFloat(ctx.node, 'epsilon', 1e-5));
  ln.weight.set(scale.values);
  if (ins[2] !== undefined) {
    const b = constIn(ins, 2, ctx, inputWord('bias'));
    if (b.values.length !== F) return refuse(ctx.at, msg('err.onnx.count', { what: inputWord('bias'), n: String(b.values.length), f: String(F) }));
    ln.bias.set(b.values);
  }
  return [append(x, ln, x.shape, ctx, layerName(ctx), 'LayerNormalization')];
};

/** Dropout: gradscope's dropout layer with the file's ratio (the identity in evaluation). */
const dropout: OpHandler = (ins, ctx) => {
  if ((ctx.node.output ?? [])[1] && (ctx.consumers.get(ctx.node.output![1]) ?? 0) > 0) return refuse(ctx.at, msg('err.onnx.dropout.mask'));
  const ratio = ctx.opset < 12 ? attrFloat(ctx.node, 'ratio', 0.5) : ins[1] === undefined ? 0.5 : constIn(ins, 1, ctx, inputWord('ratio')).values[0];
  if (!(ratio >= 0 && ratio < 1)) return refuse(ctx.at, msg('err.onnx.dropout.ratio', { r: String(ratio) }));
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
