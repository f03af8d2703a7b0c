// Issue item 7 and the "Also" list: `train` ignored SIGTERM (exit 143, no
// summary.json or model.json) though sweep and worker handled it. Now one
// handler (cli/signals.ts) serves train, study, sweep and worker: SIGINT,
// SIGTERM and SIGHUP alike stop at the next safe point, the command says
// what it kept, and exits 128 + the signal's number; a second signal quits
// at once. Issue item 6: standard output that fails (> /dev/full) is one
// sentence and exit 1, not an uncaught ENOSPC trace.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, writeFileSync, closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signalExitCode, stopOnSignals } from '../../src/cli/signals.js';
import { put, ROOT, tempDir } from '../helpers.js';
import { buildOnce, gsStart, lineCount, tinySweep, waitFor } from '../sweep/helpers.js';
import { expectSentence } from './helpers.js';

beforeAll(buildOnce, 180_000);

const work = tempDir('gradscope-signals-');
const LONG = { arch: '2-32-32-2', data: 'moons', loss: 'cross_entropy', epochs: null, maxSteps: 10_000_000, stepsEvery: 0, probe: { every: 100 } };

describe('train stops on SIGINT, SIGTERM and SIGHUP alike, keeping a complete run', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const)('%s: summary.json and model.json written, exit %i, says what it kept', async (sig, code) => {
    const cfg = put(work, `long-${sig}.json`, LONG);
    const out = join(work, `run-${sig}`);
    const p = gsStart(['train', cfg, '--out', out]);
    await waitFor(() => existsSync(join(out, 'metrics.jsonl')) && readFileSync(join(out, 'metrics.jsonl'), 'utf8').split('\n').length > 2, 60_000, 'two metrics lines');
    p.child.kill(sig);
    const r = await p.done;
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toContain(`gradscope train: ${sig}: stopping after the current step; summary.json and model.json will be written`);
    expect(r.stderr).toMatch(new RegExp(`gradscope train: stopped by ${sig} at step \\d+ of 10000000; kept .*run-${sig}: config\\.json, metrics\\.jsonl, summary\\.json, model\\.json`));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { stopReason: string; steps: number };
    expect(summary.stopReason).toBe('stopped');
    expect(summary.steps).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toMatch(/^\{"format":"gradscope-model\/2"/);
  });
});

describe('study and sweep', () => {
  it('study: a signal ends it at once and leaves the report folder as it was', async () => {
    const report = join(work, 'report');
    mkdirSync(report, { recursive: true });
    for (const f of ['index.html', 'results.json', 'summary.md']) writeFileSync(join(report, f), `old ${f}`);
    const p = gsStart(['study', '--quick', '--out', report, '--workers', '1']);
    // the digits are loaded and the tasks under way after a few seconds
    await new Promise((r) => setTimeout(r, 4000));
    const t0 = Date.now();
    p.child.kill('SIGHUP');
    const r = await p.done;
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code, r.stderr).toBe(129);
    expect(r.stderr).toContain(`gradscope study: SIGHUP; quitting now: no report was written; ${report} keeps its previous report, and ${join(report, 'lr-sweep')} the training runs recorded so far (--resume continues from them)`);
    // the old report as it was; beside it at most stage 3's sweep records, whole lines only, for --resume
    expect(readdirSync(report).filter((f) => f !== 'lr-sweep').sort()).toEqual(['index.html', 'results.json', 'summary.md']);
    for (const f of ['index.html', 'results.json', 'summary.md']) expect(readFileSync(join(report, f), 'utf8')).toBe(`old ${f}`);
    for (const f of existsSync(join(report, 'lr-sweep')) ? readdirSync(join(report, 'lr-sweep'), { recursive: true, encoding: 'utf8' }).filter((x) => x.endsWith('.jsonl')) : []) {
      const text = readFileSync(join(report, 'lr-sweep', f), 'utf8');
      expect(text === '' || text.endsWith('\n'), `${f} ends with a torn line`).toBe(true);
      for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(readdirSync(work).filter((f) => f.startsWith('report.'))).toEqual([]);
  });

  it('sweep: SIGHUP stops it like SIGINT, keeping the finished runs (exit 129)', async () => {
    const file = put(work, 'sweep.json', tinySweep({ seeds: [1, 2, 3, 4], steps: 400, width: 16 }));
    const dir = join(work, 'sweep');
    const p = gsStart(['sweep', file, '--out', dir, '--workers', '2']);
    await waitFor(() => lineCount(dir) >= 2, 60_000, 'two results');
    p.child.kill('SIGHUP');
    const r = await p.done;
    expect(r.code, r.stderr).toBe(129);
    expect(r.stderr).toMatch(new RegExp(`gradscope sweep: stopped by SIGHUP: ${lineCount(dir)} of 24 runs recorded in .*results\\.jsonl; rerun with --resume to finish`));
  });
});

describe('the shared handler (cli/signals.ts)', () => {
  const stoppers: { dispose(): void }[] = [];
  afterEach(() => stoppers.splice(0).forEach((s) => s.dispose()));

  it('the first signal aborts and says so; a second quits at once with 128 + the first signal, saying what is kept', () => {
    const lines: string[] = [];
    const exits: number[] = [];
    const s = stopOnSignals({ command: 'train', stopping: 'stopping after the current step', kept: () => 'the run folder keeps 3 lines', log: (l) => lines.push(l), exit: (c) => exits.push(c) });
    stoppers.push(s);
    process.emit('SIGHUP');
    expect(s.signal.aborted).toBe(true);
    expect(s.received).toBe('SIGHUP');
    expect(s.exitCode).toBe(129);
    expect(exits).toEqual([]);
    process.emit('SIGINT');
    expect(exits).toEqual([129]);
    expect(lines).toEqual(['gradscope train: SIGHUP: stopping after the current step (a second signal quits at once)', 'gradscope train: SIGINT again; quitting now: the run folder keeps 3 lines']);
    expect([signalExitCode('SIGINT'), signalExitCode('SIGTERM'), signalExitCode('SIGHUP')]).toEqual([130, 143, 129]);
  });
});

describe('standard output that cannot be written (item 6)', () => {
  it('activations --json > /dev/full: one sentence, exit 1, no stack trace', async () => {
    const full = openSync('/dev/full', 'w');
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin/gradscope.js'), 'activations', '--json'], { stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr }));
    });
    closeSync(full);
    expectSentence(r, 1, /^gradscope: cannot write to standard output \(the disk is full\)$/);
  });
});
