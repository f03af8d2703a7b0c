/**
 * The activation catalogue as typed data: one map from canonical name to
 * entry, which feeds the CLI, config and model files, the URL state and the
 * web controls. Also the lookups that turn user input into entries and
 * parameter vectors, with errors that name the activation, the parameter and
 * the value, and `evalActivation` behind `gradscope activations eval`.
 *
 * Definitions shared by every entry:
 * - `zeroCentred`: E[f(X)] = 0 for X ~ N(0, 1) — true for odd functions and,
 *   by construction, for SELU.
 * - `monotonic`: non-decreasing on ℝ; `smooth`: C¹ on ℝ (default parameters).
 * - `cost`: an operation-count estimate, ReLU = 1 (one exp/log/tanh ≈ 3);
 *   `gradscope bench` measures.
 */
import { ValueError } from '../errors.js';
import { phrase } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { closest, distance } from 'fastest-levenshtein';
import { celu, elu, selu } from './elu-family.js';
import { hardswish, mish, silu, swish } from './gated.js';
import { gelu, geluTanh } from './gelu.js';
import { MAXOUT_NOT_ELEMENTWISE, maxout } from './maxout.js';
import { linear, softmax } from './other.js';
import { leakyRelu, prelu, relu, relu6, rrelu } from './relu-family.js';
import { bipolarSigmoid, logsigmoid, sigmoid } from './sigmoid-family.js';
import { hardSigmoidKeras2, hardsigmoid } from './sigmoid-hard.js';
import { softmaxRows } from './softmax.js';
import { softplus, squareplus } from './softplus.js';
import { lecunTanh, softsign, tanh, tanhshrink } from './tanh-family.js';
import { hardshrink, hardtanh, softshrink } from './tanh-hard.js';
import { t } from './text.js';
import type { ActivationDef, Family, ParamSpec, Text } from './types.js';

/** Every canonical name, in catalogue order: ReLU family, tanh family, sigmoid family, other. */
export const ACTIVATION_NAMES = [
  'relu',
  'leaky_relu',
  'prelu',
  'rrelu',
  'elu',
  'selu',
  'celu',
  'gelu',
  'gelu_tanh',
  'silu',
  'swish',
  'mish',
  'softplus',
  'squareplus',
  'relu6',
  'hardswish',
  'maxout',
  'tanh',
  'lecun_tanh',
  'hardtanh',
  'softsign',
  'tanhshrink',
  'softshrink',
  'hardshrink',
  'sigmoid',
  'hardsigmoid',
  'hard_sigmoid_keras2',
  'logsigmoid',
  'bipolar_sigmoid',
  'linear',
  'softmax',
] as const;

/** A canonical activation name. */
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** The catalogue: canonical name → entry. The type forces every name to have an entry. */
export const CATALOGUE: Readonly<Record<ActivationName, ActivationDef>> = {
  relu,
  leaky_relu: leakyRelu,
  prelu,
  rrelu,
  elu,
  selu,
  celu,
  gelu,
  gelu_tanh: geluTanh,
  silu,
  swish,
  mish,
  softplus,
  squareplus,
  relu6,
  hardswish,
  maxout,
  tanh,
  lecun_tanh: lecunTanh,
  hardtanh,
  softsign,
  tanhshrink,
  softshrink,
  hardshrink,
  sigmoid,
  hardsigmoid,
  hard_sigmoid_keras2: hardSigmoidKeras2,
  logsigmoid,
  bipolar_sigmoid: bipolarSigmoid,
  linear,
  softmax,
};

/** Every entry, in catalogue order. */
export const ACTIVATIONS: readonly ActivationDef[] = ACTIVATION_NAMES.map((n) => CATALOGUE[n]);

/** Other spellings accepted by `getActivation` (Keras and textbook names); the canonical name is always used in output. */
export const ALIASES: Readonly<Record<string, ActivationName>> = {
  identity: 'linear',
  logistic: 'sigmoid',
  hard_swish: 'hardswish',
  hard_silu: 'hardswish',
  log_sigmoid: 'logsigmoid',
};

/** One family as shown by the catalogue views. */
export interface FamilyInfo {
  readonly id: Family;
  readonly title: Text;
  readonly summary: Text;
  /** Entries whose `family` is this one, in catalogue order. */
  readonly members: readonly ActivationName[];
  /** Entries of other families that belong here too (the sigmoid-gated units under sigmoid). */
  readonly seeAlso: readonly ActivationName[];
}

/** The members of `family`, in catalogue order. */
function membersOf(family: Family): ActivationName[] {
  return ACTIVATION_NAMES.filter((n) => CATALOGUE[n].family === family);
}

