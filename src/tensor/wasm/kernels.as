// AssemblyScript source of gradscope's WebAssembly SIMD kernels (f32x4).
//
// Built by `npm run build:wasm` (scripts/build-wasm.mjs: the npm package
// `assemblyscript`, `-O3 --runtime stub`), in four variants: plain or relaxed
// SIMD (`--enable relaxed-simd`: the products use `f32x4.relaxed_madd`, one
// fused multiply-add, where the engine has it) times a shared or an unshared
// imported memory (`env.memory`, created by heap.ts: shared where threads
// are possible, so worker threads can run the same kernels on the same
// buffers). The bytes are embedded in kernels-wasm.ts so `tsc` alone builds
// the package and a browser needs no extra file. The file has an `.as`
// extension so that the project's `tsc` does not try to type-check
// AssemblyScript (f32, v128, load<T>).
//
// Every function works on raw byte offsets into the memory. Each kernel has a
// TypeScript reference (../kernels.ts naive kernels, reference.ts) and a test
// holding the two equal.
//
// Matrices are row-major float32; sizes follow the BLAS letters: C is (M,N),
// the shared dimension is K.

/** Start of the free memory the JavaScript side may use. */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------
// Matrix products: GotoBLAS-style blocking. B is packed one (KC×NC) block at
// a time into strips of 8 columns (Bp[strip][k][0..7], zero-padded); A is
// packed one panel of up to 4 rows at a time (Ap[k][0..3]). A 4×8 register
// tile of C then reads both with constant offsets from two pointers: per k,
// two 4-lane rows of the strip and one splat of each of the 4 values of the
// panel, 8 multiply-adds. V8 issues all six loads of an iteration before its
// multiply-adds, so 8 accumulators + 2 B rows + 4 splats = 14 of its 15 free
// xmm registers are live at once: a 5×8 tile (17) spills two accumulators
// to the stack every iteration and ran at 31 GFLOP/s instead of 50, and a
// splat by shuffle from one load of the panel was no faster. V8 unrolls
// the k loop by two itself. KC and NC are not critical: 128–512 and
// 256–1024 measured within the noise at 256³ and 1024³. A is addressed through its row and k
// strides while packing, which lets one driver serve all layouts:
//   gemm     A(M,K)   (row i, col k) at a + 4(iK + k): ars = 4K, aks = 4
//   gemmAtB  A(K,M)ᵀ  (row i, col k) at a + 4(kM + i): ars = 4,  aks = 4M
//   gemmABt  A(M,K) as gemm, but B(N,K) is transposed while packing.
// Every export computes a block of rows m0..m1 and columns n0..n1 of C, so
// threads can split one product: each element is computed by one thread
// with the same operations in the same order, so a split product is
// bit-identical to the whole one.

const KC: i32 = 256; // k-block: a 4×KC panel of A (4 KB) and an 8×KC strip of B (8 KB) stay in L1
const NC: i32 = 512; // n-block: the packed KC×NC block of B (512 KB) stays in L2
const TILE_BYTES: usize = 4 * 8 * 4; // scratch for a partial-width row of a C tile
const AP_BYTES: usize = <usize>KC * 16; // a packed 4×KC panel of A
const BP_BYTES: usize = <usize>KC * <usize>NC * 4; // a packed KC×NC block of B
const KEEP_BYTES: usize = 256 * 1024; // every packed panel of an A, kept for the next block of columns (see keptBytes)

/** Bytes of scratch a product needs at `ws` (edge tile, one packed panel of A, one packed block of B, the kept panels of A); one per thread. */
export function workspaceBytes(): usize {
  return TILE_BYTES + AP_BYTES + 64 + BP_BYTES + KEEP_BYTES;
}

/**
 * Bytes that every packed panel of an M×K operand A takes (each k-block of
 * each 4-row panel in a KC-sized slot); a product can keep them (`keep`)
 * when this is at most the workspace's KEEP_BYTES.
 */
export function keptBytes(M: i32, K: i32): usize {
  return <usize>((K + KC - 1) / KC) * <usize>((M + 3) >> 2) * AP_BYTES;
}

// a·b + c: one fused multiply-add (rounded once) in the relaxed build, else a multiply then an add.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
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

// The register tile: C(mr×nr) (+)= Ap(kc, mr)ᵀ · Bp(kc, 8), mr ≤ 4. `mr` is a
// constant at every call site, so after inlining the optimiser drops the
// unused rows.
@inline function tile(mr: i32, ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, nr: i32, add: bool, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = bp + (<usize>kc << 5); // one pointer compare ends the loop (no counter)
  while (bp < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let s = v128.load32_splat(ap);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    if (mr > 1) {
      s = v128.load32_splat(ap, 4);
      c10 = madd(s, b0, c10);
      c11 = madd(s, b1, c11);
    }
    if (mr > 2) {
      s = v128.load32_splat(ap, 8);
      c20 = madd(s, b0, c20);
      c21 = madd(s, b1, c21);
    }
    if (mr > 3) {
      s = v128.load32_splat(ap, 12);
      c30 = madd(s, b0, c30);
      c31 = madd(s, b1, c31);
    }
    ap += 16;
    bp += 32;
  }
  storeRow(c, c00, c01, nr, add, tmp);
  if (mr > 1) storeRow(c + ldc, c10, c11, nr, add, tmp);
  if (mr > 2) storeRow(c + 2 * ldc, c20, c21, nr, add, tmp);
  if (mr > 3) storeRow(c + 3 * ldc, c30, c31, nr, add, tmp);
}

