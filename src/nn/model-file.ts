/**
 * Model files. `gradscope-model/2` holds any feed-forward network gradscope
 * builds — dense, maxout, activation (with learned parameters), dropout,
 * batch norm (with running statistics), layer norm and residual blocks —
 * and, with `"kind": "recurrent"`, a recurrent model (cell and head). Each
 * layer type owns its entry's format beside its forward and backward
 * (`xxxFormat` in its file); this module lists them, reads a file into a
 * network with errors that name the field and the value, and writes one.
 * `gradscope-model/1` files (dense, maxout, activation and dropout layers)
 * still load.
 */
import { z } from 'zod';
import { fail, formatPath, InputError, issueFromZod, saying, show, type InputIssue } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { DType } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { fastKernels, networkKernels } from '../tensor/wasm/wasm-kernels.js';
import { activationFormat } from './activation-layer.js';
import { batchNormFormat } from './batchnorm.js';
import { denseFormat } from './dense.js';
import { dropoutFormat } from './dropout.js';
import type { DecodeContext, Layer, LayerEnv, LayerFormat, LayerJson } from './layer.js';
import { layerNormFormat } from './layernorm.js';
import { maxoutFormat } from './maxout.js';
import { Network } from './network.js';
import { residualFormat } from './residual.js';
import { RecurrentModel, recurrentFromJson, type RecurrentJson } from './rnn/model.js';

export { InputError, show, formatPath };

/** The format tag of version 1 (dense, maxout, activation and dropout layers only). */
export const MODEL_FORMAT_V1 = 'gradscope-model/1';
/** The format tag written today. */
export const MODEL_FORMAT = 'gradscope-model/2';

/** Every layer format, by type. Adding a layer type is one more entry (and its file). */
const FORMATS: ReadonlyMap<string, LayerFormat> = new Map(
  ([denseFormat, maxoutFormat, activationFormat, dropoutFormat, batchNormFormat, layerNormFormat, residualFormat] as LayerFormat[]).map((f) => [f.type, f]),
);

/** The layer types version 1 holds. */
const V1_TYPES = new Set(['dense', 'maxout', 'activation', 'dropout']);

/** A feed-forward model file. */
export interface ModelJson {
  readonly format: typeof MODEL_FORMAT | typeof MODEL_FORMAT_V1;
  readonly layers: readonly LayerJson[];
}

/** A model file of either kind. */
export type AnyModelJson = ModelJson | RecurrentJson;

const headerSchema = z.object({
  format: z.enum([MODEL_FORMAT, MODEL_FORMAT_V1]),
  kind: z.enum(['feedforward', 'recurrent']).default('feedforward'),
});
const feedForwardSchema = z.strictObject({
  format: z.enum([MODEL_FORMAT, MODEL_FORMAT_V1]),
  kind: z.literal('feedforward').optional(),
  layers: z.array(z.unknown()).min(1),
});

/** A zod failure of `json` as "file: path: expected; got value". */
function zodFail(error: z.ZodError, json: unknown, file: string): never {
  return fail(issueFromZod(error.issues[0], json), file);
}

/** Decodes the layer entries at `path`, chaining widths from `width`; throws an InputError naming `file` and the field. */
function decodeLayers(entries: readonly unknown[], path: string, width: number | null, env: LayerEnv, file: string, v1: boolean, json: unknown): Layer[] {
  const layers: Layer[] = [];
  let w = width;
  entries.forEach((entry, i) => {
    const layer = decodeLayer(entry, `${path}[${i}]`, w, env, file, v1, json);
    if (w !== null && layer.inSize !== w) {
      // name the entry's own width field (dense and maxout: in; the norms: size)
      const key = ['in', 'size'].find((k) => entry !== null && typeof entry === 'object' && k in entry);
      fail({ field: `${path}[${i}]${key ? `.${key}` : ''}`, value: layer.inSize, ...saying(msg('err.model.chain', { w: String(w) })) }, file);
    }
    layers.push(layer);
    w = layer.outSize;
  });
  return layers;
}

/** Decodes one layer entry at `path`. */
function decodeLayer(entry: unknown, path: string, width: number | null, env: LayerEnv, file: string, v1: boolean, json: unknown): Layer {
  const type = entry !== null && typeof entry === 'object' ? (entry as { type?: unknown }).type : undefined;
  const types = [...FORMATS.keys()].filter((t) => !v1 || V1_TYPES.has(t));
  const format = typeof type === 'string' && types.includes(type) ? FORMATS.get(type) : undefined;
  if (!format) {
    const list = types.join(', ');
    const said = v1 && typeof type === 'string' && FORMATS.has(type) ? msg('err.model.typeInV2', { list, format: MODEL_FORMAT, type }) : msg('err.oneOf', { list });
    fail({ field: `${path}.type`, value: type, ...saying(said) }, file);
  }
  const r = format.schema.safeParse(entry);
  if (!r.success) {
    const issue = issueFromZod(r.error.issues[0], entry);
    fail({ ...issue, field: `${path}.${issue.field}` }, file);
  }
  const ctx: DecodeContext = {
    env,
    width,
    fail: (field, value, expected) => fail({ field: `${path}.${field}`, value, ...(typeof expected === 'string' ? { expected } : saying(expected)) } satisfies InputIssue, file),
    decode: (entries, field, w) => decodeLayers(entries, `${path}.${field}`, w, env, file, v1, json),
    decodeOne: (e, field, w) => decodeLayer(e, `${path}.${field}`, w, env, file, v1, json),
  };
  return format.build(r.data, ctx);
}

/** Reads a feed-forward model file into a network; throws an InputError naming `file`, the field and the value. */
export function networkFromJson(json: unknown, file: string, dtype: DType = 'float64', kernels: Kernels = fastKernels()): Network {
  const header = headerSchema.safeParse(json);
  if (!header.success) zodFail(header.error, json, file);
  if (header.data.kind === 'recurrent') fail({ field: 'kind', value: 'recurrent', ...saying(msg('err.model.recurrent')) }, file);
  const r = feedForwardSchema.safeParse(json);
  if (!r.success) zodFail(r.error, json, file);
  const v1 = r.data.format === MODEL_FORMAT_V1;
  // float32: the network's own memory, as buildMlp gives it
  const env: LayerEnv = { dtype, kernels: dtype === 'float32' ? networkKernels(kernels) : kernels };
  return new Network(decodeLayers(r.data.layers, 'layers', null, env, file, v1, json), dtype, env.kernels);
}

/** Reads a model file of either kind. */
export function modelFromJson(json: unknown, file: string, dtype: DType = 'float64', kernels: Kernels = fastKernels()): Network | RecurrentModel {
  const header = headerSchema.safeParse(json);
  if (header.success && header.data.kind === 'recurrent') return recurrentFromJson(json, file, dtype, kernels);
  return networkFromJson(json, file, dtype, kernels);
}

/** Validates a feed-forward model file (building it once); throws an InputError naming `file`, the field and the value. */
export function validateModel(json: unknown, file: string): ModelJson {
  networkFromJson(json, file, 'float64');
  return json as ModelJson;
}

/** Builds a Network from a validated model file. */
export function networkFromModel(m: ModelJson, dtype: DType, kernels: Kernels = fastKernels()): Network {
  return networkFromJson(m, 'model', dtype, kernels);
}

/** Serialises a network (or a recurrent model) to a `gradscope-model/2` document. */
export function modelToJson(net: Network | RecurrentModel): AnyModelJson {
  if (net instanceof RecurrentModel) return net.toJson();
  return { format: MODEL_FORMAT, layers: net.layers.map((l) => l.toJson()) };
}
