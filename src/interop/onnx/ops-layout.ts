/**
 * The ONNX operators that only move or view the data, and the shape
 * arithmetic exporters write around recurrent nodes: Flatten, Reshape,
 * Squeeze, Unsqueeze and Transpose of batch-first data are free (each
 * example's values stay in order in its row), Gather and Slice of a feature
 * axis become a SelectLayer (the last time step), and Shape, Constant,
 * ConstantOfShape, Concat, Expand, Cast, Gather and Slice of shape vectors
 * build the zero initial states. Pure.
 */
import { SelectLayer } from '../layers/select.js';
import { msg } from '../../i18n/catalogue.js';
import type { Msg } from '../../i18n/message.js';
import { attrInt, attrInts, attrTensor, constOf, partsOf, refuse } from './attrs.js';
import { materialise } from './ops-elementwise.js';
import { append, constIn, dataIn, inputWord, layerName, type OpContext, type OpHandler } from './ops.js';
import { rowDims, rowWidth, showShape, type ConstVal, type DataVal, type Dim, type SymVal, type Val } from './values.js';

/** Flatten at axis 1 of batch-major data: the row is already flat. */
const flatten: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  const axis = attrInt(ctx.node, 'axis', 1);
  if (x.shape[0] !== 'B' || axis !== 1) return refuse(ctx.at, msg('err.onnx.flatten', { shape: showShape(x.shape), axis: String(axis), op: 'Flatten' }));
  return [{ kind: 'data', chain: x.chain, shape: ['B', rowWidth(x.shape)] }];
};

/** A 1-D vector of dims from a constant or a shape computation. */
function dimsOf(v: Val | undefined, ctx: OpContext, what: Msg): Dim[] {
  if (v?.kind === 'const') return Array.from(v.values);
  if (v?.kind === 'sym') return [...v.items];
  return refuse(ctx.at, msg('err.onnx.notConstPlain', { what }));
}

/** Reshape of batch-first data to another batch-first shape with the same row (row-major order is unchanged). */
const reshape: OpHandler = (ins, ctx) => {
  const x = dataIn(ins, 0, ctx);
  const target = dimsOf(ins[1], ctx, inputWord('shape'));
  const width = rowWidth(x.shape);
  const out: Dim[] = target.map((d, i) => (d === 0 && attrInt(ctx.node, 'allowzero', 0) === 0 ? x.shape[i] : d));
  const free = out.filter((d) => d === -1).length;
  if (out[0] === -1 && !out.includes('B')) out[0] = 'B';
  const known = out.reduce<number>((p, d) => (typeof d === 'number' && d > 0 ? p * d : p), 1);
  if (free > 0) for (let i = 0; i < out.length; i++) if (out[i] === -1) out[i] = width / known;
  const ok = x.shape[0] === 'B' && out[0] === 'B' && out.slice(1).every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0) && rowWidth(out) === width;
  if (!ok) return refuse(ctx.at, msg('err.onnx.reshape', { from: showShape(x.shape), to: target.join(', '), op: 'Reshape' }));
  return [{ kind: 'data', chain: x.chain, shape: out }];
};

/** Axes from the attribute (before opset 13) or the second input. */
function axesOf(ins: readonly (Val | undefined)[], ctx: OpContext, rank: number): number[] | undefined {
  const raw = ctx.opset < 13 ? attrInts(ctx.node, 'axes') : ins[1] === undefined ? undefined : Array.from(constIn(ins, 1, ctx, inputWord('axes')).values);
  return raw?.map((a) => (a < 0 ? a + rank : a));
}

/** Squeeze of size-1 axes (not the batch). */
const squeeze: OpHandler = (ins, ctx) => {
  const v = ins[0];
  if (v?.kind === 'zeros') return [{ kind: 'zeros', shape: v.shape.filter((d, i) => !(axesOf(ins, ctx, v.shape.length) ?? [i]).includes(i) || d !== 1) }];
  const x = dataIn(ins, 0, ctx);
  const axes = axesOf(ins, ctx, x.shape.length) ?? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
  if (axes.some((a) => x.shape[a] !== 1)) return refuse(ctx.at, msg('err.onnx.squeeze', { axes: axes.join(', '), shape: showShape(x.shape) }));
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
  if (moved.some((p, i) => i > 0 && p < moved[i - 1])) return refuse(ctx.at, msg('err.onnx.transpose', { shape: showShape(x.shape), perm: perm.join(', '), op: 'Transpose' }));
  return [{ kind: 'data', chain: x.chain, shape: perm.map((p) => x.shape[p]) }];
};

