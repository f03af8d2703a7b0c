/**
 * Tests of the stage-5 report section: "not measured" without results, every
 * part and chart present with them, the claims of the section beside their
 * measurement, trained/blew-up counts per arm, the JSON form (non-finite
 * numbers as null), and escaping.
 */
import { describe, expect, it } from 'vitest';
import type { Claim, RemediesSection, StudyResults } from '../../study/types.js';
import { makeEmptyFixture, makeFixture, outcome, sc, ss } from '../fixture.test-helper.js';
import { renderHtml } from '../html.js';
import { SECTIONS } from './index.js';
import { remediesSection } from './remedies.js';

const geo = (a: number, f: number, n: number): number[] => Array.from({ length: n }, (_, i) => a * Math.pow(f, i));

/** A small but complete stage-5 result, plus a blown-up run. */
function makeRemedies(): RemediesSection {
  const blown = { step: 3, layer: 4, quantity: 'activation', message: 'step 3: a non-finite pre-activation z appeared in layer 4 of 11 <b>' };
  const arm = (label: string, extra: object, outcomes: ReturnType<typeof outcome>[]) => ({ label, lr: 0.01, clipNorm: null, clipValue: null, maxNorm: null, outcomes, loss: geo(6.5, 0.99, 100), gradNorm: geo(30, 0.99, 100), ...extra });
  return {
    quick: true,
    seed: 1,
    chance: 0.1125,
    margin: 0.2,
    seconds: { glorot: 2, he: 3, selu: 1, normResidual: 3, clipping: 1, training: 5 },
    glorot: {
      units: 500, hidden: 5, examples: 200, jacobianSamples: 1, seeds: [1, 2],
      runs: [
        { init: 'torch_default', published: 0.5, meanSingular: ss([0.51, 0.49, 0.49, 0.49, 0.49], 0.02, 2), meanSingularHidden: sc(0.49, 0.48, 0.5, 2), deltaNorms: ss([...geo(0.0025, 1 / 0.58, 5), 0.039], 0.1, 2), weightGradNorms: ss([0.075, 0.059, 0.059, 0.059, 0.061, 0.06], 0.1, 2), deltaFactor: sc(0.58, 0.57, 0.59, 2) },
        { init: 'xavier_uniform', published: 0.8, meanSingular: ss([0.93, 0.79, 0.79, 0.8, 0.81], 0.02, 2), meanSingularHidden: sc(0.8, 0.79, 0.81, 2), deltaNorms: ss([0.07, 0.076, 0.084, 0.092, 0.1, 0.08], 0.1, 2), weightGradNorms: ss([1.2, 1.1, 1.1, 1.05, 1.1, 0.77], 0.1, 2), deltaFactor: sc(0.9, 0.88, 0.92, 2) },
      ],
    },
    he: {
      depth: 30, width: 32, seeds: 100, trainSeeds: [1, 2], steps: 300, lr: 0.01, optimizer: 'momentum 0.9, batch 32', lossEvery: 10,
      runs: [
        { init: 'xavier_normal', activationStd: ss(geo(0.25, 0.68, 30)), stdFactor: sc(0.67, 0.66, 0.68, 100), firstToLast: sc(3.4e-5, 1e-5, 8e-5, 100), training: [outcome(1, 0.107, { lastLoss: 2.301 }), outcome(2, 0.1125, { lastLoss: 2.302 })], loss: Array(30).fill(2.3) },
        { init: 'he_normal', activationStd: ss(geo(0.25, 0.95, 30)), stdFactor: sc(0.95, 0.94, 0.96, 100), firstToLast: sc(0.5, 0.2, 1.2, 100), training: [outcome(1, 0.29), outcome(2, 0.44)], loss: geo(2.3, 0.988, 30) },
      ],
    },
    selu: {
      depth: 32, width: 64, seeds: 100, inputs: 'standardised pixels',
      runs: [
        { activation: 'selu', init: 'lecun_normal', mean: ss(Array(32).fill(-0.01)), variance: ss([0.76, ...Array(31).fill(1.0)]) },
        { activation: 'elu', init: 'lecun_normal', mean: ss(Array(32).fill(0.01)), variance: ss(geo(0.47, 0.85, 32)) },
        { activation: 'selu', init: 'he_normal', mean: ss(geo(0.04, 1.15, 32)), variance: ss(geo(1.3, 1.15, 32)) },
      ],
    },
    normResidual: {
      activation: 'sigmoid', init: 'xavier_uniform', width: 32, depths: [10], seeds: 100, trainSeeds: [1, 2], steps: 150, lr: 0.05, optimizer: 'momentum 0.9, batch 32', lossEvery: 10,
      runs: [
        { label: 'plain', norm: 'none', residual: false, depth: 10, initNorms: ss(geo(1.5e-7, 4, 11)), firstToLast: sc(2.3e-6, 1.7e-6, 2.8e-6, 100), verdicts: { vanishing: 100 }, loss: Array(15).fill(2.31), outcomes: [outcome(1, 0.103), outcome(2, 0.1125)] },
        { label: 'batch norm', norm: 'batch', residual: false, depth: 10, initNorms: ss(geo(0.01, 1.2, 11)), firstToLast: sc(0.22, 0.1, 0.3, 100), verdicts: { healthy: 100 }, loss: geo(2.3, 0.9, 15), outcomes: [outcome(1, 0.86), outcome(2, 0.85)] },
        { label: 'residual', norm: 'none', residual: true, depth: 10, initNorms: ss(geo(0.02, 1.05, 11)), firstToLast: sc(0.7, 0.5, 0.9, 100), verdicts: { healthy: 100 }, loss: geo(2.3, 0.9, 15), outcomes: [outcome(1, 0.86), outcome(2, NaN, { nonFinite: blown })] },
      ],
    },
    clipping: {
      description: 'stage 4 exploding network <script>', seeds: [1, 2], steps: 100, lossEvery: 1,
      runs: [
        arm('clip by value at 0.5, η = 0.01', { clipValue: 0.5 }, [outcome(1, 0.6, { clipEvents: 100, clippedFraction: 1 }), outcome(2, 0.55, { clipEvents: 99, clippedFraction: 0.99 })]),
        arm('max-norm constraint c = 2, η = 0.01', { maxNorm: 2 }, [outcome(1, 0.1125, { maxNormRows: 400 }), outcome(2, 0.11, { maxNormRows: 380 })]),
      ],
    },
    training: {
      activation: 'sigmoid', depth: 10, width: 32, init: 'xavier_uniform', steps: 150, seeds: [1, 2], lossEvery: 10, initNorms: geo(1.5e-7, 4, 11),
      runs: [
        { label: 'momentum', what: 'SGD with momentum', endNorms: geo(1e-7, 4, 11), updateRatios: geo(1e-9, 3, 11), firstToLast: 1.7e-6, loss: Array(15).fill(2.31), outcomes: [outcome(1, 0.1), outcome(2, 0.1)] },
        { label: 'adam', what: 'Adam', endNorms: geo(1e-7, 4, 11), updateRatios: Array(11).fill(1e-3), firstToLast: 2e-6, loss: Array(15).fill(2.3), outcomes: [outcome(1, 0.4), outcome(2, 0.35)] },
        { label: 'pre-training', what: 'greedy pre-training', endNorms: geo(1e-7, 4, 11), updateRatios: geo(1e-9, 3, 11), firstToLast: 1.8e-6, loss: Array(15).fill(2.31), outcomes: [outcome(1, 0.1), outcome(2, 0.1)], pretrain: [{ layer: 1, lossStart: 36, lossEnd: 19 }, { layer: 2, lossStart: 5, lossEnd: 0.6 }] },
      ],
    },
  };
}

