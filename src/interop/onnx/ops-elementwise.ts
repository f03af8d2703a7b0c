/**
 * The elementwise operators of an ONNX graph: each builds an expression of
 * the data tensor it reads (see expr.ts) instead of a layer, so that the
 * groups of nodes exporters write for one activation (GELU as
 * Div/Erf/Add/Mul/Mul, SiLU as Sigmoid + Mul, Mish as Softplus/Tanh/Mul,
 * Hardswish as HardSigmoid + Mul) become one activation layer when the
 * expression is read by anything else (`materialise`). Pure.
 */
import { getActivation, resolveParams } from '../../activations/catalogue.js';
import { inputError } from '../../errors.js';
import { msg } from '../../i18n/catalogue.js';
import type { Msg } from '../../i18n/message.js';
import { Activation } from '../../nn/activation-layer.js';
import type { Layer, LayerEnv } from '../../nn/layer.js';
import type { LayerName } from '../names.js';
import { attrFloat, attrString, refuse, userFloat, type At } from './attrs.js';
import { attrKey, canonical, FORM_NAMES, hardSigmoidKey, matchForm, matchParametric, op, X, c, type Expr } from './expr.js';
import { cons, rowWidth, type ConstVal, type DataVal, type ExprVal, type Val } from './values.js';
import type { OpContext, OpHandler } from './ops.js';

/** A single operator applied to the data itself, as a catalogue activation (or the reason it is not one). */
interface SingleAct {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
}

/** The expression with its single-operator reading, when it is one operator on x. */
interface ActExpr extends ExprVal {
  readonly single?: SingleAct | { readonly error: Msg };
}

const SELU_ALPHA = 1.6732632423543772848;
const SELU_GAMMA = 1.0507009873554804934;

/** What an elementwise unary operator is, as a catalogue activation: name and parameters, or why not. */
function singleActivation(ctx: OpContext, ins: readonly (Val | undefined)[]): SingleAct | { error: Msg } {
  const n = ctx.node;
  switch (n.op_type) {
    case 'Relu':
      return { name: 'relu', params: {} };
    case 'Sigmoid':
      return { name: 'sigmoid', params: {} };
    case 'Tanh':
      return { name: 'tanh', params: {} };
    case 'Softplus':
      return { name: 'softplus', params: {} };
    case 'Softsign':
      return { name: 'softsign', params: {} };
    case 'HardSwish':
      return { name: 'hardswish', params: {} };
    case 'LeakyRelu':
      return { name: 'leaky_relu', params: { negative_slope: attrFloat(n, 'alpha', 0.01) } };
    case 'Elu':
      return { name: 'elu', params: { alpha: attrFloat(n, 'alpha', 1) } };
    case 'Celu':
      return { name: 'celu', params: { alpha: attrFloat(n, 'alpha', 1) } };
    case 'Selu': {
      const a = attrFloat(n, 'alpha', SELU_ALPHA);
      const g = attrFloat(n, 'gamma', SELU_GAMMA);
      if (Math.fround(a) !== Math.fround(SELU_ALPHA) || Math.fround(g) !== Math.fround(SELU_GAMMA)) return { error: msg('err.onnx.selu', { pa: 'alpha', a: String(a), pg: 'gamma', g: String(g) }) };
      return { name: 'selu', params: {} };
    }
    case 'HardSigmoid': {
      const a = attrFloat(n, 'alpha', 0.2);
      const b = attrFloat(n, 'beta', 0.5);
      if (hardSigmoidKey(a, b) === hardSigmoidKey(1 / 6, 0.5)) return { name: 'hardsigmoid', params: {} };
      if (hardSigmoidKey(a, b) === hardSigmoidKey(0.2, 0.5)) return { name: 'hard_sigmoid_keras2', params: {} };
      return { error: msg('err.onnx.hardSigmoid', { pa: 'alpha', a: String(a), pb: 'beta', b: String(b) }) };
    }
    case 'Gelu': {
      const approx = attrString(n, 'approximate', 'none');
      return approx === 'tanh' ? { name: 'gelu_tanh', params: {} } : approx === 'none' ? { name: 'gelu', params: {} } : { error: msg('err.onnx.gelu', { attr: 'approximate', v: approx, none: 'none', tanh: 'tanh' }) };
    }
    case 'PRelu': {
      const slope = ins[1];
      if (slope?.kind !== 'const') return { error: msg('err.onnx.slopeConst') };
      if (slope.values.length !== 1) return { error: msg('err.onnx.slopes', { n: String(slope.values.length), call: 'torch.nn.PReLU()', param: 'num_parameters' }) };
      return { name: 'prelu', params: { weight: slope.values[0] } };
    }
    case 'Clip': {
      const [lo, hi] = clipBounds(ctx, ins);
      if (lo === 0 && hi === 6) return { name: 'relu6', params: {} };
      if (lo === 0 && hi === Infinity) return { name: 'relu', params: {} };
      if (Number.isFinite(lo) && Number.isFinite(hi)) return { name: 'hardtanh', params: { min_val: lo, max_val: hi } };
      return { error: msg('err.onnx.clip', { lo: String(lo), hi: String(hi), op: 'Clip' }) };
    }
    default:
      return { error: msg('err.onnx.notActivation') };
  }
}

