/**
 * The measurements of the "Order and chaos" stage, one function per plan
 * task: a row of the tanh phase diagram, the gradient-decay points, a
 * column of the trainability map, the Jacobian spectra of dynamical
 * isometry, and the `critical` initialiser on GELU, SiLU and softplus. Each
 * takes plain settings and returns plain data (it runs on a worker thread).
 */
import { takeFirst } from '../data/batch.js';
import type { Split } from '../data/types.js';
import { singularValues } from '../diagnostics/eigen.js';
import { getInit } from '../nn/init.js';
import { Rng } from '../tensor/rng.js';
import { analyse, criticalChoice, meanOf, secondMoment, theoryAct, type Variances } from '../theory/index.js';
import { fullBatch } from '../run/source.js';
import { parseRun } from '../run/schema.js';
import { driveRun } from './train-run.js';
import { freshNet, inputGram, meanFieldInit, measureSignal, predictSignal } from './order-chaos-measure.js';
import type { CorrelationRun, CriticalInitRun, DecayPoint, IsometryRun, PhaseCell, TrainCell } from './order-chaos-types.js';
import { scalarStats, seedStats } from '../experiments/stats.js';

/** Settings of the stage (every part). */
export interface OrderChaosSettings {
  readonly quick: boolean;
  readonly seed: number;
  readonly phase: {
    readonly sigmaW2: readonly number[];
    readonly sigmaB2: readonly number[];
    readonly depth: number;
    readonly width: number;
    readonly samples: number;
    readonly seeds: number;
    /** The row whose per-layer correlations are compared, and its σ_w² values. */
    readonly corrSigmaB2: number;
    readonly corrSigmaW2: readonly number[];
  };
  readonly decay: {
    readonly depth: number;
    readonly width: number;
    readonly samples: number;
    readonly seeds: number;
    readonly points: readonly { readonly label: string; readonly act: string; readonly init: string }[];
  };
  readonly train: {
    readonly sigmaB2: number;
    readonly sigmaW2: readonly number[];
    readonly depths: readonly number[];
    readonly width: number;
    readonly steps: number;
    readonly batch: number;
    readonly lr: number;
    readonly seeds: number;
    readonly trainedAbove: number;
  };
  readonly isometry: { readonly width: number; readonly depths: readonly number[]; readonly seeds: number; readonly tanhSigmaB2: number };
  readonly critical: { readonly acts: readonly string[]; readonly depth: number; readonly width: number; readonly samples: number; readonly seeds: number };
}

/** Seeds seed, seed + 1, … (n of them). */
export function seedList(seed: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => seed + i);
}

/** The probe batch of the stage: the first `n` training digits. */
function probeBatch(split: Split, n: number) {
  return fullBatch(takeFirst(split.train, n), 'float32');
}

/** One σ_b² row of the tanh phase diagram: every σ_w², over seeds; per-layer correlations where asked. */
export function runPhaseRow(split: Split, s: OrderChaosSettings, row: number): { cells: PhaseCell[]; correlations: CorrelationRun[] } {
  const p = s.phase;
  const sb2 = p.sigmaB2[row];
  const act = theoryAct('tanh');
  const pb = probeBatch(split, p.samples);
  const gram = inputGram(pb.x, pb.B, split.train.inputSize);
  const arch = [split.train.inputSize, ...Array(p.depth).fill(p.width), split.train.classes];
  const seeds = seedList(s.seed, p.seeds);
  const cells: PhaseCell[] = [];
  const correlations: CorrelationRun[] = [];
  for (const sw2 of p.sigmaW2) {
    const v: Variances = { sigmaW2: sw2, sigmaB2: sb2 };
    const withCorr = sb2 === p.corrSigmaB2 && p.corrSigmaW2.includes(sw2);
    const pred = predictSignal(act, v, gram, p.depth, withCorr);
    const runs = seeds.map((seed) => measureSignal(freshNet({ name: 'tanh' }, arch, meanFieldInit(v), seed), pb.x, pb.y, pb.B));
    const H = p.depth;
    const perSeed = runs.map((m) => Math.log10(m.delta[0] / m.delta[H - 1]));
    // χ from the second half of the layers, where the length has settled at q*: E‖δ‖² falls by χ per layer
    const h0 = Math.floor(H / 2);
    const lateChi = runs.map((m) => (m.delta[h0 - 1] / m.delta[H - 1]) ** (2 / (H - h0)));
    let chi1: number | null = null;
    let cStar: number | null = null;
    try {
      const a = analyse(act, v);
      chi1 = a.chi1;
      cStar = a.cStar;
    } catch {
      // no fixed point: the prediction along the layers still stands
    }
    cells.push({ sigmaW2: sw2, sigmaB2: sb2, chi1, predictedLog10Ratio: Math.log10(pred.deltaRatio[0]), measuredLog10Ratio: scalarStats(perSeed), perSeed, measuredLateChi: lateChi });
    if (withCorr && pred.corr) correlations.push({ sigmaW2: sw2, sigmaB2: sb2, cStar, predicted: pred.corr, measured: seedStats(runs.map((m) => m.corr)) });
  }
  return { cells, correlations };
}

