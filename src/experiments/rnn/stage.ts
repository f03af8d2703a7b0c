/**
 * Study stage 6: the gradient through time for RNN vs LSTM vs GRU. Each
 * cell is trained on Hochreiter & Schmidhuber's adding problem at several
 * lengths with the same budget, seed and data; we record the solved
 * fraction on held-out sequences, ‖∂ℓ/∂h_t‖ at initialisation and after
 * training, and σ_max(W_hh) against Pascanu's threshold. Then a ReLU RNN
 * with σ_max(W_hh) = 2 is trained by SGD without and with clipping.
 */
import type { CellKind } from '../../nn/rnn/types.js';
import { makeTestSet, runRecurrent, runStreams, type RecurrentConfig, type RecurrentRunResult } from './run.js';
import { ADDING_TOLERANCE, addingTask as adding } from './tasks.js';
import type { RecurrentCellRun, RecurrentClipArm, RecurrentClipping, RecurrentFindings, RecurrentSection } from './types.js';
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
  /** A cell solves a length when it solves at least this fraction of the test sequences. */
  readonly solvedThreshold: number;
  readonly clipLength: number;
  readonly clipHidden: number;
  readonly clipSteps: number;
  readonly clipGain: number;
  readonly clipLr: number;
  readonly clipNorm: number;
}

/**
 * Full: 3 cells × lengths 10, 20, 30, 50, 1,000 Adam steps each (≈ 65 s on two
 * idle cores); quick: lengths 10 and 30, 500 steps (≈ 12 s). The gated cells
 * start with forget/update-gate bias 2 (σ(2) ≈ 0.88 of the state kept per
 * step): with the CLI's default 1 (σ(1) ≈ 0.73) the LSTM left 3 of 5 seeds on
 * the plateau at T = 50 within this budget. T = 100 needs several times the budget.
 */
export function recurrentStageSettings(quick: boolean): RecurrentStageSettings {
  return {
    cells: ['rnn', 'lstm', 'gru'],
    lengths: quick ? [10, 30] : [10, 20, 30, 50],
    hidden: 24,
    steps: quick ? 500 : 1000,
    batch: 32,
    lr: 0.01,
    forgetBias: 2,
    updateBias: 2,
    testSize: 1000,
    probeSize: 100,
    solvedThreshold: 0.8,
    clipLength: 20,
    clipHidden: 24,
    clipSteps: quick ? 100 : 200,
    clipGain: 2,
    clipLr: 0.01,
    clipNorm: 5,
  };
}

