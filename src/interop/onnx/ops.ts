/**
 * The ONNX operators gradscope reads, one handler per op type (a catalogue
 * as data): dense layers (Gemm, MatMul + Add), normalisation, dropout,
 * softmax at the output, residual Adds, the layout operators exporters put
 * around recurrent nodes (Transpose, Squeeze, Gather, Slice, Flatten,
 * Reshape), the shape arithmetic that builds zero initial states, and the
 * elementwise and recurrent operators from their own files. Pure.
 */
import { getActivation } from '../../activations/catalogue.js';
import { Activation } from '../../nn/activation-layer.js';
import { BatchNorm } from '../../nn/batchnorm.js';
import { Dense } from '../../nn/dense.js';
import { Dropout } from '../../nn/dropout.js';
import type { Layer } from '../../nn/layer.js';
import { LayerNorm } from '../../nn/layernorm.js';
import { joinResidual } from '../join.js';
import { SelectLayer } from '../layers/select.js';
import { attrFloat, attrInt, attrInts, attrTensor, constOf, refuse } from './attrs.js';
import { binaryExpr, displayName, ELEMENTWISE_OPS, materialise, type MaterialiseContext } from './ops-elementwise.js';
import type { NodeProto } from './proto.js';
import { RECURRENT_OPS } from './ops-recurrent.js';
import { cons, rowDims, rowWidth, showShape, type ConstVal, type DataVal, type Dim, type SymVal, type Val } from './values.js';

/** What a handler knows about the node it reads. */
export interface OpContext extends MaterialiseContext {
  readonly node: NodeProto;
  readonly opset: number;
  /** How many nodes (and graph outputs) read each tensor. */
  readonly consumers: ReadonlyMap<string, number>;
  /** True when the node writes the graph's output. */
  readonly isLast: boolean;
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

/** Flatten at axis 1 of batch-major data: the row is already flat. */
const flatten: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  const axis = attrInt(ctx.node, 'axis', 1);
  if (x.shape[0] !== 'B' || axis !== 1) return refuse(ctx.where, `flattens a tensor of shape ${showShape(x.shape)} at axis ${axis}; gradscope reads Flatten of batch-first data at axis 1`);
  return [{ kind: 'data', chain: x.chain, shape: ['B', rowWidth(x.shape)] }];
};

/** A 1-D vector of dims from a constant or a shape computation. */
function dimsOf(v: Val | undefined, ctx: OpContext, what: string): Dim[] {
  if (v?.kind === 'const') return Array.from(v.values);
  if (v?.kind === 'sym') return [...v.items];
  return refuse(ctx.where, `has a ${what} that is not a constant`);
}

/** Reshape of batch-first data to another batch-first shape with the same row (row-major order is unchanged). */
const reshape: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  const target = dimsOf(ins[1], ctx, 'shape');
  const width = rowWidth(x.shape);
  const out: Dim[] = target.map((d, i) => (d === 0 && attrInt(ctx.node, 'allowzero', 0) === 0 ? x.shape[i] : d));
  const free = out.filter((d) => d === -1).length;
  if (out[0] === -1 && !out.includes('B')) out[0] = 'B';
  const known = out.reduce<number>((p, d) => (typeof d === 'number' && d > 0 ? p * d : p), 1);
  if (free > 0) for (let i = 0; i < out.length; i++) if (out[i] === -1) out[i] = width / known;
  const ok = x.shape[0] === 'B' && out[0] === 'B' && out.slice(1).every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0) && rowWidth(out) === width;
  if (!ok) return refuse(ctx.where, `reshapes ${showShape(x.shape)} to [${target.join(', ')}]; gradscope reads a Reshape that keeps the batch first and each example's values in order`);
  return [{ kind: 'data', chain: x.chain, shape: out }];
};

