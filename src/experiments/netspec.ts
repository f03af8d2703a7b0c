/**
 * A network described by the settings people type — sizes, hidden
 * activation, initialiser, loss — built the same way by `probe`, `train` and
 * the study, and probed into the JSON document of SPEC §6.
 */
import type { Dataset } from '../data/types.js';
import { probeNetwork, type ProbeResult } from '../diagnostics/probe.js';
import { buildMlp, outputActivationFor, type ActSpec } from '../nn/build.js';
import { getLoss, type LossName } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import type { DType } from '../tensor/dtype.js';
import { Rng } from '../tensor/rng.js';
import { fullBatch } from './source.js';

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
    dtype: spec.dtype,
    rng,
  });
}

/** Checks that a dataset fits a network's input and output widths; throws a sentence naming both. */
export function checkFit(spec: NetSpec, ds: Dataset): void {
  const I = spec.arch[0];
  const O = spec.arch[spec.arch.length - 1];
  if (I !== ds.inputSize) throw new RangeError(`--arch starts with ${I} inputs but dataset '${ds.name}' has ${ds.inputSize} features; use ${ds.inputSize}-…-${ds.classes}`);
  if (O !== ds.classes) throw new RangeError(`--arch ends with ${O} outputs but dataset '${ds.name}' has ${ds.classes} classes; use …-${ds.classes}`);
}

/** The JSON document of `gradscope probe --json` (SPEC §6). */
export interface ProbeReport extends ProbeResult {
  readonly arch: readonly number[];
  readonly activation: string;
  readonly init: string;
  readonly loss: LossName;
  readonly samples: number;
  readonly seed: number;
  readonly dataset: string;
  readonly dtype: DType;
}

/** Builds a fresh network from `seed` and probes it on all of `ds`. */
export function probeSpec(spec: NetSpec, ds: Dataset, seed: number, jacobianSamples = 8): ProbeReport {
  checkFit(spec, ds);
  const net = buildNet(spec, new Rng(seed));
  const { x, y, B } = fullBatch(ds, spec.dtype);
  const init = typeof spec.init === 'string' ? spec.init : spec.init.join(',');
  const r = probeNetwork(net, x, y, B, getLoss(spec.loss), init, { jacobianSamples });
  return {
    arch: spec.arch,
    activation: typeof spec.act === 'string' ? spec.act : spec.act.join(','),
    init,
    loss: spec.loss,
    samples: B,
    seed,
    dataset: ds.name,
    dtype: spec.dtype,
    ...r,
  };
}
