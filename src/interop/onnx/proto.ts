/**
 * ONNX files through protobufjs and ONNX's published schema: decoding a
 * ModelProto into plain objects (int64 as numbers, bytes as Uint8Array),
 * encoding one back, and reading a TensorProto's numbers whatever field
 * holds them (raw_data little-endian, float_data, double_data, int64_data,
 * int32_data). Pure.
 */
import { msg as message } from '../../i18n/catalogue.js';
import protobuf from 'protobufjs';
import { inputError, type Part } from '../../errors.js';
import { ONNX_SCHEMA } from '../proto/schemas.js';

/** ONNX TensorProto.DataType codes gradscope reads and writes. */
export const ONNX_DTYPE = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType codes. */
export const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** A decoded TensorProto (only the fields gradscope uses). */
export interface TensorProto {
  name?: string;
  dims?: number[];
  data_type?: number;
  float_data?: number[];
  double_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  raw_data?: Uint8Array;
  data_location?: number;
}

/** A decoded AttributeProto. */
export interface AttributeProto {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  g?: unknown;
}

/** A decoded NodeProto. */
export interface NodeProto {
  name?: string;
  op_type: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: AttributeProto[];
}

/** A tensor type's shape: dim_value or a symbolic dim_param per axis. */
export interface ValueInfoProto {
  name: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}

/** A decoded GraphProto. */
export interface GraphProto {
  name?: string;
  node?: NodeProto[];
  initializer?: TensorProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
}

/** A decoded ModelProto. */
export interface ModelProto {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  opset_import?: { domain?: string; version?: number }[];
  graph?: GraphProto;
}

let modelType: protobuf.Type | null = null;

/** The protobufjs type of onnx.ModelProto (built once). */
function modelProtoType(): protobuf.Type {
  if (modelType === null) modelType = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  return modelType;
}

/** Decodes ONNX bytes; throws an InputError naming `file` when they are not a ModelProto. */
export function decodeModel(bytes: Uint8Array, file: string): ModelProto {
  const T = modelProtoType();
  let msg: protobuf.Message;
  try {
    msg = T.decode(bytes);
  } catch (e) {
    // the decoder's own words stay as it wrote them (English)
    throw inputError([file], message('err.onnx.notOnnx', { decoder: 'protobuf', why: (e as Error).message }));
  }
  return T.toObject(msg, { longs: Number, bytes: Uint8Array as unknown as typeof String, defaults: false, arrays: true }) as ModelProto;
}

/** Encodes a ModelProto; `verify` catches a field of the wrong type before it is written. */
export function encodeModel(m: ModelProto): Uint8Array {
  const T = modelProtoType();
  const err = T.verify(m);
  if (err) throw new Error(`onnx: cannot encode the model: ${err}`);
  return T.encode(T.fromObject(m)).finish();
}

/** The element count of `dims` (1 for a scalar). */
export function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** The numbers of a tensor as float64, in row-major order; throws an InputError at `where` (the file, then the node holding it) for a type or layout gradscope cannot read. */
export function tensorValues(t: TensorProto, where: readonly Part[]): Float64Array {
  const dims = t.dims ?? [];
  const n = numel(dims);
  const type = t.data_type ?? 0;
  const name = t.name ?? '';
  const refuse = (said: Parameters<typeof message>[0], vars: Record<string, string | readonly string[]>): never => {
    throw inputError(where, message(said, { name, ...vars }));
  };
  const types = ['float', 'double', 'int32', 'int64'];
  if (t.data_location === 1) refuse('err.onnx.tensor.external', { call: 'onnx.save(model, path, save_as_external_data=False)' });
  const out = new Float64Array(n);
  const raw = t.raw_data;
  if (raw !== undefined && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = type === ONNX_DTYPE.FLOAT || type === ONNX_DTYPE.INT32 ? 4 : type === ONNX_DTYPE.DOUBLE || type === ONNX_DTYPE.INT64 ? 8 : 0;
    if (size === 0) refuse('err.onnx.tensor.type', { type: String(type), types });
    if (raw.length !== n * size) refuse('err.onnx.tensor.bytes', { n: String(raw.length), dims: dims.join(', '), m: String(n * size) });
    for (let i = 0; i < n; i++) {
      const o = i * size;
      out[i] =
        type === ONNX_DTYPE.FLOAT ? view.getFloat32(o, true) : type === ONNX_DTYPE.DOUBLE ? view.getFloat64(o, true) : type === ONNX_DTYPE.INT32 ? view.getInt32(o, true) : Number(view.getBigInt64(o, true));
    }
    return out;
  }
  const list = type === ONNX_DTYPE.FLOAT ? t.float_data : type === ONNX_DTYPE.DOUBLE ? t.double_data : type === ONNX_DTYPE.INT64 ? t.int64_data : type === ONNX_DTYPE.INT32 ? t.int32_data : undefined;
  if (list === undefined && n > 0 && ![ONNX_DTYPE.FLOAT, ONNX_DTYPE.DOUBLE, ONNX_DTYPE.INT64, ONNX_DTYPE.INT32].includes(type as 1)) {
    refuse('err.onnx.tensor.type', { type: String(type), types });
  }
  const src = list ?? [];
  if (src.length !== n) refuse('err.onnx.tensor.count', { n: String(src.length), dims: dims.join(', '), m: String(n) });
  for (let i = 0; i < n; i++) out[i] = src[i];
  return out;
}
