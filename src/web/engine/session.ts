/**
 * A training session the worker drives step-wise: the network, optimiser and
 * data of a run plan, trained by the engine's `train()` in chunks of any size
 * with the same results (the batch order lives in an epoch source that
 * survives between chunks, the random streams are forked from the seed as
 * `gradscope train` does). Records per-step statistics and, every
 * `probeEvery` steps, a probe with the verdict. Pure: no DOM, no timers.
 */
import { fillBatch, splitTrainTest, takeFirst } from '../../data/batch.js';
import { digitsFromRaw } from '../../data/digits.js';
import { SYNTHETIC } from '../../data/synthetic.js';
import type { Dataset } from '../../data/types.js';
import { netShapeOf, probeNetwork, type ProbeResult } from '../../diagnostics/probe.js';
import { verdictOf, type Verdict } from '../../diagnostics/verdict.js';
import { evaluate } from '../../experiments/evaluate.js';
import { EpochSource, fullBatch } from '../../experiments/source.js';
import { buildMlp } from '../../nn/build.js';
import { getLoss, type LossDef } from '../../nn/losses.js';
import type { Network } from '../../nn/network.js';
import { findNonFinite, type NonFiniteFinding } from '../../nn/nonfinite.js';
import { Optimizer } from '../../nn/optim.js';
import { train, type BatchSource } from '../../nn/train.js';
import type { Buf } from '../../tensor/dtype.js';
import { norm2 } from '../../tensor/reduce.js';
import { Rng } from '../../tensor/rng.js';
import type { RunPlan } from './plan.js';

/** Statistics of a chunk of consecutive steps, as flat arrays (cheap to post to the page). */
export interface StepRecords {
  /** Step index of the first record (0 = the gradient at the initial weights). */
  readonly start: number;
  readonly count: number;
  /** Weight layers L (columns of `biasGrad`). */
  readonly layers: number;
  /** Batch-mean loss of each step. */
  readonly loss: Float64Array;
  /** Global gradient norm before clipping. */
  readonly gradNorm: Float64Array;
  /** 1 when the step clipped. */
  readonly clipped: Uint8Array;
  /** ‖∂C/∂bˡ‖ of the training batch (a normalisation layer's shift β when there is one), count × L row-major, after clipping as `gradscope train` records it. */
  readonly biasGrad: Float64Array;
}

/** One layer of a probe, as the page shows it. */
export interface LayerStat {
  readonly index: number;
  readonly units: number;
  readonly activation: string;
  readonly biasGradNorm: number;
  readonly weightGradNorm: number;
  readonly meanAbsDerivative: number;
  readonly saturatedFraction: number;
  readonly deadFraction: number;
  /** Mean cosine similarity of the pre-activations of different probe examples (see layerDiagnostics). */
  readonly inputCorrelation: number;
  readonly activationMean: number;
  readonly activationStd: number;
  readonly jacobianMaxSingular: number | null;
}

/** A probe of the current weights on a fixed probe batch, with accuracies and the verdict. */
export interface ProbeSnapshot {
  /** Updates applied before the probe. */
  readonly step: number;
  readonly loss: number;
  readonly layers: readonly LayerStat[];
  readonly firstToLast: number | null;
  readonly verdict: Verdict;
  readonly trainAccuracy: number | null;
  readonly testAccuracy: number | null;
}

/** Predicted class and its probability on a res × res grid over the 2-D data's extent. */
export interface BoundaryGrid {
  readonly res: number;
  /** [xmin, xmax, ymin, ymax] of the grid. */
  readonly extent: readonly [number, number, number, number];
  /** Row-major res × res, row 0 at ymin. */
  readonly cls: Uint8Array;
  readonly conf: Float32Array;
}

/** Train and test halves of a plan's data. */
export interface PlanData {
  readonly train: Dataset;
  readonly test: Dataset;
}

/** The plan's data: a 2-D set drawn from the seed, or the digits from their raw arrays; split as `gradscope train` does. */
export function planData(plan: RunPlan, digitsRaw?: readonly ArrayLike<number>[]): PlanData {
  const d = plan.data;
  let whole: Dataset;
  if (d.name === 'digits') {
    if (!digitsRaw) throw new RangeError('planData: the digits are not loaded');
    const all = digitsFromRaw(digitsRaw);
    whole = d.samples < all.n ? takeFirst(all, d.samples) : all;
  } else {
    whole = SYNTHETIC[d.name].generate({ n: d.samples, seed: plan.seed });
  }
  return splitTrainTest(whole, d.testFraction, plan.seed);
}

