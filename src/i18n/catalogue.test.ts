/**
 * The catalogue's contract, over every bilingual text gradscope has (see
 * texts.test-helper.ts): no key or translation missing in either language,
 * the same placeholders in both, no key defined twice, no Simplified-only
 * character (OpenCC's Simplified → Taiwan-Traditional conversion must leave
 * every character of every Chinese text unchanged), and no English sentence
 * in a Chinese text.
 */
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { englishIn } from './english.test-helper.js';
import { citation, gapAfter, MESSAGES, TABLES, say, sayHtml } from './catalogue.js';
import { placeholders } from './message.js';
import { allTexts } from './texts.test-helper.js';

const texts = allTexts();
const s2tw = OpenCC.Converter({ from: 'cn', to: 'tw' });

describe('the message catalogue', () => {
  it('gathers the texts of every table (a sanity check of the walker)', () => {
    expect(texts.length).toBeGreaterThan(600);
    for (const where of ['cli.', 'term.', 'fam.', 'rep.', 'activations', 'lineage', 'web/i18n', 'web/state/settings', 'web/state/presets']) expect(texts.some((x) => x.where.startsWith(where)), where).toBe(true);
  });

  it('has every text in both languages', () => {
    const missing = texts.filter((x) => (x.en.trim() === '') !== (x.zh.trim() === '')).map((x) => x.where);
    expect(missing).toEqual([]);
    const emptyKeys = Object.entries(MESSAGES).filter(([, v]) => !v.en.trim() || !v['zh-Hant'].trim()).map(([k]) => k);
    expect(emptyKeys).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const bad = texts.filter((x) => placeholders(x.en).sort().join() !== placeholders(x.zh).sort().join()).map((x) => `${x.where}: {${placeholders(x.en)}} vs {${placeholders(x.zh)}}`);
    expect(bad).toEqual([]);
  });

  it('defines no key twice across its tables', () => {
    const keys = Object.values(TABLES).flatMap((t) => Object.keys(t));
    expect(keys.length).toBe(new Set(keys).size);
    expect(Object.keys(MESSAGES).length).toBe(keys.length);
  });

  // Character by character: OpenCC's phrase segmentation also rewrites correct Traditional text
  // (最大只有 → 最大隻有, 圖表停 → 圖錶停), but a character it changes on its own is Simplified
  // or a variant Taiwan does not write (分布 is fine, 佔 is Taiwan's 占).
  it('writes Chinese in Traditional characters: OpenCC Simplified → Traditional (Taiwan) changes no character', () => {
    const changed = texts.flatMap((x) => [...new Set(x.zh)].filter((c) => s2tw(c) !== c).map((c) => `${x.where}: ${c} → ${s2tw(c)} in ${x.zh}`));
    expect(changed).toEqual([]);
    // the check can fail: Simplified characters are converted
    expect([...'激活函数的梯度'].filter((c) => s2tw(c) !== c)).toEqual(['数']);
  });

  it('says no English sentence in Chinese', () => {
    const english = texts.flatMap((x) => englishIn(x.zh).map((f) => `${x.where}: "${f.english}" in …${f.context}…`));
    expect(english).toEqual([]);
  });

  it('phrases placeholders, numbers, nested messages and lists', () => {
    expect(say('en', 'fam.card.dmaxAt', { v: 0.0123456, x: 0 })).toBe('0.0123 at x = 0');
    expect(say('zh-Hant', 'fam.card.dmaxAt', { v: 1e-7, x: 12345678 })).toBe('1e-7（x = 1.23e7）');
    expect(say('zh-Hant', 'fam.seeAlso', { name: 'silu', family: { key: 'term.family.relu' } })).toBe('另見 silu（ReLU 家族）');
    expect(say('en', 'cli.train.remedies', { list: ['a', 'b', 'c'], clip: 1, byNorm: 1, byValue: 0, rows: 0 })).toMatch(/^remedies: a, b and c;/);
    expect(say('zh-Hant', 'cli.train.remedies', { list: ['a', 'b', 'c'], clip: 1, byNorm: 1, byValue: 0, rows: 0 })).toMatch(/^補救方法：a、b 與 c；/);
    expect(say('en', 'fam.card.dmaxAt')).toBe('{v} at x = {x}');
  });

  it('spaces Chinese from Latin text and numbers but not from Chinese at a placeholder', () => {
    expect(say('zh-Hant', 'cli.probeModel.compareTitle', { remedy: '--init he_normal' })).toBe('檔案原樣與使用 --init he_normal 的比較');
    expect(say('zh-Hant', 'cli.probeModel.compareTitle', { remedy: '不飽和的激活函數' })).toBe('檔案原樣與使用不飽和的激活函數的比較');
    expect(say('zh-Hant', 'cli.probeModel.compareTitle', { remedy: { key: 'c.u.nonSat' } })).toBe('檔案原樣與使用不飽和的激活函數，或「補救方法」一節的補救方法的比較');
    expect(sayHtml('zh-Hant', 'cli.probeModel.compareTitle', { remedy: '不飽和' })).toBe('檔案原樣與使用不飽和的比較');
    expect(sayHtml('zh-Hant', 'cli.probeModel.compareTitle', { remedy: 'relu' })).toBe('檔案原樣與使用 relu 的比較');
    // an HTML value: the rule reads its text, the markup goes in unchanged
    expect(sayHtml('zh-Hant', 'cli.probeModel.compareTitle', { remedy: { html: '<b>不飽和</b>' } })).toBe('檔案原樣與使用<b>不飽和</b>的比較');
    expect(sayHtml('zh-Hant', 'cli.probeModel.compareTitle', { remedy: { html: '<code>relu</code>' } })).toBe('檔案原樣與使用 <code>relu</code> 的比較');
    // English keeps every space
    expect(say('en', 'cli.probeModel.compareTitle', { remedy: 'x' })).toBe('as in the file vs with x');
    expect(gapAfter('備註：')).toBe('');
    expect(gapAfter('note:')).toBe(' ');
  });

  it('makes a noun agree with its number in English: 1 step, 2 steps, 1 epoch (Chinese has no plural)', () => {
    const vars = (steps: number, epochs: number) => ({ steps, epochs, secs: '0.1', rate: 10, why: 'done' });
    expect(say('en', 'cli.train.steps', vars(1, 1))).toBe('1 step (1 epoch) in 0.1 s, 10 steps/s — done');
    expect(say('en', 'cli.train.steps', vars(2, 0))).toBe('2 steps (0 epochs) in 0.1 s, 10 steps/s — done');
    expect(say('zh-Hant', 'cli.train.steps', vars(1, 1))).toBe('1 步（1 輪），費時 0.1 秒，每秒 10 步 — done');
    // a missing value stays visible, in either form
    expect(say('en', 'cli.train.steps', {})).toBe('{steps:steps} ({epochs:epochs}) in {secs} s, {rate:steps}/s — {why}');
    expect(sayHtml('en', 'cli.train.steps', { ...vars(1, 3), why: { html: '<b>x</b>' } })).toBe('1 step (3 epochs) in 0.1 s, 10 steps/s — <b>x</b>');
    expect(sayHtml('en', 'cli.train.steps', { ...vars(2, 3), steps: { html: '<b>1</b>' } })).toBe('<b>1</b> step (3 epochs) in 0.1 s, 10 steps/s — done');
  });
});

describe('citation', () => {
  it('writes names and years the way the Chinese texts do, and leaves English as it is', () => {
    expect(citation('zh-Hant', 'Pascanu et al. 2013')).toBe('Pascanu 等人 2013');
    expect(citation('zh-Hant', 'Hochreiter & Schmidhuber 1997')).toBe('Hochreiter 與 Schmidhuber 1997');
    expect(citation('zh-Hant', 'Nielsen, ch. 5')).toBe('Nielsen，第 5 章');
    expect(citation('zh-Hant', 'Glorot & Bengio 2010')).toBe('Glorot 與 Bengio 2010');
    for (const s of ['Pascanu et al. 2013', 'Hochreiter & Schmidhuber 1997', 'Nielsen, ch. 5']) expect(citation('en', s)).toBe(s);
  });
});
