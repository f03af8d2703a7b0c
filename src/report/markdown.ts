/**
 * summary.md: the study's key tables as GitHub-flavoured Markdown — the
 * claims with their measurements and outcomes, the recommendations, Nielsen's
 * published norms beside ours, the activation × depth ratio and accuracy
 * grids, the exploding network's arms and the conclusions. Pure: returns a string.
 */
import type { Lang } from '../i18n/lang.js';
import { renderRecurrentMarkdown } from './sections/recurrent.js';
import type { ActDepthCell, StudyResults } from '../experiments/study/types.js';
import { bandName, fmt, fmtArch, fmtBand, fmtDate, fmtInt, fmtPct } from './format.js';
import { verdictMix } from './sections/act-depth.js';
import { measuredText, tallyText } from './sections/claims.js';
import { outcomeWords } from './sections/exploding.js';
import { REPORT_TITLE } from './html.js';
import { REFERENCES } from './references.js';

/** A Markdown table cell: pipes escaped, line breaks flattened. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A GitHub-flavoured Markdown table; `right` marks right-aligned (numeric) columns. */
export function mdTable(head: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const line = (cells: readonly string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  const rule = `|${head.map((_, i) => (right[i] ? '---:' : '---')).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

const NOT_MEASURED = '_Not measured in this run._';

function nielsenMd(r: StudyResults): string {
  const nets = r.nielsen?.networks ?? [];
  if (nets.length === 0) return NOT_MEASURED;
  const band = bandName(r.nielsen.seeds);
  const rows: string[][] = [];
  for (const n of nets) {
    n.measured.median.forEach((m, l) => {
      const pub = n.published ? n.published[l] : null;
      rows.push([fmtArch(n.arch), `hidden ${l + 1}`, n.published ? fmt(pub) : 'not published', fmt(m), `${fmt(n.measured.lo[l])} – ${fmt(n.measured.hi[l])}`]);
    });
    // with one hidden layer last / first is trivially 1
    if (n.measured.median.length > 1) rows.push([fmtArch(n.arch), '**last / first**', `**${fmt(n.publishedRatio)}**`, `**${fmt(n.ratioLastFirst?.median)}**`, `${fmt(n.ratioLastFirst?.lo)} – ${fmt(n.ratioLastFirst?.hi)}`]);
  }
  return [
    `‖δˡ‖ = norm of the mean over ${fmtInt(r.nielsen.samples)} images of ∂C/∂bˡ, per hidden layer, at initialisation; ours over ${fmtInt(r.nielsen.seeds)} seeds. The book's values are one random draw of the weights on the first 1,000 images of its MNIST training set; ours are other draws, on the embedded digit set (not the book's training set) — compare the book's draw with the band of ours, not digits.`,
    '',
    mdTable(['network', 'layer', 'book', 'ours: median', `ours: ${band}`], rows, [false, false, true, true, true]),
  ].join('\n');
}

function actDepthMd(r: StudyResults, cell: (c: ActDepthCell) => string): string {
  const s = r.activationDepth;
  if (!s || (s.cells ?? []).length === 0) return NOT_MEASURED;
  const rows = s.activations.map((a) => [a, s.inits?.[a] ?? '', ...s.depths.map((d) => {
    const c = s.cells.find((x) => x.activation === a && x.depth === d);
    return c ? cell(c) : 'not run';
  })]);
  return mdTable(['activation', 'init', ...s.depths.map((d) => `${d} hidden`)], rows, [false, false, ...s.depths.map(() => true)]);
}

function clippingMd(r: StudyResults): string {
  const c = r.exploding?.clipping;
  if (!c || (c.arms ?? []).length === 0) return NOT_MEASURED;
  return [
    `${c.description}. First-to-last ratio at initialisation: ${fmtBand(c.atInit.firstToLast)} (median [5–95 %] over ${c.atInit.seeds} seeds). Trained: test accuracy ≥ ${fmtPct(c.chance)} + ${100 * c.margin} points.`,
    '',
    mdTable(
      ['run', ...c.seeds.map((x) => `seed ${x}`), 'blew up', 'trained'],
      c.arms.map((a) => [a.label, ...a.outcomes.map(outcomeWords), `${a.outcomes.filter((o) => o.nonFinite).length}/${a.outcomes.length}`, `${a.outcomes.filter((o) => o.trained).length}/${a.outcomes.length}`]),
    ),
  ].join('\n');
}

