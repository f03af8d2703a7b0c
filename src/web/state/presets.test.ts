/**
 * Each preset tells a story; this runs it and checks that the engine still
 * tells it: the verdict at initialisation and at the end, and the accuracy.
 */
import { describe, expect, it } from 'vitest';
import { planOf } from '../engine/plan.js';
import { planData, Session } from '../engine/session.js';
import { PRESETS } from './presets.js';
import { paramsFromState } from './url.js';

describe('presets', () => {
  it('have distinct ids and states', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    expect(new Set(PRESETS.map((p) => JSON.stringify(paramsFromState(p.state)))).size).toBe(PRESETS.length);
  });

  for (const preset of PRESETS) {
    it(`${preset.id}: ${preset.title.en}`, () => {
      const plan = planOf(preset.state);
      const s = new Session(plan, planData(plan));
      const e = preset.expect;
      if (e.init) expect(s.probe().verdict.kind).toBe(e.init);
      s.run(plan.maxSteps);
      const end = s.probe();
      if (e.end === 'non_finite') expect(s.nonFinite).not.toBeNull();
      else if (e.end) expect(end.verdict.kind).toBe(e.end);
      if (e.minAccuracy !== undefined) expect(end.testAccuracy).toBeGreaterThanOrEqual(e.minAccuracy);
      if (e.maxAccuracy !== undefined && end.testAccuracy !== null) expect(end.testAccuracy).toBeLessThanOrEqual(e.maxAccuracy);
    });
  }

  it('the follow-ups change what they say: He initialisation reaches every layer', () => {
    const x = PRESETS.find((p) => p.id === 'xavier');
    expect(x?.then).toBeDefined();
    const plan = planOf({ ...x!.state, ...x!.then!.change });
    expect(new Session(plan, planData(plan)).probe().verdict.kind).toBe('healthy');
  });
});