// One panel of mr rows of C against every strip of the packed block.
@inline function band(mr: i32, ap: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  const strip = <usize>kc << 5; // kc × 8 floats
  for (let j = 0; j < nc; j += 8) {
    tile(mr, ap, bp, kc, c + (<usize>j << 2), ldc, min(8, nc - j), add, tmp);
    bp += strip;
  }
}

function band4(ap: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  band(4, ap, bp, kc, nc, c, ldc, add, tmp);
}
function band3(ap: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  band(3, ap, bp, kc, nc, c, ldc, add, tmp);
}
function band2(ap: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  band(2, ap, bp, kc, nc, c, ldc, add, tmp);
}
function band1(ap: usize, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  band(1, ap, bp, kc, nc, c, ldc, add, tmp);
}

// Packs B(K,N) rows 0..kc, columns 0..nc (rows ldb bytes apart) into 8-wide
// strips, one strip at a time so the writes stay sequential.
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

// Stores the transpose of the 4×4 block in rows (x0..x3) as four rows `stride` bytes apart at d.
@inline function transpose4(d: usize, stride: usize, x0: v128, x1: v128, x2: v128, x3: v128): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(d + stride, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(d + 2 * stride, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(d + 3 * stride, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

// Packs the transpose of B(N,K) (rows ldb bytes apart): Bp[strip][k][jj] = B[8·strip + jj, k],
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
        transpose4(d, 32, v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o));
        transpose4(d + 16, 32, v128.load(r4 + o), v128.load(r5 + o), v128.load(r6 + o), v128.load(r7 + o));
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

// Packs an mr-row panel of A (element (r, k) at a + r·ars + k·aks) as Ap[k][0..3].
function packA(ap: usize, a: usize, ars: usize, aks: usize, mr: i32, kc: i32): void {
  if (mr == 4 && ars == 4) {
    // gemmAtB: the panel's 4 values of one k are contiguous
    for (let k = 0; k < kc; k++) {
      v128.store(ap, v128.load(a));
      a += aks;
      ap += 16;
    }
    return;
  }
  let k = 0;
  if (mr == 4 && aks == 4) {
    // row-major A: transpose 4×4 blocks of four rows
    const r1 = a + ars, r2 = r1 + ars, r3 = r2 + ars;
    for (; k + 4 <= kc; k += 4) {
      const o = <usize>k << 2;
      transpose4(ap + (<usize>k << 4), 16, v128.load(a + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o));
    }
  }
  for (; k < kc; k++) {
    const src = a + <usize>k * aks;
    const dst = ap + (<usize>k << 4);
    for (let r = 0; r < mr; r++) store<f32>(dst + (<usize>r << 2), load<f32>(src + <usize>r * ars));
  }
}

// One panel of `mr` rows: pack it (unless it is packed already), then sweep the packed block of B.
@inline function panel(mr: i32, a: usize, ars: usize, aks: usize, ap: usize, pack: bool, bp: usize, kc: i32, nc: i32, c: usize, ldc: usize, add: bool, tmp: usize): void {
  if (pack) packA(ap, a, ars, aks, mr, kc);
  if (mr == 4) band4(ap, bp, kc, nc, c, ldc, add, tmp);
  else if (mr == 3) band3(ap, bp, kc, nc, c, ldc, add, tmp);
  else if (mr == 2) band2(ap, bp, kc, nc, c, ldc, add, tmp);
  else band1(ap, bp, kc, nc, c, ldc, add, tmp);
}

// The blocked driver shared by the three layouts: C(M,N) at c (rows ldc bytes
// apart) (+)= A·B with A's element (i, k) at a + i·ars + k·aks and B's (k, j)
// at b + k·ldb + 4j, or (transB) at b + j·ldb + 4k. `keep` says where A's
// packed panels go: 0 one panel at a time into the panel scratch (packed again
// for every block of NC columns); 1 all of them into the kept area, packed
// during the first block of columns and reused by the later ones; 2 reused
// from the kept area as a call with 1 on the same A (rows m0..m1 of the same
// product, from the same thread) left them. Threads that split a product by
// columns call with 1 for their first block of columns and 2 after, so each
// thread packs A once. The values are the same bits whichever is used.
function drive(c: usize, ldc: usize, a: usize, ars: usize, aks: usize, b: usize, ldb: usize, transB: bool, M: i32, K: i32, N: i32, acc: bool, ws: usize, keep: i32): void {
  if (M <= 0 || N <= 0) return;
  const tmp = ws;
  const ap0 = ws + TILE_BYTES;
  const bp = (ap0 + AP_BYTES + 63) & ~(<usize>63);
  const kept = bp + BP_BYTES;
  if (K == 0) {
    if (!acc) for (let i = 0; i < M; i++) memory.fill(c + <usize>i * ldc, 0, <usize>N << 2);
    return;
  }
  const panels = <usize>((M + 3) >> 2);
  let pack = keep != 2;
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = min(NC, N - j0);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0);
      if (transB) packBt(bp, b + <usize>j0 * ldb + (<usize>k0 << 2), ldb, kc, nc);
      else packB(bp, b + <usize>k0 * ldb + (<usize>j0 << 2), ldb, kc, nc);
      const add = acc || k0 > 0;
      const ak = a + <usize>k0 * aks;
      const cj = c + (<usize>j0 << 2);
      // this k-block's slot of panel p in the kept area
      let ap = keep == 0 ? ap0 : kept + <usize>(k0 / KC) * panels * AP_BYTES;
      const step = keep == 0 ? 0 : AP_BYTES;
      let i = 0;
      for (; i + 4 <= M; i += 4) {
        panel(4, ak + <usize>i * ars, ars, aks, ap, pack, bp, kc, nc, cj + <usize>i * ldc, ldc, add, tmp);
        ap += step;
      }
      const rest = M - i;
      if (rest == 3) panel(3, ak + <usize>i * ars, ars, aks, ap, pack, bp, kc, nc, cj + <usize>i * ldc, ldc, add, tmp);
      else if (rest == 2) panel(2, ak + <usize>i * ars, ars, aks, ap, pack, bp, kc, nc, cj + <usize>i * ldc, ldc, add, tmp);
      else if (rest == 1) panel(1, ak + <usize>i * ars, ars, aks, ap, pack, bp, kc, nc, cj + <usize>i * ldc, ldc, add, tmp);
    }
    if (keep != 0) pack = false;
  }
}