function claimsMd(r: StudyResults): string {
  const cs = r.claims ?? [];
  if (cs.length === 0) return NOT_MEASURED;
  return [tallyText(cs), '', mdTable(['claim', 'source', 'published', 'measured: median [band], seeds', 'test', 'agrees'], cs.map((c) => [c.claim, c.source, c.published, measuredText(c.measured), c.test, c.agrees]))].join('\n');
}

/** Renders summary.md from the results. */
export function renderSummaryMd(results: StudyResults, _lang: Lang = 'en'): string {
  const r = results;
  const rows = r.conclusions?.rows ?? [];
  const recs = r.conclusions?.recommendations ?? [];
  const s = r.activationDepth;
  const parts = [
    `# ${REPORT_TITLE}`,
    '',
    `${fmtDate(r.createdAt ?? '')} · ${r.quick ? 'quick' : 'full'} run · seed ${r.seed} · gradscope ${r.version} · ${r.machine?.node ?? '?'} on ${r.machine?.platform ?? '?'}, ${r.machine?.cpus ?? '?'} CPUs. The full report with charts is index.html; every number is in results.json.`,
    '',
    '## Claims: published vs measured',
    '',
    claimsMd(r),
    '',
    '## Recommendations',
    '',
    recs.length === 0 ? NOT_MEASURED : mdTable(['recommendation', 'status', 'evidence (measured)'], recs.map((x) => [x.recommendation, x.status, x.evidence])),
    '',
    "## Nielsen's measurement: published vs measured",
    '',
    nielsenMd(r),
    '',
    '## Activation × depth: first-to-last gradient ratio at initialisation',
    '',
    `Ratio ‖δ¹‖ / ‖δᴸ⁻¹‖ (first hidden layer over last hidden layer), median [5–95 %] over ${s?.initSeeds ?? 0} seeds, and the verdicts with the share of seeds: V vanishing (< 1e-2), E exploding (> 1e2 or non-finite), D dead, S saturated, C collapsed, ok healthy.`,
    '',
    actDepthMd(r, (c) => `${fmtBand(c.atInit.firstToLast)} ${verdictMix(c.atInit.verdicts, c.atInit.seeds)}`),
    '',
    '## Activation × depth: test accuracy',
    '',
    `Median [min–max] test accuracy over seeds ${(s?.seeds ?? []).join(', ')} at the learning rate each cell chose on its validation split (η), and the seeds that trained (accuracy ≥ ${fmtPct(s?.chance)} + ${100 * (s?.margin ?? 0)} points).`,
    '',
    actDepthMd(r, (c) => (c.training ? `${fmtPct(c.training.testAccuracy.median)} [${fmtPct(c.training.testAccuracy.min)}–${fmtPct(c.training.testAccuracy.max)}] η ${c.training.chosenLr}, ${c.training.trainedSeeds}/${c.training.runs.length}` : 'not trained')),
    '',
    '## Exploding gradients: clipping or a smaller step',
    '',
    clippingMd(r),
    '',
    r.recurrent ? renderRecurrentMarkdown(r.recurrent) : `## Recurrent nets\n\n${NOT_MEASURED}`,
    '',
    '## Conclusions',
    '',
    rows.length === 0 ? NOT_MEASURED : mdTable(['where', 'use', 'avoid', 'evidence (measured)'], rows.map((x) => [x.where, x.use, x.avoid || '—', x.evidence])),
    '',
    '## References',
    '',
    ...REFERENCES.map((x) => `- ${x.text}`),
    '',
  ];
  return parts.join('\n');
}