/** How many times the stage calls `progress` (for a progress bar's total). */
export function recurrentProgressSteps(quick: boolean): number {
  const s = recurrentStageSettings(quick);
  return s.cells.length * s.lengths.length + 1;
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

/** Which lengths each cell solved, and where the gated cells beat the plain RNN. */
export function recurrentFindings(runs: readonly RecurrentCellRun[], cells: readonly CellKind[], lengths: readonly number[], threshold: number): RecurrentFindings {
  const solved = (c: CellKind): number[] => lengths.filter((T) => runs.some((r) => r.cell === c && r.length === T && r.solvedFraction >= threshold));
  const solvedLengths = { rnn: solved('rnn'), lstm: solved('lstm'), gru: solved('gru') };
  const beats = (c: CellKind): number[] => (cells.includes(c) ? lengths.filter((T) => solvedLengths[c].includes(T) && !solvedLengths.rnn.includes(T)) : []);
  const lstmBeatsRnn = beats('lstm');
  const gruBeatsRnn = beats('gru');
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const at = (c: CellKind, T: number): RecurrentCellRun | undefined => runs.find((r) => r.cell === c && r.length === T);
  const summary: string[] = [];
  for (const c of cells) {
    const l = solvedLengths[c];
    summary.push(`${c.toUpperCase()} solved ${l.length > 0 ? `T = ${l.join(', ')}` : 'no length'} (≥ ${pct(threshold)} of the test sequences within 0.04).`);
  }
  // the longest length each gated cell wins is the strongest evidence
  for (const [c, won] of [['lstm', lstmBeatsRnn], ['gru', gruBeatsRnn]] as const) {
    if (won.length === 0) continue;
    const T = won[won.length - 1];
    const g = at(c, T);
    const r = at('rnn', T);
    if (g && r) summary.push(`At T = ${T} the ${c.toUpperCase()} solves ${pct(g.solvedFraction)} of the sequences and the plain RNN ${pct(r.solvedFraction)}, with the same budget, seed and data.`);
  }
  return { solvedThreshold: threshold, solvedLengths, lstmBeatsRnn, gruBeatsRnn, lstmBeatsRnnAt: lstmBeatsRnn[0] ?? null, gruBeatsRnnAt: gruBeatsRnn[0] ?? null, summary };
}

function commonConfig(s: RecurrentStageSettings, seed: number): Partial<RecurrentConfig> {
  return { ...BASE, hidden: s.hidden, steps: s.steps, batch: s.batch, lr: s.lr, forgetBias: s.forgetBias, updateBias: s.updateBias, seed, testSize: s.testSize, probeSize: s.probeSize };
}

/** One cell × length run of stage 6 on its own (seeded: the same wherever it runs, e.g. on a worker thread). */
export function recurrentCellRun(opts: Pick<RecurrentStageOptions, 'quick' | 'seed' | 'settings'>, cell: CellKind, length: number): RecurrentCellRun {
  const s: RecurrentStageSettings = { ...recurrentStageSettings(opts.quick), ...opts.settings };
  return cellRun(runRecurrent({ ...commonConfig(s, opts.seed), cell, length }), opts.seed);
}

/**
 * Runs stage 6 and returns every number it shows. `precomputed` holds the
 * cell × length runs (length-major, in `cells` order) when they were run
 * elsewhere with `recurrentCellRun`; otherwise they run here.
 */
export function runRecurrentStage(opts: RecurrentStageOptions, precomputed?: readonly RecurrentCellRun[]): RecurrentSection {
  const t0 = performance.now();
  const s: RecurrentStageSettings = { ...recurrentStageSettings(opts.quick), ...opts.settings };
  const common = commonConfig(s, opts.seed);
  const runs: RecurrentCellRun[] = precomputed ? [...precomputed] : [];
  if (!precomputed) {
    for (const T of s.lengths) {
      for (const cell of s.cells) {
        opts.progress(`${cell.toUpperCase()} on the adding problem, T = ${T}`);
        runs.push(recurrentCellRun(opts, cell, T));
      }
    }
  }

  opts.progress(`exploding ReLU RNN (σ_max(W_hh) = ${s.clipGain}) without and with clipping`);
  const clipCfg: Partial<RecurrentConfig> = {
    ...common,
    cell: 'rnn',
    activation: 'relu',
    hidden: s.clipHidden,
    recurrentGain: s.clipGain,
    length: s.clipLength,
    steps: s.clipSteps,
    optimizer: 'sgd',
    lr: s.clipLr,
  };
  const without = runRecurrent({ ...clipCfg, clipNorm: null });
  const withClip = runRecurrent({ ...clipCfg, clipNorm: s.clipNorm });
  const clipping: RecurrentClipping = {
    ...described(msg('desc.rnnClip', { H: s.clipHidden, gain: String(s.clipGain), lr: String(s.clipLr), batch: s.batch, T: s.clipLength, steps: s.clipSteps, clip: String(s.clipNorm) })),
    activation: 'relu',
    recurrentGain: s.clipGain,
    length: s.clipLength,
    hidden: s.clipHidden,
    optimizer: 'sgd',
    lr: s.clipLr,
    steps: s.clipSteps,
    spectralNorm: without.spectralNorm.init,
    pascanu: without.pascanu.init,
    gradThroughTime: without.gradThroughTime.init,
    without: clipArm(without, null),
    with: clipArm(withClip, s.clipNorm),
  };

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
    },
    baseline: { loss: adding.baselineLoss(0), solvedFraction: s.lengths.map((T) => baselineSolved(opts.seed, T, s.testSize)) },
    runs,
    clipping,
    findings: recurrentFindings(runs, s.cells, s.lengths, s.solvedThreshold),
    seconds: (performance.now() - t0) / 1000,
  };
}