/** Rows m0..m1 and columns n0..n1 of C(M,N) (+)= A(M,K) · B(K,N); `ws` is workspaceBytes() of scratch; `keep` as drive's (0 unless keptBytes(m1 − m0, K) fits). */
export function gemm(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, acc: bool, ws: usize, m0: i32, m1: i32, n0: i32, n1: i32, keep: i32): void {
  const ldc = <usize>N << 2;
  drive(c + <usize>m0 * ldc + (<usize>n0 << 2), ldc, a + <usize>m0 * (<usize>K << 2), <usize>K << 2, 4, b + (<usize>n0 << 2), ldc, false, m1 - m0, K, n1 - n0, acc, ws, keepFor(keep, m1 - m0, K));
}

/** The block m0..m1 × n0..n1 of C(M,N) (+)= A(M,K) · B(N,K)ᵀ. */
export function gemmABt(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, acc: bool, ws: usize, m0: i32, m1: i32, n0: i32, n1: i32, keep: i32): void {
  const ldc = <usize>N << 2;
  const row = <usize>K << 2;
  drive(c + <usize>m0 * ldc + (<usize>n0 << 2), ldc, a + <usize>m0 * row, row, 4, b + <usize>n0 * row, row, true, m1 - m0, K, n1 - n0, acc, ws, keepFor(keep, m1 - m0, K));
}

/** The block m0..m1 × n0..n1 of C(M,N) (+)= A(K,M)ᵀ · B(K,N). */
export function gemmAtB(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, acc: bool, ws: usize, m0: i32, m1: i32, n0: i32, n1: i32, keep: i32): void {
  const ldc = <usize>N << 2;
  drive(c + <usize>m0 * ldc + (<usize>n0 << 2), ldc, a + (<usize>m0 << 2), 4, <usize>M << 2, b + (<usize>n0 << 2), ldc, false, m1 - m0, K, n1 - n0, acc, ws, keepFor(keep, m1 - m0, K));
}

// `keep` where the kept area holds every panel of an M×K operand, else 0.
@inline function keepFor(keep: i32, M: i32, K: i32): i32 {
  return keptBytes(M, K) <= KEEP_BYTES ? keep : 0;
}

// ---------------------------------------------------------------------------
// Products with a sparse operand: most of the pixels of a digit are 0 (81 %
// of the bundled digits'), and so is much of any one-hot or bag-of-words
// input, and the first layer's two products are most of a step's work.
// z = x·Wᵀ (gemmABtSparse) lists x's nonzeros row by row (sparseRows) and
// adds only their terms; dW = dzᵀ·x (gemmAtBSparse) packs x's 8-column
// strips without their all-zero rows. Both add their terms with the dense
// kernels' multiply-add per lane, in ascending order of k, so every element
// of C is the same sum whichever block of C a call computes: split products
// keep the bits of one thread (the bits differ from the dense kernels'
// blocked sums in the last places). A zero term left out would only have
// made the dense sum NaN where the other factor is infinite or NaN.
//
// A row list is [ptr: i32 × (M + 1)] then, from 16-byte alignment, (i32 byte
// offset, f32 value) pairs row after row; ptr[m] is the index of row m's
// first entry, and an entry's offset is its k times `scale`.

/** Byte offset of a list's entries for `lines` lines (after the pointers, 16-byte aligned). */
@inline function entriesAt(list: usize, lines: i32): usize {
  return (list + (<usize>(lines + 1) << 2) + 15) & ~(<usize>15);
}

/** Bytes of a list of `lines` lines with at most `cap` entries. */
export function sparseBytes(lines: i32, cap: i32): usize {
  return (<usize>(lines + 1) << 2) + 16 + (<usize>cap << 3);
}