/** Axes from the attribute (before opset 13) or the second input. */
function axesOf(ins: readonly (Val | undefined)[], ctx: OpContext, rank: number): number[] | undefined {
  const raw = ctx.opset < 13 ? attrInts(ctx.node, 'axes') : ins[1] === undefined ? undefined : Array.from(constIn(ins, 1, ctx, 'axes').values);
  return raw?.map((a) => (a < 0 ? a + rank : a));
}

/** Squeeze of size-1 axes (not the batch). */
const squeeze: OpHandler = (ins, ctx) => {
  const v = ins[0];
  if (v?.kind === 'zeros') return [{ kind: 'zeros', shape: v.shape.filter((d, i) => !(axesOf(ins, ctx, v.shape.length) ?? [i]).includes(i) || d !== 1) }];
  const x = dataIn(ins, 0, ctx);
  const axes = axesOf(ins, ctx, x.shape.length) ?? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
  if (axes.some((a) => x.shape[a] !== 1)) return refuse(ctx.where, `squeezes axes [${axes.join(', ')}] of ${showShape(x.shape)}, which are not all of size 1`);
  return [{ kind: 'data', chain: x.chain, shape: x.shape.filter((_, i) => !axes.includes(i)) }];
};

/** Unsqueeze: inserts size-1 axes (of data, constants or shape vectors). */
const unsqueeze: OpHandler = (ins, ctx) => {
  const v = ins[0];
  if (v?.kind === 'sym') return [{ kind: 'sym', items: v.items, scalar: false }];
  if (v?.kind === 'const') return [{ kind: 'const', dims: v.dims.length === 0 ? [1] : [...v.dims, 1], values: v.values }];
  const x = dataIn(ins, 0, ctx);
  const n = x.shape.length + (axesOf(ins, ctx, 99)?.length ?? 0);
  const axes = (axesOf(ins, ctx, n) ?? []).sort((p, q) => p - q);
  const shape: Dim[] = [...x.shape];
  for (const a of axes) shape.splice(a, 0, 1);
  return [{ kind: 'data', chain: x.chain, shape }];
};

/** Transpose that keeps the order of the features (moves only the batch axis and size-1 axes): free. */
const transpose: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  const perm = attrInts(ctx.node, 'perm') ?? x.shape.map((_, i) => x.shape.length - 1 - i);
  const moved = perm.filter((p) => x.shape[p] !== 'B' && x.shape[p] !== 1);
  if (moved.some((p, i) => i > 0 && p < moved[i - 1])) return refuse(ctx.where, `permutes ${showShape(x.shape)} by [${perm.join(', ')}], which reorders each example's values; gradscope reads a Transpose that moves the batch axis only`);
  return [{ kind: 'data', chain: x.chain, shape: perm.map((p) => x.shape[p]) }];
};

/** Selects `len` entries from `start` along axis `axis` of the data (a SelectLayer, or nothing when it keeps everything). */
function select(x: DataVal, axis: number, start: number, len: number, keepAxis: boolean, ctx: OpContext): DataVal {
  const size = x.shape[axis];
  if (size === 'B') return refuse(ctx.where, 'selects along the batch axis; gradscope keeps every example');
  const dims = x.shape;
  const before = rowDims(dims.slice(0, axis)).reduce((p, d) => p * d, 1);
  const after = rowDims(dims.slice(axis + 1)).reduce((p, d) => p * d, 1);
  const shape: Dim[] = keepAxis ? dims.map((d, i) => (i === axis ? len : d)) : dims.filter((_, i) => i !== axis);
  if (start === 0 && len === size) return { kind: 'data', chain: x.chain, shape };
  const layer = new SelectLayer(before, size, after, start, len, ctx.env.dtype);
  return append(x, layer, shape, ctx, layerName(ctx, -1), `${ctx.node.op_type} [${start}${len > 1 ? ` … ${start + len - 1}` : ''}] of axis ${axis}`);
}

