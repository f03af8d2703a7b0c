/**
 * Reading a node's attributes and constant inputs: typed getters with
 * ONNX's defaults, float attributes as the decimal the user wrote (ONNX
 * stores them as float32: 0.02 arrives as 0.019999999552965164), and
 * TensorProtos as constants. Pure.
 */
import { inputError, type Part } from '../../errors.js';
import { msg as message } from '../../i18n/catalogue.js';
import type { Msg } from '../../i18n/message.js';
import { ATTR_TYPE, tensorValues, type AttributeProto, type NodeProto, type TensorProto } from './proto.js';
import type { ConstVal } from './values.js';

/**
 * The shortest decimal that rounds to the same float32 as `v`: the value
 * the exporter was given (0.02 for 0.019999999552965164). Values that are
 * not float32 pass through unchanged.
 */
export function userFloat(v: number): number {
  const f = Math.fround(v);
  if (f !== v) return v;
  for (let p = 1; p <= 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return v;
}

function find(node: NodeProto, name: string): AttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

/** A float attribute (as the user's decimal), or `dflt`. */
export function attrFloat(node: NodeProto, name: string, dflt: number): number {
  const a = find(node, name);
  return a?.f !== undefined ? userFloat(a.f) : a?.type === ATTR_TYPE.FLOAT ? 0 : dflt;
}

/** An int attribute, or `dflt`. */
export function attrInt(node: NodeProto, name: string, dflt: number): number {
  const a = find(node, name);
  return a?.i !== undefined ? a.i : a?.type === ATTR_TYPE.INT ? 0 : dflt;
}

/** An ints attribute, or undefined. */
export function attrInts(node: NodeProto, name: string): number[] | undefined {
  const a = find(node, name);
  return a === undefined ? undefined : (a.ints ?? []);
}

/** A floats attribute (as the user's decimals), or undefined. */
export function attrFloats(node: NodeProto, name: string): number[] | undefined {
  const a = find(node, name);
  return a === undefined ? undefined : (a.floats ?? []).map(userFloat);
}

/** A string attribute, or `dflt`. */
export function attrString(node: NodeProto, name: string, dflt: string): string {
  const a = find(node, name);
  return a?.s !== undefined ? new TextDecoder().decode(a.s) : dflt;
}

/** A strings attribute, or undefined. */
export function attrStrings(node: NodeProto, name: string): string[] | undefined {
  const a = find(node, name);
  return a === undefined ? undefined : (a.strings ?? []).map((s) => new TextDecoder().decode(s));
}

/** A tensor attribute (Constant's value), or undefined. */
export function attrTensor(node: NodeProto, name: string): TensorProto | undefined {
  return find(node, name)?.t;
}

/** Every attribute name of the node, for checks against what a handler reads. */
export function attrNames(node: NodeProto): string[] {
  return (node.attribute ?? []).map((a) => a.name);
}

/** A TensorProto as a constant; `where` names it in messages (the file, then the node that holds it). */
export function constOf(t: TensorProto, where: readonly Part[]): ConstVal {
  return { kind: 'const', dims: t.dims ?? [], values: tensorValues(t, where) };
}

/** What a model's problem is about: the file, and in it the node, the output or the layer ("node 'fc1' (Gemm)"). */
export interface At {
  readonly file: string;
  readonly subject: Msg;
}

/** The message naming a node: "node 'fc1' (Gemm)". */
export function nodeAt(name: string, op: string): Msg {
  return message('err.onnx.nodeAt', { name, op });
}

/** The parts of `at` for a sentence "file: subject: clause". */
export function partsOf(at: At): readonly Part[] {
  return [at.file, at.subject];
}

/** Throws the standard sentence for a node or layer gradscope reads only in some forms: "file: node 'n' (Op) why". */
export function refuse(at: At, why: Msg): never {
  throw inputError([at.file], message('err.interop.refuse', { subject: at.subject, clause: why }));
}

