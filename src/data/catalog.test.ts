/**
 * Tests of the dataset catalogue and of loadDataset's spec resolution:
 * every name, the defaults, and the "did you mean" errors.
 */
import { describe, expect, it } from 'vitest';
import { DATASETS, DATASET_NAMES, parseDatasetSpec, spiral } from './index.js';
import { DEFAULT_SYNTHETIC_N, loadDataset } from './node.js';

describe('the dataset catalogue', () => {
  it('lists digits, mnist:DIR and the five synthetic sets, each documented', () => {
    expect(DATASET_NAMES).toEqual(['digits', 'mnist:DIR', 'spiral', 'circles', 'xor', 'gaussians', 'moons']);
    for (const e of Object.values(DATASETS)) expect(e.doc.length).toBeGreaterThan(20);
  });

  it('parses each kind of spec', () => {
    expect(parseDatasetSpec('digits')).toEqual({ kind: 'digits' });
    expect(parseDatasetSpec('mnist:/data/mnist')).toEqual({ kind: 'mnist', dir: '/data/mnist' });
    expect(parseDatasetSpec('mnist:C:\\mnist')).toEqual({ kind: 'mnist', dir: 'C:\\mnist' });
    expect(parseDatasetSpec('moons')).toEqual({ kind: 'synthetic', name: 'moons' });
  });

  it('suggests the closest name for an unknown one', () => {
    expect(() => parseDatasetSpec('spirl')).toThrow("unknown dataset 'spirl' (did you mean spiral?)");
    expect(() => parseDatasetSpec('digit')).toThrow("unknown dataset 'digit' (did you mean digits?)");
    expect(() => parseDatasetSpec('minst:/x')).toThrow("unknown dataset 'minst:/x' (did you mean mnist:DIR?)");
    expect(() => parseDatasetSpec('toString')).toThrow("unknown dataset 'toString'");
  });

  it('asks for a directory after mnist', () => {
    expect(() => parseDatasetSpec('mnist')).toThrow("dataset 'mnist' needs a directory: write mnist:DIR");
    expect(() => parseDatasetSpec('mnist:')).toThrow("dataset 'mnist:' needs a directory");
  });
});

describe('loadDataset', () => {
  it('draws 1,000 points of a synthetic set by default, with its default noise', () => {
    const ds = loadDataset('spiral', { seed: 4 });
    expect(ds.n).toBe(DEFAULT_SYNTHETIC_N);
    expect(DEFAULT_SYNTHETIC_N).toBe(1000);
    expect(Array.from(ds.x)).toEqual(Array.from(spiral({ n: 1000, seed: 4 }).x));
  });

  it('passes n, noise and classes to a synthetic set', () => {
    const ds = loadDataset('spiral', { seed: 4, n: 90, noise: 0, classes: 3 });
    expect(ds).toMatchObject({ n: 90, classes: 3 });
    expect(Array.from(ds.x)).toEqual(Array.from(spiral({ n: 90, seed: 4, noise: 0, classes: 3 }).x));
  });

  it('loads the first n embedded digits', () => {
    const ds = loadDataset('digits', { seed: 1, n: 1000 });
    expect(ds).toMatchObject({ name: 'digits', n: 1000, inputSize: 784, classes: 10 });
    expect(loadDataset('digits', { seed: 1 }).n).toBe(10_000);
  });

  it('rejects unknown names with a suggestion', () => {
    expect(() => loadDataset('circle', { seed: 1 })).toThrow("unknown dataset 'circle' (did you mean circles?)");
  });
});
