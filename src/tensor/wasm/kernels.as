// AssemblyScript source of gradscope's WebAssembly SIMD kernels (f32x4).
//
// Built by `npm run build:wasm` (scripts/build-wasm.mjs: the npm package
// `assemblyscript`, `--enable simd -O3 --runtime stub`), which embeds the
// bytes in kernels-wasm.ts so `tsc` alone builds the package and a browser
// needs no extra file. The file has an `.as` extension so that the project's
// `tsc` does not try to type-check AssemblyScript (f32, v128, load<T>).
//
// Every function works on raw byte offsets into the module's own memory; the
// JavaScript side (arena.ts, used by wasm-kernels.ts and fused.ts) copies
// operands in, calls, and copies the result out. Each kernel has a TypeScript reference (../kernels.ts naive
// kernels, reference.ts) and a test holding the two equal.
//
// Matrices are row-major float32; sizes follow the BLAS letters: C is (M,N),
// the shared dimension is K.

/** Start of the free memory the JavaScript side may use as scratch. */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------
// Matrix products: GotoBLAS-style blocking. B is packed, one (KC×NC) block at
// a time, into strips of 8 columns (Bp[strip][k][0..7], zero-padded), which
// then stream from L1/L2 through a 4×8 register tile of C: per k one splat of
// each of the 4 values of A's column k times two 4-lane rows of the strip
// (8 accumulators + 2 B rows + 1 splat: V8 keeps them in the 16 xmm
// registers; a 6×8 tile spills and runs at half speed). A is addressed
// through its row and k strides, which lets one driver serve all layouts:
//   gemm     A(M,K)   (row i, col k) at a + 4(iK + k): ars = 4K, aks = 4
//   gemmAtB  A(K,M)ᵀ  (row i, col k) at a + 4(kM + i): ars = 4,  aks = 4M
//            (each 4-row panel is packed first: its k are a row of A apart)
//   gemmABt  A(M,K) as gemm, but B(N,K) is transposed while packing.

const KC: i32 = 256; // k-block: a 4×KC panel of A (4 KB) stays in L1
const NC: i32 = 512; // n-block: the packed KC×NC block of B (512 KB) stays in L2
const TILE_BYTES: usize = 4 * 8 * 4; // scratch for a partial-width row of a C tile
const AP_BYTES: usize = <usize>KC * 16; // a packed 4×KC panel of A

/** Bytes of scratch the packed drivers need at `ws` (edge tile + one packed block of B). */
export function workspaceBytes(): usize {
  return TILE_BYTES + AP_BYTES + 64 + <usize>KC * <usize>NC * 4;
}

// Writes one row of a C tile: C[row, 0..nr) (+)= (lo, hi). Full rows go
// straight to C; partial rows go through the scratch tile.
@inline function storeRow(p: usize, lo: v128, hi: v128, nr: i32, add: bool, tmp: usize): void {
  if (nr == 8) {
    if (add) {
      v128.store(p, f32x4.add(v128.load(p), lo));
      v128.store(p, f32x4.add(v128.load(p, 16), hi), 16);
    } else {
      v128.store(p, lo);
      v128.store(p, hi, 16);
    }
  } else {
    v128.store(tmp, lo);
    v128.store(tmp, hi, 16);
    for (let j = 0; j < nr; j++) {
      const q = p + (<usize>j << 2);
      const v = load<f32>(tmp + (<usize>j << 2));
      store<f32>(q, add ? load<f32>(q) + v : v);
    }
  }
}

