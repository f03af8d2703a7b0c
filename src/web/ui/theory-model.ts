/**
 * What the web lab's theory panels show, computed by the mean-field core
 * (src/theory) in the page: for the explorer, χ₁ and the critical σ_w² of an
 * activation; for the playground, the theory's per-layer gradient line for
 * the network at initialisation, beside the measured norms.
 */
import { getActivation } from '../../activations/catalogue.js';
import { layerInits, type ActSpec } from '../../nn/build.js';
import { getInit } from '../../nn/init.js';
import { analyse, chiAt, criticalChoice, criticalSigmaW2, lengthMap, phaseOf, secondMoment, theoryAct, type Phase, type TheoryAct } from '../../theory/index.js';
import type { ProbeSnapshot } from '../engine/session.js';
import { mlpOf } from '../../run/derive.js';
import type { RunSpec } from '../../run/schema.js';

/** One σ_w² the explorer evaluates. */
export interface ChiRow {
  readonly label: string;
  readonly sigmaW2: number;
  /** χ₁ at q* (null where the length map has no fixed point and χ₁ depends on q: the variance grows without bound). */
  readonly chi1: number | null;
  readonly phase: Phase | null;
}

/** The explorer's theory panel for one activation, parameters and bias variance. */
export type ExplorerTheory =
  | { readonly ok: false; readonly reason: string }
  | {
      readonly ok: true;
      readonly sigmaB2: number;
      readonly criticalSigmaW2: number | null;
      /** What `critical:σ_b²` chooses (null when it cannot, e.g. σ_b² ≥ 1 for an unbounded activation). */
      readonly init: { readonly rule: string; readonly sigmaW2: number; readonly chi1: number } | null;
      readonly rows: readonly ChiRow[];
    };

function row(act: TheoryAct, label: string, sigmaW2: number, sigmaB2: number): ChiRow {
  try {
    const p = analyse(act, { sigmaW2, sigmaB2 });
    return { label, sigmaW2, chi1: p.chi1, phase: p.phase };
  } catch {
    // no fixed point; for the piecewise-linear entries χ₁ does not depend on q, so it still stands
    if (act.negSlope === null) return { label, sigmaW2, chi1: null, phase: null };
    const chi1 = chiAt(act, { sigmaW2, sigmaB2 }, 1);
    return { label, sigmaW2, chi1, phase: phaseOf(chi1) };
  }
}

/** χ₁ at LeCun's σ_w² = 1, He's 2 and the critical initialiser's, and the critical σ_w², for `name` with `params` and σ_b². */
export function explorerTheory(name: string, params: Readonly<Record<string, number>>, sigmaB2: number): ExplorerTheory {
  let act: TheoryAct;
  try {
    act = theoryAct(name, params);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message.replace(/^theory: /, '') : String(e) };
  }
  let init: { rule: string; sigmaW2: number; chi1: number } | null = null;
  try {
    const c = criticalChoice(name, params, sigmaB2);
    init = { rule: c.rule, sigmaW2: c.sigmaW2, chi1: c.chi1 };
  } catch {
    init = null;
  }
  const rows = [row(act, 'lecun / xavier (n_in = n_out)', 1, sigmaB2), row(act, 'he', 2, sigmaB2)];
  if (init) rows.push(row(act, `critical${sigmaB2 ? `:${sigmaB2}` : ''}`, init.sigmaW2, sigmaB2));
  return { ok: true, sigmaB2, criticalSigmaW2: criticalSigmaW2(act, sigmaB2), init, rows };
}

/** The playground's theory line: predicted ‖δˡ‖ per weight layer (null where it predicts nothing), or why there is none. */
export type TheoryLine = { readonly ok: true; readonly predicted: readonly (number | null)[]; readonly q1: number } | { readonly ok: false; readonly reason: NoLine };

/** Why a network gets no theory line. */
export type NoLine = 'notPlain' | 'noHidden' | 'notElementwise' | 'noSignal' | 'outOfRange' | 'noGradient';

