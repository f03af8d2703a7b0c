/**
 * Study stage 6: the gradient through time for RNN vs LSTM vs GRU. Each
 * cell is trained on Hochreiter & Schmidhuber's adding problem at several
 * lengths with the same budget, on several seeds (each seed the same data
 * for every cell); we record the solved fraction on 2,560 held-out
 * sequences and the paper's criterion (at most 3 of them wrong),
 * ‖∂ℓ/∂h_t‖ at initialisation and after training, and σ_max(W_hh) against
 * Pascanu's threshold. Then a ReLU RNN with σ_max(W_hh) = 2 — twice
 * Pascanu's 1/γ = 1 — is probed over many seeds (does the gradient through
 * time grow toward the start?) and trained by SGD without and with
 * clipping on several.
 */
import type { CellKind } from '../../nn/rnn/types.js';
import { scalarStats, paired } from '../stats.js';
import { buildRecurrentModel, makeTestSet, measureGradThroughTime, resolveRecurrentConfig, runRecurrent, runStreams, type RecurrentConfig, type RecurrentRunResult } from './run.js';
import { SeqBatch } from '../../nn/rnn/model.js';
import { ADDING_TOLERANCE, addingTask as adding } from './tasks.js';
import type { RecurrentCellRun, RecurrentCellSummary, RecurrentClipArm, RecurrentClipping, RecurrentFindings, RecurrentSection } from './types.js';
import { msg } from '../../i18n/catalogue.js';
import { described } from '../../i18n/described.js';

/** Options of the stage. */
export interface RecurrentStageOptions {
  readonly quick: boolean;
  readonly seed: number;
  /** Called before each run with what it is about to do. */
  readonly progress: (label: string) => void;
  /** Overrides of the settings (tests use tiny budgets). */
  readonly settings?: Partial<RecurrentStageSettings>;
}

/** The budget and hyper-parameters of the stage. */
export interface RecurrentStageSettings {
  readonly cells: readonly CellKind[];
  readonly lengths: readonly number[];
  readonly hidden: number;
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  /** Initial bias of the LSTM's forget gate and of the GRU's update gate. */
  readonly forgetBias: number;
  readonly updateBias: number;
  readonly testSize: number;
  readonly probeSize: number;
  /** Hochreiter & Schmidhuber's criterion: a run succeeds with at most this many wrong test sequences (of `testSize` = 2,560). */
  readonly maxErrors: number;
  /** Seeds of each cell × length, of the clipping runs, and of the probes of the gradient through time at initialisation. */
  readonly seeds: number;
  readonly clipSeeds: number;
  readonly probeSeeds: number;
  readonly clipLength: number;
  readonly clipHidden: number;
  readonly clipSteps: number;
  readonly clipGain: number;
  readonly clipLr: number;
  readonly clipNorm: number;
}

/**
 * Full: 3 cells × length 20 × 5 seeds, 1,000 Adam steps each (a run costs
 * seconds: seeds, not more lengths, are where the budget goes); quick:
 * length 10, 2 seeds, 300 steps. The test set has Hochreiter & Schmidhuber's
 * 2,560 sequences. The gated cells start with forget/update-gate bias 2
 * (σ(2) ≈ 0.88 of the state kept per step): with the CLI's default 1
 * (σ(1) ≈ 0.73) the LSTM left 3 of 5 seeds on the plateau at T = 50 within
 * this budget. Longer lags need several times the budget.
 */
export function recurrentStageSettings(quick: boolean): RecurrentStageSettings {
  return {
    cells: ['rnn', 'lstm', 'gru'],
    lengths: quick ? [10] : [20],
    hidden: 24,
    steps: quick ? 300 : 1000,
    batch: 32,
    lr: 0.01,
    forgetBias: 2,
    updateBias: 2,
    testSize: 2560,
    probeSize: 100,
    maxErrors: 3,
    seeds: quick ? 2 : 5,
    clipSeeds: quick ? 2 : 5,
    probeSeeds: quick ? 20 : 100,
    clipLength: 20,
    clipHidden: 24,
    clipSteps: quick ? 100 : 200,
    clipGain: 2,
    clipLr: 0.01,
    clipNorm: 5,
  };
}