/** Gather of one index along a feature axis (the last time step), or of a shape vector's entry. */
const gather: OpHandler = (ins, ctx) => {
  const idx = constIn(ins, 1, ctx, 'index');
  const v = ins[0];
  if (v?.kind === 'sym' || v?.kind === 'const') {
    const items: Dim[] = v.kind === 'sym' ? [...v.items] : Array.from(v.values);
    const picked = Array.from(idx.values).map((i) => items[i < 0 ? i + items.length : i]);
    if (picked.some((p) => p === undefined)) return refuse(ctx.where, 'gathers outside its input');
    return [{ kind: 'sym', items: picked, scalar: idx.dims.length === 0 }];
  }
  const x = dataIn(ins, 0, ctx);
  const rank = x.shape.length;
  const axis = ((attrInt(ctx.node, 'axis', 0) % rank) + rank) % rank;
  if (idx.values.length !== 1) return refuse(ctx.where, `gathers ${idx.values.length} indices; gradscope reads Gather of one index (e.g. the last time step)`);
  const size = x.shape[axis];
  const i = idx.values[0] < 0 && typeof size === 'number' ? idx.values[0] + size : idx.values[0];
  if (typeof size === 'number' && !(i >= 0 && i < size)) return refuse(ctx.where, `gathers index ${idx.values[0]} of an axis of size ${size}`);
  return [select(x, axis, i, 1, idx.dims.length > 0, ctx)];
};

/** Slice with step 1 along feature axes (or of a zero tensor / shape vector). */
const slice: OpHandler = (ins, ctx) => {
  const v = ins[0];
  const old = ctx.opset < 10;
  const starts = old ? attrInts(ctx.node, 'starts') ?? [] : Array.from(constIn(ins, 1, ctx, 'starts').values);
  const ends = old ? attrInts(ctx.node, 'ends') ?? [] : Array.from(constIn(ins, 2, ctx, 'ends').values);
  const shapeOf = v?.kind === 'zeros' ? v.shape : v?.kind === 'sym' ? [v.items.length] : v?.kind === 'data' || v?.kind === 'expr' ? materialise(v, ctx).shape : null;
  if (shapeOf === null) return refuse(ctx.where, 'slices something gradscope does not track');
  const rank = shapeOf.length;
  const axes = (old ? attrInts(ctx.node, 'axes') : ins[3] === undefined ? undefined : Array.from(constIn(ins, 3, ctx, 'axes').values))?.map((a) => (a < 0 ? a + rank : a)) ?? starts.map((_, i) => i);
  const steps = old || ins[4] === undefined ? starts.map(() => 1) : Array.from(constIn(ins, 4, ctx, 'steps').values);
  if (steps.some((s) => s !== 1)) return refuse(ctx.where, `has steps [${steps.join(', ')}]; gradscope reads Slice with step 1`);
  const range = (a: number, k: number): [number, number] => {
    const size = shapeOf[a];
    const n = typeof size === 'number' ? size : Number.MAX_SAFE_INTEGER;
    const clamp = (e: number): number => Math.max(0, Math.min(n, e < 0 ? e + n : e));
    return [clamp(starts[k]), clamp(ends[k])];
  };
  if (v?.kind === 'zeros') return [{ kind: 'zeros', shape: v.shape.map((d, i) => { const k = axes.indexOf(i); if (k < 0 || d === 'B') return d; const [s, e] = range(i, k); return e - s; }) }];
  if (v?.kind === 'sym') {
    const [s, e] = range(0, 0);
    return [{ kind: 'sym', items: v.items.slice(s, e), scalar: false }];
  }
  let x = materialise(v!, ctx);
  axes.forEach((a, k) => {
    if (x.shape[a] === 'B') {
      if (starts[k] !== 0 || ends[k] < 2 ** 31 - 1) refuse(ctx.where, 'slices the batch axis; gradscope keeps every example');
      return;
    }
    const [s, e] = range(a, k);
    if (e <= s) refuse(ctx.where, `keeps nothing of axis ${a}`);
    x = select(x, a, s, e - s, true, ctx);
  });
  return [x];
};

