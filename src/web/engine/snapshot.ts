/**
 * What the page draws of a network in training, read from a Session without
 * changing it: the weights of every dense layer with each unit's gradient
 * |∂C/∂bⱼ| (the network picture with its gradient flow), and, for 2-D data,
 * every unit's output over a grid of the plane (the neuron heatmaps). Pure:
 * no DOM, no timers.
 */
import { Dense } from '../../nn/dense.js';
import type { Buf, DType } from '../../tensor/dtype.js';
import { Rng } from '../../tensor/rng.js';
import type { Session } from './session.js';

/** The network's weights and per-unit gradients, weight layer by weight layer (input side first). */
export interface NetSnapshot {
  readonly step: number;
  /** Units of the input and of every weight layer: sizes[0] inputs, sizes[l + 1] units of layer l + 1. */
  readonly sizes: readonly number[];
  /** W of layer l as O × I row-major (w_jk joins input k to unit j); null for a maxout layer. */
  readonly weights: readonly (Float32Array | null)[];
  /** |∂C/∂bⱼ| of every unit of layer l, from the last backward pass (a training batch or the probe batch). */
  readonly unitGrad: readonly Float32Array[];
}

/** Every unit's output over a res × res grid of the plane (rows from ymin up), layer by layer. */
export interface NeuronGrid {
  readonly step: number;
  readonly res: number;
  /** [xmin, xmax, ymin, ymax], the decision boundary's extent. */
  readonly extent: readonly [number, number, number, number];
  /** Layer l: res² × units of layer l, row-major (point-major). */
  readonly outputs: readonly Float32Array[];
}

/** The weights and per-unit gradients of `s` now. */
export function netSnapshot(s: Session): NetSnapshot {
  const net = s.net;
  const sizes = [net.inputSize, ...net.weightLayers.map((w) => w.outSize)];
  const weights = net.weightLayers.map((w) => (w instanceof Dense ? Float32Array.from(w.weight) : null));
  const unitGrad = net.weightLayers.map((_, l) => Float32Array.from(net.biasGradOf(l), Math.abs));
  return { step: s.step, sizes, weights, unitGrad };
}

/** The centres of a res × res grid over `extent` as (res², 2) inputs, row 0 at ymin. */
export function planeGrid(extent: readonly [number, number, number, number], res: number, dtype: DType): Buf {
  const n = res * res;
  const x = dtype === 'float64' ? new Float64Array(2 * n) : new Float32Array(2 * n);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      x[2 * (r * res + c)] = extent[0] + ((c + 0.5) / res) * (extent[1] - extent[0]);
      x[2 * (r * res + c) + 1] = extent[2] + ((r + 0.5) / res) * (extent[3] - extent[2]);
    }
  }
  return x;
}

/** Every unit's output of `s` on a res × res grid over `extent` (the network must take 2 inputs). */
export function neuronGrid(s: Session, extent: readonly [number, number, number, number], res: number): NeuronGrid {
  const net = s.net;
  if (net.inputSize !== 2) throw new RangeError(`neuronGrid: the network takes ${net.inputSize} inputs, not 2`);
  if (!Number.isInteger(res) || res < 2 || res > 128) throw new RangeError(`neuronGrid: res must be an integer in 2..128; got ${res}`);
  const n = res * res;
  net.forward(planeGrid(extent, res, s.spec.dtype), n, { training: false, rng: new Rng(0) });
  const outputs = net.weightLayers.map((w, l) => {
    // a unit's output after its activation; a maxout layer has none of its own (NaN: not drawn)
    const out = net.activationAfter(l)?.lastOutput();
    return out ? Float32Array.from(out.subarray(0, n * w.outSize)) : new Float32Array(n * w.outSize).fill(NaN);
  });
  return { step: s.step, res, extent, outputs };
}
