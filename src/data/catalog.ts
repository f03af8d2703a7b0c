/**
 * The dataset catalogue: every name the CLI's --data, config files and the web
 * controls accept, with a description, and the parser that turns a spec
 * string ('digits', 'mnist:DIR', 'spiral', ...) into what to load. Pure; the
 * loading itself is in node.ts (files) or synthetic.ts (generators).
 */
import { msg, phrase } from '../i18n/catalogue.js';
import { ValueError } from '../errors.js';
import { closest } from 'fastest-levenshtein';
import { SYNTHETIC, isSyntheticName } from './synthetic.js';
import type { SyntheticName } from './synthetic.js';

/** What a dataset spec resolves to. */
export type DatasetSpec =
  | { readonly kind: 'digits' }
  | { readonly kind: 'mnist'; readonly dir: string }
  | { readonly kind: 'synthetic'; readonly name: SyntheticName };

/** One catalogue entry: how it is written on the command line and what it is. */
export interface DatasetEntry {
  /** The spec as typed, with DIR standing for a directory. */
  readonly usage: string;
  /** One line describing the set. */
  readonly doc: string;
}

/** Every dataset, by name (the part of the spec before any ':'). */
export const DATASETS: Readonly<Record<string, DatasetEntry>> = {
  digits: { usage: 'digits', doc: 'The 10,000 MNIST digits embedded in the mnist package, 28×28, 10 classes (the default).' },
  mnist: { usage: 'mnist:DIR', doc: 'Standard MNIST IDX files (gzipped or not) in DIR; the 60,000 training images.' },
  ...Object.fromEntries(Object.entries(SYNTHETIC).map(([name, e]) => [name, { usage: name, doc: e.doc }])),
};

/** The dataset specs the CLI accepts, as written in help texts: digits, mnist:DIR, spiral, ... */
export const DATASET_NAMES: readonly string[] = Object.values(DATASETS).map((e) => e.usage);

/** Resolves a spec string; throws "unknown dataset 'spirl' (did you mean spiral?)" for a name not in the catalogue. */
export function parseDatasetSpec(spec: string): DatasetSpec {
  const colon = spec.indexOf(':');
  const head = colon < 0 ? spec : spec.slice(0, colon);
  if (head === 'mnist') {
    const dir = colon < 0 ? '' : spec.slice(colon + 1);
    if (dir === '') {
      const said = msg('err.dataset.needsDir', { spec, form: 'mnist:DIR', dir: 'DIR' });
      throw new ValueError(spec, phrase('en', said), true, said);
    }
    return { kind: 'mnist', dir };
  }
  if (colon < 0 && spec === 'digits') return { kind: 'digits' };
  if (colon < 0 && isSyntheticName(spec)) return { kind: 'synthetic', name: spec };
  if (head === 'csv' || head === 'npy') {
    const said = msg('err.dataset.ownFiles', { spec, kind: `${head}:`, a: 'probe --model', b: 'grad', c: 'gradcheck', d1: 'digits', d2: 'mnist:DIR' });
    throw new ValueError(spec, phrase('en', said), true, said);
  }
  const names = Object.keys(DATASETS);
  const guess = DATASETS[closest(head, names)].usage;
  throw new ValueError(spec, `unknown dataset '${spec}' (did you mean ${guess}?)`, true, { key: 'err.unknownDataset', vars: { spec, guess } });
}
