/**
 * One gradscope probe of a TensorFlow.js LayersModel on a fixed batch: the
 * loss and its gradient with respect to every trainable weight
 * (tf.variableGrads — one extra forward and backward pass), then per weight
 * layer (Dense, SimpleRNN, LSTM, GRU, input side first) the norms of the
 * bias and kernel gradients, and for Dense layers the activation statistics
 * from their pre-activations z = x·W + b (read from the layer's input):
 * mean |f′(z)|, the saturated fraction, the dead fraction, with gradscope's
 * catalogue and definitions, and finally gradscope's verdict.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { getActivation } from '../../activations/catalogue.js';
import type { ActivationDef } from '../../activations/types.js';
import type { LayerDiagnostics } from '../../diagnostics/layer-stats.js';
import { firstToLast } from '../../diagnostics/layer-stats.js';
import { verdictOf, type Verdict } from '../../diagnostics/verdict.js';
import type { NonFiniteFinding } from '../../nn/nonfinite.js';

/** The tfjs namespace the caller uses (so the monitor works with @tensorflow/tfjs and @tensorflow/tfjs-node alike). */
export type Tf = typeof tfjs;

/** A loss of (targets, outputs) as a scalar tensor. */
export type TfLoss = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Scalar;

/** tfjs activation identifiers → gradscope catalogue names. */
const ACTS: Readonly<Record<string, string>> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', softplus: 'softplus', softsign: 'softsign',
  hard_sigmoid: 'hard_sigmoid_keras2', hardSigmoid: 'hard_sigmoid_keras2', swish: 'silu', mish: 'mish', gelu: 'gelu', gelu_new: 'gelu_tanh',
};

/** One weight layer of the model as the probe reads it. */
interface WeightLayer {
  readonly layer: tfjs.layers.Layer;
  readonly name: string;
  readonly className: string;
  readonly units: number;
  readonly kernel: string;
  readonly bias: string | null;
  /** The activation after a Dense layer (its own, or the next Activation/LeakyReLU layer's); null for recurrent layers. */
  readonly act: { def: ActivationDef; params: number[] } | null;
}

/** A layer's config, as getConfig gives it. */
function configOf(l: tfjs.layers.Layer): Record<string, unknown> {
  return l.getConfig() as Record<string, unknown>;
}

/** The model's weight layers, input side first. */
function weightLayers(model: tfjs.LayersModel): WeightLayer[] {
  const out: WeightLayer[] = [];
  const layers = model.layers;
  layers.forEach((l, i) => {
    const cls = l.getClassName();
    if (!['Dense', 'SimpleRNN', 'LSTM', 'GRU'].includes(cls)) return;
    const ws = l.trainableWeights;
    const kernel = ws.find((w) => /kernel$/.test(w.originalName) && !/recurrent_kernel$/.test(w.originalName));
    const bias = ws.find((w) => /bias$/.test(w.originalName));
    if (!kernel) return;
    let act: WeightLayer['act'] = null;
    if (cls === 'Dense') {
      let id = String(configOf(l).activation ?? 'linear');
      let params: Record<string, number> = {};
      const next = layers[i + 1];
      if (id === 'linear' && next) {
        const c = configOf(next);
        if (next.getClassName() === 'Activation') id = String(c.activation);
        else if (next.getClassName() === 'LeakyReLU') {
          id = 'leaky_relu';
          params = { negative_slope: Number(c.alpha ?? 0.3) };
        }
      }
      const name = id === 'leaky_relu' ? 'leaky_relu' : ACTS[id];
      if (name !== undefined) {
        const def = getActivation(name);
        act = { def, params: def.params.map((p) => params[p.name] ?? p.default) };
      }
    }
    out.push({ layer: l, name: l.name, className: cls, units: Number(configOf(l).units), kernel: kernel.name, bias: bias?.name ?? null, act });
  });
  return out;
}

/** ‖t‖₂ of a gradient tensor's values. */
function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** What one probe found: a metrics line of a run directory, plus the verdict and any non-finite value. */
export interface TfProbe {
  readonly loss: number;
  readonly gradNorm: number;
  readonly layers: (LayerDiagnostics & { readonly name: string; readonly className: string })[];
  readonly firstToLast: number | null;
  readonly verdict: Verdict;
  readonly nonFinite: NonFiniteFinding | null;
}

/** A prepared prober: the weight layers and a model giving each Dense layer's input, built once. */
export class TfProber {
  private readonly wl: WeightLayer[];
  private readonly inputs: tfjs.LayersModel | null;

  /** Prepares probes of `model` with loss `loss` on the batch (x, y). */
  constructor(private readonly tf: Tf, private readonly model: tfjs.LayersModel, private readonly x: tfjs.Tensor, private readonly y: tfjs.Tensor, private readonly loss: TfLoss) {
    this.wl = weightLayers(model);
    if (this.wl.length === 0) throw new RangeError('gradscope monitor: the model has no Dense, SimpleRNN, LSTM or GRU layer to probe');
    const dense = this.wl.filter((w) => w.act !== null);
    // one model giving each Dense layer's input and the output, so a probe is one forward pass
    this.inputs = dense.length > 0 ? tf.model({ inputs: model.inputs, outputs: [...dense.map((w) => w.layer.input as tfjs.SymbolicTensor), ...model.outputs] }) : null;
  }

