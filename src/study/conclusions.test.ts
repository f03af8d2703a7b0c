// The recommendations judged by paired comparisons: supported when the seeds
// back them everywhere, qualified when an activation beats ReLU on every seed
// somewhere, not supported when tanh does not beat sigmoid; and the
// closed-form output-layer argument against the quadratic cost.
import { describe, expect, it } from 'vitest';
import { makeFixture } from '../report/fixture.test-helper.js';
import { conclusions, outputDelta } from './conclusions.js';
import type { ActDepthCell, StudyResults } from './types.js';

const status = (r: StudyResults, id: string) => conclusions(r).recommendations.find((x) => x.id === id)?.status;

/** The fixture with one cell's per-seed test accuracies replaced. */
function withAcc(f: StudyResults, act: string, depth: number, accs: number[]): StudyResults {
  const cells = f.activationDepth.cells.map((c): ActDepthCell => (c.activation === act && c.depth === depth ? { ...c, training: { ...c.training!, runs: c.training!.runs.map((r, i) => ({ ...r, testAccuracy: accs[i] })) } } : c));
  return { ...f, activationDepth: { ...f.activationDepth, cells } };
}

describe('recommendations', () => {
  const f = makeFixture();

  it('ReLU by default: supported when nothing beats it on every seed, qualified when something does', () => {
    expect(status(f, 'relu-default')).toBe('supported');
    const better = withAcc(f, 'selu', 10, [0.92, 0.93, 0.95, 0.94, 0.96]);
    expect(status(better, 'relu-default')).toBe('qualified');
    expect(conclusions(better).recommendations[0].evidence).toMatch(/It is beaten on every seed by selu at 10 hidden layers/);
    // relu no better than sigmoid at depth: not supported
    expect(status(withAcc(f, 'relu', 10, [0.11, 0.11, 0.12, 0.1, 0.11]), 'relu-default')).toBe('not supported');
  });

  it('tanh over sigmoid: supported at every depth; qualified when the seeds cannot separate them at one', () => {
    expect(status(f, 'tanh-over-sigmoid')).toBe('supported');
    expect(status(withAcc(f, 'tanh', 2, [0.87, 0.88, 0.9, 0.87, 0.9]), 'tanh-over-sigmoid')).toBe('qualified');
    expect(status(withAcc(f, 'tanh', 10, [0.1, 0.1, 0.1, 0.1, 0.1]), 'tanh-over-sigmoid')).toBe('not supported');
  });

  it('sigmoid only at a binary output: cross-entropy gives a − y, the quadratic cost multiplies by σ′(z)', () => {
    expect(status(f, 'sigmoid-binary-output-only')).toBe('supported');
    const d = outputDelta(-5);
    const a = 1 / (1 + Math.exp(5));
    expect(d.crossEntropy).toBeCloseTo(a - 1, 14);
    expect(d.quadratic).toBeCloseTo((a - 1) * a * (1 - a), 14);
  });
});
