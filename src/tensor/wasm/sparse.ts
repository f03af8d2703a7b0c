/**
 * When a product runs on its sparse operand's nonzeros: the first layer's
 * input of a digits network is 81 % zeros, and its forward product
 * z = x·Wᵀ and weight gradient dW = dzᵀ·x are most of a step's work. For
 * gemmABt with a sparse A the nonzeros of A are listed once per call, row
 * by row, in the heap, and the kernel adds only their terms; for gemmAtB
 * with a sparse B the kernel packs B's 8-column strips without their
 * all-zero rows (kernels.as, gemmABtSparse and gemmAtBSparse). The choice
 * depends only on the operand's values, so it is the same on every thread
 * count and every run.
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

/**
 * The largest share of B's 8-element runs holding a nonzero for gemmAtB to go
 * the sparse way (a digit's is 39 %; uniformly scattered nonzeros fill most
 * runs: at 20 % of the elements, 83 % of the runs). scripts/sparse-crossover.mjs
 * measured, with at least 32 rows of B: 1.6–2.4× faster at a third of the runs,
 * 1.15–1.6× at 52–57 %; with 10 rows, within ±12 % either way (hence also
 * SPARSE_MIN_ROWS).
 */
const SPARSE_MAX_STRIPS = 0.6;

/** The fewest rows of B (a weight gradient's batch) for gemmAtB to go the sparse way. */
const SPARSE_MIN_ROWS = 16;

/** Products of fewer dense multiply-adds than this are not worth listing. */
const SPARSE_MIN_WORK = 1 << 15;

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
export interface SparsePlan {
  code: number;
  a: number;
  b: number;
  work: number;
}

/**
 * Plans product `op` on operands at byte offsets a, b of the heap the sparse
 * way into `plan` (one per caller, reused: this runs on every product of a
 * step) and returns true; false when its sparse operand has more than
 * SPARSE_MAX_DENSITY nonzeros (gemmABt: in a sample of its rows, then listing
 * it until the cap) or more than SPARSE_MAX_STRIPS of its 8-runs holding one
 * (gemmAtB, in the sample, from SPARSE_MIN_ROWS rows), or the shape does not
 * suit the sparse kernels.
 */
export function planSparse(plan: SparsePlan, heap: Heap, op: ProductName, a: number, b: number, M: number, K: number, N: number): boolean {
  if (!enabled || M * K * N < SPARSE_MIN_WORK) return false;
  const mod = heap.mod;
  if (op === 'gemmABt') {
    // A(M,K), listed by rows; offsets into 8-wide packed strips of B
    if (K > mod.sparseMaxK() || sampledShare(heap, a, M, K, 'elements') > SPARSE_MAX_DENSITY) return false;
    const cap = Math.floor(SPARSE_MAX_DENSITY * M * K);
    const list = heap.listArea(mod.sparseBytes(M, cap));
    const nnz = mod.sparseRows(a, M, K, list, cap, 32);
    if (nnz < 0) return false;
    plan.code = SPARSE_CODES.gemmABtSparse;
    plan.a = list;
    plan.b = b;
    plan.work = nnz * N;
  } else if (op === 'gemmAtB') {
    // B(K,N), judged by the sample alone: the kernel packs B's 8-column strips without their all-zero rows, so what counts is the share of 8-runs with a nonzero
    if (K < SPARSE_MIN_ROWS || 4 * K * M >= 2 ** 31 || sampledShare(heap, b, K, N, 'strips') > SPARSE_MAX_STRIPS) return false;
    plan.code = SPARSE_CODES.gemmAtBSparse;
    plan.a = a;
    plan.b = b;
    plan.work = M * K * N;
  } else return false;
  taken++;
  return true;
}

/** Rows of an operand sampled before a product goes the sparse way. */
const SAMPLED_ROWS = 8;

/**
 * The share of nonzero elements (or of 8-element runs holding a nonzero) in
 * SAMPLED_ROWS rows spread evenly over an operand of `rows` rows of n
 * elements at x (all of them when there are fewer): the first row alone
 * misleads where it is special, as an RNN's h₀ = 0 is in the states of
 * every step.
 */
function sampledShare(heap: Heap, x: number, rows: number, n: number, what: 'elements' | 'strips'): number {
  const take = Math.min(rows, SAMPLED_ROWS);
  let hit = 0;
  for (let i = 0; i < take; i++) {
    const row = x + 4 * n * Math.floor((i * rows) / take);
    hit += what === 'elements' ? heap.mod.countNonzeros(row, n) : heap.mod.nonzeroStrips(row, n);
  }
  return hit / (take * (what === 'elements' ? n : Math.ceil(n / 8)));
}
