/**
 * The run driver: one training run of a RunSpec, driven in chunks of any
 * size with the same results. It builds the network, optimiser and batch
 * source from the spec (every random stream derived from the seed in one
 * fixed way), takes steps with the engine's `train()`, probes on a fixed
 * probe batch at the
 * spec's cadence, stops at the first non-finite value (naming step, layer
 * and what held it), and hands every record to a sink. Pure: no files, no
 * timers — `gradscope train` writes the records to a run directory, the web
 * lab posts them to the page, the study and sweeps keep them in memory.
 *
 * Step numbers count updates: a probe of step s describes the weights after
 * s updates (s = 0: at initialisation); a step record of step k describes
 * the gradient at those weights on training batch k, before update k + 1.
 */
import { takeFirst } from '../data/batch.js';
import type { Dataset } from '../data/types.js';
import { updateRatios, type LayerDiagnostics } from '../diagnostics/layer-stats.js';
import { probeNetwork } from '../diagnostics/probe.js';
import type { Verdict } from '../diagnostics/verdict.js';
import { globalGradNorm } from '../nn/clip.js';
import { getLoss, type LossDef } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import { findNonFinite, nonFiniteFinding, type NonFiniteFinding } from '../nn/nonfinite.js';
import { msg } from '../i18n/catalogue.js';
import type { Optimizer } from '../nn/optim.js';
import { pretrainGreedy, type PretrainLayerResult } from '../nn/pretrain.js';
import { train, type StepInfo, type StopReason } from '../nn/train.js';
import type { Buf } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { allFinite, norm2 } from '../tensor/reduce.js';
import { Rng } from '../tensor/rng.js';
import { learningRateAt, networkOf, optimizerOf, probeCadence, stepBudget, stepsCadence, TRAIN_ACCURACY_SAMPLES, type RunData } from './derive.js';
import { evaluate } from './evaluate.js';
import type { RunSpec } from './schema.js';
import { EpochSource, fullBatch } from './source.js';

export type { StopReason };

/** One training step's cheap numbers (the training batch's gradient, before the update). */
export interface StepRecord {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  readonly lr: number;
  readonly clipped: boolean;
  /** Components clamped by clipping by value (0 when it is off). */
  readonly clippedValues: number;
  /** ‖∂C/∂bˡ‖ per weight layer after clipping (a norm layer's β when there is one); valid during the call only. */
  readonly biasGradNorms: Float64Array;
}

/** One layer at a probe: the diagnostics and the last update's ratio ‖ΔW‖/‖W‖. */
export interface ProbeLayer extends LayerDiagnostics {
  readonly updateRatio: number;
}

/** A probe of the weights after `step` updates, on the fixed probe batch. */
export interface ProbeRecord {
  readonly step: number;
  readonly epoch: number;
  /** Loss of the probe batch. */
  readonly loss: number;
  /** Global gradient norm on the probe batch. */
  readonly gradNorm: number;
  /** Loss of the last training batch (null before the first step). */
  readonly trainLoss: number | null;
  readonly lr: number;
  /** Whether the last step clipped, and how many steps clipped so far. */
  readonly clipped: boolean;
  readonly clipEvents: number;
  readonly maxNormRows: number;
  readonly layers: readonly ProbeLayer[];
  readonly firstToLast: number | null;
  readonly verdict: Verdict;
  /** On the test set, and on the first training examples; null when not measured or the weights are not finite. */
  readonly testAccuracy: number | null;
  readonly trainAccuracy: number | null;
}

/** Where a run's records go. */
export interface RunSink {
  step?(r: StepRecord): void;
  probe?(r: ProbeRecord): void;
}

/** How a run ended (or stands). */
export interface RunOutcome {
  readonly steps: number;
  readonly totalSteps: number;
  readonly epochs: number;
  readonly stopReason: StopReason;
  /** Loss of the last training batch whose loss was finite. */
  readonly finalLoss: number;
  readonly nonFinite: NonFiniteFinding | null;
  readonly clipEvents: number;
  readonly clipNormEvents: number;
  readonly clipValueEvents: number;
  readonly maxNormRows: number;
  readonly pretrain: readonly PretrainLayerResult[] | null;
  readonly atInit: ProbeRecord;
  readonly atEnd: ProbeRecord;
  /** On the whole training and test sets at the end; null when the weights are not finite. */
  readonly trainAccuracy: number | null;
  readonly testAccuracy: number | null;
}