/** Examples in the fixed probe batch. */
export const PROBE_SAMPLES = 256;

/** A network in training. */
export class Session {
  readonly net: Network;
  readonly L: number;
  readonly probeEvery: number;
  private readonly lossDef: LossDef;
  private readonly optimizer: Optimizer;
  private readonly source: EpochSource;
  private readonly passRng: Rng;
  private readonly probeBatch: { x: Buf; y: Buf; B: number };
  private readonly B: number;
  /** Up to 1,000 training examples for the training accuracy. */
  private readonly trainSample: Dataset;
  private done = 0;
  private finding: NonFiniteFinding | null = null;

  /** Builds the network and optimiser of `plan` over `data` (random streams forked from the seed as in `gradscope train`). */
  constructor(readonly plan: RunPlan, readonly data: PlanData) {
    const master = new Rng(plan.seed);
    const netRng = master.fork();
    const orderRng = master.fork();
    this.passRng = master.fork();
    this.net = buildMlp({ ...plan.mlp, rng: netRng });
    this.L = this.net.weightLayers.length;
    this.lossDef = getLoss(plan.loss);
    this.optimizer = new Optimizer(this.net.params(), { ...plan.optimizer, n: data.train.n });
    this.B = Math.min(plan.batchSize, data.train.n);
    this.source = new EpochSource(data.train, this.B, orderRng);
    this.trainSample = takeFirst(data.train, Math.min(1000, data.train.n));
    this.probeBatch = fullBatch(takeFirst(data.train, Math.min(PROBE_SAMPLES, data.train.n)), plan.mlp.dtype);
    // a probe costs about (3 · probe batch + test set) / (3 · B) steps; keep it below a third of the time
    const probeCost = (3 * this.probeBatch.B + data.test.n) / (3 * this.B);
    this.probeEvery = Math.max(5, Math.ceil(2 * probeCost));
  }

  /** Updates applied so far. */
  get step(): number {
    return this.done;
  }

  /** The first non-finite value, once training has stopped on one. */
  get nonFinite(): NonFiniteFinding | null {
    return this.finding;
  }

  /** True when no more steps will be taken (step budget spent or a non-finite value). */
  get finished(): boolean {
    return this.finding !== null || this.done >= this.plan.maxSteps;
  }

  /**
   * Takes up to `count` steps (fewer at the step budget or a non-finite
   * value) and returns their statistics; `stop` is asked before every step.
   */
  run(count: number, stop?: () => boolean): StepRecords {
    const n = Math.max(0, Math.min(count, this.plan.maxSteps - this.done));
    const L = this.L;
    const loss = new Float64Array(n);
    const gradNorm = new Float64Array(n);
    const clipped = new Uint8Array(n);
    const biasGrad = new Float64Array(n * L);
    const start = this.done;
    if (n === 0 || this.finding) return { start, count: 0, layers: L, loss, gradNorm, clipped, biasGrad };
    const optimizer = this.optimizer;
    let recorded = 0;
    const r = train(this.net, this.source, {
      loss: this.lossDef,
      optimizer,
      lr: this.plan.lr,
      batchSize: this.B,
      maxSteps: n,
      clipNorm: this.plan.clipNorm ?? undefined,
      clipValue: this.plan.clipValue ?? undefined,
      shuffle: false,
      rng: this.passRng,
      shouldStop: stop,
      afterBackward: (info) => {
        const k = info.step;
        loss[k] = info.loss;
        gradNorm[k] = info.gradNorm;
        clipped[k] = info.clipped ? 1 : 0;
        for (let l = 0; l < L; l++) biasGrad[k * L + l] = norm2(this.net.biasGradOf(l));
        recorded = k + 1;
      },
      // an update that made a weight non-finite shows in ‖Δθ‖²: stop there, train() then names the weight
      afterUpdate: () => {
        for (let i = 0; i < optimizer.lastUpdateSq.length; i++) if (!Number.isFinite(optimizer.lastUpdateSq[i])) return false;
        return true;
      },
    });
    if (r.stopReason === 'non_finite') {
      // the failing step still gets its record: the loss or gradient norm that blew up
      if (r.nonFinite && r.nonFinite.quantity !== 'weight' && recorded === r.steps && r.steps < n) {
        loss[recorded] = r.lastLoss;
        gradNorm[recorded] = r.lastGradNorm;
        for (let l = 0; l < L; l++) biasGrad[recorded * L + l] = norm2(this.net.biasGradOf(l));
        recorded++;
      }
      const at = start + r.steps;
      const f = findNonFinite(this.net, r.lastLoss, this.B, at) ?? r.nonFinite;
      this.finding = f ? { ...f, step: at, message: f.message.replace(/^step \d+:/, `step ${at}:`) } : { step: at, layer: 0, quantity: 'gradient', message: `step ${at}: the gradient became non-finite` };
    }
    this.done = start + r.steps;
    return { start, count: recorded, layers: L, loss: loss.subarray(0, recorded), gradNorm: gradNorm.subarray(0, recorded), clipped: clipped.subarray(0, recorded), biasGrad: biasGrad.subarray(0, recorded * L) };
  }

