/**
 * The message catalogue: every sentence gradscope says to a person, in
 * English and Traditional Chinese, merged from one table per domain. The
 * CLI, the report renderers and the web lab phrase through `say`; the
 * activation entries carry their own bilingual texts (src/activations) and
 * the lab's interface labels live beside the lab (src/web/i18n.ts), built
 * on the same `t` and checked by the same tests.
 */
import type { Lang, Text } from './lang.js';
import { phraser, type Html, type Msg, type Var } from './message.js';
import { BENCH } from './messages/bench.js';
import { ERRORS } from './messages/errors.js';
import { CLI } from './messages/cli.js';
import { STUDY_CLAIMS } from './messages/claims.js';
import { FAMILY_TEXT } from './messages/families.js';
import { FINDINGS } from './messages/findings.js';
import { REPORT } from './messages/report.js';
import { REPORT_ACTDEPTH } from './messages/report-actdepth.js';
import { REPORT_BOUND } from './messages/report-bound.js';
import { REPORT_CLAIMS } from './messages/report-claims.js';
import { REPORT_CONCLUSIONS } from './messages/report-conclusions.js';
import { REPORT_EXPLODING } from './messages/report-exploding.js';
import { REPORT_NIELSEN } from './messages/report-nielsen.js';
import { REPORT_ORDER_CHAOS } from './messages/report-order-chaos.js';
import { REPORT_RECURRENT } from './messages/report-recurrent.js';
import { REPORT_RUN } from './messages/report-run.js';
import { REPORT_REMEDIES } from './messages/report-remedies.js';
import { REPORT_SUMMARY } from './messages/report-summary.js';
import { TERMS } from './messages/terms.js';
import { VERDICT } from './messages/verdict.js';

/** The domain tables, each with keys prefixed by its domain (`cli.`, `term.`, …). */
export const TABLES = { TERMS, CLI, BENCH, ERRORS, REPORT, FAMILY_TEXT, FINDINGS, VERDICT, REPORT_BOUND, REPORT_NIELSEN, REPORT_ACTDEPTH, REPORT_EXPLODING, REPORT_CONCLUSIONS, REPORT_RECURRENT, REPORT_REMEDIES, REPORT_SUMMARY, REPORT_ORDER_CHAOS, REPORT_RUN, REPORT_CLAIMS, STUDY_CLAIMS } as const;

/** Every message, by key. */
export const MESSAGES = { ...TERMS, ...CLI, ...BENCH, ...ERRORS, ...REPORT, ...FAMILY_TEXT, ...FINDINGS, ...VERDICT, ...REPORT_BOUND, ...REPORT_NIELSEN, ...REPORT_ACTDEPTH, ...REPORT_EXPLODING, ...REPORT_CONCLUSIONS, ...REPORT_RECURRENT, ...REPORT_REMEDIES, ...REPORT_SUMMARY, ...REPORT_ORDER_CHAOS, ...REPORT_RUN, ...REPORT_CLAIMS, ...STUDY_CLAIMS } satisfies Record<string, Text>;

/** A key of the catalogue. */
export type MessageKey = keyof typeof MESSAGES;

const p = phraser(MESSAGES);

/** The text of `key` in `lang` with its placeholders filled from `vars`. */
export function say(lang: Lang, key: MessageKey, vars?: Readonly<Record<string, Var>>): string {
  return p.say(lang, key, vars);
}

/** The same as HTML: the text and the values escaped, `{ html }` values inserted as they are. */
export function sayHtml(lang: Lang, key: MessageKey, vars?: Readonly<Record<string, Var | Html>>): string {
  return p.sayHtml(lang, key, vars);
}

/** A message in `lang`. */
export function phrase(lang: Lang, m: Msg): string {
  return p.phrase(lang, m);
}

/** True when `key` is in the catalogue (for keys built from data, such as a run's label). */
export function has(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES, key);
}

/** A message to phrase later (keys checked by the compiler). */
export function msg(key: MessageKey, vars?: Readonly<Record<string, Var>>): Msg {
  return vars ? { key, vars } : { key };
}

/**
 * A citation written as names and a year ("Pascanu et al. 2013",
 * "Hochreiter & Schmidhuber 1997", "Nielsen, ch. 5") in `lang`: 等人, 與 and
 * 第 N 章 in Chinese, as the catalogue's own citations are written.
 */
export function citation(lang: Lang, source: string): string {
  if (lang === 'en') return source;
  return source
    .replace(/ et al\.(?= |$)/g, ' 等人')
    .replace(/ & /g, ' 與 ')
    .replace(/, ch\. (\d+)$/, '，第 $1 章');
}

/** The space between a label and what follows it: none after full-width punctuation ("備註：…"), else one ("note: …"). */
export function gapAfter(label: string): string {
  return /[\u3000-\u303f\uff00-\uffef]$/.test(label) ? '' : ' ';
}
