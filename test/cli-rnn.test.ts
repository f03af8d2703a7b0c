// `gradscope rnn`: --json fields, the terminal view, and bad options → exit 2 with one sentence. Spawns the built CLI when
// dist/ registers the command; otherwise (and always) drives the command in-process through commander and main's reportError.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { rnnCommand, shownSteps } from '../src/cli/commands/rnn.js';
import { reportError, type RunState } from '../src/cli/main.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'gradscope.js');
const FAST = ['--length', '10', '--hidden', '6', '--steps', '12', '--batch', '8', '--test-size', '40'];

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gradscope rnn ARGS` in-process the way main() does, capturing stdout and stderr. */
async function inProcess(args: string[]): Promise<Outcome> {
  const state: RunState = { code: 0 };
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  try {
    const program = new Command('gradscope').exitOverride().configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
    const cmd = rnnCommand(state).exitOverride().configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
    program.addCommand(cmd);
    try {
      await program.parseAsync(['rnn', ...args], { from: 'user' });
      return { code: state.code, stdout, stderr };
    } catch (e) {
      const code = reportError(e, false);
      return { code, stdout, stderr };
    }
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

function spawned(args: string[]): Outcome {
  const r = spawnSync(process.execPath, [bin, 'rnn', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let registered = false;

beforeAll(() => {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0 || !existsSync(join(root, 'dist', 'cli', 'main.js'))) return;
  // registered when `gradscope rnn --help` shows this command's options (an unknown command prints the top-level help)
  const help = spawnSync(process.execPath, [bin, 'rnn', '--help'], { cwd: root, encoding: 'utf8' });
  registered = help.status === 0 && help.stdout.includes('--clip-norm');
});

const JSON_FIELDS = ['cell', 'task', 'length', 'hidden', 'steps', 'finalLoss', 'solvedFraction', 'recurrentSpectralNorm', 'gradThroughTime'];

function checkJson(o: Outcome, cell: string, task: string, T: number): void {
  expect(o.code).toBe(0);
  const lines = o.stdout.trim().split('\n');
  expect(lines.length).toBe(1);
  const doc = JSON.parse(lines[0]) as Record<string, unknown> & { gradThroughTime: { init: number[]; final: number[] } };
  for (const f of JSON_FIELDS) expect(doc).toHaveProperty(f);
  expect(doc.cell).toBe(cell);
  expect(doc.task).toBe(task);
  expect(doc.length).toBe(10);
  expect(doc.hidden).toBe(6);
  expect(doc.steps).toBe(12);
  expect(doc.gradThroughTime.init.length).toBe(T);
  expect(doc.gradThroughTime.final.length).toBe(T);
  expect(typeof doc.recurrentSpectralNorm).toBe('number');
  expect(doc.solvedFraction as number).toBeGreaterThanOrEqual(0);
}

describe('gradscope rnn (in-process)', () => {
  it('--json prints one document with the promised fields, for every cell and task', async () => {
    checkJson(await inProcess(['--cell', 'rnn', '--task', 'adding', ...FAST, '--json']), 'rnn', 'adding', 10);
    checkJson(await inProcess(['--cell', 'lstm', '--task', 'order', ...FAST, '--json']), 'lstm', 'order', 10);
    checkJson(await inProcess(['--cell', 'gru', '--task', 'copy', ...FAST, '--clip-norm', 'none', '--truncate', '5', '--json']), 'gru', 'copy', 30);
  });

  it('prints a terminal view with the gradient through time', async () => {
    const o = await inProcess(['--cell', 'rnn', '--act', 'sigmoid', ...FAST]);
    expect(o.code).toBe(0);
    expect(o.stdout).toContain('gradient through time ‖∂ℓ/∂h_t‖');
    expect(o.stdout).toContain('σ_max(W_hh)');
    expect(o.stdout).toMatch(/1\/γ = 4/);
  });

  for (const [args, pattern] of [
    [['--cell', 'elman'], /--cell/],
    [['--length', '5'], /--length must be ≥ 10; got 5/],
    [['--hidden', 'many'], /--hidden must be an integer; got 'many'/],
    [['--clip-norm', '-1'], /--clip-norm must be > 0; got -1/],
    [['--act', 'softmax'], /elementwise/],
    [['--act', 'tanhh'], /unknown activation 'tanhh'/],
    [['--param', 'negative_slope=2'], /tanh: takes no parameters/],
  ] as const) {
    it(`${args.join(' ')} → exit 2 and one line on stderr`, async () => {
      const o = await inProcess([...FAST, ...args, '--json']);
      expect(o.code).toBe(2);
      expect(o.stdout).toBe('');
      expect(o.stderr.trim().split('\n').length).toBe(1);
      expect(o.stderr).toMatch(pattern);
    });
  }

  it('shows at most 24 time steps, always the first and the last', () => {
    expect(shownSteps(5)).toEqual([0, 1, 2, 3, 4]);
    const s = shownSteps(100);
    expect(s.length).toBe(24);
    expect(s[0]).toBe(0);
    expect(s[s.length - 1]).toBe(99);
  });
});

describe('gradscope rnn (spawned, once registered in src/cli/main.ts)', () => {
  it('--json through bin/gradscope.js', (ctx) => {
    if (!registered) ctx.skip();
    checkJson(spawned(['--cell', 'lstm', ...FAST, '--json']), 'lstm', 'adding', 10);
  });

  it('a bad option exits 2 with one line', (ctx) => {
    if (!registered) ctx.skip();
    const o = spawned(['--cell', 'elman', '--json']);
    expect(o.code).toBe(2);
    expect(o.stdout).toBe('');
    expect(o.stderr.trim().split('\n').length).toBe(1);
  });
});
