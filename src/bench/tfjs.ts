/**
 * The peers of `gradscope bench`: TensorFlow.js (@tensorflow/tfjs-core) on
 * its `wasm` backend (XNNPACK, SIMD, forced single-threaded like gradscope)
 * and its `cpu` backend (plain JavaScript). tfjs is an optional development
 * dependency loaded with dynamic import(), so everything else works without
 * it; the wasm binaries are read from the installed package, never fetched.
 * The union package `@tensorflow/tfjs` is loaded too, only because it is what
 * registers the gradient functions `optimizer.minimize` needs.
 *
 * Each training trial builds the idiomatic tfjs network — variables W(I,O)
 * and b(O), z = matMul(a, W) + b — from the same initial weights as
 * gradscope's (transposed), and steps it with `optimizer.minimize` on the
 * same batches. The LSTM trial is tfjs-layers' `lstm` (sigmoid gates, as
 * gradscope's; its default is hard-sigmoid) and a `dense` head, set to the
 * same weights, on the same sequences (batch-major, as tfjs takes them).
 */
import { msg } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Contender, Trial } from './contender.js';
import { matmulOperands } from './gradscope.js';
import { initialWeights, lstmData, lstmWeights, type BenchData, type LstmWorkload, type MatmulWorkload, type TrainWorkload, type Workload } from './workloads.js';

type Tf = typeof TfCore;

/** The loaded library and the backends that initialised. */
export interface TfjsHandle {
  readonly tf: Tf;
  /** tfjs-layers, from the union package. */
  readonly layers: TfLayers;
  readonly version: string;
  readonly backends: readonly ('wasm' | 'cpu')[];
}

/** Loads tfjs-core with its cpu and wasm backends; a sentence saying why not when it cannot. */
export async function loadTfjs(): Promise<TfjsHandle | { readonly error: Msg }> {
  let tf: Tf;
  let layers: TfLayers;
  try {
    tf = (await import('@tensorflow/tfjs-core')) as Tf;
    // tfjs-core's Node build has no gradient functions; the union package registers them all
    layers = ((await import('@tensorflow/tfjs')) as unknown as { layers: TfLayers }).layers;
  } catch {
    return { error: msg('bench.note.tfjsMissing', { command: 'npm install --save-dev @tensorflow/tfjs @tensorflow/tfjs-backend-wasm' }) };
  }
  // PROD silences tfjs's "install tfjs-node" advice and its debug checks
  tf.env().set('PROD', true);
  const backends: ('wasm' | 'cpu')[] = [];
  try {
    await import('@tensorflow/tfjs-backend-cpu');
    if (await tf.setBackend('cpu')) backends.push('cpu');
  } catch {
    // the cpu peer is skipped
  }
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const req = createRequire(import.meta.url);
    const dir = join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    wasm.setWasmPaths(`${dir}/`);
    // single-threaded, as gradscope is: the comparison is per core
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (await tf.setBackend('wasm')) backends.push('wasm');
  } catch {
    // the wasm peer is skipped
  }
  return { tf, layers, version: tf.version_core, backends };
}

/** z = matMul(a, W) + b per layer, the hidden activation between layers; returns the output layer's logits. */
function forward(tf: Tf, x: TfCore.Tensor2D, vars: readonly { W: TfCore.Variable; b: TfCore.Variable }[], hidden: TrainWorkload['hidden']): TfCore.Tensor2D {
  let h: TfCore.Tensor2D = x;
  vars.forEach((v, i) => {
    const z = tf.add(tf.matMul(h, v.W as TfCore.Tensor2D), v.b) as TfCore.Tensor2D;
    h = i === vars.length - 1 ? z : hidden === 'sigmoid' ? tf.sigmoid(z) : hidden === 'tanh' ? tf.tanh(z) : tf.relu(z);
  });
  return h;
}

/** A training trial on the current backend. */
function tfjsTrainTrial(tf: Tf, w: TrainWorkload, data: BenchData, steps: number): Trial {
  const vars = initialWeights(w).layers.map((l) => {
    // gradscope holds W(O,I); the idiomatic tfjs layer holds its transpose W(I,O)
    const Wt = new Float32Array(l.I * l.O);
    for (let o = 0; o < l.O; o++) for (let i = 0; i < l.I; i++) Wt[i * l.O + o] = l.W[o * l.I + i];
    return { W: tf.variable(tf.tensor2d(Wt, [l.I, l.O])), b: tf.variable(tf.tensor1d(l.b)) };
  });
  const varList = vars.flatMap((v) => [v.W, v.b]);
  const opt = tf.train.sgd(w.lr);
  const B = w.batch;
  const I = data.ds.inputSize;
  const C = data.ds.classes;
  const lossOf = (x: TfCore.Tensor2D, y: TfCore.Tensor2D): TfCore.Scalar => {
    const z = forward(tf, x, vars, w.hidden);
    if (w.loss === 'cross_entropy') return tf.losses.softmaxCrossEntropy(y, z) as TfCore.Scalar;
    // quadratic on sigmoid outputs: C = (1/2B) Σ ‖a − y‖²
    const a = w.output === 'sigmoid' ? tf.sigmoid(z) : z;
    return tf.div(tf.sum(tf.squaredDifference(a, y)), 2 * B);
  };
  let cursor = 0;
  return {
    loss: () => tf.tidy(() => lossOf(tf.tensor2d(data.ds.x.subarray(0, B * I), [B, I]), tf.tensor2d(data.y.subarray(0, B * C), [B, C])).dataSync()[0]),
    run() {
      for (let s = 0; s < steps; s++) {
        if (cursor + B > data.ds.n) cursor = 0;
        const at = cursor;
        cursor += B;
        tf.tidy(() => {
          const x = tf.tensor2d(data.ds.x.subarray(at * I, (at + B) * I), [B, I]);
          const y = tf.tensor2d(data.y.subarray(at * C, (at + B) * C), [B, C]);
          opt.minimize(() => lossOf(x, y), false, varList);
        });
      }
    },
    dispose() {
      varList.forEach((v) => v.dispose());
      opt.dispose();
    },
  };
}

