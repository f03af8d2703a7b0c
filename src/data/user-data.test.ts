// The user's CSV and .npy data: labels by name or index, string labels, and one sentence naming
// the file, row and column (or the arrays) for what cannot be read.
import { describe, expect, it } from 'vitest';
import { dump } from 'npyjs';
import { datasetFromCsv, datasetFromNpy } from './user-data.js';

const npy = (a: Float32Array | BigInt64Array, shape: number[]): Uint8Array => new Uint8Array(dump(a, shape));

describe('CSV data', () => {
  const text = 'a,b,kind\n1,2,cat\n3,4.5,dog\n-1,0,cat\n';
  it('reads features and maps string labels to sorted class indices', () => {
    const d = datasetFromCsv(text, 'x.csv', 'kind');
    expect(d.n).toBe(3);
    expect(Array.from(d.x)).toEqual([1, 2, 3, 4.5, -1, 0]);
    expect(Array.from(d.labels)).toEqual([0, 1, 0]);
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(datasetFromCsv('f,label\n0.5,2\n1,0\n', 'y.csv').classes).toBe(3);
  });
  it('names the row and column of a cell that is not a number, and a missing label column', () => {
    expect(() => datasetFromCsv('a,b\n1,x\n', 'x.csv', 'a')).toThrow("x.csv: row 2, column 'b': \"x\" is not a finite number");
    expect(() => datasetFromCsv(text, 'x.csv', 'species')).toThrow("x.csv: no label column 'species' (the columns are 'a', 'b', 'kind'");
    expect(() => datasetFromCsv('a,b\n', 'x.csv')).toThrow('x.csv: needs a header row and at least one row of data');
  });
});

describe('.npy data', () => {
  it('flattens inputs per example and reads class indices or one-hot rows', () => {
    const x = npy(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2]);
    const d = datasetFromNpy(x, 'x.npy', npy(BigInt64Array.from([1n, 0n]), [2]), 'y.npy');
    expect([d.n, d.inputSize, d.classes]).toEqual([2, 4, 2]);
    const oneHot = datasetFromNpy(x, 'x.npy', npy(Float32Array.from([0, 0, 1, 0, 1, 0]), [2, 3]), 'y.npy');
    expect(Array.from(oneHot.labels)).toEqual([2, 1]);
  });
  it('refuses labels that do not match the examples', () => {
    const x = npy(Float32Array.from([1, 2, 3, 4]), [2, 2]);
    expect(() => datasetFromNpy(x, 'x.npy', npy(BigInt64Array.from([1n, 0n, 1n]), [3]), 'y.npy')).toThrow('y.npy: has 3 labels but x.npy has 2 examples');
    expect(() => datasetFromNpy(new Uint8Array([1, 2, 3]), 'x.npy', x, 'y.npy')).toThrow(/x\.npy: not a NumPy \.npy file/);
  });
});
