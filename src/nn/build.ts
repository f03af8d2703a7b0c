/**
 * Builds multilayer perceptrons from Nielsen-style size lists
 * ("784-30x4-10"), a hidden activation (or one per layer), an initialiser
 * and a loss, which picks the output activation (sigmoid for binary
 * cross-entropy, softmax for cross-entropy) — optionally with
 * a normalisation layer between each hidden layer's linear part and its
 * activation, and with residual blocks for the hidden layers.
 */
import { ValueError } from '../errors.js';
import { getActivation, resolveParams } from '../activations/catalogue.js';
import type { DType } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { fastKernels, networkKernels } from '../tensor/wasm/wasm-kernels.js';
import type { Rng } from '../tensor/rng.js';
import { Activation } from './activation-layer.js';
import { BatchNorm } from './batchnorm.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { getInit, initLayer, type BiasInit, type InitContext } from './init.js';
import type { Layer, LayerEnv } from './layer.js';
import { LayerNorm } from './layernorm.js';
import type { LossName } from './losses.js';
import { Maxout } from './maxout.js';
import { Network } from './network.js';
import { ResidualBlock } from './residual.js';

/** Normalisation between a hidden layer's linear part and its activation. */
export type NormKind = 'none' | 'batch' | 'layer';

/** Every normalisation kind. */
export const NORM_KINDS: readonly NormKind[] = ['none', 'batch', 'layer'];

/** An activation by name with optional parameter overrides. */
export interface ActSpec {
  readonly name: string;
  readonly params?: Readonly<Record<string, number>>;
}

/** Everything needed to build an MLP. */
export interface MlpSpec {
  /** Layer sizes, input first: [784, 30, 30, 10]. */
  readonly sizes: readonly number[];
  /** Hidden activation, or one per hidden layer. */
  readonly hidden: ActSpec | readonly ActSpec[];
  /** Output activation (see `outputActivationFor`). */
  readonly output: ActSpec;
  /** Initialiser name, or one per weight layer. */
  readonly init: string | readonly string[];
  /** Dropout probability after each hidden activation (0 = none). */
  readonly dropout?: number;
  /** Normalisation in every hidden layer, between dense and activation (default 'none'; never in the output layer). */
  readonly norm?: NormKind;
  /**
   * Every hidden layer becomes a residual block y = x + f(N(Wx + b)), with a
   * projection as the skip where the width changes (default false).
   */
  readonly residual?: boolean;
  /** Biases by the initialiser's rule (default) or zeros. */
  readonly biasInit?: BiasInit;
  readonly dtype: DType;
  readonly rng: Rng;
  readonly kernels?: Kernels;
}

/** Parses "784-30x4-10" into [784, 30, 30, 30, 30, 10]; throws a sentence naming the bad part. */
export function parseArch(arch: string): number[] {
  const sizes: number[] = [];
  for (const part of arch.split('-')) {
    const m = /^(\d+)(?:x(\d+))?$/.exec(part.trim());
    if (!m) throw new ValueError(arch, `'${part}' is not a size (N) or a repeated size (NxK)`, false, { key: 'err.arch.part', vars: { part } });
    const n = Number(m[1]);
    const k = m[2] === undefined ? 1 : Number(m[2]);
    if (n < 1 || k < 1) throw new ValueError(arch, `sizes and repeats must be ≥ 1 (in '${part}')`, false, { key: 'err.arch.ge1', vars: { part } });
    for (let i = 0; i < k; i++) sizes.push(n);
  }
  if (sizes.length < 2) throw new ValueError(arch, 'needs at least an input and an output size, e.g. 784-30-10', false, { key: 'err.arch.few' });
  if (sizes.length > 1002) throw new ValueError(arch, `at most 1000 hidden layers (it has ${sizes.length - 2})`, false, { key: 'err.arch.tooDeep', vars: { n: String(sizes.length - 2) } });
  return sizes;
}

/** The output activation a loss implies: sigmoid for BCE, softmax for CE, `outAct` (default: the hidden one) for quadratic. */
export function outputActivationFor(loss: LossName, hidden: string, outAct?: string): string {
  if (loss === 'binary_cross_entropy') return 'sigmoid';
  if (loss === 'cross_entropy') return 'softmax';
  return outAct ?? (hidden === 'maxout' ? 'linear' : hidden);
}

/** A weight layer's initialiser and where it sits (what `critical` needs). */
export interface LayerInit {
  readonly init: string;
  readonly fanIn: number;
  readonly fanOut: number;
  readonly ctx: InitContext;
}

/**
 * Each weight layer's initialiser, sizes and neighbours, input side first:
 * the activation its weights feed from (`before`, none for the input layer)
 * and the one after it.
 */
export function layerInits(spec: Pick<MlpSpec, 'sizes' | 'hidden' | 'output' | 'init'>): LayerInit[] {
  const L = spec.sizes.length - 1;
  const hiddenAt = (l: number): ActSpec => (Array.isArray(spec.hidden) ? (spec.hidden as readonly ActSpec[])[l] : (spec.hidden as ActSpec));
  return Array.from({ length: L }, (_, l) => ({
    init: typeof spec.init === 'string' ? spec.init : spec.init[l],
    fanIn: spec.sizes[l],
    fanOut: spec.sizes[l + 1],
    ctx: { layer: l + 1, before: l > 0 ? hiddenAt(l - 1) : undefined, after: l < L - 1 ? hiddenAt(l) : spec.output },
  }));
}

