/**
 * Builds multilayer perceptrons from Nielsen-style size lists
 * ("784-30x4-10"), a hidden activation (or one per layer), an initialiser
 * and a loss, which picks the output activation (SPEC §6).
 */
import { getActivation, resolveParams } from '../activations/catalogue.js';
import type { DType } from '../tensor/dtype.js';
import { jsKernels, type Kernels } from '../tensor/kernels.js';
import type { Rng } from '../tensor/rng.js';
import { Activation } from './activation-layer.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { getInit } from './init.js';
import type { Layer, LayerEnv } from './layer.js';
import type { LossName } from './losses.js';
import { Maxout } from './maxout.js';
import { Network } from './network.js';

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
  readonly dtype: DType;
  readonly rng: Rng;
  readonly kernels?: Kernels;
}

/** Parses "784-30x4-10" into [784, 30, 30, 30, 30, 10]; throws a sentence naming the bad part. */
export function parseArch(arch: string): number[] {
  const sizes: number[] = [];
  for (const part of arch.split('-')) {
    const m = /^(\d+)(?:x(\d+))?$/.exec(part.trim());
    if (!m) throw new RangeError(`arch '${arch}': '${part}' is not a size (N) or a repeated size (NxK)`);
    const n = Number(m[1]);
    const k = m[2] === undefined ? 1 : Number(m[2]);
    if (n < 1 || k < 1) throw new RangeError(`arch '${arch}': sizes and repeats must be ≥ 1; got '${part}'`);
    for (let i = 0; i < k; i++) sizes.push(n);
  }
  if (sizes.length < 2) throw new RangeError(`arch '${arch}': needs at least an input and an output size, e.g. 784-30-10`);
  if (sizes.length > 1002) throw new RangeError(`arch '${arch}': at most 1000 hidden layers; got ${sizes.length - 2}`);
  return sizes;
}

/** The output activation a loss implies: sigmoid for BCE, softmax for CE, `outAct` (default: the hidden one) for quadratic. */
export function outputActivationFor(loss: LossName, hidden: string, outAct?: string): string {
  if (loss === 'binary_cross_entropy') return 'sigmoid';
  if (loss === 'cross_entropy') return 'softmax';
  return outAct ?? (hidden === 'maxout' ? 'linear' : hidden);
}

/** Builds and initialises an MLP. Hidden `maxout` layers replace dense + activation. */
export function buildMlp(spec: MlpSpec): Network {
  const env: LayerEnv = { dtype: spec.dtype, kernels: spec.kernels ?? jsKernels };
  const L = spec.sizes.length - 1;
  const hiddenAt = (l: number): ActSpec => (Array.isArray(spec.hidden) ? (spec.hidden as readonly ActSpec[])[l] : (spec.hidden as ActSpec));
  const initAt = (l: number): string => (typeof spec.init === 'string' ? spec.init : spec.init[l]);
  if (Array.isArray(spec.hidden) && spec.hidden.length !== L - 1) {
    throw new RangeError(`network: ${L - 1} hidden layers but ${spec.hidden.length} hidden activations given`);
  }
  if (typeof spec.init !== 'string' && spec.init.length !== L) {
    throw new RangeError(`network: ${L} weight layers but ${spec.init.length} initialisers given`);
  }
  const layers: Layer[] = [];
  for (let l = 0; l < L; l++) {
    const I = spec.sizes[l];
    const O = spec.sizes[l + 1];
    const act = l === L - 1 ? spec.output : hiddenAt(l);
    const def = getActivation(act.name);
    const init = getInit(initAt(l));
    if (def.kind === 'layer') {
      if (l === L - 1) throw new RangeError('network: maxout cannot be the output activation');
      const pieces = resolveParams(def, act.params ?? {})[0];
      const m = new Maxout(I, O, pieces, env);
      init.weights(m.weight, I, O, spec.rng);
      init.biases(m.bias, I, O, spec.rng);
      layers.push(m);
    } else {
      const d = new Dense(I, O, env);
      init.weights(d.weight, I, O, spec.rng);
      init.biases(d.bias, I, O, spec.rng);
      layers.push(d, new Activation(def, O, resolveParams(def, act.params ?? {}), env));
    }
    if (l < L - 1 && spec.dropout && spec.dropout > 0) layers.push(new Dropout(O, spec.dropout, spec.dtype));
  }
  return new Network(layers, spec.dtype, env.kernels);
}
