/**
 * Tests of the IDX parser and the MNIST directory loader on small IDX files
 * the test writes itself (plain and gzipped), including every malformed case
 * and the sentence each one throws.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { imagesAndLabelsToDataset, parseIdx } from './index.js';
import { findIdxFile, loadDataset, loadIdxDir, loadIdxSplit } from './node.js';

/** Type codes and big-endian writers of the IDX format, written independently of the parser. */
const WRITERS: Record<number, [number, (v: DataView, o: number, x: number) => void]> = {
  0x08: [1, (v, o, x) => v.setUint8(o, x)],
  0x09: [1, (v, o, x) => v.setInt8(o, x)],
  0x0b: [2, (v, o, x) => v.setInt16(o, x, false)],
  0x0c: [4, (v, o, x) => v.setInt32(o, x, false)],
  0x0d: [4, (v, o, x) => v.setFloat32(o, x, false)],
  0x0e: [8, (v, o, x) => v.setFloat64(o, x, false)],
};

/** The bytes of an IDX file of type `type` with dimensions `dims` holding `values`. */
function idx(type: number, dims: number[], values: ArrayLike<number>): Uint8Array {
  const [size, write] = WRITERS[type];
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + size * values.length);
  const v = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = dims.length;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < values.length; i++) write(v, header + size * i, values[i]);
  return bytes;
}

// Three 2×3 "images" and their labels.
const PIXELS = [0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 255, 1, 2, 3, 4, 5, 6];
const LABELS = [7, 0, 9];
const TEST_PIXELS = [10, 20, 30, 40, 50, 60];
const TEST_LABELS = [3];

const root = mkdtempSync(join(tmpdir(), 'gradscope-idx-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh directory under the temp root holding `files` (name → bytes). */
function dirWith(name: string, files: Record<string, Uint8Array>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, file), bytes);
  return dir;
}

/** The four standard files, gzipped or not. */
function mnistFiles(gz: boolean): Record<string, Uint8Array> {
  const f = (b: Uint8Array): Uint8Array => (gz ? gzipSync(b) : b);
  const ext = gz ? '.gz' : '';
  return {
    [`train-images-idx3-ubyte${ext}`]: f(idx(0x08, [3, 2, 3], PIXELS)),
    [`train-labels-idx1-ubyte${ext}`]: f(idx(0x08, [3], LABELS)),
    [`t10k-images-idx3-ubyte${ext}`]: f(idx(0x08, [1, 2, 3], TEST_PIXELS)),
    [`t10k-labels-idx1-ubyte${ext}`]: f(idx(0x08, [1], TEST_LABELS)),
  };
}

describe('parseIdx', () => {
  it('decodes unsigned bytes with their dimensions', () => {
    const a = parseIdx(idx(0x08, [3, 2, 3], PIXELS), 'imgs');
    expect(a.dims).toEqual([3, 2, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data)).toEqual(PIXELS);
    expect(a.file).toBe('imgs');
  });

  it('decodes signed bytes, shorts, ints, floats and doubles, big-endian', () => {
    const cases: [number, ArrayLike<number>, new (n: number) => ArrayLike<number>][] = [
      [0x09, [-128, -1, 0, 127], Int8Array],
      [0x0b, [-32768, -2, 258, 32767], Int16Array],
      [0x0c, [-2147483648, -3, 65536 + 7, 2147483647], Int32Array],
      [0x0d, [0.5, -1.25, 3e-39, 1e30], Float32Array],
      [0x0e, [Math.PI, -1e-300, 1e300, 0], Float64Array],
    ];
    for (const [type, values, Ctor] of cases) {
      const a = parseIdx(idx(type, [2, 2], values), `t${type}`);
      expect(a.dims).toEqual([2, 2]);
      expect(a.data).toBeInstanceOf(Ctor);
      expect(Array.from(a.data)).toEqual(Array.from(Ctor === Float32Array ? Float32Array.from(values) : values));
    }
  });

  it('decodes bytes that sit at an odd offset inside a larger buffer', () => {
    const file = idx(0x0b, [3], [1, -2, 300]);
    const big = new Uint8Array(file.length + 1);
    big.set(file, 1);
    expect(Array.from(parseIdx(big.subarray(1), 'odd').data)).toEqual([1, -2, 300]);
  });

  it('rejects a bad magic number, naming the file and the value', () => {
    const bytes = idx(0x08, [1], [0]);
    bytes[0] = 0x12;
    expect(() => parseIdx(bytes, 'train-images-idx3-ubyte')).toThrow(
      'train-images-idx3-ubyte: bad magic number 0x12000801 (expected 0x0000TTNN for an IDX file',
    );
    expect(() => parseIdx(gzipSync(idx(0x08, [1], [0])), 'x.gz')).toThrow(/x\.gz: bad magic number 0x1f8b.*looks gzipped/);
  });

  it('rejects an unknown type code and a dimension count of 0', () => {
    const bytes = idx(0x08, [1], [0]);
    bytes[2] = 0x0a;
    expect(() => parseIdx(bytes, 'f')).toThrow('f: unknown data type 0x0a in magic number 0x00000a01');
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0]), 'g')).toThrow(
      'g: dimension count 0 in magic number 0x00000800 (expected at least 1)',
    );
  });

  it('rejects a truncated header, naming the sizes', () => {
    expect(() => parseIdx(new Uint8Array([0, 0]), 'tiny')).toThrow(
      'tiny: truncated header: the file has 2 bytes, fewer than the 4 of an IDX magic number',
    );
    const cut = idx(0x08, [60000, 28, 28], []).subarray(0, 10);
    expect(() => parseIdx(cut, 'train-images-idx3-ubyte')).toThrow(
      'train-images-idx3-ubyte: truncated header: 3 dimensions need 16 header bytes, the file has 10',
    );
  });

  it('rejects truncated data, naming the expected and actual sizes', () => {
    const bytes = idx(0x08, [60000, 28, 28], new Uint8Array(1000));
    expect(() => parseIdx(bytes, 'train-images-idx3-ubyte')).toThrow(
      'train-images-idx3-ubyte: truncated: header says 60000×28×28 = 47040000 bytes of data, file has 1000',
    );
    const floats = idx(0x0d, [10, 3], new Float32Array(29));
    expect(() => parseIdx(floats, 'f.idx')).toThrow(
      'f.idx: truncated: header says 10×3 = 30 float values × 4 bytes = 120 bytes of data, file has 116',
    );
  });

  it('rejects trailing bytes after the data', () => {
    const bytes = idx(0x08, [2], [1, 2, 3]);
    expect(() => parseIdx(bytes, 'labels')).toThrow('labels: 1 trailing byte: header says 2 = 2 bytes of data, file has 3');
  });
});

