/**
 * The shape of `report/results.json` (format `gradscope-study/1`): every
 * number the study shows, by section. The HTML report, summary.md and the
 * web lab's report viewer all read this and only this.
 */

import type { FamiliesPart } from './families.js';
import type { RecurrentSection } from '../experiments/rnn/types.js';
import type { OrderChaosSection } from './order-chaos-types.js';
import type { Msg } from '../i18n/message.js';
import type { Paired, ScalarStats, SeedStats } from '../experiments/stats.js';

export type { Paired, ScalarStats, SeedStats } from '../experiments/stats.js';

/** A curve sampled at points x. */
export interface Curve {
  readonly name: string;
  readonly x: readonly number[];
  readonly f: readonly number[];
  readonly df: readonly number[];
}




/** How a measurement compares with a published claim. */
export type Agreement = 'yes' | 'no' | 'partly' | 'indistinguishable';

/** A published (or the project's own) claim beside what this run measured, and the test that compared them. */
export interface Claim {
  readonly id: string;
  readonly claim: string;
  /** Who says it (paper, or 'gradscope' for the verdict's own rules). */
  readonly source: string;
  /** What the source says or reports, in words and numbers. */
  readonly published: string;
  /** The measured quantity over seeds: median and band (lo, hi), and how many seeds. */
  readonly measured: { readonly median: number | null; readonly lo: number | null; readonly hi: number | null; readonly seeds: number };
  /** What was measured and how it was compared, with the tolerance. */
  readonly test: string;
  readonly agrees: Agreement;
  /** The report section that shows it. */
  readonly section: string;
  /** The claim, published value, test (and source, where it is a sentence) as messages of the catalogue (absent in files written before they existed). */
  readonly said?: { readonly claim: Msg; readonly published: Msg; readonly test: Msg; readonly source?: Msg };
}

/** A first non-finite value during a run. */
export interface NonFinite {
  readonly step: number;
  readonly layer: number;
  readonly quantity: string;
  readonly message: string;
  /** The message as the catalogue's (absent in files written before it existed). */
  readonly said?: Msg;
}

/** The verdict of a probe. */
export interface VerdictJson {
  readonly kind: string;
  readonly cause: string;
  readonly remedies: readonly string[];
  /** The cause and remedies as messages of the catalogue (absent in files written before it existed). */
  readonly said?: { readonly cause: Msg; readonly remedies: readonly Msg[] };
}

/** Stage 1: σ' ≤ 1/4 and the chain product of a one-neuron-per-layer net. */
export interface BoundSection {
  /** Where σ' peaks on a fine grid, and its value (should be x = 0, 1/4). */
  readonly sigmoidDerivativeMax: { readonly x: number; readonly value: number };
  /** f and f' of sigmoid, tanh and relu on [−6, 6]. */
  readonly curves: readonly Curve[];
  /** One chain drawn with w ~ N(0, 1), b ~ N(0, 1): each factor and the running product. */
  readonly chainExample: {
    readonly depth: number;
    readonly seed: number;
    readonly links: readonly { layer: number; w: number; z: number; derivative: number; factor: number; runningProduct: number }[];
    readonly dCdb1Chain: number;
    readonly dCdb1Backprop: number;
  };
  /** |∂C/∂b₁ / ∂C/∂a_L| (the product) over many random chains, by depth. */
  readonly productVsDepth: {
    readonly draws: number;
    readonly depth: readonly number[];
    readonly median: readonly number[];
    readonly q10: readonly number[];
    readonly q90: readonly number[];
    /** The bound (1/4)^depth · Π|w| is not fixed; this is (1/4)^depth for |w| = 1. */
    readonly quarterPower: readonly number[];
  };
  /** Width of the band of inputs a with |w·σ'(w·a + b)| ≥ 1, as a function of |w| (Nielsen: max ≈ 0.45 at |w| ≈ 6.9). */
  readonly band: {
    readonly w: readonly number[];
    readonly width: readonly number[];
    readonly maxWidth: number;
    readonly argmaxW: number;
    readonly minW: number;
  };
}

