/**
 * `gradscope/tfjs`: a live gradient monitor for TensorFlow.js training.
 * `gradscopeMonitor({ tf, model, probe: { x, y }, runDir })` is a callback for
 * `model.fit` that every N batches (and before the first and after the last)
 * runs one extra forward and backward pass on a fixed probe batch
 * (tf.variableGrads) and records gradscope's per-layer gradient norms, dead
 * and saturated fractions and the verdict in a gradscope run directory —
 * metrics.jsonl, steps.jsonl, config.json, summary.json — which `gradscope
 * report RUN_DIR` renders and `gradscope export RUN_DIR --to tensorboard`
 * converts. Cost: one forward + backward pass over the probe batch (plus one
 * forward pass for the pre-activations) every N batches; the run records the
 * time it took against the training's.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { jsonSafe, makeDirs, writeFileAtomic } from '../../experiments/files.js';
import type { NonFiniteFinding } from '../../nn/nonfinite.js';
import { RUN_FORMAT } from '../run-dir.js';
import { TfProber, type Tf, type TfLoss, type TfProbe } from './probe.js';

export { TfProber, type Tf, type TfLoss, type TfProbe };

/** Options of the monitor. */
export interface MonitorOptions {
  /** The tfjs namespace you train with (import * as tf from '@tensorflow/tfjs'). */
  readonly tf: Tf;
  readonly model: tfjs.LayersModel;
  /** The fixed probe batch: inputs and targets (a few hundred examples). */
  readonly probe: { readonly x: tfjs.Tensor; readonly y: tfjs.Tensor };
  /** The directory to write the run into (created; existing run files are replaced). */
  readonly runDir: string;
  /** Probe every N training batches (default 50). */
  readonly every?: number;
  /**
   * The loss the probe differentiates: 'categoricalCrossentropy' (the model
   * ends in softmax), 'binaryCrossentropy', 'meanSquaredError', or a function
   * (yTrue, yPred) → scalar. Default: the model's compiled loss when it is
   * one of those names.
   */
  readonly loss?: 'categoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError' | TfLoss;
  /** A title for the run's report. */
  readonly title?: string;
}

/** The callbacks `model.fit` takes (tf.CustomCallbackArgs). */
export interface MonitorCallbacks {
  onTrainBegin(logs?: tfjs.Logs): Promise<void>;
  onEpochEnd(epoch: number, logs?: tfjs.Logs): Promise<void>;
  onBatchEnd(batch: number, logs?: tfjs.Logs): Promise<void>;
  onTrainEnd(logs?: tfjs.Logs): Promise<void>;
}

/** The loss function of `o.loss` (or of the model's compiled loss). */
function lossOf(tf: Tf, model: tfjs.LayersModel, loss: MonitorOptions['loss']): TfLoss {
  const name = loss ?? (typeof model.loss === 'string' ? model.loss : undefined);
  if (typeof name === 'function') return name;
  const mean = (t: tfjs.Tensor): tfjs.Scalar => tf.mean(t) as tfjs.Scalar;
  switch (name) {
    case 'categoricalCrossentropy':
      return (y, p) => mean(tf.metrics.categoricalCrossentropy(y, p));
    case 'binaryCrossentropy':
      return (y, p) => mean(tf.metrics.binaryCrossentropy(y, p));
    case 'meanSquaredError':
      return (y, p) => mean(tf.metrics.meanSquaredError(y, p));
    default:
      throw new RangeError(`gradscope monitor: option 'loss' must be 'categoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError' or a function; the model's compiled loss is ${JSON.stringify(model.loss)}`);
  }
}