const remedyClaim: Claim = { id: 'he-30-layers-trains', claim: 'A 30-layer ReLU net with Xavier stalls; with He it trains.', source: 'He et al. 2015', published: 'Xavier: "completely stalls"', measured: { median: 0.365, lo: 0.29, hi: 0.44, seeds: 2 }, test: 'yes if He trains on every seed (1 of 2); partly if on some.', agrees: 'partly', section: 'remedies' };

function withRemedies(m: RemediesSection = makeRemedies()): StudyResults {
  const f = makeFixture();
  return { ...f, remedies: m, claims: [...f.claims, remedyClaim] };
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
    for (const t of ['Initialisation (Glorot &amp; Bengio 2010)', 'ReLU initialisation (He et al. 2015)', 'Self-normalisation (Klambauer et al. 2017)', 'Normalisation and residual connections', 'Clipping by value and max-norm on the exploding network', 'Optimisers, schedules, regularisation, pre-training']) {
      expect(s.html).toContain(`<h3>${t}</h3>`);
    }
    const ids = s.charts.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['remedies-glorot-delta', 'remedies-he-std', 'remedies-he-loss', 'remedies-selu-var', 'remedies-nr-init', 'remedies-clip-loss', 'remedies-train-ratio']));
    for (const id of ids) expect(s.html).toContain(`<canvas id="${id}"`);
    expect(s.html).toContain('500 units instead of the paper&#39;s 1000');
  });

  it('shows the claims of the section with their measurement, test and outcome', () => {
    const s = remediesSection(withRemedies());
    expect(s.html).toContain('<h3>Claims tested here</h3>');
    expect(s.html).toContain('A 30-layer ReLU net with Xavier stalls; with He it trains.');
    expect(s.html).toContain('0.365 [0.29–0.44], 2 seeds');
    expect(s.html).toContain('<span class="agree agree-partly">partly</span>');
    // the claims of other sections stay in theirs
    expect(s.html).not.toContain('Clipping beats a lower rate.');
  });

  it('says per arm and per network how many seeds blew up and how many trained, beside stage 4 on the same seeds', () => {
    const s = remediesSection(withRemedies());
    // stage 4's no-remedy arm (fixture: 2 of 2 overflow), then this part's arms
    expect(s.html).toMatch(/no remedy, η = 0\.01<\/strong><\/td><td>non-finite at step 38 \(layer 3\)<\/td><td>non-finite at step 4 \(layer 3\)<\/td><td class="num">2 \/ 2<\/td><td class="num">0 \/ 2<\/td>/);
    expect(s.html).toMatch(/max-norm constraint c = 2, η = 0\.01<\/strong><\/td><td>11\.3 %, 400 rows rescaled<\/td><td>11\.0 %, 380 rows rescaled<\/td><td class="num">0 \/ 2<\/td><td class="num">0 \/ 2<\/td>/);
    expect(s.html).toContain('43.0 % [0.0 %–86.0 %], trained 1/2'); // a run that blew up counts as 0
    expect(s.html).toMatch(/residual — first-to-last 0\.7, trained on 1 of 2 seeds/);
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

  it('appears as section 6 of the page (after the three families and the exploding gradients), before the conclusions and the claims', () => {
    const h = renderHtml(withRemedies(), { chartJs: '' });
    expect(h).toContain('<h2>6. Remedies</h2>');
    expect(h).toContain('<h2>9. Conclusions</h2>'); // after the recurrent nets and order and chaos
    expect(h).toContain('<h2>10. Claims</h2>');
    expect(h).not.toContain('could not be rendered');
  });
});
