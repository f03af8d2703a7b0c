/**
 * The rule behind the `critical` initialiser: for the activation a layer's
 * weights feed, the weight variance σ_w² (W ~ N(0, σ_w²/n_in)) that puts a
 * wide random network at the edge of chaos, for a bias variance σ_b².
 *
 * - Bounded activations (tanh, sigmoid and their variants, hardtanh, relu6):
 *   the length map is bounded, so it has a stable fixed point q* for every
 *   σ_w²; the rule is the σ_w² at which χ₁ = 1 at q* ('edge-of-chaos').
 * - Activations that grow linearly (the ReLU family, selu, softplus, the
 *   shrink functions, linear): the variance either dies out or grows without
 *   bound, so the rule keeps a unit input variance unchanged,
 *   σ_w²·E[φ(z)²] + σ_b² = 1 for z ~ N(0, 1), i.e. σ_w² = (1 − σ_b²)/E[φ(z)²]
 *   ('variance-preserving': He's 2 for relu, 2/(1 + k²) for leaky_relu,
 *   1 for selu), and reports χ₁ there.
 *
 * A bounded activation without a critical point falls back to the second rule.
 */
import { ValueError } from '../errors.js';
import { theoryAct, type TheoryAct } from './acts.js';
import { criticalSigmaW2, checkVariance } from './analysis.js';
import { chiAt, lengthFixedPoint } from './meanfield.js';
import { secondMoment } from './moments.js';

/** Which rule chose σ_w². */
export type CriticalRule = 'edge-of-chaos' | 'variance-preserving';

/** The choice of the `critical` initialiser for one activation and bias variance. */
export interface CriticalChoice {
  readonly act: string;
  readonly params: Readonly<Record<string, number>>;
  readonly rule: CriticalRule;
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  /** χ₁ at `q` with this σ_w² (1 for the edge-of-chaos rule). */
  readonly chi1: number;
  /** The variance χ₁ is evaluated at: q* (edge of chaos) or 1 (variance-preserving). */
  readonly q: number;
}

const cache = new Map<string, CriticalChoice>();

function choose(act: TheoryAct, sigmaB2: number): CriticalChoice {
  const base = { act: act.name, params: act.params, sigmaB2 };
  if (act.bounded) {
    const s = criticalSigmaW2(act, sigmaB2, 1);
    if (s !== null) {
      const v = { sigmaW2: s, sigmaB2 };
      const q = lengthFixedPoint(act, v, 1).q;
      return { ...base, rule: 'edge-of-chaos', sigmaW2: s, chi1: chiAt(act, v, q), q };
    }
  }
  if (sigmaB2 >= 1) {
    throw new ValueError(sigmaB2, `theory: with σ_b² = ${sigmaB2} ≥ 1 no weight variance keeps a unit variance through ${act.name} layers (σ_w²·E[φ(z)²] + σ_b² = 1 needs σ_b² < 1)`, true);
  }
  const s = (1 - sigmaB2) / secondMoment(act, 1);
  return { ...base, rule: 'variance-preserving', sigmaW2: s, chi1: chiAt(act, { sigmaW2: s, sigmaB2 }, 1), q: 1 };
}

/** The `critical` initialiser's σ_w² for activation `name` (with parameters) and bias variance σ_b²; memoised. */
export function criticalChoice(name: string, params: Readonly<Record<string, number>> = {}, sigmaB2 = 0): CriticalChoice {
  checkVariance('σ_b²', sigmaB2, true);
  const key = `${name}|${JSON.stringify(Object.entries(params).sort())}|${sigmaB2}`;
  let c = cache.get(key);
  if (!c) cache.set(key, (c = choose(theoryAct(name, params), sigmaB2)));
  return c;
}