/** Transposes a row-major (R,C) matrix to (C,R). */
function transpose(a: Float32Array, R: number, C: number): Float32Array {
  const t = new Float32Array(R * C);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) t[c * R + r] = a[r * C + c];
  return t;
}

/** An LSTM trial on the current backend: tfjs-layers' lstm and dense layers with gradscope's initial weights. */
function tfjsLstmTrial(tf: Tf, layers: TfLayers, w: LstmWorkload, steps: number): Trial {
  // the weights are set below; 'zeros' spares tfjs's orthogonal initialiser (and its warning on stderr)
  const lstm = layers.lstm({ units: w.H, recurrentActivation: 'sigmoid', returnSequences: false, unitForgetBias: false, kernelInitializer: 'zeros', recurrentInitializer: 'zeros' });
  const dense = layers.dense({ units: w.classes });
  const { T, B, I, H } = w;
  tf.tidy(() => dense.apply(lstm.apply(tf.zeros([1, T, I]))));
  const init = lstmWeights(w);
  // gradscope: W_ih (4H,I), W_hh (4H,H), gates [i f g o]; Keras: kernel (I,4H), recurrent kernel (H,4H), gates [i f c o]
  lstm.setWeights([tf.tensor2d(transpose(init.wih, 4 * H, I), [I, 4 * H]), tf.tensor2d(transpose(init.whh, 4 * H, H), [H, 4 * H]), tf.tensor1d(init.bias)]);
  dense.setWeights([tf.tensor2d(transpose(init.headW, w.classes, H), [H, w.classes]), tf.tensor1d(init.headB)]);
  const vars = [...lstm.trainableWeights, ...dense.trainableWeights].map((v) => v.read() as TfCore.Variable);
  const data = lstmData(w);
  // batch-major copies of the time-major sequences
  const xs: TfCore.Tensor3D[] = [];
  const ys: TfCore.Tensor2D[] = [];
  for (let b = 0; b < w.batches; b++) {
    const x = new Float32Array(B * T * I);
    for (let t = 0; t < T; t++) for (let s = 0; s < B; s++) x.set(data.x.subarray(((b * T + t) * B + s) * I, ((b * T + t) * B + s + 1) * I), (s * T + t) * I);
    xs.push(tf.tensor3d(x, [B, T, I]));
    ys.push(tf.oneHot(tf.tensor1d(data.labels.subarray(b * B, (b + 1) * B), 'int32'), w.classes).toFloat() as TfCore.Tensor2D);
  }
  const opt = tf.train.sgd(w.lr);
  const lossOf = (b: number): TfCore.Scalar => tf.losses.softmaxCrossEntropy(ys[b], dense.apply(lstm.apply(xs[b])) as TfCore.Tensor2D) as TfCore.Scalar;
  let next = 0;
  return {
    loss: () => tf.tidy(() => lossOf(0).dataSync()[0]),
    run() {
      for (let s = 0; s < steps; s++) {
        const b = next;
        next = (next + 1) % w.batches;
        tf.tidy(() => {
          opt.minimize(() => lossOf(b), false, vars);
        });
      }
    },
    dispose() {
      [...xs, ...ys].forEach((t) => t.dispose());
      lstm.dispose();
      dense.dispose();
      opt.dispose();
    },
  };
}

/** The parts of tfjs-layers the LSTM trial uses (the union package's `tf.layers`). */
interface TfLayers {
  lstm(args: { units: number; recurrentActivation: string; returnSequences: boolean; unitForgetBias: boolean; kernelInitializer?: string; recurrentInitializer?: string }): TfLayer;
  dense(args: { units: number }): TfLayer;
}

/** A tfjs-layers layer. */
interface TfLayer {
  apply(x: TfCore.Tensor): TfCore.Tensor;
  setWeights(w: TfCore.Tensor[]): void;
  readonly trainableWeights: { read(): TfCore.Tensor }[];
  dispose(): void;
}

/** A product trial on the current backend: matMul and reading C back, as gradscope's gemm returns C in a Float32Array. */
function tfjsMatmulTrial(tf: Tf, w: MatmulWorkload, products: number): Trial {
  const { A, B } = matmulOperands(w.n);
  const a = tf.tensor2d(A, [w.n, w.n]);
  const b = tf.tensor2d(B, [w.n, w.n]);
  return {
    run() {
      for (let r = 0; r < products; r++) {
        const c = tf.matMul(a, b);
        c.dataSync();
        c.dispose();
      }
    },
    dispose() {
      a.dispose();
      b.dispose();
    },
  };
}

/** The `tfjs-<backend>` contender; every trial switches tfjs's global backend before it runs. */
export function tfjsContender(handle: TfjsHandle, backend: 'wasm' | 'cpu', data: () => BenchData): Contender {
  const { tf } = handle;
  const enter = async (): Promise<void> => {
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
  };
  return {
    name: `tfjs-${backend}`,
    supports: () => true,
    async prepare(w: Workload, amount: number): Promise<Trial> {
      await enter();
      const trial = w.kind === 'train' ? tfjsTrainTrial(tf, w, data(), amount) : w.kind === 'lstm' ? tfjsLstmTrial(tf, handle.layers, w, amount) : tfjsMatmulTrial(tf, w, amount);
      const loss = trial.loss;
      return { enter, run: () => trial.run(), dispose: () => trial.dispose(), ...(loss ? { loss: () => loss() } : {}) };
    },
  };
}