/** The three families (ReLU, tanh, sigmoid) plus `other`, each with its members. */
export const FAMILIES: readonly FamilyInfo[] = [
  {
    id: 'relu',
    title: t('ReLU and its variants', 'ReLU 及其變體'),
    summary: t(
      'Slope 1 (or close to it) for x > 0, so the gradient does not vanish through active units. The variants differ in what they do for x < 0: zero (dead units), a small or learned slope, an exponential floor, or a smooth self-gate.',
      'x > 0 時斜率為 1（或接近 1），梯度經過激活單元時不會消失。各變體的差別在於 x < 0 時的行為：輸出 0（死亡神經元）、小的或可學習的斜率、指數下限，或平滑的自我門控。',
    ),
    members: membersOf('relu'),
    seeAlso: [],
  },
  {
    id: 'tanh',
    title: t('tanh and its variants', 'tanh 及其變體'),
    summary: t(
      'Zero-centred (odd) functions: the bounded S-curves tanh, lecun_tanh, softsign and hardtanh, with f\'(0) ≈ 1 but saturation for large |x|, and the shrinkage functions softshrink, hardshrink and tanhshrink, which are flat around 0.',
      '零中心（奇函數）的函數：有界的 S 形曲線 tanh、lecun_tanh、softsign 與 hardtanh，f\'(0) ≈ 1，但 |x| 大時會飽和；以及在 0 附近平坦的收縮函數 softshrink、hardshrink 與 tanhshrink。',
    ),
    members: membersOf('tanh'),
    seeAlso: ['bipolar_sigmoid', 'mish'],
  },
  {
    id: 'sigmoid',
    title: t('Sigmoid and its variants', 'Sigmoid 及其變體'),
    summary: t(
      'Squash to (0, 1): the natural output for a probability. Their slope is small (σ\' ≤ 1/4, hard versions 1/6 or 0.2), so stacked in hidden layers they make the gradient vanish; use them in a binary output layer and as gates (LSTM, SiLU, swish).',
      '把數值壓縮到 (0, 1)：天然適合表示機率。它們的斜率很小（σ\' ≤ 1/4，硬版本為 1/6 或 0.2），堆疊在隱藏層會導致梯度消失；應用於二元輸出層與門控（LSTM、SiLU、swish）。',
    ),
    members: membersOf('sigmoid'),
    seeAlso: ['silu', 'swish'],
  },
  {
    id: 'other',
    title: t('Identity and softmax', '恆等函數與 softmax'),
    summary: t(
      'The identity for regression outputs and as a baseline, and softmax for multi-class output layers.',
      '恆等函數用於迴歸輸出與作為基準，softmax 用於多類別輸出層。',
    ),
    members: membersOf('other'),
    seeAlso: [],
  },
];

/** The entries of one family, in catalogue order. */
export function activationsOf(family: Family): readonly ActivationDef[] {
  return ACTIVATIONS.filter((d) => d.family === family);
}

/** True when `name` is a canonical activation name. */
export function isActivationName(name: string): name is ActivationName {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, name);
}

/** Lower case, '-' and ' ' as '_': "Leaky-ReLU" finds leaky_relu. */
function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/[-\s]+/g, '_');
}

/**
 * Up to 5 canonical names close to `name`: all those at the smallest edit distance (when it is
 * small), then those that extend it ('hard_sigmoid' → hard_sigmoid_keras2); [] when none is close.
 */
export function suggestActivations(name: string): string[] {
  const key = normalise(name);
  const names: readonly string[] = ACTIVATION_NAMES;
  const best = closest(key, names);
  const dBest = distance(key, best);
  const near = dBest <= Math.max(2, Math.floor(key.length / 3)) ? [best, ...names.filter((n) => n !== best && distance(key, n) === dBest)] : [];
  const extending = key.length >= 3 ? names.filter((n) => n.startsWith(key) && !near.includes(n)) : [];
  return [...near, ...extending].slice(0, 5);
}

/** The entry for `name` (canonical, alias, any case, '-' for '_'); throws a RangeError suggesting close names. */
export function getActivation(name: string): ActivationDef {
  const key = normalise(name);
  if (isActivationName(key)) return CATALOGUE[key];
  if (Object.prototype.hasOwnProperty.call(ALIASES, key)) return CATALOGUE[ALIASES[key]];
  const near = suggestActivations(name);
  throw new ValueError(
    name,
    near.length > 0 ? `unknown activation '${name}'; did you mean ${near.join(', ')}?` : `unknown activation '${name}'; known activations: ${ACTIVATION_NAMES.join(', ')}`,
    true,
    near.length > 0 ? { key: 'err.unknownActivation', vars: { name, near: near.join(', ') } } : { key: 'err.unknownActivationList', vars: { name, names: ACTIVATION_NAMES.join(', ') } },
  );
}

