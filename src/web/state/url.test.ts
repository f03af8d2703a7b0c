/**
 * The URL holds the playground's whole state: every state reads back from
 * its link unchanged, defaults are left out, and bad values fall back to the
 * default and are reported by key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSchema } from '../../run/schema.js';
import { DEFAULT_STATE, HIDDEN_ACTIVATIONS, SETTINGS, type PlaygroundState } from './settings.js';
import { compareFromParams, compareParams, formatHash, paramsFromState, parseHash, stateFromParams } from './url.js';
import { viewFlagsFromParams, viewParams } from './view.js';

const choices = (k: 'data' | 'act' | 'init' | 'loss' | 'opt' | 'norm'): string[] => {
  const c = SETTINGS[k].control;
  return c.kind === 'select' ? c.choices.map((x) => x.value) : [];
};

const stateArb: fc.Arbitrary<PlaygroundState> = fc.record({
  data: fc.constantFrom(...choices('data')),
  depth: fc.integer({ min: 1, max: 20 }),
  width: fc.integer({ min: 1, max: 64 }),
  act: fc.constantFrom(...choices('act')),
  acts: fc.array(fc.constantFrom(...HIDDEN_ACTIVATIONS), { maxLength: 5 }),
  ap: fc.dictionary(fc.constantFrom('negative_slope', 'alpha', 'beta'), fc.double({ min: 0.001, max: 5, noNaN: true })),
  init: fc.constantFrom(...choices('init'), 'normal:0.37', 'uniform:2'),
  loss: fc.constantFrom(...choices('loss')),
  opt: fc.constantFrom(...choices('opt')),
  lr: fc.double({ min: 1e-5, max: 10, noNaN: true }),
  batch: fc.integer({ min: 1, max: 512 }),
  steps: fc.integer({ min: 1, max: 100000 }),
  tol: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true })),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  clip: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e3, noNaN: true })),
  l2: fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 100, noNaN: true })),
  norm: fc.constantFrom(...choices('norm')),
  residual: fc.boolean(),
});

describe('playground URL', () => {
  it('reads every state back from its link unchanged', () => {
    fc.assert(
      fc.property(stateArb, fc.constantFrom('en', 'zh-Hant' as const), (s, lang) => {
        const hash = formatHash({ view: 'playground', lang, params: paramsFromState(s) });
        const route = parseHash(hash);
        expect(route.view).toBe('playground');
        expect(route.lang).toBe(lang);
        const back = stateFromParams(route.params);
        expect(back.invalid).toEqual([]);
        expect(back.state).toEqual(s);
        expect(formatHash({ view: 'playground', lang, params: paramsFromState(back.state) })).toBe(hash);
      }),
      { numRuns: 300 },
    );
  });

  it('writes only what differs from the defaults, readably', () => {
    expect(paramsFromState(DEFAULT_STATE)).toEqual({});
    const hash = formatHash({ view: 'playground', lang: 'en', params: paramsFromState({ ...DEFAULT_STATE, act: 'leaky_relu', ap: { negative_slope: 0.1 }, acts: ['relu', 'tanh'] }) });
    expect(hash).toBe('#/playground?v=2&activation=leaky_relu&acts=relu,tanh&activationParams=negative_slope:0.1');
  });

  it('reads the older short keys, and a link without v=2 with the defaults it was written against', () => {
    const old = stateFromParams({ act: 'relu', batch: '16', clip: '1', res: '1', opt: 'adam', steps: '200', tol: '0.01', ap: 'negative_slope:0.2' }).state;
    const now = stateFromParams({ v: '2', activation: 'relu', batchSize: '16', clipNorm: '1', residual: '1', optimizer: 'adam', maxSteps: '200', gradTol: '0.01', activationParams: 'negative_slope:0.2', init: 'nielsen', loss: 'cross_entropy' }).state;
    expect(old).toEqual(now);
    // an old link that left init, loss and the batch size out meant nielsen, cross-entropy and 32
    expect(stateFromParams({ depth: '3' }).state).toMatchObject({ init: 'nielsen', loss: 'cross_entropy', batch: 32 });
    expect(stateFromParams({ v: '2', depth: '3' }).state).toMatchObject({ init: DEFAULT_STATE.init, loss: DEFAULT_STATE.loss, batch: DEFAULT_STATE.batch });
  });

  it('takes the shared settings\' defaults from the run settings, as train and probe do', () => {
    const run = runSchema.parse({});
    expect(DEFAULT_STATE).toMatchObject({ init: run.init, loss: run.loss, batch: run.batchSize, opt: run.optimizer, lr: run.lr, seed: run.seed, act: run.activation, norm: run.norm, residual: run.residual });
  });

  it('keeps the defaults for values that are not valid and names their keys', () => {
    const { state, invalid } = stateFromParams({ v: '2', depth: '99', lr: 'fast', act: 'sigmoid', data: 'cifar', init: 'normal:-1', acts: 'relu,nope' });
    expect(invalid.sort()).toEqual(['acts', 'data', 'depth', 'init', 'lr']);
    expect(state).toEqual({ ...DEFAULT_STATE, act: 'sigmoid' });
  });

  it('falls back to the explorer in English for an unknown view or language', () => {
    expect(parseHash('#/nowhere?lang=fr')).toEqual({ view: 'activations', lang: 'en', params: {} });
    expect(parseHash('')).toEqual({ view: 'activations', lang: 'en', params: {} });
    expect(parseHash('#/report?src=served&bad=%E0%A4%A')).toEqual({ view: 'report', lang: 'en', params: { src: 'served' } });
  });

  it('reads a second run back from its b. parameters: every setting but the shared ones', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b0) => {
        // the shared settings are always the first run's
        const b = { ...b0, data: a.data, seed: a.seed, steps: a.steps };
        const params = { ...paramsFromState(a), ...compareParams(a, b) };
        const back = compareFromParams(parseHash(formatHash({ view: 'playground', lang: 'en', params })).params);
        if (Object.keys(compareParams(a, b)).length === 0) expect(back).toBeNull();
        else {
          expect(back?.invalid).toEqual([]);
          expect(back?.state).toEqual(b);
        }
        expect(stateFromParams(params).state).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a second run that would change the shared settings, or an unknown key, by name', () => {
    const r = compareFromParams({ v: '2', act: 'relu', 'b.init': 'he_normal', 'b.seed': '3', 'b.nope': '1', 'b.depth': '99' });
    expect(r?.state).toEqual({ ...DEFAULT_STATE, act: 'relu', init: 'he_normal' });
    expect(r?.invalid.sort()).toEqual(['b.depth', 'b.nope', 'b.seed']);
    expect(compareFromParams({ act: 'relu' })).toBeNull();
  });

  it('reads the view flags and names the ones that are not valid', () => {
    const { flags, invalid } = viewFlagsFromParams({ hide: 'controls,lr,presets,bogus', speed: '20', tour: '3' }, 7);
    expect([...flags.hide].sort()).toEqual(['controls', 'lr', 'presets']);
    expect(flags.speed).toBe(20);
    expect(flags.tour).toBe(3);
    expect(invalid).toEqual(['hide=bogus']);
    expect(viewFlagsFromParams({ speed: 'max' }, 7).flags.speed).toBeNull();
    expect(viewFlagsFromParams({ speed: '0', tour: '8' }, 7).invalid).toEqual(['speed', 'tour']);
    expect(viewParams({ hide: 'lr', depth: '3', speed: '5' })).toEqual({ hide: 'lr', speed: '5' });
  });
});
