/**
 * The three families section: every catalogue entry gets exactly one card
 * (cross-references are links, not cards), the maps nest each variant under
 * its parent, and the Chinese section says no English sentence.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES } from '../../activations/catalogue.js';
import { englishIn, pageText } from '../../i18n/english.test-helper.js';
import { makeEmptyFixture, makeFixture } from '../fixture.test-helper.js';
import { familiesSection } from './families.js';

const r = makeFixture();

describe('familiesSection', () => {
  it('has one card per catalogue entry, each exactly once', () => {
    const html = familiesSection(r, 'en').html;
    for (const n of ACTIVATION_NAMES) expect(html.split(`<article class="fcard" id="fam-${n}">`).length - 1, n).toBe(1);
    expect(html.split('<article class="fcard"').length - 1).toBe(ACTIVATION_NAMES.length);
    // one plot per elementwise entry (softmax and maxout have none)
    expect(html.split('<svg class="fplot"').length - 1).toBe(ACTIVATION_NAMES.length - 2);
  });

  it('nests each variant under its parent in the map (leaky_relu → prelu → rrelu)', () => {
    const html = familiesSection(r, 'en').html;
    const tree = html.slice(html.indexOf('<ul class="tree"'), html.indexOf('</ul></div>'));
    const leaky = tree.indexOf('#fam-leaky_relu');
    const prelu = tree.indexOf('#fam-prelu');
    const rrelu = tree.indexOf('#fam-rrelu');
    expect(leaky).toBeGreaterThan(0);
    expect(prelu).toBeGreaterThan(leaky);
    expect(rrelu).toBeGreaterThan(prelu);
    // prelu's list opens inside leaky_relu's item: a <ul> between them
    expect(tree.slice(leaky, prelu)).toContain('<ul>');
  });

  it('says every sentence in Chinese in zh-Hant (code names, formulas and paper titles aside)', () => {
    const s = familiesSection(r, 'zh-Hant');
    expect(s.title).toBe('激活函數的三大家族');
    expect(englishIn(pageText(s.html)).map((f) => `${f.english} in …${f.context}…`)).toEqual([]);
    // the check can fail: the English section is full of English
    expect(englishIn(pageText(familiesSection(r, 'en').html)).length).toBeGreaterThan(50);
  });

  it('says "not measured" for results without the part', () => {
    expect(familiesSection(makeEmptyFixture(), 'en').html).toContain('not measured in this run');
  });
});
