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
import { say, type MessageKey } from '../i18n/catalogue.js';
import { conclusionRows } from './sections/conclusions.js';
import { describedIn, nonFiniteText } from './say.js';
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

const notMeasured = (lang: Lang): string => `_${say(lang, 's.notMeasured')}_`;

function nielsenMd(r: StudyResults, lang: Lang): string {
  const nets = r.nielsen?.networks ?? [];
  if (nets.length === 0) return notMeasured(lang);
  const rows: string[][] = [];
  for (const n of nets) {
    n.measured.median.forEach((m, l) => {
      const pub = n.published ? n.published[l] : null;
      rows.push([fmtArch(n.arch), say(lang, 'n.hidden', { n: l + 1 }), n.published ? fmt(pub) : say(lang, 'n.notPublished'), fmt(m), `${fmt(n.measured.min[l])} – ${fmt(n.measured.max[l])}`]);
    });
    // with one hidden layer last / first is trivially 1
    if (n.measured.median.length > 1) rows.push([fmtArch(n.arch), `**${say(lang, 's.lastFirst')}**`, `**${fmt(n.publishedRatio)}**`, `**${fmt(n.ratioLastFirst?.median)}**`, `${fmt(n.ratioLastFirst?.min)} – ${fmt(n.ratioLastFirst?.max)}`]);
  }
  const seeds = r.nielsen.seeds ?? [];
  return [
    say(lang, 's.nielsenNote', { n: fmtInt(r.nielsen.samples), k: seeds.length }),
    '',
    mdTable([say(lang, 's.col.network'), say(lang, 'n.col.layer'), say(lang, 'n.col.book'), say(lang, 'n.col.median'), say(lang, 's.col.minmax')], rows, [false, false, true, true, true]),
  ].join('\n');
}

function actDepthMd(r: StudyResults, cell: (run: ActDepthRun) => string, lang: Lang): string {
  const s = r.activationDepth;
  if (!s || (s.runs ?? []).length === 0) return notMeasured(lang);
  const rows = s.activations.map((a) => [a, s.inits?.[a] ?? '', ...s.depths.map((d) => {
    const run = s.runs.find((x) => x.activation === a && x.depth === d);
    return run ? cell(run) : say(lang, 'ad.notRun');
  })]);
  return mdTable([say(lang, 's.col.activation'), say(lang, 's.col.init'), ...s.depths.map((d) => say(lang, 'ad.col.depth', { d }))], rows, [false, false, ...s.depths.map(() => true)]);
}

function finding(f: NonFinite | null | undefined, lang: Lang): string {
  return f ? say(lang, 's.finding', { step: f.step, layer: f.layer, q: say(lang, `x.q.${f.quantity}` as MessageKey), why: nonFiniteText(f, lang) }) : say(lang, 'term.none');
}

function clippingMd(r: StudyResults, lang: Lang): string {
  const c = r.exploding?.clipping;
  if (!c || (c.without.loss.length === 0 && c.with.loss.length === 0)) return notMeasured(lang);
  return [
    describedIn(c, lang),
    '',
    mdTable(
      [say(lang, 's.col.run'), say(lang, 's.col.steps'), say(lang, 's.col.first'), say(lang, 's.col.final'), say(lang, 's.col.clipped')],
      [
        [say(lang, 'x.without'), String(c.without.loss.length), finding(c.without.nonFinite, lang), fmt(lastFinite(c.without.loss)), '—'],
        [say(lang, 'x.withAt', { c: fmt(c.clipNorm) }), String(c.with.loss.length), finding(c.with.nonFinite, lang), fmt(lastFinite(c.with.loss)), String(c.with.clipEvents)],
      ],
      [false, true, false, true, true],
    ),
  ].join('\n');
}

/** Renders summary.md from the results, in `lang`. */
export function renderSummaryMd(results: StudyResults, lang: Lang = 'en'): string {
  const r = results;
  const rows = conclusionRows(r, lang);
  const h = (k: MessageKey): string => say(lang, k);
  const parts = [
    `# ${h('rep.title')}`,
    '',
    say(lang, 's.meta', { date: fmtDate(r.createdAt ?? ''), mode: h(r.quick ? 'term.run.quick' : 'term.run.full'), seed: r.seed, version: r.version, node: r.machine?.node ?? '?', platform: r.machine?.platform ?? '?', cpus: r.machine?.cpus ?? '?' }),
    '',
    `## ${h('s.h.nielsen')}`,
    '',
    nielsenMd(r, lang),
    '',
    `## ${h('s.h.ratio')}`,
    '',
    h('s.ratioNote'),
    '',
    actDepthMd(r, (run) => `${fmt(run.firstToLast)} ${verdictLetter(run.verdict?.kind)}`, lang),
    '',
    `## ${h('s.h.acc')}`,
    '',
    actDepthMd(r, (run) => (run.nonFinite || !isNum(run.testAccuracy) ? h('ad.diverged') : fmtPct(run.testAccuracy)), lang),
    '',
    `## ${h('s.h.clip')}`,
    '',
    clippingMd(r, lang),
    '',
    `## ${h('s.h.remedies')}`,
    '',
    r.remedies ? mdTable([h('m.col.source'), h('m.col.claim'), h('m.col.published'), h('m.col.measured'), h('m.col.agrees')], remediesFindings(r.remedies, lang).map((f) => [f.source, f.claim, f.published, f.measured, h(f.agrees ? 'm.yes' : 'm.no')])) : notMeasured(lang),
    '',
    r.recurrent ? renderRecurrentMarkdown(r.recurrent, lang) : `## ${h('r.title')}\n\n${notMeasured(lang)}`,
    '',
    renderOrderChaosMarkdown(r.orderChaos, lang),
    '',
    `## ${h('c.title')}`,
    '',
    rows.length === 0 ? notMeasured(lang) : mdTable([h('c.col.where'), h('c.col.use'), h('c.col.avoid'), h('c.col.evidence')], rows.map((x) => [x.where, x.use, x.avoid || '—', x.evidence])),
    '',
    `## ${h('s.h.references')}`,
    '',
    ...REFERENCES.map((x) => `- ${x.text}`),
    '',
  ];
  return parts.join('\n');
}
