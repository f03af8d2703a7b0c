// The catalogue's property strings in 繁體中文: every entry's range, derivative range, dead zone and
// derivative formula says no English word once phrased for a Chinese reader (the notation stays).
import { describe, expect, it } from 'vitest';
import { englishIn } from '../i18n/english.test-helper.js';
import { ACTIVATIONS } from './catalogue.js';
import { metaText } from './meta-text.js';

describe('metaText', () => {
  it('leaves no English word in any entry’s property strings in zh-Hant', () => {
    const found: string[] = [];
    for (const d of ACTIVATIONS) {
      const m = d.meta;
      for (const [field, s] of [['range', m.range], ['derivativeRange', m.derivativeRange], ['deadZone', m.deadZone], ['derivative', m.derivative.text]] as const) {
        const zh = metaText(s, 'zh-Hant');
        // the raw English strings are allowed as notation by the detector; the phrased ones must not need it
        if (zh !== s) for (const f of englishIn(zh)) found.push(`${d.name}.${field}: "${f.english}" in ${zh}`);
        else if (/[a-z]{3,} [a-z]{2,}/.test(s.replace(/[A-Za-z_]+\(|\b(?:exp|log|max|min|tanh)\b/g, ''))) found.push(`${d.name}.${field}: left as it is: ${s}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('keeps English as it is and phrases the words, not the numbers', () => {
    expect(metaText('[≈ −0.16997, ∞) (minimum at x ≈ −0.7518)', 'en')).toBe('[≈ −0.16997, ∞) (minimum at x ≈ −0.7518)');
    expect(metaText('[≈ −0.16997, ∞) (minimum at x ≈ −0.7518)', 'zh-Hant')).toBe('[≈ −0.16997, ∞)（最小值在 x ≈ −0.7518）');
    expect(metaText('(0, 1) per component; each row sums to 1', 'zh-Hant')).toBe('(0, 1)（每個分量）；每一列總和為 1');
  });
});