/** One network of Nielsen's measurement. */
export interface NielsenNetwork {
  readonly arch: readonly number[];
  /** Published ‖δ‖ per hidden layer (null for [784,30,10], which the book does not tabulate). */
  readonly published: readonly number[] | null;
  /** Measured ‖δ‖ per hidden layer over seeds. */
  readonly measured: SeedStats;
  /** Last hidden / first hidden over seeds. */
  readonly ratioLastFirst: ScalarStats;
  readonly publishedRatio: number | null;
}

/** One 500-step "speed of learning" run. */
export interface SpeedRun {
  readonly arch: readonly number[];
  readonly seed: number;
  /** norms[l][t] = ‖δ‖ of hidden layer l+1 before step t. */
  readonly norms: readonly (readonly number[])[];
  readonly loss: readonly number[];
  /** Step of the minimum of each layer's norm. */
  readonly argmin: readonly number[];
}

/** What one speed-of-learning run shows, in numbers (every seed). */
export interface SpeedSummary {
  readonly arch: readonly number[];
  readonly seed: number;
  /** Step of the minimum of each hidden layer's norm. */
  readonly argmin: readonly number[];
  /** Fraction of the steps at which the first hidden layer has the smallest norm, and at which every layer is below the next. */
  readonly firstSlowest: number;
  readonly fullOrder: number;
}

/** The book's training recipe for the 4-hidden sigmoid net, on our digits, over seeds. */
export interface BookRecipe {
  readonly arch: readonly number[];
  readonly steps: number;
  readonly batch: number;
  readonly eta: number;
  readonly trainSize: number;
  readonly testSize: number;
  readonly seeds: readonly number[];
  readonly perSeed: readonly { readonly seed: number; readonly testAccuracy: number; readonly trained: boolean }[];
  readonly testAccuracy: ScalarStats;
  /** Accuracy of always answering the most frequent test class, and the margin above it that counts as trained. */
  readonly chance: number;
  readonly margin: number;
  /** Nielsen's validation accuracy for this network (50,000 training images, 30 epochs). */
  readonly published: number;
}

/** Stage 2: Nielsen's measurement. */
export interface NielsenSection {
  readonly samples: number;
  readonly seeds: number;
  readonly networks: readonly NielsenNetwork[];
  readonly training: {
    readonly steps: number;
    readonly eta: number;
    readonly lambda: number;
    readonly seeds: readonly number[];
    /** The first seed's run of each trained network, for the charts. */
    readonly runs: readonly SpeedRun[];
    readonly summaries: readonly SpeedSummary[];
  };
  readonly bookRecipe: BookRecipe;
  /** Nielsen's published validation accuracy (50,000 training images, 30 epochs, 10,000 validation images) for reference. */
  readonly publishedAccuracy: readonly { arch: readonly number[]; accuracy: number }[];
}

/** One activation × depth cell at initialisation, over many seeds. */
export interface ActDepthInit {
  readonly seeds: number;
  /** ‖δ‖ per layer (all weight layers, input side first). */
  readonly initNorms: SeedStats;
  readonly firstToLast: ScalarStats;
  /** How many seeds got each verdict kind (primary), and each finding (any). */
  readonly verdicts: Readonly<Record<string, number>>;
  readonly findings: Readonly<Record<string, number>>;
  /** The verdict of the first seed, with its cause and remedies. */
  readonly verdict: VerdictJson;
  /** Input correlation of the last hidden layer. */
  readonly inputCorrelation: ScalarStats;
}

/** One training run of a cell: one learning rate, one seed. */
export interface CellRun {
  readonly lr: number;
  readonly seed: number;
  readonly validationAccuracy: number;
  readonly testAccuracy: number;
  readonly finalLoss: number;
  readonly nonFinite: string | null;
  /** The same as a message of the catalogue (absent when there is none, or in files written before it existed). */
  readonly nonFiniteSaid?: Msg;
  readonly trained: boolean;
}

/** One activation × depth cell trained: the rate chosen on the validation split, and the test accuracy there over seeds. */
export interface ActDepthTraining {
  /** Validation accuracy of each rate of the grid over the selection seeds (a run that blew up counts as 0). */
  readonly selection: readonly { readonly lr: number; readonly validation: ScalarStats; readonly diverged: number }[];
  readonly chosenLr: number;
  /** Every run at the chosen rate, seed order. */
  readonly runs: readonly CellRun[];
  /** Test accuracy at the chosen rate over the seeds (a run that blew up counts as 0). */
  readonly testAccuracy: ScalarStats;
  readonly trainedSeeds: number;
  /** ‖δ‖ per layer of the first seed at the chosen rate, at initialisation and after training. */
  readonly normsInit: readonly number[];
  readonly normsEnd: readonly number[];
}