/** What the layer-adaptive initialisers (`critical`) chose, one line per run of layers with the same choice; [] for the others. */
export function explainInits(spec: Pick<MlpSpec, 'sizes' | 'hidden' | 'output' | 'init' | 'biasInit'>): string[] {
  const runs: { from: number; to: number; text: string }[] = [];
  for (const li of layerInits(spec)) {
    const def = getInit(li.init);
    if (!def.explain) continue;
    const text = `${def.name}: ${def.explain(li.fanIn, li.fanOut, { ...li.ctx, zeroBias: spec.biasInit === 'zeros' })}`;
    const last = runs[runs.length - 1];
    if (last && last.text === text && last.to === (li.ctx.layer ?? 0) - 1) last.to++;
    else runs.push({ from: li.ctx.layer ?? 0, to: li.ctx.layer ?? 0, text });
  }
  return runs.map((r) => `layer${r.from === r.to ? ` ${r.from}` : `s ${r.from}–${r.to}`}: ${r.text}`);
}

/**
 * Builds and initialises an MLP. Hidden `maxout` layers replace dense +
 * activation (and take no normalisation or residual block). Weights are drawn
 * layer by layer from the input side, so adding normalisation or residual
 * blocks leaves the main path's weights as in the plain network of the same seed.
 */
export function buildMlp(spec: MlpSpec): Network {
  // float32 with the wasm kernels: a memory of the network's own, so its buffers live where the kernels run
  const env: LayerEnv = { dtype: spec.dtype, kernels: spec.dtype === 'float32' ? networkKernels(spec.kernels) : spec.kernels ?? fastKernels() };
  const L = spec.sizes.length - 1;
  const hiddenAt = (l: number): ActSpec => (Array.isArray(spec.hidden) ? (spec.hidden as readonly ActSpec[])[l] : (spec.hidden as ActSpec));
  const initAt = (l: number): string => (typeof spec.init === 'string' ? spec.init : spec.init[l]);
  if (Array.isArray(spec.hidden) && spec.hidden.length !== L - 1) {
    throw new RangeError(`network: ${L - 1} hidden layers but ${spec.hidden.length} hidden activations given`);
  }
  if (typeof spec.init !== 'string' && spec.init.length !== L) {
    throw new RangeError(`network: ${L} weight layers but ${spec.init.length} initialisers given`);
  }
  const norm = spec.norm ?? 'none';
  const bias = spec.biasInit ?? 'scheme';
  const layers: Layer[] = [];
  const inits = layerInits(spec);
  const projections: { d: Dense; at: LayerInit }[] = [];
  for (let l = 0; l < L; l++) {
    const I = spec.sizes[l];
    const O = spec.sizes[l + 1];
    const hidden = l < L - 1;
    const act = hidden ? hiddenAt(l) : spec.output;
    const def = getActivation(act.name);
    const init = getInit(initAt(l));
    if (def.kind === 'layer') {
      if (!hidden) throw new RangeError('network: maxout cannot be the output activation');
      if (norm !== 'none') throw new RangeError(`network: maxout has no separate activation to put ${norm} normalisation before; use another activation or norm 'none'`);
      if (spec.residual) throw new RangeError('network: residual blocks need dense hidden layers; maxout is not supported in them');
      const pieces = resolveParams(def, act.params ?? {})[0];
      const m = new Maxout(I, O, pieces, env);
      initLayer(init, m.weight, m.bias, I, O, spec.rng, bias, inits[l].ctx);
      layers.push(m);
      if (spec.dropout && spec.dropout > 0) layers.push(new Dropout(O, spec.dropout, spec.dtype, env.kernels));
      continue;
    }
    const d = new Dense(I, O, env);
    initLayer(init, d.weight, d.bias, I, O, spec.rng, bias, inits[l].ctx);
    const unit: Layer[] = [d];
    if (hidden && norm === 'batch') unit.push(new BatchNorm(O, env));
    if (hidden && norm === 'layer') unit.push(new LayerNorm(O, env));
    unit.push(new Activation(def, O, resolveParams(def, act.params ?? {}), env));
    if (hidden && spec.dropout && spec.dropout > 0) unit.push(new Dropout(O, spec.dropout, spec.dtype, env.kernels));
    if (hidden && spec.residual) {
      // the projection's weights are drawn after every main-path layer, so the main path
      // holds the same weights as the plain network built from the same seed
      const proj = I === O ? null : new Dense(I, O, env);
      if (proj) projections.push({ d: proj, at: inits[l] });
      layers.push(new ResidualBlock(unit, proj, env));
    } else layers.push(...unit);
  }
  for (const p of projections) initLayer(getInit(p.at.init), p.d.weight, p.d.bias, p.d.inSize, p.d.outSize, spec.rng, 'zeros', p.at.ctx);
  return new Network(layers, spec.dtype, env.kernels);
}
