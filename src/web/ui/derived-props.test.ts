/**
 * The measured properties against two independent sources: the catalogue's
 * own hand-written metadata at the default parameters (sup |f′|, f′(0),
 * monotonic, bounded, every elementwise entry), and closed forms at other
 * parameter values (ELU's −α floor and (0, α] slopes, leaky ReLU's {k, 1},
 * hardtanh's clip, hardshrink's split range, the shrink functions' dead
 * zone |x| ≤ λ).
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, CATALOGUE } from '../../activations/catalogue.js';
import { derivedProps } from './derived-props.js';

const at = (name: keyof typeof CATALOGUE, params: Record<string, number>) => {
  const d = CATALOGUE[name];
  return derivedProps(d, d.params.map((s) => params[s.name] ?? s.default));
};

describe('derived properties', () => {
  it('agree with the catalogue at the default parameters, entry by entry', () => {
    const bad: string[] = [];
    for (const d of ACTIVATIONS.filter((x) => x.kind === 'elementwise' && x.name !== 'rrelu')) {
      const m = d.meta;
      const p = derivedProps(d, d.params.map((s) => s.default));
      if (Math.abs(p.derivativeMax - m.derivativeMax) > 1e-6 * Math.max(1, m.derivativeMax)) bad.push(`${d.name}: sup|f′| ${p.derivativeMax} vs ${m.derivativeMax}`);
      if (Math.abs(p.derivativeAtZero - m.derivativeAtZero) > 1e-12) bad.push(`${d.name}: f′(0) ${p.derivativeAtZero} vs ${m.derivativeAtZero}`);
      if (p.monotonic !== m.monotonic) bad.push(`${d.name}: monotonic ${p.monotonic} vs ${m.monotonic}`);
      if (p.boundedAbove !== m.boundedAbove || p.boundedBelow !== m.boundedBelow) bad.push(`${d.name}: bounded ${p.boundedBelow}/${p.boundedAbove} vs ${m.boundedBelow}/${m.boundedAbove}`);
      if ((p.deadZone === '') !== (m.deadZone === '')) bad.push(`${d.name}: dead zone '${p.deadZone}' vs '${m.deadZone}'`);
    }
    expect(bad).toEqual([]);
  });

  it('follow the parameters as the closed forms say', () => {
    // ELU: f → −α, f′ = α·eˣ for x ≤ 0 (α at 0, PyTorch's branch), 1 for x > 0
    expect(at('elu', { alpha: 2 })).toMatchObject({ range: '(−2, ∞)', derivativeRange: '(0, 2]', derivativeMax: 2, derivativeAtZero: 2 });
    expect(at('elu', { alpha: 0.5 })).toMatchObject({ range: '(−0.5, ∞)', derivativeRange: '(0, 0.5] ∪ {1}', derivativeMax: 1 });
    expect(at('leaky_relu', { negative_slope: 0.3 })).toMatchObject({ range: '(−∞, ∞)', derivativeRange: '{0.3, 1}', derivativeAtZero: 0.3, monotonic: true, deadZone: '' });
    expect(at('prelu', { weight: -0.5 })).toMatchObject({ derivativeRange: '{−0.5, 1}', monotonic: false });
    expect(at('hardtanh', { min_val: -2, max_val: 0.5 })).toMatchObject({ range: '[−2, 0.5]', derivativeRange: '{0, 1}', deadZone: 'x ≤ −2 and x ≥ 0.5' });
    expect(at('hardshrink', { lambd: 0.3 })).toMatchObject({ range: '(−∞, −0.3) ∪ {0} ∪ (0.3, ∞)', deadZone: '|x| ≤ 0.3' });
    expect(at('softshrink', { lambd: 1.2 })).toMatchObject({ range: '(−∞, ∞)', deadZone: '|x| ≤ 1.2' });
    expect(at('relu', {})).toMatchObject({ range: '[0, ∞)', derivativeRange: '{0, 1}', deadZone: 'x ≤ 0' });
    expect(at('sigmoid', {})).toMatchObject({ range: '(0, 1)', derivativeRange: '(0, 0.25]' });
    expect(at('tanh', {})).toMatchObject({ range: '(−1, 1)', derivativeRange: '(0, 1]' });
    expect(at('softsign', {})).toMatchObject({ range: '(−1, 1)' });
  });
});