const BASE: Partial<RecurrentConfig> = {
  task: 'adding',
  optimizer: 'adam',
  clipNorm: 1,
  truncate: 0,
  activation: 'tanh',
  inputInit: 'xavier_uniform',
  recurrentInit: 'orthogonal',
  recurrentGain: 1,
  snapshots: 3,
  dtype: 'float32',
};

function cellRun(r: RecurrentRunResult, seed: number): RecurrentCellRun {
  return {
    cell: r.cell,
    length: r.length,
    seed,
    steps: r.steps,
    solvedFraction: r.solvedFraction,
    initSolvedFraction: r.initSolvedFraction,
    finalLoss: r.finalLoss,
    initLoss: r.initLoss,
    trainLoss: r.trainLoss,
    seconds: r.seconds,
    gradThroughTime: r.gradThroughTime,
    spectralNorm: r.spectralNorm,
    pascanu: r.pascanu,
    lossCurve: { every: r.curves.every, loss: r.curves.loss },
    nonFinite: r.nonFinite,
  };
}

/** Wrong test sequences of a run (|error| ≥ 0.04): the paper counts these. */
export function errorsOf(run: Pick<RecurrentCellRun, 'solvedFraction'>, testSize: number): number {
  return Math.round((1 - (Number.isFinite(run.solvedFraction) ? run.solvedFraction : 0)) * testSize);
}

function clipArm(r: RecurrentRunResult, clipNorm: number | null): RecurrentClipArm {
  return {
    clipNorm,
    loss: r.curves.loss,
    gradNorm: r.curves.gradNorm,
    nonFinite: r.nonFinite,
    clipEvents: r.clipEvents,
    steps: r.steps,
    finalLoss: r.finalLoss,
    solvedFraction: r.solvedFraction,
  };
}

/** The fraction of the length-T test set that the memoryless predictor (always 0.5) solves. */
function baselineSolved(seed: number, T: number, n: number): number {
  const test = makeTestSet(adding, T, n, runStreams(seed).test, 'float64');
  let ok = 0;
  for (const b of test) for (let i = 0; i < b.B; i++) if (Math.abs(b.y[i] - 0.5) < ADDING_TOLERANCE) ok++;
  return ok / n;
}

/** Per cell × length over seeds: the solved fraction, the wrong sequences, and how many seeds meet the paper's criterion. */
export function recurrentSummaries(runs: readonly RecurrentCellRun[], cells: readonly CellKind[], lengths: readonly number[], testSize: number, maxErrors: number): RecurrentCellSummary[] {
  return lengths.flatMap((length) =>
    cells.map((cell) => {
      const rs = runs.filter((r) => r.cell === cell && r.length === length);
      const errors = rs.map((r) => errorsOf(r, testSize));
      return { cell, length, seeds: rs.length, solved: scalarStats(rs.map((r) => (Number.isFinite(r.solvedFraction) ? r.solvedFraction : 0))), errors: scalarStats(errors), criterionMet: errors.filter((e) => e <= maxErrors).length };
    }),
  );
}

/** Where each gated cell solves more sequences than the plain RNN on every seed (paired by seed), and the paper's criterion. */
export function recurrentFindings(runs: readonly RecurrentCellRun[], cells: readonly CellKind[], lengths: readonly number[], testSize: number, maxErrors: number): RecurrentFindings {
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const solvedOf = (c: CellKind, T: number): Map<number, number> => new Map(runs.filter((r) => r.cell === c && r.length === T).map((r) => [r.seed, Number.isFinite(r.solvedFraction) ? r.solvedFraction : 0]));
  const beats = (c: CellKind): number[] =>
    cells.includes(c)
      ? lengths.filter((T) => {
          const g = solvedOf(c, T);
          const r = solvedOf('rnn', T);
          const seeds = [...g.keys()].filter((k) => r.has(k));
          return seeds.length > 0 && paired(seeds.map((k) => g.get(k)!), seeds.map((k) => r.get(k)!)).lo > 0;
        })
      : [];
  const lstmBeatsRnn = beats('lstm');
  const gruBeatsRnn = beats('gru');
  const summaries = recurrentSummaries(runs, cells, lengths, testSize, maxErrors);
  const summary: string[] = [];
  for (const s of summaries) {
    summary.push(`${s.cell.toUpperCase()} at T = ${s.length}: median ${pct(s.solved.median)} of ${testSize} test sequences solved (range ${pct(s.solved.min)}–${pct(s.solved.max)} over ${s.seeds} seeds); the paper's criterion, at most ${maxErrors} wrong, met on ${s.criterionMet} of ${s.seeds} seeds.`);
  }
  for (const [c, won] of [['lstm', lstmBeatsRnn], ['gru', gruBeatsRnn]] as const) {
    if (won.length === 0) continue;
    summary.push(`The ${c.toUpperCase()} solves more test sequences than the plain RNN on every seed at T = ${won.join(', ')} (same budget, seeds and data).`);
  }
  return { testSize, maxErrors, lstmBeatsRnn, gruBeatsRnn, summaries, summary };
}

