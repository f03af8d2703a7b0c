/**
 * Tests of the Dataset building blocks: fillBatch (exact rows, one-hot
 * targets, both dtypes, no stale values), subset, takeFirst, the stratified
 * split on a small set, and the checks of makeDataset.
 */
import { describe, expect, it } from 'vitest';
import { classCounts, fillBatch, makeDataset, splitIndices, splitTrainTest, subset, takeFirst } from './index.js';

// 6 examples × 3 features, 4 classes; row i holds [10i, 10i+1, 10i+2].
const ds = makeDataset({
  name: 'toy',
  inputSize: 3,
  classes: 4,
  x: Float32Array.from({ length: 18 }, (_, k) => 10 * Math.floor(k / 3) + (k % 3)),
  labels: Uint8Array.from([2, 0, 3, 1, 2, 0]),
});

describe('fillBatch', () => {
  for (const Ctor of [Float32Array, Float64Array]) {
    it(`copies the exact rows of order[start..start+B) and one-hot targets into ${Ctor.name}`, () => {
      const B = 3;
      const xOut = new Ctor(B * 3).fill(NaN);
      const yOut = new Ctor(B * 4).fill(7); // stale values must all be overwritten
      const order = [5, 4, 0, 2, 1, 3];
      fillBatch(xOut, yOut, ds, order, 1, B);
      expect(Array.from(xOut)).toEqual([40, 41, 42, 0, 1, 2, 20, 21, 22]);
      expect(Array.from(yOut)).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1]); // labels 2, 2, 3
    });
  }

  it('accepts typed-array orders and longer buffers, leaving the tail alone', () => {
    const xOut = new Float64Array(12).fill(-1);
    const yOut = new Float64Array(16).fill(-1);
    fillBatch(xOut, yOut, ds, Int32Array.from([3, 1]), 0, 2);
    expect(Array.from(xOut.subarray(0, 6))).toEqual([30, 31, 32, 10, 11, 12]);
    expect(Array.from(xOut.subarray(6))).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(Array.from(yOut.subarray(0, 8))).toEqual([0, 1, 0, 0, 1, 0, 0, 0]);
  });

  it('gives each target row exactly one 1, at the label', () => {
    const order = [0, 1, 2, 3, 4, 5];
    const xOut = new Float32Array(18);
    const yOut = new Float32Array(24);
    fillBatch(xOut, yOut, ds, order, 0, 6);
    for (let b = 0; b < 6; b++) {
      const row = Array.from(yOut.subarray(4 * b, 4 * b + 4));
      expect(row.reduce((s, v) => s + v, 0)).toBe(1);
      expect(row.indexOf(1)).toBe(ds.labels[b]);
    }
  });

  it('rejects short buffers, a batch past the end of order and indices outside the set', () => {
    const x = new Float32Array(6);
    const y = new Float32Array(8);
    expect(() => fillBatch(new Float32Array(5), y, ds, [0, 1], 0, 2)).toThrow(
      'fillBatch: xOut has 5 elements, needs B × inputSize = 2 × 3 = 6',
    );
    expect(() => fillBatch(x, new Float32Array(7), ds, [0, 1], 0, 2)).toThrow(
      'fillBatch: yOut has 7 elements, needs B × classes = 2 × 4 = 8',
    );
    expect(() => fillBatch(x, y, ds, [0, 1, 2], 2, 2)).toThrow('fillBatch: start = 2 with B = 2 runs past the end of order (length 3)');
    expect(() => fillBatch(x, y, ds, [0, 6], 0, 2)).toThrow('fillBatch: order[1] = 6 is not an example index of toy (n = 6)');
  });
});

describe('subset and takeFirst', () => {
  it('subset copies the chosen rows in the given order', () => {
    const s = subset(ds, [4, 1], 'pair');
    expect(s).toMatchObject({ name: 'pair', n: 2, inputSize: 3, classes: 4 });
    expect(Array.from(s.x)).toEqual([40, 41, 42, 10, 11, 12]);
    expect(Array.from(s.labels)).toEqual([2, 0]);
    expect(subset(ds, [0]).name).toBe('toy');
    s.x[0] = -5;
    expect(ds.x[12]).toBe(40); // a copy, not a view
    expect(() => subset(ds, [0, -1])).toThrow('subset: indices[1] = -1 is not an example index of toy (n = 6)');
  });

  it('takeFirst keeps the first n examples and the name', () => {
    const t = takeFirst(ds, 2);
    expect(t).toMatchObject({ name: 'toy', n: 2 });
    expect(Array.from(t.x)).toEqual([0, 1, 2, 10, 11, 12]);
    expect(takeFirst(ds, 6)).toBe(ds);
    expect(() => takeFirst(ds, 7)).toThrow('takeFirst: n must be an integer in 0..6 (the size of toy); got 7');
  });
});

describe('splitTrainTest', () => {
  const many = makeDataset({
    name: 'many',
    inputSize: 1,
    classes: 3,
    x: Float32Array.from({ length: 90 }, (_, i) => i),
    labels: Uint8Array.from({ length: 90 }, (_, i) => (i < 60 ? i % 2 : 2)),
  });

  it('is stratified, disjoint, covering and keeps the original order', () => {
    const { train, test } = splitTrainTest(many, 0.25, 5);
    expect(Array.from(classCounts(test))).toEqual([8, 8, 8]); // round(30 × 0.25) = 8 each
    expect(train.n + test.n).toBe(90);
    const all = [...train.x, ...test.x].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 90 }, (_, i) => i));
    for (const part of [train, test]) for (let i = 1; i < part.n; i++) expect(part.x[i]).toBeGreaterThan(part.x[i - 1]);
  });

  it('is deterministic by seed and differs across seeds', () => {
    expect(Array.from(splitIndices(many, 0.3, 1).test)).toEqual(Array.from(splitIndices(many, 0.3, 1).test));
    expect(Array.from(splitIndices(many, 0.3, 1).test)).not.toEqual(Array.from(splitIndices(many, 0.3, 2).test));
  });

  it('rejects a fraction outside [0, 1]', () => {
    expect(() => splitTrainTest(many, 1.5, 1)).toThrow('splitTrainTest: testFraction must be in [0, 1]; got 1.5');
    expect(splitTrainTest(many, 0, 1).test.n).toBe(0);
  });
});

describe('makeDataset', () => {
  it('checks sizes, labels and image shape', () => {
    const x = new Float32Array(4);
    expect(() => makeDataset({ name: 'a', inputSize: 3, classes: 2, x, labels: new Uint8Array(2) })).toThrow(
      'makeDataset(a): x has 4 values but n × inputSize = 2 × 3 = 6',
    );
    expect(() => makeDataset({ name: 'b', inputSize: 2, classes: 2, x, labels: Uint8Array.from([0, 2]) })).toThrow(
      'makeDataset(b): label 2 of example 1 is not below classes = 2',
    );
    expect(() =>
      makeDataset({ name: 'c', inputSize: 2, classes: 2, x, labels: new Uint8Array(2), imageShape: [2, 2] }),
    ).toThrow('makeDataset(c): imageShape 2×2 does not match inputSize 2');
  });
});
