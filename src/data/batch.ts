/**
 * Building blocks over a Dataset: a checked constructor, mini-batch filling
 * into preallocated buffers (the training loop's hot path, so it allocates
 * nothing), subsets, a deterministic stratified train/test split and the
 * "first n examples" cut Nielsen's measurement uses.
 */
import type { Buf } from '../tensor/dtype.js';
import { Rng } from '../tensor/rng.js';
import type { Dataset, Split } from './types.js';

/** The fields of a Dataset, as passed to `makeDataset`. */
export interface DatasetInit {
  /** Where it came from. */
  readonly name: string;
  /** Features per example. */
  readonly inputSize: number;
  /** Number of classes (1..256, labels are bytes). */
  readonly classes: number;
  /** The inputs, n × inputSize, row-major. */
  readonly x: Float32Array;
  /** The n class indices. */
  readonly labels: Uint8Array;
  /** Height and width of each example when it is an image. */
  readonly imageShape?: readonly [number, number];
}

/** Builds a Dataset after checking that its sizes, labels and image shape agree; n is labels.length. */
export function makeDataset(init: DatasetInit): Dataset {
  const { name, inputSize, classes, x, labels, imageShape } = init;
  const n = labels.length;
  if (!Number.isInteger(inputSize) || inputSize < 1) {
    throw new RangeError(`makeDataset(${name}): inputSize must be a positive integer; got ${inputSize}`);
  }
  if (!Number.isInteger(classes) || classes < 1 || classes > 256) {
    throw new RangeError(`makeDataset(${name}): classes must be an integer in 1..256; got ${classes}`);
  }
  if (x.length !== n * inputSize) {
    throw new RangeError(
      `makeDataset(${name}): x has ${x.length} values but n × inputSize = ${n} × ${inputSize} = ${n * inputSize}`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (labels[i] >= classes) {
      throw new RangeError(`makeDataset(${name}): label ${labels[i]} of example ${i} is not below classes = ${classes}`);
    }
  }
  if (imageShape !== undefined && imageShape[0] * imageShape[1] !== inputSize) {
    throw new RangeError(
      `makeDataset(${name}): imageShape ${imageShape[0]}×${imageShape[1]} does not match inputSize ${inputSize}`,
    );
  }
  const ds: Dataset = { name, n, inputSize, classes, x, labels };
  return imageShape === undefined ? ds : { ...ds, imageShape: [imageShape[0], imageShape[1]] };
}

/** Number of examples of each class: counts[c] for c in [0, classes). */
export function classCounts(ds: Dataset): Int32Array {
  const counts = new Int32Array(ds.classes);
  for (let i = 0; i < ds.n; i++) counts[ds.labels[i]]++;
  return counts;
}

/**
 * Copies rows order[start..start+B) of `ds` into xOut (B × I) and their one-hot
 * targets into yOut (B × C); allocates nothing. Buffers may be longer than needed.
 */
export function fillBatch(
  xOut: Buf,
  yOut: Buf,
  ds: Dataset,
  order: ArrayLike<number>,
  start: number,
  B: number,
): void {
  const I = ds.inputSize;
  const C = ds.classes;
  if (!Number.isInteger(B) || B < 0) throw new RangeError(`fillBatch: B must be a non-negative integer; got ${B}`);
  if (!Number.isInteger(start) || start < 0 || start + B > order.length) {
    throw new RangeError(
      `fillBatch: start = ${start} with B = ${B} runs past the end of order (length ${order.length})`,
    );
  }
  if (xOut.length < B * I) {
    throw new RangeError(`fillBatch: xOut has ${xOut.length} elements, needs B × inputSize = ${B} × ${I} = ${B * I}`);
  }
  if (yOut.length < B * C) {
    throw new RangeError(`fillBatch: yOut has ${yOut.length} elements, needs B × classes = ${B} × ${C} = ${B * C}`);
  }
  const x = ds.x;
  for (let b = 0; b < B; b++) {
    const row = order[start + b];
    if (!Number.isInteger(row) || row < 0 || row >= ds.n) {
      throw new RangeError(`fillBatch: order[${start + b}] = ${row} is not an example index of ${ds.name} (n = ${ds.n})`);
    }
    // xOut[b, :] = x[row, :] (a native copy, converting to float64 where xOut is)
    const src = row * I;
    xOut.set(x.subarray(src, src + I), b * I);
    // yOut[b, :] = onehot(labels[row])
    const y0 = b * C;
    for (let c = 0; c < C; c++) yOut[y0 + c] = 0;
    yOut[y0 + ds.labels[row]] = 1;
  }
}

/** A new Dataset holding copies of the examples at `indices`, in that order (name defaults to ds.name). */
export function subset(ds: Dataset, indices: ArrayLike<number>, name: string = ds.name): Dataset {
  const I = ds.inputSize;
  const m = indices.length;
  const x = new Float32Array(m * I);
  const labels = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const i = indices[j];
    if (!Number.isInteger(i) || i < 0 || i >= ds.n) {
      throw new RangeError(`subset: indices[${j}] = ${i} is not an example index of ${ds.name} (n = ${ds.n})`);
    }
    x.set(ds.x.subarray(i * I, (i + 1) * I), j * I);
    labels[j] = ds.labels[i];
  }
  return makeDataset({ name, inputSize: I, classes: ds.classes, x, labels, imageShape: ds.imageShape });
}