// The register tile: C(mr×nr) (+)= A(mr×kc) · Bp(kc×8), mr ≤ 4. `mr` is a
// constant at every call site, so after inlining the optimiser drops the
// unused rows.
@inline function tile(mr: i32, a: usize, ars: usize, aks: usize, bp: usize, kc: i32, c: usize, ldc: usize, nr: i32, add: bool, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const a1 = a + ars, a2 = a1 + ars, a3 = a2 + ars;
  let o: usize = 0;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    bp += 32;
    let s = v128.load32_splat(a + o);
    c00 = f32x4.add(c00, f32x4.mul(s, b0));
    c01 = f32x4.add(c01, f32x4.mul(s, b1));
    if (mr > 1) {
      s = v128.load32_splat(a1 + o);
      c10 = f32x4.add(c10, f32x4.mul(s, b0));
      c11 = f32x4.add(c11, f32x4.mul(s, b1));
    }
    if (mr > 2) {
      s = v128.load32_splat(a2 + o);
      c20 = f32x4.add(c20, f32x4.mul(s, b0));
      c21 = f32x4.add(c21, f32x4.mul(s, b1));
    }
    if (mr > 3) {
      s = v128.load32_splat(a3 + o);
      c30 = f32x4.add(c30, f32x4.mul(s, b0));
      c31 = f32x4.add(c31, f32x4.mul(s, b1));
    }
    o += aks;
  }
  storeRow(c, c00, c01, nr, add, tmp);
  if (mr > 1) storeRow(c + ldc, c10, c11, nr, add, tmp);
  if (mr > 2) storeRow(c + 2 * ldc, c20, c21, nr, add, tmp);
  if (mr > 3) storeRow(c + 3 * ldc, c30, c31, nr, add, tmp);
}

// One band of mr rows of C against every strip of the packed block.
@inline function band(mr: i32, a: usize, ars: usize, aks: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  const strip = <usize>kc << 5; // kc × 8 floats
  for (let j = 0; j < nc; j += 8) {
    tile(mr, a, ars, aks, bp, kc, c + (<usize>j << 2), ldc, min(8, nc - j), add, tmp);
    bp += strip;
  }
}

function band4(a: usize, ars: usize, aks: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  band(4, a, ars, aks, bp, kc, nc, c, ldc, add, tmp);
}
function band2(a: usize, ars: usize, aks: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  band(2, a, ars, aks, bp, kc, nc, c, ldc, add, tmp);
}
function band1(a: usize, ars: usize, aks: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  band(1, a, ars, aks, bp, kc, nc, c, ldc, add, tmp);
}

// Packs B(K,N) rows k0..k0+kc, columns j0..j0+nc into 8-wide strips, one
// strip at a time so the writes stay sequential.
function packB(bp: usize, b: usize, ldb: usize, kc: i32, nc: i32): void {
  let j = 0;
  for (; j + 8 <= nc; j += 8) {
    let src = b + (<usize>j << 2);
    let dst = bp + <usize>(j >> 3) * (<usize>kc << 5);
    for (let k = 0; k < kc; k++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      src += ldb;
      dst += 32;
    }
  }
  if (j < nc) {
    let dst = bp + <usize>(j >> 3) * (<usize>kc << 5);
    for (let k = 0; k < kc; k++) {
      const src = b + <usize>k * ldb;
      for (let jj = 0; jj < 8; jj++) store<f32>(dst + (<usize>jj << 2), j + jj < nc ? load<f32>(src + (<usize>(j + jj) << 2)) : 0);
      dst += 32;
    }
  }
}

// Packs an mr-row panel of A (row stride ars, k stride aks) as Ap[k][0..3],
// so the tile reads it with strides (4, 16) whatever A's layout.
function packA(ap: usize, a: usize, ars: usize, aks: usize, mr: i32, kc: i32): void {
  if (ars == 4 && mr == 4) {
    for (let k = 0; k < kc; k++) {
      v128.store(ap, v128.load(a));
      a += aks;
      ap += 16;
    }
    return;
  }
  for (let k = 0; k < kc; k++) {
    for (let r = 0; r < mr; r++) store<f32>(ap + (<usize>r << 2), load<f32>(a + <usize>r * ars));
    a += aks;
    ap += 16;
  }
}

