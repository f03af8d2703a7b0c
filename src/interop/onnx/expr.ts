/**
 * Elementwise functions of one tensor as exporters write them: a small
 * expression tree over x built node by node (Relu(x), Mul(x, Sigmoid(x)),
 * x·½·(1 + erf(x/√2)), …), put in a canonical form (products and sums
 * flattened and sorted, division by a constant as multiplication by its
 * inverse) and matched against the forms of the catalogue's activations.
 * Exporters write the same function in different orders; the canonical form
 * makes them one. Pure.
 */

/** An expression over the single input x. */
export type Expr =
  | { readonly op: 'x' }
  | { readonly op: 'c'; readonly v: number }
  | { readonly op: string; readonly args: readonly Expr[]; readonly key?: string };

/** The input x. */
export const X: Expr = { op: 'x' };

/** A constant. */
export function c(v: number): Expr {
  return { op: 'c', v };
}

/** An operation on sub-expressions; `key` distinguishes attribute values (HardSigmoid's α, β). */
export function op(name: string, args: readonly Expr[], key?: string): Expr {
  return key === undefined ? { op: name, args } : { op: name, args, key };
}

function argsOf(e: Expr): readonly Expr[] {
  return 'args' in e ? e.args : [];
}

/** Rounds a constant to 6 significant digits: float32 constants (√2 as 1.4142135) compare equal to their decimal form. */
function round6(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/**
 * The canonical text of an expression: Mul and Add flattened and their terms
 * sorted, Div(a, c) as Mul(a, 1/c), Div(a, b) as Mul(a, Reciprocal(b)),
 * Sub(a, b) as Add(a, Mul(−1, b)), constant factors multiplied together.
 */
export function canonical(e: Expr): string {
  return text(normalise(e));
}

function normalise(e: Expr): Expr {
  if (e.op === 'x' || e.op === 'c') return e;
  const args = argsOf(e).map(normalise);
  const key = 'key' in e ? e.key : undefined;
  if (e.op === 'Div') {
    const [a, b] = args;
    return normalise(op('Mul', [a, b.op === 'c' ? c(1 / (b as { v: number }).v) : op('Reciprocal', [b])]));
  }
  if (e.op === 'Sub') return normalise(op('Add', [args[0], op('Mul', [c(-1), args[1]])]));
  if (e.op === 'Neg') return normalise(op('Mul', [c(-1), args[0]]));
  // x³ is written Pow(x, 3) by some exporters and Mul(Mul(x, x), x) by others
  const [base, exp] = args;
  if (e.op === 'Pow' && exp?.op === 'c' && [2, 3, 4].includes((exp as { v: number }).v)) return normalise(op('Mul', Array.from({ length: (exp as { v: number }).v }, () => base)));
  if (e.op === 'Mul' || e.op === 'Add') {
    const flat: Expr[] = [];
    for (const a of args) if (a.op === e.op) flat.push(...argsOf(a));
    else flat.push(a);
    // fold the constants: one factor (or term) at most, dropped when neutral
    const consts = flat.filter((a) => a.op === 'c').map((a) => (a as { v: number }).v);
    const rest = flat.filter((a) => a.op !== 'c');
    const k = e.op === 'Mul' ? consts.reduce((p, v) => p * v, 1) : consts.reduce((p, v) => p + v, 0);
    const neutral = e.op === 'Mul' ? 1 : 0;
    const terms = consts.length > 0 && k !== neutral ? [c(k), ...rest] : rest;
    if (terms.length === 1) return terms[0];
    return op(e.op, [...terms].sort((p, q) => (text(p) < text(q) ? -1 : text(p) > text(q) ? 1 : 0)));
  }
  return op(e.op, args, key);
}

function text(e: Expr): string {
  if (e.op === 'x') return 'x';
  if (e.op === 'c') return round6((e as { v: number }).v);
  const key = 'key' in e && e.key !== undefined ? `[${e.key}]` : '';
  return `${e.op}${key}(${argsOf(e).map(text).join(',')})`;
}

/** An activation of the catalogue with its parameters. */
export interface ActivationMatch {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
}

const HALF = c(0.5);
/** The forms exporters write for activations that ONNX has no single operator for (before opset 20 for GELU). */
const FORMS: readonly [Expr, string][] = [
  // GELU, exact: x · ½ · (1 + erf(x/√2)) (torch.onnx.export before opset 20, tf2onnx)
  [op('Mul', [X, HALF, op('Add', [c(1), op('Erf', [op('Div', [X, c(Math.SQRT2)])])])]), 'gelu'],
  // GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
  [op('Mul', [HALF, X, op('Add', [c(1), op('Tanh', [op('Mul', [c(Math.sqrt(2 / Math.PI)), op('Add', [X, op('Mul', [c(0.044715), op('Pow', [X, c(3)])])])])])])]), 'gelu_tanh'],
  // SiLU: x · σ(x)
  [op('Mul', [X, op('Sigmoid', [X])]), 'silu'],
  // Mish: x · tanh(softplus(x))
  [op('Mul', [X, op('Tanh', [op('Softplus', [X])])]), 'mish'],
  // Hardswish: x · hardsigmoid(x) with α = 1/6, β = ½ (torch before opset 14)
  [op('Mul', [X, op('HardSigmoid', [X], hardSigmoidKey(1 / 6, 0.5))]), 'hardswish'],
  // Softsign: x / (1 + |x|) (torch at opset 13)
  [op('Div', [X, op('Add', [op('Abs', [X]), c(1)])]), 'softsign'],
  // Tanhshrink: x − tanh(x)
  [op('Sub', [X, op('Tanh', [X])]), 'tanhshrink'],
  // LogSigmoid: ln σ(x)
  [op('Log', [op('Sigmoid', [X])]), 'logsigmoid'],
  // bipolar sigmoid: 2σ(x) − 1
  [op('Sub', [op('Mul', [c(2), op('Sigmoid', [X])]), c(1)]), 'bipolar_sigmoid'],
  // LeCun's tanh: 1.7159 · tanh(2x/3)
  [op('Mul', [c(1.7159), op('Tanh', [op('Mul', [c(2 / 3), X])])]), 'lecun_tanh'],
];

/** The attribute key of a HardSigmoid node (α, β to 6 digits). */
export function hardSigmoidKey(alpha: number, beta: number): string {
  return `${round6(alpha)},${round6(beta)}`;
}

const BY_FORM = new Map(FORMS.map(([e, name]) => [canonical(e), name]));

/** The catalogue activation a multi-node form computes, or null. */
export function matchForm(e: Expr): string | null {
  return BY_FORM.get(canonical(e)) ?? null;
}

/**
 * Forms with a parameter: CELU as α·Elu(x/α) (how gradscope writes it for
 * float64, which ONNX's Celu does not take). Gives the activation, or null.
 */
export function matchParametric(e: Expr): ActivationMatch | null {
  const n = normalise(e);
  // with α = 1 the form folds to Elu(x) with α = 1, which CELU(α = 1) is
  if (n.op === 'Elu' && 'key' in n && n.key === round6(1) && argsOf(n)[0]?.op === 'x') return { name: 'elu', params: { alpha: 1 } };
  if (n.op !== 'Mul') return null;
  const [k, elu] = argsOf(n);
  if (k?.op !== 'c' || elu?.op !== 'Elu' || ('key' in elu && elu.key !== round6(1))) return null;
  const inner = argsOf(elu)[0];
  const [k2, x] = argsOf(inner);
  const alpha = (k as { v: number }).v;
  if (inner?.op !== 'Mul' || k2?.op !== 'c' || x?.op !== 'x' || Math.abs((k2 as { v: number }).v * alpha - 1) > 1e-12) return null;
  return { name: 'celu', params: { alpha } };
}

/** The form of CELU with parameter α, as matchParametric reads it. */
export function celuForm(alpha: number): Expr {
  return op('Mul', [c(alpha), op('Elu', [op('Mul', [X, c(1 / alpha)])], round6(1))]);
}

/** Rounds an attribute value for a node key. */
export function attrKey(v: number): string {
  return round6(v);
}

/** The forms gradscope recognises, for messages. */
export const FORM_NAMES: readonly string[] = FORMS.map(([, n]) => n);

/** The form of `name` as an expression (for export), or null when it has none. */
export function formOf(name: string): Expr | null {
  return FORMS.find(([, n]) => n === name)?.[0] ?? null;
}
