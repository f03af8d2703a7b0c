/**
 * Report section for study stage 1: σ′ ≤ 1/4, the chain product of a
 * one-neuron-per-layer net (checked against backpropagation), the product
 * over many random chains by depth, and Nielsen's band of inputs where a
 * factor can reach 1. Every sentence is the catalogue's, in the reader's language.
 */
import type { StudyResults } from '../../study/types.js';
import { say } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { color, figure, lineChart, points, type ChartSpec, type LineSeries } from '../charts.js';
import { esc, fmt, fmtInt, isNum } from '../format.js';
import { claimsBlock } from './claims.js';
import { at, bold, h3, notMeasured, saidMsg, table, type RenderedSection } from './common.js';

const QUARTER = 0.25;

function curvesPart(r: StudyResults, charts: ChartSpec[], lang: Lang): string {
  const curves = r.bound.curves ?? [];
  const max = r.bound.sigmoidDerivativeMax;
  const measured = max && isNum(max.value) ? saidMsg('Measured', lang, 'b.maxMeasured', { x: fmt(max.x), v: bold(fmt(max.value, 6)) }) : notMeasured(say(lang, 'b.maxMissing'), lang);
  if (curves.length === 0) return measured + notMeasured(say(lang, 'b.curvesMissing'), lang);
  const xs = curves.flatMap((c) => c.x.filter(isNum));
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const fSeries: LineSeries[] = curves.map((c, i) => ({ label: c.name, points: points(c.x, c.f), color: color(i) }));
  const dfSeries: LineSeries[] = curves.map((c, i) => ({ label: `${c.name}′`, points: points(c.x, c.df), color: color(i) }));
  dfSeries.push({ label: '1/4', points: [{ x: lo, y: QUARTER }, { x: hi, y: QUARTER }], color: '#444444', dashed: true, width: 1 });
  charts.push(lineChart('bound-f', fSeries, { x: 'x', y: 'f(x)', yMin: -1.5, yMax: 3 }));
  charts.push(lineChart('bound-df', dfSeries, { x: 'x', y: "f′(x)", yMin: 0, yMax: 1.1 }));
  return `<div class="grid2">${figure('bound-f', esc(say(lang, 'b.figF')))}${figure('bound-df', esc(say(lang, 'b.figDf')))}</div>${measured}`;
}

function chainPart(r: StudyResults, lang: Lang): string {
  const ch = r.bound.chainExample;
  if (!ch || (ch.links ?? []).length === 0) return h3(esc(say(lang, 'b.chainTitle'))) + notMeasured(say(lang, 'b.chainMissing'), lang);
  const links = ch.links;
  const rows = links.map((l) => [l.layer, l.w, l.z, l.derivative, l.factor, l.runningProduct]);
  const last = links[links.length - 1].runningProduct;
  // ∂C/∂b₁ = (product of factors) · ∂C/∂a_L, so ∂C/∂a_L is the ratio of the two
  const dCdaL = isNum(ch.dCdb1Chain) && isNum(last) && last !== 0 ? ch.dCdb1Chain / last : null;
  const rel = isNum(ch.dCdb1Chain) && isNum(ch.dCdb1Backprop) ? Math.abs(ch.dCdb1Chain - ch.dCdb1Backprop) / Math.max(Math.abs(ch.dCdb1Backprop), Number.MIN_VALUE) : null;
  return [
    h3(esc(say(lang, 'b.chainTitle'))),
    saidMsg('Measured', lang, 'b.chainMeasured', { depth: ch.depth, seed: ch.seed }),
    table(
      [{ head: say(lang, 'b.col.layer'), num: true }, { head: 'wⱼ', num: true }, { head: 'zⱼ', num: true }, { head: 'σ′(zⱼ)', num: true }, { head: say(lang, 'b.col.factor'), num: true }, { head: say(lang, 'b.col.running'), num: true }],
      rows,
      esc(say(lang, 'b.chainCaption')),
    ),
    `<div class="compare"><div><span class="k">${esc(say(lang, 'b.k.product'))}</span><span class="v">${esc(fmt(ch.dCdb1Chain, 6))}</span></div><div><span class="k">${esc(say(lang, 'b.k.backprop'))}</span><span class="v">${esc(fmt(ch.dCdb1Backprop, 6))}</span></div><div><span class="k">${esc(say(lang, 'b.k.rel'))}</span><span class="v">${esc(fmt(rel, 2))}</span></div></div>`,
    saidMsg('Meaning', lang, 'b.chainMeaning', { p: fmt(last), d: fmt(dCdaL) }),
  ].join('\n');
}

