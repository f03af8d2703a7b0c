// Issue item 2 (files), one reader for every file a user names
// (data/read-file.ts): a FIFO or /dev/zero given as a config, sweep, model,
// input or IDX file used to be read forever; now every command refuses it
// at once, exit 2, in one sentence naming the file and what it is, as it
// refuses a directory, a file over its kind's cap, and a gzip bomb.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readIdxBytes } from '../../src/data/node.js';
import { readUserFile } from '../../src/data/read-file.js';
import { idxBytes } from '../fuzz/arbitraries.js';
import { put, tempDir } from '../helpers.js';
import { expectSentence, inProcess } from './helpers.js';

const dir = tempDir('gradscope-read-file-');
const fifo = join(dir, 'pipe.json');
execFileSync('mkfifo', [fifo]);
const model = put(dir, 'm.json', { format: 'gradscope-model/1', layers: [{ type: 'dense', in: 2, out: 1, weight: [[1, 2]], bias: [0] }] });
const x = put(dir, 'x.json', [[0.1, 0.2]]);
const y = put(dir, 'y.json', [[1]]);
const FIFO = /cannot read the file \(is a named pipe \(FIFO\), not a regular file\)$/;
const ZERO = /^gradscope: \/dev\/zero: cannot read the file \(is a character device \(such as \/dev\/zero\), not a regular file\)$/;

/** An MNIST folder whose training images are a FIFO. */
function fifoMnist(): string {
  const d = join(dir, 'mnist-fifo');
  mkdirSync(d, { recursive: true });
  execFileSync('mkfifo', [join(d, 'train-images-idx3-ubyte')]);
  writeFileSync(join(d, 'train-labels-idx1-ubyte'), idxBytes([3], 0x08, (i) => i));
  writeFileSync(join(d, 't10k-images-idx3-ubyte'), idxBytes([2, 2, 2]));
  writeFileSync(join(d, 't10k-labels-idx1-ubyte'), idxBytes([2], 0x08, (i) => i));
  return d;
}

describe('files that are not regular files are refused at once (exit 2)', () => {
  it('a FIFO as run config, sweep file, model, inputs and targets', async () => {
    expectSentence(await inProcess(['train', fifo]), 2, new RegExp(`^gradscope: ${fifo}: ${FIFO.source}`));
    expectSentence(await inProcess(['sweep', fifo, '--dry-run']), 2, FIFO);
    expectSentence(await inProcess(['grad', '--model', fifo, '--input', x, '--target', y]), 2, FIFO);
    expectSentence(await inProcess(['grad', '--model', model, '--input', fifo, '--target', y, '--loss', 'quadratic']), 2, FIFO);
    expectSentence(await inProcess(['grad', '--model', model, '--input', x, '--target', fifo, '--loss', 'quadratic']), 2, FIFO);
  }, 20_000);

  it('a FIFO as an IDX file: the same exit 2 from probe and from train', async () => {
    const d = fifoMnist();
    expectSentence(await inProcess(['probe', '--data', `mnist:${d}`, '--arch', '4-3-10', '--samples', '2']), 2, new RegExp(`^gradscope: probe: data: ${d}/train-images-idx3-ubyte: ${FIFO.source}`));
    const cfg = put(dir, 'mnist.json', { arch: '4-3-10', data: `mnist:${d}`, loss: 'cross_entropy', epochs: null, maxSteps: 2 });
    expectSentence(await inProcess(['train', cfg, '--out', join(dir, 'run')]), 2, new RegExp(`^gradscope: ${cfg}: data: ${d}/train-images-idx3-ubyte: ${FIFO.source}`));
  }, 20_000);

  it('/dev/zero as run config and model, a directory as a model', async () => {
    expectSentence(await inProcess(['train', '/dev/zero']), 2, ZERO);
    expectSentence(await inProcess(['grad', '--model', '/dev/zero', '--input', x, '--target', y]), 2, ZERO);
    expectSentence(await inProcess(['grad', '--model', dir, '--input', x, '--target', y]), 2, /: cannot read the file \(is a directory\)$/);
  }, 20_000);
});

describe('files over their cap are refused', () => {
  it('a run config over 16 MB', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, `{${' '.repeat(17 * 2 ** 20)}}`);
    expectSentence(await inProcess(['train', big]), 2, new RegExp(`^gradscope: ${big}: cannot read the file \\(17 MB is more than the 16 MB a run config may have\\)$`));
  });

  it('reads a file exactly at the cap, refuses one byte more, and reads /proc files that report size 0', () => {
    const f = join(dir, 'cap.bin');
    writeFileSync(f, Buffer.alloc(1000, 7));
    expect(readUserFile(f, { maxBytes: 1000 })).toEqual(Buffer.alloc(1000, 7));
    expect(() => readUserFile(f, { maxBytes: 999 })).toThrow(new RegExp(`^${f}: cannot read the file \\(1000 bytes is more than the 999 bytes a file may have\\)$`));
    expect(readUserFile('/proc/self/status', { maxBytes: 1 << 20 }).toString()).toMatch(/^Name:/);
  });

  it('a gzip bomb: an IDX file that unpacks past the cap', () => {
    const f = join(dir, 'bomb-idx3-ubyte.gz');
    writeFileSync(f, gzipSync(Buffer.alloc(3 * 2 ** 20)));
    expect(() => readIdxBytes(f, 2 ** 20)).toThrow(new RegExp(`^${f}: cannot gunzip: it unpacks to more than the 1\\.0 MB an IDX file may have$`));
    expect(readIdxBytes(f, 4 * 2 ** 20)).toHaveLength(3 * 2 ** 20);
  });
});
