/**
 * The model file format `gradscope-model/1` (SPEC §8): validation with
 * messages that name the field and the value, loading into a Network, and
 * saving a Network back.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { getActivation, resolveParams } from '../activations/catalogue.js';
import type { DType } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { fastKernels } from '../tensor/wasm/index.js';
import { Activation } from './activation-layer.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import type { Layer, LayerEnv } from './layer.js';
import { Maxout } from './maxout.js';
import { Network } from './network.js';

/** The format tag of version 1. */
export const MODEL_FORMAT = 'gradscope-model/1';

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const size = z.number().int().positive();

const denseSchema = z.strictObject({
  type: z.literal('dense'),
  in: size,
  out: size,
  weight: z.array(z.array(finite)),
  bias: z.array(finite),
});
const maxoutSchema = z.strictObject({
  type: z.literal('maxout'),
  in: size,
  out: size,
  pieces: size,
  weight: z.array(z.array(finite)),
  bias: z.array(finite),
});
const activationSchema = z.strictObject({
  type: z.literal('activation'),
  name: z.string(),
  params: z.record(z.string(), finite).optional(),
});
const dropoutSchema = z.strictObject({ type: z.literal('dropout'), p: z.number().min(0).lt(1) });

const layerSchema = z.discriminatedUnion('type', [denseSchema, maxoutSchema, activationSchema, dropoutSchema]);

/** The JSON schema of a model file (zod). */
export const modelSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  layers: z.array(layerSchema).min(1),
});

/** A parsed model file. */
export type ModelJson = z.infer<typeof modelSchema>;
/** One layer entry of a model file. */
export type LayerJson = ModelJson['layers'][number];

export { InputError };

/** Formats a zod path as `layers[1].weight[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s || '(top level)';
}

/** Shortens a value for an error message. */
export function show(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = Array.isArray(v) ? '[…]' : typeof v === 'object' ? '{…}' : String(v); // too deep to print
  }
  if (s === undefined) return String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Validates parsed JSON as a model file; throws InputError naming `file`, the field and the value. */
export function validateModel(json: unknown, file: string): ModelJson {
  const r = modelSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = formatPath(issue.path);
    const got = valueAt(json, issue.path);
    throw new InputError(`${file}: ${where}: ${issue.message}${got === undefined ? '' : ` (got ${show(got)})`}`);
  }
  const m = r.data;
  m.layers.forEach((l, i) => {
    const at = `${file}: layers[${i}]`;
    if (l.type === 'dense' || l.type === 'maxout') {
      const rows = l.type === 'dense' ? l.out : l.out * l.pieces;
      if (l.weight.length !== rows) throw new InputError(`${at}.weight has ${l.weight.length} rows, expected ${rows} (${l.type === 'dense' ? "'out'" : "'out' × 'pieces'"})`);
      l.weight.forEach((row, r) => {
        if (row.length !== l.in) throw new InputError(`${at}.weight[${r}] has ${row.length} numbers, expected ${l.in} ('in')`);
      });
      if (l.bias.length !== rows) throw new InputError(`${at}.bias has ${l.bias.length} numbers, expected ${rows}`);
    } else if (l.type === 'activation') {
      let def;
      try {
        def = getActivation(l.name);
      } catch (e) {
        throw new InputError(`${at}.name: ${(e as Error).message}`);
      }
      if (def.kind === 'layer') throw new InputError(`${at}.name: '${l.name}' is a layer type of its own; write {"type":"maxout",...}`);
      try {
        resolveParams(def, l.params ?? {});
      } catch (e) {
        throw new InputError(`${at}.params: ${(e as Error).message}`);
      }
    }
  });
  // widths must chain: the first sized layer fixes the input width
  let width: number | null = null;
  m.layers.forEach((l, i) => {
    if (width === null && l.type !== 'dense' && l.type !== 'maxout') {
      throw new InputError(`${file}: layers[${i}].type: the first layer must be dense or maxout (it fixes the input width); got '${l.type}'`);
    }
    if (l.type === 'dense' || l.type === 'maxout') {
      if (width !== null && l.in !== width) throw new InputError(`${file}: layers[${i}].in is ${l.in} but the previous layer gives ${width} values`);
      width = l.out;
    }
  });
  if (width === null) throw new InputError(`${file}: layers: needs at least one dense or maxout layer to fix the input width`);
  return m;
}

/** Builds a Network from a validated model file. */
export function networkFromModel(m: ModelJson, dtype: DType, kernels: Kernels = fastKernels()): Network {
  const env: LayerEnv = { dtype, kernels };
  const layers: Layer[] = [];
  let width = 0;
  for (const l of m.layers) {
    if (l.type === 'dense' || l.type === 'maxout') {
      const layer = l.type === 'dense' ? new Dense(l.in, l.out, env) : new Maxout(l.in, l.out, l.pieces, env);
      const I = l.in;
      l.weight.forEach((row, r) => row.forEach((v, c) => (layer.weight[r * I + c] = v)));
      l.bias.forEach((v, r) => (layer.bias[r] = v));
      layers.push(layer);
      width = l.out;
    } else if (l.type === 'activation') {
      const def = getActivation(l.name);
      if (width === 0) throw new InputError(`model: the first layer must be dense or maxout (got activation '${l.name}')`);
      layers.push(new Activation(def, width, resolveParams(def, l.params ?? {}), env));
    } else {
      if (width === 0) throw new InputError('model: the first layer must be dense or maxout (got dropout)');
      layers.push(new Dropout(width, l.p, dtype));
    }
  }
  return new Network(layers, dtype, kernels);
}

function rowsOf(W: ArrayLike<number>, R: number, C: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < R; r++) out.push(Array.from({ length: C }, (_, c) => W[r * C + c]));
  return out;
}

/** Serialises a Network to a `gradscope-model/1` document. */
export function modelToJson(net: Network): ModelJson {
  const layers: LayerJson[] = net.layers.map((l): LayerJson => {
    if (l instanceof Dense) return { type: 'dense', in: l.inSize, out: l.outSize, weight: rowsOf(l.weight, l.outSize, l.inSize), bias: Array.from(l.bias) };
    if (l instanceof Maxout)
      return { type: 'maxout', in: l.inSize, out: l.outSize, pieces: l.pieces, weight: rowsOf(l.weight, l.outSize * l.pieces, l.inSize), bias: Array.from(l.bias) };
    if (l instanceof Activation) {
      const params = l.paramRecord();
      return Object.keys(params).length ? { type: 'activation', name: l.name, params } : { type: 'activation', name: l.name };
    }
    if (l instanceof Dropout) return { type: 'dropout', p: l.p };
    throw new Error(`model: cannot save a layer of type '${l.type}'`);
  });
  return { format: MODEL_FORMAT, layers };
}
