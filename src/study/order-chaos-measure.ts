/**
 * Measurement beside mean-field theory: a fresh network drawn with
 * W ~ N(0, σ_w²/n_in), b ~ N(0, σ_b²) probed on a batch — per hidden layer
 * the pre-activation variance q, the per-example gradient norm ‖δ‖ and the
 * `inputCorrelation` diagnostic — and the theory's prediction for the same
 * batch: the length map from the batch's own first-layer variance, χ per
 * layer, and each pair of examples' correlation carried through the
 * correlation map (the predicted diagnostic is the mean over the same pairs).
 */
import { probeNetwork } from '../diagnostics/probe.js';
import type { ActSpec } from '../nn/build.js';
import { getLoss, type LossName } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import type { Buf } from '../tensor/dtype.js';
import { Rng } from '../tensor/rng.js';
import { chiAt, correlationCurve, lengthMap, type TheoryAct, type Variances } from '../theory/index.js';
import { networkOf } from '../run/derive.js';
import { parseRun } from '../run/schema.js';

/** What a probe of a fresh network measured, per hidden layer (input side first). */
export interface LayerSignal {
  /** Mean of z² over the batch and the units: the measured length q^l. */
  readonly q: readonly number[];
  /** Mean over examples of ‖δ^l(x)‖: the per-example gradient norm. */
  readonly delta: readonly number[];
  /** The `inputCorrelation` diagnostic: mean cosine of z^l between different examples. */
  readonly corr: readonly number[];
  /** Nielsen's first-to-last ratio of batch-mean ‖∂C/∂b‖ (for the verdict's view). */
  readonly firstToLast: number | null;
}

/** The `meanfield:SW2:SB2` initialiser name for variances v. */
export function meanFieldInit(v: Variances): string {
  return `meanfield:${v.sigmaW2}:${v.sigmaB2}`;
}

/** A fresh MLP [I, width × depth, O] with activation `act` and initialiser `init`, from `seed`. */
export function freshNet(act: ActSpec, arch: readonly number[], init: string, seed: number, loss: LossName = 'cross_entropy', norm: 'none' | 'batch' | 'layer' = 'none'): Network {
  return networkOf(parseRun({ arch, activation: act.name, activationParams: act.params ?? {}, init, loss, dtype: 'float32', norm }), new Rng(seed));
}

/** Probes `net` on x(B,I), y(B,O) and reads each hidden layer's signal. */
export function measureSignal(net: Network, x: Buf, y: Buf, B: number, loss: LossName = 'cross_entropy', init = 'meanfield'): LayerSignal {
  const r = probeNetwork(net, x, y, B, getLoss(loss), init, { jacobianSamples: 0 });
  const hidden = r.layers.slice(0, -1);
  const q = hidden.map((_, l) => {
    const z = net.activationAfter(l)?.lastInput();
    if (!z) return NaN;
    let s = 0;
    for (let i = 0; i < z.length; i++) s += z[i] * z[i];
    return s / z.length;
  });
  return { q, delta: hidden.map((l) => l.deltaNormPerExample), corr: hidden.map((l) => l.inputCorrelation), firstToLast: r.firstToLast };
}

/** First-layer statistics of a batch: each example's ‖x‖²/I and each pair's x·x′/I. */
export interface InputGram {
  readonly B: number;
  readonly sq: Float64Array;
  /** dot[a·B + b] = x_a·x_b / I. */
  readonly dot: Float64Array;
}

/** The Gram matrix of x(B,I) divided by I. */
export function inputGram(x: Buf, B: number, I: number): InputGram {
  const dot = new Float64Array(B * B);
  for (let a = 0; a < B; a++) {
    for (let b = a; b < B; b++) {
      let s = 0;
      for (let k = 0; k < I; k++) s += x[a * I + k] * x[b * I + k];
      dot[a * B + b] = dot[b * B + a] = s / I;
    }
  }
  const sq = new Float64Array(B);
  for (let a = 0; a < B; a++) sq[a] = dot[a * B + a];
  return { B, sq, dot };
}

/** The theory's prediction for a batch, per hidden layer. */
export interface SignalPrediction {
  /** q^l from the length map, starting from the batch's mean first-layer variance σ_w²·‖x‖²/I + σ_b². */
  readonly q: readonly number[];
  /** χ(q^l) = σ_w²·E[φ′(√q^l z)²]: E‖δ^l‖² = χ(q^l)·E‖δ^{l+1}‖². */
  readonly chi: readonly number[];
  /** Predicted ‖δ^l‖/‖δ^H‖ (H the last hidden layer): ∏_{k=l}^{H−1} √χ(q^k). */
  readonly deltaRatio: readonly number[];
  /** Predicted mean pairwise correlation of z^l (null when not asked for). */
  readonly corr: readonly number[] | null;
}

/**
 * The prediction for `depth` hidden layers. With `withCorr`, every pair's
 * first-layer correlation (σ_w² x·x′/I + σ_b²)/√(q_a q_b) is carried through
 * c^{l+1} = (σ_w²·E[φ(u₁)φ(u₂)] + σ_b²)/q^{l+1} at the predicted q^l of each
 * layer (pairs share the mean length after the first layer) and averaged.
 */
export function predictSignal(act: TheoryAct, v: Variances, gram: InputGram, depth: number, withCorr: boolean): SignalPrediction {
  const { B } = gram;
  let mean = 0;
  for (let a = 0; a < B; a++) mean += v.sigmaW2 * gram.sq[a] + v.sigmaB2;
  const q: number[] = [mean / B];
  for (let l = 1; l < depth; l++) q.push(lengthMap(act, v, q[l - 1]));
  const chi = q.map((ql) => chiAt(act, v, ql));
  const deltaRatio = q.map((_, l) => {
    let s = 0;
    for (let k = l; k < depth - 1; k++) s += 0.5 * Math.log(chi[k]);
    return Math.exp(s);
  });
  if (!withCorr) return { q, chi, deltaRatio, corr: null };
  const pairs: number[] = [];
  for (let a = 0; a < B; a++) {
    const qa = v.sigmaW2 * gram.sq[a] + v.sigmaB2;
    for (let b = a + 1; b < B; b++) {
      const qb = v.sigmaW2 * gram.sq[b] + v.sigmaB2;
      pairs.push((v.sigmaW2 * gram.dot[a * B + b] + v.sigmaB2) / Math.sqrt(qa * qb));
    }
  }
  const curves = new Map<string, (c: number) => number>();
  const corr: number[] = [];
  for (let l = 0; l < depth; l++) {
    corr.push(pairs.reduce((s, c) => s + c, 0) / pairs.length);
    if (l === depth - 1) break;
    // layers whose lengths agree to 3 digits share one curve (the length map settles within a few
    // layers); 9 Chebyshev points interpolate the map to about 1e-5, well inside the seed spread
    const key = q[l].toPrecision(3);
    let C = curves.get(key);
    if (!C) curves.set(key, (C = correlationCurve(act, v, q[l], 9)));
    // C divides by q^l (the map at a fixed point); off it, the next layer's length is q^{l+1}
    const rescale = q[l] / q[l + 1];
    for (let i = 0; i < pairs.length; i++) pairs[i] = Math.max(-1, Math.min(1, C(pairs[i]) * rescale));
  }
  return { q, chi, deltaRatio, corr };
}