function commonConfig(s: RecurrentStageSettings, seed: number): Partial<RecurrentConfig> {
  return { ...BASE, hidden: s.hidden, steps: s.steps, batch: s.batch, lr: s.lr, forgetBias: s.forgetBias, updateBias: s.updateBias, seed, testSize: s.testSize, probeSize: s.probeSize };
}

/** One cell × length run of stage 6 on one seed (the same wherever it runs, e.g. on a worker thread). */
export function recurrentCellRun(opts: Pick<RecurrentStageOptions, 'quick' | 'settings'>, cell: CellKind, length: number, seed: number): RecurrentCellRun {
  const s: RecurrentStageSettings = { ...recurrentStageSettings(opts.quick), ...opts.settings };
  return cellRun(runRecurrent({ ...commonConfig(s, seed), cell, length }), seed);
}

/** The seeds of the stage's cell runs: seed, seed + 1, … */
export function recurrentSeeds(seed: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => seed + i);
}

/** ‖∂ℓ/∂h₀‖ / ‖∂ℓ/∂h_{T−1}‖ of a fresh model of `c` on a probe batch of length T: above 1 when the gradient grows toward the start. */
export function gradRatioAtInit(c: Partial<RecurrentConfig>): number {
  const cfg = resolveRecurrentConfig(c);
  const { init, test } = runStreams(cfg.seed);
  const model = buildRecurrentModel(cfg, adding, init);
  const T = adding.nominalSteps(cfg.length);
  const probe = new SeqBatch(cfg.dtype, T, cfg.probeSize, adding.inSize, adding.outSize);
  adding.fill(probe, cfg.length, T, test);
  const g = measureGradThroughTime(model, probe);
  return g[0] / g[g.length - 1];
}

/**
 * Runs stage 6 and returns every number it shows. `precomputed` holds the
 * cell × length × seed runs (length-major, then cells, then seeds) when
 * they were run elsewhere with `recurrentCellRun`; otherwise they run here.
 */
