// Issue item 5, late validation must not destroy a previous run: a config
// with `norm: batch` and `probe.samples: 1` passed the parser and failed
// after the run folder existed, and with --force it first deleted the
// previous run's model.json and summary.json. Now every rule — the
// config's cross-field rules, the ones that need the data (batch norm on a
// single training example), and the memory check — is checked before the
// run folder is touched: exit 2, no folder created, nothing deleted.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRun } from '../../src/run/schema.js';
import { put, tempDir } from '../helpers.js';
import { expectSentence, inProcess } from './helpers.js';

const dir = tempDir('gradscope-late-');
const BASE = { arch: '2-8-8-2', data: 'moons', loss: 'cross_entropy', epochs: null, maxSteps: 5 };

/** A folder holding a previous run's files, with recognisable contents. */
function previousRun(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  for (const f of ['config.json', 'metrics.jsonl', 'summary.json', 'model.json']) writeFileSync(join(d, f), `previous ${f}\n`);
  return d;
}

describe('every rule is checked before the run folder is touched', () => {
  it('norm batch with probe.samples 1 is refused by the parser, naming the field', () => {
    expect(() => parseRun({ ...BASE, norm: 'batch', probeSamples: 1 })).toThrow(/^probeSamples: batch normalisation needs at least 2 examples in the probe batch to compute batch statistics; got 1$/);
  });

  it('train: exit 2 and no run folder created', async () => {
    const cfg = put(dir, 'nb.json', { ...BASE, norm: 'batch', probe: { samples: 1 } });
    const out = join(dir, 'fresh');
    expectSentence(await inProcess(['train', cfg, '--out', out]), 2, /nb\.json: probe\.samples: batch normalisation needs at least 2 examples in the probe batch/);
    expect(existsSync(out)).toBe(false);
  });

  it('train --force: the previous run is left whole when validation fails', async () => {
    const cfg = put(dir, 'nb2.json', { ...BASE, norm: 'batch', probe: { samples: 1 } });
    const out = previousRun('previous');
    expectSentence(await inProcess(['train', cfg, '--out', out, '--force']), 2, /nb2\.json: probe\.samples:/);
    for (const f of ['config.json', 'metrics.jsonl', 'summary.json', 'model.json']) expect(readFileSync(join(out, f), 'utf8')).toBe(`previous ${f}\n`);
  });

  it('the same for rules that need the data (batch norm on one training example) and for --norm given as a flag', async () => {
    // 3 examples, half held out: one left to train on
    const one = put(dir, 'one.json', { ...BASE, norm: 'batch', data: { name: 'moons', samples: 3, testFraction: 0.5 }, batchSize: 2, probe: { samples: 2 } });
    const out = previousRun('previous-data');
    expectSentence(await inProcess(['train', one, '--out', out, '--force']), 2, /one\.json: samples: leaves 1 training example after the split, and batch normalisation needs at least 2 for batch statistics; got 3$/);
    expect(readdirSync(out).sort()).toEqual(['config.json', 'metrics.jsonl', 'model.json', 'summary.json']);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe('previous model.json\n');
    const plain = put(dir, 'plain.json', { ...BASE, probe: { samples: 1 } });
    expectSentence(await inProcess(['train', plain, '--out', out, '--force', '--norm', 'batch']), 2, /(plain\.json|--norm).*: batch normalisation needs at least 2 examples in the probe batch/);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe('previous summary.json\n');
  });

  it('a run too large for the memory budget leaves the previous run whole', async () => {
    const huge = put(dir, 'huge.json', { ...BASE, arch: '2-50000-50000-2' });
    const out = previousRun('previous-memory');
    expectSentence(await inProcess(['train', huge, '--out', out, '--force'], { GRADSCOPE_MEMORY: '4G' }), 2, /huge\.json: the run of arch 2-50000-50000-2 with batchSize 10 and probeSamples 1000 needs about \d+ GB of memory/);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe('previous model.json\n');
  });

  it('a valid run with --force replaces the previous run', async () => {
    const ok = put(dir, 'ok.json', BASE);
    const out = previousRun('previous-ok');
    const r = await inProcess(['train', ok, '--out', out, '--force', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toMatch(/^\{"format":"gradscope-model\/2"/);
  });
});
