/**
 * The shape of the "Order and chaos" stage in `report/results.json`: the
 * mean-field prediction beside the measurement for each part, and the
 * claims it checks in the study-wide `claims` format.
 */
import type { Msg } from '../i18n/message.js';
import type { ScalarStats } from './types.js';

/** One published claim beside this run's measurement (results.json `claims`). */
export interface StudyClaim {
  readonly id: string;
  readonly claim: string;
  readonly source: string;
  /** The published value or statement. */
  readonly published: string;
  /** The measured quantity over seeds: median and range (min–max for few seeds). */
  readonly measured: { readonly median: number; readonly lo: number; readonly hi: number; readonly seeds: number };
  /** What was compared, with its tolerance. */
  readonly test: string;
  readonly agrees: 'yes' | 'no' | 'partly' | 'indistinguishable';
  /** The claim, published value and test as messages of the catalogue (absent in files written before they existed). */
  readonly said?: { readonly claim: Msg; readonly published: Msg; readonly test: Msg };
}

/** One (σ_w², σ_b²) cell of the phase diagram. */
export interface PhaseCell {
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  /** Predicted χ₁ at the fixed point q* (null when the length map has none). */
  readonly chi1: number | null;
  /** Predicted log10(‖δ¹‖/‖δᴴ‖), per-example norms, from the length map started at the batch's variance. */
  readonly predictedLog10Ratio: number;
  /** Measured log10(‖δ¹‖/‖δᴴ‖) over seeds. */
  readonly measuredLog10Ratio: ScalarStats;
  /** Per-seed values, in seed order. */
  readonly perSeed: readonly number[];
  /** Per seed, χ measured over the second half of the layers (q settled at q*): (‖δ^{H/2}‖/‖δᴴ‖)^{2/(H/2)}. */
  readonly measuredLateChi: readonly number[];
}

/** Per-layer correlation of one point: the `inputCorrelation` diagnostic beside the predicted c^l. */
export interface CorrelationRun {
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  readonly cStar: number | null;
  readonly predicted: readonly number[];
  /** Median, min and max over seeds, per hidden layer. */
  readonly measured: { readonly median: readonly number[]; readonly min: readonly number[]; readonly max: readonly number[] };
}

/** Part 1: the phase diagram of tanh at a fixed depth. */
export interface PhasePart {
  readonly act: string;
  readonly depth: number;
  readonly width: number;
  readonly samples: number;
  readonly seeds: readonly number[];
  readonly sigmaW2: readonly number[];
  readonly sigmaB2: readonly number[];
  /** The predicted critical line: σ_w² with χ₁ = 1 for each σ_b² on a fine grid. */
  readonly criticalLine: readonly { readonly sigmaB2: number; readonly sigmaW2: number | null }[];
  readonly cells: readonly PhaseCell[];
  readonly correlations: readonly CorrelationRun[];
}

/** One (activation, σ_w², σ_b²) point of the gradient-decay comparison. */
export interface DecayPoint {
  readonly label: string;
  readonly act: string;
  readonly init: string;
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  /** Predicted ‖δˡ‖/‖δᴴ‖ per hidden layer. */
  readonly predicted: readonly number[];
  /** Measured ‖δˡ‖/‖δᴴ‖ per hidden layer, median and range over seeds. */
  readonly measured: { readonly median: readonly number[]; readonly min: readonly number[]; readonly max: readonly number[] };
  /** Per layer, geometric mean over the hidden layers of the measured factor ‖δˡ‖/‖δˡ⁺¹‖, over seeds. */
  readonly measuredFactor: ScalarStats;
  /** The predicted factor, geometric mean of √χ(q^l) over the same layers. */
  readonly predictedFactor: number;
}

/** Part 2: measured gradient decay per layer against χ^{1/2}. */
export interface DecayPart {
  readonly depth: number;
  readonly width: number;
  readonly samples: number;
  readonly seeds: readonly number[];
  readonly points: readonly DecayPoint[];
}

/** One depth × σ_w² cell of the trainability map. */
export interface TrainCell {
  readonly depth: number;
  readonly sigmaW2: number;
  /** Test accuracy after the budget, over seeds. */
  readonly accuracy: ScalarStats;
  readonly perSeed: readonly number[];
}

/** Part 3: trainability over depth × σ_w² on the digits, with 6 ξ_c. */
export interface TrainabilityPart {
  readonly act: string;
  readonly sigmaB2: number;
  readonly width: number;
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  readonly optimizer: string;
  readonly seeds: readonly number[];
  readonly depths: readonly number[];
  readonly sigmaW2: readonly number[];
  /** Accuracy above which a cell counts as trained. */
  readonly trainedAbove: number;
  readonly cells: readonly TrainCell[];
  /** 6 ξ_c on a fine σ_w² grid (null at the critical point, where it is infinite). */
  readonly sixXiC: readonly { readonly sigmaW2: number; readonly depth: number | null }[];
}

/** The input–output Jacobian's singular values of one configuration at one depth. */
export interface IsometryRun {
  readonly label: string;
  readonly act: string;
  readonly weights: 'gaussian' | 'orthogonal';
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  readonly depth: number;
  /** Histogram of log10 singular values over seeds: bin edges and counts. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  /** Mean of s² (the theory: χ₁^depth = 1 at criticality). */
  readonly meanSquare: number;
  /** Fraction of singular values within a factor 2 of 1 (in [1/2, 2]): how concentrated the spectrum is. */
  readonly nearOne: number;
  /** The same per seed. */
  readonly perSeedNearOne: readonly number[];
  /** 5th, 50th and 95th percentiles of s. */
  readonly quantiles: readonly [number, number, number];
  readonly maxSingular: number;
}

/** Part 4: dynamical isometry at initialisation. */
export interface IsometryPart {
  readonly width: number;
  readonly depths: readonly number[];
  readonly seeds: readonly number[];
  readonly runs: readonly IsometryRun[];
}

/** One activation × initialiser of the 20-layer comparison. */
export interface CriticalInitRun {
  readonly act: string;
  readonly init: string;
  readonly norm: string;
  /** What the critical initialiser chose (null for other initialisers). */
  readonly rule: string | null;
  readonly sigmaW2: number;
  /** Nielsen's first-to-last ratio over seeds. */
  readonly firstToLast: ScalarStats;
  readonly perSeed: readonly number[];
  /** Seeds whose verdict was 'vanishing' (first-to-last < 1e-2). */
  readonly vanishing: number;
  /** inputCorrelation of the last hidden layer over seeds. */
  readonly lastCorrelation: ScalarStats;
}

/** Part 5: the critical initialiser for GELU, SiLU and softplus at 20 hidden layers. */
export interface CriticalInitPart {
  readonly depth: number;
  readonly width: number;
  readonly samples: number;
  readonly seeds: readonly number[];
  readonly runs: readonly CriticalInitRun[];
  /** Softplus in theory: c* and χ₁ of the critical initialiser's point. */
  readonly softplusTheory: { readonly sigmaW2: number; readonly chi1: number; readonly cStar: number; readonly meanOverRms: number };
}

/** The stage "Order and chaos". */
export interface OrderChaosSection {
  readonly quick: boolean;
  readonly seed: number;
  /** Task seconds per part. */
  readonly seconds: Readonly<Record<string, number>>;
  readonly phase: PhasePart;
  readonly decay: DecayPart;
  readonly trainability: TrainabilityPart;
  readonly isometry: IsometryPart;
  readonly criticalInit: CriticalInitPart;
  readonly claims: readonly StudyClaim[];
}
