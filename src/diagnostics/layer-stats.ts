/**
 * Per-layer gradient diagnostics (gradient norms, derivative statistics, dead and saturated fractions, Jacobian singular values), read from a network right after
 * a forward and backward pass over a probe batch: gradient norms (Nielsen's
 * "speed of learning"), activation statistics, and the layer Jacobians'
 * singular values. The cheap statistics cost O(parameters + activations) and
 * can stay on during training; the Jacobian is sampled on a few examples.
 */
import type { Network } from '../nn/network.js';
import { norm2 } from '../tensor/reduce.js';
import { singularValues } from './eigen.js';

/** Diagnostics of weight layer `index` (1 = input side). */
export interface LayerDiagnostics {
  readonly index: number;
  /** Units (outputs) of the layer. */
  readonly units: number;
  /** Activation after the layer ('maxout' for maxout layers). */
  readonly activation: string;
  /** ‖mean over the batch of ∂C/∂bˡ‖₂ (with a normalisation layer after the weights, of its shift β). */
  readonly biasGradNorm: number;
  /** ‖∂C/∂Wˡ‖_F of the batch-mean loss. */
  readonly weightGradNorm: number;
  /** Mean over examples of ‖δˡ(x)‖₂. */
  readonly deltaNormPerExample: number;
  /** Mean |f'(zˡ)| over units and examples. */
  readonly meanAbsDerivative: number;
  /** Fraction of (unit, example) pairs with |f'(z)| < 1e-3·max|f'| (see `saturation`). */
  readonly saturatedFraction: number;
  /**
   * Fraction of units whose f'(z) = 0 for every example. Only activations with a
   * dead zone (ReLU-like) can have dead units; for sigmoid or tanh a zero
   * derivative is rounding in deep saturation and counts as saturated instead.
   */
  readonly deadFraction: number;
  readonly activationMean: number;
  readonly activationStd: number;
  /** Largest singular value of ∂aˡ/∂aˡ⁻¹ = diag(f'(zˡ))·Wˡ, averaged over sampled examples (null if not computed). */
  readonly jacobianMaxSingular: number | null;
  /** Mean singular value of the same Jacobian, averaged over sampled examples (null if not computed). */
  readonly jacobianMeanSingular: number | null;
}

/** Options of `layerDiagnostics`. */
export interface LayerStatsOptions {
  /** Examples used for the Jacobian's singular values (0 = skip; default 8). */
  readonly jacobianSamples?: number;
  /** Skip the Jacobian when min(out, in) exceeds this (default 1024). */
  readonly jacobianMaxDim?: number;
}

/**
 * Computes every layer's diagnostics from the state left by
 * `net.lossAndBackward(x, y, B, …)` on a freshly zeroed gradient.
 */
export function layerDiagnostics(net: Network, B: number, o: LayerStatsOptions = {}): LayerDiagnostics[] {
  const jacSamples = Math.min(o.jacobianSamples ?? 8, B);
  const jacMax = o.jacobianMaxDim ?? 1024;
  return net.weightLayers.map((wl, l) => {
    const O = wl.outSize;
    const I = wl.inSize;
    const act = net.activationAfter(l);
    const dout = 'lastDout' in wl ? wl.lastDout : null;
    // δˡ(x) = B·(row x of dz), since the loss is a batch mean
    let deltaSum = 0;
    if (dout) {
      const W = dout.length / B;
      for (let r = 0; r < B; r++) deltaSum += B * norm2(dout.subarray(r * W, (r + 1) * W));
    }
    let meanAbsD = NaN, sat = NaN, dead = NaN, aMean = NaN, aStd = NaN;
    let jMax: number | null = null, jMean: number | null = null;
    const d = act?.lastDerivative();
    const a = act?.lastOutput();
    const z = act?.lastInput();
    if (act && d && a && z) {
      const n = B * O;
      const maxD = act.def.meta.derivativeMax;
      const thr = 1e-3 * (Number.isFinite(maxD) && maxD > 0 ? maxD : 1);
      // Activations with a dead zone (f' = 0 on a half-line, e.g. ReLU) count a zero
      // derivative as "dead" there, not "saturated": only z > 0 can saturate (ReLU6).
      const hasDeadZone = act.def.meta.deadZone !== '';
      let sAbs = 0, nSat = 0, sA = 0, sA2 = 0;
      for (let i = 0; i < n; i++) {
        const ad = Math.abs(d[i]);
        sAbs += ad;
        if (ad < thr && (!hasDeadZone || z[i] > 0)) nSat++;
        sA += a[i];
        sA2 += a[i] * a[i];
      }
      let nDead = 0;
      for (let u = 0; u < O && hasDeadZone; u++) {
        let alive = false;
        for (let r = 0; r < B && !alive; r++) if (d[r * O + u] !== 0) alive = true;
        if (!alive) nDead++;
      }
      meanAbsD = sAbs / n;
      sat = nSat / n;
      dead = nDead / O;
      aMean = sA / n;
      aStd = Math.sqrt(Math.max(0, sA2 / n - aMean * aMean));
      if (jacSamples > 0 && Math.min(O, I) <= jacMax && act.def.kind === 'elementwise') {
        let sMax = 0, sMean = 0;
        const J = new Float64Array(O * I);
        const W = wl.weight;
        for (let r = 0; r < jacSamples; r++) {
          for (let u = 0; u < O; u++) {
            const du = d[r * O + u];
            for (let k = 0; k < I; k++) J[u * I + k] = du * W[u * I + k];
          }
          const sv = singularValues(J, O, I);
          sMax += sv[0];
          let s = 0;
          for (const v of sv) s += v;
          sMean += s / sv.length;
        }
        jMax = sMax / jacSamples;
        jMean = sMean / jacSamples;
      }
    }
    return {
      index: l + 1,
      units: O,
      activation: act ? act.name : wl.type,
      // the bias right before the activation: a normalisation layer's shift β when there is one
      biasGradNorm: norm2(net.biasGradOf(l)),
      weightGradNorm: norm2(wl.dweight),
      deltaNormPerExample: dout ? deltaSum / B : NaN,
      meanAbsDerivative: meanAbsD,
      saturatedFraction: sat,
      deadFraction: dead,
      activationMean: aMean,
      activationStd: aStd,
      jacobianMaxSingular: jMax,
      jacobianMeanSingular: jMean,
    };
  });
}

/** ‖ΔWˡ‖/‖Wˡ‖ per weight layer, from the optimiser's record of the last step. */
export function updateRatios(net: Network, lastUpdateSq: Float64Array): number[] {
  const params = net.params();
  return net.weightLayers.map((wl) => {
    const i = params.findIndex((p) => p.value === wl.weight);
    return i < 0 ? NaN : Math.sqrt(lastUpdateSq[i]) / norm2(wl.weight);
  });
}

/** Nielsen's comparison: biasGradNorm of layer 1 over that of the last hidden layer (null without hidden layers). */
export function firstToLast(layers: readonly LayerDiagnostics[]): number | null {
  if (layers.length < 2) return null;
  return layers[0].biasGradNorm / layers[layers.length - 2].biasGradNorm;
}
