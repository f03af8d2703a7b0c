/**
 * The fixed workloads of `gradscope bench`: three training runs on the
 * embedded digits, two float32 matrix products and an LSTM trained through
 * time on seeded sequences. Every contender (gradscope's variants,
 * TensorFlow.js on its cpu and wasm backends, PyTorch) runs the same network
 * from the same initial weights on the same batches, so the ratios compare
 * engines, not set-ups.
 */
import type { Dataset } from '../data/types.js';
import { ValueError } from '../errors.js';
import { buildMlp } from '../nn/build.js';
import type { LossName } from '../nn/losses.js';
import { Dense } from '../nn/dense.js';
import { RecurrentModel } from '../nn/rnn/model.js';
import { jsKernels } from '../tensor/kernels.js';
import { Rng } from '../tensor/rng.js';

/** A training workload: an MLP on the digits, plain SGD, fixed batches. */
export interface TrainWorkload {
  readonly kind: 'train';
  readonly name: string;
  /** One line for the table. */
  readonly title: string;
  /** Layer sizes, input first. */
  readonly sizes: readonly number[];
  readonly hidden: 'sigmoid' | 'tanh' | 'relu';
  /** Output activation; `softmax` pairs with cross_entropy. */
  readonly output: 'sigmoid' | 'softmax';
  readonly loss: LossName;
  readonly init: string;
  readonly lr: number;
  readonly batch: number;
  /** SGD steps per timed repetition: full and --quick. */
  readonly steps: { readonly full: number; readonly quick: number };
}

/** A matrix-product workload: C(n,n) = A(n,n)·B(n,n) in float32. */
export interface MatmulWorkload {
  readonly kind: 'matmul';
  readonly name: string;
  readonly title: string;
  readonly n: number;
  /** Products per timed repetition: full and --quick. */
  readonly products: { readonly full: number; readonly quick: number };
}

/** An LSTM workload: T steps of B sequences of I features, a classifier on the last state, BPTT, plain SGD. */
export interface LstmWorkload {
  readonly kind: 'lstm';
  readonly name: string;
  readonly title: string;
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  /** Classes of the label of each sequence. */
  readonly classes: number;
  readonly lr: number;
  /** Sequence batches in the data, cycled in order. */
  readonly batches: number;
  /** SGD steps per timed repetition: full and --quick. */
  readonly steps: { readonly full: number; readonly quick: number };
}

/** Any workload. */
export type Workload = TrainWorkload | MatmulWorkload | LstmWorkload;

/** The workloads in report order. */
export const WORKLOADS: readonly Workload[] = [
  {
    kind: 'train',
    name: 'a-sigmoid-784-30-10',
    title: '(a) [784,30,10] sigmoid, quadratic, SGD, batch 10',
    sizes: [784, 30, 10],
    hidden: 'sigmoid',
    output: 'sigmoid',
    loss: 'quadratic',
    init: 'nielsen',
    lr: 3,
    batch: 10,
    steps: { full: 400, quick: 40 },
  },
  {
    kind: 'train',
    name: 'b-tanh-20x64',
    title: '(b) [784,64×20,10] tanh, softmax cross-entropy, SGD, batch 32',
    sizes: [784, ...Array.from({ length: 20 }, () => 64), 10],
    hidden: 'tanh',
    output: 'softmax',
    loss: 'cross_entropy',
    init: 'xavier_normal',
    lr: 0.01,
    batch: 32,
    steps: { full: 40, quick: 6 },
  },
  {
    kind: 'train',
    name: 'c-relu-784-256-256-10',
    title: '(c) [784,256,256,10] relu, softmax cross-entropy, SGD, batch 64',
    sizes: [784, 256, 256, 10],
    hidden: 'relu',
    output: 'softmax',
    loss: 'cross_entropy',
    init: 'he_normal',
    lr: 0.05,
    batch: 64,
    steps: { full: 20, quick: 4 },
  },
  { kind: 'matmul', name: 'd-matmul-256', title: '(d) float32 matmul 256³', n: 256, products: { full: 40, quick: 4 } },
  { kind: 'matmul', name: 'd-matmul-1024', title: '(d) float32 matmul 1024³', n: 1024, products: { full: 2, quick: 1 } },
  {
    kind: 'lstm',
    name: 'e-lstm-128',
    title: '(e) LSTM I = 32, H = 128, T = 50, batch 32, softmax cross-entropy on the last state, BPTT, SGD',
    T: 50,
    B: 32,
    I: 32,
    H: 128,
    classes: 10,
    lr: 0.1,
    batches: 4,
    steps: { full: 4, quick: 1 },
  },
];

