/**
 * An input error's sentence in the reader's language. An error keeps its
 * clause as a catalogue message — its issue's `said` (a field's value) or
 * its own `said` (a file that cannot be read, a flag's refusal) — and what
 * it names before the clause (`where`: a file and a field, a flag, or a
 * message such as a sweep's "the run with lr=0.1"); it is said again here in
 * another language. An error without those parts, or whose clause has no
 * message in the catalogue, stays English.
 */
import { show, type InputIssue, type Part } from '../errors.js';
import { phrase, say } from '../i18n/catalogue.js';
import type { Lang } from '../i18n/lang.js';
import type { Msg } from '../i18n/message.js';

/** The parts an error may keep for saying it again. */
export interface Parts {
  readonly message: string;
  readonly issue?: InputIssue;
  readonly where?: readonly Part[];
  /** The clause of an error that is no field's issue (InputError.said). */
  readonly said?: Msg;
}

/** The clause of an issue in `lang` ("必須 ≥ 1；收到 0"), or null when it has no message. */
export function clauseIn(lang: Lang, issue: InputIssue): string | null {
  if (!issue.said) return null;
  const c = phrase(lang, issue.said);
  return issue.value === undefined || issue.quoted ? c : say(lang, 'err.got', { clause: c, value: show(issue.value) });
}

/** The error's sentence in `lang`, or null when its parts cannot be said in `lang` (its own message is English). */
export function sentenceIn(lang: Lang, e: Parts): string | null {
  if (lang === 'en' || !e.where) return null;
  const clause = e.issue ? clauseIn(lang, e.issue) : e.said ? phrase(lang, e.said) : null;
  return clause === null ? null : [...e.where.map((p) => (typeof p === 'string' ? p : phrase(lang, p))), clause].join('：');
}