describe('imagesAndLabelsToDataset', () => {
  const images = parseIdx(idx(0x08, [3, 2, 3], PIXELS), 'imgs');
  const labels = parseIdx(idx(0x08, [3], LABELS), 'lbls');

  it('scales unsigned bytes to [0, 1] and keeps the image shape', () => {
    const ds = imagesAndLabelsToDataset(images, labels, 'mine', 10);
    expect(ds).toMatchObject({ name: 'mine', n: 3, inputSize: 6, classes: 10, imageShape: [2, 3] });
    expect(Array.from(ds.x)).toEqual(Array.from(Float32Array.from(PIXELS, (v) => v / 255)));
    expect(Array.from(ds.labels)).toEqual(LABELS);
    expect(imagesAndLabelsToDataset(images, labels, 'auto').classes).toBe(10); // largest label + 1
  });

  it('keeps float pixels already in [0, 1] and scales float pixels in [0, 255]', () => {
    const unit = parseIdx(idx(0x0d, [1, 4], [0, 0.25, 0.5, 1]), 'u');
    const bytes = parseIdx(idx(0x0e, [1, 4], [0, 51, 102, 255]), 'b');
    const one = parseIdx(idx(0x08, [1], [1]), 'l');
    expect(Array.from(imagesAndLabelsToDataset(unit, one, 'u').x)).toEqual([0, 0.25, 0.5, 1]);
    expect(Array.from(imagesAndLabelsToDataset(bytes, one, 'b').x)).toEqual(Array.from(Float32Array.from([0, 0.2, 0.4, 1])));
    const neg = parseIdx(idx(0x0d, [1, 2], [-1, 3]), 'neg.idx');
    expect(() => imagesAndLabelsToDataset(neg, one, 'n')).toThrow('neg.idx: pixel values range over [-1, 3]');
  });

  it('rejects a label count that differs from the image count, naming both files', () => {
    const two = parseIdx(idx(0x08, [2], [1, 2]), 't10k-labels-idx1-ubyte');
    const imgs = parseIdx(idx(0x08, [3, 2, 3], PIXELS), 't10k-images-idx3-ubyte');
    expect(() => imagesAndLabelsToDataset(imgs, two, 'x')).toThrow(
      't10k-labels-idx1-ubyte: 2 labels but t10k-images-idx3-ubyte has 3 images',
    );
  });

  it('rejects a label not below the number of classes', () => {
    expect(() => imagesAndLabelsToDataset(images, labels, 'x', 8)).toThrow('lbls: label 2 is 9, not below the 8 classes');
    const neg = parseIdx(idx(0x09, [3], [0, -4, 1]), 'neg-labels');
    expect(() => imagesAndLabelsToDataset(images, neg, 'x')).toThrow('neg-labels: label 1 is -4; labels must be integers in 0..255');
  });

  it('rejects images with one dimension and labels with two', () => {
    const flat = parseIdx(idx(0x08, [3], [1, 2, 3]), 'flat');
    expect(() => imagesAndLabelsToDataset(flat, labels, 'x')).toThrow('flat: images need at least 2 dimensions');
    const grid = parseIdx(idx(0x08, [3, 2], [1, 2, 3, 4, 5, 6]), 'grid');
    expect(() => imagesAndLabelsToDataset(images, grid, 'x')).toThrow('grid: labels need 1 dimension (count), the header has 3×2');
  });
});

