// `gradscope bench --quick --json` through the built command: stdout is one
// JSON document of the documented shape (machine with the PyTorch it found,
// workloads with gradscope on one and two threads, peers, ratios and the
// best-against-best ratios), progress stays on stderr, --only filters and a
// bad name is one sentence with exit code 2. Shapes only: speed is the
// bench's job, never a test's. PyTorch is optional (CI has none): with it,
// torch-1t and torch-2t must be there and the report must say which BLAS it
// loaded; without it, a note must say it was not found.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from './helpers.js';

// build dist/ once when it is missing or older than a source file
beforeAll(ensureBuilt, 180_000);

// Runs the built `bench` command in a child process exactly as gradscope's
// main does (commander, exitOverride, the same error reporting), so the test
// does not depend on how main.ts registers it.
const DRIVER = `
import { Command } from 'commander';
import { benchCommand } from './dist/cli/commands/bench.js';
import { reportError } from './dist/cli/main.js';
const state = { code: 0 };
const program = new Command('gradscope').exitOverride();
program.addCommand(benchCommand(state).exitOverride());
try {
  await program.parseAsync(process.argv.slice(1), { from: 'user' });
  process.exitCode = state.code;
} catch (e) {
  process.exitCode = reportError(e, false);
}
`;

/** Runs `gradscope bench ...args`. */
function bench(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', DRIVER, 'bench', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 600_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Summary {
  median: number;
  min: number;
  max: number;
}

/** A finite {median, min, max} with min ≤ median ≤ max. */
function expectSummary(s: unknown, what: string): void {
  const v = s as Summary;
  for (const k of ['median', 'min', 'max'] as const) expect(Number.isFinite(v?.[k]) && v[k] > 0, `${what}.${k} = ${v?.[k]}`).toBe(true);
  expect(v.min).toBeLessThanOrEqual(v.median);
  expect(v.median).toBeLessThanOrEqual(v.max);
}

