// Issue item 2, no runaway memory. The estimator (experiments/memory.ts) is
// held against what real runs take: for six runs — feed-forward with adam,
// with batch norm and dropout, on the digits with Jacobians; LSTM, GRU on
// the copy task, a long plain RNN — the resident set's high-water mark grows
// by no more than the estimate, and the estimate is at most 2.5 times that
// growth (so it refuses nothing reasonable). Then every input that used to
// grow until the kernel killed it is refused in one sentence naming the
// option and the estimate, before anything is allocated: rnn --length 1e8,
// probe --arch 784-1000000-10, a sweep of 2-60000-60000-2, --workers 256,
// study --workers 64; the budget comes from --memory or GRADSCOPE_MEMORY.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryBudget, parseSize } from '../../src/experiments/budget.js';
import { mlpMemory } from '../../src/experiments/memory.js';
import { put, ROOT, tempDir } from '../helpers.js';
import { buildOnce, tinySweep } from '../sweep/helpers.js';
import { expectSentence, inProcess } from './helpers.js';

beforeAll(buildOnce, 180_000);

/** Runs test/reliability/measure-memory.mjs on one config: the estimate and the measured growth, in bytes. */
function measure(kind: 'mlp' | 'rnn', config: unknown): Promise<{ estimate: number; measured: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'test/reliability/measure-memory.mjs'), kind, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { estimate: number; measured: number }) : reject(new Error(`measure ${kind} failed (${code}): ${err}`))));
  });
}

const RUNS: [string, 'mlp' | 'rnn', unknown][] = [
  ['mlp 2-1200-1200-2, adam, model.json', 'mlp', { arch: '2-1200-1200-2', data: 'moons', optimizer: 'adam', batchSize: 64, epochs: null, maxSteps: 2, stepsEvery: 0, loss: 'cross_entropy', probe: { samples: 200 } }],
  ['mlp 2-3000-2, batch norm, dropout, 256 rows', 'mlp', { arch: '2-3000-2', data: { name: 'moons', samples: 1000 }, norm: 'batch', dropout: 0.3, optimizer: 'momentum', batchSize: 256, epochs: null, maxSteps: 2, stepsEvery: 0, loss: 'cross_entropy', probe: { samples: 500 } }],
  ['mlp 784-300-300-10 on the digits, Jacobians', 'mlp', { arch: '784-300-300-10', optimizer: 'sgd', batchSize: 100, epochs: null, maxSteps: 2, loss: 'cross_entropy', probe: { samples: 200, jacobianSamples: 2, testAccuracy: false } }],
  ['lstm T = 600, H = 64', 'rnn', { length: 600, hidden: 64, steps: 1, cell: 'lstm', testSize: 20, probeSize: 10 }],
  ['gru copy T = 800, H = 32', 'rnn', { length: 800, hidden: 32, steps: 1, cell: 'gru', task: 'copy', testSize: 20, probeSize: 10 }],
  ['rnn T = 6000, H = 16', 'rnn', { length: 6000, hidden: 16, steps: 1, cell: 'rnn', testSize: 30, probeSize: 10 }],
];

describe('the memory estimate against real runs', () => {
  it('bounds the growth of the resident set, within a factor 2.5, for six runs', async () => {
    const results = await Promise.all(RUNS.map(([, kind, cfg]) => measure(kind, cfg)));
    const rows = results.map((r, i) => `${RUNS[i][0]}: estimate ${(r.estimate / 2 ** 20).toFixed(0)} MB, measured ${(r.measured / 2 ** 20).toFixed(0)} MB`).join('\n');
    for (const r of results) {
      expect(r.measured, rows).toBeLessThanOrEqual(r.estimate);
      expect(r.estimate, rows).toBeLessThanOrEqual(2.5 * r.measured);
    }
  }, 240_000);

  it('grows with every size it depends on', () => {
    const base = { arch: [10, 20, 5], dtype: 'float32' as const, optimizer: 'sgd', rows: 32, dataBytes: 0, writesModel: false };
    const b = mlpMemory(base).bytes;
    expect(mlpMemory({ ...base, arch: [10, 40, 5] }).bytes).toBeGreaterThan(b);
    expect(mlpMemory({ ...base, rows: 64 }).bytes).toBeGreaterThan(b);
    expect(mlpMemory({ ...base, optimizer: 'adam' }).bytes).toBeGreaterThan(b);
    expect(mlpMemory({ ...base, dtype: 'float64' }).bytes).toBeGreaterThan(b);
    expect(mlpMemory({ ...base, writesModel: true }).bytes).toBeGreaterThan(b);
  });
});

