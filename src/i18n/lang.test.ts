/** Which language a locale and an environment ask for (POSIX order: LC_ALL, LC_MESSAGES, LANG). */
import { describe, expect, it } from 'vitest';
import { langOfEnv, langOfLocale } from './lang.js';

describe('langOfLocale', () => {
  it.each([
    ['zh_TW.UTF-8', 'zh-Hant'],
    ['zh_HK.UTF-8', 'zh-Hant'],
    ['zh-Hant', 'zh-Hant'],
    ['zh_CN.UTF-8', 'zh-Hant'],
    ['zh', 'zh-Hant'],
    ['en_US.UTF-8', 'en'],
    ['en_GB@euro', 'en'],
    ['C', 'en'],
    ['C.UTF-8', 'en'],
    ['POSIX', 'en'],
    ['de_DE.UTF-8', null],
    ['', null],
  ])('%s → %s', (locale, lang) => {
    expect(langOfLocale(locale)).toBe(lang);
  });
});

describe('langOfEnv', () => {
  it('takes LC_ALL over LC_MESSAGES over LANG, skipping empty values', () => {
    expect(langOfEnv({ LC_ALL: 'zh_TW.UTF-8', LC_MESSAGES: 'en_US.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh-Hant');
    expect(langOfEnv({ LC_ALL: '', LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh-Hant');
    expect(langOfEnv({ LANG: 'zh_TW.UTF-8' })).toBe('zh-Hant');
    expect(langOfEnv({ LC_ALL: 'C', LANG: 'zh_TW.UTF-8' })).toBe('en');
  });

  it('falls back to English for a locale we have no language for, and for none', () => {
    expect(langOfEnv({ LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(langOfEnv({})).toBe('en');
  });
});