/** One activation × depth cell. */
export interface ActDepthCell {
  readonly activation: string;
  /** Hidden layers. */
  readonly depth: number;
  readonly init: string;
  readonly atInit: ActDepthInit;
  readonly training: ActDepthTraining | null;
}

/** Point 8: the usual initialiser is He's 2/n; the first-to-last ratio at other weight variances g/n. */
export interface GainPart {
  readonly depth: number;
  readonly seeds: number;
  readonly gains: readonly number[];
  readonly runs: readonly { readonly activation: string; readonly gain: number; readonly firstToLast: ScalarStats; readonly vanishing: number; readonly exploding: number; readonly inputCorrelation: ScalarStats }[];
}

/** A paired comparison of two cells' test accuracy at the same depth. */
export interface CellComparison {
  readonly depth: number;
  readonly a: string;
  readonly b: string;
  readonly paired: Paired;
}

/** Stage 3: activation × depth. */
export interface ActDepthSection {
  readonly activations: readonly string[];
  readonly depths: readonly number[];
  readonly width: number;
  readonly steps: number;
  readonly batch: number;
  readonly optimizer: string;
  readonly loss: string;
  readonly trainSize: number;
  readonly validationSize: number;
  readonly testSize: number;
  readonly seed: number;
  /** The learning-rate grid, the seeds that choose the rate, and every seed trained at the chosen rate. */
  readonly lrs: readonly number[];
  readonly selectionSeeds: readonly number[];
  readonly seeds: readonly number[];
  /** Probe examples and seeds of the measurements at initialisation. */
  readonly probeExamples: number;
  readonly initSeeds: number;
  readonly chance: number;
  readonly margin: number;
  /** Initialiser used with each activation, and whether its scale was derived for it. */
  readonly inits: Readonly<Record<string, string>>;
  readonly initDerived: Readonly<Record<string, boolean>>;
  readonly cells: readonly ActDepthCell[];
  /** At the deepest depth, every activation against the best one (paired by seed). */
  readonly versusBest: readonly CellComparison[];
  readonly gain: GainPart;
}

/** One arm of the clipping comparison on the exploding network. */
export interface ClipArm {
  readonly label: string;
  /** The label as a message of the catalogue (absent in files written before it existed). */
  readonly said?: Msg;
  readonly lr: number;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly maxNorm: number | null;
  readonly outcomes: readonly SeedOutcome[];
  /** Training loss and gradient norm (before clipping) of the first seed, every step until it stops. */
  readonly loss: readonly number[];
  readonly gradNorm: readonly number[];
}

/** Stage 4: exploding gradients. */
export interface ExplodingSection {
  /** Nielsen's chain with w = 100 and z = 0: every factor is 100·σ'(0) = 25. */
  readonly chain: { readonly w: number; readonly factor: number; readonly depths: readonly number[]; readonly product: readonly number[] };
  /** Fresh nets with weights N(0, σ²): first-to-last ratio by σ, over seeds. */
  readonly variance: readonly {
    readonly activation: string;
    readonly sigma: number;
    readonly depth: number;
    readonly seeds: number;
    readonly firstToLast: ScalarStats;
    readonly verdicts: Readonly<Record<string, number>>;
    readonly verdict: VerdictJson;
  }[];
  /** A network whose gradient grows with depth, trained without a remedy, with clipping, and at a lower learning rate. */
  readonly clipping: {
    readonly description: string;
    /** The description as a message of the catalogue (absent in files written before it existed). */
    readonly said?: Msg;
    readonly gain: number;
    readonly depth: number;
    readonly width: number;
    readonly steps: number;
    readonly seeds: readonly number[];
    /** The first-to-last ratio at initialisation over many seeds, and the verdicts. */
    readonly atInit: { readonly seeds: number; readonly firstToLast: ScalarStats; readonly verdicts: Readonly<Record<string, number>> };
    readonly chance: number;
    readonly margin: number;
    readonly arms: readonly ClipArm[];
  };
}

