/**
 * The shape of study stage 6 in results.json: every number the recurrent
 * section shows — per cell and length the solved fraction on held-out
 * sequences, losses, wall time, the gradient through time at initialisation
 * and after training, σ_max(W_hh) with Pascanu's condition — and the
 * clipping comparison on an exploding RNN. Plain JSON: non-finite numbers
 * become null when written, so readers accept null wherever a number is.
 */
import type { CellKind } from '../../nn/rnn/types.js';
import type { PascanuCondition } from '../../nn/rnn/spectral.js';
import type { RecurrentNonFinite } from '../../nn/rnn/train.js';
import type { GradSnapshot } from './run.js';
import type { Msg } from '../../i18n/message.js';
import type { ScalarStats } from '../stats.js';

/** One cell trained on the adding problem at one length. */
export interface RecurrentCellRun {
  readonly cell: CellKind;
  /** Nominal length T (sequences of T … T + T/10 steps). */
  readonly length: number;
  readonly seed: number;
  /** Training steps completed. */
  readonly steps: number;
  /** Fraction of the held-out sequences with |error| < 0.04, after and before training. */
  readonly solvedFraction: number;
  readonly initSolvedFraction: number;
  /** Test loss (½·mean squared error) after and before training. */
  readonly finalLoss: number;
  readonly initLoss: number;
  /** Mean training loss over the last tenth of the steps. */
  readonly trainLoss: number;
  /** Wall-clock seconds of the run (training, probes and evaluation). */
  readonly seconds: number;
  /** Mean per-example ‖∂ℓ/∂h_t‖ for t = 0 … T−1 on a fixed probe batch of length T: at initialisation, at a few steps during training, after training. */
  readonly gradThroughTime: { readonly init: readonly number[]; readonly during: readonly GradSnapshot[]; readonly final: readonly number[] };
  /** σ_max(W_hh) and Pascanu's condition, before and after training. */
  readonly spectralNorm: { readonly init: number; readonly final: number };
  readonly pascanu: { readonly init: PascanuCondition; readonly final: PascanuCondition };
  /** Training loss averaged over windows of `every` steps. */
  readonly lossCurve: { readonly every: number; readonly loss: readonly number[] };
  readonly nonFinite: RecurrentNonFinite | null;
}

/** One arm of the clipping comparison. */
export interface RecurrentClipArm {
  /** Clip threshold, or null without clipping. */
  readonly clipNorm: number | null;
  /** Training loss and global gradient norm (before clipping) at every step until the end or the first non-finite value. */
  readonly loss: readonly number[];
  readonly gradNorm: readonly number[];
  readonly nonFinite: RecurrentNonFinite | null;
  readonly clipEvents: number;
  readonly steps: number;
  /** Test loss and solved fraction at the end (NaN/null after a blow-up). */
  readonly finalLoss: number;
  readonly solvedFraction: number;
}

/** An RNN whose recurrent matrix is well above Pascanu's threshold, trained without and with clipping. */
export interface RecurrentClipping {
  readonly description: string;
  /** The description as a message of the catalogue (absent in files written before it existed). */
  readonly said?: Msg;
  readonly activation: string;
  readonly recurrentGain: number;
  readonly length: number;
  readonly hidden: number;
  readonly optimizer: string;
  readonly lr: number;
  readonly steps: number;
  readonly spectralNorm: number;
  readonly pascanu: PascanuCondition;
  /** ‖∂ℓ/∂h_t‖ at initialisation: grows toward t = 0 when the gradient explodes. */
  readonly gradThroughTime: readonly number[];
  /** ‖∂ℓ/∂h₀‖/‖∂ℓ/∂h_{T−1}‖ of fresh models over `probeSeeds` seeds: above 1 when the gradient grows toward the start. */
  readonly gradRatioAtInit: ScalarStats;
  readonly probeSeeds: number;
  /** Pascanu's sufficient condition for vanishing as a bound: a tanh RNN with σ_max(W_hh) = gain < 1 over many seeds, against gain^(T−1). */
  readonly vanishingCheck: { readonly activation: string; readonly gain: number; readonly bound: number; readonly ratio: ScalarStats; readonly seeds: number };
  /** The first seed's two arms (curves for the charts). */
  readonly without: RecurrentClipArm;
  readonly with: RecurrentClipArm;
  /** Every seed: whether each arm blew up, the clipped run's share of clipped steps, whether its training loss fell, and its solved fraction. */
  readonly seeds: readonly { readonly seed: number; readonly withoutNonFinite: boolean; readonly withNonFinite: boolean; readonly withClippedFraction: number; readonly withLossDrop: boolean; readonly withSolved: number }[];
}

/** One cell at one length over seeds. */
export interface RecurrentCellSummary {
  readonly cell: CellKind;
  readonly length: number;
  readonly seeds: number;
  /** Solved fraction of the test sequences, and wrong sequences (of testSize). */
  readonly solved: ScalarStats;
  readonly errors: ScalarStats;
  /** Seeds meeting Hochreiter & Schmidhuber's criterion (at most maxErrors wrong). */
  readonly criterionMet: number;
}

/** What the stage concludes, computed from the runs. */
export interface RecurrentFindings {
  /** The paper's criterion: at most `maxErrors` wrong of `testSize` test sequences. */
  readonly testSize: number;
  readonly maxErrors: number;
  /** Lengths where the LSTM / the GRU solves more sequences than the plain RNN on every seed. */
  readonly lstmBeatsRnn: readonly number[];
  readonly gruBeatsRnn: readonly number[];
  readonly summaries: readonly RecurrentCellSummary[];
  /** Sentences for the report. */
  readonly summary: readonly string[];
}

/** Study stage 6: the gradient through time for RNN vs LSTM vs GRU on the adding problem. */
export interface RecurrentSection {
  readonly quick: boolean;
  readonly seed: number;
  readonly task: 'adding';
  readonly settings: {
    readonly cells: readonly CellKind[];
    readonly lengths: readonly number[];
    readonly hidden: number;
    readonly steps: number;
    readonly batch: number;
    readonly optimizer: string;
    readonly lr: number;
    readonly clipNorm: number | null;
    readonly testSize: number;
    readonly probeSize: number;
    /** The vanilla RNN's activation. */
    readonly activation: string;
    readonly forgetBias: number;
    /** The GRU's update-gate bias. */
    readonly updateBias: number;
    readonly inputInit: string;
    readonly recurrentInit: string;
    readonly tolerance: number;
    readonly dtype: string;
    readonly seeds: readonly number[];
    readonly maxErrors: number;
  };
  /** The memoryless predictor (always 0.5) on the same test sets. */
  readonly baseline: { readonly loss: number; readonly solvedFraction: readonly number[] };
  readonly runs: readonly RecurrentCellRun[];
  readonly clipping: RecurrentClipping;
  readonly findings: RecurrentFindings;
  /** Wall-clock seconds of the whole stage. */
  readonly seconds: number;
}
