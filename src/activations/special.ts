/**
 * Scalar special functions the activations are built from, written once in
 * their numerically stable forms: the error function (W. J. Cody's rational
 * Chebyshev approximations), the normal pdf/cdf, and the overflow-free
 * logistic sigmoid, softplus and log-sigmoid.
 *
 * Every function here is pure float64 arithmetic on one number.
 */

// ---------------------------------------------------------------------------
// Error function: W. J. Cody, "Rational Chebyshev approximations for the error
// function", Math. Comp. 23 (1969) 631–637 — the coefficients of the CALERF
// routine in netlib's SPECFUN. Three intervals: erf on |x| ≤ 0.46875,
// erfc·exp(x²) on 0.46875 < |x| ≤ 4 and on |x| > 4 (asymptotic variable 1/x²).
// In float64 the result is within a few ulp (tests: 1e-15 relative against a
// series, 1e-13 against a continued fraction in the far tail).

const ERF_A = [
  3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3,
  1.85777706184603153e-1,
];
const ERF_B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const ERFC_C = [
  5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2,
  8.81952221241769090e2, 1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3,
  2.15311535474403846e-8,
];
const ERFC_D = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3,
  3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
];
const ERFC_P = [
  3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
  6.58749161529837803e-4, 1.63153871373020978e-2,
];
const ERFC_Q = [
  2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1, 6.05183413124413191e-2,
  2.33520497626869185e-3,
];
/** 1/√π. */
const SQRPI = 0.56418958354775628695;
/** Beyond this erfc(x) underflows to 0 in float64. */
const XBIG = 26.543;

/** erfc(y) for y > 0.46875 (Cody's intervals 2 and 3): a rational approximation of erfc(y)·e^{y²}, times e^{−y²}. */
function erfcPositive(y: number): number {
  let r: number;
  if (y <= 4) {
    let num = ERFC_C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]) * y;
      den = (den + ERFC_D[i]) * y;
    }
    r = (num + ERFC_C[7]) / (den + ERFC_D[7]);
  } else {
    if (y >= XBIG) return 0;
    const z = 1 / (y * y);
    let num = ERFC_P[5] * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]) * z;
      den = (den + ERFC_Q[i]) * z;
    }
    r = (SQRPI - (z * (num + ERFC_P[4])) / (den + ERFC_Q[4])) / y;
  }
  // e^{−y²} without the rounding error of y·y: split y = ys + (y − ys) with ys
  // a multiple of 1/16, so ys² is exact and e^{−y²} = e^{−ys²}·e^{−(y−ys)(y+ys)}.
  const ys = Math.trunc(y * 16) / 16;
  const del = (y - ys) * (y + ys);
  return Math.exp(-ys * ys) * Math.exp(-del) * r;
}

/** erf on |x| ≤ 0.46875 (Cody's interval 1): x·P(x²)/Q(x²). */
function erfSmall(x: number): number {
  const z = x * x;
  let num = ERF_A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + ERF_A[i]) * z;
    den = (den + ERF_B[i]) * z;
  }
  return (x * (num + ERF_A[3])) / (den + ERF_B[3]);
}

/** The error function erf(x) = (2/√π)∫₀ˣ e^{−t²} dt, to ~1e-16 relative (Cody 1969). */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  const r = 1 - erfcPositive(y);
  return x < 0 ? -r : r; // NaN falls through both branches unchanged
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in the tail (no cancellation). */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  const r = erfcPositive(y);
  return x < 0 ? 2 - r : r;
}

/** 1/√2. */
export const SQRT1_2 = Math.SQRT1_2;
/** 1/√(2π), the peak of the standard normal density. */
export const INV_SQRT_2PI = 0.3989422804014327;

/** Standard normal cdf Φ(x) = ½ erfc(−x/√2); erfc keeps full relative accuracy for x ≪ 0. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** Standard normal density φ(x) = e^{−x²/2}/√(2π). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

// ---------------------------------------------------------------------------
// tanh' = sech²

/**
 * tanh'(x) = sech²(x) given t = tanh(x): 1 − t² where that is accurate (|x| < 1, t² < 0.59),
 * else 4e/(1 + e)² with e = e^{−2|x|}, which keeps its relative accuracy in the tails where
 * 1 − t² would round to exactly 0 (|x| > 19) and make a saturated unit look dead.
 */
export function tanhDerivative(x: number, t: number): number {
  if (Math.abs(x) < 1) return 1 - t * t;
  const e = Math.exp(-2 * Math.abs(x));
  return (4 * e) / ((1 + e) * (1 + e));
}

// ---------------------------------------------------------------------------
// Logistic family. With e = e^{−|x|} ∈ (0, 1] nothing can overflow:
// σ(|x|) = 1/(1+e), σ(−|x|) = e/(1+e).

/** Logistic sigmoid σ(x) = 1/(1+e^{−x}), sign-split so e^{…} never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus(x) = ln(1+eˣ) for every x without overflow: max(x,0) + ln(1+e^{−|x|}). */
export function softplusStable(x: number): number {
  return (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** ln σ(x) = −softplus(−x) = min(x,0) − ln(1+e^{−|x|}), never overflows. */
export function logSigmoid(x: number): number {
  return (x < 0 ? x : 0) - Math.log1p(Math.exp(-Math.abs(x)));
}
