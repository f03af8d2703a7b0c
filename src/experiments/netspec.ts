/**
 * A network described by the settings the study's stages vary — sizes,
 * hidden activation, initialiser, loss and the architectural remedies
 * (normalisation, residual blocks, bias rule) — and built from a seed.
 */
import { buildMlp, outputActivationFor, type ActSpec, type NormKind } from '../nn/build.js';
import type { BiasInit } from '../nn/init.js';
import type { LossName } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import type { DType } from '../tensor/dtype.js';
import type { Rng } from '../tensor/rng.js';

/** What defines a feed-forward network in gradscope. */
export interface NetSpec {
  /** Layer sizes, input first. */
  readonly arch: readonly number[];
  /** Hidden activation, or one per hidden layer. */
  readonly act: string | readonly string[];
  /** Parameters of the hidden activation(s), e.g. { negative_slope: 0.2 }. */
  readonly actParams?: Readonly<Record<string, number>>;
  /** Output activation for the quadratic loss (default: the hidden one). */
  readonly outAct?: string;
  /** Initialiser, or one per weight layer. */
  readonly init: string | readonly string[];
  readonly loss: LossName;
  readonly dtype: DType;
  readonly dropout?: number;
  /** Normalisation between each hidden layer's linear part and its activation (default 'none'). */
  readonly norm?: NormKind;
  /** Hidden layers as residual blocks (default false). */
  readonly residual?: boolean;
  /** Biases by the initialiser's rule (default) or zeros. */
  readonly biasInit?: BiasInit;
}

/** Builds and initialises the network of `spec` from `rng`. */
export function buildNet(spec: NetSpec, rng: Rng): Network {
  const hidden: ActSpec | ActSpec[] = typeof spec.act === 'string' ? { name: spec.act, params: spec.actParams } : spec.act.map((name) => ({ name, params: spec.actParams }));
  const lastHidden = typeof spec.act === 'string' ? spec.act : spec.act[spec.act.length - 1] ?? 'linear';
  return buildMlp({
    sizes: spec.arch,
    hidden,
    output: { name: outputActivationFor(spec.loss, lastHidden, spec.outAct) },
    init: spec.init,
    dropout: spec.dropout,
    norm: spec.norm,
    residual: spec.residual,
    biasInit: spec.biasInit,
    dtype: spec.dtype,
    rng,
  });
}
