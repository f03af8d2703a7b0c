/**
 * `--data` as the CLI reads it: the catalogue's data sets ('digits',
 * 'mnist:DIR', 'spiral', …) and the user's own files — `FILE.csv` or
 * `csv:FILE[#LABEL]` (label column by name or 0-based index), and
 * `npy:X.npy,Y.npy` — read through the CLI's readers.
 */
import { loadDataset, type LoadOptions } from '../data/node.js';
import type { Dataset } from '../data/types.js';
import { datasetFromCsv, datasetFromNpy } from '../data/user-data.js';
import { takeFirst } from '../data/batch.js';
import { msg } from '../i18n/catalogue.js';
import { flagUsage, readBytes } from './io.js';

/** The data set a --data spec names, the first `o.n` examples of a file. */
export function loadUserDataset(spec: string, o: LoadOptions): Dataset {
  const first = (ds: Dataset): Dataset => (o.n === undefined || o.n >= ds.n ? ds : takeFirst(ds, o.n));
  if (spec.startsWith('csv:') || (!spec.includes(':') && spec.toLowerCase().endsWith('.csv'))) {
    const body = spec.startsWith('csv:') ? spec.slice(4) : spec;
    const hash = body.lastIndexOf('#');
    const file = hash < 0 ? body : body.slice(0, hash);
    const label = hash < 0 ? undefined : body.slice(hash + 1);
    return first(datasetFromCsv(new TextDecoder().decode(readBytes(file)), file, label));
  }
  if (spec.startsWith('npy:')) {
    const files = spec.slice(4).split(',');
    if (files.length !== 2 || files.some((f) => f === '')) throw flagUsage('--data npy', msg('err.gotTyped', { clause: msg('err.data.npyTwo', { form: 'npy:X.npy,Y.npy' }), value: spec }));
    return first(datasetFromNpy(readBytes(files[0]), files[0], readBytes(files[1]), files[1]));
  }
  if (!spec.includes(':') && spec.toLowerCase().endsWith('.npy')) throw flagUsage(`--data ${spec}`, msg('err.data.npyOne', { ext: '.npy', form: `npy:${spec},LABELS.npy` }));
  return loadDataset(spec, o);
}
