/**
 * A probe of a run, as `gradscope probe` reports it: the run's network —
 * fresh, or after its pre-training and `maxSteps` training steps on the
 * probe data — probed on the fixed probe batch (the first `probeSamples`
 * examples), with what the training did. `withoutRemedies` gives the same
 * run with every remedy setting at its default, for `--compare`: the same
 * seed, so the same main-path weights.
 */
import type { PretrainLayerResult } from '../nn/pretrain.js';
import type { NonFiniteFinding } from '../nn/nonfinite.js';
import type { Network } from '../nn/network.js';
import type { DType } from '../tensor/dtype.js';
import type { RunData } from './derive.js';
import { Run, type ProbeLayer, type StopReason } from './driver.js';
import { runSchema, type RunSpec } from './schema.js';
import { SETTINGS } from './settings.js';
import type { Verdict } from '../diagnostics/verdict.js';
import type { LossName } from '../nn/losses.js';
import type { NormKind } from '../nn/build.js';

/** How the training before a probe went. */
export interface ProbeTraining {
  readonly steps: number;
  readonly stopReason: StopReason;
  /** Loss of the first and of the last training batch. */
  readonly firstLoss: number;
  readonly lastLoss: number;
  /** Steps on which clipping changed the gradient (by norm, by value). */
  readonly clipEvents: number;
  readonly clipNormEvents: number;
  readonly clipValueEvents: number;
  /** Weight rows the max-norm constraint rescaled, over all steps. */
  readonly maxNormRows: number;
  readonly nonFinite: NonFiniteFinding | null;
}

/** The JSON document of `gradscope probe --json`. */
export interface ProbeReport {
  readonly arch: readonly number[];
  readonly activation: string;
  readonly init: string;
  readonly loss: LossName;
  /** Examples in the probe batch. */
  readonly samples: number;
  readonly seed: number;
  readonly dataset: string;
  readonly dtype: DType;
  readonly norm: NormKind;
  readonly residual: boolean;
  /** Loss of the probe batch at the probed weights. */
  readonly lossValue: number;
  readonly layers: readonly ProbeLayer[];
  readonly firstToLast: number | null;
  readonly verdict: Verdict;
  /** Per hidden layer, when the network was pre-trained before the probe. */
  readonly pretrain?: readonly PretrainLayerResult[];
  /** When it was trained before the probe. */
  readonly training?: ProbeTraining;
}

/** The names of a list setting as text: `relu` or `relu,tanh`. */
function names(v: string | readonly string[]): string {
  return typeof v === 'string' ? v : v.join(',');
}

/**
 * Probes the run of `spec` on `data` (its training set is the probe data):
 * pre-trains and trains `maxSteps` steps first when the spec says so, then
 * probes. `net` starts from given weights instead of the spec's.
 */
export function probeRun(spec: RunSpec, data: RunData, net?: Network): ProbeReport {
  const steps = spec.maxSteps ?? 0;
  // no probes on the way and no accuracies: only the final probe is reported
  const s: RunSpec = { ...spec, maxSteps: Math.max(steps, 1), epochs: null, probeEvery: Math.max(steps, 1), testAccuracy: false, stepsEvery: 0 };
  const run = new Run(s, { train: data.train, test: null }, net ? { net } : {});
  const first = run.start();
  if (steps > 0) while (!run.finished) run.advance(steps);
  const out = steps > 0 ? run.finish() : null;
  const p = out ? out.atEnd : first;
  return {
    arch: spec.arch,
    activation: names(spec.activation),
    init: names(spec.init),
    loss: spec.loss,
    samples: Math.min(spec.probeSamples, data.train.n),
    seed: spec.seed,
    dataset: data.train.name,
    dtype: spec.dtype,
    norm: spec.norm,
    residual: spec.residual,
    lossValue: p.loss,
    layers: p.layers,
    firstToLast: p.firstToLast,
    verdict: p.verdict,
    ...(run.pretrainResult ? { pretrain: run.pretrainResult } : {}),
    ...(out
      ? {
          training: {
            steps: out.steps,
            stopReason: out.stopReason,
            firstLoss: run.firstLoss,
            lastLoss: out.finalLoss,
            clipEvents: out.clipEvents,
            clipNormEvents: out.clipNormEvents,
            clipValueEvents: out.clipValueEvents,
            maxNormRows: out.maxNormRows,
            nonFinite: out.nonFinite,
          },
        }
      : {}),
  };
}

/** The settings that are remedies (the settings table's 'remedies' group). */
export const REMEDY_SETTINGS: readonly string[] = SETTINGS.filter((s) => s.group === 'remedies').map((s) => s.name);

/** The same run with every remedy setting at its default (no normalisation, residual blocks, clipping, …). */
export function withoutRemedies(spec: RunSpec): RunSpec {
  const defaults = runSchema.parse({}) as Record<string, unknown>;
  const plain: Record<string, unknown> = { ...spec };
  for (const k of REMEDY_SETTINGS) plain[k] = defaults[k];
  return plain as RunSpec;
}

/** True when `spec` uses some remedy (a setting of the remedies group away from its default). */
export function hasRemedy(spec: RunSpec): boolean {
  const defaults = runSchema.parse({}) as Record<string, unknown>;
  return REMEDY_SETTINGS.some((k) => JSON.stringify((spec as Record<string, unknown>)[k]) !== JSON.stringify(defaults[k]));
}
