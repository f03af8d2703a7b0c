/**
 * The claims the study tests, as tables: every claim with its source, what
 * was published, what this run measured over its seeds, the test with its
 * tolerance, and the outcome. Each stage's section shows its own claims
 * (`claimsBlock`); the "Claims" section lists them all with the tally.
 */
import type { Agreement, Claim, StudyResults } from '../../study/types.js';
import { citation, phrase, say, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { esc, fmt, isNum } from '../format.js';
import { h3, notMeasured, said, table, type Cell, type Col, type RenderedSection } from './common.js';

/** The outcomes in the order the tally lists them. */
export const AGREEMENTS: readonly Agreement[] = ['yes', 'partly', 'indistinguishable', 'no'];

/** An outcome as a coloured badge, in `lang`. */
export function agreeBadge(a: Agreement | string, lang: Lang = 'en'): string {
  const word = (AGREEMENTS as readonly string[]).includes(a) ? say(lang, `cl.agree.${a}` as MessageKey) : a;
  return `<span class="agree agree-${esc(a)}">${esc(word)}</span>`;
}

/** The measured part of a claim: "median [lo–hi], n seeds". */
export function measuredText(m: Claim['measured'], lang: Lang = 'en'): string {
  const band = isNum(m.lo) && isNum(m.hi) && m.lo !== m.hi ? ` [${fmt(m.lo)}–${fmt(m.hi)}]` : '';
  return say(lang, m.seeds === 1 ? 'cl.seed' : 'cl.seeds', { m: `${fmt(m.median)}${band}`, n: m.seeds });
}

/** How many claims came out each way, as a sentence in `lang`. */
export function tallyText(claims: readonly Claim[], lang: Lang = 'en'): string {
  const n = (a: Agreement) => claims.filter((c) => c.agrees === a).length;
  return say(lang, 'cl.tally', { n: claims.length, yes: n('yes'), partly: n('partly'), indistinguishable: n('indistinguishable'), no: n('no') });
}

/** A claim's texts in `lang` (from its messages; a claim written before they existed keeps its English). */
export function claimText(c: Pick<Claim, 'claim' | 'published' | 'test' | 'source' | 'said'>, lang: Lang): { claim: string; published: string; test: string; source: string } {
  if (!c.said) return c;
  return { claim: phrase(lang, c.said.claim), published: phrase(lang, c.said.published), test: phrase(lang, c.said.test), source: c.said.source ? phrase(lang, c.said.source) : citation(lang, c.source) };
}

function rows(claims: readonly Claim[], lang: Lang): Cell[][] {
  return claims.map((c) => {
    const x = claimText(c, lang);
    return [{ html: `<strong>${esc(x.claim)}</strong>` }, x.source, x.published, { text: measuredText(c.measured, lang), num: true }, x.test, { html: agreeBadge(c.agrees, lang) }];
  });
}

function cols(lang: Lang): Col[] {
  const h = (k: MessageKey): string => say(lang, k);
  return [{ head: h('oc.col.claim') }, { head: h('oc.col.source') }, { head: h('oc.col.published') }, { head: h('cl.col.measured'), num: true }, { head: h('cl.col.test') }, { head: h('oc.col.agrees') }];
}

/** The claims of one section of the report, as a table (empty string when it has none), in `lang`. */
export function claimsBlock(r: StudyResults, section: string, lang: Lang = 'en'): string {
  const cs = (r.claims ?? []).filter((c) => c.section === section);
  if (cs.length === 0) return '';
  return [h3(esc(say(lang, 'cl.here'))), table(cols(lang), rows(cs, lang), undefined, 'claims')].join('\n');
}

/** Section "Claims": every claim of the study, in `lang`. */
export function claimsSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const cs = r.claims ?? [];
  const html = cs.length === 0 ? notMeasured(say(lang, 'cl.missing'), lang) : [said('Meaning', esc(say(lang, 'cl.meaning', { tally: tallyText(cs, lang) })), lang), table(cols(lang), rows(cs, lang), undefined, 'claims')].join('\n');
  return { id: 'claims', title: say(lang, 'cl.title'), html, charts: [] };
}