describe('settings that would exhaust the memory are refused before allocating (exit 2)', () => {
  const work = tempDir('gradscope-memory-');
  // a fixed budget, so the outcome does not depend on the machine's memory
  const env = { GRADSCOPE_MEMORY: '8G' };
  const budget = /more than the budget of 8\.0 GB \(GRADSCOPE_MEMORY=8G\); choose smaller settings, or raise the budget with --memory SIZE or GRADSCOPE_MEMORY=SIZE$/;

  it('rnn --length 100000000 (and 1000000)', async () => {
    expectSentence(await inProcess(['rnn', '--length', '100000000'], env), 2, /^gradscope: --length 100000000 with --hidden 24, --batch 32 and --test-size 1000 needs one buffer of [\d.]+e\+\d+ values, more than the \d+ an array can hold/);
    expectSentence(await inProcess(['rnn', '--cell', 'rnn', '--length', '1000000', '--hidden', '8'], env), 2, new RegExp(`^gradscope: --length 1000000 with --hidden 8, --batch 32 and --test-size 1000 needs about [\\d.]+ GB of memory \\(BPTT buffers [\\d.]+ GB, .*${budget.source}`));
  });

  it('probe --arch 784-1000000-10', async () => {
    expectSentence(await inProcess(['probe', '--arch', '784-1000000-10'], env), 2, new RegExp(`^gradscope: --arch 784-1000000-10 with --probe-samples 1000 needs about \\d+ GB of memory \\(activations \\d+ GB, parameters [\\d.]+ GB\\), ${budget.source}`));
  });

  it('a sweep file with a 2-60000-60000-2 network: nothing is created', async () => {
    const file = put(work, 'huge.json', { base: { arch: '2-60000-60000-2', data: 'moons', loss: 'cross_entropy', epochs: null, maxSteps: 3 }, grid: { seed: [1, 2] } });
    const out = join(work, 'huge');
    expectSentence(await inProcess(['sweep', file, '--out', out], env), 2, /^gradscope: .*huge\.json: the run with seed=1 \(arch 2-60000-60000-2, batchSize 10\) needs about \d+ GB of memory \(model\.json \d+ GB, parameters \d+ GB\), more than the budget/);
    expect(existsSync(out)).toBe(false);
  });

  it('--workers 256 for runs that fit one at a time, and the study on 64 threads', async () => {
    // 300 runs, so 256 of them would run at once
    const file = put(work, 'many.json', tinySweep({ seeds: Array.from({ length: 50 }, (_, i) => i + 1) }));
    expectSentence(await inProcess(['sweep', file, '--out', join(work, 'many'), '--workers', '256'], env), 2, /^gradscope: --workers 256: 256 runs at once \(the largest of arch 2-8-8-8-2\) needs about \d+ GB of memory .*more than the budget/);
    expect(existsSync(join(work, 'many'))).toBe(false);
    expectSentence(await inProcess(['study', '--workers', '64', '--out', join(work, 'report')], env), 2, /^gradscope: --workers 64: the study on 64 threads needs about \d+ GB of memory/);
    expect(existsSync(join(work, 'report'))).toBe(false);
  });

  it('the budget comes from --memory, else GRADSCOPE_MEMORY, else half of the machine; a bad size is refused', async () => {
    expect(memoryBudget('8G').bytes).toBe(8 * 2 ** 30);
    expect(memoryBudget(undefined, { GRADSCOPE_MEMORY: '512M' })).toEqual({ bytes: 512 * 2 ** 20, source: 'GRADSCOPE_MEMORY=512M' });
    expect(memoryBudget(undefined, {}).source).toMatch(/^half of this (machine's|container's) /);
    expect(parseSize('2.5GB', 'x')).toBe(2.5 * 2 ** 30);
    expect(() => parseSize('lots', '--memory')).toThrow(/^--memory must be a size of at least 1M, such as 8G, 512M or 2\.5GB; got "lots"$/);
    // a run that fits the machine is refused under a small budget, and runs under a large one
    const args = ['probe', '--arch', '784-2000-10', '--samples', '500', '--jacobian-samples', '0', '--json'];
    expectSentence(await inProcess(args, { GRADSCOPE_MEMORY: '64M' }), 2, /needs about \d+ MB of memory .*more than the budget of 64 MB \(GRADSCOPE_MEMORY=64M\)/);
    expectSentence(await inProcess([...args, '--memory', '16M'], { GRADSCOPE_MEMORY: '64G' }), 2, /more than the budget of 16 MB \(--memory 16M\)/);
    const ok = await inProcess(args, { GRADSCOPE_MEMORY: '4G' });
    expect(ok.code, ok.stderr).toBe(0);
  });
});