  /** The weight layers' names, input side first. */
  get layerNames(): string[] {
    return this.wl.map((w) => w.name);
  }

  /** Runs one probe after `step` training batches: one forward and backward pass (the Dense layers' inputs kept from the same forward). */
  probe(step: number): TfProbe {
    const tf = this.tf;
    const dense = this.wl.filter((w) => w.act !== null);
    let ins: tfjs.Tensor[] = [];
    const { value, grads } = tf.variableGrads(() => {
      if (!this.inputs) return this.loss(this.y, this.model.apply(this.x, { training: false }) as tfjs.Tensor);
      const outs = [this.inputs.apply(this.x, { training: false })].flat() as tfjs.Tensor[];
      ins = outs.slice(0, dense.length).map((t) => tf.keep(t));
      return this.loss(this.y, outs[outs.length - 1]);
    });
    const loss = value.dataSync()[0];
    const g = (name: string | null): Float32Array | null => (name !== null && grads[name] ? (grads[name].dataSync() as Float32Array) : null);
    let total = 0;
    for (const k of Object.keys(grads)) {
      const n = norm(grads[k].dataSync() as Float32Array);
      total += n * n;
    }
    const B = this.x.shape[0];
    const layers = this.wl.map((w, i) => {
      const dW = g(w.kernel);
      const db = g(w.bias);
      const stats = w.act ? actStats(tf, w, ins[dense.indexOf(w)], B) : null;
      return {
        index: i + 1,
        name: w.name,
        className: w.className,
        units: w.units,
        activation: w.act?.def.name ?? w.className.toLowerCase(),
        biasGradNorm: db ? norm(db) : NaN,
        weightGradNorm: dW ? norm(dW) : NaN,
        deltaNormPerExample: NaN,
        meanAbsDerivative: stats?.meanAbs ?? NaN,
        saturatedFraction: stats?.saturated ?? NaN,
        deadFraction: stats?.dead ?? NaN,
        activationMean: stats?.mean ?? NaN,
        activationStd: stats?.std ?? NaN,
        jacobianMaxSingular: null,
        jacobianMeanSingular: null,
      };
    });
    value.dispose();
    for (const t of Object.values(grads)) t.dispose();
    for (const t of ins) t.dispose();
    const ratio = firstToLast(layers);
    let nonFinite: NonFiniteFinding | null = null;
    if (!Number.isFinite(loss)) nonFinite = { step, layer: 0, quantity: 'loss', message: `step ${step}: the loss on the probe batch is ${loss}` };
    else {
      // a layer without a bias has NaN there by construction; its kernel's norm tells a blow-up
      const bad = layers.find((l) => !Number.isFinite(l.weightGradNorm) || (l.biasGradNorm === Infinity || l.biasGradNorm === -Infinity));
      if (bad) nonFinite = { step, layer: bad.index, quantity: 'gradient', message: `step ${step}: the gradient of layer ${bad.index} '${bad.name}' (${bad.className}) is not finite` };
    }
    return { loss, gradNorm: Math.sqrt(total), layers, firstToLast: ratio, verdict: verdictOf(layers, ratio, 'the model\'s', nonFinite), nonFinite };
  }
}

/** Activation statistics of a Dense layer from its input x(B,I): z = x·W + b (by tfjs), f′(z) by gradscope's catalogue. */
function actStats(tf: Tf, w: WeightLayer, x: tfjs.Tensor, B: number): { meanAbs: number; saturated: number; dead: number; mean: number; std: number } {
  const [kernel, bias] = w.layer.getWeights(); // kernel (I, O)
  const zs = tf.tidy(() => (bias && w.bias ? tf.add(tf.matMul(x, kernel), bias) : tf.matMul(x, kernel)).dataSync() as Float32Array);
  const O = w.units;
  const { def, params } = w.act!;
  const maxD = def.meta.derivativeMax;
  const thr = 1e-3 * (Number.isFinite(maxD) && maxD > 0 ? maxD : 1);
  const deadZone = def.meta.deadZone !== '';
  const alive = new Uint8Array(O);
  let sAbs = 0, nSat = 0, sA = 0, sA2 = 0;
  for (let r = 0; r < B; r++)
    for (let o = 0; o < O; o++) {
      const z = zs[r * O + o];
      const d = def.kind === 'vector' ? NaN : def.df(z, params);
      const a = def.kind === 'vector' ? NaN : def.f(z, params);
      const ad = Math.abs(d);
      sAbs += ad;
      if (ad < thr && (!deadZone || z > 0)) nSat++;
      if (d !== 0) alive[o] = 1;
      sA += a;
      sA2 += a * a;
    }
  const n = B * O;
  const mean = sA / n;
  let dead = 0;
  if (deadZone) for (let o = 0; o < O; o++) if (!alive[o]) dead++;
  return { meanAbs: sAbs / n, saturated: nSat / n, dead: dead / O, mean, std: Math.sqrt(Math.max(0, sA2 / n - mean * mean)) };
}
