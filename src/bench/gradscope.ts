/**
 * gradscope's side of the bench: the real engine (buildMlp, the layers'
 * forward and backward passes, the loss, the SGD optimiser) on a hand loop
 * of zeroGrad → lossAndBackward → step, which is exactly the work a peer's
 * `optimizer.minimize` does; and raw `Kernels.gemm` calls for the products.
 * Variants: the default fast kernels (WebAssembly SIMD when available), the
 * pure TypeScript kernels, and float64.
 */
import { fillBatch } from '../data/batch.js';
import { buildMlp } from '../nn/build.js';
import { Dense } from '../nn/dense.js';
import type { PassContext } from '../nn/layer.js';
import { getLoss } from '../nn/losses.js';
import { Optimizer } from '../nn/optim.js';
import { alloc, type DType } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { Rng } from '../tensor/rng.js';
import type { Contender, Trial } from './contender.js';
import { BENCH_SEED, initialWeights, type BenchData, type MatmulWorkload, type TrainWorkload, type Workload } from './workloads.js';

/** A training trial: `steps` SGD steps per repetition over the data's rows in order, wrapping around. */
export function gradscopeTrainTrial(w: TrainWorkload, data: BenchData, kernels: Kernels, dtype: DType, steps: number): Trial {
  const net = buildMlp({ sizes: w.sizes, hidden: { name: w.hidden }, output: { name: w.output }, init: w.init, dtype, rng: new Rng(BENCH_SEED), kernels });
  // the same starting point as every other contender
  const init = initialWeights(w).layers;
  net.layers
    .filter((l): l is Dense => l instanceof Dense)
    .forEach((d, i) => {
      d.weight.set(init[i].W);
      d.bias.set(init[i].b);
    });
  const loss = getLoss(w.loss);
  const opt = new Optimizer(net.params(), { name: 'sgd' });
  const ctx: PassContext = { training: true, rng: new Rng(BENCH_SEED) };
  const B = w.batch;
  const ds = data.ds;
  const x = alloc(dtype, B * ds.inputSize);
  const y = alloc(dtype, B * ds.classes);
  const order = new Int32Array(ds.n);
  for (let i = 0; i < ds.n; i++) order[i] = i;
  let cursor = 0;
  const x0 = alloc(dtype, B * ds.inputSize);
  const y0 = alloc(dtype, B * ds.classes);
  fillBatch(x0, y0, ds, order, 0, B);
  return {
    loss: () => net.loss(x0, y0, B, loss, { training: false, rng: ctx.rng }),
    run() {
      for (let s = 0; s < steps; s++) {
        if (cursor + B > ds.n) cursor = 0;
        fillBatch(x, y, ds, order, cursor, B);
        cursor += B;
        net.zeroGrad();
        net.lossAndBackward(x, y, B, loss, ctx);
        opt.step(w.lr);
      }
    },
    dispose() {},
  };
}

/** Two seeded n×n float32 matrices, shared by every contender of a product workload. */
export function matmulOperands(n: number): { A: Float32Array; B: Float32Array } {
  const rng = new Rng(BENCH_SEED + n);
  const A = new Float32Array(n * n);
  const B = new Float32Array(n * n);
  for (let i = 0; i < A.length; i++) A[i] = rng.uniform() * 2 - 1;
  for (let i = 0; i < B.length; i++) B[i] = rng.uniform() * 2 - 1;
  return { A, B };
}

/** A product trial: `products` calls of kernels.gemm (operand copies into wasm memory included). */
export function gradscopeMatmulTrial(w: MatmulWorkload, kernels: Kernels, products: number): Trial {
  const { A, B } = matmulOperands(w.n);
  const C = new Float32Array(w.n * w.n);
  return {
    run() {
      for (let r = 0; r < products; r++) kernels.gemm(C, A, B, w.n, w.n, w.n, false);
    },
    dispose() {},
  };
}

/** A gradscope contender with the given kernels and dtype. */
export function gradscopeContender(name: string, kernels: Kernels, dtype: DType, data: () => BenchData): Contender {
  return {
    name,
    supports: (w: Workload) => w.kind === 'train' || dtype === 'float32',
    async prepare(w: Workload, amount: number): Promise<Trial> {
      return w.kind === 'train' ? gradscopeTrainTrial(w, data(), kernels, dtype, amount) : gradscopeMatmulTrial(w, kernels, amount);
    },
  };
}
