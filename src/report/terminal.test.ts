/**
 * Tests of the terminal summary: short, and carrying the Nielsen table, the
 * verdict grid with accuracies, the exploding arms, the claims tally with
 * every claim that did not come out "yes", the recommendations and the conclusions.
 */
import { describe, expect, it } from 'vitest';
import type { StudyResults } from '../study/types.js';
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
    expect(lines.find((l) => l.trim().startsWith('sigmoid'))?.trim()).toMatch(/^sigmoid\s+ok \| 88%\s+V \| 11%$/);
    expect(lines.find((l) => l.trim().startsWith('tanh'))?.trim()).toMatch(/^tanh\s+ok \| 91%\s+ok 52% \| 87%$/);
    expect(lines.find((l) => l.trim().startsWith('selu'))?.trim()).toMatch(/^selu\s+ok \| 92%\s+E \| 0%$/);
    expect(t).toContain('no remedy, η = 0.01: 2 blew up, 0 trained; clip by global norm at c = 20, η = 0.01: 0 blew up, 2 trained');
    expect(t).toContain('4 claims tested: 1 yes, 1 partly, 1 indistinguishable, 1 no.');
    expect(t).toContain('  indistinguishable: Clipping beats a lower rate. (Pascanu et al. 2013)');
    expect(t).not.toContain('yes: In [784,30,30,30,30,10] the ratio is 95.8×.');
    expect(t).toContain('ReLU is the default for hidden layers. — qualified');
  });

  it('stays within 40 lines for a large study', () => {
    const f = makeFixture();
    const acts = Array.from({ length: 14 }, (_, i) => `act${i}`);
    const big: StudyResults = {
      ...f,
      activationDepth: { ...f.activationDepth, activations: acts, depths: [2, 5, 10, 20] },
      conclusions: { ...f.conclusions, rows: Array.from({ length: 30 }, (_, i) => ({ where: `place ${i}`, use: 'relu', avoid: 'sigmoid', evidence: '' })) },
      claims: Array.from({ length: 40 }, (_, i) => ({ ...f.claims[2], id: `claim-${i}` })),
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
