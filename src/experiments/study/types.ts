/**
 * The shape of `report/results.json` (format `gradscope-study/1`): every
 * number the study shows, by section. The HTML report, summary.md and the
 * web lab's report viewer all read this and only this.
 */

/** A curve sampled at points x. */
export interface Curve {
  readonly name: string;
  readonly x: readonly number[];
  readonly f: readonly number[];
  readonly df: readonly number[];
}

/** Median and range over seeds, per layer. */
export interface SeedStats {
  readonly median: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
}

/** Median and range of one scalar over seeds. */
export interface ScalarStats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** A first non-finite value during a run. */
export interface NonFinite {
  readonly step: number;
  readonly layer: number;
  readonly quantity: string;
  readonly message: string;
}

/** The verdict of a probe. */
export interface VerdictJson {
  readonly kind: string;
  readonly cause: string;
  readonly remedies: readonly string[];
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
  readonly perSeed: readonly (readonly number[])[];
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

/** Stage 2: Nielsen's measurement. */
export interface NielsenSection {
  readonly samples: number;
  readonly seeds: readonly number[];
  readonly networks: readonly NielsenNetwork[];
  readonly training: {
    readonly steps: number;
    readonly eta: number;
    readonly lambda: number;
    readonly runs: readonly SpeedRun[];
  };
  /** Nielsen's published test accuracy (50,000 training images, 30 epochs) for reference. */
  readonly publishedAccuracy: readonly { arch: readonly number[]; accuracy: number }[];
}

/** One activation × depth run. */
export interface ActDepthRun {
  readonly activation: string;
  /** Hidden layers. */
  readonly depth: number;
  readonly init: string;
  /** ‖δ‖ per layer (all weight layers, input side first) at initialisation. */
  readonly initNorms: readonly number[];
  readonly firstToLast: number | null;
  readonly verdict: VerdictJson;
  /** ‖δ‖ per layer during training: norms[l][k] at steps[k]. */
  readonly during: { readonly steps: readonly number[]; readonly norms: readonly (readonly number[])[] };
  readonly finalLoss: number;
  readonly testAccuracy: number;
  readonly nonFinite: NonFinite | null;
  readonly seconds: number;
}

/** Stage 3: activation × depth. */
export interface ActDepthSection {
  readonly activations: readonly string[];
  readonly depths: readonly number[];
  readonly width: number;
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  readonly optimizer: string;
  readonly loss: string;
  readonly trainSize: number;
  readonly testSize: number;
  readonly seed: number;
  /** Initialiser used with each activation. */
  readonly inits: Readonly<Record<string, string>>;
  readonly runs: readonly ActDepthRun[];
}

/** Stage 4: exploding gradients. */
export interface ExplodingSection {
  /** Nielsen's chain with w = 100 and z = 0: every factor is 100·σ'(0) = 25. */
  readonly chain: { readonly w: number; readonly factor: number; readonly depths: readonly number[]; readonly product: readonly number[] };
  /** Fresh nets with weights N(0, σ²): first-to-last ratio by σ. */
  readonly variance: readonly {
    readonly activation: string;
    readonly sigma: number;
    readonly depth: number;
    readonly initNorms: readonly number[];
    readonly firstToLast: number | null;
    readonly verdict: VerdictJson;
  }[];
  /** A diverging training run without and with clipping by global norm. */
  readonly clipping: {
    readonly description: string;
    readonly clipNorm: number;
    readonly without: { readonly loss: readonly number[]; readonly gradNorm: readonly number[]; readonly nonFinite: NonFinite | null };
    readonly with: { readonly loss: readonly number[]; readonly gradNorm: readonly number[]; readonly nonFinite: NonFinite | null; readonly clipEvents: number };
  };
}

/** Stage 7: which activation where, each claim with its measured evidence. */
export interface ConclusionSection {
  readonly rows: readonly { readonly where: string; readonly use: string; readonly avoid: string; readonly evidence: string }[];
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
  readonly conclusions: ConclusionSection;
}
