// Issue item 10, messages and exit codes. Each error below used to name
// neither file nor field, or to exit with another code than its twin in
// another command: `mnist:/dev/null`; "takeFirst: n must be…"; "Invalid
// typed array length: 7.84e+22"; an unreadable IDX file exiting 1 from probe
// and 2 from train; a read-only file system reported as ENOENT; `probe`
// exiting 0 on a blow-up that `train` exits 1 on, its verdict dating it
// step 0 where training.nonFinite says step 1; a file name with a newline
// splitting the sentence over two lines. (The BCE output-range message is
// in targets.test.ts, the unreadable IDX file in read-file.test.ts.)
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneLine } from '../../src/cli/main.js';
import { put, tempDir } from '../helpers.js';
import { canMount, expectSentence, inProcess, tmpfs, unmountAll } from './helpers.js';
import { afterAll } from 'vitest';

afterAll(unmountAll);
const dir = tempDir('gradscope-messages-');
const BASE = { arch: '2-8-2', data: 'moons', loss: 'cross_entropy', epochs: null, maxSteps: 3 };

describe('every message names the file or option and the field (exit 2)', () => {
  it('mnist:/dev/null, in train and in probe', async () => {
    const cfg = put(dir, 'devnull.json', { ...BASE, arch: '784-8-10', data: 'mnist:/dev/null' });
    expectSentence(await inProcess(['train', cfg, '--out', join(dir, 'o1')]), 2, /devnull\.json: data: MNIST directory '\/dev\/null' is not a directory \(mnist:DIR names a folder holding the four IDX files\)$/);
    expectSentence(await inProcess(['probe', '--data', 'mnist:/dev/null']), 2, /^gradscope: probe: data: MNIST directory '\/dev\/null' is not a directory/);
  });

  it('more probe samples than the data set has', async () => {
    expectSentence(await inProcess(['probe', '--samples', '20000']), 2, /^gradscope: --samples: 'digits' has 10000 examples; got 20000$/);
  });

  it('a layer too large for one array: the option and the size, not "Invalid typed array length"', async () => {
    const r = await inProcess(['probe', '--arch', '2-3000000000-2', '--data', 'moons', '--probe-samples', '1'], { GRADSCOPE_MEMORY: '1T' });
    expectSentence(r, 2, /^gradscope: --arch 2-3000000000-2 with --probe-samples 1 needs one buffer of 6\.00e\+9 values, more than the \d+ an array can hold; choose smaller settings$/);
    expect(r.stderr).not.toContain('Invalid typed array length');
  });

  it('a file name with a newline stays on one line', async () => {
    const r = await inProcess(['train', join(dir, 'two\nlines.json')]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expectSentence(r, 2, /two\\nlines\.json: cannot read the file \(no such file\)$/);
    expect(oneLine('a\tb\u001b[31m\r\u007f')).toBe('a\\tb\\u001b[31m\\r\\u007f');
  });

  it.skipIf(!canMount)('a read-only file system is reported as read-only, not as a missing folder', async () => {
    const ro = tmpfs('64k', true) as string;
    const cfg = put(dir, 'ok.json', BASE);
    expectSentence(await inProcess(['train', cfg, '--out', join(ro, 'a', 'b')]), 2, /is not writable \(the file system is read-only\)$/);
    expectSentence(await inProcess(['study', '--out', join(ro, 'report')]), 2, /cannot write the report there \(the file system is read-only\)/);
  });
});

describe('a blow-up is a failed run in probe as in train (exit 1), dated the same', () => {
  it('probe --steps that overflow: exit 1, the verdict dates it as training.nonFinite does', async () => {
    const r = await inProcess(['probe', '--arch', '2-16x3-2', '--act', 'relu', '--init', 'normal:30', '--data', 'moons', '--samples', '64', '--steps', '20', '--lr', '1000', '--loss', 'quadratic', '--jacobian-samples', '0', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { training: { nonFinite: { step: number } }; verdict: { nonFinite?: { step: number }; cause: string } };
    expect(doc.training.nonFinite).not.toBeNull();
    expect(doc.verdict.nonFinite?.step).toBe(doc.training.nonFinite.step);
    expect(doc.verdict.cause).not.toMatch(/step 0:/);
    expectSentence(r, 1, new RegExp(`^gradscope: the run blew up: step ${doc.training.nonFinite.step}: `));
  });
});
