/**
 * When a product runs on its sparse operand's nonzeros: the first layer's
 * input of a digits network is 81 % zeros, and its forward product
 * z = x·Wᵀ and weight gradient dW = dzᵀ·x are most of a step's work. For
 * gemmABt with a sparse A the nonzeros of A are listed once per call, row
 * by row, in the heap, and the kernel adds only their terms; for gemmAtB
 * with a sparse B the kernel packs B's 8-column strips without their
 * all-zero rows (kernels.as, gemmABtSparse and gemmAtBSparse). The choice depends only on the operand's values, so it is
 * the same on every thread count and every run.
 */
import type { Heap } from './heap.js';
import type { ProductName } from './threads.js';

/**
 * The largest share of nonzeros an operand may have to go the sparse way.
 * `node scripts/sparse-crossover.mjs` times both ways: at 30 % nonzero the
 * sparse z = x·Wᵀ took 0.45–0.75 of the dense time at the bench's shapes,
 * and near a half the two break even, so a third keeps a margin.
 */
export const SPARSE_MAX_DENSITY = 1 / 3;

/** Products of fewer dense multiply-adds than this are not worth listing. */
export const SPARSE_MIN_WORK = 1 << 15;

let enabled = true;
let taken = 0;

/** Products run the sparse way in this thread so far (for the bench's report and tests). */
export function sparseProductCount(): number {
  return taken;
}

/** Turns the sparse products on or off for this thread (on by default; off gives the dense kernels' bits, for comparisons). */
export function setSparseEnabled(on: boolean): void {
  enabled = on;
}

/** The products' codes when they run on a nonzero list (the thread program knows them by these). */
export const SPARSE_CODES = { gemmABtSparse: 5, gemmAtBSparse: 6 } as const;

/** A product on a nonzero list: its code, its operands (the list in place of the sparse one) and its work in multiply-adds. */
export interface SparseProduct {
  readonly code: number;
  readonly a: number;
  readonly b: number;
  readonly work: number;
}

/**
 * The sparse form of product `op` on operands at byte offsets a, b of the
 * heap, or null when its sparse operand has more than SPARSE_MAX_DENSITY
 * nonzeros (looking at a sample of its rows first, then, for gemmABt, listing it until the cap),
 * or the shape does not suit the sparse kernels.
 */
export function sparseProduct(heap: Heap, op: ProductName, a: number, b: number, M: number, K: number, N: number): SparseProduct | null {
  if (!enabled || M * K * N < SPARSE_MIN_WORK) return null;
  const mod = heap.mod;
  if (op === 'gemmABt') {
    // A(M,K), listed by rows; offsets into 8-wide packed strips of B
    if (K > mod.sparseMaxK() || sampledShare(heap, a, M, K) > 1.5 * SPARSE_MAX_DENSITY) return null;
    const cap = Math.floor(SPARSE_MAX_DENSITY * M * K);
    const list = heap.listArea(mod.sparseBytes(M, cap));
    const nnz = mod.sparseRows(a, M, K, list, cap, 32);
    if (nnz < 0) return null;
    taken++;
    return { code: SPARSE_CODES.gemmABtSparse, a: list, b, work: nnz * N };
  }
  if (op === 'gemmAtB') {
    // B(K,N), judged by the sample alone: the kernel packs its strips without their all-zero rows, and reads A's rows in place
    if (4 * K * M >= 2 ** 31 || sampledShare(heap, b, K, N) > SPARSE_MAX_DENSITY) return null;
    taken++;
    return { code: SPARSE_CODES.gemmAtBSparse, a, b, work: M * K * N };
  }
  return null;
}

/** Rows of an operand sampled before a product goes the sparse way. */
export const SAMPLED_ROWS = 8;

/**
 * The share of nonzeros in SAMPLED_ROWS rows spread evenly over an operand
 * of `rows` rows of n elements at x (all of them when there are fewer):
 * the first row alone misleads where it is special, as an RNN's h₀ = 0 is
 * in the states of every step.
 */
function sampledShare(heap: Heap, x: number, rows: number, n: number): number {
  const take = Math.min(rows, SAMPLED_ROWS);
  let nonzero = 0;
  for (let i = 0; i < take; i++) nonzero += heap.mod.countNonzeros(x + 4 * n * Math.floor((i * rows) / take), n);
  return nonzero / (take * n);
}
