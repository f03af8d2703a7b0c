/**
 * What an imported network keeps of the file it came from: the name and the
 * operator (or layer class) of each of its layers, so every output can say
 * `layer 3 'fc3' (Gemm)`, and what the output layer computes.
 */
import type { Layer } from '../nn/layer.js';
import type { Network } from '../nn/network.js';

/** The user's name of a layer and the operator(s) it came from. */
export interface LayerName {
  /** As in the file: 'fc3', 'dense_1', '/items.1/Relu'. */
  readonly name: string;
  /** 'Gemm', 'MatMul+Add', 'Div/Erf/Add/Mul/Mul', 'Dense', 'LSTM', … */
  readonly op: string;
}

/** Names of a network's layers (residual branches included), by layer. */
export type LayerNames = ReadonlyMap<Layer, LayerName>;

/** The formats gradscope reads. */
export type ModelFormat = 'gradscope-model/1' | 'gradscope-model/2' | 'onnx' | 'tfjs-layers';

/** A network read from a file, with its layers' names. */
export interface LoadedModel {
  readonly net: Network;
  readonly names: LayerNames;
  readonly format: ModelFormat;
  /** The input's shape without the batch axis, as the file gives it ([784], [5, 3] for 5 steps of 3). */
  readonly inputShape: readonly number[];
  /** 'log_softmax' when the file's output is log-probabilities (gradscope computes the softmax; the cross-entropy is the same). */
  readonly output: 'as_is' | 'log_softmax';
  /** Producer and version, as the file says. */
  readonly producer: string;
}

/** `'fc3' (Gemm)` for weight layer `l` (0-based) of `m`, or '' when the file gave no name. */
export function weightLayerLabel(m: Pick<LoadedModel, 'net' | 'names'>, l: number): string {
  const n = m.names.get(m.net.weightLayers[l]);
  return n ? `'${n.name}' (${n.op})` : '';
}