/** Stage 5, part 1 (Glorot & Bengio 2010): tanh nets of 1000-unit layers, "standard" vs normalised initialisation. */
export interface GlorotPart {
  readonly units: number;
  readonly hidden: number;
  /** Probe-batch size, and examples per layer whose Jacobian singular values are computed exactly. */
  readonly examples: number;
  readonly jacobianSamples: number;
  readonly seeds: readonly number[];
  readonly runs: readonly {
    readonly init: string;
    /** The paper's mean singular value for this scheme (≈ 0.5 standard, ≈ 0.8 normalised). */
    readonly published: number;
    /** Mean singular value of ∂aˡ/∂aˡ⁻¹ per hidden layer, over seeds. */
    readonly meanSingular: SeedStats;
    /** The same averaged over the square hidden layers 2..H (the input layer is 1000 × 784). */
    readonly meanSingularHidden: ScalarStats;
    /** ‖δˡ‖ (batch-mean ∂C/∂bˡ) and ‖∂C/∂Wˡ‖ per weight layer, over seeds. */
    readonly deltaNorms: SeedStats;
    readonly weightGradNorms: SeedStats;
    /** Geometric mean of ‖δˡ‖/‖δˡ⁺¹‖ over the hidden layers: the factor per layer toward the input. */
    readonly deltaFactor: ScalarStats;
  }[];
}

/** One training outcome on one seed. */
export interface SeedOutcome {
  readonly seed: number;
  /** Mean training loss of the first and of the last 10 % of the steps (non-finite: null after JSON). */
  readonly firstLoss: number;
  readonly lastLoss: number;
  readonly testAccuracy: number;
  readonly nonFinite: NonFinite | null;
  readonly clipEvents: number;
  /** Steps run, and the fraction of them on which the gradient was clipped. */
  readonly steps: number;
  readonly clippedFraction: number;
  readonly maxNormRows: number;
  /** Test accuracy above chance by the stated margin (finite runs only). */
  readonly trained: boolean;
}

/** Stage 5, part 2 (He et al. 2015): 30-layer ReLU nets, xavier_normal vs he_normal. */
export interface HePart {
  readonly depth: number;
  readonly width: number;
  readonly seeds: number;
  readonly trainSeeds: readonly number[];
  readonly steps: number;
  readonly lr: number;
  readonly optimizer: string;
  /** Training losses are kept every `lossEvery` steps. */
  readonly lossEvery: number;
  readonly runs: readonly {
    readonly init: string;
    /** Std of the activations per hidden layer at initialisation, over seeds. */
    readonly activationStd: SeedStats;
    /** Per-layer factor (std_L / std_2)^(1/(L−2)), over seeds; He et al.: 1/√2 for Xavier, 1 for theirs. */
    readonly stdFactor: ScalarStats;
    readonly firstToLast: ScalarStats;
    readonly training: readonly SeedOutcome[];
    /** Training loss of the first training seed, every `lossEvery` steps. */
    readonly loss: readonly number[];
  }[];
}

/** Stage 5, part 3 (Klambauer et al. 2017): activation mean and variance through depth. */
export interface SeluPart {
  readonly depth: number;
  readonly width: number;
  readonly seeds: number;
  /** How the probe inputs were prepared. */
  readonly inputs: string;
  readonly runs: readonly { readonly activation: string; readonly init: string; readonly mean: SeedStats; readonly variance: SeedStats }[];
}

/** One network of the normalisation × residual comparison. */
export interface NormResidualRun {
  readonly label: string;
  readonly norm: string;
  readonly residual: boolean;
  readonly depth: number;
  /** ‖δˡ‖ per weight layer at initialisation, over seeds. */
  readonly initNorms: SeedStats;
  readonly firstToLast: ScalarStats;
  readonly verdicts: Readonly<Record<string, number>>;
  /** Training loss of the first seed, and every seed's outcome. */
  readonly loss: readonly number[];
  readonly outcomes: readonly SeedOutcome[];
}

/** Stage 5, part 4: deep sigmoid nets with and without batch/layer normalisation and residual blocks. */
export interface NormResidualPart {
  readonly activation: string;
  readonly init: string;
  readonly width: number;
  readonly depths: readonly number[];
  readonly seeds: number;
  readonly trainSeeds: readonly number[];
  readonly steps: number;
  readonly lr: number;
  readonly optimizer: string;
  readonly lossEvery: number;
  readonly runs: readonly NormResidualRun[];
}