/** A gradscope run directory written while a tfjs model trains. */
export function gradscopeMonitor(o: MonitorOptions): MonitorCallbacks {
  const every = o.every ?? 50;
  if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`gradscope monitor: option 'every' must be an integer ≥ 1; got ${every}`);
  const { tf, model, runDir } = o;
  const loss = lossOf(tf, model, o.loss);
  const prober = new TfProber(tf, model, o.probe.x, o.probe.y, loss);
  const metrics = join(runDir, 'metrics.jsonl');
  const steps = join(runDir, 'steps.jsonl');
  const line = (file: string, doc: unknown): void => appendFileSync(file, `${JSON.stringify(doc, jsonSafe)}\n`);
  let step = 0;
  let epoch = 0;
  let t0 = 0;
  let probeMs = 0;
  let probes = 0;
  let lastLoss: number | null = null;
  let lastAcc: number | null = null;
  let nonFinite: NonFiniteFinding | null = null;
  let last: TfProbe | null = null;
  let lastProbed = -1;
  const run = (): void => {
    const t = performance.now();
    let p!: TfProbe;
    tf.tidy(() => {
      p = prober.probe(step); // every tensor of the probe is freed here
    });
    probeMs += performance.now() - t;
    probes++;
    last = p;
    lastProbed = step;
    if (p.nonFinite && !nonFinite) nonFinite = p.nonFinite;
    line(metrics, {
      step,
      epoch,
      loss: p.loss,
      trainLoss: lastLoss,
      trainAccuracy: lastAcc,
      gradNorm: p.gradNorm,
      layers: p.layers.map((l) => ({ index: l.index, name: l.name, className: l.className, units: l.units, activation: l.activation, biasGradNorm: l.biasGradNorm, weightGradNorm: l.weightGradNorm, meanAbsDerivative: l.meanAbsDerivative, saturatedFraction: l.saturatedFraction, deadFraction: l.deadFraction, activationMean: l.activationMean, activationStd: l.activationStd })),
      firstToLast: p.firstToLast,
      verdict: { kind: p.verdict.kind, cause: p.verdict.cause },
      seconds: (performance.now() - t0) / 1000,
    });
  };
  const summary = (done: boolean): void => {
    const wall = (performance.now() - t0) / 1000;
    const trainMs = wall * 1000 - probeMs;
    writeFileAtomic(
      join(runDir, 'summary.json'),
      `${JSON.stringify(
        {
          format: RUN_FORMAT,
          source: 'TensorFlow.js monitor (gradscope/tfjs)',
          title: o.title ?? 'TensorFlow.js training run',
          steps: step,
          epochs: epoch,
          stopReason: done ? (nonFinite ? 'non_finite' : 'finished') : 'running',
          nonFinite,
          trainAccuracy: lastAcc,
          finalVerdict: last ? (last as TfProbe).verdict : null,
          wallSeconds: wall,
          monitor: {
            every,
            probeSamples: o.probe.x.shape[0],
            probes,
            probeSeconds: probeMs / 1000,
            trainSeconds: trainMs / 1000,
            overhead: trainMs > 0 ? probeMs / trainMs : null,
            costNote: `The monitor ran ${probes} probes (one forward and backward pass over ${o.probe.x.shape[0]} probe examples each, every ${every} batches): ${(probeMs / 1000).toFixed(2)} s, ${trainMs > 0 ? ((100 * probeMs) / trainMs).toFixed(1) : '—'} % of the ${(trainMs / 1000).toFixed(2)} s of training.`,
          },
        },
        jsonSafe,
        2,
      )}\n`,
    );
  };
  return {
    async onTrainBegin() {
      makeDirs(runDir);
      for (const f of [metrics, steps]) writeFileSync(f, '');
      writeFileAtomic(join(runDir, 'config.json'), `${JSON.stringify({ source: 'TensorFlow.js monitor (gradscope/tfjs)', every, probeSamples: o.probe.x.shape[0], layers: prober.layerNames, model: model.name }, null, 2)}\n`);
      t0 = performance.now();
      run();
    },
    async onBatchEnd(_batch, logs) {
      step++;
      lastLoss = typeof logs?.loss === 'number' ? logs.loss : null;
      const acc = logs?.acc ?? logs?.accuracy;
      lastAcc = typeof acc === 'number' ? acc : lastAcc;
      line(steps, { step, epoch, loss: lastLoss });
      if (step % every === 0) run();
    },
    async onEpochEnd(e) {
      epoch = e + 1;
      summary(false);
    },
    async onTrainEnd() {
      if (lastProbed !== step) run();
      summary(true);
    },
  };
}
