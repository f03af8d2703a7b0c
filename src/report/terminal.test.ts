/**
 * Tests of the terminal summary: short, and carrying the Nielsen table, the
 * verdict grid and the conclusions.
 */
import { describe, expect, it } from 'vitest';
import type { StudyResults } from '../experiments/study/types.js';
import { makeEmptyFixture, makeFixture } from './fixture.test-helper.js';
import { renderTerminalSummary, TERMINAL_MAX_LINES } from './index.js';

describe('renderTerminalSummary', () => {
  it('fits in 40 lines and carries the tables', () => {
    const t = renderTerminalSummary(makeFixture());
    const lines = t.split('\n');
    expect(lines.length).toBeLessThanOrEqual(TERMINAL_MAX_LINES);
    expect(t).toContain('[784,30,30,30,30,10]');
    expect(t).toContain('0.00244 (0.00298)');
    expect(t).toContain('114 (95.8)');
    expect(lines.find((l) => l.trim().startsWith('sigmoid'))?.trim()).toMatch(/^sigmoid\s+ok\s+V$/);
    expect(lines.find((l) => l.trim().startsWith('selu'))?.trim()).toMatch(/^selu\s+ok\s+E$/);
    expect(t).toContain('hidden layers (default): use relu; avoid sigmoid');
    expect(t).toContain('without clipping non-finite at step 38, layer 3');
  });

  it('stays within 40 lines for a large study', () => {
    const f = makeFixture();
    const acts = Array.from({ length: 14 }, (_, i) => `act${i}`);
    const big: StudyResults = {
      ...f,
      activationDepth: { ...f.activationDepth, activations: acts, depths: [2, 5, 10, 20] },
      conclusions: { rows: Array.from({ length: 30 }, (_, i) => ({ where: `place ${i}`, use: 'relu', avoid: 'sigmoid', evidence: '' })) },
    };
    const t = renderTerminalSummary(big);
    expect(t.split('\n').length).toBeLessThanOrEqual(TERMINAL_MAX_LINES);
    expect(t).toMatch(/… \d+ more in summary\.md/);
  });

  it('says what was not measured', () => {
    const t = renderTerminalSummary(makeEmptyFixture());
    expect(t).toContain('not measured in this run');
    expect(t.split('\n').length).toBeLessThanOrEqual(TERMINAL_MAX_LINES);
  });
});
