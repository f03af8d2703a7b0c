// `gradscope theory` through the real CLI: the JSON keys the issue lists, the published checks
// (ReLU's closed forms, tanh's critical points), --critical, the text view, and every bad value:
// one sentence on stderr and exit code 2. And `probe --init critical` saying what it chose.
import { beforeAll, describe, expect, it } from 'vitest';
import { englishIn } from '../src/i18n/english.test-helper.js';
import { cli, ensureBuilt, oneCleanLine } from './helpers.js';

beforeAll(() => ensureBuilt());

const KEYS = ['act', 'sigmaW2', 'sigmaB2', 'qStar', 'cStar', 'chi1', 'chiC', 'gradDepthScale', 'corrDepthScale', 'phase', 'criticalSigmaW2'];

function json(args: string[]): Record<string, unknown> {
  const r = cli(['theory', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('gradscope theory', () => {
  it('ReLU: χ₁ = σ_w²/2 exactly, q* = σ_b²/(1 − σ_w²/2), every listed key present', () => {
    const r = json(['--act', 'relu', '--sigma-w2', '1.5', '--sigma-b2', '0.1']);
    for (const k of KEYS) expect(r, k).toHaveProperty(k);
    expect(r.chi1).toBe(0.75);
    expect(Math.abs((r.qStar as number) - 0.1 / (1 - 0.75))).toBeLessThan(1e-13);
    expect(r.phase).toBe('ordered');
    expect(r.criticalSigmaW2).toBeNull();
  });

  it('tanh, σ_b = 0: critical σ_w² = 1; σ_b² = 0.05 with --critical: within 0.005 of 1.76, χ₁ = 1 to 1e-9, ξ infinite (null)', () => {
    expect(Math.abs((json(['--act', 'tanh', '--sigma-w2', '1.3']).criticalSigmaW2 as number) - 1)).toBeLessThan(1e-12);
    const r = json(['--act', 'tanh', '--critical', '--sigma-b2', '0.05']);
    expect(Math.abs((r.sigmaW2 as number) - 1.76)).toBeLessThan(0.005);
    expect(Math.abs((r.chi1 as number) - 1)).toBeLessThan(1e-9);
    expect(r.phase).toBe('critical');
    expect(r.gradDepthScale).toBeNull();
  });

  it('parameters: leaky_relu with slope 0.2 is critical at σ_w² = 2/(1 + 0.04)', () => {
    const r = json(['--act', 'leaky_relu', '--param', 'negative_slope=0.2', '--critical']);
    expect(Math.abs((r.sigmaW2 as number) - 2 / 1.04)).toBeLessThan(1e-14);
  });

  it('prints a readable table without --json', () => {
    const r = cli(['theory', '--act', 'tanh', '--sigma-w2', '2.5', '--sigma-b2', '0.05']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/χ₁\s+1\.1335/);
    expect(r.stdout).toMatch(/phase: chaotic/);
    expect(r.stdout).toMatch(/critical σ_w² for σ_b² = 0\.05: 1\.7609546/);
  });

  it('speaks 繁體中文 with --lang zh-TW (a locale naming it): the same numbers, no English sentence', () => {
    const args = ['theory', '--act', 'tanh', '--sigma-w2', '2.5', '--sigma-b2', '0.05'];
    const zh = cli([...args, '--lang', 'zh-TW']);
    const en = cli([...args, '--lang', 'en']);
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout).toMatch(/相：混沌相/);
    expect(zh.stdout).toMatch(/σ_b² = 0\.05 時的臨界 σ_w²：1\.7609546/);
    const numbers = (s: string) => s.match(/\d+\.\d+/g);
    expect(numbers(zh.stdout)).toEqual(numbers(en.stdout));
    expect(englishIn(zh.stdout).map((f) => f.english)).toEqual([]);
    // the check can fail: the English view is English
    expect(englishIn(en.stdout).length).toBeGreaterThan(3);
    const bad = cli([...args, '--lang', 'fr']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lang .*'fr' is invalid.*en or zh-Hant/);
  });

  it.each([
    [['--act', 'tanh', '--sigma-w2', '0'], /--sigma-w2 must be > 0; got 0/],
    [['--act', 'tanh', '--sigma-w2', 'abc'], /--sigma-w2 must be a number; got 'abc'/],
    [['--act', 'tanh', '--sigma-w2', '1', '--sigma-b2', '-0.1'], /--sigma-b2 must be ≥ 0; got -0.1/],
    [['--act', 'tanh'], /theory needs --sigma-w2/],
    [['--act', 'tanh', '--critical', '--sigma-w2', '1'], /--critical solves for σ_w²/],
    [['--act', 'maxout', '--sigma-w2', '1'], /maxout is not an elementwise activation/],
    [['--act', 'softmax', '--sigma-w2', '1'], /softmax is not an elementwise activation/],
    [['--act', 'nope', '--sigma-w2', '1'], /unknown activation 'nope'/],
    [['--act', 'relu', '--sigma-w2', '3'], /relu with σ_w² = 3, σ_b² = 0 has no fixed point q\*/],
    [['--act', 'relu', '--critical', '--sigma-b2', '0.05'], /relu with σ_b² = 0\.05 has no critical σ_w²/],
    [['--act', 'elu', '--param', 'alpha=-1', '--sigma-w2', '1'], /elu: parameter 'alpha' must be > 0; got -1/],
  ])('bad input %j: one sentence, exit 2', (args, message) => {
    const r = cli(['theory', ...args]);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr).toMatch(message);
  });
});

describe('probe --init critical', () => {
  it('says which rule each layer used and the σ_w² it chose, in the terminal and in --json', () => {
    const args = ['probe', '--arch', '784-16x3-10', '--act', 'tanh', '--init', 'critical:0.05', '--loss', 'cross_entropy', '--samples', '50'];
    const t = cli(args);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/init layers 1–4: critical:0\.05: tanh: edge of chaos — σ_w² = 1\.76095/);
    const j = JSON.parse(cli([...args, '--json']).stdout) as { initRules: string[] };
    expect(j.initRules).toEqual([expect.stringMatching(/^layers 1–4: critical:0\.05: tanh: edge of chaos/)]);
  });
});
