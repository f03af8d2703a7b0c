/**
 * What the ONNX importer knows about each tensor of a graph while it walks
 * the nodes: the data flowing from the input (with the chain of gradscope
 * layers that computes it and its logical shape, 'B' marking the batch
 * axis), constants, shape vectors with a symbolic batch size, zero tensors
 * of such shapes (initial recurrent states), and elementwise expressions of
 * one data tensor not yet turned into an activation layer. Pure.
 */
import type { Layer } from '../../nn/layer.js';
import type { Dense } from '../../nn/dense.js';
import type { Expr } from './expr.js';

/** One axis of a logical shape: a size, or the batch axis. */
export type Dim = number | 'B';

/** An immutable list of layers from the graph input: `layer` applied after `parent`. */
export interface Chain {
  readonly layer: Layer;
  readonly parent: Chain | null;
  readonly depth: number;
}

/** Appends `layer` to `parent`. */
export function cons(layer: Layer, parent: Chain | null): Chain {
  return { layer, parent, depth: parent === null ? 1 : parent.depth + 1 };
}

/** The layers of a chain, input side first. */
export function layersOf(chain: Chain | null, until: Chain | null = null): Layer[] {
  const out: Layer[] = [];
  for (let c = chain; c !== null && c !== until; c = c.parent) out.push(c.layer);
  return out.reverse();
}

/** The last chain both `a` and `b` start with (null: the graph input). */
export function commonPrefix(a: Chain | null, b: Chain | null): Chain | null {
  let p = a;
  let q = b;
  while ((p?.depth ?? 0) > (q?.depth ?? 0)) p = p!.parent;
  while ((q?.depth ?? 0) > (p?.depth ?? 0)) q = q!.parent;
  while (p !== q) {
    p = p!.parent;
    q = q!.parent;
  }
  return p;
}

/** Data computed from the graph input by `chain`, of logical shape `shape`. */
export interface DataVal {
  readonly kind: 'data';
  readonly chain: Chain | null;
  readonly shape: readonly Dim[];
  /** The dense layer that computed it, while a following Add may still fold a bias into it. */
  readonly dense?: Dense;
}

/** A constant tensor. */
export interface ConstVal {
  readonly kind: 'const';
  readonly dims: readonly number[];
  readonly values: Float64Array;
}

/** A 1-D integer vector (or a scalar) whose entries may be the batch size: what Shape and its arithmetic produce. */
export interface SymVal {
  readonly kind: 'sym';
  readonly items: readonly Dim[];
  readonly scalar: boolean;
}

/** A tensor of zeros of a shape that may involve the batch size (ConstantOfShape(0) of a Shape). */
export interface ZerosVal {
  readonly kind: 'zeros';
  readonly shape: readonly Dim[];
}

/** An elementwise function of the data `base`, not yet an activation layer; `nodes` produced it. */
export interface ExprVal {
  readonly kind: 'expr';
  readonly base: DataVal;
  readonly tree: Expr;
  readonly nodes: readonly string[];
}

/** Anything the importer tracks for a tensor name. */
export type Val = DataVal | ConstVal | SymVal | ZerosVal | ExprVal;

/** The number of values per example of a shape (the product of its non-batch axes). */
export function rowWidth(shape: readonly Dim[]): number {
  let w = 1;
  for (const d of shape) if (d !== 'B') w *= d;
  return w;
}

/** The non-batch axes in order: how an example's values lie in its row. */
export function rowDims(shape: readonly Dim[]): number[] {
  return shape.filter((d): d is number => d !== 'B');
}

/** Shows a shape as [B, 5, 3]. */
export function showShape(shape: readonly Dim[]): string {
  return `[${shape.join(', ')}]`;
}
