// Study stage 6 on a tiny budget: shape of the section, its findings, and its HTML and Markdown rendering (also after a JSON round trip).
import { describe, expect, it } from 'vitest';
import { renderRecurrentHtml, renderRecurrentMarkdown, firstToLastInTime } from '../../report/sections/recurrent.js';
import { recurrentFindings, recurrentProgressSteps, recurrentStageSettings, runRecurrentStage } from './stage.js';
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
  settings: { lengths: [10, 12], hidden: 6, steps: 15, batch: 8, testSize: 60, probeSize: 8, clipSteps: 12 },
});

describe('runRecurrentStage', () => {
  it('runs every cell at every length, with the settings and seed it reports', () => {
    expect(section.runs.map((r) => `${r.cell}@${r.length}`)).toEqual(['rnn@10', 'lstm@10', 'gru@10', 'rnn@12', 'lstm@12', 'gru@12']);
    expect(section.settings.lengths).toEqual([10, 12]);
    expect(section.settings.steps).toBe(15);
    expect(section.seed).toBe(3);
    expect(labels.length).toBe(7);
    for (const r of section.runs) {
      expect(r.gradThroughTime.init.length).toBe(r.length);
      expect(r.gradThroughTime.final.length).toBe(r.length);
      expect(r.seconds).toBeGreaterThan(0);
      expect(r.seed).toBe(3);
    }
    expect(section.baseline.solvedFraction.length).toBe(2);
    expect(section.clipping.without.nonFinite).not.toBeNull();
    expect(section.clipping.with.nonFinite).toBeNull();
    expect(section.clipping.pascanu.regime).toBe('exploding-possible');
  });

  it('quick and full budgets differ as documented', () => {
    const q = recurrentStageSettings(true);
    const f = recurrentStageSettings(false);
    expect(q.lengths).toEqual([10, 30]);
    expect(f.lengths).toEqual([10, 20, 30, 50]);
    expect(f.steps).toBeGreaterThan(q.steps);
    expect(recurrentProgressSteps(true)).toBe(7);
    expect(recurrentProgressSteps(false)).toBe(13);
  });
});

function fakeRun(cell: 'rnn' | 'lstm' | 'gru', length: number, solvedFraction: number): RecurrentCellRun {
  return { ...section.runs[0], cell, length, solvedFraction };
}

describe('recurrentFindings', () => {
  it('finds the shortest length the gated cells solve and the plain RNN does not', () => {
    const runs = [fakeRun('rnn', 10, 0.9), fakeRun('lstm', 10, 0.95), fakeRun('gru', 10, 0.4), fakeRun('rnn', 50, 0.15), fakeRun('lstm', 50, 0.85), fakeRun('gru', 50, 0.81)];
    const f = recurrentFindings(runs, ['rnn', 'lstm', 'gru'], [10, 50], 0.8);
    expect(f.solvedLengths).toEqual({ rnn: [10], lstm: [10, 50], gru: [50] });
    expect(f.lstmBeatsRnn).toEqual([50]);
    expect(f.lstmBeatsRnnAt).toBe(50);
    expect(f.gruBeatsRnnAt).toBe(50);
    expect(f.summary.join(' ')).toMatch(/At T = 50 the LSTM solves 85.0 %/);
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
    expect(md).toMatch(/\| LSTM \| [\d.]+ % \| [\d.]+ % \|/);
    expect(md).toMatch(/Without clipping: first non-finite value at step \d+/);
  });

  it('firstToLastInTime is ‖∂ℓ/∂h₀‖/‖∂ℓ/∂h_T‖, null when undefined', () => {
    expect(firstToLastInTime([1e-3, 0.5, 1])).toBeCloseTo(1e-3, 15);
    expect(firstToLastInTime([null, 1])).toBeNull();
    expect(firstToLastInTime([1, 0])).toBeNull();
  });
});