describe('gradscope bench --quick --json', () => {
  it('prints one JSON document of the documented shape, progress on stderr only', () => {
    const r = bench(['--quick', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const doc = JSON.parse(r.stdout) as {
      machine: Record<string, unknown> & { torch: { version: string; blas: string[]; blasKind: string; threads: number[] } | null };
      quick: boolean;
      settle: unknown;
      threads: { shared: number; alone: number; holdUps: number; waitedMs: number } | null;
      notes: string[];
      workloads: {
        name: string;
        unit: string;
        kernels: string;
        gradscope: unknown;
        peers: Record<string, unknown>;
        ratio: Record<string, number>;
        variants: Record<string, Summary & { ratio: Record<string, number> }>;
        best: Record<string, { gradscope: string; peer: string; ratio: number }>;
        initialLoss?: Record<string, number>;
        limit?: Summary;
      }[];
    };
    expect(doc.quick).toBe(true);
    // --quick waits for nothing and runs each trial once
    expect(doc.settle).toBeNull();
    expect(typeof doc.machine.node).toBe('string');
    expect(typeof doc.machine.cpu).toBe('string');
    expect(doc.machine.cores).toBeGreaterThan(0);
    expect(doc.machine.wasmSimd).toBe(true);
    expect(doc.machine.threads).toBe(2);
    expect(typeof doc.machine.relaxedSimd).toBe('boolean');
    // the 2-thread variant's jobs: some were split, and any run alone are said in a note
    expect(doc.threads?.shared).toBeGreaterThan(0);
    expect(doc.threads?.alone === 0 || doc.notes.some((n) => /jobs gradscope-2t could split ran on one thread/.test(n))).toBe(true);
    const torch = doc.machine.torch;
    if (torch) {
      expect(typeof torch.version).toBe('string');
      expect(torch.threads).toEqual([1, 2]);
      expect(['openblas', 'mkl', 'reference', 'other', 'none']).toContain(torch.blasKind);
    } else expect(doc.notes.some((n) => /PyTorch not found/.test(n))).toBe(true);
    const peers = ['tfjs-cpu', 'tfjs-wasm', ...(torch ? ['torch-1t', 'torch-2t'] : [])].sort();
    expect(doc.workloads.map((w) => w.name)).toEqual(['a-sigmoid-784-30-10', 'b-tanh-20x64', 'c-relu-784-256-256-10', 'd-matmul-256', 'd-matmul-1024', 'e-lstm-128']);
    for (const w of doc.workloads) {
      expect(w.unit).toBe(w.name.startsWith('d-') ? 'GFLOP/s' : 'examples/s');
      expect(w.kernels).toBe('wasm');
      expectSummary(w.gradscope, `${w.name}.gradscope`);
      expectSummary(w.variants['gradscope-2t'], `${w.name}.variants.gradscope-2t`);
      expectSummary(w.variants['gradscope-js'], `${w.name}.variants.gradscope-js`);
      if (w.unit === 'examples/s') expectSummary(w.variants['gradscope-f64'], `${w.name}.variants.gradscope-f64`);
      else expect(w.variants['gradscope-f64']).toBeUndefined();
      // the sparse products off, beside them: training workloads only (the LSTM's own isn't one)
      if (w.name < 'd') expectSummary(w.variants['gradscope-2t-dense'], `${w.name}.variants.gradscope-2t-dense`);
      else expect(w.variants['gradscope-2t-dense']).toBeUndefined();
      // the products' limit on one core is measured beside them, and only for them
      if (w.unit === 'GFLOP/s') expectSummary(w.limit, `${w.name}.limit`);
      else expect(w.limit).toBeUndefined();
      // tfjs is a dev dependency, so both of its peers run here
      expect(Object.keys(w.peers).sort()).toEqual(peers);
      for (const p of peers) {
        expectSummary(w.peers[p], `${w.name}.peers.${p}`);
        expect(w.ratio[p]).toBeCloseTo((w.gradscope as Summary).median / (w.peers[p] as Summary).median, 9);
      }
      for (const family of torch ? ['tfjs', 'torch'] : ['tfjs']) {
        const b = w.best[family];
        expect(['gradscope', 'gradscope-2t']).toContain(b.gradscope);
        const mine = b.gradscope === 'gradscope' ? (w.gradscope as Summary) : w.variants[b.gradscope];
        expect(b.ratio).toBeCloseTo(mine.median / (w.peers[b.peer] as Summary).median, 9);
      }
      if (w.unit === 'examples/s') expect(Object.keys(w.initialLoss ?? {}).sort()).toEqual(['gradscope', 'gradscope-2t', ...(w.name < 'd' ? ['gradscope-2t-dense'] : []), 'gradscope-f64', 'gradscope-js', ...peers].sort());
    }
    // the same network everywhere: no note says otherwise
    expect(doc.notes.filter((n) => /do not train the same network/.test(n))).toEqual([]);
    expect(r.stderr).toMatch(/gradscope bench: e-lstm-128: repetition 1\/1/);
  }, 600_000);

  it('runs only the selected workloads with --only (a prefix selects several)', () => {
    const r = bench(['--quick', '--json', '--only', 'd-matmul-256', '--no-peers', '--reps', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/repetition 3\/3/);
    const doc = JSON.parse(r.stdout) as { workloads: { name: string; peers: object; ratio: object }[] };
    expect(doc.workloads.map((w) => w.name)).toEqual(['d-matmul-256']);
    expect(doc.workloads[0].peers).toEqual({});
    expect(doc.workloads[0].ratio).toEqual({});
  }, 60_000);

  it('times repetitions of at least 0.25 s, each started on a quiet machine, beside the limit (without --quick)', () => {
    const r = bench(['--json', '--only', 'd-matmul-256', '--no-peers', '--reps', '1']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { settle: { repSeconds: number; windowMs: number; busyCores: number; maxMs: number; waitedMs: Summary; busyStarts: number }; workloads: { name: string; limit: Summary; gradscope: Summary }[] };
    expect(doc.settle.repSeconds).toBe(0.25);
    expect(doc.settle).toMatchObject({ windowMs: 50, busyCores: 0.25, maxMs: 1000 });
    // one wait per timed repetition of each of gradscope, gradscope-2t, gradscope-js and the limit
    expect(doc.settle.waitedMs.min).toBeGreaterThanOrEqual(doc.settle.windowMs - 5);
    expect(doc.settle.waitedMs.max).toBeLessThanOrEqual(doc.settle.maxMs + 200);
    expect(Number.isInteger(doc.settle.busyStarts)).toBe(true);
    expectSummary(doc.workloads[0].limit, 'd-matmul-256.limit');
    expectSummary(doc.workloads[0].gradscope, 'd-matmul-256.gradscope');
  }, 120_000);

  it('speaks Chinese with --lang zh-TW: progress, method and headers', () => {
    const r = bench(['--quick', '--only', 'a-sigmoid', '--no-peers', '--lang', 'zh-TW']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/a-sigmoid-784-30-10：第 1\/1 次重複/);
    expect(r.stdout).toMatch(/工作負載\s+單位/);
    expect(r.stdout).toMatch(/a-sigmoid-784-30-10\s+樣本\/秒/);
    for (const english of ['repetition', 'preparing', 'examples/s', 'workload', 'best ÷', 'warm-up']) expect(`${r.stdout}${r.stderr}`).not.toContain(english);
  }, 60_000);

  it('prints a table without --json', () => {
    const r = bench(['--quick', '--only', 'd-matmul-256', '--reps', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/gradscope bench --quick/);
    expect(r.stdout).toMatch(/d-matmul-256\s+GFLOP\/s/);
    expect(r.stdout).toMatch(/÷ tfjs-wasm/);
  }, 60_000);

  it('rejects an unknown workload with one sentence and exit code 2', () => {
    const r = bench(['--quick', '--only', 'zzz']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n').pop()).toBe("gradscope: bench: --only 'zzz' matches no workload; expected one of a-sigmoid-784-30-10, b-tanh-20x64, c-relu-784-256-256-10, d-matmul-256, d-matmul-1024, e-lstm-128 (or a prefix such as 'd')");
  }, 60_000);

  it('rejects an unknown peer with one sentence and exit code 2', () => {
    const r = bench(['--quick', '--peers', 'tfjs,jax']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toBe("gradscope: bench: --peers: 'jax' is not a peer; expected a comma-separated list of tfjs, torch, or none");
  }, 60_000);
});