/** The gradient-decay points: per-layer ‖δˡ‖/‖δᴴ‖ measured on wide nets beside ∏√χ(q^l). */
export function runDecay(split: Split, s: OrderChaosSettings): DecayPoint[] {
  const d = s.decay;
  const pb = probeBatch(split, d.samples);
  const gram = inputGram(pb.x, pb.B, split.train.inputSize);
  const arch = [split.train.inputSize, ...Array(d.depth).fill(d.width), split.train.classes];
  const seeds = seedList(s.seed, d.seeds);
  return d.points.map((pt) => {
    const def = getInit(pt.init);
    // the variances the initialiser draws for a hidden layer (it feeds from and into `act`)
    const v = def.variances(d.width, d.width, { before: { name: pt.act }, after: { name: pt.act } });
    const pred = predictSignal(theoryAct(pt.act), v, gram, d.depth, false);
    const rows = seeds.map((seed) => {
      const m = measureSignal(freshNet({ name: pt.act }, arch, pt.init, seed), pb.x, pb.y, pb.B, 'cross_entropy', pt.init);
      return m.delta.map((x) => x / m.delta[d.depth - 1]);
    });
    const H = d.depth;
    const factor = (r: readonly number[]) => r[0] ** (1 / (H - 1));
    return {
      label: pt.label,
      act: pt.act,
      init: pt.init,
      sigmaW2: v.sigmaW2,
      sigmaB2: v.sigmaB2,
      predicted: pred.deltaRatio,
      measured: seedStats(rows),
      measuredFactor: scalarStats(rows.map(factor)),
      predictedFactor: factor(pred.deltaRatio),
    };
  });
}

/** One σ_w² column of the trainability map: every depth, over seeds, trained for the budget. */
export function runTrainColumn(split: Split, s: OrderChaosSettings, col: number): TrainCell[] {
  const t = s.train;
  const sw2 = t.sigmaW2[col];
  const init = meanFieldInit({ sigmaW2: sw2, sigmaB2: t.sigmaB2 });
  return t.depths.map((depth) => {
    const perSeed = seedList(s.seed, t.seeds).map((seed) => {
      const spec = parseRun({ arch: [split.train.inputSize, ...Array<number>(depth).fill(t.width), split.train.classes], activation: 'tanh', init, loss: 'cross_entropy', dtype: 'float32', optimizer: 'adam', lr: t.lr, batchSize: t.batch, maxSteps: t.steps, seed });
      const { outcome } = driveRun(spec, { train: split.train, test: split.test });
      return outcome.nonFinite || outcome.testAccuracy === null ? 0 : outcome.testAccuracy;
    });
    return { depth, sigmaW2: sw2, accuracy: scalarStats(perSeed), perSeed };
  });
}

/** Bin edges of log10 s for the spectra: −4 … 2 in steps of 0.1. */
const EDGES = Array.from({ length: 61 }, (_, i) => -4 + i / 10);

/**
 * Singular values of the input–output Jacobian ∂hᴸ/∂h⁰ = Dᴸ Wᴸ ⋯ D¹ W¹ of a
 * square stack h^l = φ(W^l h^{l−1} + b^l) at initialisation, for an input at
 * the fixed point (h⁰ = φ(u), u ~ N(0, q*) per unit).
 */
function jacobianSpectrum(actName: string, weights: 'gaussian' | 'orthogonal', v: Variances, qStar: number, n: number, depth: number, seed: number): Float64Array {
  const act = theoryAct(actName);
  const rng = new Rng(seed);
  const draw = getInit(weights === 'orthogonal' ? 'orthogonal' : meanFieldInit({ sigmaW2: v.sigmaW2, sigmaB2: 0 }));
  const gain = weights === 'orthogonal' ? Math.sqrt(v.sigmaW2) : 1;
  const W = new Float64Array(n * n);
  let h = new Float64Array(n);
  for (let i = 0; i < n; i++) h[i] = act.f(Math.sqrt(qStar) * rng.normal());
  let J = new Float64Array(n * n);
  for (let i = 0; i < n; i++) J[i * n + i] = 1;
  let next = new Float64Array(n * n);
  const z = new Float64Array(n);
  for (let l = 0; l < depth; l++) {
    draw.weights(W, n, n, rng);
    for (let o = 0; o < n; o++) {
      let s = Math.sqrt(v.sigmaB2) * rng.normal();
      for (let k = 0; k < n; k++) s += gain * W[o * n + k] * h[k];
      z[o] = s;
    }
    // J ← diag(φ′(z))·(gain·W)·J
    next.fill(0);
    for (let o = 0; o < n; o++) {
      const d = act.df(z[o]) * gain;
      for (let k = 0; k < n; k++) {
        const w = d * W[o * n + k];
        if (w === 0) continue;
        for (let c = 0; c < n; c++) next[o * n + c] += w * J[k * n + c];
      }
    }
    [J, next] = [next, J];
    h = z.map((x) => act.f(x));
  }
  return singularValues(J, n, n);
}

