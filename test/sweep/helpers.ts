// Helpers for the sweep tests: building dist/ once, running `gradscope sweep`
// and `gradscope worker` (through bin/gradscope.js once main.ts registers them,
// through test/sweep/entry.mjs until then), small fast sweeps, reading stores.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deterministicPart, recordSchema, type RunRecord } from '../../src/sweep/record.js';
import { ROOT, type CliResult } from '../helpers.js';

export { ROOT };

/** Newest modification time of the compiled sources' inputs. */
function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Whether dist/ is at least as new as every source file. */
function fresh(): boolean {
  const probe = join(ROOT, 'dist/sweep/pool-worker.js');
  return existsSync(probe) && existsSync(join(ROOT, 'dist/cli/main.js')) && statSync(probe).mtimeMs >= newestSource(join(ROOT, 'src'));
}

/**
 * Builds dist/ when it is missing or older than a source file (call from
 * beforeAll). Test files run in parallel: a lock folder makes one of them
 * build while the others wait, so no test reads a half-written dist/.
 */
export function buildOnce(): void {
  if (fresh()) return;
  const lock = join(ROOT, 'node_modules/.cache/gradscope-build-lock');
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another test file is building; a lock older than 3 minutes was left by a killed run
      const st = statSync(lock, { throwIfNoEntry: false });
      if (st !== undefined && Date.now() - st.mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      if (Date.now() - t0 > 300_000) throw new Error('timed out waiting for another test file to build dist/');
    }
  }
  try {
    if (fresh()) return;
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The script that runs the CLI: bin/gradscope.js when it knows `sweep`, else the test entry. */
export function entry(): string {
  const main = join(ROOT, 'dist/cli/main.js');
  const registered = existsSync(main) && readFileSync(main, 'utf8').includes('sweepCommand');
  return registered ? join(ROOT, 'bin/gradscope.js') : join(ROOT, 'test/sweep/entry.mjs');
}

const ENV = { ...process.env, NO_COLOR: '1' };

/** Runs `gradscope ...args` and waits for it. */
export function gs(args: string[], timeout = 120_000): CliResult {
  const r = spawnSync(process.execPath, [entry(), ...args], { cwd: ROOT, encoding: 'utf8', timeout, env: ENV });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `gradscope ...args` without waiting; collects its output. */
export function gsStart(args: string[]): { child: ChildProcess; out: { stdout: string; stderr: string }; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [entry(), ...args], { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : -1), ...out })));
  return { child, out, done };
}

/** Runs `gradscope ...args` asynchronously (several can run at once). */
export function gsAsync(args: string[]): Promise<CliResult> {
  return gsStart(args).done;
}

/** Resolves when `cond()` holds, polling every 25 ms; rejects after `ms`. */
export async function waitFor(cond: () => boolean, ms = 30_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The complete, valid lines of DIR/results.jsonl. */
export function storeLines(dir: string): RunRecord[] {
  const file = join(dir, 'results.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        const r = recordSchema.safeParse(JSON.parse(l));
        return r.success ? [r.data] : [];
      } catch {
        return [];
      }
    });
}

/** Number of complete lines in DIR/results.jsonl (0 when there is none). */
export function lineCount(dir: string): number {
  const file = join(dir, 'results.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.endsWith('}')).length : 0;
}

/** Records by id, without timing and worker, for comparing sweeps run different ways. */
export function byId(records: readonly RunRecord[]): Map<string, unknown> {
  return new Map(records.map((r) => [r.id, deterministicPart(r)]));
}

/** A sweep file of tiny runs on `moons`: activation × depth × seed, `steps` steps each. */
export function tinySweep(o: { acts?: string[]; depths?: number[]; seeds?: number[]; steps?: number; width?: number; samples?: number } = {}): Record<string, unknown> {
  return {
    format: 'gradscope-sweep/1',
    name: 'tiny',
    base: {
      arch: `2-${o.width ?? 8}-${o.width ?? 8}-2`,
      loss: 'cross_entropy',
      init: 'xavier_normal',
      optimizer: { name: 'sgd', lr: 0.1 },
      batchSize: 16,
      epochs: null,
      maxSteps: o.steps ?? 30,
      data: { name: 'moons', samples: o.samples ?? 200 },
      probe: { samples: 64 },
    },
    grid: { activation: o.acts ?? ['sigmoid', 'tanh', 'relu'], depth: o.depths ?? [1, 3], seed: o.seeds ?? [1, 2] },
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether Debian's redis-server is installed (.ci/run installs it); the queue tests are skipped without it. */
export const redisAvailable = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;

/** Starts a redis-server without persistence on a free loopback port and waits until it answers. */
export async function startRedis(): Promise<{ child: ChildProcess; port: number; url: string }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor(() => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG', 10_000, 'redis-server');
  return { child, port, url: `redis://127.0.0.1:${port}` };
}
