/**
 * The claims the study tests, as tables: every claim with its source, what
 * was published, what this run measured over its seeds, the test with its
 * tolerance, and the outcome. Each stage's section shows its own claims
 * (`claimsBlock`); the "Claims" section lists them all with the tally.
 */
import type { Agreement, Claim, StudyResults } from '../../experiments/study/types.js';
import { esc, fmt, isNum } from '../format.js';
import { h3, notMeasured, said, table, type Cell, type RenderedSection } from './common.js';

/** The outcomes in the order the tally lists them. */
export const AGREEMENTS: readonly Agreement[] = ['yes', 'partly', 'indistinguishable', 'no'];

/** An outcome as a coloured badge. */
export function agreeBadge(a: Agreement | string): string {
  return `<span class="agree agree-${esc(a)}">${esc(a)}</span>`;
}

/** The measured part of a claim: "median [lo–hi], n seeds". */
export function measuredText(m: Claim['measured']): string {
  const band = isNum(m.lo) && isNum(m.hi) && m.lo !== m.hi ? ` [${fmt(m.lo)}–${fmt(m.hi)}]` : '';
  return `${fmt(m.median)}${band}, ${m.seeds} ${m.seeds === 1 ? 'seed' : 'seeds'}`;
}

/** How many claims came out each way, as a sentence. */
export function tallyText(claims: readonly Claim[]): string {
  const n = (a: Agreement) => claims.filter((c) => c.agrees === a).length;
  return `${claims.length} claims tested: ${AGREEMENTS.map((a) => `${n(a)} ${a}`).join(', ')}.`;
}

function rows(claims: readonly Claim[]): Cell[][] {
  return claims.map((c) => [{ html: `<strong>${esc(c.claim)}</strong>` }, c.source, c.published, { text: measuredText(c.measured), num: true }, c.test, { html: agreeBadge(c.agrees) }]);
}

const COLS = [{ head: 'claim' }, { head: 'source' }, { head: 'published' }, { head: 'measured: median [band], seeds', num: true }, { head: 'test and tolerance' }, { head: 'agrees' }];

/** The claims of one section of the report, as a table (empty string when it has none). */
export function claimsBlock(r: StudyResults, section: string): string {
  const cs = (r.claims ?? []).filter((c) => c.section === section);
  if (cs.length === 0) return '';
  return [h3('Claims tested here'), table(COLS, rows(cs), undefined, 'claims')].join('\n');
}

/** Section "Claims": every claim of the study. */
export function claimsSection(r: StudyResults): RenderedSection {
  const cs = r.claims ?? [];
  const html =
    cs.length === 0
      ? notMeasured('The claims')
      : [
          said('Meaning', `Every claim the study tests, in one table. "yes": the measurement agrees within the stated tolerance; "partly": some of it holds (the test says which part); "no": it does not hold here; "indistinguishable": the seeds cannot tell the two settings apart at this budget. ${esc(tallyText(cs))}`),
          table(COLS, rows(cs), undefined, 'claims'),
        ].join('\n');
  return { id: 'claims', title: 'Claims', html, charts: [] };
}
