/**
 * The tutorial: seven steps in the order of the seed's argument, each a page
 * of the lab that exists (a catalogue entry, or a preset whose claims
 * presets.test.ts checks), with its sentence in both languages, and links
 * that read back to exactly the preset's runs.
 */
import { describe, expect, it } from 'vitest';
import { isActivationName } from '../../activations/catalogue.js';
import { compareState, presetById } from './presets.js';
import { TOUR, tourRoute } from './tour.js';
import { TOUR_START } from './tour-start.js';
import { compareFromParams, stateFromParams } from './url.js';
import { viewFlagsFromParams } from './view.js';

describe('tutorial', () => {
  it('has seven steps, each with a sentence in both languages', () => {
    expect(TOUR.map((s) => s.title.en)).toEqual(['σ′ ≤ 1/4', 'A product of factors', 'Deeper is worse', 'ReLU', 'Dead units', 'Leaky ReLU and ELU', 'Remedies']);
    for (const s of TOUR) {
      expect(s.text.en.length).toBeGreaterThan(40);
      expect(s.text['zh-Hant'].length).toBeGreaterThan(20);
    }
    expect(TOUR[0].place).toEqual(TOUR_START);
  });

  it('links every step to its page: the entry, or the preset with both runs, its pace and the step number', () => {
    TOUR.forEach((step, i) => {
      const r = tourRoute(i + 1, { hide: 'nav' });
      const flags = viewFlagsFromParams(r.params, TOUR.length);
      expect(flags.invalid).toEqual([]);
      expect(flags.flags.tour).toBe(i + 1);
      expect([...flags.flags.hide]).toEqual(['nav']);
      if (step.place.view === 'activations') {
        expect(isActivationName(step.place.fn)).toBe(true);
        expect(r).toEqual({ view: 'activations', params: { fn: step.place.fn, hide: 'nav', tour: String(i + 1) } });
        return;
      }
      const preset = presetById(step.place.preset);
      expect(preset, step.place.preset).toBeDefined();
      expect(r.view).toBe('playground');
      expect(stateFromParams(r.params)).toEqual({ state: preset!.state, invalid: [] });
      const b = compareState(preset!);
      expect(compareFromParams(r.params)?.state ?? null).toEqual(b);
      expect(flags.flags.speed).toBe(preset!.speed);
    });
    expect(() => tourRoute(0)).toThrow(/step must be in 1\.\.7; got 0/);
  });
});