/** Nonzeros among the first n float32 at x (−0 counts as 0; NaN counts). */
export function countNonzeros(x: usize, n: i32): i32 {
  let count = 0;
  let i = 0;
  const zero = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) count += popcnt<i32>(i32x4.bitmask(f32x4.ne(v128.load(x + (<usize>i << 2)), zero)));
  for (; i < n; i++) if (load<f32>(x + (<usize>i << 2)) != 0) count++;
  return count;
}

/** Runs of 8 among the first n float32 at x (the last one shorter) that hold a nonzero: the strips gemmAtBSparse keeps. */
export function nonzeroStrips(x: usize, n: i32): i32 {
  let count = 0;
  let i = 0;
  const zero = f32x4.splat(0);
  for (; i + 8 <= n; i += 8) {
    const p = x + (<usize>i << 2);
    if (v128.any_true(v128.or(f32x4.ne(v128.load(p), zero), f32x4.ne(v128.load(p, 16), zero)))) count++;
  }
  if (i < n) {
    let any = false;
    for (; i < n; i++) if (load<f32>(x + (<usize>i << 2)) != 0) any = true;
    if (any) count++;
  }
  return count;
}

/**
 * Lists the nonzeros of A(M,K) row by row at `list`: offsets k·scale. Returns
 * their number, or −1 (the list unfinished) as soon as there are more than `cap`.
 */
export function sparseRows(a: usize, M: i32, K: i32, list: usize, cap: i32, scale: i32): i32 {
  const e0 = entriesAt(list, M);
  let e = e0;
  const end = e0 + (<usize>cap << 3);
  const zero = f32x4.splat(0);
  for (let m = 0; m < M; m++) {
    store<i32>(list + (<usize>m << 2), <i32>((e - e0) >> 3));
    const row = a + <usize>m * (<usize>K << 2);
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const v = v128.load(row + (<usize>k << 2));
      let bits = i32x4.bitmask(f32x4.ne(v, zero));
      while (bits != 0) {
        if (e >= end) return -1;
        const l = ctz<i32>(bits);
        bits &= bits - 1;
        store<i32>(e, (k + l) * scale);
        store<f32>(e, load<f32>(row + (<usize>(k + l) << 2)), 4);
        e += 8;
      }
    }
    for (; k < K; k++) {
      const x = load<f32>(row + (<usize>k << 2));
      if (x != 0) {
        if (e >= end) return -1;
        store<i32>(e, k * scale);
        store<f32>(e, x, 4);
        e += 8;
      }
    }
  }
  const nnz = <i32>((e - e0) >> 3);
  store<i32>(list + (<usize>M << 2), nnz);
  return nnz;
}

/** Widest block of columns gemmABtSparse packs at once: 6 strips of 8. */
const SPARSE_STRIPS: i32 = 6;

/** The largest K gemmABtSparse takes: six packed strips of K rows fill the packing and kept areas. */
export function sparseMaxK(): i32 {
  return <i32>((BP_BYTES + KEEP_BYTES) / (<usize>SPARSE_STRIPS << 5));
}

// One row of C against `g` packed strips (g ≤ 6, a constant at every call
// site): C[row, 8g columns] (+)= Σ over the row's entries of value × strip
// row, 2g accumulators.
@inline function sparseTile(g: i32, e: usize, end: usize, bp: usize, sb: usize, c: usize, nr: i32, add: bool, tmp: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), d0 = f32x4.splat(0), d1 = f32x4.splat(0);
  let e0 = f32x4.splat(0), e1 = f32x4.splat(0), f0 = f32x4.splat(0), f1 = f32x4.splat(0);
  while (e < end) {
    const q = bp + <usize>load<i32>(e);
    const v = v128.load32_splat(e, 4);
    a0 = madd(v, v128.load(q), a0);
    a1 = madd(v, v128.load(q, 16), a1);
    if (g > 1) {
      b0 = madd(v, v128.load(q + sb), b0);
      b1 = madd(v, v128.load(q + sb, 16), b1);
    }
    if (g > 2) {
      c0 = madd(v, v128.load(q + 2 * sb), c0);
      c1 = madd(v, v128.load(q + 2 * sb, 16), c1);
    }
    if (g > 3) {
      d0 = madd(v, v128.load(q + 3 * sb), d0);
      d1 = madd(v, v128.load(q + 3 * sb, 16), d1);
    }
    if (g > 4) {
      e0 = madd(v, v128.load(q + 4 * sb), e0);
      e1 = madd(v, v128.load(q + 4 * sb, 16), e1);
    }
    if (g > 5) {
      f0 = madd(v, v128.load(q + 5 * sb), f0);
      f1 = madd(v, v128.load(q + 5 * sb, 16), f1);
    }
    e += 8;
  }
  // every strip but the last of the block is whole
  storeRow(c, a0, a1, g == 1 ? nr : 8, add, tmp);
  if (g > 1) storeRow(c + 32, b0, b1, g == 2 ? nr : 8, add, tmp);
  if (g > 2) storeRow(c + 64, c0, c1, g == 3 ? nr : 8, add, tmp);
  if (g > 3) storeRow(c + 96, d0, d1, g == 4 ? nr : 8, add, tmp);
  if (g > 4) storeRow(c + 128, e0, e1, g == 5 ? nr : 8, add, tmp);
  if (g > 5) storeRow(c + 160, f0, f1, nr, add, tmp);
}