// Packs the transpose of B(N,K): Bp[strip][k][jj] = B[j0 + 8·strip + jj, k0 + k],
// four k at a time with 4×4 in-register transposes.
function packBt(bp: usize, b: usize, ldb: usize, kc: i32, nc: i32): void {
  const strip = <usize>kc << 5;
  for (let j = 0; j < nc; j += 8) {
    const dst = bp + <usize>(j >> 3) * strip;
    if (j + 8 <= nc) {
      const r0 = b + <usize>j * ldb;
      const r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb, r4 = r3 + ldb, r5 = r4 + ldb, r6 = r5 + ldb, r7 = r6 + ldb;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = <usize>k << 2;
        const d = dst + (<usize>k << 5);
        transpose4(d, v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o));
        transpose4(d + 16, v128.load(r4 + o), v128.load(r5 + o), v128.load(r6 + o), v128.load(r7 + o));
      }
      for (; k < kc; k++) {
        const o = <usize>k << 2;
        const d = dst + (<usize>k << 5);
        store<f32>(d, load<f32>(r0 + o));
        store<f32>(d, load<f32>(r1 + o), 4);
        store<f32>(d, load<f32>(r2 + o), 8);
        store<f32>(d, load<f32>(r3 + o), 12);
        store<f32>(d, load<f32>(r4 + o), 16);
        store<f32>(d, load<f32>(r5 + o), 20);
        store<f32>(d, load<f32>(r6 + o), 24);
        store<f32>(d, load<f32>(r7 + o), 28);
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const d = dst + (<usize>k << 5);
        for (let jj = 0; jj < 8; jj++) {
          store<f32>(d + (<usize>jj << 2), j + jj < nc ? load<f32>(b + <usize>(j + jj) * ldb + (<usize>k << 2)) : 0);
        }
      }
    }
  }
}

// Stores the transpose of rows (x0..x3) as four 32-byte-strided half-rows at d.
@inline function transpose4(d: usize, x0: v128, x1: v128, x2: v128, x3: v128): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
  v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
  v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
}

// One band of `mr` rows starting at row i: packs A's panel first when A's k
// stride is not 4 bytes (gemmAtB: the band's rows are contiguous but
// successive k are a whole row of A apart, which thrashes L1 and the TLB).
@inline function rows(mr: i32, a: usize, ars: usize, aks: usize, ap: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  if (aks == 4) {
    bandN(mr, a, ars, 4, bp, kc, nc, c, ldc, add, tmp);
  } else {
    packA(ap, a, ars, aks, mr, kc);
    bandN(mr, ap, 4, 16, bp, kc, nc, c, ldc, add, tmp);
  }
}

@inline function bandN(mr: i32, a: usize, ars: usize, aks: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  if (mr == 4) band4(a, ars, aks, bp, kc, nc, c, ldc, add, tmp);
  else if (mr == 2) band2(a, ars, aks, bp, kc, nc, c, ldc, add, tmp);
  else band1(a, ars, aks, bp, kc, nc, c, ldc, add, tmp);
}

// The blocked driver shared by the three layouts.
function drive(c: usize, a: usize, ars: usize, aks: usize, b: usize, transB: bool, M: i32, K: i32, N: i32, acc: bool, ws: usize): void {
  const tmp = ws;
  const ap = ws + TILE_BYTES;
  const bp = (ap + AP_BYTES + 63) & ~(<usize>63);
  const ldc = <usize>N << 2;
  if (K == 0) {
    if (!acc) memory.fill(c, 0, <usize>M * ldc);
    return;
  }
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = min(NC, N - j0);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0);
      if (transB) packBt(bp, b + (<usize>j0 * <usize>K + <usize>k0) * 4, <usize>K << 2, kc, nc);
      else packB(bp, b + (<usize>k0 * <usize>N + <usize>j0) * 4, ldc, kc, nc);
      const add = acc || k0 > 0;
      const ak = a + <usize>k0 * aks;
      const cj = c + (<usize>j0 << 2);
      let i = 0;
      for (; i + 4 <= M; i += 4) rows(4, ak + <usize>i * ars, ars, aks, ap, bp, kc, nc, cj + <usize>i * ldc, ldc, add, tmp);
      if (i + 2 <= M) {
        rows(2, ak + <usize>i * ars, ars, aks, ap, bp, kc, nc, cj + <usize>i * ldc, ldc, add, tmp);
        i += 2;
      }
      if (i < M) rows(1, ak + <usize>i * ars, ars, aks, ap, bp, kc, nc, cj + <usize>i * ldc, ldc, add, tmp);
    }
  }
}

/** C(M,N) (+)= A(M,K) · B(K,N); `ws` is workspaceBytes() of scratch. */
export function gemm(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, acc: bool, ws: usize): void {
  drive(c, a, <usize>K << 2, 4, b, false, M, K, N, acc, ws);
}

