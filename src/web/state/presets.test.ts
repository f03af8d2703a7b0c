/**
 * Each preset tells a story; this runs it (both runs of a comparison, in
 * lock step as the page trains them) and checks that the engine still tells
 * it: the verdicts at initialisation, at a given step and at the end, the
 * first-to-last ratio and the layer-by-layer factors at initialisation, dead
 * units, and the accuracy reached.
 */
import { describe, expect, it } from 'vitest';
import { specOf } from '../engine/spec.js';
import { runSplit, Session } from '../engine/session.js';
import { compareState, PRESETS, type Expect } from './presets.js';
import type { PlaygroundState } from './settings.js';
import { compareParams, paramsFromState } from './url.js';

/** Runs `state` to its end and checks every claim of `e`. */
function check(state: PlaygroundState, e: Expect, what: string): void {
  const spec = specOf(state);
  const s = new Session(spec, runSplit(spec));
  const init = s.probe();
  if (e.init) expect(init.verdict.kind, `${what}: verdict at initialisation`).toBe(e.init);
  if (e.initRatio) {
    expect(init.firstToLast, `${what}: first-to-last ratio at initialisation`).toBeGreaterThanOrEqual(e.initRatio[0]);
    expect(init.firstToLast, `${what}: first-to-last ratio at initialisation`).toBeLessThanOrEqual(e.initRatio[1]);
  }
  if (e.initFactors) {
    const g = init.layers.map((l) => l.biasGradNorm);
    const factors = g.slice(0, -1).map((v, l) => v / g[l + 1]);
    for (const f of factors) {
      expect(f, `${what}: factors ‖δˡ‖/‖δˡ⁺¹‖ ${factors.map((x) => x.toFixed(3)).join(', ')}`).toBeGreaterThanOrEqual(e.initFactors[0]);
      expect(f, `${what}: factors ‖δˡ‖/‖δˡ⁺¹‖ ${factors.map((x) => x.toFixed(3)).join(', ')}`).toBeLessThanOrEqual(e.initFactors[1]);
    }
  }
  let maxDead = Math.max(...init.layers.slice(0, -1).map((l) => l.deadFraction));
  // probe at the page's cadence, where the page shows the dead fractions
  let checkedAt = false;
  while (!s.finished) {
    const toProbe = s.probeEvery - (s.step % s.probeEvery);
    s.run(e.at && s.step < e.at.step ? Math.min(toProbe, e.at.step - s.step) : toProbe);
    const p = s.probe();
    if (e.at && p.step === e.at.step) {
      expect(p.verdict.kind, `${what}: verdict at step ${e.at.step}`).toBe(e.at.verdict);
      checkedAt = true;
    }
    maxDead = Math.max(maxDead, ...p.layers.slice(0, -1).map((l) => l.deadFraction));
  }
  if (e.at) expect(checkedAt, `${what}: reached step ${e.at.step}`).toBe(true);
  const end = s.probe();
  if (e.end === 'non_finite') expect(s.nonFinite, `${what}: a non-finite value`).not.toBeNull();
  else if (e.end) expect(end.verdict.kind, `${what}: verdict at the end`).toBe(e.end);
  if (e.neverDead) expect(maxDead, `${what}: largest dead fraction at any probe`).toBe(0);
  if (e.minAccuracy !== undefined) expect(end.testAccuracy, `${what}: test accuracy`).toBeGreaterThanOrEqual(e.minAccuracy);
  if (e.maxAccuracy !== undefined && end.testAccuracy !== null) expect(end.testAccuracy, `${what}: test accuracy`).toBeLessThanOrEqual(e.maxAccuracy);
}

describe('presets', () => {
  it('have distinct ids and states (a comparison counts with its second run)', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    const keys = PRESETS.map((p) => {
      const b = compareState(p);
      return JSON.stringify({ ...paramsFromState(p.state), ...(b ? compareParams(p.state, b) : {}) });
    });
    expect(new Set(keys).size).toBe(PRESETS.length);
  });

  it('a comparison changes only what it compares: same data, seed and step budget', () => {
    for (const p of PRESETS) {
      const b = compareState(p);
      if (!b) continue;
      expect(Object.keys(compareParams(p.state, b)).length, p.id).toBeGreaterThan(0);
      expect([b.data, b.seed, b.steps], p.id).toEqual([p.state.data, p.state.seed, p.state.steps]);
    }
  });

  for (const preset of PRESETS) {
    it(`${preset.id}: ${preset.title.en}`, () => {
      check(preset.state, preset.expect, preset.compare ? `${preset.id} (left)` : preset.id);
      const b = compareState(preset);
      if (b && preset.compare) check(b, preset.compare.expect, `${preset.id} (right)`);
    });
  }

  it('the follow-ups change what they say: He initialisation trains the exploding network without a blow-up', () => {
    const x = PRESETS.find((p) => p.id === 'explode');
    const spec = specOf({ ...x!.state, ...x!.then!.change });
    const s = new Session(spec, runSplit(spec));
    s.run(200);
    expect(s.nonFinite).toBeNull();
  });
});