/** The workloads whose name equals `only` or starts with it (`d` selects both products); all when undefined. */
export function selectWorkloads(only?: string): Workload[] {
  if (only === undefined) return [...WORKLOADS];
  const hit = WORKLOADS.filter((w) => w.name === only || w.name.startsWith(only));
  if (hit.length === 0) throw new ValueError(only, `bench: --only '${only}' matches no workload; expected one of ${WORKLOADS.map((w) => w.name).join(', ')} (or a prefix such as 'd')`, true);
  return hit;
}

/** The unit a workload reports (higher is better for both): sequences per second for the LSTM. */
export function unitOf(w: Workload): 'examples/s' | 'GFLOP/s' {
  return w.kind === 'matmul' ? 'GFLOP/s' : 'examples/s';
}

/** Batch size of a training workload (examples per step). */
export function batchOf(w: TrainWorkload | LstmWorkload): number {
  return w.kind === 'lstm' ? w.B : w.batch;
}

/** The weights every contender of a training workload starts from: W(O,I) row-major and b(O) per layer. */
export interface InitialWeights {
  readonly layers: readonly { readonly W: Float32Array; readonly b: Float32Array; readonly I: number; readonly O: number }[];
}

/** Seed of every bench network, so runs are comparable across machines. */
export const BENCH_SEED = 20240;

/** Draws a workload's initial weights with gradscope's initialiser (float32). */
export function initialWeights(w: TrainWorkload): InitialWeights {
  const net = buildMlp({ sizes: w.sizes, hidden: { name: w.hidden }, output: { name: w.output }, init: w.init, dtype: 'float32', rng: new Rng(BENCH_SEED) });
  const layers = net.layers
    .filter((l): l is Dense => l instanceof Dense)
    .map((d) => ({ W: Float32Array.from(d.weight), b: Float32Array.from(d.bias), I: d.inSize, O: d.outSize }));
  return { layers };
}

/** The training data of a workload: the first `n` digits with one-hot targets, rows in order. */
export interface BenchData {
  readonly ds: Dataset;
  /** One-hot targets (n × 10), for peers that take whole tensors. */
  readonly y: Float32Array;
}

/** One-hot targets of `ds`. */
export function oneHot(ds: Dataset): Float32Array {
  const y = new Float32Array(ds.n * ds.classes);
  for (let i = 0; i < ds.n; i++) y[i * ds.classes + ds.labels[i]] = 1;
  return y;
}

/** The LSTM's initial parameters (gradscope's initialisers, float32): W_ih (4H,I), W_hh (4H,H), b (4H), gates [i f g o]; head W (C,H), b (C). */
export interface LstmWeights {
  readonly wih: Float32Array;
  readonly whh: Float32Array;
  readonly bias: Float32Array;
  readonly headW: Float32Array;
  readonly headB: Float32Array;
}

/** Draws the LSTM workload's initial parameters. */
export function lstmWeights(w: LstmWorkload): LstmWeights {
  const m = new RecurrentModel({ kind: 'lstm', inSize: w.I, hidden: w.H, dtype: 'float32', head: 'classify', outSize: w.classes, kernels: jsKernels }, new Rng(BENCH_SEED));
  const [wih, whh, bias, headW, headB] = m.params().map((p) => Float32Array.from(p.value));
  return { wih, whh, bias, headW, headB };
}

/** The LSTM workload's data: `batches` batches of x (T,B,I) and one label per sequence (B), drawn from a seeded generator. */
export interface LstmData {
  /** batches × T × B × I, time-major within a batch. */
  readonly x: Float32Array;
  /** batches × B labels. */
  readonly labels: Int32Array;
}

/** Draws the LSTM workload's sequences and labels. */
export function lstmData(w: LstmWorkload): LstmData {
  const rng = new Rng(BENCH_SEED + 1);
  const x = new Float32Array(w.batches * w.T * w.B * w.I);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const labels = new Int32Array(w.batches * w.B);
  for (let i = 0; i < labels.length; i++) labels[i] = rng.int(w.classes);
  return { x, labels };
}