function sparseTile6(e: usize, end: usize, bp: usize, sb: usize, c: usize, nr: i32, add: bool, tmp: usize): void {
  sparseTile(6, e, end, bp, sb, c, nr, add, tmp);
}
function sparseTile4(e: usize, end: usize, bp: usize, sb: usize, c: usize, nr: i32, add: bool, tmp: usize): void {
  sparseTile(4, e, end, bp, sb, c, nr, add, tmp);
}
function sparseTile2(e: usize, end: usize, bp: usize, sb: usize, c: usize, nr: i32, add: bool, tmp: usize): void {
  sparseTile(2, e, end, bp, sb, c, nr, add, tmp);
}
function sparseTile1(e: usize, end: usize, bp: usize, sb: usize, c: usize, nr: i32, add: bool, tmp: usize): void {
  sparseTile(1, e, end, bp, sb, c, nr, add, tmp);
}

/**
 * The block m0..m1 × n0..n1 of C(M,N) (+)= A(M,K) · B(N,K)ᵀ with A given by
 * its rows' list (sparseRows with scale 32). B's columns are packed six
 * strips at a time (K ≤ sparseMaxK()); each row of C then sums its row's
 * terms against them. `keep` is unused (the products' signature).
 */
export function gemmABtSparse(c: usize, list: usize, b: usize, M: i32, K: i32, N: i32, acc: bool, ws: usize, m0: i32, m1: i32, n0: i32, n1: i32, keep: i32): void {
  if (m1 <= m0 || n1 <= n0) return;
  const tmp = ws;
  const bp = (ws + TILE_BYTES + AP_BYTES + 63) & ~(<usize>63);
  const sb = <usize>K << 5; // one packed strip: K rows of 8
  const e0 = entriesAt(list, M);
  const ldc = <usize>N << 2;
  for (let j0 = n0; j0 < n1; j0 += SPARSE_STRIPS << 3) {
    const nc = min(SPARSE_STRIPS << 3, n1 - j0);
    packBt(bp, b + <usize>j0 * (<usize>K << 2), <usize>K << 2, K, nc);
    const strips = (nc + 7) >> 3;
    const nr = nc - ((strips - 1) << 3); // columns of the last strip
    for (let m = m0; m < m1; m++) {
      const e = e0 + (<usize>load<i32>(list + (<usize>m << 2)) << 3);
      const end = e0 + (<usize>load<i32>(list + (<usize>(m + 1) << 2)) << 3);
      const cm = c + <usize>m * ldc + (<usize>j0 << 2);
      // the block's strips as tiles of 6, 4, 2 and 1
      let s = 0;
      if (strips == 6) sparseTile6(e, end, bp, sb, cm, nr, acc, tmp);
      else {
        if (strips - s >= 4) {
          sparseTile4(e, end, bp, sb, cm, strips - s == 4 ? nr : 8, acc, tmp);
          s += 4;
        }
        if (strips - s >= 2) {
          sparseTile2(e, end, bp + <usize>s * sb, sb, cm + (<usize>s << 5), strips - s == 2 ? nr : 8, acc, tmp);
          s += 2;
        }
        if (strips - s == 1) sparseTile1(e, end, bp + <usize>s * sb, sb, cm + (<usize>s << 5), nr, acc, tmp);
      }
    }
  }
}

// gemmAtBSparse's register tile, as the dense one's but over the nonzero
// rows of a strip only: C(mr×nr) (+)= Σ_e A[k_e, i..i+mr)ᵀ · strip row e,
// where A's row k_e starts at a + offset_e (mr ≤ 4, a constant at every call site).
@inline function stripTile(mr: i32, a: usize, idx: usize, bp: usize, n: i32, c: usize, ldc: usize, nr: i32, add: bool, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = idx + (<usize>n << 2);
  while (idx < end) {
    const p = a + <usize>load<i32>(idx);
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let s = v128.load32_splat(p);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    if (mr > 1) {
      s = v128.load32_splat(p, 4);
      c10 = madd(s, b0, c10);
      c11 = madd(s, b1, c11);
    }
    if (mr > 2) {
      s = v128.load32_splat(p, 8);
      c20 = madd(s, b0, c20);
      c21 = madd(s, b1, c21);
    }
    if (mr > 3) {
      s = v128.load32_splat(p, 12);
      c30 = madd(s, b0, c30);
      c31 = madd(s, b1, c31);
    }
    idx += 4;
    bp += 32;
  }
  storeRow(c, c00, c01, nr, add, tmp);
  if (mr > 1) storeRow(c + ldc, c10, c11, nr, add, tmp);
  if (mr > 2) storeRow(c + 2 * ldc, c20, c21, nr, add, tmp);
  if (mr > 3) storeRow(c + 3 * ldc, c30, c31, nr, add, tmp);
}