/** The first `n` examples of `ds` (n ≤ ds.n), keeping its name. */
export function takeFirst(ds: Dataset, n: number): Dataset {
  if (!Number.isInteger(n) || n < 0 || n > ds.n) {
    throw new RangeError(`takeFirst: n must be an integer in 0..${ds.n} (the size of ${ds.name}); got ${n}`);
  }
  if (n === ds.n) return ds;
  return makeDataset({
    name: ds.name,
    inputSize: ds.inputSize,
    classes: ds.classes,
    x: ds.x.slice(0, n * ds.inputSize),
    labels: ds.labels.slice(0, n),
    imageShape: ds.imageShape,
  });
}

/**
 * The example indices of a stratified train/test split: each class sends
 * round(count × testFraction) of its examples, chosen by a seeded shuffle, to
 * test. Both lists are ascending, so they keep the data set's order.
 */
export function splitIndices(
  ds: Dataset,
  testFraction: number,
  seed: number,
): { readonly train: Int32Array; readonly test: Int32Array } {
  if (!(testFraction >= 0 && testFraction <= 1)) {
    throw new RangeError(`splitTrainTest: testFraction must be in [0, 1]; got ${testFraction}`);
  }
  const rng = new Rng(seed);
  const byClass: number[][] = Array.from({ length: ds.classes }, () => []);
  for (let i = 0; i < ds.n; i++) byClass[ds.labels[i]].push(i);
  const isTest = new Uint8Array(ds.n);
  let nTest = 0;
  for (const members of byClass) {
    rng.shuffle(members);
    const k = Math.round(members.length * testFraction);
    for (let j = 0; j < k; j++) isTest[members[j]] = 1;
    nTest += k;
  }
  const train = new Int32Array(ds.n - nTest);
  const test = new Int32Array(nTest);
  for (let i = 0, a = 0, b = 0; i < ds.n; i++) {
    if (isTest[i]) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}

/**
 * Splits `ds` into train and test, stratified by class and deterministic for a
 * seed (see `splitIndices`); the halves are named 'NAME (train)' and 'NAME (test)'.
 */
export function splitTrainTest(ds: Dataset, testFraction: number, seed: number): Split {
  const { train, test } = splitIndices(ds, testFraction, seed);
  return { train: subset(ds, train, `${ds.name} (train)`), test: subset(ds, test, `${ds.name} (test)`) };
}
