/**
 * The engine's findings said in the reader's language: the first non-finite
 * value, from the message it carries (or, for files written before findings
 * carried one, its English sentence).
 */
import { phrase } from '../i18n/catalogue.js';
import type { Lang } from '../i18n/lang.js';
import type { Msg } from '../i18n/message.js';

/** A finding's sentence in `lang`. */
export function nonFiniteText(f: { readonly message: string; readonly said?: Msg }, lang: Lang): string {
  return f.said ? phrase(lang, f.said) : f.message;
}
