/**
 * A parser for the IDX format of LeCun's MNIST files (and of EMNIST,
 * Fashion-MNIST, KMNIST): a 4-byte magic number 0x00 0x00 TYPE NDIM, NDIM
 * big-endian uint32 dimensions, then the values in row-major order,
 * big-endian. Every malformed input throws one sentence naming the file, the
 * field and the value. Pure: it works on bytes; node.ts reads the files.
 */
import { inputError } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import { makeDataset } from './batch.js';
import type { Dataset } from './types.js';

/** The typed arrays an IDX file can decode to. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX file: its dimensions, its values (row-major) and the file name used in errors. */
export interface IdxArray {
  /** Sizes, outermost first (e.g. [60000, 28, 28]). */
  readonly dims: number[];
  /** The values, product(dims) of them. */
  readonly data: IdxData;
  /** The file the bytes came from, for error messages. */
  readonly file: string;
}

/** IDX type codes: name and bytes per value. */
const IDX_TYPES: Readonly<Record<number, { readonly name: string; readonly size: number }>> = {
  0x08: { name: 'unsigned byte', size: 1 },
  0x09: { name: 'signed byte', size: 1 },
  0x0b: { name: 'short', size: 2 },
  0x0c: { name: 'int', size: 4 },
  0x0d: { name: 'float', size: 4 },
  0x0e: { name: 'double', size: 8 },
};

/** Formats n as 0x followed by 8 hex digits. */
function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** Formats a byte as 0x followed by 2 hex digits. */
function hex8(n: number): string {
  return '0x' + n.toString(16).padStart(2, '0');
}

/** Decodes the bytes of one IDX file; `file` names it in every error. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) {
    throw inputError([file], msg('err.idx.short', { n: String(bytes.length) }));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint = bytes[0] === 0x1f && bytes[1] === 0x8b ? msg('err.idx.gzipped') : '';
    throw inputError([file], msg('err.idx.magic', { magic: hex32(magic), form: '0x0000TTNN', example: '0x00000803', hint }));
  }
  const typeCode = bytes[2];
  const type = IDX_TYPES[typeCode];
  if (type === undefined) {
    throw inputError([file], msg('err.idx.type', { code: hex8(typeCode), magic: hex32(magic), types: '0x08 ubyte, 0x09 sbyte, 0x0b short, 0x0c int, 0x0d float', last: '0x0e double' }));
  }
  const ndim = bytes[3];
  if (ndim === 0) {
    throw inputError([file], msg('err.idx.ndim0', { magic: hex32(magic) }));
  }
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw inputError([file], msg('err.idx.header', { ndim: String(ndim), need: String(headerBytes), n: String(bytes.length) }));
  }
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    dims.push(size);
    count *= size;
  }
  const shape = dims.join('×');
  const needed = count * type.size;
  const have = bytes.length - headerBytes;
  const what = type.size === 1 ? msg('err.idx.bytes', { shape, count: String(count) }) : msg('err.idx.values', { shape, count: String(count), type: type.name, size: String(type.size), needed: String(needed) });
  if (have < needed) throw inputError([file], msg('err.idx.truncated', { what, have: String(have) }));
  if (have > needed) {
    const extra = have - needed;
    throw inputError([file], msg(extra === 1 ? 'err.idx.trailing1' : 'err.idx.trailing', { n: String(extra), what, have: String(have) }));
  }
  return { dims, data: decode(bytes, view, headerBytes, count, typeCode), file };
}

/** Reads `count` big-endian values of IDX type `typeCode` starting at byte `offset` (view spans bytes). */
function decode(bytes: Uint8Array, view: DataView, offset: number, count: number, typeCode: number): IdxData {
  switch (typeCode) {
    case 0x08:
      return bytes.slice(offset, offset + count);
    case 0x09:
      return new Int8Array(bytes.slice(offset, offset + count).buffer);
    case 0x0b: {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 0x0c: {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 0x0d: {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/**
 * Pairs an images file (n × H × W, or n × features) with a labels file (n) into
 * a Dataset with pixels in [0, 1]: unsigned bytes are divided by 255, other
 * types must already lie in [0, 1] or in [0, 255]. `classes` defaults to the
 * largest label + 1.
 */
export function imagesAndLabelsToDataset(images: IdxArray, labels: IdxArray, name: string, classes?: number): Dataset {
  if (images.dims.length < 2) {
    throw inputError([images.file], msg('err.idx.imageDims', { n: String(images.dims.length), dims: images.dims.join('×') }));
  }
  if (labels.dims.length !== 1 && !(labels.dims.length === 2 && labels.dims[1] === 1)) {
    throw inputError([labels.file], msg('err.idx.labelDims', { dims: labels.dims.join('×') }));
  }
  const n = images.dims[0];
  if (labels.dims[0] !== n) {
    throw inputError([labels.file], msg('err.idx.count', { labels: String(labels.dims[0]), images: images.file, n: String(n) }));
  }
  const inputSize = images.dims.slice(1).reduce((a, b) => a * b, 1);
  if (inputSize === 0) throw inputError([images.file], msg('err.idx.noFeatures', { dims: images.dims.join('×') }));

  // labels: integers in [0, 255], below `classes`
  const y = new Uint8Array(n);
  let maxLabel = 0;
  for (let i = 0; i < n; i++) {
    const v = labels.data[i];
    if (!Number.isInteger(v) || v < 0 || v > 255) {
      throw inputError([labels.file], msg('err.idx.label', { i: String(i), v: String(v) }));
    }
    y[i] = v;
    if (v > maxLabel) maxLabel = v;
  }
  const K = classes ?? maxLabel + 1;
  if (!Number.isInteger(K) || K < 1 || K > 256) {
    throw new RangeError(`imagesAndLabelsToDataset(${name}): classes must be an integer in 1..256; got ${classes}`);
  }
  for (let i = 0; i < n; i++) {
    if (y[i] >= K) throw inputError([labels.file], msg('err.idx.labelClasses', { i: String(i), v: String(y[i]), k: String(K) }));
  }

  // pixels → [0, 1]
  const src = images.data;
  const x = new Float32Array(src.length);
  if (src instanceof Uint8Array) {
    for (let i = 0; i < src.length; i++) x[i] = src[i] / 255;
  } else {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (!Number.isFinite(v)) throw inputError([images.file], msg('err.idx.pixel', { i: String(i), v: String(v) }));
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo < 0 || hi > 255) {
      throw inputError([images.file], msg('err.idx.pixelRange', { lo: String(lo), hi: String(hi) }));
    }
    const scale = hi > 1 ? 1 / 255 : 1;
    for (let i = 0; i < src.length; i++) x[i] = src[i] * scale;
  }
  const imageShape: [number, number] | undefined =
    images.dims.length === 3 ? [images.dims[1], images.dims[2]] : undefined;
  return makeDataset({ name, inputSize, classes: K, x, labels: y, imageShape });
}
