/**
 * summary.md: the study's key tables as GitHub-flavoured Markdown — the
 * claims with their measurements and outcomes, the recommendations, Nielsen's
 * published norms beside ours, the activation × depth ratio and accuracy
 * grids, the exploding network's arms, the recurrent nets, order and chaos
 * and the conclusions, in the reader's language. Pure: returns a string.
 */
import { renderRecurrentMarkdown } from './sections/recurrent.js';
import { renderOrderChaosMarkdown } from './sections/order-chaos.js';
import type { ActDepthCell, StudyResults } from '../study/types.js';
import { bandName, fmt, fmtArch, fmtBand, fmtDate, fmtInt, fmtPct } from './format.js';
import { say, type MessageKey } from '../i18n/catalogue.js';
import type { Lang } from '../i18n/lang.js';
import { verdictMix } from './sections/act-depth.js';
import { claimText, measuredText, tallyText } from './sections/claims.js';
import { conclusionRows, recommendationRows } from './sections/conclusions.js';
import { outcomeWords } from './sections/exploding.js';
import { armLabel, describedIn } from './say.js';
import { referenceText, REFERENCES } from './references.js';

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
  const band = bandName(r.nielsen.seeds, lang);
  const rows: string[][] = [];
  for (const n of nets) {
    n.measured.median.forEach((m, l) => {
      const pub = n.published ? n.published[l] : null;
      rows.push([fmtArch(n.arch), say(lang, 'n.hidden', { n: l + 1 }), n.published ? fmt(pub) : say(lang, 'n.notPublished'), fmt(m), `${fmt(n.measured.lo[l])} – ${fmt(n.measured.hi[l])}`]);
    });
    // with one hidden layer last / first is trivially 1
    if (n.measured.median.length > 1) rows.push([fmtArch(n.arch), `**${say(lang, 's.lastFirst')}**`, `**${fmt(n.publishedRatio)}**`, `**${fmt(n.ratioLastFirst?.median)}**`, `${fmt(n.ratioLastFirst?.lo)} – ${fmt(n.ratioLastFirst?.hi)}`]);
  }
  return [
    say(lang, 's.nielsenNote', { n: fmtInt(r.nielsen.samples), k: fmtInt(r.nielsen.seeds) }),
    '',
    mdTable([say(lang, 's.col.network'), say(lang, 'n.col.layer'), say(lang, 'n.col.book'), say(lang, 'n.col.median'), say(lang, 's.col.band', { band })], rows, [false, false, true, true, true]),
  ].join('\n');
}

function actDepthMd(r: StudyResults, cell: (c: ActDepthCell) => string, lang: Lang): string {
  const s = r.activationDepth;
  if (!s || (s.cells ?? []).length === 0) return notMeasured(lang);
  const rows = s.activations.map((a) => [a, s.inits?.[a] ?? '', ...s.depths.map((d) => {
    const c = s.cells.find((x) => x.activation === a && x.depth === d);
    return c ? cell(c) : say(lang, 'ad.notRun');
  })]);
  return mdTable([say(lang, 's.col.activation'), say(lang, 's.col.init'), ...s.depths.map((d) => say(lang, 'ad.col.depth', { d }))], rows, [false, false, ...s.depths.map(() => true)]);
}

function clippingMd(r: StudyResults, lang: Lang): string {
  const c = r.exploding?.clipping;
  if (!c || (c.arms ?? []).length === 0) return notMeasured(lang);
  return [
    say(lang, 's.clipNote', { what: describedIn(c, lang), r: fmtBand(c.atInit.firstToLast), n: c.atInit.seeds, chance: fmtPct(c.chance), k: 100 * c.margin }),
    '',
    mdTable(
      [say(lang, 's.col.run'), ...c.seeds.map((x) => say(lang, 's.col.seed', { s: x })), say(lang, 's.col.blewUp'), say(lang, 's.col.trained')],
      c.arms.map((a) => [armLabel(a, lang), ...a.outcomes.map((o) => outcomeWords(o, lang)), `${a.outcomes.filter((o) => o.nonFinite).length}/${a.outcomes.length}`, `${a.outcomes.filter((o) => o.trained).length}/${a.outcomes.length}`]),
    ),
  ].join('\n');
}

function claimsMd(r: StudyResults, lang: Lang): string {
  const cs = r.claims ?? [];
  if (cs.length === 0) return notMeasured(lang);
  const h = (k: MessageKey): string => say(lang, k);
  return [
    tallyText(cs, lang),
    '',
    mdTable(
      [h('oc.col.claim'), h('oc.col.source'), h('oc.col.published'), h('cl.col.measured'), h('oc.col.test'), h('oc.col.agrees')],
      cs.map((c) => {
        const x = claimText(c, lang);
        return [x.claim, x.source, x.published, measuredText(c.measured, lang), x.test, say(lang, `cl.agree.${c.agrees}` as MessageKey)];
      }),
    ),
  ].join('\n');
}

/** Renders summary.md from the results, in `lang`. */
export function renderSummaryMd(results: StudyResults, lang: Lang = 'en'): string {
  const r = results;
  const rows = conclusionRows(r, lang);
  const recs = recommendationRows(r, lang);
  const s = r.activationDepth;
  const h = (k: MessageKey): string => say(lang, k);
  const parts = [
    `# ${h('rep.title')}`,
    '',
    say(lang, 's.meta', { date: fmtDate(r.createdAt ?? ''), mode: h(r.quick ? 'term.run.quick' : 'term.run.full'), seed: r.seed, version: r.version, node: r.machine?.node ?? '?', platform: r.machine?.platform ?? '?', cpus: r.machine?.cpus ?? '?' }),
    '',
    `## ${h('s.h.claims')}`,
    '',
    claimsMd(r, lang),
    '',
    `## ${h('s.h.recs')}`,
    '',
    recs.length === 0 ? notMeasured(lang) : mdTable([h('c.col.recommendation'), h('c.col.status'), h('c.col.evidence')], recs.map((x) => [x.recommendation, x.status, x.evidence])),
    '',
    `## ${h('s.h.nielsen')}`,
    '',
    nielsenMd(r, lang),
    '',
    `## ${h('s.h.ratio')}`,
    '',
    say(lang, 's.ratioNote', { n: s?.initSeeds ?? 0 }),
    '',
    actDepthMd(r, (c) => `${fmtBand(c.atInit.firstToLast)} ${verdictMix(c.atInit.verdicts, c.atInit.seeds)}`, lang),
    '',
    `## ${h('s.h.acc')}`,
    '',
    say(lang, 's.accNote', { seeds: (s?.seeds ?? []).join(', '), chance: fmtPct(s?.chance), k: 100 * (s?.margin ?? 0) }),
    '',
    actDepthMd(r, (c) => (c.training ? `${fmtPct(c.training.testAccuracy.median)} [${fmtPct(c.training.testAccuracy.min)}–${fmtPct(c.training.testAccuracy.max)}] η ${c.training.chosenLr}, ${c.training.trainedSeeds}/${c.training.runs.length}` : h('s.notTrained')), lang),
    '',
    `## ${h('s.h.clip')}`,
    '',
    clippingMd(r, lang),
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
    ...REFERENCES.map((x) => `- ${referenceText(x, lang)}`),
    '',
  ];
  return parts.join('\n');
}