/** The bound `value` breaks ("must be > 0" as op '>' and n 0), or null when it is inside `spec`'s range. */
function rangeProblem(spec: ParamSpec, value: number): { readonly op: string; readonly n: number } | null {
  if (spec.min !== undefined) {
    if (spec.minExclusive === true ? !(value > spec.min) : !(value >= spec.min)) return { op: spec.minExclusive === true ? '>' : '>=', n: spec.min };
  }
  if (spec.max !== undefined && !(value <= spec.max)) return { op: '<=', n: spec.max };
  return null;
}

/** Constraints that involve more than one parameter, or integrality; each returns a sentence or null. */
const CONSTRAINTS: Partial<Record<ActivationName, (act: string, p: readonly number[]) => Msg | null>> = {
  rrelu: (act, p) => (p[0] <= p[1] ? null : { key: 'err.param.order', vars: { act, a: 'lower', op: '<=', b: 'upper', x: String(p[0]), y: String(p[1]) } }),
  hardtanh: (act, p) => (p[0] < p[1] ? null : { key: 'err.param.order', vars: { act, a: 'min_val', op: '<', b: 'max_val', x: String(p[0]), y: String(p[1]) } }),
  maxout: (act, p) => (Number.isInteger(p[0]) ? null : { key: 'err.param.int', vars: { act, key: 'pieces', value: String(p[0]) } }),
};

/**
 * Parameter values in `def.params` order: defaults, replaced by `overrides` (by PyTorch name).
 * Throws a RangeError naming the activation, the parameter and the value for an unknown name,
 * a non-finite value or one out of range, e.g. "elu: parameter 'alpha' must be > 0; got -1".
 */
export function resolveParams(def: ActivationDef, overrides: Readonly<Record<string, number>> = {}): number[] {
  const out = def.params.map((s) => s.default);
  for (const [key, value] of Object.entries(overrides)) {
    const i = def.params.findIndex((s) => s.name === key);
    if (i < 0) {
      if (def.params.length === 0) throw new ValueError(key, `${def.name}: takes no parameters; got '${key}'`, true, { key: 'err.param.none', vars: { act: def.name, key } });
      const names = def.params.map((s) => s.name);
      const guess = closest(key, names);
      const hint = distance(key, guess) <= 2 ? ` (did you mean '${guess}'?)` : '';
      throw new ValueError(key, `${def.name}: unknown parameter '${key}'${hint}; its parameters are ${names.join(', ')}`, true, {
        key: 'err.param.unknown',
        vars: { act: def.name, key, hint: hint === '' ? '' : { key: 'err.didYouMean', vars: { s: `'${guess}'` } }, names: names.join(', ') },
      });
    }
    const spec = def.params[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValueError(value, `${def.name}: parameter '${key}' must be a finite number; got ${String(value)}`, true, { key: 'err.param.finite', vars: { act: def.name, key, value: String(value) } });
    }
    const bound = rangeProblem(spec, value);
    if (bound !== null) {
      throw new ValueError(value, `${def.name}: parameter '${key}' must be ${bound.op} ${bound.n}; got ${value}`, true, { key: 'err.param.range', vars: { act: def.name, key, op: bound.op, n: String(bound.n), value: String(value) } });
    }
    out[i] = value;
  }
  const check = isActivationName(def.name) ? CONSTRAINTS[def.name] : undefined;
  const problem = check === undefined ? null : check(def.name, out);
  if (problem !== null) throw new ValueError(overrides, phrase('en', problem), true, problem);
  return out;
}

/** The result of `gradscope activations eval`: f and f' at each x, in float64. */
export interface ActivationEval {
  readonly name: string;
  readonly x: number[];
  readonly y: number[];
  readonly dy: number[];
}

/**
 * f and f' of activation `name` at `xs`, float64, with parameters from `params`.
 * For softmax, y = softmax of the whole vector xs and dy = the diagonal of its Jacobian, s(1 − s).
 * Maxout (a layer) throws.
 */
export function evalActivation(name: string, xs: ArrayLike<number>, params: Readonly<Record<string, number>> = {}): ActivationEval {
  const def = getActivation(name);
  const p = resolveParams(def, params);
  const x = Array.from(xs);
  if (def.kind === 'layer') throw new TypeError(MAXOUT_NOT_ELEMENTWISE);
  if (def.kind === 'vector') {
    const s = new Float64Array(x.length);
    softmaxRows(s, Float64Array.from(x), 1, x.length);
    const y = Array.from(s);
    return { name: def.name, x, y, dy: y.map((v) => v * (1 - v)) };
  }
  return { name: def.name, x, y: x.map((v) => def.f(v, p)), dy: x.map((v) => def.df(v, p)) };
}
