// The references: each citation as published, and the study's own note on it in the reader's
// language (the citation is allowed in English; the note is not).
import { describe, expect, it } from 'vitest';
import { englishIn } from '../i18n/english.test-helper.js';
import { referenceText, REFERENCES } from './references.js';

describe('references', () => {
  it('say their notes in 繁體中文 after the citation, and in English in English', () => {
    const noted = REFERENCES.filter((r) => r.note);
    expect(noted.length).toBeGreaterThan(3);
    for (const r of noted) {
      const zh = referenceText(r, 'zh-Hant');
      expect(zh.startsWith(r.text)).toBe(true);
      expect(englishIn(zh.slice(r.text.length)).map((f) => `${r.key}: ${f.english}`)).toEqual([]);
      expect(referenceText(r, 'en')).toBe(`${r.text} (${r.note!.en})`);
    }
    // the check can fail: the English notes are English
    expect(noted.some((r) => englishIn(` ${r.note!.en}`).length > 0)).toBe(true);
  });
});
