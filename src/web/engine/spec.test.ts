/**
 * The run a playground state describes: per-layer activations with their
 * own parameters, the output activation the loss implies, remedies applied
 * through their settings-table entries, and the same RunSpec `gradscope
 * train` would read from the equivalent config file.
 */
import { describe, expect, it } from 'vitest';
import { parseRun } from '../../run/schema.js';
import { hiddenLayers } from '../../run/derive.js';
import { DEFAULT_STATE, SETTING_KEYS, SETTINGS, type PlaygroundState } from '../state/settings.js';
import { onCustomData, specOf } from './spec.js';

const s = (over: Partial<PlaygroundState>): PlaygroundState => ({ ...DEFAULT_STATE, ...over });

describe('specOf', () => {
  it('builds the sizes from the data, the depth and the width', () => {
    expect(specOf(s({ data: 'spiral', depth: 3, width: 5 })).arch).toEqual([2, 5, 5, 5, 2]);
    expect(specOf(s({ data: 'digits', depth: 2, width: 16 })).arch).toEqual([784, 16, 16, 10]);
  });

  it('gives each layer its activation and only the parameters it takes', () => {
    const p = specOf(s({ depth: 3, loss: 'cross_entropy', act: 'relu', acts: ['leaky_relu', 'elu'], ap: { negative_slope: 0.2, alpha: 0.5, beta: 3 } }));
    expect(hiddenLayers(p)).toEqual([{ name: 'leaky_relu', params: { negative_slope: 0.2 } }, { name: 'elu', params: { alpha: 0.5 } }, { name: 'relu' }]);
    expect(p.activationParams).toEqual({ negative_slope: 0.2, alpha: 0.5 });
    expect(p.outputActivation).toBe('softmax');
    expect(specOf(s({ loss: 'binary_cross_entropy' })).outputActivation).toBe('sigmoid');
    // the quadratic loss keeps the last hidden activation at the output (Nielsen's networks), a layer-kind one becomes linear
    expect(specOf(s({ loss: 'quadratic', act: 'tanh' })).outputActivation).toBe('tanh');
    expect(specOf(s({ loss: 'quadratic', act: 'maxout' })).outputActivation).toBe('linear');
  });

  it('is the run `gradscope train` reads from the same settings written as a config', () => {
    const st = s({ data: 'moons', depth: 4, width: 8, act: 'tanh', init: 'xavier_normal', loss: 'cross_entropy', opt: 'adam', lr: 0.01, batch: 16, steps: 300, seed: 7, tol: 1e-4, clip: 1, norm: 'layer' });
    const config = { arch: '2-8x4-2', activation: 'tanh', init: 'xavier_normal', loss: 'cross_entropy', optimizer: 'adam', lr: 0.01, batchSize: 16, maxSteps: 300, epochs: null, gradTol: 1e-4, clipNorm: 1, norm: 'layer', data: 'moons', samples: 1000, testFraction: 0.2, seed: 7 };
    expect(specOf(st)).toEqual(parseRun(config));
  });

  it('names the activation, the parameter and the value when a parameter is out of range', () => {
    expect(() => specOf(s({ act: 'elu', ap: { alpha: -1 } }))).toThrow(/elu: parameter 'alpha' must be > 0; got -1/);
  });

  it('applies every remedy through its entry of the settings table', () => {
    const base = specOf(s({}));
    expect([base.clipNorm, base.l2, base.norm, base.residual]).toEqual([null, 0, 'none', false]);
    const p = specOf(s({ clip: 1, l2: 0.5, norm: 'batch', residual: true }));
    expect([p.clipNorm, p.l2, p.norm, p.residual]).toEqual([1, 0.5, 'batch', true]);
    // every remedy entry has its hook; no other setting needs one
    for (const k of SETTING_KEYS) expect(SETTINGS[k].group === 'remedies', k).toBe('apply' in SETTINGS[k]);
  });

  it('moves the run onto the reader’s data: two inputs, its classes, every example', () => {
    const own = onCustomData(specOf(s({ data: 'spiral', depth: 2, width: 5 })), { labels: new Uint8Array(37), classes: 3 });
    expect([own.arch, own.samples]).toEqual([[2, 5, 5, 3], 37]);
  });
});