export function runRecurrentStage(opts: RecurrentStageOptions, precomputed?: readonly RecurrentCellRun[], precomputedClipping?: RecurrentClipping): RecurrentSection {
  const t0 = performance.now();
  const s: RecurrentStageSettings = { ...recurrentStageSettings(opts.quick), ...opts.settings };
  const runs: RecurrentCellRun[] = precomputed ? [...precomputed] : [];
  if (!precomputed) {
    for (const T of s.lengths) {
      for (const cell of s.cells) {
        opts.progress(`${cell.toUpperCase()} on the adding problem, T = ${T}`);
        for (const seed of recurrentSeeds(opts.seed, s.seeds)) runs.push(recurrentCellRun(opts, cell, T, seed));
      }
    }
  }
  const clipping = precomputedClipping ?? recurrentClipping(opts);
  return {
    quick: opts.quick,
    seed: opts.seed,
    task: 'adding',
    settings: {
      cells: s.cells,
      lengths: s.lengths,
      hidden: s.hidden,
      steps: s.steps,
      batch: s.batch,
      optimizer: 'adam',
      lr: s.lr,
      clipNorm: 1,
      testSize: s.testSize,
      probeSize: s.probeSize,
      activation: 'tanh',
      forgetBias: s.forgetBias,
      updateBias: s.updateBias,
      inputInit: 'xavier_uniform',
      recurrentInit: 'orthogonal',
      tolerance: ADDING_TOLERANCE,
      dtype: 'float32',
      seeds: recurrentSeeds(opts.seed, s.seeds),
      maxErrors: s.maxErrors,
    },
    baseline: { loss: adding.baselineLoss(0), solvedFraction: s.lengths.map((T) => baselineSolved(opts.seed, T, s.testSize)) },
    runs,
    clipping,
    findings: recurrentFindings(runs, s.cells, s.lengths, s.testSize, s.maxErrors),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The exploding ReLU RNN: the gradient through time at initialisation over many seeds, and training without and with clipping on several. */
export function recurrentClipping(opts: Pick<RecurrentStageOptions, 'quick' | 'seed' | 'settings' | 'progress'>): RecurrentClipping {
  const s: RecurrentStageSettings = { ...recurrentStageSettings(opts.quick), ...opts.settings };
  opts.progress(`exploding ReLU RNN (σ_max(W_hh) = ${s.clipGain}) without and with clipping`);
  const clipCfg = (seed: number): Partial<RecurrentConfig> => ({
    ...commonConfig(s, seed),
    cell: 'rnn',
    activation: 'relu',
    hidden: s.clipHidden,
    recurrentGain: s.clipGain,
    length: s.clipLength,
    steps: s.clipSteps,
    optimizer: 'sgd',
    lr: s.clipLr,
    testSize: 1000,
  });
  const ratios = recurrentSeeds(opts.seed, s.probeSeeds).map((seed) => gradRatioAtInit(clipCfg(seed)));
  // Pascanu's sufficient condition for vanishing, checked as a bound: a tanh RNN (γ = 1) with σ_max(W_hh) = 0.9
  // must give ‖∂ℓ/∂h₀‖ ≤ 0.9^(T−1)·‖∂ℓ/∂h_{T−1}‖ per sequence (the loss sits at the last step), so also for the means
  const vGain = 0.9;
  const vanishing = recurrentSeeds(opts.seed, s.probeSeeds).map((seed) => gradRatioAtInit({ ...clipCfg(seed), activation: 'tanh', recurrentGain: vGain }));
  const pairs = recurrentSeeds(opts.seed, s.clipSeeds).map((seed) => ({ seed, without: runRecurrent({ ...clipCfg(seed), clipNorm: null }), with: runRecurrent({ ...clipCfg(seed), clipNorm: s.clipNorm }) }));
  const first = pairs[0];
  const clipping: RecurrentClipping = {
    ...described(msg('desc.rnnClip', { H: s.clipHidden, gain: String(s.clipGain), lr: String(s.clipLr), batch: s.batch, T: s.clipLength, steps: s.clipSteps, clip: String(s.clipNorm), n: pairs.length })),
    activation: 'relu',
    recurrentGain: s.clipGain,
    length: s.clipLength,
    hidden: s.clipHidden,
    optimizer: 'sgd',
    lr: s.clipLr,
    steps: s.clipSteps,
    spectralNorm: first.without.spectralNorm.init,
    pascanu: first.without.pascanu.init,
    gradThroughTime: first.without.gradThroughTime.init,
    gradRatioAtInit: scalarStats(ratios),
    probeSeeds: ratios.length,
    vanishingCheck: { activation: 'tanh', gain: vGain, bound: Math.pow(vGain, adding.nominalSteps(s.clipLength) - 1), ratio: scalarStats(vanishing), seeds: vanishing.length },
    without: clipArm(first.without, null),
    with: clipArm(first.with, s.clipNorm),
    seeds: pairs.map((p) => ({
      seed: p.seed,
      withoutNonFinite: p.without.nonFinite !== null,
      withNonFinite: p.with.nonFinite !== null,
      withClippedFraction: p.with.steps > 0 ? p.with.clipEvents / p.with.steps : 0,
      withLossDrop: p.with.nonFinite === null && p.with.trainLoss < p.with.initLoss,
      withSolved: p.with.solvedFraction,
    })),
  };

  return clipping;
}
