// The parameter block and the fused layer path: a built network's parameters
// and gradients are views of one block each (in the network's wasm memory
// for float32 with the wasm kernels); layers shared with another network keep
// their block; the fused wasm path (bias + activation + derivative after the
// product, the backward product, the SGD/momentum kernels, the block-wide
// gradient norm) agrees with the TypeScript path within float32 rounding and
// gives the same bits run after run; kernel threads give the bits of one
// thread; training allocates nothing in the network's memory after its first
// step; evaluate's single forward pass equals the two-pass reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeKernelThreads } from '../cli/kernel-threads.js';
import { evaluate } from '../run/evaluate.js';
import { argmax } from '../tensor/reduce.js';
import type { Buf } from '../tensor/dtype.js';
import { jsKernels, naiveKernels, type Kernels } from '../tensor/kernels.js';
import { Rng } from '../tensor/rng.js';
import { setKernelThreads } from '../tensor/wasm/threads.js';
import { countingThreads } from '../tensor/kernels.test-helper.js';
import { fastKernels, type HeapKernels } from '../tensor/wasm/wasm-kernels.js';
import { Activation } from './activation-layer.js';
import { buildMlp, type MlpSpec } from './build.js';
import { Dense } from './dense.js';
import { getLoss, LOSSES } from './losses.js';
import { Network } from './network.js';
import { Optimizer, type OptimizerName } from './optim.js';
import { ParamBlock } from './param-block.js';
import { train, type BatchSource } from './train.js';
import { getActivation } from '../activations/catalogue.js';
import type { Dataset } from '../data/types.js';

/** A seeded classification set of n rows of I features and C classes. */
function dataset(n: number, I: number, C: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = new Float32Array(n * I).map(() => rng.normal());
  const labels = new Uint8Array(n).map(() => rng.int(C));
  return { name: 'test', n, inputSize: I, classes: C, x, labels };
}

/** The set as a batch source with one-hot targets. */
function source(ds: Dataset): BatchSource {
  return {
    n: ds.n,
    inputSize: ds.inputSize,
    outputSize: ds.classes,
    fill(x: Buf, y: Buf, order: ArrayLike<number>, start: number, B: number) {
      y.fill(0, 0, B * ds.classes);
      for (let b = 0; b < B; b++) {
        const r = order[start + b];
        for (let k = 0; k < ds.inputSize; k++) x[b * ds.inputSize + k] = ds.x[r * ds.inputSize + k];
        y[b * ds.classes + ds.labels[r]] = 1;
      }
    },
  };
}

const spec = (kernels: Kernels, hidden = 'tanh', extra: Partial<MlpSpec> = {}): MlpSpec => ({
  sizes: [12, 16, 16, 4],
  hidden: { name: hidden },
  output: { name: 'softmax' },
  init: 'xavier_normal',
  dtype: 'float32',
  rng: new Rng(5),
  kernels,
  ...extra,
});

/** Trains a network for `steps` steps; returns the losses, the gradient norms and the first weight matrix. */
function trainRun(kernels: Kernels, opt: OptimizerName, hidden: string, steps = 25, extra: Partial<MlpSpec> = {}): { losses: number[]; norms: number[]; w: number[]; net: Network } {
  const net = buildMlp(spec(kernels, hidden, extra));
  const losses: number[] = [];
  const norms: number[] = [];
  train(net, source(dataset(96, 12, 4, 7)), {
    loss: LOSSES.cross_entropy,
    optimizer: new Optimizer(net.params(), { name: opt, momentum: 0.9 }),
    lr: 0.05,
    batchSize: 16,
    maxSteps: steps,
    rng: new Rng(8),
    afterBackward: (i) => {
      losses.push(i.loss);
      norms.push(i.gradNorm);
    },
  });
  return { losses, norms, w: Array.from(net.weightLayers[0].weight), net };
}