/** Fraction of singular values within a factor 2 of 1. */
function nearOne(sv: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < sv.length; i++) if (sv[i] >= 0.5 && sv[i] <= 2) k++;
  return k / sv.length;
}

/** Dynamical isometry: tanh at the edge of chaos and ReLU with He's σ_w² = 2, Gaussian vs orthogonal weights, by depth. */
export function runIsometry(s: OrderChaosSettings): IsometryRun[] {
  const iso = s.isometry;
  const tanhS = criticalChoice('tanh', {}, iso.tanhSigmaB2);
  const configs = [
    { label: 'tanh critical', act: 'tanh', v: { sigmaW2: tanhS.sigmaW2, sigmaB2: iso.tanhSigmaB2 }, q: tanhS.q },
    { label: 'relu He', act: 'relu', v: { sigmaW2: 2, sigmaB2: 0 }, q: 1 },
  ];
  const runs: IsometryRun[] = [];
  for (const c of configs) {
    for (const weights of ['gaussian', 'orthogonal'] as const) {
      for (const depth of iso.depths) {
        const all: number[] = [];
        const perSeedNearOne: number[] = [];
        for (const seed of seedList(s.seed, iso.seeds)) {
          const sv = jacobianSpectrum(c.act, weights, c.v, c.q, iso.width, depth, seed * 7919 + depth);
          all.push(...sv);
          perSeedNearOne.push(nearOne(sv));
        }
        const sorted = [...all].sort((a, b) => a - b);
        const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
        const counts = new Array(EDGES.length - 1).fill(0);
        for (const sv of all) {
          const b = Math.floor((Math.log10(Math.max(sv, 1e-300)) - EDGES[0]) * 10);
          counts[Math.max(0, Math.min(counts.length - 1, b))]++;
        }
        runs.push({
          label: `${c.label}, ${weights}`,
          act: c.act,
          weights,
          sigmaW2: c.v.sigmaW2,
          sigmaB2: c.v.sigmaB2,
          depth,
          edges: EDGES,
          counts,
          meanSquare: all.reduce((a, x) => a + x * x, 0) / all.length,
          nearOne: nearOne(all),
          perSeedNearOne,
          quantiles: [pct(0.05), pct(0.5), pct(0.95)],
          maxSingular: sorted[sorted.length - 1],
        });
      }
    }
  }
  return runs;
}

/** GELU, SiLU and softplus at 20 hidden layers: he_normal vs critical, and softplus with normalisation. */
export function runCriticalInit(split: Split, s: OrderChaosSettings): { runs: CriticalInitRun[]; softplusTheory: { sigmaW2: number; chi1: number; cStar: number; meanOverRms: number } } {
  const c = s.critical;
  const pb = probeBatch(split, c.samples);
  const arch = [split.train.inputSize, ...Array(c.depth).fill(c.width), split.train.classes];
  const configs: { act: string; init: string; norm: 'none' | 'batch' | 'layer' }[] = [];
  for (const act of c.acts) for (const init of ['he_normal', 'critical']) configs.push({ act, init, norm: 'none' });
  if (c.acts.includes('softplus')) configs.push({ act: 'softplus', init: 'critical', norm: 'batch' }, { act: 'softplus', init: 'critical', norm: 'layer' });
  const runs = configs.map((cfg): CriticalInitRun => {
    const rows = seedList(s.seed, c.seeds).map((seed) => measureSignal(freshNet({ name: cfg.act }, arch, cfg.init, seed, 'cross_entropy', cfg.norm), pb.x, pb.y, pb.B, 'cross_entropy', cfg.init));
    const ftl = rows.map((m) => m.firstToLast ?? NaN);
    const choice = cfg.init === 'critical' ? criticalChoice(cfg.act) : null;
    return {
      act: cfg.act,
      init: cfg.init,
      norm: cfg.norm,
      rule: choice?.rule ?? null,
      sigmaW2: choice ? choice.sigmaW2 : getInit(cfg.init).variances(c.width, c.width).sigmaW2,
      firstToLast: scalarStats(ftl),
      perSeed: ftl,
      vanishing: ftl.filter((x) => x < 1e-2).length,
      lastCorrelation: scalarStats(rows.map((m) => m.corr[c.depth - 1])),
    };
  });
  const sp = criticalChoice('softplus');
  const a = theoryAct('softplus');
  const point = analyse(a, { sigmaW2: sp.sigmaW2, sigmaB2: 0 });
  // E[φ]/√E[φ²] at unit variance: how much of softplus's output is an offset shared by every input
  return { runs, softplusTheory: { sigmaW2: sp.sigmaW2, chi1: sp.chi1, cStar: point.cStar, meanOverRms: meanOf(a, 1) / Math.sqrt(secondMoment(a, 1)) } };
}