function stripTile4(a: usize, idx: usize, bp: usize, n: i32, c: usize, ldc: usize, nr: i32, add: bool, tmp: usize): void {
  stripTile(4, a, idx, bp, n, c, ldc, nr, add, tmp);
}
function stripTile3(a: usize, idx: usize, bp: usize, n: i32, c: usize, ldc: usize, nr: i32, add: bool, tmp: usize): void {
  stripTile(3, a, idx, bp, n, c, ldc, nr, add, tmp);
}
function stripTile2(a: usize, idx: usize, bp: usize, n: i32, c: usize, ldc: usize, nr: i32, add: bool, tmp: usize): void {
  stripTile(2, a, idx, bp, n, c, ldc, nr, add, tmp);
}
function stripTile1(a: usize, idx: usize, bp: usize, n: i32, c: usize, ldc: usize, nr: i32, add: bool, tmp: usize): void {
  stripTile(1, a, idx, bp, n, c, ldc, nr, add, tmp);
}

/** Rows of B one pass of gemmAtBSparse compacts: 32 bytes of strip and 4 of offset each, in the packing area. */
const STRIP_ROWS: i32 = <i32>(BP_BYTES / 36);

/**
 * The block m0..m1 × n0..n1 of C(M,N) (+)= A(K,M)ᵀ · B(K,N) for a sparse B:
 * as the dense product with 4×8 tiles, but each 8-column strip of B is
 * packed without its all-zero rows (39 % of a digit's 8-pixel runs have a
 * nonzero), and the tile reads A's rows straight from A for the rows kept.
 * Every element of C sums the same terms in the same order whichever block
 * a call computes (n0 a multiple of 8, as the threads split), STRIP_ROWS
 * rows of B at a time. `keep` is unused.
 */
export function gemmAtBSparse(c: usize, a: usize, b: usize, M: i32, K: i32, N: i32, acc: bool, ws: usize, m0: i32, m1: i32, n0: i32, n1: i32, keep: i32): void {
  if (m1 <= m0 || n1 <= n0) return;
  const tmp = ws;
  const bp = (ws + TILE_BYTES + AP_BYTES + 63) & ~(<usize>63);
  const idx0 = bp + (<usize>STRIP_ROWS << 5);
  const ldc = <usize>N << 2;
  const ldb = <usize>N << 2;
  const zero = f32x4.splat(0);
  if (K == 0) {
    if (!acc) for (let i = m0; i < m1; i++) memory.fill(c + <usize>i * ldc + (<usize>n0 << 2), 0, <usize>(n1 - n0) << 2);
    return;
  }
  for (let j = n0; j < n1; j += 8) {
    const nr = min(8, n1 - j);
    for (let k0 = 0; k0 < K; k0 += STRIP_ROWS) {
      const k1 = min(K, k0 + STRIP_ROWS);
      // the strip's rows k0..k1 with a nonzero, and where A's row k starts
      let n = 0;
      let dst = bp;
      let src = b + <usize>k0 * ldb + (<usize>j << 2);
      for (let k = k0; k < k1; k++) {
        let lo: v128, hi: v128;
        if (nr == 8) {
          lo = v128.load(src);
          hi = v128.load(src, 16);
        } else {
          for (let jj = 0; jj < 8; jj++) store<f32>(tmp + (<usize>jj << 2), jj < nr ? load<f32>(src + (<usize>jj << 2)) : 0);
          lo = v128.load(tmp);
          hi = v128.load(tmp, 16);
        }
        if (v128.any_true(v128.or(f32x4.ne(lo, zero), f32x4.ne(hi, zero)))) {
          v128.store(dst, lo);
          v128.store(dst, hi, 16);
          store<i32>(idx0 + (<usize>n << 2), k * M * 4);
          dst += 32;
          n++;
        }
        src += ldb;
      }
      const add = acc || k0 > 0;
      const cj = c + (<usize>j << 2);
      let i = m0;
      for (; i + 4 <= m1; i += 4) stripTile4(a + (<usize>i << 2), idx0, bp, n, cj + <usize>i * ldc, ldc, nr, add, tmp);
      const rest = m1 - i;
      if (rest == 3) stripTile3(a + (<usize>i << 2), idx0, bp, n, cj + <usize>i * ldc, ldc, nr, add, tmp);
      else if (rest == 2) stripTile2(a + (<usize>i << 2), idx0, bp, n, cj + <usize>i * ldc, ldc, nr, add, tmp);
      else if (rest == 1) stripTile1(a + (<usize>i << 2), idx0, bp, n, cj + <usize>i * ldc, ldc, nr, add, tmp);
    }
  }
}


/**
 * The machine's limit for these products: `iters` rounds of 12 independent
 * multiply-adds (the products' `madd`) on registers only, 96 flops a round,
 * nothing loaded or stored. Returns a lane of the result so the work cannot
 * be dropped. `gradscope bench` times it beside the products to report how
 * far they are from what this engine and core can do at all.
 */
