// Where an output goes: a device, a FIFO or a folder in the way is never replaced by the atomic
// writer (renaming over /dev/full once turned the device into a file), and a folder gradscope
// cannot create — under /proc, where Node's recursive mkdir spins forever — is one sentence and
// exit 2 within seconds, from export, train and sweep alike.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, tempDir } from '../helpers.js';
import { expectSentence } from './helpers.js';

const MODEL = resolve(import.meta.dirname, '..', 'fixtures', 'interop', 'demo', 'deep_sigmoid.onnx');
const hasProc = existsSync('/proc/self');

beforeAll(() => ensureBuilt());

describe('output paths', () => {
  it('export --to onnx onto a FIFO or a folder: exit 2, and the FIFO is still a FIFO', () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    const made = spawnSync('mkfifo', [fifo]).status === 0;
    if (made) {
      expectSentence(cli(['export', MODEL, '--to', 'onnx', '--out', fifo], { timeout: 30_000 }), 2, /pipe: is a FIFO, not a file gradscope can write; choose a file path$/);
      expect(statSync(fifo).isFIFO()).toBe(true);
    }
    expectSentence(cli(['export', MODEL, '--to', 'onnx', '--out', dir], { timeout: 30_000 }), 2, /: is a directory, not a file gradscope can write; choose a file path$/);
  });

  it.skipIf(!hasProc)('a folder under /proc: export, train and sweep say so in one sentence (exit 2) instead of spinning', () => {
    expectSentence(cli(['export', MODEL, '--to', 'onnx', '--out', '/proc/gradscope-test/net.onnx'], { timeout: 30_000 }), 2, /cannot write the ONNX file there \(a folder on the way does not exist\)/);
    const dir = tempDir();
    const cfg = join(dir, 'c.json');
    writeFileSync(cfg, JSON.stringify({ arch: '2-8-2', data: 'moons', maxSteps: 10 }));
    expectSentence(cli(['train', cfg, '--out', '/proc/gradscope-test/run'], { timeout: 30_000 }), 2, /run directory '\/proc\/gradscope-test\/run' is not writable/);
    const sweep = join(dir, 's.json');
    writeFileSync(sweep, JSON.stringify({ base: { arch: '2-8-2', data: 'moons', maxSteps: 10 }, grid: { seed: [1, 2] } }));
    expectSentence(cli(['sweep', sweep, '--out', '/proc/gradscope-test/sweep'], { timeout: 30_000 }), 2, /--out \/proc\/gradscope-test\/sweep: cannot write there/);
    // and a TensorBoard export into /proc, or onto a file
    const run = join(dir, 'run');
    expect(cli(['train', cfg, '--out', run], { timeout: 60_000 }).code).toBe(0);
    expectSentence(cli(['export', run, '--to', 'tensorboard', '/proc/gradscope-test/tb'], { timeout: 30_000 }), 2, /cannot write the TensorBoard event file there/);
    expectSentence(cli(['export', run, '--to', 'tensorboard', join(run, 'config.json')], { timeout: 30_000 }), 2, /config\.json: cannot write the TensorBoard event file there \(it is not a directory\)/);
    mkdirSync(join(dir, 'tb'));
    expect(cli(['export', run, '--to', 'tensorboard', join(dir, 'tb')], { timeout: 30_000 }).code).toBe(0);
  });
});
