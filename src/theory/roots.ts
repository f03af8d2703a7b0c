/**
 * Brent's method for a root of a continuous function in a bracket where it
 * changes sign (Brent 1973, ch. 4: inverse quadratic interpolation with
 * bisection as the fallback), used to solve the fixed-point and criticality
 * equations of mean-field theory.
 */

/** A root of f in [a, b], given f(a)·f(b) ≤ 0, to within `xtol` (absolute) + 4ε|x|. */
export function brent(f: (x: number) => number, a: number, b: number, xtol = 0, fa = f(a), fb = f(b)): number {
  if (!(fa * fb <= 0)) throw new RangeError(`brent: f(${a}) = ${fa} and f(${b}) = ${fb} do not bracket a root`);
  if (fa === 0) return a;
  if (fb === 0) return b;
  let c = a, fc = fa, d = b - a, e = d;
  for (let iter = 0; iter < 200; iter++) {
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * xtol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      // interpolate: secant when two points, inverse quadratic with three
      const s = fb / fa;
      let p: number, q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc, r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
  }
  return b;
}
