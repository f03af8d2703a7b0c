/**
 * Report section for study stage 7: which activation to use where, each row
 * with the measured evidence the study computed for it, in the reader's language.
 */
import type { StudyResults } from '../../experiments/study/types.js';
import { phrase, say } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { esc } from '../format.js';
import { notMeasured, saidMsg, table, type RenderedSection } from './common.js';

/** The conclusion rows in `lang` (from their messages; an older file keeps its English). */
export function conclusionRows(r: StudyResults, lang: Lang): { where: string; use: string; avoid: string; evidence: string }[] {
  return (r.conclusions?.rows ?? []).map((x) => (x.said ? { where: phrase(lang, x.said.where), use: phrase(lang, x.said.use), avoid: phrase(lang, x.said.avoid), evidence: phrase(lang, x.said.evidence) } : x));
}

/** Section "Conclusions", in `lang`. */
export function conclusionsSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const rows = conclusionRows(r, lang);
  const html =
    rows.length === 0
      ? notMeasured(say(lang, 'c.missing'), lang)
      : [
          saidMsg('Meaning', lang, 'c.meaning'),
          table(
            [{ head: say(lang, 'c.col.where') }, { head: say(lang, 'c.col.use') }, { head: say(lang, 'c.col.avoid') }, { head: say(lang, 'c.col.evidence') }],
            rows.map((x) => [{ html: `<strong>${esc(x.where)}</strong>` }, x.use, x.avoid || '—', x.evidence]),
            undefined,
            'conclusions',
          ),
        ].join('\n');
  return { id: 'conclusions', title: say(lang, 'c.title'), html, charts: [] };
}
