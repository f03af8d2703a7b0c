/**
 * Report section for study stage 7: the project's starting recommendations,
 * each judged supported, qualified or not supported with its numbers, and
 * which activation to use where, each row with the measured evidence the
 * study computed for it, in the reader's language.
 */
import type { Support, StudyResults } from '../../study/types.js';
import { phrase, say, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { esc } from '../format.js';
import { notMeasured, saidMsg, table, type RenderedSection } from './common.js';

/** The conclusion rows in `lang` (from their messages; an older file keeps its English). */
export function conclusionRows(r: StudyResults, lang: Lang): { where: string; use: string; avoid: string; evidence: string }[] {
  return (r.conclusions?.rows ?? []).map((x) => (x.said ? { where: phrase(lang, x.said.where), use: phrase(lang, x.said.use), avoid: phrase(lang, x.said.avoid), evidence: phrase(lang, x.said.evidence) } : x));
}

/** A recommendation's status in `lang`. */
export function statusText(status: Support | string, lang: Lang): string {
  return ['supported', 'qualified', 'not supported'].includes(status) ? say(lang, `c.status.${status.replace(/ /g, '-')}` as MessageKey) : status;
}

/** The recommendations in `lang`: the sentence, its status and the evidence (an older file keeps its English). */
export function recommendationRows(r: StudyResults, lang: Lang): { id: string; recommendation: string; status: string; statusKey: string; evidence: string }[] {
  return (r.conclusions?.recommendations ?? []).map((x) => ({
    id: x.id,
    recommendation: x.said ? phrase(lang, x.said.recommendation) : x.recommendation,
    status: statusText(x.status, lang),
    statusKey: x.status,
    evidence: x.said ? phrase(lang, x.said.evidence) : x.evidence,
  }));
}

/** A recommendation's status as a coloured badge, in `lang`. */
export function statusBadge(status: string, lang: Lang = 'en'): string {
  return `<span class="agree status-${esc(status.replace(/ /g, '-'))}">${esc(statusText(status, lang))}</span>`;
}

/** Section "Conclusions", in `lang`. */
export function conclusionsSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const rows = conclusionRows(r, lang);
  const recs = recommendationRows(r, lang);
  const parts: string[] = [];
  if (recs.length > 0) {
    parts.push(
      saidMsg('Claim', lang, 'c.recsClaim'),
      table([{ head: say(lang, 'c.col.recommendation') }, { head: say(lang, 'c.col.status') }, { head: say(lang, 'c.col.evidence') }], recs.map((x) => [{ html: `<strong>${esc(x.recommendation)}</strong>` }, { html: statusBadge(x.statusKey, lang) }, x.evidence]), undefined, 'conclusions'),
    );
  }
  if (rows.length === 0) parts.push(notMeasured(say(lang, 'c.missing'), lang));
  else
    parts.push(
      saidMsg('Meaning', lang, 'c.meaning'),
      table(
        [{ head: say(lang, 'c.col.where') }, { head: say(lang, 'c.col.use') }, { head: say(lang, 'c.col.avoid') }, { head: say(lang, 'c.col.evidence') }],
        rows.map((x) => [{ html: `<strong>${esc(x.where)}</strong>` }, x.use, x.avoid || '—', x.evidence]),
        undefined,
        'conclusions',
      ),
    );
  return { id: 'conclusions', title: say(lang, 'c.title'), html: parts.join('\n'), charts: [] };
}
