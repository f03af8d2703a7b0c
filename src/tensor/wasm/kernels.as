// AssemblyScript source of gradscope's WebAssembly SIMD kernels (f32x4).
//
// Built by `npm run build:wasm` (scripts/build-wasm.mjs: the npm package
// `assemblyscript`, `--enable simd -O3 --runtime stub`), which embeds the
// bytes in kernels-wasm.ts so `tsc` alone builds the package and a browser
// needs no extra file. The file has an `.as` extension so that the project's
// `tsc` does not try to type-check AssemblyScript (f32, v128, load<T>).
//
// Every function works on raw byte offsets into the module's own memory; the
// JavaScript side (wasm-kernels.ts) copies operands in, calls, and copies the
// result out. Each kernel has a TypeScript reference (../kernels.ts naive
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
// then stream from L1/L2 through an MR×8 register tile of C: per k one splat
// of each of the MR values of A's column k times two 4-lane rows of the strip.
// A is read in place through its row and k strides, which is what lets one
// driver serve all three layouts:
//   gemm     A(M,K)   (row i, col k) at a + 4(iK + k): ars = 4K, aks = 4
//   gemmAtB  A(K,M)ᵀ  (row i, col k) at a + 4(kM + i): ars = 4,  aks = 4M
//   gemmABt  A(M,K) as gemm, but B(N,K) is transposed while packing.

const KC: i32 = 256; // k-block: a 6×KC panel of A (6 KB) stays in L1
const NC: i32 = 512; // n-block: the packed KC×NC block of B (512 KB) stays in L2
const TILE_BYTES: usize = 6 * 8 * 4; // scratch for a partial-width tile of C
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

// The register tile: C(mr×nr) (+)= A(mr×kc) · Bp(kc×8). `mr` is a constant at
// every call site, so after inlining the optimiser drops the unused rows.
@inline function tile(mr: i32, a: usize, ars: usize, aks: usize, bp: usize, kc: i32, c: usize, ldc: usize, nr: i32, add: bool, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  const a1 = a + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars;
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
    if (mr > 4) {
      s = v128.load32_splat(a4 + o);
      c40 = f32x4.add(c40, f32x4.mul(s, b0));
      c41 = f32x4.add(c41, f32x4.mul(s, b1));
    }
    if (mr > 5) {
      s = v128.load32_splat(a5 + o);
      c50 = f32x4.add(c50, f32x4.mul(s, b0));
      c51 = f32x4.add(c51, f32x4.mul(s, b1));
    }
    o += aks;
  }
  storeRow(c, c00, c01, nr, add, tmp);
  if (mr > 1) storeRow(c + ldc, c10, c11, nr, add, tmp);
  if (mr > 2) storeRow(c + 2 * ldc, c20, c21, nr, add, tmp);
  if (mr > 3) storeRow(c + 3 * ldc, c30, c31, nr, add, tmp);
  if (mr > 4) storeRow(c + 4 * ldc, c40, c41, nr, add, tmp);
  if (mr > 5) storeRow(c + 5 * ldc, c50, c51, nr, add, tmp);
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
