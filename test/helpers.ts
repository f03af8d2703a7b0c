// Shared helpers for tests that run the real command line (node bin/gradscope.js).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '..');

/** Result of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gradscope ...args` with the built dist/ and returns its exit code and output. */
export function cli(args: string[], opts: { cwd?: string; timeout?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/gradscope.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: opts.timeout ?? 120_000,
    // English unless a test asks for another language: the tests read what gradscope prints
    env: { ...process.env, NO_COLOR: '1', LC_ALL: '', LC_MESSAGES: '', LANG: 'C' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'gradscope-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `content` (a string, or JSON for anything else) into dir/name and returns the path. */
export function put(dir: string, name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

/** Asserts-friendly check that stderr is one sentence without a stack trace. */
export function oneCleanLine(stderr: string): boolean {
  const lines = stderr.trim().split('\n');
  return lines.length === 1 && !/\n\s+at /.test(stderr) && lines[0].startsWith('gradscope: ');
}

/** Newest modification time of the TypeScript sources (tests excluded) under `dir`. */
function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/ with tsc when it is missing or older than a source file (for running one test file alone). */
export function ensureBuilt(): void {
  const main = join(ROOT, 'dist/cli/main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestSource(join(ROOT, 'src'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
}
