/**
 * What each loss can score, checked before it is computed, so that targets
 * and outputs outside a loss's domain are refused in a sentence naming the
 * row, the column and the value instead of giving numbers that mean
 * nothing: binary cross-entropy needs targets in [0, 1]; cross-entropy
 * needs each target row to be a distribution (non-negative, summing to 1);
 * both read the outputs as logits or as their own probabilities, never as
 * another activation's (sigmoid probabilities under cross-entropy); the
 * quadratic loss takes any finite target. Pure.
 */
import type { LossName } from './losses.js';

/** How far a cross-entropy target row may sum from 1 (float64 JSON of soft labels rounds). */
export const DISTRIBUTION_TOLERANCE = 1e-6;

/** The first problem with targets y(B,C) for `loss` ("row 2, column 0 is 5: …"), or null when they are fine. */
export function targetProblem(loss: LossName, y: ArrayLike<number>, B: number, C: number): string | null {
  for (let r = 0; r < B; r++) {
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const v = y[r * C + c];
      if (!Number.isFinite(v)) return `row ${r}, column ${c} is ${v}; targets must be finite numbers`;
      if (loss === 'binary_cross_entropy' && !(v >= 0 && v <= 1)) return `row ${r}, column ${c} is ${v}; binary_cross_entropy needs targets in [0, 1] (probabilities of the positive class)`;
      if (loss === 'cross_entropy' && v < 0) return `row ${r}, column ${c} is ${v}; cross_entropy needs targets ≥ 0 (each row a distribution over the classes)`;
      sum += v;
    }
    if (loss === 'cross_entropy' && Math.abs(sum - 1) > DISTRIBUTION_TOLERANCE) return `row ${r} sums to ${sum}; cross_entropy needs each target row to sum to 1 (one-hot, or a distribution over the classes)`;
  }
  return null;
}

/**
 * The problem with scoring a network whose last layer is the activation
 * `last` (null: a dense layer) with `loss`, or null when they go together:
 * the cross-entropies read their outputs as logits (a dense or linear last
 * layer) or as their own probabilities (softmax, sigmoid) — anything else,
 * such as sigmoid probabilities under cross_entropy, would be squashed again.
 */
export function outputLayerProblem(loss: LossName, last: string | null): string | null {
  const own = loss === 'cross_entropy' ? 'softmax' : loss === 'binary_cross_entropy' ? 'sigmoid' : null;
  if (own === null || last === null || last === own || last === 'linear') return null;
  return `${loss} reads the outputs as logits (a dense last layer) or as a ${own}, but the last layer is '${last}'; end the model with a ${own} or dense layer, or use another loss`;
}
