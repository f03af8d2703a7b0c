/**
 * gradscope's side of the bench: the real engine (buildMlp, the layers'
 * forward and backward passes, the loss, the SGD optimiser; the LSTM cell
 * and its head) on a hand loop of zeroGrad → lossAndBackward → step, which
 * is exactly the work a peer's `optimizer.minimize` does; and raw
 * `Kernels.gemm` calls for the products. Variants: the default fast kernels
 * (WebAssembly SIMD when available) on one thread or split over kernel
 * threads, the pure TypeScript kernels, and float64.
 */
import { fillBatch } from '../data/batch.js';
import { buildMlp } from '../nn/build.js';
import { Dense } from '../nn/dense.js';
import type { PassContext } from '../nn/layer.js';
import { getLoss } from '../nn/losses.js';
import { Optimizer } from '../nn/optim.js';
import { RecurrentModel, SeqBatch } from '../nn/rnn/model.js';
import { alloc, type DType } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { Rng } from '../tensor/rng.js';
import { setSparseEnabled } from '../tensor/wasm/sparse.js';
import { setKernelThreads, type KernelThreads } from '../tensor/wasm/threads.js';
import { networkKernels, type HeapKernels } from '../tensor/wasm/wasm-kernels.js';
import type { Contender, Trial } from './contender.js';
import { BENCH_SEED, initialWeights, lstmData, lstmWeights, type BenchData, type LstmWorkload, type MatmulWorkload, type TrainWorkload, type Workload } from './workloads.js';

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
  const order = new Int32Array(ds.n);
  for (let i = 0; i < ds.n; i++) order[i] = i;
  let cursor = 0;
  const x0 = alloc(dtype, B * ds.inputSize);
  const y0 = alloc(dtype, B * ds.classes);
  fillBatch(x0, y0, ds, order, 0, B);
  return {
    loss: () => net.loss(x0, y0, B, loss, { training: false, rng: ctx.rng }),
    run() {
      // the batch rows train() uses: in the network's memory, where the kernels read them
      const { x, y } = net.batchRows('train', B);
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

/** An LSTM trial: `steps` SGD steps per repetition, each a forward and backward pass through time over the next of the data's batches. */
export function gradscopeLstmTrial(w: LstmWorkload, kernels: Kernels, dtype: DType, steps: number): Trial {
  const model = new RecurrentModel({ kind: 'lstm', inSize: w.I, hidden: w.H, dtype, head: 'classify', outSize: w.classes, kernels }, new Rng(BENCH_SEED));
  const init = lstmWeights(w);
  [init.wih, init.whh, init.bias, init.headW, init.headB].forEach((v, i) => model.params()[i].value.set(v));
  const data = lstmData(w);
  const batch = new SeqBatch(dtype, w.T, w.B, w.I, w.classes, model.kernels);
  const n = w.T * w.B * w.I;
  const load = (b: number): SeqBatch => {
    batch.x.set(data.x.subarray(b * n, (b + 1) * n));
    batch.labels.set(data.labels.subarray(b * w.B, (b + 1) * w.B));
    return batch;
  };
  const opt = new Optimizer(model.params(), { name: 'sgd' });
  let next = 0;
  return {
    loss: () => model.lossOf(load(0)),
    run() {
      for (let s = 0; s < steps; s++) {
        load(next);
        next = (next + 1) % w.batches;
        model.zeroGrad();
        model.lossAndGrad(batch);
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

/** A product trial: `products` calls of kernels.gemm on operands in the kernels' memory, as a network's are (TypeScript kernels: ordinary arrays). */
export function gradscopeMatmulTrial(w: MatmulWorkload, kernels: Kernels, products: number): Trial {
  const { A, B } = matmulOperands(w.n);
  const k = networkKernels(kernels);
  const place = (x: Float32Array): Float32Array => {
    const y = (k.alloc ? k.alloc('float32', x.length) : new Float32Array(x.length)) as Float32Array;
    y.set(x);
    return y;
  };
  const a = place(A);
  const b = place(B);
  const C = place(new Float32Array(w.n * w.n));
  return {
    run() {
      for (let r = 0; r < products; r++) k.gemm(C, a, b, w.n, w.n, w.n, false);
    },
    dispose() {},
  };
}

/** How a gradscope contender runs: split over `threads` (default none); `dense` turns the sparse products off, for training workloads only (the dense kernels' speed, beside the default's). */
export interface GradscopeContenderOptions {
  readonly threads?: KernelThreads | null;
  readonly dense?: boolean;
}

/** A gradscope contender with the given kernels and dtype. */
export function gradscopeContender(name: string, kernels: Kernels, dtype: DType, data: () => BenchData, o: GradscopeContenderOptions = {}): Contender {
  const enter = async (): Promise<void> => {
    setKernelThreads(o.threads ?? null);
    setSparseEnabled(!o.dense);
  };
  return {
    name,
    supports: (w: Workload) => (o.dense ? w.kind === 'train' : w.kind !== 'matmul' || dtype === 'float32'),
    async prepare(w: Workload, amount: number): Promise<Trial> {
      await enter();
      const t = w.kind === 'train' ? gradscopeTrainTrial(w, data(), kernels, dtype, amount) : w.kind === 'lstm' ? gradscopeLstmTrial(w, kernels, dtype, amount) : gradscopeMatmulTrial(w, kernels, amount);
      return { ...t, enter };
    },
  };
}

/** Name of the pseudo-contender that measures the limit of the matrix products on one core. */
export const PEAK_NAME = 'wasm-peak';

/**
 * The limit of the products on this engine and core, timed like a contender
 * (alternating with the others, so it sees the same clock speed): the same
 * flops as `products` products of the workload, as rounds of independent
 * multiply-adds on registers (the kernels' maddPeak), one thread. Only where
 * the kernels are WebAssembly.
 */
export function peakContender(kernels: Kernels): Contender | null {
  const k = networkKernels(kernels) as Partial<HeapKernels>;
  const mod = k.heap?.mod;
  if (!mod) return null;
  return {
    name: PEAK_NAME,
    supports: (w: Workload) => w.kind === 'matmul',
    async prepare(w: Workload, amount: number): Promise<Trial> {
      const n = (w as MatmulWorkload).n;
      const rounds = Math.round((amount * 2 * n ** 3) / 96);
      let sink = 0;
      // the limit is timed tiered up even by --quick, which warms nothing else: WebAssembly has no
      // on-stack replacement, so a first long call would measure the baseline compiler's code (a fifth of the peak)
      for (const t0 = performance.now(); performance.now() - t0 < 50; ) sink += mod.maddPeak(1 << 18, 1);
      return {
        enter: async () => {
          setKernelThreads(null);
          setSparseEnabled(true);
        },
        run() {
          // in pieces below 2³¹ rounds; the result is kept so the work is not dropped
          for (let left = rounds; left > 0; left -= 1 << 30) sink += mod.maddPeak(Math.min(left, 1 << 30), 1);
        },
        dispose() {
          if (!Number.isFinite(sink)) throw new Error('maddPeak returned a non-finite value');
        },
      };
    },
  };
}