describe('loading an MNIST directory', () => {
  for (const gz of [false, true]) {
    it(`round-trips the four standard files ${gz ? 'gzipped' : 'plain'}`, () => {
      const dir = dirWith(gz ? 'gz' : 'plain', mnistFiles(gz));
      const { train, test } = loadIdxSplit(dir);
      expect(train).toMatchObject({ name: `mnist:${dir}`, n: 3, inputSize: 6, classes: 10, imageShape: [2, 3] });
      expect(Array.from(train.x)).toEqual(Array.from(Float32Array.from(PIXELS, (v) => v / 255)));
      expect(Array.from(train.labels)).toEqual(LABELS);
      expect(test).toMatchObject({ name: `mnist:${dir} (test)`, n: 1, classes: 10 });
      expect(Array.from(test.labels)).toEqual(TEST_LABELS);
      expect(Array.from(loadIdxDir(dir).labels)).toEqual(LABELS);
      expect(Array.from(loadDataset(`mnist:${dir}`, { seed: 1 }).labels)).toEqual(LABELS);
      expect(loadDataset(`mnist:${dir}`, { seed: 1, n: 2 }).n).toBe(2);
    });
  }

  it('accepts the dotted file names some mirrors use', () => {
    const files = mnistFiles(false);
    const dir = dirWith('dotted', {
      'train-images.idx3-ubyte': files['train-images-idx3-ubyte'],
      'train-labels.idx1-ubyte': files['train-labels-idx1-ubyte'],
    });
    expect(loadIdxDir(dir).n).toBe(3);
    expect(findIdxFile(dir, 'train-images-idx3-ubyte')).toBe(join(dir, 'train-images.idx3-ubyte'));
  });

  it('gunzips a gzipped file even without the .gz suffix', () => {
    const files = mnistFiles(false);
    const dir = dirWith('gz-no-suffix', {
      'train-images-idx3-ubyte': gzipSync(files['train-images-idx3-ubyte']),
      'train-labels-idx1-ubyte': files['train-labels-idx1-ubyte'],
    });
    expect(loadIdxDir(dir).n).toBe(3);
  });

  it('names a missing directory, a path that is a file, and a missing file', () => {
    const missing = join(root, 'nowhere');
    expect(() => loadIdxDir(missing)).toThrow(`MNIST directory '${missing}' does not exist`);
    expect(() => loadDataset(`mnist:${missing}`, { seed: 1 })).toThrow(`MNIST directory '${missing}' does not exist`);
    const files = mnistFiles(false);
    const dir = dirWith('no-test', {
      'train-images-idx3-ubyte': files['train-images-idx3-ubyte'],
      'train-labels-idx1-ubyte': files['train-labels-idx1-ubyte'],
    });
    expect(() => loadIdxDir(join(dir, 'train-images-idx3-ubyte'))).toThrow('is not a directory');
    expect(loadIdxDir(dir).n).toBe(3); // the training files suffice for mnist:DIR
    expect(() => loadIdxSplit(dir)).toThrow(
      `MNIST directory '${dir}' has no t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz`,
    );
  });

  it('reports malformed files by their full path', () => {
    const files = mnistFiles(false);
    const dir = dirWith('broken', {
      'train-images-idx3-ubyte': files['train-images-idx3-ubyte'].subarray(0, 20),
      'train-labels-idx1-ubyte.gz': gzipSync(idx(0x08, [2], [1, 2])),
    });
    const imgs = join(dir, 'train-images-idx3-ubyte');
    expect(() => loadIdxDir(dir)).toThrow(`${imgs}: truncated: header says 3×2×3 = 18 bytes of data, file has 4`);
    writeFileSync(imgs, files['train-images-idx3-ubyte']);
    expect(() => loadIdxDir(dir)).toThrow(`${join(dir, 'train-labels-idx1-ubyte.gz')}: 2 labels but ${imgs} has 3 images`);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), new Uint8Array([1, 2, 3]));
    expect(() => loadIdxDir(dir)).toThrow(`${join(dir, 'train-labels-idx1-ubyte.gz')}: cannot gunzip`);
  });
});