/** C(M,N) (+)= A(M,K) · B(N,K)ᵀ. */
export function gemmABt(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, acc: bool, ws: usize): void {
  drive(c, a, <usize>K << 2, 4, b, true, M, K, N, acc, ws);
}

/** C(M,N) (+)= A(K,M)ᵀ · B(K,N). */
export function gemmAtB(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, acc: bool, ws: usize): void {
  drive(c, a, 4, <usize>M << 2, b, false, M, K, N, acc, ws);
}

// ---------------------------------------------------------------------------
// Fused elementwise kernels: bias + activation + derivative in one pass over
// z, the activation's backward product, the optimiser updates and a sum of
// squares. References: reference.ts. Activation kinds: 0 linear, 1 sigmoid,
// 2 tanh, 3 relu (the codes of FUSED_ACTIVATIONS in fused.ts).

const LOG2E: f32 = 1.44269504088896341;
const EXP_MIN: f32 = -87.33654; // below this e^x is not a normal float32: return 0

// e^x for x ≤ 0 (Cephes expf: x = n·ln2 + r, |r| ≤ ln2/2, degree-6 polynomial, 2^n from the exponent bits).
@inline function expNeg4(x: v128): v128 {
  const fx = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375))), f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(y, pow2n), f32x4.lt(x, f32x4.splat(EXP_MIN)));
}

// a = f(x), d = f'(x) for four lanes, stored at pa and pd.
@inline function act4(kind: i32, x: v128, pa: usize, pd: usize): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  if (kind == 0) {
    v128.store(pa, x);
    v128.store(pd, v128.bitselect(one, x, f32x4.eq(x, x))); // NaN in, NaN out
  } else if (kind == 1) {
    // σ in the sign-split form: e = e^{−|x|}, σ(|x|) = 1/(1+e), σ(−|x|) = e/(1+e), σ' = e/(1+e)²
    const e = expNeg4(f32x4.neg(f32x4.abs(x)));
    const q = f32x4.add(one, e);
    const pos = f32x4.ge(x, zero);
    v128.store(pa, f32x4.div(v128.bitselect(one, e, pos), q));
    // NaN lanes fail `pos` and take e/q = NaN, as the reference does
    v128.store(pd, f32x4.div(e, f32x4.mul(q, q)));
  } else if (kind == 2) {
    // |x| < 0.625: Cephes' odd polynomial; else (1 − e)/(1 + e) with e = e^{−2|x|}
    const ax = f32x4.abs(x);
    const e = expNeg4(f32x4.mul(ax, f32x4.splat(-2)));
    const ope = f32x4.add(one, e);
    const big = f32x4.div(f32x4.sub(one, e), ope);
    const z = f32x4.mul(x, x);
    let p = f32x4.splat(-5.70498872745e-3);
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
    const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
    const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000))); // copysign(big, x)
    const t = v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
    v128.store(pa, t);
    // tanh' = 1 − t² near 0, 4e/(1+e)² in the tails (keeps relative accuracy)
    const tail = f32x4.div(f32x4.mul(f32x4.splat(4), e), f32x4.mul(ope, ope));
    v128.store(pd, v128.bitselect(f32x4.sub(one, f32x4.mul(t, t)), tail, f32x4.lt(ax, one)));
  } else {
    // relu: x ≤ 0 → 0, x > 0 → x, NaN stays NaN; f' = 1 for x > 0, 0 for x ≤ 0, NaN for NaN
    const le = f32x4.le(x, zero);
    v128.store(pa, v128.andnot(x, le));
    v128.store(pd, v128.bitselect(one, v128.andnot(x, le), f32x4.gt(x, zero)));
  }
}

// The activation over one contiguous run of n elements; the tail goes through `tmp` (48 bytes).
@inline function actRun(kind: i32, a: usize, d: usize, z: usize, n: i32, tmp: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    act4(kind, v128.load(z + o), a + o, d + o);
  }
  if (i < n) {
    const o = <usize>i << 2;
    const rest = <usize>(n - i) << 2;
    v128.store(tmp, f32x4.splat(0));
    memory.copy(tmp, z + o, rest);
    act4(kind, v128.load(tmp), tmp + 16, tmp + 32);
    memory.copy(a + o, tmp + 16, rest);
    memory.copy(d + o, tmp + 32, rest);
  }
}

