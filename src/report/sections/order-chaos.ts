/**
 * Report section for the stage "Order and chaos": mean-field theory beside
 * measurement — the phase diagram, correlations per layer, gradient decay
 * against √χ, trainability against 6 ξ_c, dynamical isometry, the
 * `critical` initialiser on GELU, SiLU and softplus, and the stage's claims.
 */
import type { OrderChaosSection, StudyClaim } from '../../study/order-chaos-types.js';
import type { StudyResults } from '../../study/types.js';
import { figure, type ChartSpec } from '../charts.js';
import { citation, has, phrase, say, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import type { Var } from '../../i18n/message.js';
import { listIn } from '../../i18n/number.js';
import { esc, fmt, fmtPct, isNum } from '../format.js';
import { correlationChart, decayChart, isometryChart, ocLabel, phaseChart, trainChart } from './order-chaos-charts.js';
import { h3, notMeasured, saidMsg, table, type Cell, type RenderedSection } from './common.js';

const ID = 'order-chaos';

const range = (m: { median: number; min: number; max: number }, digits = 3) => `${fmt(m.median, digits)} [${fmt(m.min, digits)}–${fmt(m.max, digits)}]`;
const T = (lang: Lang, k: MessageKey, vars?: Readonly<Record<string, Var>>): string => esc(say(lang, k, vars));

/** Cell colour for a measured log10 first-to-last ratio: blue when the gradient shrinks toward the input, red when it grows. */
function ratioBg(log10: number): string {
  const t = Math.max(-1, Math.min(1, log10 / 2));
  return t < 0 ? `rgba(0,114,178,${(-t * 0.55).toFixed(2)})` : `rgba(213,94,0,${(t * 0.55).toFixed(2)})`;
}

function phasePart(s: OrderChaosSection, charts: ChartSpec[], lang: Lang): string {
  const p = s.phase;
  if (p.cells.length === 0) return notMeasured(say(lang, 'oc.phaseMissing'), lang);
  const find = (w: number, b: number) => p.cells.find((c) => c.sigmaW2 === w && c.sigmaB2 === b);
  const rows = [...p.sigmaB2].reverse().map((b) => [
    { html: `<strong>σ_b² = ${esc(b)}</strong>` } as Cell,
    ...p.sigmaW2.map((w): Cell => {
      const c = find(w, b);
      if (!c) return { text: say(lang, 'oc.notRun'), num: true };
      return { text: fmt(c.measuredLog10Ratio.median, 2), num: true, bg: ratioBg(c.measuredLog10Ratio.median), title: say(lang, 'oc.cellHover', { p: fmt(c.predictedLog10Ratio, 2), chi: fmt(c.chi1, 4), seeds: c.perSeed.map((x) => fmt(x, 2)).join(', ') }), bold: c.chi1 !== null && Math.abs(c.chi1 - 1) < 0.03 };
    }),
  ]);
  charts.push(phaseChart(s, lang), correlationChart(s, lang));
  const line = p.criticalLine.filter((x) => x.sigmaW2 !== null && p.sigmaB2.includes(x.sigmaB2));
  return [
    saidMsg('Claim', lang, 'oc.phaseClaim'),
    saidMsg('Measured', lang, 'oc.phaseMeasured', { depth: p.depth, width: p.width, n: p.samples, k: p.seeds.length, line: line.map((x) => `σ_b² = ${fmt(x.sigmaB2)} → σ_w² = ${fmt(x.sigmaW2, 4)}`).join(lang === 'en' ? ', ' : '、') }),
    h3(T(lang, 'oc.gridTitle')),
    table([{ head: '' }, ...p.sigmaW2.map((w) => ({ head: `σ_w² = ${w}`, num: true }))], rows, undefined, 'grid'),
    `<p class="legend">${T(lang, 'oc.gridLegend')}</p>`,
    figure('oc-phase', T(lang, 'oc.phaseFig'), 360),
    h3(T(lang, 'oc.corrTitle')),
    figure('oc-corr', T(lang, 'oc.corrFig', { n: p.samples, b: String(p.correlations[0]?.sigmaB2 ?? '—') }), 360),
  ].join('\n');
}

function decayPart(s: OrderChaosSection, charts: ChartSpec[], lang: Lang): string {
  const d = s.decay;
  if (d.points.length === 0) return notMeasured(say(lang, 'oc.decayMissing'), lang);
  const bounded = (act: string) => act === 'tanh' || act === 'sigmoid';
  charts.push(decayChart(s, 'oc-decay-a', bounded, lang), decayChart(s, 'oc-decay-b', (act) => !bounded(act), lang));
  const rows = d.points.map((p): Cell[] => [ocLabel(p.label, lang), p.init, { value: p.sigmaW2 }, { value: p.sigmaB2 }, { value: p.predictedFactor }, { text: range(p.measuredFactor, 4), num: true }, { value: p.measuredFactor.median / p.predictedFactor }]);
  const h = (k: MessageKey): string => say(lang, k);
  return [
    h3(T(lang, 'oc.decayTitle')),
    saidMsg('Measured', lang, 'oc.decayMeasured', { depth: d.depth, width: d.width, n: d.samples, k: d.seeds.length }),
    table([{ head: h('oc.col.point') }, { head: h('oc.col.init') }, { head: 'σ_w²', num: true }, { head: 'σ_b²', num: true }, { head: h('oc.col.pred'), num: true }, { head: h('oc.col.meas'), num: true }, { head: h('oc.col.ratio'), num: true }], rows),
    `<div class="grid2">${figure('oc-decay-a', T(lang, 'oc.decayFigA'), 340)}${figure('oc-decay-b', T(lang, 'oc.decayFigB'), 340)}</div>`,
  ].join('\n');
}

function trainPart(s: OrderChaosSection, charts: ChartSpec[], lang: Lang): string {
  const t = s.trainability;
  if (t.cells.length === 0) return notMeasured(say(lang, 'oc.trainMissing'), lang);
  charts.push(trainChart(s, lang));
  const six = (w: number) => t.sixXiC.reduce((b, p) => (Math.abs(p.sigmaW2 - w) < Math.abs(b.sigmaW2 - w) ? p : b)).depth;
  const rows = [...t.depths].reverse().map((depth) => [
    { html: `<strong>${T(lang, 'oc.hidden', { d: depth })}</strong>` } as Cell,
    ...t.sigmaW2.map((w): Cell => {
      const c = t.cells.find((x) => x.depth === depth && x.sigmaW2 === w);
      const lim = six(w);
      const inside = lim === null || depth <= lim;
      return c ? { text: fmtPct(c.accuracy.median), num: true, bg: c.accuracy.median > t.trainedAbove ? 'rgba(0,158,115,0.25)' : 'rgba(204,121,167,0.25)', bold: inside, title: say(lang, inside ? 'oc.inside' : 'oc.outside', { lim: lim === null ? '∞' : fmt(lim) }) } : { text: say(lang, 'oc.notRun'), num: true };
    }),
  ]);
  const deepest = t.sigmaW2.map((w) => {
    const ok = t.cells.filter((c) => c.sigmaW2 === w && c.accuracy.median > t.trainedAbove).map((c) => c.depth);
    const lim = six(w);
    return say(lang, 'oc.deepest', { w: String(w), d: ok.length ? String(Math.max(...ok)) : say(lang, 'oc.none'), lim: lim === null ? '∞' : fmt(lim) });
  });
  return [
    h3(T(lang, 'oc.trainTitle')),
    saidMsg('Claim', lang, 'oc.trainClaim'),
    saidMsg('Measured', lang, 'oc.trainMeasured', { b: String(t.sigmaB2), width: t.width, steps: t.steps, opt: t.optimizer, lr: fmt(t.lr), batch: t.batch, k: t.seeds.length, deepest: deepest.join(lang === 'en' ? '; ' : '；') }),
    table([{ head: '' }, ...t.sigmaW2.map((w) => ({ head: `σ_w² = ${w}`, num: true }))], rows, undefined, 'grid'),
    `<p class="legend">${T(lang, 'oc.trainLegend', { pct: 100 * t.trainedAbove })}</p>`,
    figure('oc-train', T(lang, 'oc.trainFig'), 360),
    saidMsg('Caveat', lang, 'oc.trainCaveat', { steps: t.steps, width: t.width }),
  ].join('\n');
}

function isometryPart(s: OrderChaosSection, charts: ChartSpec[], lang: Lang): string {
  const iso = s.isometry;
  if (iso.runs.length === 0) return notMeasured(say(lang, 'oc.isoMissing'), lang);
  const tanh = iso.runs.find((r) => r.act === 'tanh');
  const figs = iso.depths.map((depth, k) => {
    charts.push(isometryChart(s, depth, k, lang));
    return figure(`oc-iso-${k}`, T(lang, 'oc.layers', { d: depth }), 260);
  });
  const rows = iso.runs.map((r): Cell[] => [ocLabel(r.label, lang), { value: r.depth }, { text: fmtPct(r.nearOne), num: true }, { value: r.quantiles[0] }, { value: r.quantiles[1] }, { value: r.quantiles[2] }, { value: r.maxSingular }, { value: r.meanSquare }]);
  const h = (k: MessageKey): string => say(lang, k);
  return [
    h3(T(lang, 'oc.isoTitle')),
    saidMsg('Claim', lang, 'oc.isoClaim'),
    saidMsg('Measured', lang, 'oc.isoMeasured', { width: iso.width, k: iso.seeds.length, w: fmt(tanh?.sigmaW2, 5), b: fmt(tanh?.sigmaB2) }),
    `<div class="grid3">${figs.join('')}</div>`,
    `<p class="legend">${T(lang, 'oc.isoLegend')}</p>`,
    table([{ head: h('oc.col.config') }, { head: h('oc.col.depth'), num: true }, { head: h('oc.col.near'), num: true }, { head: 's, 5 %', num: true }, { head: h('oc.col.median'), num: true }, { head: '95 %', num: true }, { head: h('oc.col.max'), num: true }, { head: h('oc.col.ms'), num: true }], rows),
  ].join('\n');
}

function criticalPart(s: OrderChaosSection, lang: Lang): string {
  const c = s.criticalInit;
  if (c.runs.length === 0) return notMeasured(say(lang, 'oc.critMissing'), lang);
  const code = (x: string): Cell => ({ html: `<code>${esc(x)}</code>` });
  const rows = c.runs.map((r): Cell[] => [code(r.act), code(r.init), code(r.norm), r.rule ? code(r.rule) : '—', { value: r.sigmaW2 }, { text: range(r.firstToLast), num: true }, { text: say(lang, 'oc.ofN', { a: r.vanishing, n: r.perSeed.length }), num: true }, { text: range(r.lastCorrelation, 4), num: true }]);
  const sp = c.softplusTheory;
  const get = (act: string, init: string, norm = 'none') => c.runs.find((r) => r.act === act && r.init === init && r.norm === norm);
  const line = (act: string) => {
    const he = get(act, 'he_normal');
    const cr = get(act, 'critical');
    return he && cr ? say(lang, 'oc.critLine', { act, a: he.vanishing, n: he.perSeed.length, ra: range(he.firstToLast), b: cr.vanishing, rb: range(cr.firstToLast) }) : '';
  };
  const bn = get('softplus', 'critical', 'batch');
  const ln = get('softplus', 'critical', 'layer');
  const h = (k: MessageKey): string => say(lang, k);
  return [
    h3(T(lang, 'oc.critTitle')),
    saidMsg('Measured', lang, 'oc.critMeasured', { depth: c.depth, width: c.width, n: c.samples, k: c.seeds.length, lines: [line('gelu'), line('silu')].filter(Boolean).join(lang === 'en' ? '; ' : '；') }),
    table([{ head: h('oc.col.act') }, { head: h('oc.col.init') }, { head: h('oc.col.norm') }, { head: h('oc.col.rule') }, { head: 'σ_w²', num: true }, { head: h('oc.col.ftl'), num: true }, { head: h('oc.col.van'), num: true }, { head: h('oc.col.corr'), num: true }], rows),
    saidMsg('Meaning', lang, 'oc.critMeaning', { m: fmt(sp.meanOverRms), c: fmt(sp.cStar), w: fmt(sp.sigmaW2, 4), chi: fmt(sp.chi1), bn: bn ? say(lang, 'oc.bn', { r: range(bn.firstToLast), c: range(bn.lastCorrelation, 4) }) : '', ln: ln ? say(lang, 'oc.ln', { r: range(ln.firstToLast), c: range(ln.lastCorrelation, 4) }) : '' }),
  ].join('\n');
}

/** A claim's texts in `lang` (from its messages; an older file keeps its English). */
function claimText(c: StudyClaim, lang: Lang): { claim: string; published: string; test: string } {
  return c.said ? { claim: phrase(lang, c.said.claim), published: phrase(lang, c.said.published), test: phrase(lang, c.said.test) } : c;
}

/** The claims table (shared format of results.json `claims`), in `lang`. */
export function claimsTable(claims: readonly StudyClaim[], lang: Lang = 'en'): string {
  const h = (k: MessageKey): string => say(lang, k);
  return table(
    [{ head: h('oc.col.claim') }, { head: h('oc.col.source') }, { head: h('oc.col.published') }, { head: h('oc.col.measured'), num: true }, { head: h('oc.col.test') }, { head: h('oc.col.agrees') }],
    claims.map((c): Cell[] => {
      const x = claimText(c, lang);
      return [x.claim, c.source, x.published, { text: `${fmt(c.measured.median, 4)} [${fmt(c.measured.lo, 4)}–${fmt(c.measured.hi, 4)}] (${c.measured.seeds})`, num: true }, x.test, { text: say(lang, `oc.mark.${c.agrees}` as MessageKey), bold: true }];
    }),
  );
}

/** Section "Order and chaos", in `lang`. */
export function orderChaosSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const s = r.orderChaos;
  const charts: ChartSpec[] = [];
  const title = say(lang, 'oc.title');
  if (!s) return { id: ID, title, html: notMeasured(say(lang, 'oc.missing'), lang), charts };
  const agree = s.claims.filter((c) => c.agrees === 'yes').length;
  const times = isNum(s.seconds.phase) ? say(lang, 'oc.times', { list: listIn(lang, Object.entries(s.seconds).map(([k, v]) => `${has(`oc.part.${k}`) ? say(lang, `oc.part.${k}` as MessageKey) : k} ${fmt(v)} s`)) }) : '';
  const html = [
    `<p>${T(lang, 'oc.intro', { times })}</p>`,
    phasePart(s, charts, lang),
    decayPart(s, charts, lang),
    trainPart(s, charts, lang),
    isometryPart(s, charts, lang),
    criticalPart(s, lang),
    h3(T(lang, 'oc.claimsTitle')),
    `<p>${T(lang, 'oc.agree', { k: agree, n: s.claims.length })}</p>`,
    claimsTable(s.claims, lang),
  ].join('\n');
  return { id: ID, title, html, charts };
}

/** summary.md lines for the stage, in `lang`. */
export function renderOrderChaosMarkdown(s: OrderChaosSection | undefined, lang: Lang = 'en'): string {
  if (!s) return `## ${say(lang, 'oc.md.title')}\n\n${say(lang, 's.notMeasured')}`;
  const h = (k: MessageKey): string => say(lang, k);
  const lines = [`## ${h('oc.md.title')}`, '', `| ${h('oc.col.claim')} | ${h('oc.col.source')} | ${h('oc.col.measured')} | ${h('oc.col.agrees')} |`, '|---|---|---|---|'];
  for (const c of s.claims) lines.push(`| ${claimText(c, lang).claim} | ${citation(lang, c.source)} | ${fmt(c.measured.median, 4)} [${fmt(c.measured.lo, 4)}–${fmt(c.measured.hi, 4)}] (${c.measured.seeds}) | ${say(lang, `oc.mark.${c.agrees}` as MessageKey)} |`);
  return lines.join('\n');
}
