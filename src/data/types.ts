/**
 * The shapes the data layer hands to the rest of gradscope: a labelled
 * classification data set held in memory, and a train/test pair of them.
 */

/** A labelled classification data set held in memory. */
export interface Dataset {
  /** Where it came from: 'digits', 'mnist:/path', 'spiral', ... */
  readonly name: string;
  /** Number of examples. */
  readonly n: number;
  /** Features per example. */
  readonly inputSize: number;
  /** Number of classes (the one-hot width). */
  readonly classes: number;
  /** The inputs, n × inputSize, row-major. */
  readonly x: Float32Array;
  /** The n class indices, each in [0, classes). */
  readonly labels: Uint8Array;
  /** Height and width of each example when it is an image ([28, 28] for digits). */
  readonly imageShape?: readonly [number, number];
}

/** A training set and a disjoint test set drawn from the same source. */
export interface Split {
  /** The examples to learn from. */
  readonly train: Dataset;
  /** The held-out examples to measure accuracy on. */
  readonly test: Dataset;
}