// z(R,C) += bias(C) on every row, then a = f(z), d = f'(z), one row at a time (while it is in L1).
@inline function biasActK(kind: i32, a: usize, d: usize, z: usize, bias: usize, R: i32, C: i32, tmp: usize): void {
  const row = <usize>C << 2;
  for (let r = 0; r < R; r++) {
    if (bias != 0) {
      let j = 0;
      for (; j + 4 <= C; j += 4) {
        const o = <usize>j << 2;
        v128.store(z + o, f32x4.add(v128.load(z + o), v128.load(bias + o)));
      }
      for (; j < C; j++) {
        const o = <usize>j << 2;
        store<f32>(z + o, load<f32>(z + o) + load<f32>(bias + o));
      }
    }
    actRun(kind, a, d, z, C, tmp);
    a += row;
    d += row;
    z += row;
  }
}

/** z(R,C) += bias(C) (skipped when bias is 0), a = f(z), d = f'(z); `tmp` is 48 bytes of scratch. */
export function biasActivation(kind: i32, a: usize, d: usize, z: usize, bias: usize, R: i32, C: i32, tmp: usize): void {
  if (kind == 0) biasActK(0, a, d, z, bias, R, C, tmp);
  else if (kind == 1) biasActK(1, a, d, z, bias, R, C, tmp);
  else if (kind == 2) biasActK(2, a, d, z, bias, R, C, tmp);
  else biasActK(3, a, d, z, bias, R, C, tmp);
}

/** dz = dout ⊙ d over n elements: an elementwise activation's backward pass. */
export function activationBackward(dz: usize, dout: usize, d: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dz + o, f32x4.mul(v128.load(dout + o), v128.load(d + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dz + o, load<f32>(dout + o) * load<f32>(d + o));
  }
}

// Σ of the squares of a 4-lane vector, added into two float64 lanes.
@inline function sq2(acc: v128, v: v128): v128 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
}

/** SGD with Nielsen's L2 factor: w ← decay·w − lr·g over n elements; returns ‖Δw‖² in float64. */
export function sgdStep(w: usize, g: usize, n: i32, lr: f32, decay: f32): f64 {
  const vl = f32x4.splat(lr), vd = f32x4.splat(decay);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const old = v128.load(w + o);
    const nw = f32x4.sub(f32x4.mul(vd, old), f32x4.mul(vl, v128.load(g + o)));
    v128.store(w + o, nw);
    acc = sq2(acc, f32x4.sub(nw, old));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const old = load<f32>(w + o);
    const nw = decay * old - lr * load<f32>(g + o);
    store<f32>(w + o, nw);
    const dl = <f64>(nw - old);
    s += dl * dl;
  }
  return s;
}

/** Momentum: v ← μ·v − lr·g, w ← decay·w + v; returns ‖Δw‖² in float64. */
export function momentumStep(w: usize, g: usize, v: usize, n: i32, lr: f32, mu: f32, decay: f32): f64 {
  const vl = f32x4.splat(lr), vm = f32x4.splat(mu), vd = f32x4.splat(decay);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const old = v128.load(w + o);
    const nv = f32x4.sub(f32x4.mul(vm, v128.load(v + o)), f32x4.mul(vl, v128.load(g + o)));
    v128.store(v + o, nv);
    const nw = f32x4.add(f32x4.mul(vd, old), nv);
    v128.store(w + o, nw);
    acc = sq2(acc, f32x4.sub(nw, old));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const old = load<f32>(w + o);
    const nv = mu * load<f32>(v + o) - lr * load<f32>(g + o);
    store<f32>(v + o, nv);
    const nw = decay * old + nv;
    store<f32>(w + o, nw);
    const dl = <f64>(nw - old);
    s += dl * dl;
  }
  return s;
}

/** Σ x² over n elements, accumulated in float64 (the global gradient norm's square). */
export function sumSquares(x: usize, n: i32): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = sq2(acc, v128.load(x + (<usize>i << 2)));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    s += v * v;
  }
  return s;
}