/** Options of a run. */
export interface RunOptions {
  readonly sink?: RunSink;
  /** Start from this network (already initialised, e.g. loaded from a model file) instead of building one. */
  readonly net?: Network;
  readonly kernels?: Kernels;
}

/** A run of a RunSpec on its data. */
export class Run {
  readonly net: Network;
  readonly optimizer: Optimizer;
  readonly loss: LossDef;
  readonly batchSize: number;
  readonly perEpoch: number;
  readonly totalSteps: number;
  readonly probeEvery: number;
  readonly stepsEvery: number;
  private readonly sink: RunSink;
  private readonly source: EpochSource;
  private readonly passRng: Rng;
  private readonly pretrainRng: Rng;
  private readonly probeBatch: { readonly x: Buf; readonly y: Buf; readonly B: number };
  private readonly trainSample: Dataset;
  private readonly biasNorms: Float64Array;
  private done = 0;
  private ended: StopReason | null = null;
  private finding: NonFiniteFinding | null = null;
  private finalLoss = NaN;
  private initialLoss = NaN;
  private lastInfo: StepInfo | null = null;
  private clip = { all: 0, norm: 0, value: 0 };
  private pretrained: PretrainLayerResult[] | null = null;
  private first: ProbeRecord | null = null;
  private latest: ProbeRecord | null = null;

  /** Builds the run; nothing is trained until `start` and `advance`. */
  constructor(readonly spec: RunSpec, readonly data: RunData, o: RunOptions = {}) {
    const ds = data.train;
    if (ds.n === 0) throw new RangeError('Run: the training set is empty');
    // independent streams: the weights are drawn from the seed itself (so `probe`, `train`, the
    // study and the web lab give a seed the same initial weights); data order, training-mode
    // draws and pre-training are forked from a second generator of the seed, in this order
    const netRng = new Rng(spec.seed);
    const master = new Rng(spec.seed);
    master.fork(); // the weights' slot in the fork order
    const orderRng = master.fork();
    this.passRng = master.fork();
    this.pretrainRng = master.fork();
    this.net = o.net ?? networkOf(spec, netRng, o.kernels);
    if (this.net.inputSize !== ds.inputSize || this.net.outputSize !== ds.classes) {
      throw new RangeError(`Run: the network maps ${this.net.inputSize} inputs to ${this.net.outputSize} outputs but the data has ${ds.inputSize} features and ${ds.classes} classes`);
    }
    this.loss = getLoss(spec.loss);
    this.optimizer = optimizerOf(spec, this.net.params(), ds.n);
    const budget = stepBudget(spec, ds.n);
    this.batchSize = budget.batchSize;
    this.perEpoch = budget.perEpoch;
    this.totalSteps = budget.total;
    this.probeEvery = probeCadence(spec, this.net, data, this.totalSteps);
    this.stepsEvery = stepsCadence(spec, this.totalSteps);
    this.sink = o.sink ?? {};
    this.source = new EpochSource(ds, this.batchSize, orderRng);
    this.probeBatch = fullBatch(takeFirst(ds, Math.min(spec.probeSamples, ds.n)), spec.dtype);
    this.trainSample = takeFirst(ds, Math.min(TRAIN_ACCURACY_SAMPLES, ds.n));
    this.biasNorms = new Float64Array(this.net.weightLayers.length);
  }

  /** Updates applied so far. */
  get step(): number {
    return this.done;
  }

  /** True when no more steps will be taken: the budget is spent or a stopping rule fired. */
  get finished(): boolean {
    return this.ended !== null || this.done >= this.totalSteps;
  }

  /** The first non-finite value, once the run has stopped on one. */
  get nonFinite(): NonFiniteFinding | null {
    return this.finding;
  }

  /** Loss of the last training batch whose loss was finite (NaN before the first step). */
  get lastLoss(): number {
    return this.finalLoss;
  }

