/**
 * A training session the worker drives step-wise: the shared run driver
 * (src/run/driver.ts) over the run's description — the same network,
 * streams and steps as `gradscope train` for the same settings — with the
 * per-step statistics as flat arrays for the page, probes, and the decision
 * boundary over 2-D data. Pure: no DOM, no timers.
 */
import { splitTrainTest, takeFirst } from '../../data/batch.js';
import { digitsFromRaw } from '../../data/digits.js';
import { isSyntheticName, SYNTHETIC } from '../../data/synthetic.js';
import type { Dataset } from '../../data/types.js';
import type { Verdict } from '../../diagnostics/verdict.js';
import type { Network } from '../../nn/network.js';
import type { NonFiniteFinding } from '../../nn/nonfinite.js';
import { probeCadence } from '../../run/derive.js';
import { Run } from '../../run/driver.js';
import type { RunSpec } from '../../run/schema.js';
import { Rng } from '../../tensor/rng.js';
import { planeGrid } from './snapshot.js';
import { SYNTHETIC_SAMPLES } from './spec.js';

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

/** Train and test halves of a run's data. */
export interface RunSplit {
  readonly train: Dataset;
  readonly test: Dataset;
}

/** A run's data: a 2-D set drawn from the seed, or the digits from their raw arrays; split as `gradscope train` does. */
export function runSplit(spec: RunSpec, digitsRaw?: readonly ArrayLike<number>[]): RunSplit {
  let whole: Dataset;
  if (spec.data === 'digits') {
    if (!digitsRaw) throw new RangeError('runSplit: the digits are not loaded');
    const all = digitsFromRaw(digitsRaw);
    whole = spec.samples !== null && spec.samples < all.n ? takeFirst(all, spec.samples) : all;
  } else {
    if (!isSyntheticName(spec.data)) throw new RangeError(`runSplit: the lab has no data set '${spec.data}'`);
    whole = SYNTHETIC[spec.data].generate({ n: spec.samples ?? SYNTHETIC_SAMPLES, seed: spec.seed });
  }
  return splitTrainTest(whole, spec.testFraction, spec.seed);
}

/**
 * A network in training: the shared run driver over the run's
 * description, stepped in chunks by the worker. The worker asks for probes
 * at multiples of `probeEvery` (the driver's own cadence), so the charts do
 * not depend on timing.
 */
export class Session {
  readonly net: Network;
  readonly L: number;
  readonly probeEvery: number;
  private readonly run0: Run;
  private pending: { loss: number[]; gradNorm: number[]; clipped: number[]; biasGrad: number[] } = { loss: [], gradNorm: [], clipped: [], biasGrad: [] };
  private lastNorm = NaN;

  /** Builds the run `spec` over `data` (the same driver and random streams as `gradscope train`). */
  constructor(readonly spec: RunSpec, readonly data: RunSplit) {
    // the worker probes when it posts: the driver itself never probes between steps
    this.run0 = new Run({ ...spec, probeEvery: Math.max(1, spec.maxSteps ?? 1) + 1, stepsEvery: 1 }, data, {
      sink: {
        step: (r) => {
          this.pending.loss.push(r.loss);
          this.pending.gradNorm.push(r.gradNorm);
          this.lastNorm = r.gradNorm;
          this.pending.clipped.push(r.clipped ? 1 : 0);
          for (const v of r.biasGradNorms) this.pending.biasGrad.push(v);
        },
      },
    });
    this.net = this.run0.net;
    this.L = this.net.weightLayers.length;
    this.probeEvery = probeCadence(spec, this.net, data, this.run0.totalSteps);
  }

  /** Trainable parameters of the network: every value the optimiser updates. */
  get parameters(): number {
    return this.net.params().reduce((n, p) => n + p.value.length, 0);
  }

  /** Updates applied so far. */
  get step(): number {
    return this.run0.step;
  }

  /** The first non-finite value, once training has stopped on one. */
  get nonFinite(): NonFiniteFinding | null {
    return this.run0.nonFinite;
  }

  /** True when no more steps will be taken (step budget spent, the gradient below the tolerance, or a non-finite value). */
  get finished(): boolean {
    return this.run0.finished;
  }

  /** Global gradient norm ‖∇‖ (before clipping) of the last step taken; NaN before the first. */
  get lastGradNorm(): number {
    return this.lastNorm;
  }

  /** Why no more steps will be taken, or null while training can go on. */
  get stopReason(): 'non_finite' | 'max_steps' | 'tolerance' | null {
    if (this.nonFinite) return 'non_finite';
    if (!this.finished) return null;
    const tol = this.spec.gradTol;
    return tol !== null && this.lastNorm < tol ? 'tolerance' : 'max_steps';
  }

  /**
   * Takes up to `count` steps (fewer at the step budget or a non-finite
   * value) and returns their statistics; `stop` is asked before every step.
   */
  run(count: number, stop?: () => boolean): StepRecords {
    const start = this.step;
    // a stop here pauses the chunk; the run goes on at the next call
    this.run0.advance(count, undefined, stop);
    const p = this.pending;
    this.pending = { loss: [], gradNorm: [], clipped: [], biasGrad: [] };
    return { start, count: p.loss.length, layers: this.L, loss: Float64Array.from(p.loss), gradNorm: Float64Array.from(p.gradNorm), clipped: Uint8Array.from(p.clipped), biasGrad: Float64Array.from(p.biasGrad) };
  }

  /** Probes the current weights on the fixed probe batch; accuracies are null once a weight is non-finite. */
  probe(): ProbeSnapshot {
    const r = this.run0.probe();
    return {
      step: r.step,
      loss: r.loss,
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
      verdict: r.verdict,
      trainAccuracy: r.trainAccuracy,
      testAccuracy: r.testAccuracy,
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
    const out = this.net.forward(planeGrid(extent, res, this.spec.dtype), n, { training: false, rng: new Rng(0) });
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
