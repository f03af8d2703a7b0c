// The claims' tests can fail: each is checked on results that agree with the
// source and on the same results changed so that they do not (a published
// draw outside our band, a seed that does not train, a clip threshold that
// clips every step, a comparison the seeds cannot separate, a bound broken).
import { describe, expect, it } from 'vitest';
import { makeFixture, outcome, sc } from '../report/fixture.test-helper.js';
import type { RecurrentSection } from '../experiments/rnn/types.js';
import { claimTally, studyClaims } from './claims.js';
import type { Agreement, StudyResults } from './types.js';

const agrees = (r: StudyResults, id: string): Agreement | undefined => studyClaims(r).find((c) => c.id === id)?.agrees;

describe('claims', () => {
  const f = makeFixture();

  it('every claim names its source, what was published, the seeds, the test with its tolerance and one of four outcomes', () => {
    const cs = studyClaims(f);
    expect(cs.length).toBeGreaterThan(8);
    for (const c of cs) {
      expect(c.source.length, c.id).toBeGreaterThan(3);
      expect(c.test.length, c.id).toBeGreaterThan(20);
      expect(['yes', 'no', 'partly', 'indistinguishable']).toContain(c.agrees);
      expect(c.measured.seeds, c.id).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(cs.map((c) => c.id)).size).toBe(cs.length);
    const t = claimTally(cs);
    expect(t.yes + t.no + t.partly + t.indistinguishable).toBe(cs.length);
  });

  it("Nielsen's single draw: yes inside our band, no outside it", () => {
    expect(agrees(f, 'nielsen-ratio-4-hidden')).toBe('yes');
    const nets = f.nielsen.networks.map((n, i) => (i === 3 ? { ...n, ratioLastFirst: sc(120, 100, 142, 500) } : n));
    expect(agrees({ ...f, nielsen: { ...f.nielsen, networks: nets } }, 'nielsen-ratio-4-hidden')).toBe('no');
    // "roughly 100 times": 100 outside the band but the median within a factor 2 is only partly
    const far = f.nielsen.networks.map((n, i) => (i === 3 ? { ...n, ratioLastFirst: sc(180, 150, 300, 500) } : n));
    expect(agrees({ ...f, nielsen: { ...f.nielsen, networks: far } }, 'nielsen-100-times-slower')).toBe('partly');
  });

  it("the book's recipe: partly when half the seeds train, no when fewer do, yes when all reach the book's accuracy", () => {
    const b = f.nielsen.bookRecipe;
    // one of two seeds trained
    expect(agrees(f, 'nielsen-4-hidden-trains')).toBe('partly');
    const none = { ...f, nielsen: { ...f.nielsen, bookRecipe: { ...b, perSeed: b.perSeed.map((x) => ({ ...x, trained: false })) } } };
    expect(agrees(none, 'nielsen-4-hidden-trains')).toBe('no');
    const all = (acc: number) => ({ ...f, nielsen: { ...f.nielsen, bookRecipe: { ...b, perSeed: b.perSeed.map((x) => ({ ...x, testAccuracy: acc, trained: true })), testAccuracy: sc(acc, acc, acc, 2) } } });
    expect(agrees(all(0.8), 'nielsen-4-hidden-trains')).toBe('partly');
    expect(agrees(all(0.95), 'nielsen-4-hidden-trains')).toBe('yes');
  });

  it('clipping on the exploding net: yes only when it trains on every seed and clips part of the steps', () => {
    expect(agrees(f, 'clipping-keeps-exploding-net-training')).toBe('yes');
    const c = f.exploding.clipping;
    const every = c.arms.map((a) => (a.clipNorm !== null ? { ...a, outcomes: a.outcomes.map((o) => ({ ...o, clippedFraction: 1 })) } : a));
    expect(agrees({ ...f, exploding: { ...f.exploding, clipping: { ...c, arms: every } } }, 'clipping-keeps-exploding-net-training')).toBe('partly');
    const none = c.arms.map((a) => (a.clipNorm !== null ? { ...a, outcomes: [outcome(1, 0.11), outcome(2, 0.12)] } : a));
    expect(agrees({ ...f, exploding: { ...f.exploding, clipping: { ...c, arms: none } } }, 'clipping-keeps-exploding-net-training')).toBe('no');
  });

  it('clipping against a lower rate: yes when every seed favours clipping, indistinguishable when one does not', () => {
    expect(agrees(f, 'clipping-vs-lower-learning-rate')).toBe('yes');
    const c = f.exploding.clipping;
    const mixed = c.arms.map((a) => (a.label.startsWith('η lowered 10×') ? { ...a, outcomes: [outcome(1, 0.7), outcome(2, 0.27)] } : a));
    expect(agrees({ ...f, exploding: { ...f.exploding, clipping: { ...c, arms: mixed } } }, 'clipping-vs-lower-learning-rate')).toBe('indistinguishable');
  });

  it("the collapsed verdict's claim: yes when collapsed cells never train, no when they do", () => {
    const s = f.activationDepth;
    const collapse = (trained: boolean) => s.cells.map((c) => (c.activation === 'sigmoid' && c.depth === 10 ? { ...c, atInit: { ...c.atInit, findings: { collapsed: 100 } }, training: { ...c.training!, trainedSeeds: trained ? 5 : 0 } } : c));
    expect(agrees({ ...f, activationDepth: { ...s, cells: collapse(false) } }, 'collapsed-does-not-train')).toBe('yes');
    expect(agrees({ ...f, activationDepth: { ...s, cells: collapse(true) } }, 'collapsed-does-not-train')).toBe('no');
  });

  it("He's 2/n for borrowed activations: no when the band leaves [1e-2, 1e2]", () => {
    expect(agrees(f, 'he-init-borrowed')).toBe('no');
    const g = f.activationDepth.gain;
    const inside = g.runs.map((x) => (x.gain === 2 ? { ...x, firstToLast: sc(0.5, 0.1, 3, 100) } : x));
    expect(agrees({ ...f, activationDepth: { ...f.activationDepth, gain: { ...g, runs: inside } } }, 'he-init-borrowed')).toBe('yes');
  });

  it("Pascanu's sufficient condition is a bound: one seed above it is a no", () => {
    const rec = {
      settings: { lengths: [20], steps: 10, testSize: 2560 },
      baseline: { solvedFraction: [0.15] },
      findings: { testSize: 2560, maxErrors: 3, lstmBeatsRnn: [], gruBeatsRnn: [], summaries: [], summary: [] },
      clipping: {
        length: 20, recurrentGain: 2, probeSeeds: 100, steps: 200, lr: 0.01, seeds: [],
        gradRatioAtInit: sc(700, 50, 3e4, 100),
        vanishingCheck: { activation: 'tanh', gain: 0.9, bound: 0.135, ratio: sc(0.03, 0.02, 0.04, 100), seeds: 100 },
      },
    } as unknown as RecurrentSection;
    expect(agrees({ ...f, recurrent: rec }, 'pascanu-sufficient-vanishing')).toBe('yes');
    expect(agrees({ ...f, recurrent: rec }, 'pascanu-relu-rnn-explodes')).toBe('yes');
    const broken = { ...rec, clipping: { ...rec.clipping, vanishingCheck: { ...rec.clipping.vanishingCheck, ratio: { ...sc(0.03, 0.02, 0.04, 100), max: 0.2 } } } } as RecurrentSection;
    expect(agrees({ ...f, recurrent: broken }, 'pascanu-sufficient-vanishing')).toBe('no');
  });
});
