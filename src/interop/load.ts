/**
 * The one way gradscope reads a network from a file, whatever wrote it:
 * the format is told from the content (a JSON document with a gradscope
 * `format` tag, a TensorFlow.js model.json, or an ONNX protobuf), not from
 * the file name. Files are read through the reader the caller passes (the
 * CLI's size-capped readers), so this module stays free of Node.
 */
import { msg } from '../i18n/catalogue.js';
import { inputError } from '../errors.js';
import { getActivation } from '../activations/catalogue.js';
import { Activation } from '../nn/activation-layer.js';
import type { LossName } from '../nn/losses.js';
import { networkFromModel, validateModel } from '../nn/model-file.js';
import { Network } from '../nn/network.js';
import type { DType } from '../tensor/dtype.js';
import type { LayerName, LoadedModel } from './names.js';
import { importOnnx } from './onnx/import.js';
import { importTfjs } from './tfjs/import.js';

/** Reads files for the loader: the model and, for TensorFlow.js, its weight shards. */
export interface FileReader {
  /** The bytes of `path`; throws an InputError naming it when it cannot be read. */
  bytes(path: string): Uint8Array;
}

/** The directory part of a path ('' for a bare name). */
function dirOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '' : path.slice(0, i + 1);
}

/** What the first bytes say the file is. */
export function detectFormat(bytes: Uint8Array): 'json' | 'protobuf' {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // a UTF-8 byte-order mark
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b ? 'json' : 'protobuf';
}

/** Reads the network in `path` (gradscope-model/1 or /2, ONNX, TensorFlow.js LayersModel) in `dtype`. */
export function loadModel(path: string, reader: FileReader, dtype: DType = 'float64'): LoadedModel {
  const bytes = reader.bytes(path);
  if (detectFormat(bytes) === 'protobuf') return importOnnx(bytes, path, dtype);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
  } catch (e) {
    throw inputError([path], msg('err.json', { why: (e as Error).message.replace(/^Unexpected/, 'unexpected') }));
  }
  const doc = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  if ('modelTopology' in doc) return importTfjs(doc, path, (p: string) => reader.bytes(dirOf(path) + p), dtype);
  // a gradscope model file, or what meant to be one (its reader names the field that is wrong)
  if ('format' in doc || 'layers' in doc) return fromGradscope(json, path, dtype);
  throw inputError([path], msg('err.model.unknownJson', { format: '"format": "gradscope-model/…"', topology: '"modelTopology"' }));
}

/** A gradscope model file, through the model file module's own loader. */
function fromGradscope(json: unknown, path: string, dtype: DType): LoadedModel {
  const net = networkFromModel(validateModel(json, path), dtype);
  const names = new Map<Network['layers'][number], LayerName>();
  net.mainPath.forEach((l, i) => names.set(l, { name: `layers[${i}]`, op: l.type }));
  return { net, names, format: (json as { format: 'gradscope-model/1' }).format, inputShape: [net.inputSize], output: 'as_is', producer: 'gradscope' };
}

/**
 * The network `loss` is computed on: the model itself when it ends in the
 * loss's output activation (sigmoid for binary_cross_entropy, softmax for
 * cross_entropy), else the model with that activation appended — a model that
 * outputs logits, trained with torch.nn.CrossEntropyLoss or BCEWithLogitsLoss.
 * `appended` names the activation added, if any.
 */
export function withLossOutput(m: LoadedModel, loss: LossName): { model: LoadedModel; appended: string | null } {
  const want = loss === 'cross_entropy' ? 'softmax' : loss === 'binary_cross_entropy' ? 'sigmoid' : null;
  if (m.output === 'log_softmax' && loss !== 'cross_entropy') {
    throw inputError([], msg('err.model.logSoftmax', { op: 'LogSoftmax' }));
  }
  const last = m.net.layers[m.net.layers.length - 1];
  if (want === null || (last instanceof Activation && last.name === want)) return { model: m, appended: null };
  const act = new Activation(getActivation(want), m.net.outputSize, [], { dtype: m.net.dtype, kernels: m.net.kernels });
  const names = new Map(m.names);
  names.set(act, { name: `${want} (added for ${loss})`, op: want });
  const net = new Network([...m.net.layers, act], m.net.dtype, m.net.kernels);
  return { model: { ...m, net, names }, appended: want };
}