export function maddPeak(iters: i32, x: f32): f32 {
  const m = f32x4.splat(0.9999);
  let a0 = f32x4.splat(x), a1 = f32x4.splat(x + 1), a2 = f32x4.splat(x + 2), a3 = f32x4.splat(x + 3);
  let a4 = f32x4.splat(x + 4), a5 = f32x4.splat(x + 5), a6 = f32x4.splat(x + 6), a7 = f32x4.splat(x + 7);
  let a8 = f32x4.splat(x + 8), a9 = f32x4.splat(x + 9), a10 = f32x4.splat(x + 10), a11 = f32x4.splat(x + 11);
  const d = f32x4.splat(0.0001);
  for (let i = 0; i < iters; i++) {
    a0 = madd(a0, m, d); a1 = madd(a1, m, d); a2 = madd(a2, m, d); a3 = madd(a3, m, d);
    a4 = madd(a4, m, d); a5 = madd(a5, m, d); a6 = madd(a6, m, d); a7 = madd(a7, m, d);
    a8 = madd(a8, m, d); a9 = madd(a9, m, d); a10 = madd(a10, m, d); a11 = madd(a11, m, d);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)), f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))));
  return f32x4.extract_lane(s, 0);
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

// σ(x) from e = e^{−|x|} in the sign-split form: σ(|x|) = 1/(1+e), σ(−|x|) = e/(1+e).
// NaN lanes fail `x ≥ 0` and take e/(1+e) = NaN.
@inline function sigmoidOf(x: v128, e: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(v128.bitselect(one, e, f32x4.ge(x, f32x4.splat(0))), f32x4.add(one, e));
}

// tanh(x) given e = e^{−2|x|}: |x| < 0.625: Cephes' odd polynomial; else copysign((1 − e)/(1 + e), x).
@inline function tanhOf(x: v128, e: v128): v128 {
  const one = f32x4.splat(1);
  const big = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000))); // copysign(big, x)
  return v128.bitselect(small, signed, f32x4.lt(f32x4.abs(x), f32x4.splat(0.625)));
}

@inline function sigmoid4(x: v128): v128 {
  return sigmoidOf(x, expNeg4(f32x4.neg(f32x4.abs(x))));
}

@inline function tanh4(x: v128): v128 {
  return tanhOf(x, expNeg4(f32x4.mul(f32x4.abs(x), f32x4.splat(-2))));
}

// a = f(x), d = f'(x) for four lanes, stored at pa and pd.
@inline function act4(kind: i32, x: v128, pa: usize, pd: usize): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  if (kind == 0) {
    v128.store(pa, x);
    v128.store(pd, v128.bitselect(one, x, f32x4.eq(x, x))); // NaN in, NaN out
  } else if (kind == 1) {
    // σ' = e/(1+e)²
    const e = expNeg4(f32x4.neg(f32x4.abs(x)));
    const q = f32x4.add(one, e);
    v128.store(pa, sigmoidOf(x, e));
    v128.store(pd, f32x4.div(e, f32x4.mul(q, q)));
  } else if (kind == 2) {
    const ax = f32x4.abs(x);
    const e = expNeg4(f32x4.mul(ax, f32x4.splat(-2)));
    const t = tanhOf(x, e);
    v128.store(pa, t);
    // tanh' = 1 − t² near 0, 4e/(1+e)² in the tails (keeps relative accuracy)
    const ope = f32x4.add(one, e);
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

// The optimiser updates compute in float64 and round once when storing, as
// the TypeScript optimiser does (a JavaScript number is a float64), so the
// weights they produce are bit-identical to it; only ‖Δw‖², a sum, is
// accumulated in another order (two float64 lanes).

// Two float32 at p as float64 lanes.
@inline function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

// Stores two float64 lanes as float32 at p.
@inline function store2(p: usize, x: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(x), 0);
}

/** SGD with Nielsen's L2 factor over n elements: w ← decay·w − lr·g (in float64, rounded once); returns ‖Δw‖². */
export function sgdStep(w: usize, g: usize, n: i32, lr: f64, decay: f64): f64 {
  const vl = f64x2.splat(lr), vd = f64x2.splat(decay);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2;
    const old = load2(w + o);
    const nw = f64x2.sub(f64x2.mul(vd, old), f64x2.mul(vl, load2(g + o)));
    store2(w + o, nw);
    const dl = f64x2.sub(nw, old);
    acc = f64x2.add(acc, f64x2.mul(dl, dl));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (i < n) {
    const o = <usize>i << 2;
    const old = <f64>load<f32>(w + o);
    const nw = decay * old - lr * <f64>load<f32>(g + o);
    store<f32>(w + o, <f32>nw);
    s += (nw - old) * (nw - old);
  }
  return s;
}

/** Momentum over n elements: v ← μ·v − lr·g, w ← decay·w + v (in float64, each rounded once when stored); returns ‖Δw‖². */
export function momentumStep(w: usize, g: usize, v: usize, n: i32, lr: f64, mu: f64, decay: f64): f64 {
  const vl = f64x2.splat(lr), vm = f64x2.splat(mu), vd = f64x2.splat(decay);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2;
    const old = load2(w + o);
    store2(v + o, f64x2.sub(f64x2.mul(vm, load2(v + o)), f64x2.mul(vl, load2(g + o))));
    // the new velocity as stored (float32), as the TypeScript loop reads it back
    const nw = f64x2.add(f64x2.mul(vd, old), load2(v + o));
    store2(w + o, nw);
    const dl = f64x2.sub(nw, old);
    acc = f64x2.add(acc, f64x2.mul(dl, dl));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (i < n) {
    const o = <usize>i << 2;
    const old = <f64>load<f32>(w + o);
    store<f32>(v + o, <f32>(mu * <f64>load<f32>(v + o) - lr * <f64>load<f32>(g + o)));
    const nw = decay * old + <f64>load<f32>(v + o);
    store<f32>(w + o, <f32>nw);
    s += (nw - old) * (nw - old);
  }
  return s;
}

