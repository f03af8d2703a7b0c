// The bad inputs of docs/bad-input.md, through the command line's own code
// (in this process, for speed; one of each kind also through the real
// binary): run configs (`train`), sweep files (`sweep --dry-run`), model
// files (`grad`) and MNIST IDX folders (a sweep whose data is mnist:DIR).
// Each must exit with code 2 and print one line — "gradscope: " and a
// sentence naming the problem — with no stack trace and nothing on stdout.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sweepCommand } from '../../src/cli/commands/sweep.js';
import { main, reportError } from '../../src/cli/main.js';
import { ROOT, tempDir, type CliResult } from '../helpers.js';
import { buildOnce, entry } from '../sweep/helpers.js';
import { idxBytes } from './arbitraries.js';

beforeAll(buildOnce, 180_000);

const dir = tempDir('gradscope-bad-input-');
const file = (name: string, content: string | Uint8Array | unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content));
  return p;
};
const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);

const CONFIG = { arch: '2-8-2', loss: 'cross_entropy', data: 'moons', epochs: null, maxSteps: 5 };
const train = (name: string, content: unknown): string[] => ['train', file(name, content), '--out', join(dir, `out-${name}`)];
const SWEEP = { base: CONFIG, grid: { activation: ['relu', 'tanh'] } };
const sweep = (name: string, content: unknown): string[] => ['sweep', file(name, content), '--dry-run'];
const MODEL = { format: 'gradscope-model/1', layers: [{ type: 'dense', in: 2, out: 3, weight: [[1, 2], [3, 4], [5, 6]], bias: [0, 0, 0] }, { type: 'activation', name: 'sigmoid' }, { type: 'dense', in: 3, out: 1, weight: [[1, 1, 1]], bias: [0] }] };
const grad = (name: string, content: unknown): string[] => ['grad', '--model', file(name, content), '--input', file('x.json', [[0.1, 0.2]]), '--target', file('y.json', [[1]]), '--loss', 'quadratic', '--json'];

/** An MNIST folder of tiny IDX files (3 training and 2 test images of 2×2), with `change` applied, and a sweep reading it. */
function mnist(name: string, change: (files: Record<string, Uint8Array>) => void): string[] {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  const files: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte': idxBytes([3, 2, 2]),
    'train-labels-idx1-ubyte': idxBytes([3], 0x08, (i) => i),
    't10k-images-idx3-ubyte': idxBytes([2, 2, 2]),
    't10k-labels-idx1-ubyte': idxBytes([2], 0x08, (i) => i),
  };
  change(files);
  for (const [f, b] of Object.entries(files)) writeFileSync(join(d, f), b);
  return sweep(`${name}.json`, { base: { arch: '4-8-10', loss: 'cross_entropy', data: `mnist:${d}`, epochs: null, maxSteps: 5 } });
}

