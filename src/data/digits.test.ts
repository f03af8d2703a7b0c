/**
 * Tests of the embedded digits: counted independently from the mnist
 * package's JSON files, then checked for shape, range, balance, mixing and
 * the determinism of the stratified split.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classCounts, digitsFromRaw, splitIndices, splitTrainTest, subset, takeFirst } from './index.js';
import { loadDigits } from './node.js';

// Independent reference: read the package's files directly, without node.ts.
const pkgDir = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
const raw: number[][] = Array.from(
  { length: 10 },
  (_, d) => (JSON.parse(readFileSync(join(pkgDir, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data,
);
const rawCounts = raw.map((a) => a.length / 784);

/** Element-wise equality of two large arrays (vitest's deep equality is slow on millions of elements). */
function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('the mnist package files', () => {
  it('hold whole 28×28 images: 10,000 of them, 863 to 1,127 per digit', () => {
    for (const a of raw) expect(a.length % 784).toBe(0);
    expect(rawCounts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(rawCounts.reduce((a, b) => a + b, 0)).toBe(10_000);
  });
});

describe('loadDigits', () => {
  const ds = loadDigits();

  it('holds every image of the package, 784 features each, as 28×28 images of 10 classes', () => {
    expect(ds.name).toBe('digits');
    expect(ds.n).toBe(10_000);
    expect(ds.inputSize).toBe(784);
    expect(ds.classes).toBe(10);
    expect(ds.imageShape).toEqual([28, 28]);
    expect(ds.x.length).toBe(10_000 * 784);
    expect(Array.from(classCounts(ds))).toEqual(rawCounts);
  });

  it('has pixels in [0, 1] that are not all zero', () => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of ds.x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    expect(lo).toBe(0);
    expect(hi).toBe(1);
  });

  it('has labels 0..9 with roughly balanced counts (within 15 % of 1,000)', () => {
    for (const l of ds.labels) expect(l).toBeLessThan(10);
    for (const c of classCounts(ds)) {
      expect(c).toBeGreaterThan(850);
      expect(c).toBeLessThan(1150);
    }
  });

  it('mixes the classes: every prefix holds each digit in proportion to its count, to within one', () => {
    const seen = new Int32Array(10);
    for (let i = 0; i < ds.n; i++) {
      seen[ds.labels[i]]++;
      if ((i + 1) % 250 === 0) {
        for (let c = 0; c < 10; c++) expect(Math.abs(seen[c] - ((i + 1) * rawCounts[c]) / ds.n)).toBeLessThanOrEqual(1);
      }
    }
    const first = classCounts(takeFirst(ds, 1000));
    for (const c of first) expect(c).toBeGreaterThanOrEqual(85);
    // not grouped by class: the first ten examples are ten different digits
    expect(new Set(ds.labels.subarray(0, 10)).size).toBe(10);
  });

  it('keeps the package images intact and in their order within each class', () => {
    const occurrence = new Int32Array(10);
    for (let i = 0; i < ds.n; i++) {
      const c = ds.labels[i];
      const j = occurrence[c]++;
      if (j % 97 !== 0) continue; // spot-check about 100 images
      const want = Float32Array.from(raw[c].slice(j * 784, (j + 1) * 784));
      expect(ds.x.subarray(i * 784, (i + 1) * 784)).toEqual(want);
    }
  });

  it('is cached: a second call returns the same object', () => {
    expect(loadDigits()).toBe(ds);
  });

  it('splits deterministically for a seed, differently for another, disjoint and covering', () => {
    const a = splitIndices(ds, 0.2, 7);
    const b = splitIndices(ds, 0.2, 7);
    const c = splitIndices(ds, 0.2, 8);
    expect(same(a.test, b.test)).toBe(true);
    expect(same(a.train, b.train)).toBe(true);
    expect(same(a.test, c.test)).toBe(false);

    const mark = new Uint8Array(ds.n);
    for (const i of a.train) mark[i]++;
    for (const i of a.test) mark[i]++;
    expect(mark.every((m) => m === 1)).toBe(true); // disjoint and covering
    expect(a.train.length + a.test.length).toBe(ds.n);

    const s = splitTrainTest(ds, 0.2, 7);
    expect(s.train.name).toBe('digits (train)');
    expect(s.test.name).toBe('digits (test)');
    expect(same(s.test.x, subset(ds, a.test).x)).toBe(true);
    expect(same(s.train.labels, subset(ds, a.train).labels)).toBe(true);
    expect(same(splitTrainTest(ds, 0.2, 7).test.x, s.test.x)).toBe(true);
    expect(same(splitTrainTest(ds, 0.2, 8).test.x, s.test.x)).toBe(false);
    // stratified: each class sends round(20 %) of its examples to test
    expect(Array.from(classCounts(s.test))).toEqual(rawCounts.map((m) => Math.round(m * 0.2)));
  });
});

describe('digitsFromRaw', () => {
  const img = (v: number): number[] => new Array<number>(784).fill(v);

  it('interleaves the classes round-robin when they are equally large', () => {
    const ds = digitsFromRaw(Array.from({ length: 10 }, (_, d) => [...img(d / 10), ...img(d / 10 + 0.05)]));
    expect(Array.from(ds.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ds.x[3 * 784]).toBeCloseTo(0.3, 6);
    expect(ds.x[13 * 784]).toBeCloseTo(0.35, 6);
  });

  it('rejects a wrong number of classes, partial images and pixels outside [0, 1]', () => {
    expect(() => digitsFromRaw([img(0)])).toThrow('raw must hold 10 arrays (one per digit); got 1');
    const bad = Array.from({ length: 10 }, () => img(0));
    bad[3] = [...img(0), 0.5];
    expect(() => digitsFromRaw(bad)).toThrow('raw[3] has 785 values, not a multiple of 784');
    bad[3] = img(0);
    bad[4] = img(0.5).map((v, k) => (k === 100 ? 255 : v));
    expect(() => digitsFromRaw(bad)).toThrow('raw[4][100] = 255 (image 0 of digit 4) is not in [0, 1]');
  });
});