/** X(R,C) += b(C) on every row. */
export function addRow(x: usize, b: usize, R: i32, C: i32): void {
  const row = <usize>C << 2;
  for (let r = 0; r < R; r++) {
    let j = 0;
    for (; j + 4 <= C; j += 4) {
      const o = <usize>j << 2;
      v128.store(x + o, f32x4.add(v128.load(x + o), v128.load(b + o)));
    }
    for (; j < C; j++) {
      const o = <usize>j << 2;
      store<f32>(x + o, load<f32>(x + o) + load<f32>(b + o));
    }
    x += row;
  }
}

/** out(C) (+)= Σ_r X(r,:), adding the rows in order (the same float32 sums as the TypeScript loop). */
export function sumRows(out: usize, x: usize, R: i32, C: i32, acc: bool): void {
  if (!acc) memory.fill(out, 0, <usize>C << 2);
  const row = <usize>C << 2;
  for (let r = 0; r < R; r++) {
    let j = 0;
    for (; j + 4 <= C; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(x + o)));
    }
    for (; j < C; j++) {
      const o = <usize>j << 2;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(x + o));
    }
    x += row;
  }
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

// ---------------------------------------------------------------------------
// LSTM steps (reference: the TypeScript loops of src/nn/rnn/lstm.ts). Gates
// are stacked [i | f | g | o] in rows of 4H; H must be a multiple of 4.

/**
 * One forward step for B rows: a(B,4H) holds the pre-activations z in and
 * the gates i = σ, f = σ, g = tanh, o = σ out; c = f⊙cPrev + i⊙g,
 * tc = tanh(c), h = o⊙tc, all (B,H).
 */
export function lstmForward(a: usize, cPrev: usize, c: usize, tc: usize, h: usize, B: i32, H: i32): void {
  const gate = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < H; j += 4) {
      const o = <usize>j << 2;
      const ig = sigmoid4(v128.load(a + o));
      const fg = sigmoid4(v128.load(a + gate + o));
      const gg = tanh4(v128.load(a + 2 * gate + o));
      const og = sigmoid4(v128.load(a + 3 * gate + o));
      v128.store(a + o, ig);
      v128.store(a + gate + o, fg);
      v128.store(a + 2 * gate + o, gg);
      v128.store(a + 3 * gate + o, og);
      const cv = f32x4.add(f32x4.mul(fg, v128.load(cPrev + o)), f32x4.mul(ig, gg));
      v128.store(c + o, cv);
      const tv = tanh4(cv);
      v128.store(tc + o, tv);
      v128.store(h + o, f32x4.mul(og, tv));
    }
    a += gate << 2;
    cPrev += gate;
    c += gate;
    tc += gate;
    h += gate;
  }
}

/**
 * One backward step for B rows, in float64 as the TypeScript loop (so the
 * same numbers): from the gates a(B,4H), tc, cPrev, dh (all (B,H)) and the
 * carried dc, writes dz(B,4H) and dc ← dc_t·f (0 when `cut`).
 *   dc_t = dc + dh·o·(1 − tc²);  dz_i = dc_t·g·i(1 − i);  dz_f = dc_t·cPrev·f(1 − f)
 *   dz_g = dc_t·i·(1 − g²);      dz_o = dh·tc·o(1 − o)
 */
export function lstmBackward(dz: usize, a: usize, tc: usize, cPrev: usize, dh: usize, dc: usize, B: i32, H: i32, cut: bool): void {
  const gate = <usize>H << 2;
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < H; j += 2) {
      const o = <usize>j << 2;
      const ig = load2(a + o), fg = load2(a + gate + o), gg = load2(a + 2 * gate + o), og = load2(a + 3 * gate + o);
      const tv = load2(tc + o);
      const dhv = load2(dh + o);
      const dcv = f64x2.add(load2(dc + o), f64x2.mul(f64x2.mul(dhv, og), f64x2.sub(one, f64x2.mul(tv, tv))));
      store2(dz + o, f64x2.mul(f64x2.mul(f64x2.mul(dcv, gg), ig), f64x2.sub(one, ig)));
      store2(dz + gate + o, f64x2.mul(f64x2.mul(f64x2.mul(dcv, load2(cPrev + o)), fg), f64x2.sub(one, fg)));
      store2(dz + 2 * gate + o, f64x2.mul(f64x2.mul(dcv, ig), f64x2.sub(one, f64x2.mul(gg, gg))));
      store2(dz + 3 * gate + o, f64x2.mul(f64x2.mul(f64x2.mul(dhv, tv), og), f64x2.sub(one, og)));
      store2(dc + o, cut ? zero : f64x2.mul(dcv, fg));
    }
    a += gate << 2;
    dz += gate << 2;
    tc += gate;
    cPrev += gate;
    dh += gate;
    dc += gate;
  }
}
