/**
 * The remedies of each verdict, in order of expected effect, written for the
 * network at hand: a remedy the network already has is not advised (batch
 * normalisation on a batch-normalised net), and the initialiser advice says
 * keep, replace or rescale depending on whether the current initialiser is
 * the one usually paired with the activation — never "use X instead of X".
 */
import type { NormKind } from '../nn/build.js';
import { initFamily, isMatchedInit, matchedInit } from './matched-init.js';
import type { Finding } from './verdict.js';

/** What the network already has, as far as the remedies care. */
export interface NetShape {
  readonly norm: NormKind;
  readonly residual: boolean;
}

/** What the remedies are written for. */
export interface RemedyContext {
  readonly init: string;
  /** The hidden layers' activations (one entry when they are all the same). */
  readonly activations: readonly string[];
  readonly net: NetShape;
}

const SATURATING = new Set(['sigmoid', 'tanh', 'hardsigmoid', 'hard_sigmoid_keras2', 'bipolar_sigmoid', 'lecun_tanh', 'softsign', 'hardtanh', 'logsigmoid']);
const DYING = new Set(['relu', 'relu6']);
/** Activations whose output is positive on every input: their shared mean adds up from layer to layer. */
const POSITIVE = new Set(['sigmoid', 'softplus', 'hardsigmoid', 'hard_sigmoid_keras2']);

/** The initialiser usually paired with the (single) hidden activation, or null for a mixed net. */
function usual(c: RemedyContext): { act: string; init: string; derived: boolean } | null {
  if (c.activations.length !== 1) return null;
  const m = matchedInit(c.activations[0]);
  return { act: c.activations[0], init: m.init, derived: m.derived };
}

/** The initialiser advice when the gradient shrinks (vanishing) or when the units start dead. */
function growInit(c: RemedyContext): string | null {
  const u = usual(c);
  if (u === null) return initFamily(c.init) === null ? `Replace '${c.init}' by a variance-preserving initialiser matched to each layer's activation: he_normal for the ReLU family, xavier_uniform for tanh, lecun_normal for selu.` : null;
  if (!isMatchedInit(c.init, u.act)) return `Replace '${c.init}' by ${u.init}, the initialiser usually paired with ${u.act}: it keeps the size of the signal and of the gradient from layer to layer.`;
  if (!u.derived) return `${c.init} is the usual choice for ${u.act}, but its scale (Var(W) = 2/n_in) was derived for ReLU, not for ${u.act}: a somewhat larger weight variance can keep the gradient's size; measure the first-to-last ratio at a few scales.`;
  return null;
}

/** The initialiser advice when the weights are too large (exploding, saturated). */
function shrinkInit(c: RemedyContext, kind: 'exploding' | 'saturated'): string {
  const u = usual(c);
  if (u !== null && isMatchedInit(c.init, u.act)) {
    return kind === 'exploding'
      ? `The initialiser (${c.init}) already matches ${u.act}; if the blow-up came during training, the updates grew the weights: lower the learning rate or add weight regularisation (L2).`
      : `The initialiser (${c.init}) already matches ${u.act}; if the layer saturated during training, the updates grew the weights: lower the learning rate or add weight regularisation (L2).`;
  }
  return u !== null
    ? `Use smaller initial weights than '${c.init}': ${u.init} is the initialiser usually paired with ${u.act}.`
    : `Use smaller initial weights than '${c.init}': xavier_uniform for tanh/sigmoid, he_normal for the ReLU family.`;
}

const batchNorm = (c: RemedyContext, why: string): string | null => (c.net.norm === 'batch' ? null : `Add batch normalisation between the linear part and the activation, ${why}.`);

/** The remedies of the primary finding `f`, in order of expected effect, with nothing the network already has. */
export function remediesFor(f: Finding, c: RemedyContext): string[] {
  const act = c.activations.join('/');
  const saturating = c.activations.some((a) => SATURATING.has(a));
  const list: (string | null)[] = [];
  switch (f.kind) {
    case 'exploding':
      list.push(
        'Clip the gradient by global norm, e.g. at c = 1: g ← c·g/‖g‖ when ‖g‖ ≥ c.',
        shrinkInit(c, 'exploding'),
        'Lower the learning rate.',
        batchNorm(c, 'to keep the pre-activations in range'),
      );
      break;
    case 'dead': {
      const dying = c.activations.some((a) => DYING.has(a));
      const u = usual(c);
      list.push(
        'Use leaky_relu (slope 0.01–0.2), prelu (learned slope) or elu: their derivative is never exactly 0, so a unit can come back.',
        'If the units died during training, lower the learning rate: large updates push biases far negative and kill units.',
        u !== null && isMatchedInit(c.init, u.act)
          ? `Keep ${c.init}, and start the biases at zero or a small positive value (e.g. 0.01) so every unit begins active on some inputs.`
          : dying || u === null
            ? `Initialise with he_normal instead of '${c.init}', with zero or small positive biases.`
            : `Initialise with ${u.init} instead of '${c.init}', with zero biases.`,
        batchNorm(c, 'to keep the pre-activations centred so every unit is active on part of the batch'),
      );
      break;
    }
    case 'vanishing':
      list.push(
        saturating ? `Use relu (or leaky_relu / elu / gelu) in the hidden layers instead of ${act}: their derivative is 1 for x > 0, so the factors do not shrink.` : null,
        c.activations.includes('sigmoid') ? "If you keep a squashing function, prefer tanh to sigmoid: f'(0) = 1 instead of 1/4, and zero-centred outputs." : null,
        growInit(c),
        batchNorm(c, "to keep pre-activations where f' is large"),
        c.net.residual ? null : 'Add residual (skip) connections: the identity path carries the gradient past every layer.',
        'Use fewer layers, or pre-train layer by layer.',
      );
      break;
    case 'saturated':
      list.push(
        shrinkInit(c, 'saturated'),
        batchNorm(c, 'to bring the pre-activations back to where f\' is large'),
        saturating ? 'Use a non-saturating activation (relu, leaky_relu, elu, gelu) in the hidden layers.' : null,
        'Standardise the inputs.',
      );
      break;
    case 'collapsed':
      list.push(
        batchNorm(c, 'which subtracts each unit\'s mean over the batch — the component every input shares — and keeps what tells the inputs apart'),
        c.net.residual ? null : 'Add residual (skip) connections: each block adds its input back, so the differences between inputs survive depth.',
        c.activations.some((a) => POSITIVE.has(a)) ? `Try tanh, or relu with he_normal, in place of ${act}, whose output is positive on every input: that shared positive part adds up layer after layer until it is all the next layer sees.` : null,
        'Move the initialisation toward the edge of chaos: a larger weight variance or smaller biases decorrelate the layers (the correlation map has its fixed point below 1 there).',
        'Use fewer layers.',
      );
      break;
  }
  return list.filter((s): s is string => s !== null);
}
