// `gradscope train` through the real command line: bad configs give one
// sentence and exit 2 before any run directory exists, --json prints only the
// summary, a blow-up exits 1 with its finding, Ctrl-C stops after the current
// step with a complete run directory, and the --out/--force checks.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRunDir, prepareRunDir } from '../src/cli/commands/train.js';
import { runFromConfig } from '../src/run/config.js';
import { cli, oneCleanLine, put, ROOT, tempDir, ensureBuilt } from './helpers.js';

// build dist/ once when it is missing or older than a source file
beforeAll(ensureBuilt, 180_000);

const MOONS = { arch: '2-8-8-2', activation: 'relu', init: 'he_normal', loss: 'cross_entropy', optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 16, epochs: null, maxSteps: 100, data: { name: 'moons', samples: 400 }, probe: { every: 25, samples: 200 }, seed: 3 };

describe('gradscope train: bad input', () => {
  it('exits 2 with one sentence naming the file, field and value, and creates no run directory', () => {
    const dir = tempDir();
    const file = put(dir, 'run.json', { ...MOONS, loss: 'mse' });
    const r = cli(['train', file, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).not.toMatch(/\bat /);
    expect(r.stderr.trim()).toBe(`gradscope: ${file}: loss: must be one of quadratic, binary_cross_entropy, cross_entropy; got "mse"`);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('names the flag when the data a flag asked for cannot be used, and the file when the file did', () => {
    const dir = tempDir();
    const file = put(dir, 'run.json', MOONS);
    const flagged = cli(['train', file, '--samples', '4', '--out', join(dir, 'a')]);
    expect(flagged.code).toBe(2);
    expect(flagged.stderr.trim()).toMatch(/^gradscope: --samples must be large enough for testFraction 0\.2 to hold out an example .*; got 4$/);
    const written = cli(['train', put(dir, 'small.json', { ...MOONS, data: { name: 'moons', samples: 4 } }), '--out', join(dir, 'b')]);
    expect(written.code).toBe(2);
    expect(written.stderr.trim()).toMatch(/small\.json: samples: must be large enough/);
    const arch = cli(['train', file, '--arch', '784-4-2', '--out', join(dir, 'c')]);
    expect([arch.code, arch.stderr.trim()]).toEqual([2, "gradscope: --arch: starts with 784 inputs but dataset 'moons' has 2 features; use 2-…-2"]);
    expect(readdirSync(dir).sort()).toEqual(['run.json', 'small.json']);
  });

  it('exits 2 for an architecture that does not fit the data', () => {
    const dir = tempDir();
    const file = put(dir, 'run.json', { ...MOONS, arch: '784-30-10' });
    const r = cli(['train', file, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain("arch: starts with 784 inputs but dataset 'moons' has 2 features");
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('exits 2 for a missing file, invalid JSON and a bad --steps', () => {
    const dir = tempDir();
    expect(cli(['train', join(dir, 'nope.json')]).stderr).toMatch(/nope\.json: cannot read the file \(no such file\)/);
    const bad = put(dir, 'bad.json', '{"arch": ');
    const r = cli(['train', bad]);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    const s = cli(['train', put(dir, 'ok.json', MOONS), '--steps', '0']);
    expect(s.code).toBe(2);
    expect(s.stderr.trim()).toBe('gradscope: --steps must be ≥ 1; got 0');
  });

  it('refuses a non-empty --out unless --force', () => {
    const dir = tempDir();
    const file = put(dir, 'run.json', { ...MOONS, maxSteps: 10 });
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'summary.json'), '{}');
    const r = cli(['train', file, '--out', out]);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/is not empty.*--force/);
    const f = cli(['train', file, '--out', out, '--force', '--json']);
    expect(f.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).steps).toBe(10);
  });
});

describe('gradscope train: runs', () => {
  it('--json prints only summary.json; --steps and --seed override the config', () => {
    const dir = tempDir();
    const file = put(dir, 'run.json', MOONS);
    const out = join(dir, 'out');
    const r = cli(['train', file, '--out', out, '--json', '--steps', '40', '--seed', '5']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { steps: number; stopReason: string; model: string };
    expect(doc).toMatchObject({ steps: 40, stopReason: 'max_steps', model: 'model.json' });
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toEqual(doc);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ seed: 5, maxSteps: 40, epochs: null });
    for (const f of ['metrics.jsonl', 'steps.jsonl', 'model.json']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('prints a human summary without --json', () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const r = cli(['train', put(dir, 'run.json', MOONS), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^train \[2, 8, 8, 2\]/);
    expect(r.stdout).toContain('100 steps');
    expect(r.stdout).toContain(`run directory: ${out}`);
  });

  it('writes to runs/<timestamp>-<hash> by default', () => {
    const dir = tempDir();
    const file = put(dir, 'run.json', { ...MOONS, maxSteps: 5 });
    const r = cli(['train', file, '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const runs = readdirSync(join(dir, 'runs'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^\d{8}-\d{6}-[0-9a-f]{8}$/);
    expect(existsSync(join(dir, 'runs', runs[0], 'summary.json'))).toBe(true);
  });

  it('exits 1 with the finding when the gradient explodes', () => {
    const dir = tempDir();
    const file = put(dir, 'explode.json', { arch: '2-32x6-2', activation: 'relu', init: 'normal:10', optimizer: { lr: 1 }, epochs: null, maxSteps: 200, data: 'xor' });
    const out = join(dir, 'out');
    const r = cli(['train', file, '--out', out, '--json']);
    expect(r.code).toBe(1);
    const errLines = r.stderr.trim().split('\n').filter((l) => l.startsWith('gradscope: '));
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/^gradscope: the run blew up: step \d+: .*layer \d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { stopReason: string; nonFinite: { step: number; layer: number; quantity: string; message: string } };
    expect(s.stopReason).toBe('non_finite');
    expect(Object.keys(s.nonFinite).sort()).toEqual(['layer', 'message', 'quantity', 'said', 'step']);
  });

  it('stops after the current step on Ctrl-C and leaves a complete run directory', async () => {
    const dir = tempDir();
    const file = put(dir, 'long.json', { ...MOONS, maxSteps: 10_000_000, probe: { every: 50, samples: 200 } });
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [join(ROOT, 'bin/gradscope.js'), 'train', file, '--out', out], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const metrics = join(out, 'metrics.jsonl');
    const deadline = Date.now() + 60_000;
    while (!(existsSync(metrics) && readFileSync(metrics, 'utf8').split('\n').length > 4)) {
      if (Date.now() > deadline) throw new Error(`no metrics after 60 s; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await exited;
    expect([0, 130]).toContain(code);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { stopReason: string; steps: number };
    expect(summary.stopReason).toBe('stopped');
    const text = readFileSync(metrics, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { step: number });
    expect(lines.length).toBeGreaterThan(4);
    expect(lines[lines.length - 1].step).toBe(summary.steps);
    for (let i = 1; i < lines.length; i++) expect(lines[i].step).toBeGreaterThan(lines[i - 1].step);
    for (const l of readFileSync(join(out, 'steps.jsonl'), 'utf8').trimEnd().split('\n')) JSON.parse(l);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
    expect(stderr).toContain('stopping after the current step');
  });
});

describe('prepareRunDir and defaultRunDir', () => {
  it('removes only the run files with force', () => {
    const dir = join(tempDir(), 'busy');
    mkdirSync(dir);
    writeFileSync(join(dir, 'metrics.jsonl'), '{}\n');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(() => prepareRunDir(dir, false)).toThrow(/is not empty .*--force/);
    prepareRunDir(dir, true);
    expect(existsSync(join(dir, 'metrics.jsonl'))).toBe(false);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  });

  it('refuses a path that is a file, or below a file', () => {
    const f = join(tempDir(), 'a-file');
    writeFileSync(f, '');
    expect(() => prepareRunDir(f, false)).toThrow(/exists and is not a directory/);
    expect(() => prepareRunDir(join(f, 'sub'), false)).toThrow(/is not writable/);
  });

  it('names the default directory by time and config hash', () => {
    const cfg = runFromConfig({}, 'run.json');
    expect(defaultRunDir(cfg, new Date(2024, 0, 2, 3, 4, 5))).toMatch(/^runs\/20240102-030405-[0-9a-f]{8}$/);
    expect(defaultRunDir({ ...cfg, seed: 2 }, new Date(2024, 0, 2, 3, 4, 5))).not.toBe(defaultRunDir(cfg, new Date(2024, 0, 2, 3, 4, 5)));
  });
});