  /** Loss of the first training batch (NaN before the first step). */
  get firstLoss(): number {
    return this.initialLoss;
  }

  /** What greedy pre-training did to each hidden layer (null without pre-training, or before `start`). */
  get pretrainResult(): readonly PretrainLayerResult[] | null {
    return this.pretrained;
  }

  /** The latest probe (null before `start`). */
  get lastProbe(): ProbeRecord | null {
    return this.latest;
  }

  /** Pre-trains (when the spec says so) and probes the initial weights; returns that probe. Later calls return it again. */
  start(shouldStop?: () => boolean): ProbeRecord {
    if (this.first) return this.first;
    const s = this.spec;
    if (s.pretrain) {
      const { x } = fullBatch(this.data.train, s.dtype);
      this.pretrained = pretrainGreedy(this.net, x, this.data.train.n, { steps: s.pretrainSteps, lr: s.pretrainLr, batchSize: s.pretrainBatchSize, optimizer: s.pretrainOptimizer, rng: this.pretrainRng, shouldStop });
    }
    this.first = this.probe();
    return this.first;
  }

  /** The learning rate of step `k`. */
  lrAt(k: number): number {
    return learningRateAt(this.spec, k, this.totalSteps);
  }

  /**
   * Takes up to `count` steps (fewer at the budget or a stopping rule),
   * probing at the cadence; `shouldStop` is asked before every step and
   * ends the run as 'stopped'; `pause`, asked likewise, only ends this call
   * (a chunk driver's pause: the next call goes on). Returns the number of
   * steps taken.
   */
  advance(count: number, shouldStop?: () => boolean, pause?: () => boolean): number {
    this.start(shouldStop);
    const n = Math.max(0, Math.min(count, this.totalSteps - this.done));
    if (n === 0 || this.ended !== null) return 0;
    const s = this.spec;
    const base = this.done;
    const L = this.biasNorms.length;
    const optimizer = this.optimizer;
    let paused = false;
    const r = train(this.net, this.source, {
      loss: this.loss,
      optimizer,
      lr: (k) => this.lrAt(base + k),
      batchSize: this.batchSize,
      maxSteps: n,
      ...(s.gradTol !== null ? { gradTol: s.gradTol } : {}),
      ...(s.targetLoss !== null ? { targetLoss: s.targetLoss } : {}),
      ...(s.clipNorm !== null ? { clipNorm: s.clipNorm } : {}),
      ...(s.clipValue !== null ? { clipValue: s.clipValue } : {}),
      shuffle: false,
      rng: this.passRng,
      ...(shouldStop || pause
        ? {
            shouldStop: () => {
              if (shouldStop?.()) return true;
              paused = pause?.() ?? false;
              return paused;
            },
          }
        : {}),
      afterBackward: (info) => {
        const k = base + info.step;
        this.finalLoss = info.loss;
        if (k === 0) this.initialLoss = info.loss;
        if (info.clipped) this.clip.all++;
        if (this.sink.step && this.stepsEvery > 0 && k % this.stepsEvery === 0) {
          for (let l = 0; l < L; l++) this.biasNorms[l] = norm2(this.net.biasGradOf(l));
          this.sink.step({ step: k, epoch: Math.floor(k / this.perEpoch), loss: info.loss, gradNorm: info.gradNorm, lr: this.lrAt(k), clipped: info.clipped, clippedValues: info.clippedValues ?? 0, biasGradNorms: this.biasNorms });
        }
      },
      afterUpdate: (info) => {
        this.lastInfo = info;
        // an update that made a weight non-finite shows in ‖Δθ‖²: stop here, train() then reports the weight
        for (let i = 0; i < optimizer.lastUpdateSq.length; i++) if (!Number.isFinite(optimizer.lastUpdateSq[i])) return false;
        this.done = base + info.step + 1;
        if (this.done % this.probeEvery === 0 && this.done < this.totalSteps) this.probe();
        return true;
      },
    });
    this.done = base + r.steps;
    this.clip.norm += r.clipNormEvents ?? 0;
    this.clip.value += r.clipValueEvents ?? 0;
    if (r.stopReason === 'non_finite') {
      // the network still holds the failing pass: locate it with the run's step number
      this.finding = findNonFinite(this.net, r.lastLoss, this.batchSize, this.done) ?? nonFiniteFinding(this.done, 0, 'gradient', msg('nf.anyGradient', { step: this.done }));
      this.ended = 'non_finite';
      // the step that blew up gets its record too: the loss or gradient norm that overflowed
      if (this.finding.quantity !== 'weight' && this.sink.step && this.stepsEvery > 0) {
        for (let l = 0; l < L; l++) this.biasNorms[l] = norm2(this.net.biasGradOf(l));
        this.sink.step({ step: this.done, epoch: Math.floor(this.done / this.perEpoch), loss: r.lastLoss, gradNorm: r.lastGradNorm, lr: this.lrAt(this.done), clipped: false, clippedValues: 0, biasGradNorms: this.biasNorms });
      }
    } else if (r.stopReason !== 'max_steps' && !(r.stopReason === 'stopped' && paused)) this.ended = r.stopReason;
    return r.steps;
  }