describe('the parameter block', () => {
  it("holds every parameter and gradient of a built network as views in order, in the network's own wasm memory", () => {
    const net = buildMlp(spec(fastKernels(), 'relu', { norm: 'batch' }));
    const b = net.block as ParamBlock;
    expect(b).not.toBeNull();
    const heap = (net.kernels as HeapKernels).heap;
    expect(heap).not.toBe((fastKernels() as HeapKernels).heap);
    expect(heap.owns(b.values) && heap.owns(b.grads)).toBe(true);
    net.params().forEach((p, i) => {
      expect(p.value.buffer === b.values.buffer || heap.owns(p.value)).toBe(true);
      expect(p.value.byteOffset).toBe(b.values.byteOffset + 4 * b.offsets[i]);
      expect(p.grad.byteOffset).toBe(b.grads.byteOffset + 4 * b.offsets[i]);
      expect(p.value.length).toBe(b.offsets[i + 1] - b.offsets[i]);
    });
    expect(b.size).toBe(net.params().reduce((s, p) => s + p.value.length, 0));
  });

  it('keeps the initial weights when the parameters move into it', () => {
    const a = buildMlp(spec(jsKernels));
    const b = buildMlp(spec(fastKernels()));
    expect(a.params().map((p) => Array.from(p.value))).toEqual(b.params().map((p) => Array.from(p.value)));
  });

  it('gives float64 networks a block in ordinary memory', () => {
    const net = buildMlp({ ...spec(fastKernels()), dtype: 'float64' });
    expect(net.block?.values).toBeInstanceOf(Float64Array);
  });

  it('is left alone when its layers are shared with another network (greedy pre-training), which then has no block', () => {
    const net = buildMlp(spec(fastKernels()));
    const block = net.block as ParamBlock;
    const env = { dtype: net.dtype, kernels: net.kernels };
    const ae = new Network([net.layers[0], net.layers[1], new Dense(16, 12, env), new Activation(getActivation('linear'), 12, [], env)], net.dtype, net.kernels);
    expect(ae.block).toBeNull();
    expect(ParamBlock.of(net.params())).toBe(block);
    // the shared layer's weights are still the block's
    expect(net.layers[0].params()[0].value.byteOffset).toBe(block.values.byteOffset);
    const opt = new Optimizer(ae.params(), { name: 'sgd' });
    ae.zeroGrad();
    for (const p of ae.params()) p.grad.fill(1);
    opt.step(0.5);
    expect(block.values[0]).toBe((net.layers[0] as Dense).weight[0]);
  });

  it('zeroGrad writes no zeros into the block, yet every reader sees zeros and the next passes give the gradients of an eagerly zeroed network, bit for bit', () => {
    const ds = dataset(48, 12, 4, 3);
    const loss = LOSSES.cross_entropy;
    const ctx = { training: true, rng: new Rng(1) };
    const batch = (from: number, B: number): { x: Float32Array; y: Float32Array } => {
      const x = new Float32Array(B * 12);
      const y = new Float32Array(B * 4);
      source(ds).fill(x, y, Array.from({ length: ds.n }, (_, i) => i), from, B);
      return { x, y };
    };
    const grads = (n: Network): number[][] => n.params().map((p) => Array.from(p.grad));
    const [b0, b1, b2] = [batch(0, 16), batch(16, 16), batch(32, 16)];
    // lazy: the block's zeroGrad; eager: every gradient filled with zeros through its view
    const lazy = buildMlp(spec(fastKernels(), 'relu', { norm: 'batch' }));
    const eager = buildMlp(spec(fastKernels(), 'relu', { norm: 'batch' }));
    for (const n of [lazy, eager]) n.lossAndBackward(b0.x, b0.y, 16, loss, ctx);
    lazy.zeroGrad();
    for (const p of eager.params()) p.grad.fill(0);
    // nothing was written: the first dense layer's gradient is still there in the raw block
    const raw = (lazy.block as ParamBlock).grads;
    expect(raw.subarray(0, 12 * 16).some((v) => v !== 0)).toBe(true);
    // a reader of the whole block sees zeros (the zeros are written out first)
    expect(lazy.gradSquaredSum()).toBe(0);
    lazy.zeroGrad();
    for (const n of [lazy, eager]) n.lossAndBackward(b1.x, b1.y, 16, loss, ctx);
    expect(grads(lazy)).toEqual(grads(eager));
    // a second pass without zeroGrad adds to the first: the sum of the two passes' own gradients
    const g1 = grads(lazy);
    eager.zeroGrad();
    eager.lossAndBackward(b2.x, b2.y, 16, loss, ctx);
    const g2 = grads(eager);
    lazy.lossAndBackward(b2.x, b2.y, 16, loss, ctx);
    let worst = 0;
    grads(lazy).forEach((g, p) => g.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (g1[p][i] + g2[p][i])) / (1e-3 + Math.abs(v))))));
    expect(worst, 'largest relative difference from the sum of the two passes').toBeLessThan(1e-5);
    for (const p of eager.params()) p.grad.fill(0);
    for (const b of [b1, b2]) eager.lossAndBackward(b.x, b.y, 16, loss, ctx);
    expect(grads(lazy)).toEqual(grads(eager));
    expect(lazy.gradSquaredSum()).toBe(eager.gradSquaredSum());
    // and a reader of one parameter right after zeroGrad gets zeros
    lazy.zeroGrad();
    for (const p of lazy.params()) expect(p.grad.every((v) => v === 0), p.name).toBe(true);
  });
});

