/**
 * The verdict of a probe: one word for the state of the gradient flow, the
 * cause in a sentence with the measured numbers, and the remedies that apply,
 * in order of expected effect.
 */
import type { NonFiniteFinding } from '../nn/nonfinite.js';
import type { LayerDiagnostics } from './layer-stats.js';

/** The five verdicts. */
export type VerdictKind = 'vanishing' | 'exploding' | 'dead' | 'saturated' | 'healthy';

/** A verdict with its cause and advice. */
export interface Verdict {
  readonly kind: VerdictKind;
  readonly cause: string;
  readonly remedies: readonly string[];
  /** The first non-finite value, when that is why it explodes. */
  readonly nonFinite?: NonFiniteFinding;
}

/** Thresholds on the first-to-last ratio and on the dead and saturated fractions. */
export const THRESHOLDS = { vanishing: 1e-2, exploding: 1e2, dead: 0.5, saturated: 0.5 } as const;

const SATURATING = new Set(['sigmoid', 'tanh', 'hardsigmoid', 'hard_sigmoid_keras2', 'bipolar_sigmoid', 'lecun_tanh', 'softsign', 'hardtanh', 'logsigmoid']);
const DYING = new Set(['relu', 'relu6']);

function fmt(x: number): string {
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(3) : x.toExponential(2);
}

/** Judges a probe from its per-layer diagnostics and Nielsen's first-to-last ratio. */
export function verdictOf(layers: readonly LayerDiagnostics[], ratio: number | null, init: string, nonFinite?: NonFiniteFinding | null): Verdict {
  const hidden = layers.slice(0, -1);
  const acts = [...new Set(hidden.map((l) => l.activation))];
  const act = acts.join('/');
  const saturating = acts.some((a) => SATURATING.has(a));
  const anyNonFinite = layers.some((l) => !Number.isFinite(l.biasGradNorm) || !Number.isFinite(l.weightGradNorm));
  if (nonFinite || anyNonFinite) {
    const where = nonFinite ? nonFinite.message : `layer ${layers.find((l) => !Number.isFinite(l.biasGradNorm) || !Number.isFinite(l.weightGradNorm))?.index}: a gradient norm is not finite`;
    return {
      kind: 'exploding',
      cause: `A non-finite value appeared (${where}): the per-layer factors |w·f'(z)| exceed 1 and their product overflowed.`,
      remedies: exploding(init),
      ...(nonFinite ? { nonFinite } : {}),
    };
  }
  if (ratio !== null && ratio > THRESHOLDS.exploding) {
    return {
      kind: 'exploding',
      cause: `The first layer's gradient is ${fmt(ratio)}× the last hidden layer's (> ${THRESHOLDS.exploding}): the factors w·f'(z) exceed 1 and multiply up toward the input.`,
      remedies: exploding(init),
    };
  }
  if (ratio !== null && ratio < THRESHOLDS.vanishing) {
    const remedies: string[] = [];
    if (saturating) remedies.push(`Use relu (or leaky_relu / elu / gelu) in the hidden layers instead of ${act}: their derivative is 1 for x > 0, so the factors do not shrink.`);
    if (acts.includes('sigmoid')) remedies.push("If you keep a squashing function, prefer tanh to sigmoid: f'(0) = 1 instead of 1/4, and zero-centred outputs.");
    remedies.push(init.startsWith('he') || init.startsWith('xavier') || init.startsWith('lecun') ? `Keep a variance-preserving initialiser (${init} is one) matched to the activation: he_* for the ReLU family, xavier_* for tanh.` : `Replace '${init}' by a variance-preserving initialiser: he_normal for the ReLU family, xavier_uniform for tanh, lecun_normal for selu.`);
    remedies.push('Add batch normalisation between the linear part and the activation, to keep pre-activations where f\' is large.');
    remedies.push('Add residual (skip) connections: the identity path carries the gradient past every layer.');
    remedies.push('Use fewer layers, or pre-train layer by layer.');
    return {
      kind: 'vanishing',
      cause: `The first layer's gradient is ${fmt(ratio)}× the last hidden layer's (< ${THRESHOLDS.vanishing}): each layer multiplies it by a factor |w·f'(z)| below 1 (mean |f'| of layer 1: ${fmt(hidden[0]?.meanAbsDerivative ?? NaN)}), so early layers learn about ${fmt(1 / ratio)}× slower.`,
      remedies,
    };
  }
  // the output layer is judged by the loss, not by these checks: a converged softmax saturates by design
  const dead = hidden.find((l) => l.deadFraction > THRESHOLDS.dead);
  if (dead) {
    return {
      kind: 'dead',
      cause: `${fmt(100 * dead.deadFraction)} % of the units of layer ${dead.index} (${dead.activation}) have f'(z) = 0 on every example: they pass no gradient and no longer learn.`,
      remedies: [
        'Use leaky_relu (slope 0.01–0.2), prelu (learned slope) or elu: their derivative is never exactly 0.',
        'Lower the learning rate: large updates push biases far negative and kill units.',
        DYING.has(dead.activation) ? `Initialise with he_normal (not '${init}') and zero or small positive biases.` : 'Initialise with he_normal and zero biases.',
        'Add batch normalisation before the activation to keep pre-activations centred.',
      ],
    };
  }
  const sat = hidden.find((l) => l.saturatedFraction > THRESHOLDS.saturated);
  if (sat) {
    return {
      kind: 'saturated',
      cause: `${fmt(100 * sat.saturatedFraction)} % of the pre-activations of layer ${sat.index} (${sat.activation}) sit where |f'(z)| < 1e-3·max|f'|: the layer passes almost no gradient.`,
      remedies: [
        `Scale the weights down: '${init}' makes |z| large; use xavier_uniform for tanh/sigmoid or he_normal for the ReLU family.`,
        'Add batch normalisation before the activation.',
        'Use a non-saturating activation (relu, leaky_relu, elu, gelu) in hidden layers.',
        'Standardise the inputs.',
      ],
    };
  }
  const r = ratio === null ? 'no hidden layer to compare' : `first-to-last ratio ${fmt(ratio)}`;
  // within the thresholds, but say so when the first layer already learns 10× slower or faster
  const drift =
    ratio !== null && ratio < 0.1
      ? ` Still, the first layer learns ${fmt(1 / ratio)}× slower than the last hidden layer: more depth would make it vanish.`
      : ratio !== null && ratio > 10
        ? ` Still, the first layer's gradient is ${fmt(ratio)}× the last hidden layer's: more depth would make it explode.`
        : '';
  return {
    kind: 'healthy',
    cause: `Gradients reach every layer within the thresholds (${r}; vanishing below ${THRESHOLDS.vanishing}, exploding above ${THRESHOLDS.exploding}), with no hidden layer mostly dead or saturated.${drift}`,
    remedies: [],
  };
}

function exploding(init: string): string[] {
  return [
    'Clip the gradient by global norm (e.g. --clip-norm 1): g ← c·g/‖g‖ when ‖g‖ ≥ c.',
    `Use smaller initial weights than '${init}': xavier_uniform for tanh/sigmoid, he_normal for the ReLU family.`,
    'Lower the learning rate.',
    'Add batch normalisation, and weight regularisation (L2) to keep |w| small.',
  ];
}
