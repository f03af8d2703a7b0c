#!/usr/bin/env node
// Where the sparse products pay (src/tensor/wasm/sparse.ts): times gemmABt
// (z = x·Wᵀ, x sparse) and gemmAtB (dW = dzᵀ·x, x sparse) on the wasm
// kernels with the sparse way allowed and switched off, for a few shapes and
// shares of uniformly scattered nonzeros, on one thread; says which way the
// allowed run chose. Prints the median of 7 repetitions per case.
//   node scripts/sparse-crossover.mjs            (after npm run build)
import { createWasmKernels } from '../dist/tensor/wasm/wasm-kernels.js';
import { setSparseEnabled, sparseProductCount } from '../dist/tensor/wasm/sparse.js';

const k = createWasmKernels()?.forNetwork();
if (!k) throw new Error('sparse-crossover: this engine has no WebAssembly SIMD');
let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const filled = (n, density) => {
  const x = k.alloc('float32', n);
  for (let i = 0; i < n; i++) x[i] = rnd() < density ? rnd() : 0;
  return x;
};
const median = (f) => {
  for (let i = 0; i < 20; i++) f();
  const reps = [];
  for (let r = 0; r < 7; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 20) {
      f();
      n++;
    }
    reps.push(((performance.now() - t0) / n) * 1000);
  }
  return reps.sort((a, b) => a - b)[3];
};
// the share of x's 8-element runs that hold a nonzero (what gemmAtBSparse's work follows)
const strips = (x) => {
  let hit = 0;
  for (let i = 0; i < x.length; i += 8) if (x.subarray(i, i + 8).some((v) => v !== 0)) hit++;
  return hit / Math.ceil(x.length / 8);
};
console.log('product  batch  K    N/out  density  8-runs  chosen  sparse way µs  dense µs  dense ÷ sparse way');
for (const [B, I, O] of [[10, 784, 30], [10, 784, 100], [32, 784, 30], [32, 784, 256], [64, 784, 256], [64, 256, 256]]) {
  for (const d of [0.05, 0.1, 0.2, 0.3, 0.4]) {
    const x = filled(B * I, d);
    const w = filled(O * I, 1);
    const z = filled(B * O, 1);
    const dw = filled(O * I, 1);
    for (const [name, f] of [['gemmABt', () => k.gemmABt(z, x, w, B, I, O, false)], ['gemmAtB', () => k.gemmAtB(dw, z, x, O, B, I, false)]]) {
      setSparseEnabled(true);
      const before = sparseProductCount();
      f();
      const chosen = sparseProductCount() > before ? 'sparse' : 'dense';
      const s = median(f);
      setSparseEnabled(false);
      const t = median(f);
      setSparseEnabled(true);
      console.log(`${name}  ${String(B).padStart(5)}  ${String(I).padStart(4)} ${String(O).padStart(5)}  ${d.toFixed(2).padStart(7)}  ${strips(x).toFixed(2).padStart(6)}  ${chosen.padStart(6)}  ${s.toFixed(1).padStart(13)}  ${t.toFixed(1).padStart(8)}  ${(t / s).toFixed(2).padStart(6)}`);
    }
  }
}