  /** Probes the current weights on the fixed probe batch; accuracies are null once a weight is non-finite. */
  probe(): ProbeSnapshot {
    const pb = this.probeBatch;
    let r: ProbeResult;
    try {
      r = probeNetwork(this.net, pb.x, pb.y, pb.B, this.lossDef, this.plan.initName, { jacobianSamples: 4, jacobianMaxDim: 64 });
    } catch {
      // the singular-value iteration does not converge on huge or non-finite Jacobians: probe without them
      r = probeNetwork(this.net, pb.x, pb.y, pb.B, this.lossDef, this.plan.initName, { jacobianSamples: 0 });
    }
    const finite = this.finding === null;
    // after a blow-up the verdict names the training step where it happened, not the probe's
    const verdict = this.finding ? verdictOf(r.layers, r.firstToLast, this.plan.initName, this.finding, netShapeOf(this.net)) : r.verdict;
    return {
      step: this.done,
      loss: r.lossValue,
      layers: r.layers.map((l) => ({
        index: l.index,
        units: l.units,
        activation: l.activation,
        biasGradNorm: l.biasGradNorm,
        weightGradNorm: l.weightGradNorm,
        meanAbsDerivative: l.meanAbsDerivative,
        saturatedFraction: l.saturatedFraction,
        deadFraction: l.deadFraction,
        activationMean: l.activationMean,
        activationStd: l.activationStd,
        inputCorrelation: l.inputCorrelation,
        jacobianMaxSingular: l.jacobianMaxSingular,
      })),
      firstToLast: r.firstToLast,
      verdict,
      trainAccuracy: finite ? evaluate(this.net, this.trainSample, this.lossDef).accuracy : null,
      testAccuracy: finite ? evaluate(this.net, this.data.test, this.lossDef).accuracy : null,
    };
  }

  /** The predicted class and its probability on a res × res grid (2-D data only). */
  boundary(res: number): BoundaryGrid {
    const ds = this.data.train;
    if (ds.inputSize !== 2) throw new RangeError(`boundary: the data has ${ds.inputSize} features, not 2`);
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < ds.n; i++) {
      const a = ds.x[2 * i], b = ds.x[2 * i + 1];
      if (a < x0) x0 = a;
      if (a > x1) x1 = a;
      if (b < y0) y0 = b;
      if (b > y1) y1 = b;
    }
    const pad = 0.1 * Math.max(x1 - x0, y1 - y0);
    const extent: [number, number, number, number] = [x0 - pad, x1 + pad, y0 - pad, y1 + pad];
    const n = res * res;
    const x = this.plan.mlp.dtype === 'float64' ? new Float64Array(2 * n) : new Float32Array(2 * n);
    for (let r = 0; r < res; r++) {
      for (let c = 0; c < res; c++) {
        x[2 * (r * res + c)] = extent[0] + ((c + 0.5) / res) * (extent[1] - extent[0]);
        x[2 * (r * res + c) + 1] = extent[2] + ((r + 0.5) / res) * (extent[3] - extent[2]);
      }
    }
    const out = this.net.forward(x, n, { training: false, rng: new Rng(0) });
    const C = this.net.outputSize;
    const cls = new Uint8Array(n);
    const conf = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let sum = 0;
      for (let k = 0; k < C; k++) {
        const v = out[i * C + k];
        sum += v;
        if (v > out[i * C + best]) best = k;
      }
      cls[i] = best;
      // softmax outputs sum to 1; sigmoid/other outputs are normalised to a share
      const v = out[i * C + best];
      conf[i] = Number.isFinite(v) && sum > 0 ? v / sum : 0;
    }
    return { res, extent, cls, conf };
  }
}
