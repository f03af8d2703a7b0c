/**
 * The engine's findings said in the reader's language: the first non-finite
 * value, from the message it carries (or, for files written before findings
 * carried one, its English sentence), Pascanu's condition, a recurrent task.
 */
import type { Verdict } from '../diagnostics/verdict.js';
import { phrase, say, type MessageKey } from '../i18n/catalogue.js';
import { fmt4, type PascanuCondition } from '../nn/rnn/spectral.js';
import type { Lang } from '../i18n/lang.js';
import type { Msg } from '../i18n/message.js';

/** A finding's sentence in `lang`. */
export function nonFiniteText(f: { readonly message: string; readonly said?: Msg }, lang: Lang): string {
  return f.said ? phrase(lang, f.said) : f.message;
}

/** Pascanu et al.'s condition for a recurrent matrix, in `lang`. */
export function pascanuText(c: PascanuCondition, lang: Lang): string {
  return say(lang, `pascanu.${c.regime}` as MessageKey, { l: fmt4(c.lambda1), th: c.threshold === null ? '—' : fmt4(c.threshold) });
}

/** The title and source of a recurrent task (`adding`, `order`, `copy`), in `lang`. */
export function taskText(task: string, lang: Lang): string {
  return ['adding', 'order', 'copy'].includes(task) ? `${say(lang, `task.${task}` as MessageKey)}: ${say(lang, `task.source.${task}` as MessageKey)}` : task;
}

/** A verdict's cause and remedies in `lang` (from its messages; a verdict written before they existed keeps its English). */
export function verdictIn(v: { readonly cause?: string; readonly remedies?: readonly string[]; readonly said?: Verdict['said'] }, lang: Lang): { cause: string; remedies: readonly string[] } {
  if (!v.said) return { cause: v.cause ?? '', remedies: v.remedies ?? [] };
  return { cause: phrase(lang, v.said.cause), remedies: v.said.remedies.map((m) => phrase(lang, m)) };
}

/** A study description in `lang` (from its message; an older file keeps its English). */
export function describedIn(x: { readonly description: string; readonly said?: Msg }, lang: Lang): string {
  return x.said ? phrase(lang, x.said) : x.description;
}

/** The label of an arm of the exploding network (no remedy, clipping, a lowered rate, …) in `lang` (an older file keeps its English). */
export function armLabel(a: { readonly label: string; readonly said?: Msg }, lang: Lang): string {
  return a.said ? phrase(lang, a.said) : a.label;
}
