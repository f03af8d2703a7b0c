/**
 * Tests of the stage-5 report section: "not measured" without results, every
 * part and chart present with them, the claims table and its agreement test,
 * the JSON form (non-finite numbers as null), and escaping.
 */
import { describe, expect, it } from 'vitest';
import type { RemediesSection, ScalarStats, SeedOutcome, SeedStats, StudyResults } from '../../experiments/study/types.js';
import { makeEmptyFixture, makeFixture } from '../fixture.test-helper.js';
import { renderHtml } from '../html.js';
import { SECTIONS } from './index.js';
import { remediesFindings, remediesSection } from './remedies.js';

const stats = (xs: number[], spread = 0): SeedStats => ({ median: xs, min: xs.map((x) => x * (1 - spread)), max: xs.map((x) => x * (1 + spread)) });
const scalar = (m: number, lo = m, hi = m): ScalarStats => ({ median: m, min: lo, max: hi });
const outcome = (seed: number, first: number, last: number, acc: number, extra: Partial<SeedOutcome> = {}): SeedOutcome => ({ seed, firstLoss: first, lastLoss: last, testAccuracy: acc, nonFinite: null, clipEvents: 0, maxNormRows: 0, ...extra });
const geo = (a: number, f: number, n: number): number[] => Array.from({ length: n }, (_, i) => a * Math.pow(f, i));

