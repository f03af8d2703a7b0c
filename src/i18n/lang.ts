/**
 * The languages gradscope speaks (English and Traditional Chinese), a text
 * in every one of them, and which language a POSIX locale asks for. Pure:
 * the caller passes the environment in.
 */

/** Every supported language, the default first. */
export const LANGS = ['en', 'zh-Hant'] as const;

/** Languages every text exists in. */
export type Lang = (typeof LANGS)[number];

/** A text in every supported language. */
export type Text = Record<Lang, string>;

/** The `lang` attribute of a page, and the name of each language in itself. */
export const LANG_NAMES: Record<Lang, string> = { en: 'English', 'zh-Hant': '繁體中文' };

/** A text in English and Traditional Chinese. */
export function t(en: string, zh: string): Text {
  return { en, 'zh-Hant': zh };
}

/** The empty text (an entry that never saturates, say). */
export const NO_TEXT: Text = t('', '');

/** Bullet lists from [English, 繁體中文] pairs. */
export function bullets(...pairs: readonly (readonly [string, string])[]): Record<Lang, readonly string[]> {
  return { en: pairs.map((p) => p[0]), 'zh-Hant': pairs.map((p) => p[1]) };
}

/** True for a supported language tag, exactly as written (`en`, `zh-Hant`). */
export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && (LANGS as readonly string[]).includes(x);
}

/**
 * The language a locale names, or null when it names none we have: `zh_TW.UTF-8`,
 * `zh-Hant`, `zh_HK`, `zh` → zh-Hant (every Chinese locale reads the one Chinese
 * we have, Traditional); `en_GB.UTF-8`, `C`, `POSIX` → en; anything else → null.
 */
export function langOfLocale(locale: string | undefined): Lang | null {
  if (!locale) return null;
  const base = locale.split(/[.@]/)[0].toLowerCase();
  if (base === 'c' || base === 'posix') return 'en';
  const lang = base.split(/[-_]/)[0];
  if (lang === 'zh') return 'zh-Hant';
  if (lang === 'en') return 'en';
  return null;
}

/**
 * The language of an environment, as POSIX chooses the messages locale: the
 * first of LC_ALL, LC_MESSAGES and LANG that is set and not empty decides;
 * a locale in a language we do not have, or none, gives English.
 */
export function langOfEnv(env: Readonly<Record<string, string | undefined>>): Lang {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return langOfLocale(locale) ?? 'en';
}
