/**
 * The run plan of a playground state: per-layer activations with their own
 * parameters, the output layer the loss implies, and remedies applied
 * through their settings-table entries.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, SETTING_KEYS, SETTINGS, type PlaygroundState } from '../state/settings.js';
import { planOf } from './plan.js';

const s = (over: Partial<PlaygroundState>): PlaygroundState => ({ ...DEFAULT_STATE, ...over });

describe('planOf', () => {
  it('builds the sizes from the data, the depth and the width', () => {
    expect(planOf(s({ data: 'spiral', depth: 3, width: 5 })).mlp.sizes).toEqual([2, 5, 5, 5, 2]);
    expect(planOf(s({ data: 'digits', depth: 2, width: 16 })).mlp.sizes).toEqual([784, 16, 16, 10]);
  });

  it('gives each layer its activation and only the parameters it takes', () => {
    const p = planOf(s({ depth: 3, loss: 'cross_entropy', act: 'relu', acts: ['leaky_relu', 'elu'], ap: { negative_slope: 0.2, alpha: 0.5 } }));
    expect(p.mlp.hidden).toEqual([{ name: 'leaky_relu', params: { negative_slope: 0.2 } }, { name: 'elu', params: { alpha: 0.5 } }, { name: 'relu' }]);
    expect(p.mlp.output).toEqual({ name: 'softmax' });
    expect(planOf(s({ loss: 'binary_cross_entropy' })).mlp.output).toEqual({ name: 'sigmoid' });
  });

  it('names the activation, the parameter and the value when a parameter is out of range', () => {
    expect(() => planOf(s({ act: 'elu', ap: { alpha: -1 } }))).toThrow(/elu: parameter 'alpha' must be > 0; got -1/);
  });

  it('applies every remedy through its entry of the settings table', () => {
    const base = planOf(s({}));
    expect(base.clipNorm).toBeNull();
    const p = planOf(s({ clip: 1, l2: 0.5, norm: 'batch', residual: true }));
    expect(p.clipNorm).toBe(1);
    expect(p.optimizer.l2).toBe(0.5);
    expect(p.mlp.norm).toBe('batch');
    expect(p.mlp.residual).toBe(true);
    // every remedy entry has its hook; no other setting needs one
    for (const k of SETTING_KEYS) expect(SETTINGS[k].group === 'remedies', k).toBe('apply' in SETTINGS[k]);
  });
});
