/**
 * Small helpers for writing the catalogue's bilingual texts, so each Traditional
 * Chinese sentence sits right beside the English one it translates.
 */
import type { Lang, Text } from './types.js';

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