/**
 * The q with E[φ(√q z)²] = m (bisection on log q over [e⁻³⁰, e³⁰]; the map is
 * increasing for the catalogue's activations), or NaN when no q in that range
 * gives m (a sigmoid layer's E[a²] is at least σ(0)² = 1/4 at every q).
 */
export function varianceFromSecondMoment(act: TheoryAct, m: number): number {
  let lo = -30, hi = 30;
  if (m < secondMoment(act, Math.exp(lo)) || m > secondMoment(act, Math.exp(hi))) return NaN;
  for (let i = 0; i < 80; i++) {
    const mid = 0.5 * (lo + hi);
    if (secondMoment(act, Math.exp(mid)) < m) lo = mid;
    else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}

/**
 * The theory's gradient line for the run's network at initialisation: the
 * length map started from the first hidden layer's variance q¹ (read off its
 * measured activations, E[a²] = E[φ(√q¹ z)²]), each weight layer's own
 * σ_w², σ_b² from its initialiser, and ‖δˡ‖ ∝ ∏_{k=l}^{H−1} √χᵏ over the
 * hidden layers, placed where it best matches the measured ones in log
 * scale (the theory predicts the slope, not the scale). The theory is for
 * per-example norms; the playground measures the batch mean, which falls
 * further where inputs decorrelate (the chaotic phase).
 */
export function theoryLine(spec: RunSpec, first: ProbeSnapshot): TheoryLine {
  const mlp = mlpOf(spec);
  if ((mlp.norm ?? 'none') !== 'none' || mlp.residual) return { ok: false, reason: 'notPlain' };
  const H = mlp.sizes.length - 2;
  if (H < 1) return { ok: false, reason: 'noHidden' };
  const hidden: ActSpec[] = Array.from({ length: H }, (_, l) => (Array.isArray(mlp.hidden) ? (mlp.hidden as readonly ActSpec[])[l] : (mlp.hidden as ActSpec)));
  if (hidden.some((a) => getActivation(a.name).kind !== 'elementwise')) return { ok: false, reason: 'notElementwise' };
  const acts = hidden.map((a) => theoryAct(a.name, a.params ?? {}));
  const vars = layerInits(mlp).map((li) => getInit(li.init).variances(li.fanIn, li.fanOut, { ...li.ctx, zeroBias: mlp.biasInit === 'zeros' }));
  const l1 = first.layers[0];
  const m1 = l1.activationMean ** 2 + l1.activationStd ** 2;
  if (!(m1 > 0) || !Number.isFinite(m1)) return { ok: false, reason: 'noSignal' };
  const q: number[] = [varianceFromSecondMoment(acts[0], m1)];
  if (!Number.isFinite(q[0])) return { ok: false, reason: 'outOfRange' };
  for (let l = 1; l < H; l++) q.push(lengthMap(acts[l - 1], vars[l], q[l - 1]));
  // χᵏ: from δ^{k+1} to δ^k, through the weights of layer k + 1 and the activation of layer k
  const chi = q.map((qk, k) => chiAt(acts[k], vars[k + 1], qk));
  // ∏_{k=l}^{H−1} √χᵏ: the predicted ‖δˡ‖/‖δᴴ‖
  const ratio: number[] = [];
  for (let l = 0; l < H; l++) {
    let s = 0;
    for (let k = l; k < H - 1; k++) s += 0.5 * Math.log(chi[k]);
    ratio.push(s);
  }
  // the theory predicts the slope, not the scale: place the line where it best matches the
  // measured hidden layers in log scale (least squares: the mean log difference)
  let sum = 0, n = 0;
  for (let l = 0; l < H; l++) {
    const m = first.layers[l]?.biasGradNorm;
    if (m > 0 && Number.isFinite(m)) {
      sum += Math.log(m) - ratio[l];
      n++;
    }
  }
  if (n === 0) return { ok: false, reason: 'noGradient' };
  const anchor = sum / n;
  const predicted: (number | null)[] = ratio.map((r) => Math.exp(anchor + r));
  predicted.push(null); // the output layer: measured only
  return { ok: true, predicted, q1: q[0] };
}