/** [what, argv, expected message] — the table of docs/bad-input.md. */
export const BAD_INPUTS: [string, string[], RegExp][] = [
  // run configs
  ['config: empty file', train('empty.json', ''), /empty\.json: not valid JSON \(the file is empty\)/],
  ['config: cut-off JSON', train('cut.json', '{"arch": '), /cut\.json: not valid JSON/],
  ['config: not UTF-8 text', train('bytes.json', Uint8Array.from([0xff, 0xfe, 0x00, 0x7b])), /bytes\.json: not valid JSON/],
  ['config: a list, not an object', train('list.json', [1, 2]), /list\.json: a run config is a JSON object of settings .*; got \[1,2\]/],
  ['config: misspelt field', train('field.json', { ...CONFIG, activaton: 'relu' }), /field\.json: activaton: unknown field \(did you mean activation\?\)/],
  ['config: number as a string', train('str.json', { ...CONFIG, optimizer: { lr: '0.1' } }), /str\.json: optimizer\.lr: must be a number; got "0\.1"/],
  ['config: negative learning rate', train('neg.json', { ...CONFIG, optimizer: { lr: -1 } }), /neg\.json: optimizer\.lr: must be > 0; got -1/],
  ['config: 1e999 (parses as Infinity)', train('inf.json', '{"optimizer": {"lr": 1e999}}'), /inf\.json: optimizer\.lr: must be a number/],
  ['config: bad arch', train('arch.json', { ...CONFIG, arch: '784-3a-10' }), /arch\.json: arch: .*'3a' is not a size/],
  ['config: misspelt activation', train('act.json', { ...CONFIG, activation: 'sigmiod' }), /act\.json: activation: .*sigmiod.*sigmoid/],
  ['config: init list of the wrong length', train('init.json', { ...CONFIG, init: ['he_normal'] }), /init\.json: init: arch 2-8-2 has 2 weight layers but the list has 1 initialisers/],
  ['config: mnist without a folder', train('mnist.json', { ...CONFIG, data: 'mnist:' }), /mnist\.json: data: dataset 'mnist:' needs a directory/],
  ['config: arch that does not fit the data', train('fit.json', { ...CONFIG, arch: '784-30-10' }), /fit\.json: arch: starts with 784 inputs but dataset 'moons' has 2 features/],
  ['config: __proto__ key', train('proto.json', '{"__proto__": {"arch": "2-8-2"}}'), /proto\.json: __proto__: unknown field/],
  ['config: no such file', ['train', join(dir, 'nope.json')], /nope\.json: cannot read the file \(no such file\)/],
  ['config: a folder, not a file', ['train', dir], /cannot read the file \(is a directory\)/],
  ['config: nested 100,000 levels deep', train('deep.json', deep(100_000)), /./],
  // sweep files
  ['sweep: grid value not a list', sweep('s-list.json', { ...SWEEP, grid: { activation: 'relu' } }), /s-list\.json: grid\.activation: must be a list of values; got "relu"/],
  ['sweep: misspelt activation in the grid', sweep('s-act.json', { ...SWEEP, grid: { activation: ['relu', 'rleu'] } }), /s-act\.json: grid\.activation\[1\]: unknown activation 'rleu'/],
  ['sweep: misspelt run-config key', sweep('s-key.json', { ...SWEEP, grid: { 'optimizer.lrr': [0.1] } }), /s-key\.json: grid\.optimizer\.lrr\[0\]: unknown field \(did you mean lr\?\); expected one of name, lr,/],
  ['sweep: unknown distribution', sweep('s-dist.json', { ...SWEEP, random: { samples: 3, params: { lr: { normal: [0, 1] } } } }), /s-dist\.json: random\.params\.lr: must be one of \{"choice": \[\.\.\]\}/],
  ['sweep: distribution outside the field', sweep('s-range.json', { ...SWEEP, random: { samples: 3, params: { dropout: { uniform: [0, 1] } } } }), /s-range\.json: random\.params\.dropout\.uniform\[1\]: must be < 1; got 1/],
  ['sweep: too many runs', sweep('s-big.json', { grid: { seed: Array.from({ length: 400 }, (_, i) => i), lr: Array.from({ length: 300 }, (_, i) => (i + 1) / 1000) } }), /s-big\.json: grid and random make 120000 runs, more than the 100000/],
  ['sweep: 1e9 synthetic examples', sweep('s-mem.json', { base: { ...CONFIG, data: { name: 'spiral', samples: 1e9 } } }), /s-mem\.json: base: data\.samples: must be ≤ 10000000; got 1000000000/],
  ['sweep: nested 100,000 levels deep', sweep('s-deep.json', deep(100_000)), /s-deep\.json: is nested more than 64 levels deep/],
  ['sweep: bad --shard', [...sweep('s-shard.json', SWEEP), '--shard', '2/2'], /--shard: the index counts from 0, so it must be below 2/],
  // model files
  ['model: wrong format tag', grad('m-format.json', { ...MODEL, format: 'gradscope-model/9' }), /m-format\.json: format: must be one of gradscope-model\/2, gradscope-model\/1; got "gradscope-model\/9"/],
  ['model: weight rows ≠ out', grad('m-rows.json', { ...MODEL, layers: [{ ...MODEL.layers[0], out: 2 }, ...MODEL.layers.slice(1)] }), /m-rows\.json: layers\[0\]\.weight: must have 2 rows \('out'\); got 3/],
  ['model: 1e999 weight', grad('m-inf.json', JSON.stringify(MODEL).replace('[[1,2]', '[[1e999,2]')), /m-inf\.json: layers\[0\]\.weight\[0\]\[0\]: .*Infinity/],
  ['model: unknown activation', grad('m-act.json', { ...MODEL, layers: [MODEL.layers[0], { type: 'activation', name: 'sigmod' }, MODEL.layers[2]] }), /m-act\.json: layers\[1\]\.name: .*sigmod/],
  ['model: widths that do not chain', grad('m-chain.json', { ...MODEL, layers: [...MODEL.layers.slice(0, 2), { type: 'dense', in: 4, out: 1, weight: [[1, 1, 1, 1]], bias: [0] }] }), /m-chain\.json: layers\[2\]\.in: must be 3, the width the previous layer gives; got 4/],
  ['model: no layers', grad('m-empty.json', { format: 'gradscope-model/1', layers: [] }), /m-empty\.json: layers: /],
  ['model: starts with an activation', grad('m-first.json', { ...MODEL, layers: [{ type: 'activation', name: 'sigmoid' }, ...MODEL.layers] }), /the first layer must be dense or maxout/],
  // MNIST IDX folders
  ['idx: missing files', mnist('idx-missing', (f) => delete f['train-labels-idx1-ubyte']), /has no train-labels-idx1-ubyte or train-labels-idx1-ubyte\.gz/],
  ['idx: bad magic number', mnist('idx-magic', (f) => (f['train-images-idx3-ubyte'][0] = 0x12)), /train-images-idx3-ubyte: bad magic number 0x12000803/],
  ['idx: unknown type code', mnist('idx-type', (f) => (f['train-images-idx3-ubyte'][2] = 0x07)), /train-images-idx3-ubyte: unknown data type 0x07/],
  ['idx: truncated data', mnist('idx-short', (f) => (f['train-images-idx3-ubyte'] = f['train-images-idx3-ubyte'].slice(0, -3))), /train-images-idx3-ubyte: truncated: header says 3×2×2 = 12 bytes of data, file has 9/],
  ['idx: trailing bytes', mnist('idx-long', (f) => (f['t10k-labels-idx1-ubyte'] = Uint8Array.from([...f['t10k-labels-idx1-ubyte'], 1, 2]))), /t10k-labels-idx1-ubyte: 2 trailing bytes/],
  ['idx: gzip signature, not gzip', mnist('idx-gz', (f) => (f['train-images-idx3-ubyte'] = Uint8Array.from([0x1f, 0x8b, 1, 2, 3]))), /train-images-idx3-ubyte: cannot gunzip/],
  ['idx: labels ≠ images', mnist('idx-count', (f) => (f['train-labels-idx1-ubyte'] = idxBytes([4], 0x08, (i) => i))), /train-labels-idx1-ubyte: 4 labels but .*train-images-idx3-ubyte has 3 images/],
  ['idx: label out of range', mnist('idx-label', (f) => (f['train-labels-idx1-ubyte'] = idxBytes([3], 0x08, () => 12))), /train-labels-idx1-ubyte: label 0 is 12, not below the 10 classes/],
  ['idx: 1-D images', mnist('idx-dims', (f) => (f['train-images-idx3-ubyte'] = idxBytes([3], 0x08))), /train-images-idx3-ubyte: images need at least 2 dimensions/],
  ['idx: gzipped files are fine, bad ones inside are not', mnist('idx-gz2', (f) => (f['train-images-idx3-ubyte'] = gzipSync(Uint8Array.from([0, 0, 8, 3, 0, 0])))), /train-images-idx3-ubyte: truncated header: 3 dimensions need 16 header bytes, the file has 6/],
];

