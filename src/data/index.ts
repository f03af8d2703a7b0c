/**
 * The public entry point of the data layer's pure part (runs in Node and in
 * the browser). File loading lives in './node.js' and is imported from there.
 */
export type { Dataset, Split } from './types.js';
export { makeDataset, classCounts, fillBatch, subset, takeFirst, splitIndices, splitTrainTest } from './batch.js';
export type { DatasetInit } from './batch.js';
export {
  spiral,
  circles,
  xor,
  gaussians,
  moons,
  SYNTHETIC,
  SPIRAL_TURNS,
  CIRCLES_INNER_RADIUS,
  isSyntheticName,
} from './synthetic.js';
export type { SyntheticOptions, SyntheticGenerator, SyntheticEntry, SyntheticName } from './synthetic.js';
export { parseIdx, imagesAndLabelsToDataset } from './idx.js';
export type { IdxArray, IdxData } from './idx.js';
export { digitsFromRaw, DIGIT_SIDE, DIGIT_PIXELS } from './digits.js';
export { DATASETS, DATASET_NAMES, parseDatasetSpec } from './catalog.js';
export type { DatasetSpec, DatasetEntry } from './catalog.js';