/** Clip's bounds: attributes before opset 11, optional constant inputs from 11 on. */
function clipBounds(ctx: OpContext, ins: readonly (Val | undefined)[]): [number, number] {
  if (ctx.opset < 11) return [attrFloat(ctx.node, 'min', -Infinity), attrFloat(ctx.node, 'max', Infinity)];
  const bound = (v: Val | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (v.kind !== 'const' || v.values.length !== 1) refuse(ctx.at, msg('err.onnx.clipBound'));
    return userFloat(v.values[0]);
  };
  return [bound(ins[1], -Infinity), bound(ins[2], Infinity)];
}

/** Operators that take part in the expression forms (they are no activation alone). */
const FORM_ONLY = new Set(['Erf', 'Abs', 'Exp', 'Log', 'Reciprocal', 'Sqrt', 'Neg']);

/** The node key of HardSigmoid inside forms (α, β), of Clip and of the others (none). */
function keyOf(ctx: OpContext): string | undefined {
  if (ctx.node.op_type === 'HardSigmoid') return hardSigmoidKey(attrFloat(ctx.node, 'alpha', 0.2), attrFloat(ctx.node, 'beta', 0.5));
  if (ctx.node.op_type === 'Elu' || ctx.node.op_type === 'Celu' || ctx.node.op_type === 'LeakyRelu') return attrKey(attrFloat(ctx.node, 'alpha', ctx.node.op_type === 'LeakyRelu' ? 0.01 : 1));
  return undefined;
}

/** x as an expression of a base: data is x itself, an expression its tree, a scalar constant a leaf. */
function operand(v: Val, ctx: OpContext): { base: DataVal | null; tree: Expr; nodes: readonly LayerName[] } {
  if (v.kind === 'data') return { base: v, tree: X, nodes: [] };
  if (v.kind === 'expr') return { base: v.base, tree: v.tree, nodes: v.nodes.map((name) => ({ name, op: '' })) };
  if (v.kind === 'const' && v.values.length === 1) return { base: null, tree: c(v.values[0]), nodes: [] };
  return refuse(ctx.at, v.kind === 'const' ? msg('err.onnx.operandConst', { dims: v.dims.join(', ') }) : msg('err.onnx.operandShape'));
}

/** A unary elementwise operator: an expression of its input. */
const unary: OpHandler = (ins, ctx) => {
  const v = ins[0];
  if (v === undefined || (v.kind !== 'data' && v.kind !== 'expr')) return refuse(ctx.at, msg('err.onnx.noData'));
  const o = operand(v, ctx);
  const tree = op(ctx.node.op_type, [o.tree], keyOf(ctx));
  const single = o.tree.op === 'x' && !FORM_ONLY.has(ctx.node.op_type) ? singleActivation(ctx, ins) : undefined;
  const out: ActExpr = { kind: 'expr', base: o.base!, tree, nodes: [...(v.kind === 'expr' ? v.nodes : []), ctx.node.name ?? ctx.node.op_type], ...(single ? { single } : {}) };
  return [out];
};

/** A binary elementwise operator on expressions of the same data (or a scalar constant). */
export function binaryExpr(ins: readonly (Val | undefined)[], ctx: OpContext): ExprVal {
  const [a, b] = ins;
  if (a === undefined || b === undefined) return refuse(ctx.at, msg('err.onnx.twoInputs'));
  const p = operand(a, ctx);
  const q = operand(b, ctx);
  if (p.base === null && q.base === null) return refuse(ctx.at, msg('err.onnx.constants'));
  if (p.base !== null && q.base !== null && p.base !== q.base) {
    return refuse(ctx.at, msg('err.onnx.twoTensors', { op: ctx.node.op_type, forms: FORM_NAMES.join(', '), add: 'Add' }));
  }
  const base = (p.base ?? q.base)!;
  const nodes = [...(a.kind === 'expr' ? a.nodes : []), ...(b.kind === 'expr' ? b.nodes : []), ctx.node.name ?? ctx.node.op_type];
  return { kind: 'expr', base, tree: op(ctx.node.op_type, [p.tree, q.tree]), nodes };
}