/** Runs one argv through the right entry: train and grad through bin/gradscope.js, sweep through `entry()`. */
function spawnCli(argv: string[]): Promise<CliResult> {
  const script = argv[0] === 'sweep' ? entry() : join(ROOT, 'bin/gradscope.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...argv], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Whether main.ts registers the sweep command yet (until then sweep runs through a program wired the same way). */
const sweepRegistered = readFileSync(join(ROOT, 'src/cli/main.ts'), 'utf8').includes('sweepCommand');

/** Runs one argv in this process through the CLI's own code (main, or the sweep command wired as main wires it), capturing its output. */
async function inProcess(argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((t: string | Uint8Array) => ((stdout += String(t)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((t: string | Uint8Array) => ((stderr += String(t)), true));
  try {
    let code: number;
    if (argv[0] !== 'sweep' || sweepRegistered) code = await main(argv);
    else {
      const state = { code: 0 };
      const program = new Command('gradscope').exitOverride();
      program.addCommand(sweepCommand(state));
      const harden = (c: Command): void => {
        c.exitOverride();
        c.configureOutput({ writeOut: (t) => process.stdout.write(t), writeErr: (t) => process.stderr.write(t) });
        c.commands.forEach(harden);
      };
      harden(program);
      try {
        await program.parseAsync(argv, { from: 'user' });
        code = state.code;
      } catch (e) {
        code = reportError(e, false);
      }
    }
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The checks every bad input must pass. */
function expectClean(r: CliResult, re: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^gradscope: \S/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
  expect(lines[0]).toMatch(re);
}

describe('bad input through the CLI code: exit 2, one sentence, no stack trace', () => {
  it.each(BAD_INPUTS)('%s', async (_what, argv, re) => {
    expectClean(await inProcess(argv), re);
  });
});

describe('bad input through the real command line (one of each kind)', () => {
  const sample = ['config: misspelt field', 'sweep: misspelt activation in the grid', 'model: widths that do not chain', 'idx: bad magic number'];
  it.each(BAD_INPUTS.filter(([what]) => sample.includes(what)))('%s', async (_what, argv, re) => {
    expectClean(await spawnCli(argv), re);
  });
});