function depthPart(r: StudyResults, charts: ChartSpec[], lang: Lang): string {
  const p = r.bound.productVsDepth;
  if (!p || (p.depth ?? []).length === 0) return h3(esc(say(lang, 'b.depthTitle'))) + notMeasured(say(lang, 'b.depthMissing'), lang);
  charts.push(
    lineChart(
      'bound-depth',
      [
        { label: say(lang, 'b.p10'), points: points(p.depth, p.q10, true), color: color(0), width: 1 },
        { label: say(lang, 'b.p90'), points: points(p.depth, p.q90, true), color: color(0), width: 1, fillToPrevious: true },
        { label: say(lang, 'b.median'), points: points(p.depth, p.median, true), color: color(0), width: 3, pointRadius: 2 },
        { label: say(lang, 'b.quarterPower'), points: points(p.depth, p.quarterPower, true), color: '#444444', dashed: true },
      ],
      { x: say(lang, 'b.axDepth'), y: say(lang, 'b.axProduct'), logY: true, integerX: true },
    ),
  );
  const n = p.depth.length;
  const rate = (ys: readonly (number | null)[]): number | null => {
    const a = at(ys, 0);
    const z = at(ys, n - 1);
    return isNum(a) && isNum(z) && a > 0 && z > 0 && n > 1 ? Math.pow(z / a, 1 / (n - 1)) : null;
  };
  const below = p.median.every((v, i) => !isNum(v) || !isNum(p.quarterPower[i]) || v <= p.quarterPower[i]);
  const i10 = p.depth.indexOf(10);
  return [
    h3(esc(say(lang, 'b.depthTitle'))),
    saidMsg('Measured', lang, 'b.depthMeasured', { draws: fmtInt(p.draws) }),
    figure('bound-depth', esc(say(lang, 'b.depthFig'))),
    saidMsg('Meaning', lang, 'b.depthMeaning', { k: bold(fmt(rate(p.median))), at10: i10 >= 0 ? say(lang, 'b.at10', { v: fmt(p.median[i10]) }) : '', follows: say(lang, below ? 'b.staysBelow' : 'b.follows'), k90: fmt(rate(p.q90)) }),
  ].join('\n');
}

function bandPart(r: StudyResults, charts: ChartSpec[], lang: Lang): string {
  const b = r.bound.band;
  if (!b || (b.w ?? []).length === 0) return h3(esc(say(lang, 'b.bandTitle'))) + notMeasured(say(lang, 'b.bandMissing'), lang);
  const agrees = isNum(b.maxWidth) && isNum(b.argmaxW) && Math.abs(b.maxWidth - 0.45) < 0.02 && Math.abs(b.argmaxW - 6.9) < 0.3;
  charts.push(lineChart('bound-band', [{ label: say(lang, 'b.bandLabel'), points: points(b.w, b.width), color: color(1) }], { x: '|w|', y: say(lang, 'b.bandAxis'), legend: false }));
  return [
    h3(esc(say(lang, 'b.bandTitle'))),
    saidMsg('Claim', lang, 'b.bandClaim'),
    figure('bound-band', esc(say(lang, 'b.bandFig')), 260),
    saidMsg('Measured', lang, 'b.bandMeasured', { minW: fmt(b.minW), max: bold(fmt(b.maxWidth)), at: bold(fmt(b.argmaxW)), agrees: say(lang, agrees ? 'b.asBook' : 'b.bookSays') }),
    saidMsg('Meaning', lang, 'b.bandMeaning'),
  ].join('\n');
}

/** Section "The derivative bound", in `lang`. */
export function boundSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const charts: ChartSpec[] = [];
  const html = [saidMsg('Claim', lang, 'b.claim'), curvesPart(r, charts, lang), chainPart(r, lang), depthPart(r, charts, lang), bandPart(r, charts, lang), claimsBlock(r, 'bound', lang)].join('\n');
  return { id: 'bound', title: say(lang, 'b.title'), html, charts };
}
