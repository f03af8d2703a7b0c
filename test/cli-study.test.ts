// The main job end to end: `gradscope study --quick` writes the three report files
// with every section, and `probe --json` gives every documented field.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, oneCleanLine, tempDir } from './helpers.js';

describe('gradscope study --quick', () => {
  it('writes index.html, results.json and summary.md with all sections', () => {
    const out = tempDir();
    const r = cli(['study', '--quick', '--out', out], { timeout: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['index.html', 'results.json', 'summary.md']) expect(existsSync(join(out, f)), f).toBe(true);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(res.format).toBe('gradscope-study/1');
    expect(res.quick).toBe(true);
    for (const k of ['bound', 'nielsen', 'activationDepth', 'exploding', 'conclusions']) expect(res[k], k).toBeTruthy();
    expect(res.nielsen.networks).toHaveLength(4);
    expect(res.activationDepth.runs.length).toBe(res.activationDepth.activations.length * res.activationDepth.depths.length);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const h of ['The derivative bound', "Nielsen", 'Activation × depth', 'Exploding gradients', 'Conclusions']) expect(html).toContain(h);
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(r.stdout).toMatch(/report: /);
  });

  it('is reproducible from the seed: one thread and two worker threads give identical numbers', () => {
    const a = tempDir(), b = tempDir();
    expect(cli(['study', '--quick', '--workers', '1', '--out', a]).code).toBe(0);
    expect(cli(['study', '--quick', '--workers', '2', '--out', b]).code).toBe(0);
    const strip = (f: string) => {
      // wall-clock fields are the only ones allowed to differ
      return JSON.parse(readFileSync(join(f, 'results.json'), 'utf8'), (k, v) => (k === 'seconds' || k === 'createdAt' || k === 'wall' ? undefined : v));
    };
    expect(strip(a)).toEqual(strip(b));
  });
});

describe('gradscope probe', () => {
  it('--json has every documented field, layers indexed from 1 on the input side', () => {
    const r = cli(['probe', '--arch', '784-30x3-10', '--act', 'sigmoid', '--init', 'nielsen', '--samples', '300', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.arch).toEqual([784, 30, 30, 30, 10]);
    for (const k of ['activation', 'init', 'loss', 'samples', 'seed', 'layers', 'firstToLast', 'verdict']) expect(j, k).toHaveProperty(k);
    expect(j.samples).toBe(300);
    expect(j.layers.map((l: { index: number }) => l.index)).toEqual([1, 2, 3, 4]);
    for (const l of j.layers)
      for (const k of ['biasGradNorm', 'weightGradNorm', 'deltaNormPerExample', 'meanAbsDerivative', 'saturatedFraction', 'deadFraction', 'activationMean', 'activationStd', 'jacobianMaxSingular', 'jacobianMeanSingular'])
        expect(l, k).toHaveProperty(k);
    expect(j.firstToLast).toBeCloseTo(j.layers[0].biasGradNorm / j.layers[2].biasGradNorm, 12);
    expect(['vanishing', 'exploding', 'dead', 'saturated', 'healthy']).toContain(j.verdict.kind);
    expect(typeof j.verdict.cause).toBe('string');
  });

  it('says vanishing for a deep sigmoid net and names remedies in the terminal view', () => {
    const r = cli(['probe', '--arch', '784-30x8-10', '--act', 'sigmoid', '--init', 'xavier_uniform', '--samples', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict: vanishing/);
    expect(r.stdout).toMatch(/relu/);
  });

  it('rejects a mismatched architecture, an unknown init and a bad sample count with one sentence', () => {
    for (const args of [['--arch', '10-5-10'], ['--init', 'xavier'], ['--samples', '-3'], ['--act', 'sigmoidd'], ['--data', 'spirl']]) {
      const r = cli(['probe', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
    }
  });
});
