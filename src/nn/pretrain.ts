/**
 * Greedy layer-wise pre-training, the historical remedy for deep nets that
 * would not train (Hinton, Osindero & Teh 2006 with RBMs; Bengio, Lamblin,
 * Popovici & Larochelle 2007 with autoencoders, the form used here): hidden
 * layer 1 is trained as the encoder of an autoencoder that reconstructs the
 * inputs, then layer 2 on the codes of layer 1, and so on, one layer at a
 * time with the layers below frozen; afterwards the whole network is
 * fine-tuned by ordinary training (the caller's job). Each autoencoder's
 * decoder is a fresh dense layer with a linear output and the quadratic
 * loss, and is thrown away afterwards.
 */
import { getActivation } from '../activations/catalogue.js';
import { alloc, type Buf } from '../tensor/dtype.js';
import type { Rng } from '../tensor/rng.js';
import { Activation } from './activation-layer.js';
import { Dense } from './dense.js';
import { getInit } from './init.js';
import type { Layer, LayerEnv } from './layer.js';
import { quadratic } from './losses.js';
import { Maxout } from './maxout.js';
import { isNormLayer, Network } from './network.js';
import { Optimizer } from './optim.js';
import { ResidualBlock } from './residual.js';
import { train, type BatchSource, type StopReason } from './train.js';

/** Settings of greedy pre-training. */
export interface PretrainOptions {
  /** Training steps per hidden layer. */
  readonly steps: number;
  readonly lr: number;
  readonly batchSize: number;
  /** Default 'momentum' (μ = 0.9). */
  readonly optimizer?: 'sgd' | 'momentum' | 'adam';
  /** Decoder weights, batch order. */
  readonly rng: Rng;
  /** Checked before every step; true stops. */
  readonly shouldStop?: () => boolean;
}

/** What pre-training did to one hidden layer. */
export interface PretrainLayerResult {
  /** Weight-layer index, 1 on the input side. */
  readonly layer: number;
  readonly units: number;
  /** Mean reconstruction loss of the first and of the last 10 % of the steps. */
  readonly lossStart: number;
  readonly lossEnd: number;
  readonly steps: number;
  readonly stopReason: StopReason;
}

/** The slices of `net.layers` that make up each layer: a weight layer (or block) and the norm/activation after it. */
export function layerStages(net: Network): { start: number; end: number }[] {
  const stages: { start: number; end: number }[] = [];
  net.layers.forEach((l, i) => {
    if (l instanceof Dense || l instanceof Maxout || l instanceof ResidualBlock) stages.push({ start: i, end: i });
    else if ((l instanceof Activation || isNormLayer(l)) && stages.length > 0 && stages[stages.length - 1].end === i - 1) stages[stages.length - 1].end = i;
  });
  return stages;
}

/** Rows of an in-memory matrix as a batch source whose targets are the inputs themselves. */
function reconstructionSource(h: Buf, n: number, width: number): BatchSource {
  return {
    n,
    inputSize: width,
    outputSize: width,
    fill(x: Buf, y: Buf, order: ArrayLike<number>, start: number, B: number) {
      for (let b = 0; b < B; b++) {
        const row = h.subarray(order[start + b] * width, (order[start + b] + 1) * width);
        x.set(row, b * width);
        y.set(row, b * width);
      }
    },
  };
}

/** Runs layers[from..to] (evaluation mode) over n rows of h in chunks; returns the outputs (n × width). */
function forwardRows(layers: readonly Layer[], h: Buf, n: number, env: LayerEnv, rng: Rng): Buf {
  const I = layers[0].inSize;
  const O = layers[layers.length - 1].outSize;
  const out = alloc(env.dtype, n * O);
  const ctx = { training: false, rng };
  const chunk = 500;
  for (let s = 0; s < n; s += chunk) {
    const B = Math.min(chunk, n - s);
    let a: Buf = h.subarray(s * I, (s + B) * I);
    for (const l of layers) a = l.forward(a, B, ctx);
    out.set(a.subarray(0, B * O), s * O);
  }
  return out;
}

/**
 * Pre-trains every hidden layer of `net` greedily on the n input rows `x`
 * (n × inputSize, row-major), input side first; the output layer is left for
 * fine-tuning. Changes the hidden layers' weights in place.
 */
export function pretrainGreedy(net: Network, x: Buf, n: number, o: PretrainOptions): PretrainLayerResult[] {
  if (x.length < n * net.inputSize) throw new RangeError(`pretrainGreedy: 'x' holds ${x.length} values, fewer than n × inputs = ${n * net.inputSize}`);
  if (!(o.steps >= 1)) throw new RangeError(`pretrainGreedy: 'steps' must be ≥ 1; got ${o.steps}`);
  const stages = layerStages(net);
  if (stages.length < 2) throw new RangeError('pretrainGreedy: the network has no hidden layer to pre-train');
  const env: LayerEnv = { dtype: net.dtype, kernels: net.kernels };
  const linear = getActivation('linear');
  const xavier = getInit('xavier_uniform');
  const results: PretrainLayerResult[] = [];
  let h: Buf = x;
  let from = 0; // first layer not yet applied to h
  for (let k = 0; k < stages.length - 1; k++) {
    const { start, end } = stages[k];
    // layers between stages (dropout) act as the identity in evaluation mode
    if (start > from) h = forwardRows(net.layers.slice(from, start), h, n, env, o.rng);
    const encoder = net.layers.slice(start, end + 1);
    const I = encoder[0].inSize;
    const O = encoder[encoder.length - 1].outSize;
    const decoder = new Dense(O, I, env);
    xavier.weights(decoder.weight, O, I, o.rng);
    const saved = encoder[0].needInputGrad;
    const ae = new Network([...encoder, decoder, new Activation(linear, I, [], env)], net.dtype, net.kernels);
    const losses: number[] = [];
    const r = train(ae, reconstructionSource(h, n, I), {
      loss: quadratic,
      optimizer: new Optimizer(ae.params(), { name: o.optimizer ?? 'momentum', momentum: 0.9 }),
      lr: o.lr,
      batchSize: o.batchSize,
      maxSteps: o.steps,
      rng: o.rng,
      shouldStop: o.shouldStop,
      afterBackward: (info) => {
        losses.push(info.loss);
      },
    });
    encoder[0].needInputGrad = saved;
    const tail = Math.max(1, Math.ceil(losses.length / 10));
    const mean = (xs: number[]): number => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : NaN);
    results.push({ layer: k + 1, units: O, lossStart: mean(losses.slice(0, tail)), lossEnd: mean(losses.slice(-tail)), steps: r.steps, stopReason: r.stopReason });
    if (r.stopReason === 'non_finite' || r.stopReason === 'stopped') break;
    h = forwardRows(encoder, h, n, env, o.rng);
    from = end + 1;
  }
  return results;
}
