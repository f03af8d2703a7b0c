/**
 * What each loss can score, checked before it is computed, so that targets
 * and outputs outside a loss's domain are refused in a sentence naming the
 * row, the column and the value instead of giving numbers that mean
 * nothing: binary cross-entropy needs targets in [0, 1] and outputs in
 * (0, 1); cross-entropy needs each target row to be a distribution
 * (non-negative, summing to 1) and reads the outputs as logits or as a
 * softmax, never as sigmoid probabilities; the quadratic loss takes any
 * finite target. Pure.
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
 * `last` (null: a dense layer) with `loss`, or null when they go together.
 */
export function outputLayerProblem(loss: LossName, last: string | null): string | null {
  if (loss === 'cross_entropy' && last !== null && last !== 'softmax' && last !== 'linear') {
    return `cross_entropy reads the outputs as logits (a dense last layer) or as a softmax, but the last layer is '${last}'; end the model with a softmax or dense layer, or use another loss`;
  }
  return null;
}

/** The first output of a(B,C) outside (0, 1) that binary cross-entropy cannot take the log of ("output [1][0] is 1.3 …"), or null. */
export function outputRangeProblem(loss: LossName, a: ArrayLike<number>, B: number, C: number): string | null {
  if (loss !== 'binary_cross_entropy') return null;
  for (let i = 0; i < B * C; i++) {
    const v = a[i];
    if (!(v > 0 && v < 1)) return `output [${Math.floor(i / C)}][${i % C}] is ${v}; binary_cross_entropy needs every output in (0, 1), so end the model with a sigmoid layer`;
  }
  return null;
}