  /** Probes the current weights on the fixed probe batch, hands the record to the sink and returns it. */
  probe(): ProbeRecord {
    const s = this.spec;
    const pb = this.probeBatch;
    const step = this.done;
    const ratios = step > 0 ? updateRatios(this.net, this.optimizer.lastUpdateSq) : this.net.weightLayers.map(() => NaN);
    const init = typeof s.init === 'string' ? s.init : s.init.join(',');
    const r = probeNetwork(this.net, pb.x, pb.y, pb.B, this.loss, init, { jacobianSamples: s.jacobianSamples, step, nonFinite: this.finding });
    const finite = this.finding === null && r.layers.every((l) => Number.isFinite(l.biasGradNorm));
    const measure = s.testAccuracy && finite;
    const rec: ProbeRecord = {
      step,
      epoch: Math.floor(step / this.perEpoch),
      loss: r.lossValue,
      gradNorm: globalGradNorm(this.net.params()),
      trainLoss: this.lastInfo ? this.lastInfo.loss : null,
      lr: this.lrAt(step),
      clipped: this.lastInfo ? this.lastInfo.clipped : false,
      clipEvents: this.clip.all,
      maxNormRows: this.optimizer.maxNormRows,
      layers: r.layers.map((l, i) => ({ ...l, updateRatio: ratios[i] })),
      firstToLast: r.firstToLast,
      verdict: r.verdict,
      testAccuracy: measure && this.data.test ? evaluate(this.net, this.data.test, this.loss).accuracy : null,
      trainAccuracy: measure ? evaluate(this.net, this.trainSample, this.loss).accuracy : null,
    };
    this.latest = rec;
    this.sink.probe?.(rec);
    return rec;
  }

  /**
   * Ends the run: a probe of the final weights (unless the latest probe is of
   * them) and the outcome. `trainAccuracy: false` skips the pass over the
   * whole training set (its accuracy is then null) for callers that report
   * only the test accuracy.
   */
  finish(o: { readonly trainAccuracy?: boolean } = {}): RunOutcome {
    const atInit = this.start();
    const atEnd = this.latest !== null && this.latest.step === this.done && this.latest !== atInit ? this.latest : this.done === 0 ? atInit : this.probe();
    const finite = this.finding === null && this.net.params().every((p) => allFinite(p.value));
    const whole = (d: Dataset | null): number | null => (finite && d ? evaluate(this.net, d, this.loss).accuracy : null);
    return {
      steps: this.done,
      totalSteps: this.totalSteps,
      epochs: this.done / this.perEpoch,
      stopReason: this.ended ?? (this.done >= this.totalSteps ? 'max_steps' : 'stopped'),
      finalLoss: this.finalLoss,
      nonFinite: this.finding,
      clipEvents: this.clip.all,
      clipNormEvents: this.clip.norm,
      clipValueEvents: this.clip.value,
      maxNormRows: this.optimizer.maxNormRows,
      pretrain: this.pretrained,
      atInit,
      atEnd,
      trainAccuracy: o.trainAccuracy === false ? null : whole(this.data.train),
      testAccuracy: whole(this.data.test),
    };
  }
}
