/**
 * The largest singular value of a recurrent matrix by power iteration, and
 * Pascanu, Mikolov & Bengio's (2013) conditions stated against it: with
 * λ₁ = σ_max(W_hh) and γ a bound on |f′|, λ₁ < 1/γ is sufficient for the
 * gradient to vanish over long lags, and λ₁ > 1/γ is necessary for it to
 * explode. γ = 1 for tanh and relu, 1/4 for the sigmoid. At λ₁ = 1/γ
 * exactly (an orthogonal W_hh with tanh) neither condition holds.
 */
import { say } from '../../i18n/catalogue.js';
import { getActivation, resolveParams } from '../../activations/catalogue.js';
import { Rng } from '../../tensor/rng.js';

/** Estimates σ_max(W) of the row-major (R,C) matrix W by power iteration on WᵀW (float64, deterministic start). */
export function spectralNorm(W: ArrayLike<number>, R: number, C: number, maxIter = 1000, tol = 1e-12): number {
  if (W.length < R * C) throw new RangeError(`spectralNorm: W has ${W.length} elements, expected R·C = ${R}·${C}`);
  const v = new Float64Array(C);
  const u = new Float64Array(R);
  const rng = new Rng(0x5eed);
  for (let i = 0; i < C; i++) v[i] = rng.normal();
  let sigma = 0;
  for (let it = 0; it < maxIter; it++) {
    let nv = 0;
    for (let i = 0; i < C; i++) nv += v[i] * v[i];
    nv = Math.sqrt(nv);
    if (!(nv > 0) || !Number.isFinite(nv)) return nv === 0 ? 0 : NaN;
    for (let i = 0; i < C; i++) v[i] /= nv;
    // u = W v, σ ≈ ‖u‖; then v = Wᵀ u
    let nu = 0;
    for (let r = 0; r < R; r++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += W[r * C + c] * v[c];
      u[r] = s;
      nu += s * s;
    }
    const next = Math.sqrt(nu);
    v.fill(0);
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) v[c] += W[r * C + c] * u[r];
    if (Math.abs(next - sigma) <= tol * next) return next;
    sigma = next;
  }
  return sigma;
}

/** Pascanu et al.'s verdict for one recurrent matrix. */
export interface PascanuCondition {
  /** σ_max(W_hh). */
  readonly lambda1: number;
  /** Bound on |f′| of the recurrent activation; null for gated cells (the condition is stated for h_t = f(W h_{t−1} + …)). */
  readonly gamma: number | null;
  /** 1/γ, the threshold. */
  readonly threshold: number | null;
  /** `vanishing-guaranteed` when λ₁ < 1/γ, `exploding-possible` when λ₁ > 1/γ, `boundary` when equal (to 1e-6, e.g. an orthogonal W_hh with tanh), `not-applicable` for gated cells. */
  readonly regime: 'vanishing-guaranteed' | 'boundary' | 'exploding-possible' | 'not-applicable';
  /** One sentence for people. */
  readonly message: string;
}

/** sup |f′| of an elementwise catalogue activation: the catalogue's value with default parameters, else a fine grid on [−50, 50]. */
export function derivativeBound(activation: string, params: Readonly<Record<string, number>> = {}): number {
  const def = getActivation(activation);
  if (Object.keys(params).length === 0 && Number.isFinite(def.meta.derivativeMax)) return def.meta.derivativeMax;
  const p = resolveParams(def, params);
  let m = 0;
  for (let x = -50; x <= 50; x += 1e-3) m = Math.max(m, Math.abs(def.df(x, p)));
  return m;
}

/** States Pascanu et al.'s condition for σ_max = `lambda1` and an activation bound γ (null: a gated cell). */
export function pascanuCondition(lambda1: number, gamma: number | null): PascanuCondition {
  if (gamma === null) {
    return {
      lambda1,
      gamma: null,
      threshold: null,
      regime: 'not-applicable',
      message: say('en', 'pascanu.not-applicable', { l: fmt4(lambda1) }),
    };
  }
  const threshold = 1 / gamma;
  if (Math.abs(lambda1 - threshold) <= 1e-6 * threshold) {
    return { lambda1, gamma, threshold, regime: 'boundary', message: say('en', 'pascanu.boundary', { l: fmt4(lambda1), th: fmt4(threshold) }) };
  }
  if (lambda1 < threshold) {
    return { lambda1, gamma, threshold, regime: 'vanishing-guaranteed', message: say('en', 'pascanu.vanishing-guaranteed', { l: fmt4(lambda1), th: fmt4(threshold) }) };
  }
  return { lambda1, gamma, threshold, regime: 'exploding-possible', message: say('en', 'pascanu.exploding-possible', { l: fmt4(lambda1), th: fmt4(threshold) }) };
}

/** σ_max or a threshold with 4 significant digits, as the condition's sentence writes it. */
export function fmt4(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x);
}
