/**
 * Report section for study stage 7: the project's starting recommendations,
 * each judged supported, qualified or not supported with its numbers, and
 * which activation to use where, each row with the measured evidence the
 * study computed for it.
 */
import type { StudyResults } from '../../experiments/study/types.js';
import { esc } from '../format.js';
import { notMeasured, said, table, type RenderedSection } from './common.js';

/** A recommendation's status as a coloured badge. */
export function statusBadge(status: string): string {
  return `<span class="agree status-${esc(status.replace(/ /g, '-'))}">${esc(status)}</span>`;
}

/** Section "Conclusions". */
export function conclusionsSection(r: StudyResults): RenderedSection {
  const rows = r.conclusions?.rows ?? [];
  const recs = r.conclusions?.recommendations ?? [];
  const parts: string[] = [];
  if (recs.length > 0) {
    parts.push(
      said('Claim', 'The starting recommendations: ReLU is the default for hidden layers; tanh is much better than sigmoid in hidden layers; sigmoid belongs only in a binary output layer. Each is judged here by paired comparisons over seeds, every activation at its own learning rate: supported, qualified (true in part, or with an exception the numbers show) or not supported.'),
      table([{ head: 'recommendation' }, { head: 'status' }, { head: 'evidence (measured)' }], recs.map((x) => [{ html: `<strong>${esc(x.recommendation)}</strong>` }, { html: statusBadge(x.status) }, x.evidence]), undefined, 'conclusions'),
    );
  }
  if (rows.length === 0) parts.push(notMeasured('The conclusion table'));
  else
    parts.push(
      said('Meaning', 'What the measurements above say about choosing an activation. Every row cites numbers measured in this run over seeds; none is hard-coded.'),
      table(
        [{ head: 'where' }, { head: 'use' }, { head: 'avoid' }, { head: 'evidence (measured)' }],
        rows.map((x) => [{ html: `<strong>${esc(x.where)}</strong>` }, x.use, x.avoid || '—', x.evidence]),
        undefined,
        'conclusions',
      ),
    );
  return { id: 'conclusions', title: 'Conclusions', html: parts.join('\n'), charts: [] };
}
