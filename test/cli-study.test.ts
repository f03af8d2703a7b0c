// The main job end to end: `gradscope study --quick` writes the three report files
// with every section, and `probe --json` gives every documented field.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, oneCleanLine, tempDir } from './helpers.js';
import { englishIn, pageText } from '../src/i18n/english.test-helper.js';

describe('gradscope study --quick', () => {
  it('writes index.html, results.json and summary.md with all sections', () => {
    const out = tempDir();
    const r = cli(['study', '--quick', '--out', out], { timeout: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['index.html', 'results.json', 'summary.md']) expect(existsSync(join(out, f)), f).toBe(true);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(res.format).toBe('gradscope-study/1');
    expect(res.quick).toBe(true);
    for (const k of ['bound', 'nielsen', 'activationDepth', 'exploding', 'remedies', 'recurrent', 'conclusions', 'claims']) expect(res[k], k).toBeTruthy();
    expect(res.nielsen.networks).toHaveLength(4);
    const ad = res.activationDepth;
    expect(ad.cells.length).toBe(ad.activations.length * ad.depths.length);
    // --quick: at least 2 seeds per training cell, a rate chosen from the grid
    for (const c of ad.cells) {
      expect(c.training.runs.length, `${c.activation} × ${c.depth}`).toBeGreaterThanOrEqual(2);
      expect(ad.lrs).toContain(c.training.chosenLr);
    }
    // every claim in the shape results.json promises
    expect(res.claims.length).toBeGreaterThan(10);
    for (const c of res.claims) {
      for (const k of ['id', 'claim', 'source', 'published', 'measured', 'test', 'agrees']) expect(c, k).toHaveProperty(k);
      for (const k of ['median', 'lo', 'hi', 'seeds']) expect(c.measured, `${c.id}.measured`).toHaveProperty(k);
      expect(['yes', 'no', 'partly', 'indistinguishable']).toContain(c.agrees);
    }
    // stage 3's learning-rate sweeps left their manifests and result stores
    const sweeps = readdirSync(join(out, 'lr-sweep'));
    expect(sweeps).toHaveLength(2);
    for (const d of sweeps) for (const f of ['manifest.json', 'results.jsonl']) expect(existsSync(join(out, 'lr-sweep', d, f)), `${d}/${f}`).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const h of ['The derivative bound', "Nielsen", 'Activation × depth', 'Exploding gradients', 'Conclusions', 'Claims']) expect(html).toContain(h);
    expect(r.stdout).toMatch(/\d+ claims tested: \d+ yes, \d+ partly, \d+ indistinguishable, \d+ no\./);
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(r.stdout).toMatch(/report: /);
    // the new report carried the sweep records, and --resume recomputes none of them: same lines, same numbers
    const lines = (): Record<string, number> => Object.fromEntries(sweeps.map((d) => [d, readFileSync(join(out, 'lr-sweep', d, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).length]));
    const recorded = lines();
    for (const n of Object.values(recorded)) expect(n).toBeGreaterThan(0);
    const again = cli(['study', '--quick', '--resume', '--out', out], { timeout: 300_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(join(out, 'lr-sweep')).sort()).toEqual([...sweeps].sort());
    expect(lines()).toEqual(recorded);
    const strip = (j: string) => JSON.parse(j, (k, v) => (k === 'seconds' || k === 'createdAt' || k === 'wall' ? undefined : v));
    expect(strip(readFileSync(join(out, 'results.json'), 'utf8')).activationDepth).toEqual(strip(JSON.stringify(res)).activationDepth);
  }, 720_000);

  it('is reproducible from the seed: one thread and two worker threads give identical numbers, in either language', () => {
    const a = tempDir(), b = tempDir();
    expect(cli(['study', '--quick', '--workers', '1', '--lang', 'en', '--out', a], { timeout: 300_000 }).code).toBe(0);
    const zh = cli(['study', '--quick', '--workers', '2', '--lang', 'zh-Hant', '--out', b], { timeout: 300_000 });
    // stderr carries the progress lines and nothing else (no runtime warning such as MaxListenersExceededWarning)
    expect(zh.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('[study] ')), zh.stderr).toEqual([]);
    expect(zh.code).toBe(0);
    const strip = (f: string) => {
      // wall-clock fields are the only ones allowed to differ
      return JSON.parse(readFileSync(join(f, 'results.json'), 'utf8'), (k, v) => (k === 'seconds' || k === 'createdAt' || k === 'wall' ? undefined : v));
    };
    expect(strip(a)).toEqual(strip(b));
    // the 繁體中文 report, summary.md and terminal summary say no English sentence; the English page no Chinese
    const zhHtml = readFileSync(join(b, 'index.html'), 'utf8');
    expect(zhHtml).toContain('<html lang="zh-Hant"');
    expect(englishIn(pageText(zhHtml)).map((f) => `${f.english} in …${f.context}…`)).toEqual([]);
    expect(englishIn(readFileSync(join(b, 'summary.md'), 'utf8')).map((f) => f.english)).toEqual([]);
    expect(englishIn(zh.stdout).map((f) => f.english)).toEqual([]);
    expect(pageText(readFileSync(join(a, 'index.html'), 'utf8'))).not.toMatch(/[\u3400-\u9fff]/);
  }, 720_000);
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
      for (const k of ['biasGradNorm', 'weightGradNorm', 'deltaNormPerExample', 'meanAbsDerivative', 'saturatedFraction', 'deadFraction', 'activationMean', 'activationStd', 'inputCorrelation', 'jacobianMaxSingular', 'jacobianMeanSingular'])
        expect(l, k).toHaveProperty(k);
    expect(j.firstToLast).toBeCloseTo(j.layers[0].biasGradNorm / j.layers[2].biasGradNorm, 12);
    expect(['vanishing', 'exploding', 'dead', 'saturated', 'collapsed', 'healthy']).toContain(j.verdict.kind);
    expect(typeof j.verdict.cause).toBe('string');
    expect(Array.isArray(j.verdict.findings)).toBe(true);
  });

  it('20 softplus layers with he_normal are collapsed (z correlation ≥ 0.999 in the last hidden layer); relu at the same depth is healthy', () => {
    const soft = JSON.parse(cli(['probe', '--arch', '784-32x20-10', '--act', 'softplus', '--init', 'he_normal', '--samples', '500', '--json']).stdout);
    expect(soft.layers[19].inputCorrelation).toBeGreaterThanOrEqual(0.999);
    expect(soft.verdict.kind).toBe('collapsed');
    expect(soft.verdict.findings[0]).toMatchObject({ kind: 'collapsed', layer: 20, measure: 'input correlation', threshold: 0.999 });
    const relu = JSON.parse(cli(['probe', '--arch', '784-32x20-10', '--act', 'relu', '--init', 'he_normal', '--samples', '500', '--json']).stdout);
    expect(relu.layers[19].inputCorrelation).toBeLessThan(0.999);
    expect(relu.verdict.kind).toBe('healthy');
    const text = cli(['probe', '--arch', '784-32x20-10', '--act', 'softplus', '--init', 'he_normal', '--samples', '500']).stdout;
    expect(text).toMatch(/z corr/);
    expect(text).toMatch(/verdict: collapsed — .*≥ 0\.999/);
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
