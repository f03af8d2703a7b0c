// Study stage 6 on a tiny budget: shape of the section, its findings, and its HTML and Markdown rendering (also after a JSON round trip).
import { describe, expect, it } from 'vitest';
import { renderRecurrentHtml, renderRecurrentMarkdown, firstToLastInTime } from '../../report/sections/recurrent.js';
import { errorsOf, recurrentFindings, recurrentStageSettings, runRecurrentStage } from './stage.js';
import type { RecurrentCellRun, RecurrentSection } from './types.js';

/** The replacer results.json uses: NaN and ±Infinity become null. */
function jsonSafeReplacer(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

const labels: string[] = [];
const section = runRecurrentStage({
  quick: true,
  seed: 3,
  progress: (l) => labels.push(l),
  settings: { lengths: [10, 12], hidden: 6, steps: 15, batch: 8, testSize: 60, probeSize: 8, clipSteps: 12, seeds: 2, clipSeeds: 2, probeSeeds: 4 },
});

describe('runRecurrentStage', () => {
  it('runs every cell at every length on every seed, with the settings it reports', () => {
    expect(section.runs.map((r) => `${r.cell}@${r.length}#${r.seed}`)).toEqual(['rnn@10#3', 'rnn@10#4', 'lstm@10#3', 'lstm@10#4', 'gru@10#3', 'gru@10#4', 'rnn@12#3', 'rnn@12#4', 'lstm@12#3', 'lstm@12#4', 'gru@12#3', 'gru@12#4']);
    expect(section.settings.lengths).toEqual([10, 12]);
    expect(section.settings.seeds).toEqual([3, 4]);
    expect(section.settings.steps).toBe(15);
    expect(section.settings.maxErrors).toBe(3);
    expect(section.seed).toBe(3);
    expect(labels.length).toBe(7);
    for (const r of section.runs) {
      expect(r.gradThroughTime.init.length).toBe(r.length);
      expect(r.gradThroughTime.final.length).toBe(r.length);
      expect(r.seconds).toBeGreaterThan(0);
    }
    expect(section.baseline.solvedFraction.length).toBe(2);
    expect(section.clipping.without.nonFinite).not.toBeNull();
    expect(section.clipping.with.nonFinite).toBeNull();
    expect(section.clipping.seeds.map((x) => x.seed)).toEqual([3, 4]);
    expect(section.clipping.seeds.every((x) => x.withoutNonFinite && !x.withNonFinite)).toBe(true);
    expect(section.clipping.pascanu.regime).toBe('exploding-possible');
    expect(section.clipping.probeSeeds).toBe(4);
  });

  it("checks Pascanu's sufficient condition as a bound: σ_max(W_hh) = 0.9 with tanh keeps every seed's ratio below 0.9^(T−1)", () => {
    const v = section.clipping.vanishingCheck;
    expect(v.gain).toBe(0.9);
    expect(v.bound).toBeCloseTo(Math.pow(0.9, 19), 12);
    expect(v.ratio.max).toBeLessThan(v.bound);
    expect(section.clipping.gradRatioAtInit.median).toBeGreaterThan(1);
  });

  it('quick and full budgets differ as documented, with the paper\'s 2,560 test sequences', () => {
    const q = recurrentStageSettings(true);
    const f = recurrentStageSettings(false);
    expect(q.lengths).toEqual([10]);
    expect(f.lengths).toEqual([20]);
    expect(f.steps).toBeGreaterThan(q.steps);
    expect(f.seeds).toBeGreaterThanOrEqual(5);
    expect(q.seeds).toBeGreaterThanOrEqual(2);
    expect(f.testSize).toBe(2560);
    expect(f.maxErrors).toBe(3);
  });
});

function fakeRun(cell: 'rnn' | 'lstm' | 'gru', length: number, seed: number, solvedFraction: number): RecurrentCellRun {
  return { ...section.runs[0], cell, length, seed, solvedFraction };
}

describe('recurrentFindings', () => {
  it('a gated cell beats the plain RNN at a length only when it solves more on every seed; the criterion counts wrong sequences', () => {
    const runs = [
      fakeRun('rnn', 10, 1, 0.9), fakeRun('rnn', 10, 2, 0.5), fakeRun('lstm', 10, 1, 0.95), fakeRun('lstm', 10, 2, 0.4), fakeRun('gru', 10, 1, 0.4), fakeRun('gru', 10, 2, 0.3),
      fakeRun('rnn', 50, 1, 0.15), fakeRun('rnn', 50, 2, 0.2), fakeRun('lstm', 50, 1, 0.999), fakeRun('lstm', 50, 2, 1), fakeRun('gru', 50, 1, 0.81), fakeRun('gru', 50, 2, 0.9),
    ];
    const f = recurrentFindings(runs, ['rnn', 'lstm', 'gru'], [10, 50], 2560, 3);
    // at T = 10 the LSTM wins seed 1 and loses seed 2: not separated
    expect(f.lstmBeatsRnn).toEqual([50]);
    expect(f.gruBeatsRnn).toEqual([50]);
    const lstm50 = f.summaries.find((x) => x.cell === 'lstm' && x.length === 50)!;
    // 0.999 of 2,560 leaves 3 wrong (meets ≤ 3), 1.0 leaves 0
    expect(errorsOf({ solvedFraction: 0.999 }, 2560)).toBe(3);
    expect(lstm50.criterionMet).toBe(2);
    expect(f.summaries.find((x) => x.cell === 'gru' && x.length === 50)!.criterionMet).toBe(0);
    expect(f.summary.join(' ')).toMatch(/LSTM at T = 50: median (99\.9|100\.0) % of 2560 test sequences solved .* met on 2 of 2 seeds/);
  });
});

describe('rendering', () => {
  it('HTML: a section with its heading, the solved table, one chart per cell plus the clipping charts, all canvases present', () => {
    const { html, charts } = renderRecurrentHtml(section);
    expect(html.startsWith('<section id="recurrent">')).toBe(true);
    expect(html).toContain('<h2>Recurrent nets: the gradient through time</h2>');
    expect(html).toContain('W_hhᵀ·diag(f′(z_t))');
    expect(html).toContain('c_t = f ⊙ c_{t−1} + i ⊙ g');
    expect(html).toContain('T = 12');
    expect(charts.map((c) => c.id)).toEqual(['rnn-gtt-rnn', 'rnn-gtt-lstm', 'rnn-gtt-gru', 'rnn-clip-loss', 'rnn-clip-grad']);
    for (const c of charts) expect(html).toContain(`id="${c.id}"`);
    const gtt = charts[0].config as { options: { scales: { y: { type: string } } }; data: { datasets: unknown[] } };
    expect(gtt.options.scales.y.type).toBe('logarithmic');
    expect(gtt.data.datasets.length).toBe(4); // 2 lengths × (init, trained)
    expect(() => JSON.stringify(charts)).not.toThrow();
  });

  it('survives results.json, where non-finite numbers became null', () => {
    const back = JSON.parse(JSON.stringify(section, jsonSafeReplacer)) as RecurrentSection;
    expect(() => renderRecurrentHtml(back)).not.toThrow();
    expect(renderRecurrentMarkdown(back)).toContain('| cell | T = 10 | T = 12 |');
  });

  it('Markdown: the table cell × length, the findings and the clipping finding', () => {
    const md = renderRecurrentMarkdown(section);
    expect(md).toContain('## Recurrent nets: the gradient through time');
    expect(md).toMatch(/\| LSTM \| [\d.]+ % \[[\d.]+ %–[\d.]+ %\], criterion \d\/2 \| [\d.]+ % \[/);
    expect(md).toMatch(/Without clipping: first non-finite value at step \d+/);
  });

  it('firstToLastInTime is ‖∂ℓ/∂h₀‖/‖∂ℓ/∂h_T‖, null when undefined', () => {
    expect(firstToLastInTime([1e-3, 0.5, 1])).toBeCloseTo(1e-3, 15);
    expect(firstToLastInTime([null, 1])).toBeNull();
    expect(firstToLastInTime([1, 0])).toBeNull();
  });
});
