// Helpers for the reliability tests: running the CLI's own code in this
// process (fast, output captured), checking the one-sentence error form,
// and a tmpfs of a given size (needs root; CI runs as root).
import { spawnSync } from 'node:child_process';
import { vi, expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tempDir, type CliResult } from '../helpers.js';

/** Runs `gradscope ...argv` through main() in this process, capturing stdout and stderr. */
export async function inProcess(argv: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((t: string | Uint8Array) => ((stdout += String(t)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((t: string | Uint8Array) => ((stderr += String(t)), true));
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Expects exit `code` and one line "gradscope: …" matching `re` on stderr, no stack trace. */
export function expectSentence(r: CliResult, code: number, re: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('gradscope: '));
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(lines[0]).toMatch(re);
}

const mounted: string[] = [];

/** Mounts a tmpfs of `size` (e.g. '256k') at a fresh folder; null where this machine does not allow it. */
export function tmpfs(size: string, ro = false): string | null {
  if (process.getuid?.() !== 0) return null;
  const dir = tempDir('gradscope-tmpfs-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${ro ? ',ro' : ''}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  mounted.push(dir);
  return dir;
}

/** Unmounts every tmpfs `tmpfs` mounted (call from afterAll). */
export function unmountAll(): void {
  for (const d of mounted.splice(0)) spawnSync('umount', ['-l', d]);
}

/** Whether tmpfs mounts work here (root and a kernel that allows them). */
export const canMount = ((): boolean => {
  const d = tmpfs('64k');
  unmountAll();
  return d !== null;
})();
