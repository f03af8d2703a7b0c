/**
 * Eigenvalues of a real symmetric matrix: Householder reduction to
 * tridiagonal form, then the implicit QL algorithm with Wilkinson shifts
 * (Golub & Van Loan §8.3; the classic tred2/tqli pair without vectors).
 * Used for singular values of layer Jacobians: σᵢ(J) = √λᵢ(J·Jᵀ).
 */

/**
 * Eigenvalues (unsorted) of the symmetric n×n matrix `A` (row-major; destroyed).
 * A matrix holding a non-finite value, or one the iteration cannot resolve,
 * gives NaN eigenvalues: an exploding network is a finding, not a crash.
 */
export function symmetricEigenvalues(A: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = 0; i < n * n; i++) if (!Number.isFinite(A[i])) return d.fill(NaN);
  tridiagonalize(A, n, d, e);
  if (!tql(d, e, n)) d.fill(NaN);
  return d;
}

// Householder tridiagonalisation: on return d holds the diagonal, e[1..n-1] the sub-diagonal.
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    let h = 0;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(a[i * n + k]);
      if (scale === 0) {
        e[i] = a[i * n + l];
      } else {
        for (let k = 0; k <= l; k++) {
          a[i * n + k] /= scale;
          h += a[i * n + k] * a[i * n + k];
        }
        let f = a[i * n + l];
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        a[i * n + l] = f - g;
        f = 0;
        for (let j = 0; j <= l; j++) {
          let gg = 0;
          for (let k = 0; k <= j; k++) gg += a[j * n + k] * a[i * n + k];
          for (let k = j + 1; k <= l; k++) gg += a[k * n + j] * a[i * n + k];
          e[j] = gg / h;
          f += e[j] * a[i * n + j];
        }
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) {
          const fj = a[i * n + j];
          const gj = e[j] - hh * fj;
          e[j] = gj;
          for (let k = 0; k <= j; k++) a[j * n + k] -= fj * e[k] + gj * a[i * n + k];
        }
      }
    } else {
      e[i] = a[i * n + l];
    }
    d[i] = h;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
}

// Implicit QL with shifts on the tridiagonal (d, e); eigenvalues left in d. False when it does not converge.
function tql(d: Float64Array, e: Float64Array, n: number): boolean {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m !== l) {
        if (iter++ === 60) return false;
        let g = (d[l + 1] - d[l]) / (2 * e[l]);
        let r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        for (i = m - 1; i >= l; i--) {
          let f = s * e[i];
          const b = c * e[i];
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1] -= p;
            e[m] = 0;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          f = 0;
        }
        if (r === 0 && i >= l) continue;
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
  return true;
}

/** Singular values of J(R,C) (row-major), descending, via the smaller Gram matrix. */
export function singularValues(J: ArrayLike<number>, R: number, C: number): Float64Array {
  const small = Math.min(R, C);
  const G = new Float64Array(small * small);
  if (R <= C) {
    // G = J·Jᵀ (R×R)
    for (let i = 0; i < R; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < C; k++) s += J[i * C + k] * J[j * C + k];
        G[i * R + j] = s;
        G[j * R + i] = s;
      }
  } else {
    // G = Jᵀ·J (C×C)
    for (let r = 0; r < R; r++)
      for (let i = 0; i < C; i++) {
        const a = J[r * C + i];
        if (a === 0) continue;
        for (let j = 0; j <= i; j++) G[i * C + j] += a * J[r * C + j];
      }
    for (let i = 0; i < C; i++) for (let j = 0; j < i; j++) G[j * C + i] = G[i * C + j];
  }
  const ev = symmetricEigenvalues(G, small);
  const sv = ev.map((v) => Math.sqrt(Math.max(0, v)));
  return sv.sort().reverse();
}