describe('the fused wasm path', () => {
  it('adds the bias in a dense layer run on its own (the fused pass belongs to its activation)', () => {
    const net = buildMlp(spec(fastKernels(), 'sigmoid'));
    const d = net.layers[0] as Dense;
    for (let i = 0; i < d.bias.length; i++) d.bias[i] = 0.1 * i;
    const x = new Float32Array(3 * 12).map((_, i) => Math.sin(i));
    const z = d.forward(x, 3);
    const ref = new Float32Array(3 * 16);
    naiveKernels.gemmABt(ref, x, d.weight, 3, 12, 16, false);
    naiveKernels.addRow(ref, d.bias, 3, 16);
    for (let i = 0; i < ref.length; i++) expect(Math.abs(z[i] - ref[i])).toBeLessThan(1e-5);
  });

  for (const hidden of ['tanh', 'sigmoid', 'relu', 'elu']) {
    for (const opt of ['sgd', 'momentum', 'adam'] as const) {
      it(`${hidden}, ${opt}: trains like the TypeScript kernels (losses and gradient norms within 1e-4 relative over 25 steps) and gives the same bits twice`, () => {
        const ts = trainRun(jsKernels, opt, hidden);
        const w1 = trainRun(fastKernels(), opt, hidden);
        const w2 = trainRun(fastKernels(), opt, hidden);
        let worst = 0;
        ts.losses.forEach((l, i) => (worst = Math.max(worst, Math.abs(w1.losses[i] - l) / Math.abs(l), Math.abs(w1.norms[i] - ts.norms[i]) / ts.norms[i])));
        expect(worst, `largest relative difference ${worst}`).toBeLessThan(1e-4);
        expect(w2.losses).toEqual(w1.losses);
        expect(w2.w).toEqual(w1.w);
      });
    }
  }

  it('allocates nothing in the network memory after the first training step', () => {
    const { net } = trainRun(fastKernels(), 'momentum', 'relu', 3);
    const heap = (net.kernels as HeapKernels).heap;
    const used = heap.used;
    train(net, source(dataset(96, 12, 4, 7)), { loss: LOSSES.cross_entropy, optimizer: new Optimizer(net.params(), { name: 'momentum' }), lr: 0.05, batchSize: 16, maxSteps: 30, rng: new Rng(1) });
    // the optimiser's state was allocated once, before the steps
    const afterOne = heap.used;
    train(net, source(dataset(96, 12, 4, 7)), { loss: LOSSES.cross_entropy, optimizer: { step() {} } as unknown as Optimizer, lr: 0.05, batchSize: 16, maxSteps: 30, rng: new Rng(1) });
    expect(heap.used).toBe(afterOne);
    expect(afterOne - used).toBeLessThanOrEqual(4 * net.block!.size + 256);
  });
});

describe('kernel threads', () => {
  const pool = startNodeKernelThreads(2);
  const { threads, splits, updates } = countingThreads(pool);
  beforeAll(() => pool.whenReady());
  afterAll(() => {
    setKernelThreads(null);
    threads.close();
  });

  it('train a network with products and updates split over two threads to the bits of one thread', () => {
    // 512 × 128 weights: an update large enough to split (THREAD_MIN_UPDATE)
    const big: Partial<MlpSpec> = { sizes: [64, 256, 512, 128, 4] };
    const run = (): ReturnType<typeof trainRun> => {
      const net = buildMlp({ ...spec(fastKernels(), 'relu'), ...big });
      const losses: number[] = [];
      const ds = dataset(256, 64, 4, 3);
      train(net, source(ds), { loss: LOSSES.cross_entropy, optimizer: new Optimizer(net.params(), { name: 'sgd' }), lr: 0.05, batchSize: 128, maxSteps: 6, rng: new Rng(8), afterBackward: (i) => void losses.push(i.loss) });
      return { losses, norms: [], w: Array.from(net.weightLayers[0].weight), net };
    };
    setKernelThreads(null);
    const one = run();
    setKernelThreads(threads);
    const two = run();
    setKernelThreads(null);
    expect(splits(), 'products split over the threads').toBeGreaterThan(0);
    expect(updates(), 'updates split over the threads').toBeGreaterThan(0);
    expect(two.losses).toEqual(one.losses);
    expect(two.w).toEqual(one.w);
  });
});

describe('evaluate', () => {
  it('gives the accuracy and loss of a separate forward pass per chunk, exactly', () => {
    const net = buildMlp(spec(fastKernels(), 'relu'));
    const ds = dataset(230, 12, 4, 11);
    const r = evaluate(net, ds, getLoss('cross_entropy'), 64);
    // reference: loss and outputs from two passes per chunk, in ordinary arrays
    const ctx = { training: false, rng: new Rng(0) };
    let total = 0;
    let correct = 0;
    for (let s = 0; s < ds.n; s += 64) {
      const b = Math.min(64, ds.n - s);
      const x = ds.x.slice(s * 12, (s + b) * 12);
      const y = new Float32Array(b * 4);
      for (let i = 0; i < b; i++) y[i * 4 + ds.labels[s + i]] = 1;
      total += net.loss(x, y, b, getLoss('cross_entropy'), ctx) * b;
      const out = net.forward(x, b, ctx);
      for (let i = 0; i < b; i++) if (argmax(out, i * 4, 4) === ds.labels[s + i]) correct++;
    }
    expect(r.loss).toBe(total / ds.n);
    expect(r.accuracy).toBe(correct / ds.n);
  });
});