/** Selects `len` entries from `start` along axis `axis` of the data (a SelectLayer, or nothing when it keeps everything). */
function select(x: DataVal, axis: number, start: number, len: number, keepAxis: boolean, ctx: OpContext): DataVal {
  const size = x.shape[axis];
  if (size === 'B') return refuse(ctx.at, msg('err.onnx.selectBatch'));
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
  const idx = constIn(ins, 1, ctx, inputWord('index'));
  const v = ins[0];
  if (v?.kind === 'sym' || v?.kind === 'const') {
    const items: Dim[] = v.kind === 'sym' ? [...v.items] : Array.from(v.values);
    const picked = Array.from(idx.values).map((i) => items[i < 0 ? i + items.length : i]);
    if (picked.some((p) => p === undefined)) return refuse(ctx.at, msg('err.onnx.gatherOutside'));
    return [{ kind: 'sym', items: picked, scalar: idx.dims.length === 0 }];
  }
  const x = dataIn(ins, 0, ctx);
  const rank = x.shape.length;
  const axis = ((attrInt(ctx.node, 'axis', 0) % rank) + rank) % rank;
  if (idx.values.length !== 1) return refuse(ctx.at, msg('err.onnx.gatherMany', { n: String(idx.values.length), op: 'Gather' }));
  const size = x.shape[axis];
  const i = idx.values[0] < 0 && typeof size === 'number' ? idx.values[0] + size : idx.values[0];
  if (typeof size === 'number' && !(i >= 0 && i < size)) return refuse(ctx.at, msg('err.onnx.gatherRange', { i: String(idx.values[0]), size: String(size) }));
  return [select(x, axis, i, 1, idx.dims.length > 0, ctx)];
};

/** Slice with step 1 along feature axes (or of a zero tensor / shape vector). */
const slice: OpHandler = (ins, ctx) => {
  const v = ins[0];
  const old = ctx.opset < 10;
  const starts = old ? attrInts(ctx.node, 'starts') ?? [] : Array.from(constIn(ins, 1, ctx, inputWord('starts')).values);
  const ends = old ? attrInts(ctx.node, 'ends') ?? [] : Array.from(constIn(ins, 2, ctx, inputWord('ends')).values);
  const shapeOf = v?.kind === 'zeros' ? v.shape : v?.kind === 'sym' ? [v.items.length] : v?.kind === 'data' || v?.kind === 'expr' ? materialise(v, ctx).shape : null;
  if (shapeOf === null) return refuse(ctx.at, msg('err.onnx.sliceUntracked'));
  const rank = shapeOf.length;
  const axes = (old ? attrInts(ctx.node, 'axes') : ins[3] === undefined ? undefined : Array.from(constIn(ins, 3, ctx, inputWord('axes')).values))?.map((a) => (a < 0 ? a + rank : a)) ?? starts.map((_, i) => i);
  const steps = old || ins[4] === undefined ? starts.map(() => 1) : Array.from(constIn(ins, 4, ctx, inputWord('steps')).values);
  if (steps.some((s) => s !== 1)) return refuse(ctx.at, msg('err.onnx.sliceSteps', { steps: steps.join(', '), op: 'Slice' }));
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
      if (starts[k] !== 0 || ends[k] < 2 ** 31 - 1) refuse(ctx.at, msg('err.onnx.sliceBatch'));
      return;
    }
    const [s, e] = range(a, k);
    if (e <= s) refuse(ctx.at, msg('err.onnx.sliceNothing', { a: String(a) }));
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
  if (t) return [constOf(t, partsOf(ctx.at))];
  const f = (ctx.node.attribute ?? []).find((a) => a.name === 'value_float' || a.name === 'value_int' || a.name === 'value_floats' || a.name === 'value_ints');
  if (!f) return refuse(ctx.at, msg('err.onnx.constantValue', { forms: 'value, value_float(s), value_int(s)' }));
  const list = f.name.endsWith('s') ? (f.name === 'value_floats' ? f.floats ?? [] : f.ints ?? []) : [f.name === 'value_float' ? f.f ?? 0 : f.i ?? 0];
  return [{ kind: 'const', dims: f.name.endsWith('s') ? [list.length] : [], values: Float64Array.from(list) }];
};

/** ConstantOfShape with value 0: a zero tensor (an initial recurrent state). */
const constantOfShape: OpHandler = (ins, ctx) => {
  const t = attrTensor(ctx.node, 'value');
  const value = t ? constOf(t, partsOf(ctx.at)).values[0] : 0;
  if (value !== 0) return refuse(ctx.at, msg('err.onnx.fill', { v: String(value), op: 'ConstantOfShape' }));
  return [{ kind: 'zeros', shape: dimsOf(ins[0], ctx, inputWord('shape')) }];
};

/** Concat of shape vectors (axis 0). */
const concat: OpHandler = (ins, ctx) => {
  if (ins.some((v) => v?.kind !== 'sym' && v?.kind !== 'const')) return refuse(ctx.at, msg('err.onnx.concat', { op: 'Concat' }));
  const items: Dim[] = [];
  for (const v of ins) items.push(...(v!.kind === 'sym' ? v!.items : Array.from((v as ConstVal).values)));
  return [{ kind: 'sym', items, scalar: false }];
};

/** Expand of a zero tensor to a shape. */
const expand: OpHandler = (ins, ctx) => {
  if (ins[0]?.kind !== 'zeros' && !(ins[0]?.kind === 'const' && ins[0].values.every((x) => x === 0))) return refuse(ctx.at, msg('err.onnx.expand', { op: 'Expand' }));
  return [{ kind: 'zeros', shape: dimsOf(ins[1], ctx, inputWord('shape')) }];
};

/** Cast: shape vectors and constants keep their values; the data keeps its values (gradscope computes in one float type). */
const cast: OpHandler = (ins) => [ins[0]];

/** Handlers of the layout and shape operators. */
export const LAYOUT_OPS: Readonly<Record<string, OpHandler>> = {
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