/** A small but complete stage-5 result that agrees with every published claim, plus a blown-up run. */
function makeRemedies(): RemediesSection {
  const blown = { step: 3, layer: 4, quantity: 'activation', message: 'step 3: a non-finite pre-activation z appeared in layer 4 of 11 <b>' };
  return {
    quick: true,
    seed: 1,
    seconds: { glorot: 2, he: 3, selu: 1, normResidual: 3, clipping: 1, training: 5 },
    glorot: {
      units: 500, hidden: 5, examples: 200, jacobianSamples: 1, seeds: [1],
      runs: [
        { init: 'torch_default', published: 0.5, meanSingular: stats([0.51, 0.49, 0.49, 0.49, 0.49]), meanSingularHidden: scalar(0.49), deltaNorms: stats([...geo(0.0025, 1 / 0.58, 5), 0.039]), weightGradNorms: stats([0.075, 0.059, 0.059, 0.059, 0.061, 0.06]), deltaFactor: scalar(0.58) },
        { init: 'xavier_uniform', published: 0.8, meanSingular: stats([0.93, 0.79, 0.79, 0.8, 0.81]), meanSingularHidden: scalar(0.8), deltaNorms: stats([0.07, 0.076, 0.084, 0.092, 0.1, 0.08]), weightGradNorms: stats([1.2, 1.1, 1.1, 1.05, 1.1, 0.77]), deltaFactor: scalar(0.9) },
      ],
    },
    he: {
      depth: 30, width: 32, seeds: [1, 2], trainSeeds: [1], steps: 300, lr: 0.01, optimizer: 'momentum 0.9, batch 32', lossEvery: 10,
      runs: [
        { init: 'xavier_normal', activationStd: stats(geo(0.25, 0.68, 30), 0.1), stdFactor: scalar(0.67, 0.66, 0.68), firstToLast: scalar(3.4e-5), training: [outcome(1, 2.3, 2.301, 0.107)], loss: Array(30).fill(2.3) },
        { init: 'he_normal', activationStd: stats(geo(0.25, 0.95, 30), 0.1), stdFactor: scalar(0.95, 0.94, 0.96), firstToLast: scalar(0.5), training: [outcome(1, 2.3, 1.59, 0.29)], loss: geo(2.3, 0.988, 30) },
      ],
    },
    selu: {
      depth: 32, width: 64, seeds: [1, 2], inputs: 'standardised pixels',
      runs: [
        { activation: 'selu', init: 'lecun_normal', mean: stats(Array(32).fill(-0.01)), variance: stats([0.76, ...Array(31).fill(1.0)]) },
        { activation: 'elu', init: 'lecun_normal', mean: stats(Array(32).fill(0.01)), variance: stats(geo(0.47, 0.85, 32)) },
        { activation: 'selu', init: 'he_normal', mean: stats(geo(0.04, 1.15, 32)), variance: stats(geo(1.3, 1.15, 32)) },
      ],
    },
    normResidual: {
      activation: 'sigmoid', init: 'xavier_uniform', width: 32, depths: [10], seeds: [1, 2], steps: 150, lr: 0.05, optimizer: 'momentum 0.9, batch 32', lossEvery: 10,
      runs: [
        { label: 'plain', norm: 'none', residual: false, depth: 10, initNorms: stats(geo(1.5e-7, 4, 11)), firstToLast: scalar(2.3e-6, 1.7e-6, 2.8e-6), verdict: 'vanishing', endNorms: geo(3e-8, 4, 11), loss: Array(15).fill(2.31), outcome: outcome(1, 2.42, 2.31, 0.103) },
        { label: 'batch norm', norm: 'batch', residual: false, depth: 10, initNorms: stats(Array(11).fill(0.006)), firstToLast: scalar(0.12), verdict: 'healthy', endNorms: Array(11).fill(0.005), loss: geo(2, 0.93, 15), outcome: outcome(1, 2.06, 0.77, 0.82) },
        { label: 'residual', norm: 'none', residual: true, depth: 10, initNorms: stats(Array(11).fill(0.27)), firstToLast: scalar(2.03), verdict: 'healthy', endNorms: Array(11).fill(0.016), loss: geo(6.8, 0.85, 15), outcome: outcome(1, 6.83, 0.5, 0.85) },
      ],
    },
    clipping: {
      description: 'relu, [784, 32×10, 10] <script>', seeds: [1, 2], steps: 100, lossEvery: 1,
      runs: [
        { label: 'no clipping', clipNorm: null, clipValue: null, maxNorm: null, outcomes: [outcome(1, 1e28, Infinity, NaN, { nonFinite: blown }), outcome(2, 3, NaN, NaN, { nonFinite: { ...blown, step: 5, layer: 7 } })], loss: [6, 40, 1e9, 1e28, NaN], gradNorm: [10, 1e3, 1e12, Infinity, NaN] },
        { label: 'clip by global norm at 1', clipNorm: 1, clipValue: null, maxNorm: null, outcomes: [outcome(1, 6.5, 1.9, 0.3, { clipEvents: 100 }), outcome(2, 4, 1.8, 0.33, { clipEvents: 100 })], loss: geo(6.5, 0.99, 100), gradNorm: geo(30, 0.99, 100) },
      ],
    },
    training: {
      activation: 'sigmoid', depth: 10, width: 32, init: 'xavier_uniform', steps: 150, seed: 1, lossEvery: 10, initNorms: geo(1.5e-7, 4, 11),
      runs: [
        { label: 'momentum', what: 'SGD with momentum', endNorms: geo(1e-7, 4, 11), updateRatios: geo(1e-9, 3, 11), firstToLast: 1.7e-6, loss: Array(15).fill(2.31), outcome: outcome(1, 2.42, 2.31, 0.1) },
        { label: 'adam', what: 'Adam', endNorms: geo(1e-7, 4, 11), updateRatios: Array(11).fill(1e-3), firstToLast: 2e-6, loss: Array(15).fill(2.3), outcome: outcome(1, 2.5, 2.3, 0.1) },
        { label: 'pre-training', what: 'greedy pre-training', endNorms: geo(1e-7, 4, 11), updateRatios: geo(1e-9, 3, 11), firstToLast: 1.8e-6, loss: Array(15).fill(2.31), outcome: outcome(1, 2.4, 2.31, 0.1), pretrain: [{ layer: 1, lossStart: 36, lossEnd: 19 }, { layer: 2, lossStart: 5, lossEnd: 0.6 }] },
      ],
    },
  };
}

function withRemedies(m: RemediesSection = makeRemedies()): StudyResults {
  return { ...makeFixture(), remedies: m };
}

const asJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('remediesSection', () => {
  it('says "not measured in this run" when the results have no stage 5', () => {
    const s = remediesSection(makeFixture());
    expect(s.id).toBe('remedies');
    expect(s.html).toContain('not measured in this run');
    expect(s.charts).toEqual([]);
    expect(remediesSection(makeEmptyFixture()).html).toContain('not measured in this run');
  });

  it('sits after the exploding gradients and before the conclusions in the page', () => {
    const ids = SECTIONS.map((f) => f(withRemedies()).id);
    expect(ids.indexOf('remedies')).toBe(ids.indexOf('exploding') + 1);
    expect(ids.indexOf('remedies')).toBeLessThan(ids.indexOf('conclusions'));
  });

  it('renders every part with its charts, each chart with a canvas', () => {
    const s = remediesSection(withRemedies());
    for (const t of ['Initialisation (Glorot &amp; Bengio 2010)', 'ReLU initialisation (He et al. 2015)', 'Self-normalisation (Klambauer et al. 2017)', 'Normalisation and residual connections', 'Clipping and max-norm on an exploding network', 'Optimisers, schedules, regularisation, pre-training']) {
      expect(s.html).toContain(`<h3>${t}</h3>`);
    }
    const ids = s.charts.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['remedies-glorot-delta', 'remedies-he-std', 'remedies-he-loss', 'remedies-selu-var', 'remedies-nr-init', 'remedies-clip-loss', 'remedies-train-ratio']));
    for (const id of ids) expect(s.html).toContain(`<canvas id="${id}"`);
    expect(s.html).toContain('quick run: 500 units');
  });

  it('puts each claim beside its measurement and says whether they agree', () => {
    const f = remediesFindings(makeRemedies());
    expect(f.map((x) => x.source)).toEqual(['Glorot & Bengio 2010', 'He et al. 2015', 'Klambauer et al. 2017', 'Ioffe & Szegedy 2015; He et al. 2016', 'Pascanu et al. 2013']);
    expect(f.every((x) => x.agrees)).toBe(true);
    expect(f[0].measured).toContain('0.49 (torch_default) vs 0.8 (xavier_uniform)');
    expect(f[4].measured).toContain('2/2 seeds non-finite (step 3, layer 4; step 5, layer 7)');
    // a measurement far from the paper is flagged
    const bad = makeRemedies();
    const g = bad.glorot.runs[0];
    const off: RemediesSection = { ...bad, glorot: { ...bad.glorot, runs: [{ ...g, meanSingularHidden: scalar(0.75) }, bad.glorot.runs[1]] } };
    expect(remediesFindings(off)[0].agrees).toBe(false);
  });

  it('shows the first non-finite value of the unclipped runs with step and layer', () => {
    const s = remediesSection(withRemedies());
    expect(s.html).toContain('non-finite at step 3, layer 4 (activation)');
    expect(s.html).toContain('non-finite at step 5, layer 7 (activation)');
  });

  it('renders the JSON form (non-finite numbers as null) and keeps log axes positive', () => {
    const s = remediesSection(asJson(withRemedies()));
    expect(s.html).not.toContain('NaN');
    for (const c of s.charts) {
      const cfg = c.config as { options: { scales: { y: { type: string } } }; data: { datasets: { data: { y: number | null }[] }[] } };
      if (cfg.options.scales.y.type !== 'logarithmic') continue;
      for (const d of cfg.data.datasets) for (const p of d.data) if (p.y !== null) expect(p.y, c.id).toBeGreaterThan(0);
    }
  });

  it('escapes text from the results', () => {
    const s = remediesSection(withRemedies());
    expect(s.html).toContain('&lt;script&gt;');
    expect(s.html).not.toContain('<script>');
  });

  it('appears as section 6 of the page (after the three families and the exploding gradients), before the conclusions', () => {
    const h = renderHtml(withRemedies(), { chartJs: '' });
    expect(h).toContain('<h2>6. Remedies</h2>');
    expect(h).toContain('<h2>9. Conclusions</h2>'); // after the recurrent nets and order and chaos
    expect(h).not.toContain('could not be rendered');
  });
});