/** Stage 5, part 5: the exploding network with clipping by value and a max-norm constraint, beside stage 4's arms. */
export interface ClippingPart {
  readonly description: string;
  /** The description as a message of the catalogue (absent in files written before it existed). */
  readonly said?: Msg;
  readonly seeds: readonly number[];
  readonly steps: number;
  readonly lossEvery: number;
  readonly runs: readonly ClipArm[];
}

/** Stage 5, part 6: optimisers, schedules, regularisation and pre-training on one deep sigmoid net. */
export interface TrainingRemediesPart {
  readonly activation: string;
  readonly depth: number;
  readonly width: number;
  readonly init: string;
  readonly steps: number;
  readonly seeds: readonly number[];
  readonly lossEvery: number;
  /** ‖δˡ‖ per weight layer at initialisation (first seed; the same weights for every run of a seed). */
  readonly initNorms: readonly number[];
  readonly runs: readonly {
    readonly label: string;
    /** The settings in words. */
    readonly what: string;
    /** After training, first seed: ‖δˡ‖ and ‖ΔWˡ‖/‖Wˡ‖ of the last step, per weight layer. */
    readonly endNorms: readonly number[];
    readonly updateRatios: readonly number[];
    readonly firstToLast: number | null;
    readonly loss: readonly number[];
    readonly outcomes: readonly SeedOutcome[];
    /** Reconstruction loss per hidden layer when the run was pre-trained (first seed). */
    readonly pretrain?: readonly { readonly layer: number; readonly lossStart: number; readonly lossEnd: number }[];
  }[];
}

/** Stage 5: remedies — each with the per-layer gradients with and without it, on the same seeds. */
export interface RemediesSection {
  readonly quick: boolean;
  readonly seed: number;
  /** Accuracy of always answering the most frequent test class, and the margin above it that counts as trained. */
  readonly chance: number;
  readonly margin: number;
  /** Seconds per part. */
  readonly seconds: Readonly<Record<string, number>>;
  readonly glorot: GlorotPart;
  readonly he: HePart;
  readonly selu: SeluPart;
  readonly normResidual: NormResidualPart;
  readonly clipping: ClippingPart;
  readonly training: TrainingRemediesPart;
}

/** How well a recommendation stands up to this run's measurements. */
export type Support = 'supported' | 'qualified' | 'not supported';

/** Stage 7: which activation where, each claim with its measured evidence. */
export interface ConclusionSection {
  /** Each row in English, and `said`: the same as messages of the catalogue (absent in files written before it existed). */
  readonly rows: readonly { readonly where: string; readonly use: string; readonly avoid: string; readonly evidence: string; readonly said?: { readonly where: Msg; readonly use: Msg; readonly avoid: Msg; readonly evidence: Msg } }[];
  /** The project's starting recommendations, each judged by the numbers. */
  readonly recommendations: readonly { readonly id: string; readonly recommendation: string; readonly status: Support; readonly evidence: string; readonly said?: { readonly recommendation: Msg; readonly evidence: Msg } }[];
}

/** The whole results file. */
export interface StudyResults {
  readonly format: 'gradscope-study/1';
  readonly version: string;
  readonly createdAt: string;
  readonly quick: boolean;
  readonly seed: number;
  readonly machine: { readonly node: string; readonly platform: string; readonly cpus: number };
  readonly seconds: Readonly<Record<string, number>>;
  readonly bound: BoundSection;
  readonly nielsen: NielsenSection;
  readonly activationDepth: ActDepthSection;
  readonly exploding: ExplodingSection;
  /** Stage 5 (absent in results written before it existed). */
  readonly remedies?: RemediesSection;
  /** Stage 6: recurrent nets (absent in results written before it existed). */
  readonly recurrent?: RecurrentSection;
  /** Stage "Order and chaos": signal-propagation theory beside measurement (absent in older results). */
  readonly orderChaos?: OrderChaosSection;
  readonly conclusions: ConclusionSection;
  /** Every claim the study tests, with its measurement over seeds and the verdict of the comparison. */
  readonly claims: readonly Claim[];
  /** The three families' maps and what was measured of each variant (absent in results written before it existed). */
  readonly families?: FamiliesPart;
}
