/**
 * summary.md: the study's key tables as GitHub-flavoured Markdown — Nielsen's
 * published norms beside ours, the activation × depth ratio and accuracy
 * grids, the clipping outcome and the conclusions. Pure: returns a string.
 */
import { remediesFindings } from './sections/remedies.js';
import { renderRecurrentMarkdown } from './sections/recurrent.js';
import { renderOrderChaosMarkdown } from './sections/order-chaos.js';
import type { ActDepthRun, NonFinite, StudyResults } from '../experiments/study/types.js';
import { fmt, fmtArch, fmtDate, fmtInt, fmtPct, isNum, lastFinite, verdictLetter } from './format.js';
import { say } from '../i18n/catalogue.js';
import { REFERENCES } from './references.js';
import type { Lang } from '../i18n/lang.js';

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
  const rows: string[][] = [];
  for (const n of nets) {
    n.measured.median.forEach((m, l) => {
      const pub = n.published ? n.published[l] : null;
      rows.push([fmtArch(n.arch), `hidden ${l + 1}`, n.published ? fmt(pub) : 'not published', fmt(m), `${fmt(n.measured.min[l])} – ${fmt(n.measured.max[l])}`]);
    });
    // with one hidden layer last / first is trivially 1
    if (n.measured.median.length > 1) rows.push([fmtArch(n.arch), '**last / first**', `**${fmt(n.publishedRatio)}**`, `**${fmt(n.ratioLastFirst?.median)}**`, `${fmt(n.ratioLastFirst?.min)} – ${fmt(n.ratioLastFirst?.max)}`]);
  }
  const seeds = r.nielsen.seeds ?? [];
  return [
    `‖δˡ‖ = norm of the mean over ${fmtInt(r.nielsen.samples)} images of ∂C/∂bˡ, per hidden layer, at initialisation; ours over ${seeds.length} seeds. The book's values are one random draw of the weights on the first 1,000 images of its MNIST training set; ours are other draws, on the embedded digit set (not the book's training set) — compare ranges and ratios, not digits.`,
    '',
    mdTable(['network', 'layer', 'book', 'ours: median', 'ours: min – max'], rows, [false, false, true, true, true]),
  ].join('\n');
}

function actDepthMd(r: StudyResults, cell: (run: ActDepthRun) => string): string {
  const s = r.activationDepth;
  if (!s || (s.runs ?? []).length === 0) return NOT_MEASURED;
  const rows = s.activations.map((a) => [a, s.inits?.[a] ?? '', ...s.depths.map((d) => {
    const run = s.runs.find((x) => x.activation === a && x.depth === d);
    return run ? cell(run) : 'not run';
  })]);
  return mdTable(['activation', 'init', ...s.depths.map((d) => `${d} hidden`)], rows, [false, false, ...s.depths.map(() => true)]);
}

function finding(f: NonFinite | null | undefined): string {
  return f ? `step ${f.step}, layer ${f.layer} (${f.quantity}): ${f.message}` : 'none';
}

function clippingMd(r: StudyResults): string {
  const c = r.exploding?.clipping;
  if (!c || (c.without.loss.length === 0 && c.with.loss.length === 0)) return NOT_MEASURED;
  return [
    c.description,
    '',
    mdTable(
      ['run', 'steps', 'first non-finite value', 'final finite loss', 'steps clipped'],
      [
        ['without clipping', String(c.without.loss.length), finding(c.without.nonFinite), fmt(lastFinite(c.without.loss)), '—'],
        [`with clipping at ${fmt(c.clipNorm)}`, String(c.with.loss.length), finding(c.with.nonFinite), fmt(lastFinite(c.with.loss)), String(c.with.clipEvents)],
      ],
      [false, true, false, true, true],
    ),
  ].join('\n');
}

/** Renders summary.md from the results. */
export function renderSummaryMd(results: StudyResults, lang: Lang = 'en'): string {
  const r = results;
  const rows = r.conclusions?.rows ?? [];
  const parts = [
    `# ${say(lang, 'rep.title')}`,
    '',
    `${fmtDate(r.createdAt ?? '')} · ${r.quick ? 'quick' : 'full'} run · seed ${r.seed} · gradscope ${r.version} · ${r.machine?.node ?? '?'} on ${r.machine?.platform ?? '?'}, ${r.machine?.cpus ?? '?'} CPUs. The full report with charts is index.html; every number is in results.json.`,
    '',
    "## Nielsen's measurement: published vs measured",
    '',
    nielsenMd(r),
    '',
    '## Activation × depth: first-to-last gradient ratio at initialisation',
    '',
    'Ratio ‖δ¹‖ / ‖δᴸ⁻¹‖ (first hidden layer over last hidden layer) and the verdict: V vanishing (< 1e-2), E exploding (> 1e2 or non-finite), D dead, S saturated, ok healthy.',
    '',
    actDepthMd(r, (run) => `${fmt(run.firstToLast)} ${verdictLetter(run.verdict?.kind)}`),
    '',
    '## Activation × depth: test accuracy',
    '',
    actDepthMd(r, (run) => (run.nonFinite || !isNum(run.testAccuracy) ? 'diverged' : fmtPct(run.testAccuracy))),
    '',
    '## Exploding gradients: clipping',
    '',
    clippingMd(r),
    '',
    '## Remedies: published claims beside our measurements',
    '',
    r.remedies ? mdTable(['source', 'claim', 'published', 'measured', 'agrees'], remediesFindings(r.remedies).map((f) => [f.source, f.claim, f.published, f.measured, f.agrees ? 'yes' : 'no'])) : NOT_MEASURED,
    '',
    r.recurrent ? renderRecurrentMarkdown(r.recurrent) : `## Recurrent nets\n\n${NOT_MEASURED}`,
    '',
    renderOrderChaosMarkdown(r.orderChaos),
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
