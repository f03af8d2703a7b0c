/**
 * Report section for study stage 5: remedies — each published claim beside
 * what this run measured (a summary table first), then one part per remedy
 * with the per-layer gradients with and without it, on the same seeds.
 * Renders "not measured" when the results have no stage 5.
 */
import type { RemediesSection, ScalarStats, SeedOutcome, SeedStats, StudyResults } from '../../study/types.js';
import { color, figure, indexed, lineChart, type ChartSpec, type LineSeries } from '../charts.js';
import { has, say, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { listIn } from '../../i18n/number.js';
import { bandName, esc, fmt, fmtBand, fmtPct, isNum, type MaybeNumber } from '../format.js';
import { armLabel, describedIn } from '../say.js';
import { verdictMix } from './act-depth.js';
import { claimsBlock } from './claims.js';
import { h3, notMeasured, said, saidMsg, table, type Cell, type RenderedSection } from './common.js';
import { armsTable } from './exploding.js';

/** ln 10: the cross-entropy of a uniform guess over the ten digits. */
const CHANCE_LOSS = Math.log(10);

/** "median [band]" of a scalar over seeds. */
function range(s: ScalarStats | null | undefined): string {
  return fmtBand(s);
}

/** A training outcome in words, in `lang`. */
function outcomeText(o: SeedOutcome, lang: Lang): string {
  if (o.nonFinite) return say(lang, 'm.nonFiniteAt', { step: o.nonFinite.step, where: o.nonFinite.layer === 0 ? say(lang, 'x.inLoss') : say(lang, 'm.inLayer', { l: o.nonFinite.layer }), q: say(lang, `x.q.${o.nonFinite.quantity}` as MessageKey) });
  return say(lang, 'm.outcome', { a: fmt(o.firstLoss), b: fmt(o.lastLoss), acc: fmtPct(o.testAccuracy) });
}

/** A run's label in `lang` (labels without a translation, such as optimiser names, stay as they are). */
function label(l: string, lang: Lang): string {
  return has(`lbl.${l}`) ? say(lang, `lbl.${l}` as MessageKey) : l;
}

/** Stalled: the loss stayed at the chance level. */
const stalls = (o: SeedOutcome): boolean => !o.nonFinite && isNum(o.lastLoss) && o.lastLoss > CHANCE_LOSS - 0.05;
const yes = (b: boolean, lang: Lang): Cell => ({ html: b ? `<strong>${esc(say(lang, 'm.yes'))}</strong>` : esc(say(lang, 'm.no')), num: false });

/** Test accuracy over seeds as "median [min–max]", and how many seeds trained, in `lang`. */
function outcomesText(os: readonly SeedOutcome[], lang: Lang): string {
  if (os.length === 0) return '—';
  const a = os.map((o) => (isNum(o.testAccuracy) ? o.testAccuracy : 0)).sort((x, y) => x - y);
  const m = a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  return say(lang, 'm.outcomes', { m: fmtPct(m), lo: fmtPct(a[0]), hi: fmtPct(a[a.length - 1]), k: os.filter((o) => o.trained).length, n: os.length });
}

/** Every seed's outcome, for a hover. */
const seedsHover = (os: readonly SeedOutcome[], lang: Lang): string => os.map((o) => say(lang, 'm.h.seed', { s: o.seed, o: outcomeText(o, lang) })).join(lang === 'en' ? '; ' : '；');

/** Rows "layer l" of per-layer statistics, one column per series. */
function layerTable(heads: readonly string[], cols: readonly (SeedStats | null | undefined)[], firstHead: string): string {
  const n = Math.max(0, ...cols.map((c) => c?.median?.length ?? 0));
  const rows = Array.from({ length: n }, (_, l) => [l + 1, ...cols.map((c) => (c ? (c.min?.[l] === c.max?.[l] ? fmt(c.median[l]) : `${fmt(c.median[l])} [${fmt(c.min?.[l])} – ${fmt(c.max?.[l])}]`) : '—'))]);
  return table([{ head: firstHead, num: true }, ...heads.map((h) => ({ head: h, num: true }))], rows as Cell[][]);
}

function perLayerChart(id: string, series: readonly { label: string; ys: readonly MaybeNumber[]; dashed?: boolean }[], y: string, lang: Lang, logY = true): ChartSpec {
  const s: LineSeries[] = series.map((x, i) => ({ label: x.label, points: indexed(x.ys, logY, 1), color: color(i), dashed: x.dashed, pointRadius: 2 }));
  return lineChart(id, s, { x: say(lang, 'm.layerAxis'), y, logY, integerX: true });
}

function lossChart(id: string, series: readonly { label: string; ys: readonly MaybeNumber[] }[], every: number, lang: Lang): ChartSpec {
  return lineChart(id, series.map((x, i) => ({ label: x.label, points: x.ys.map((v, k) => ({ x: k * every, y: isNum(v) && v > 0 ? v : null })), color: color(i) })), { x: say(lang, 'm.step'), y: say(lang, 'm.lossAxis'), logY: true, integerX: true });
}

const t3 = (lang: Lang, k: MessageKey): string => h3(esc(say(lang, k)));

function glorotPart(m: RemediesSection, charts: ChartSpec[], lang: Lang): string {
  const g = m.glorot;
  if (!g || (g.runs ?? []).length === 0) return t3(lang, 'm.g.title') + notMeasured(say(lang, 'm.g.missing'), lang);
  charts.push(perLayerChart('remedies-glorot-delta', g.runs.map((x) => ({ label: x.init, ys: x.deltaNorms?.median ?? [] })), say(lang, 'm.deltaAxis'), lang));
  return [
    t3(lang, 'm.g.title'),
    saidMsg('Claim', lang, 'm.g.claim'),
    saidMsg('Measured', lang, 'm.g.measured', { h: g.hidden, u: g.units, quick: g.units !== 1000 ? say(lang, 'm.g.quick', { u: g.units }) : '', ex: g.examples, j: g.jacobianSamples, seeds: listIn(lang, g.seeds) }),
    layerTable(g.runs.map((x) => say(lang, 'm.g.meanSv', { init: x.init })), g.runs.map((x) => x.meanSingular), say(lang, 'm.hiddenLayerCol')),
    table([{ head: say(lang, 'm.g.col.init') }, { head: say(lang, 'm.g.col.mean'), num: true }, { head: say(lang, 'm.col.published'), num: true }, { head: say(lang, 'm.g.col.factor'), num: true }, { head: say(lang, 'm.g.col.w'), num: true }],
      g.runs.map((x) => { const w = (x.weightGradNorms?.median ?? []).slice(1, g.hidden).filter(isNum); return [x.init, range(x.meanSingularHidden), x.published, range(x.deltaFactor), w.length ? Math.max(...w) / Math.min(...w) : null]; })),
    figure('remedies-glorot-delta', esc(say(lang, 'm.g.fig'))),
    saidMsg('Meaning', lang, 'm.g.meaning'),
  ].join('\n');
}

function hePart(m: RemediesSection, charts: ChartSpec[], lang: Lang): string {
  const h = m.he;
  if (!h || (h.runs ?? []).length === 0) return t3(lang, 'm.h.title') + notMeasured(say(lang, 'm.h.missing'), lang);
  const x0 = h.runs[0]?.activationStd?.median?.[0];
  const ref = isNum(x0) ? Array.from({ length: h.depth }, (_, l) => x0 * Math.pow(Math.SQRT1_2, l)) : [];
  charts.push(perLayerChart('remedies-he-std', [...h.runs.map((x) => ({ label: x.init, ys: x.activationStd?.median ?? [] })), { label: say(lang, 'm.h.law'), ys: ref, dashed: true }], say(lang, 'm.h.stdAxis'), lang));
  charts.push(lossChart('remedies-he-loss', h.runs.map((x) => ({ label: x.init, ys: x.loss ?? [] })), h.lossEvery, lang));
  return [
    t3(lang, 'm.h.title'),
    saidMsg('Claim', lang, 'm.h.claim'),
    saidMsg('Measured', lang, 'm.h.measured', { d: h.depth, w: h.width, n: h.seeds, band: bandName(h.seeds, lang), steps: h.steps, opt: h.optimizer, lr: fmt(h.lr), train: listIn(lang, h.trainSeeds) }),
    table([{ head: say(lang, 'm.g.col.init') }, { head: say(lang, 'm.h.col.factor'), num: true }, { head: say(lang, 'm.col.published'), num: true }, { head: say(lang, 'm.h.col.ratio'), num: true }, { head: say(lang, 'm.h.col.training') }, { head: say(lang, 'm.h.col.stalled') }],
      h.runs.map((x) => [x.init, range(x.stdFactor), x.init.startsWith('xavier') ? '0.707' : '1', range(x.firstToLast), { text: outcomesText(x.training, lang), title: seedsHover(x.training, lang) }, yes(x.training.length > 0 && x.training.every(stalls), lang)])),
    `<div class="grid2">${figure('remedies-he-std', esc(say(lang, 'm.h.figStd')))}${figure('remedies-he-loss', esc(say(lang, 'm.h.figLoss', { k: h.lossEvery })))}</div>`,
    saidMsg('Meaning', lang, 'm.h.meaning'),
  ].join('\n');
}

function seluPart(m: RemediesSection, charts: ChartSpec[], lang: Lang): string {
  const s = m.selu;
  if (!s || (s.runs ?? []).length === 0) return t3(lang, 'm.s.title') + notMeasured(say(lang, 'm.s.missing'), lang);
  charts.push(perLayerChart('remedies-selu-var', s.runs.map((x) => ({ label: `${x.activation}, ${x.init}`, ys: x.variance?.median ?? [] })), say(lang, 'm.s.varAxis'), lang));
  charts.push(perLayerChart('remedies-selu-mean', s.runs.map((x) => ({ label: `${x.activation}, ${x.init}`, ys: x.mean?.median ?? [] })), say(lang, 'm.s.meanAxis'), lang, false));
  const at = [1, 10, 20, s.depth].filter((l, i, a) => l <= s.depth && a.indexOf(l) === i);
  const n = /^the first (\d+) training images/.exec(s.inputs)?.[1];
  return [
    t3(lang, 'm.s.title'),
    saidMsg('Claim', lang, 'm.s.claim'),
    saidMsg('Measured', lang, 'm.s.measured', { d: s.depth, w: s.width, inputs: n !== undefined ? say(lang, 'm.s.inputs', { n }) : s.inputs, n: s.seeds }),
    table([{ head: say(lang, 'm.s.col.act') }, ...at.flatMap((l) => [{ head: say(lang, 'm.s.col.mean', { l }), num: true }, { head: say(lang, 'm.s.col.var', { l }), num: true }])],
      s.runs.map((x) => [`${x.activation}, ${x.init}`, ...at.flatMap((l) => [x.mean?.median?.[l - 1], x.variance?.median?.[l - 1]])])),
    `<div class="grid2">${figure('remedies-selu-var', esc(say(lang, 'm.s.figVar')))}${figure('remedies-selu-mean', esc(say(lang, 'm.s.figMean')))}</div>`,
    saidMsg('Meaning', lang, 'm.s.meaning'),
  ].join('\n');
}

function normResidualPart(m: RemediesSection, charts: ChartSpec[], lang: Lang): string {
  const s = m.normResidual;
  if (!s || (s.runs ?? []).length === 0) return t3(lang, 'm.n.title') + notMeasured(say(lang, 'm.n.missing'), lang);
  const deepest = Math.max(...s.depths);
  const deep = s.runs.filter((x) => x.depth === deepest);
  charts.push(perLayerChart('remedies-nr-init', deep.map((x) => ({ label: label(x.label, lang), ys: x.initNorms?.median ?? [] })), say(lang, 'm.deltaAxis'), lang));
  charts.push(lossChart('remedies-nr-loss', deep.map((x) => ({ label: label(x.label, lang), ys: x.loss ?? [] })), s.lossEvery, lang));
  const h = (k: MessageKey): string => say(lang, k);
  return [
    t3(lang, 'm.n.title'),
    saidMsg('Claim', lang, 'm.n.claim'),
    saidMsg('Measured', lang, 'm.n.measured', { act: s.activation, depths: listIn(lang, s.depths), w: s.width, init: s.init, n: s.seeds, band: bandName(s.seeds, lang), steps: s.steps, opt: s.optimizer, lr: fmt(s.lr), train: listIn(lang, s.trainSeeds) }),
    table([{ head: h('m.n.col.hidden'), num: true }, { head: h('m.n.col.net') }, { head: h('m.n.col.ratio'), num: true }, { head: h('x.col.verdicts') }, { head: h('m.n.col.d1'), num: true }, { head: h('m.col.outcomes'), num: true }],
      s.runs.map((x) => [x.depth, label(x.label, lang), range(x.firstToLast), verdictMix(x.verdicts, s.seeds), x.initNorms?.median?.[0], { text: outcomesText(x.outcomes, lang), num: true, title: seedsHover(x.outcomes, lang) }])),
    `<div class="grid2">${figure('remedies-nr-init', esc(say(lang, 'm.n.figInit', { d: deepest })))}${figure('remedies-nr-loss', esc(say(lang, 'm.n.figLoss', { d: deepest, k: s.lossEvery })))}</div>`,
    saidMsg('Meaning', lang, 'm.n.meaning', { d: deepest, list: deep.map((x) => say(lang, 'm.n.at', { label: label(x.label, lang), r: fmt(x.firstToLast?.median), k: x.outcomes.filter((o) => o.trained).length, n: x.outcomes.length })).join(lang === 'en' ? '; ' : '；'), ln: lnNote(deep, lang) }),
  ].join('\n');
}

/** What layer normalisation did at the deepest depth, in a sentence (empty when it was not run). */
function lnNote(deep: readonly { label: string; firstToLast: ScalarStats; outcomes: readonly SeedOutcome[] }[], lang: Lang): string {
  const ln = deep.find((x) => x.label === 'layer norm');
  const plain = deep.find((x) => x.label === 'plain');
  if (!ln || !plain) return '';
  return say(lang, 'm.n.ln', { a: fmt(plain.firstToLast?.median), b: fmt(ln.firstToLast?.median), enough: say(lang, ln.firstToLast?.median > 1e-2 ? 'm.n.enough' : 'm.n.notEnough'), acc: outcomesText(ln.outcomes, lang) });
}

function clippingPart(r: StudyResults, m: RemediesSection, charts: ChartSpec[], lang: Lang): string {
  const c = m.clipping;
  if (!c || (c.runs ?? []).length === 0) return t3(lang, 'm.c.title') + notMeasured(say(lang, 'm.c.missing'), lang);
  charts.push(lossChart('remedies-clip-loss', c.runs.map((x) => ({ label: armLabel(x, lang), ys: x.loss ?? [] })), c.lossEvery, lang));
  const st4 = r.exploding?.clipping?.arms ?? [];
  return [
    t3(lang, 'm.c.title'),
    saidMsg('Claim', lang, 'm.c.claim'),
    saidMsg('Measured', lang, 'm.c.measured', { desc: describedIn(c, lang) }),
    armsTable([...st4, ...c.runs], c.seeds, lang),
    figure('remedies-clip-loss', esc(say(lang, 'm.c.fig'))),
    saidMsg('Meaning', lang, 'm.c.meaning'),
  ].join('\n');
}

function trainingPart(m: RemediesSection, charts: ChartSpec[], lang: Lang): string {
  const t = m.training;
  if (!t || (t.runs ?? []).length === 0) return t3(lang, 'm.t.title') + notMeasured(say(lang, 'm.t.missing'), lang);
  const H = t.depth;
  charts.push(perLayerChart('remedies-train-ratio', t.runs.map((x) => ({ label: label(x.label, lang), ys: x.updateRatios ?? [] })), say(lang, 'm.t.ratioAxis'), lang));
  const init = t.initNorms ?? [];
  const what = (x: (typeof t.runs)[number]): string => (lang === 'en' || !has(`what.${x.label}`) ? x.what : say(lang, `what.${x.label}` as MessageKey));
  return [
    t3(lang, 'm.t.title'),
    saidMsg('Measured', lang, 'm.t.measured', { act: t.activation, h: H, w: t.width, init: t.init, seed: t.seeds[0], r: fmt(isNum(init[0]) && isNum(init[H - 1]) ? init[0] / init[H - 1] : null), steps: t.steps, seeds: listIn(lang, t.seeds) }),
    table([{ head: say(lang, 'm.c.col.run') }, { head: say(lang, 'm.t.col.setting') }, { head: say(lang, 'm.t.col.ratio'), num: true }, { head: say(lang, 'm.t.col.update'), num: true }, { head: say(lang, 'm.t.col.loss'), num: true }, { head: say(lang, 'm.col.outcomes'), num: true }],
      t.runs.map((x) => [label(x.label, lang), what(x) + (x.pretrain ? say(lang, 'm.reconstruction', { list: x.pretrain.map((p) => `${fmt(p.lossStart)} → ${fmt(p.lossEnd)}`).slice(0, 3).join(', ') }) : ''), x.firstToLast, isNum(x.updateRatios?.[0]) && isNum(x.updateRatios?.[H - 1]) ? x.updateRatios[0] / x.updateRatios[H - 1] : null, `${fmt(x.outcomes[0]?.firstLoss)} → ${fmt(x.outcomes[0]?.lastLoss)}`, { text: outcomesText(x.outcomes, lang), num: true }])),
    figure('remedies-train-ratio', esc(say(lang, 'm.t.fig'))),
    said('Meaning', esc(trainingMeaning(t.runs, lang)), lang),
  ].join('\n');
}

/** Which training remedies trained where the baseline did not, in sentences computed from the runs. */
function trainingMeaning(runs: RemediesSection['training']['runs'], lang: Lang): string {
  const base = runs[0];
  const tr = (x: (typeof runs)[number]): number => x.outcomes.filter((o) => o.trained).length;
  const better = runs.slice(1).filter((x) => tr(x) > tr(base));
  const left = better.length
    ? say(lang, 'm.t.more', { list: listIn(lang, better.map((x) => `${label(x.label, lang)} (${tr(x)}/${x.outcomes.length})`)), base: label(base.label, lang), k: tr(base), n: base.outcomes.length })
    : say(lang, 'm.t.noMore', { base: label(base?.label ?? 'baseline', lang), k: base ? `${tr(base)}/${base.outcomes.length}` : '—' });
  return `${left} ${say(lang, 'm.t.why')}`;
}

/** Section "Remedies", in `lang`. */
export function remediesSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const m = r.remedies;
  const title = say(lang, 'm.title');
  if (!m) return { id: 'remedies', title, html: notMeasured(say(lang, 'm.missing'), lang), charts: [] };
  const charts: ChartSpec[] = [];
  const html = [
    saidMsg('Claim', lang, 'm.claim'),
    claimsBlock(r, 'remedies', lang) || notMeasured(say(lang, 'm.summaryMissing'), lang),
    glorotPart(m, charts, lang),
    hePart(m, charts, lang),
    seluPart(m, charts, lang),
    normResidualPart(m, charts, lang),
    clippingPart(r, m, charts, lang),
    trainingPart(m, charts, lang),
  ].join('\n');
  return { id: 'remedies', title, html, charts };
}
