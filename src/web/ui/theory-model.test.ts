// The web lab's theory panels' numbers: the explorer's χ₁ rows and critical σ_w² against the
// published points, and the playground's theory line on constructed first probes (flat where
// χ = 1 exactly, the inversion of E[φ(√q z)²], and the cases it declines).
import { describe, expect, it } from 'vitest';
import { criticalChoice, secondMoment, theoryAct } from '../../theory/index.js';
import type { ProbeSnapshot } from '../engine/session.js';
import { parseRun, type RunSpec } from '../../run/schema.js';
import { explorerTheory, theoryLine, varianceFromSecondMoment } from './theory-model.js';

describe('explorer theory', () => {
  it('tanh with σ_b² = 0.05: ordered at LeCun, chaotic at He, χ₁ = 1 at the critical initialiser (σ_w² ≈ 1.76)', () => {
    const th = explorerTheory('tanh', {}, 0.05);
    if (!th.ok) throw new Error(th.reason);
    expect(Math.abs(th.criticalSigmaW2! - 1.76)).toBeLessThan(0.005);
    expect(th.rows.map((r) => r.phase)).toEqual(['ordered', 'chaotic', 'critical']);
    expect(Math.abs(th.rows[2].chi1! - 1)).toBeLessThan(1e-9);
  });
  it('relu: χ₁ = σ_w²/2 (He critical); leaky_relu parameters change it, even past the fixed point (χ₁ does not depend on q)', () => {
    const th = explorerTheory('relu', {}, 0);
    if (!th.ok) throw new Error(th.reason);
    expect(th.rows.map((r) => r.chi1)).toEqual([0.5, 1, 1]);
    const leaky = explorerTheory('leaky_relu', { negative_slope: 0.5 }, 0);
    if (!leaky.ok) throw new Error(leaky.reason);
    expect(leaky.rows[1].chi1).toBe(2 * 0.625);
    expect(leaky.rows[1].phase).toBe('chaotic');
  });
  it('gelu above the border of growth has no χ₁ at a fixed point', () => {
    const th = explorerTheory('gelu', {}, 0);
    if (!th.ok) throw new Error(th.reason);
    expect(th.rows[1]).toEqual({ label: 'he', sigmaW2: 2, chi1: expect.any(Number), phase: expect.any(String) });
    expect(th.criticalSigmaW2).toBeNull();
    expect(th.init?.rule).toBe('variance-preserving');
  });
  it('says why for maxout and softmax', () => {
    expect(explorerTheory('maxout', {}, 0)).toEqual({ ok: false, reason: expect.stringContaining('not an elementwise activation') });
  });
});

/** A first probe whose layers carry activation statistics with second moment m1 and gradient 1 at the last hidden layer. */
function probe(L: number, m1: number): ProbeSnapshot {
  const layers = Array.from({ length: L }, (_, i) => ({ index: i + 1, units: 16, activation: 'x', biasGradNorm: 1, weightGradNorm: 1, meanAbsDerivative: 1, saturatedFraction: 0, deadFraction: 0, inputCorrelation: 0.5, activationMean: 0, activationStd: Math.sqrt(m1), jacobianMaxSingular: null }));
  return { step: 0, loss: 1, layers, firstToLast: 1, verdict: { kind: 'healthy', cause: '', remedies: [] }, trainAccuracy: null, testAccuracy: null } as unknown as ProbeSnapshot;
}

function mlp(act: string, init: string, hidden = 5): RunSpec {
  return parseRun({ arch: [2, ...Array(hidden).fill(16), 2], activation: act, loss: 'cross_entropy', init, data: 'spiral' });
}

describe('playground theory line', () => {
  it('inverts E[φ(√q z)²] to 1e-10', () => {
    const t = theoryAct('tanh');
    for (const q of [0.01, 0.37, 2.5]) expect(Math.abs(varianceFromSecondMoment(t, secondMoment(t, q)) / q - 1)).toBeLessThan(1e-10);
    // a sigmoid layer's E[a²] is at least σ(0)² = 1/4: below it there is no variance to start from, and no line
    const sig = theoryAct('sigmoid');
    expect(varianceFromSecondMoment(sig, 0.2)).toBeNaN();
    expect(Math.abs(varianceFromSecondMoment(sig, secondMoment(sig, 0.5)) / 0.5 - 1)).toBeLessThan(1e-10);
    expect(theoryLine(mlp('sigmoid', 'nielsen'), probe(6, 0.2))).toEqual({ ok: false, reason: 'outOfRange' });
  });
  it('is flat where χ = 1 at every layer: relu with He, tanh with critical started at q*', () => {
    const he = theoryLine(mlp('relu', 'he_normal'), probe(6, 0.7));
    if (!he.ok) throw new Error(he.reason);
    // every measured hidden layer is 1 in the constructed probe, so the best-placed flat line is 1
    expect(he.predicted.slice(0, 5).every((y) => Math.abs(y! - 1) < 1e-12)).toBe(true);
    expect(he.predicted[5]).toBeNull();
    const c = criticalChoice('tanh', {}, 0.05);
    const t = theoryAct('tanh');
    const line = theoryLine(mlp('tanh', 'critical:0.05'), probe(6, secondMoment(t, c.q)));
    if (!line.ok) throw new Error(line.reason);
    for (const y of line.predicted.slice(0, 5)) expect(Math.abs(y! - 1)).toBeLessThan(1e-8);
  });
  it('falls toward the input in the ordered phase (sigmoid with Nielsen: about 1/5 per layer)', () => {
    const line = theoryLine(mlp('sigmoid', 'nielsen'), probe(6, 0.3));
    if (!line.ok) throw new Error(line.reason);
    const per = (line.predicted[0]! / line.predicted[4]!) ** (1 / 4);
    expect(per).toBeGreaterThan(0.15);
    expect(per).toBeLessThan(0.25);
  });
  it('declines normalised, residual and maxout networks', () => {
    expect(theoryLine({ ...mlp('tanh', 'critical'), norm: 'batch' }, probe(6, 0.5))).toEqual({ ok: false, reason: 'notPlain' });
    expect(theoryLine({ ...mlp('tanh', 'critical'), residual: true }, probe(6, 0.5))).toEqual({ ok: false, reason: 'notPlain' });
    expect(theoryLine(mlp('maxout', 'he_normal'), probe(6, 0.5))).toEqual({ ok: false, reason: 'notElementwise' });
  });
});
