/**
 * The catalogue's property strings (ranges, derivative ranges, dead zones and
 * derivative formulas) are mostly notation, with a few English words around
 * it: "(minimum at x ≈ −0.7518)", "per component; each row sums to 1". This
 * says them in the reader's language: the notation stays, the words are
 * phrased once per language here.
 */
import type { Lang } from '../i18n/lang.js';

/** English phrase → its Traditional Chinese wording (numbers and notation around them unchanged). */
const ZH: readonly (readonly [RegExp, string])[] = [
  [/ ?\(minimum at x ([=≈]) /g, '（最小值在 x $1 '],
  [/ ?\(extremes at x ([=≈]) /g, '（極值在 x $1 '],
  [/off-diagonal /g, '非對角 '],
  [/diagonal /g, '對角 '],
  [/ per component; each row sums to 1/g, '（每個分量）；每一列總和為 1'],
  [/ for any β > 0/g, '（任何 β > 0）'],
  [/ for β > 0/g, '（β > 0）'],
  [/ per piece/g, '（每一段）'],
  [/ = 1 for the winning piece, 0 for the others/g, ' = 1（勝出的那一段），其他為 0'],
];

/** A catalogue property string in `lang`. */
export function metaText(s: string, lang: Lang): string {
  if (lang === 'en') return s;
  let out = s;
  for (const [re, zh] of ZH) out = out.replace(re, zh);
  // a closing parenthesis after Chinese wording is a full-width one
  return out.replace(/（([^（）()]*)\)/g, '（$1）');
}
