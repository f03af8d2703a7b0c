/**
 * Report section for study stage 7: which activation to use where, each row
 * with the measured evidence the study computed for it.
 */
import type { StudyResults } from '../../experiments/study/types.js';
import { esc } from '../format.js';
import { notMeasured, said, table, type RenderedSection } from './common.js';

/** Section "Conclusions". */
export function conclusionsSection(r: StudyResults): RenderedSection {
  const rows = r.conclusions?.rows ?? [];
  const html =
    rows.length === 0
      ? notMeasured('The conclusion table')
      : [
          said('Meaning', 'What the measurements above say about choosing an activation. Every row cites a number measured in this run; none is hard-coded.'),
          table(
            [{ head: 'where' }, { head: 'use' }, { head: 'avoid' }, { head: 'evidence (measured)' }],
            rows.map((x) => [{ html: `<strong>${esc(x.where)}</strong>` }, x.use, x.avoid || '—', x.evidence]),
            undefined,
            'conclusions',
          ),
        ].join('\n');
  return { id: 'conclusions', title: 'Conclusions', html, charts: [] };
}

