// Full and unwritable output folders on real file systems: a tmpfs too small
// for the sweep is refused before any run starts; a tmpfs that fills up
// mid-sweep stops it cleanly with every written line intact, and --resume
// finishes it once there is room; a read-only mount is refused up front.
// Mounting needs root (CI runs as root); elsewhere these tests are skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneCleanLine, put, tempDir } from '../helpers.js';
import { buildOnce, gs, gsStart, lineCount, storeLines, tinySweep, waitFor } from './helpers.js';

const mounted: string[] = [];

/** Mounts a tmpfs of `size` at a fresh folder (read-only with `ro`); null when this machine does not let us. */
function mountTmpfs(size: string, ro = false): string | null {
  const dir = tempDir('gradscope-tmpfs-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${ro ? ',ro' : ''}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  mounted.push(dir);
  return dir;
}

// tmpfs mounts need root and a kernel that allows them (CI runs .ci/run as root)
const probe = process.getuid?.() === 0 ? mountTmpfs('64k') : null;
const canMount = probe !== null;

beforeAll(buildOnce, 180_000);
afterAll(() => {
  for (const d of mounted) spawnSync('umount', ['-l', d]);
});

describe.skipIf(!canMount)('full and unwritable folders (tmpfs; needs root)', () => {
  const work = tempDir('gradscope-sweep-disk-');

  it('refuses a folder without room for the sweep before any run starts', () => {
    const file = put(work, 'small-disk.json', tinySweep({ steps: 10 }));
    const out = join(probe as string, 'out');
    const r = gs(['sweep', file, '--out', out, '--workers', '2']);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toMatch(/--out .*: only 0\.0\d MB free but the sweep needs about 0\.\d\d MB; free some space or choose another folder/);
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    expect(existsSync(join(out, 'results.jsonl'))).toBe(false);
  });

  it('refuses a read-only folder before any run starts', () => {
    const ro = mountTmpfs('1m', true);
    expect(ro).not.toBeNull();
    const file = put(work, 'ro.json', tinySweep({ steps: 10 }));
    const r = gs(['sweep', file, '--out', ro as string]);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toContain('cannot write there (the file system is read-only); choose another folder');
  });

  it('stops cleanly when the disk fills mid-sweep, keeps every line whole, and resumes once there is room', async () => {
    const disk = mountTmpfs('2m');
    expect(disk).not.toBeNull();
    const out = join(disk as string, 'out');
    // 24 runs of ~100 ms, so the disk fills while runs are in flight
    const file = put(work, 'fills.json', tinySweep({ acts: ['sigmoid', 'tanh', 'relu'], depths: [1, 3], seeds: [1, 2, 3, 4], steps: 400, width: 16 }));
    const p = gsStart(['sweep', file, '--out', out, '--workers', '2']);
    await waitFor(() => lineCount(out) >= 2, 60_000, 'two results');
    const filler = join(disk as string, 'filler');
    const s = statfsSync(disk as string);
    try {
      writeFileSync(filler, Buffer.alloc(s.bavail * s.bsize));
    } catch {
      // ENOSPC once it is full: that is the point
    }
    const r = await p.done;
    const kept = lineCount(out);
    if (kept < 24) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/(cannot record a result|cannot write the run directory) .*\(the disk is full\)/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // every line on disk is a whole result, none repeated
    const text = readFileSync(join(out, 'results.jsonl'), 'utf8');
    expect(text === '' || text.endsWith('\n')).toBe(true);
    expect(storeLines(out)).toHaveLength(kept);
    rmSync(filler);
    const again = gs(['sweep', file, '--out', out, '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('dropped');
    expect(lineCount(out)).toBe(24);
    expect(new Set(storeLines(out).map((x) => x.id)).size).toBe(24);
  });
});

describe.skipIf(canMount)('full and unwritable folders', () => {
  it('are tested only where tmpfs can be mounted (root)', () => {
    mkdirSync(tempDir(), { recursive: true });
    expect(canMount).toBe(false);
  });
});
