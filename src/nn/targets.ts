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
import { msg, phrase } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import type { LossName } from './losses.js';

/** How far a cross-entropy target row may sum from 1 (float64 JSON of soft labels rounds). */
export const DISTRIBUTION_TOLERANCE = 1e-6;

/** The first problem with targets y(B,C) for `loss` as a catalogue message ("row 2, column 0 is 5: …"), or null when they are fine. */
export function targetIssue(loss: LossName, y: ArrayLike<number>, B: number, C: number): Msg | null {
  for (let r = 0; r < B; r++) {
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const v = y[r * C + c];
      const at = { r: String(r), c: String(c), v: String(v) };
      if (!Number.isFinite(v)) return msg('err.target.finite', at);
      if (loss === 'binary_cross_entropy' && !(v >= 0 && v <= 1)) return msg('err.target.bce', { ...at, loss });
      if (loss === 'cross_entropy' && v < 0) return msg('err.target.ce', { ...at, loss });
      sum += v;
    }
    if (loss === 'cross_entropy' && Math.abs(sum - 1) > DISTRIBUTION_TOLERANCE) return msg('err.target.sum', { r: String(r), sum: String(sum), loss });
  }
  return null;
}

/** `targetIssue` in English. */
export function targetProblem(loss: LossName, y: ArrayLike<number>, B: number, C: number): string | null {
  const m = targetIssue(loss, y, B, C);
  return m && phrase('en', m);
}

/**
 * The problem with scoring a network whose last layer is the activation
 * `last` (null: a dense layer) with `loss`, or null when they go together:
 * the cross-entropies read their outputs as logits (a dense or linear last
 * layer) or as their own probabilities (softmax, sigmoid) — anything else,
 * such as sigmoid probabilities under cross_entropy, would be squashed again.
 */
export function outputLayerIssue(loss: LossName, last: string | null): Msg | null {
  const own = loss === 'cross_entropy' ? 'softmax' : loss === 'binary_cross_entropy' ? 'sigmoid' : null;
  if (own === null || last === null || last === own || last === 'linear') return null;
  return msg('err.target.lastLayer', { loss, own, last, dense: 'dense' });
}

/** `outputLayerIssue` in English. */
export function outputLayerProblem(loss: LossName, last: string | null): string | null {
  const m = outputLayerIssue(loss, last);
  return m && phrase('en', m);
}