/** Mul, Sub, Div, Pow: only inside activation forms. */
const binary: OpHandler = (ins, ctx) => [binaryExpr(ins, ctx)];

/** Identity (and Cast to a float type): the input unchanged. */
const passThrough: OpHandler = (ins) => [ins[0]];

/** Handlers of the elementwise operators, by op type. */
export const ELEMENTWISE_OPS: Readonly<Record<string, OpHandler>> = {
  Relu: unary,
  Sigmoid: unary,
  Tanh: unary,
  Softplus: unary,
  Softsign: unary,
  HardSwish: unary,
  HardSigmoid: unary,
  LeakyRelu: unary,
  Elu: unary,
  Celu: unary,
  Selu: unary,
  Gelu: unary,
  PRelu: (ins, ctx) => unary([ins[0], ins[1]], ctx),
  Clip: (ins, ctx) => unary(ins, ctx),
  Erf: unary,
  Abs: unary,
  Exp: unary,
  Log: unary,
  Reciprocal: unary,
  Sqrt: unary,
  Neg: unary,
  Mul: binary,
  Sub: binary,
  Div: binary,
  Pow: binary,
  Identity: passThrough,
};

/** What `materialise` needs. */
export interface MaterialiseContext {
  readonly file: string;
  /** What a problem is about: the node being read, or the graph's output. */
  readonly at: At;
  readonly env: LayerEnv;
  readonly names: Map<Layer, LayerName>;
}

const done = new WeakMap<ExprVal, DataVal>();

/**
 * The data value of `v`: data as it is; an expression becomes the activation
 * layer it computes (once, however many nodes read it), or the import stops
 * naming the nodes and what gradscope recognises.
 */
export function materialise(v: Val, ctx: MaterialiseContext): DataVal {
  if (v.kind === 'data') return v;
  if (v.kind !== 'expr') return refuse(ctx.at, msg('err.onnx.notData'));
  const cached = done.get(v);
  if (cached) return cached;
  const named = matchForm(v.tree);
  const parametric = named === null ? matchParametric(v.tree) : null;
  const form = named ?? parametric?.name ?? null;
  const single = (v as ActExpr).single;
  let act: SingleAct;
  if (named !== null) act = { name: named, params: {} };
  else if (parametric !== null) act = parametric;
  else if (single && 'name' in single) act = single;
  else {
    const who = v.nodes.map((n) => `'${n}'`).join(', ');
    if (single && 'error' in single) refuse({ file: ctx.file, subject: msg('err.onnx.nodesAt', { who, op: v.tree.op }) }, single.error);
    throw inputError([ctx.file], msg(v.nodes.length > 1 ? 'err.onnx.computes' : 'err.onnx.computes1', { who, expr: canonical(v.tree), forms: FORM_NAMES.join(', ') }));
  }
  const def = getActivation(act.name);
  const layer = new Activation(def, rowWidth(v.base.shape), resolveParams(def, act.params), ctx.env);
  ctx.names.set(layer, { name: scopeName(v.nodes[v.nodes.length - 1] ?? act.name), op: form !== null ? `${form} as ${v.nodes.length} nodes` : opTypeOf(v.tree) });
  const out: DataVal = { kind: 'data', chain: cons(layer, v.base.chain), shape: v.base.shape };
  done.set(v, out);
  return out;
}

function opTypeOf(e: Expr): string {
  return e.op;
}

/** A node name without the exporter's leading slash: '/items.1/Relu' → 'items.1/Relu'. */
export function displayName(nodeName: string): string {
  return nodeName.replace(/^\//, '');
}

/** The scope of a node name, the module that wrote it: '/items.1/Relu' → 'items.1' (a name without scope as it is). */
export function scopeName(nodeName: string): string {
  const parts = displayName(nodeName).split('/');
  return parts.length > 1 ? parts.slice(0, -1).join('/') : parts[0];
}

export type { ConstVal };