/** Shape of the data: a vector whose batch entry is symbolic. */
const shapeOp: OpHandler = (ins, ctx) => {
  const v = ins[0];
  const shape = v?.kind === 'zeros' ? v.shape : v?.kind === 'const' ? v.dims : v?.kind === 'sym' ? [v.items.length] : materialise(v!, ctx).shape;
  const start = attrInt(ctx.node, 'start', 0);
  const end = attrInt(ctx.node, 'end', shape.length);
  const sym: SymVal = { kind: 'sym', items: shape.slice(start < 0 ? start + shape.length : start, end < 0 ? end + shape.length : end), scalar: false };
  return [sym];
};

/** Constant nodes: value (a tensor), value_float(s), value_int(s). */
const constant: OpHandler = (_ins, ctx) => {
  const t = attrTensor(ctx.node, 'value');
  if (t) return [constOf(t, ctx.where)];
  const f = (ctx.node.attribute ?? []).find((a) => a.name === 'value_float' || a.name === 'value_int' || a.name === 'value_floats' || a.name === 'value_ints');
  if (!f) return refuse(ctx.where, 'has no value gradscope reads (value, value_float(s), value_int(s))');
  const list = f.name.endsWith('s') ? (f.name === 'value_floats' ? f.floats ?? [] : f.ints ?? []) : [f.name === 'value_float' ? f.f ?? 0 : f.i ?? 0];
  return [{ kind: 'const', dims: f.name.endsWith('s') ? [list.length] : [], values: Float64Array.from(list) }];
};

/** ConstantOfShape with value 0: a zero tensor (an initial recurrent state). */
const constantOfShape: OpHandler = (ins, ctx) => {
  const t = attrTensor(ctx.node, 'value');
  const value = t ? constOf(t, ctx.where).values[0] : 0;
  if (value !== 0) return refuse(ctx.where, `fills a tensor with ${value}; gradscope reads ConstantOfShape only as the zero initial state of a recurrent node`);
  return [{ kind: 'zeros', shape: dimsOf(ins[0], ctx, 'shape') }];
};

/** Concat of shape vectors (axis 0). */
const concat: OpHandler = (ins, ctx) => {
  if (ins.some((v) => v?.kind !== 'sym' && v?.kind !== 'const')) return refuse(ctx.where, 'concatenates tensors of the network; gradscope reads Concat only in shape computations');
  const items: Dim[] = [];
  for (const v of ins) items.push(...(v!.kind === 'sym' ? v!.items : Array.from((v as ConstVal).values)));
  return [{ kind: 'sym', items, scalar: false }];
};

/** Expand of a zero tensor to a shape. */
const expand: OpHandler = (ins, ctx) => {
  if (ins[0]?.kind !== 'zeros' && !(ins[0]?.kind === 'const' && ins[0].values.every((x) => x === 0))) return refuse(ctx.where, "expands the network's data; gradscope reads Expand only of zero initial states");
  return [{ kind: 'zeros', shape: dimsOf(ins[1], ctx, 'shape') }];
};

/** Cast: shape vectors and constants keep their values; the data keeps its values (gradscope computes in one float type). */
const cast: OpHandler = (ins) => [ins[0]];

/** Every operator gradscope reads, by op type. */
export const OPS: Readonly<Record<string, OpHandler>> = {
  ...ELEMENTWISE_OPS,
  ...RECURRENT_OPS,
  Gemm: gemm,
  MatMul: matmul,
  Add: add,
  Softmax: softmax,
  LogSoftmax: softmax,
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  Dropout: dropout,
  Flatten: flatten,
  Reshape: reshape,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Transpose: transpose,
  Gather: gather,
  Slice: slice,
  Shape: shapeOp,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Concat: concat,
  Expand: expand,
  Cast: cast,
};
