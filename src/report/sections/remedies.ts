/**
 * Report section for study stage 5: remedies — each published claim beside
 * what this run measured (a summary table first), then one part per remedy
 * with the per-layer gradients with and without it, on the same seeds.
 * Renders "not measured" when the results have no stage 5.
 */
import type { RemediesSection, ScalarStats, SeedOutcome, SeedStats, StudyResults } from '../../experiments/study/types.js';
import { color, figure, indexed, lineChart, type ChartSpec, type LineSeries } from '../charts.js';
import { has, say, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { listIn } from '../../i18n/number.js';
import { esc, fmt, fmtPct, isNum, type MaybeNumber } from '../format.js';
import { describedIn, nonFiniteText } from '../say.js';
import { h3, notMeasured, said, saidMsg, table, type Cell, type RenderedSection } from './common.js';

/** ln 10: the cross-entropy of a uniform guess over the ten digits. */
const CHANCE_LOSS = Math.log(10);

/** "median [min – max]" of a scalar over seeds. */
function range(s: ScalarStats | null | undefined): string {
  if (!s) return '—';
  return s.min === s.max || !isNum(s.min) ? fmt(s.median) : `${fmt(s.median)} [${fmt(s.min)} – ${fmt(s.max)}]`;
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

/** Trained: the loss left the chance level ln 10 and fell. */
const proceeds = (o: SeedOutcome): boolean => !o.nonFinite && isNum(o.lastLoss) && isNum(o.firstLoss) && o.lastLoss < CHANCE_LOSS - 0.1 && o.lastLoss < o.firstLoss;
/** Stalled: the loss stayed at the chance level. */
const stalls = (o: SeedOutcome): boolean => !o.nonFinite && isNum(o.lastLoss) && o.lastLoss > CHANCE_LOSS - 0.05;
const finiteDecreasing = (o: SeedOutcome): boolean => !o.nonFinite && isNum(o.lastLoss) && isNum(o.firstLoss) && o.lastLoss < o.firstLoss;
const yes = (b: boolean, lang: Lang): Cell => ({ html: b ? `<strong>${esc(say(lang, 'm.yes'))}</strong>` : esc(say(lang, 'm.no')), num: false });

/** One row of the claims table: what was published, what this run measured, whether they agree. */
export interface Finding {
  readonly source: string;
  readonly claim: string;
  readonly published: string;
  readonly measured: string;
  readonly agrees: boolean;
}

/** Each stage-5 claim beside its measurement, with a plain agreement test (tolerances as in the tests), in `lang`. */
export function remediesFindings(m: RemediesSection, lang: Lang = 'en'): Finding[] {
  const out: Finding[] = [];
  const sep = lang === 'en' ? ', ' : '、';
  const g = m.glorot?.runs ?? [];
  const gs = g.find((x) => x.init === 'torch_default');
  const gx = g.find((x) => x.init === 'xavier_uniform');
  if (gs && gx) {
    out.push({
      source: 'Glorot & Bengio 2010',
      claim: say(lang, 'm.f.glorot.claim', { h: m.glorot.hidden, u: m.glorot.units }),
      published: say(lang, 'm.f.glorot.published'),
      measured: say(lang, 'm.f.glorot.measured', { a: fmt(gs.meanSingularHidden?.median), b: fmt(gx.meanSingularHidden?.median), da: fmt(gs.deltaFactor?.median), db: fmt(gx.deltaFactor?.median) }),
      agrees: Math.abs(gs.meanSingularHidden.median - 0.5) < 0.1 && Math.abs(gx.meanSingularHidden.median - 0.8) < 0.1 && gs.deltaFactor.median < 0.75 && gx.deltaFactor.median > 0.8,
    });
  }
  const hx = m.he?.runs?.find((x) => x.init === 'xavier_normal');
  const hh = m.he?.runs?.find((x) => x.init === 'he_normal');
  if (hx && hh) {
    out.push({
      source: 'He et al. 2015',
      claim: say(lang, 'm.f.he.claim', { d: m.he.depth }),
      published: say(lang, 'm.f.he.published'),
      measured: say(lang, 'm.f.he.measured', { a: fmt(hx.stdFactor?.median), b: fmt(hh.stdFactor?.median), s: hx.training.filter(stalls).length, n: hx.training.length, p: hh.training.filter(proceeds).length, m: hh.training.length, steps: m.he.steps }),
      agrees: Math.abs(hx.stdFactor.median - Math.SQRT1_2) < 0.08 && Math.abs(hh.stdFactor.median - 1) < 0.1 && hx.training.every(stalls) && hh.training.some(proceeds),
    });
  }
  const sl = m.selu?.runs?.find((x) => x.activation === 'selu' && x.init === 'lecun_normal');
  if (sl) {
    const deep = (xs: readonly MaybeNumber[]): number[] => xs.slice(9).filter(isNum);
    const mm = deep(sl.mean?.median ?? []);
    const vv = deep(sl.variance?.median ?? []);
    out.push({
      source: 'Klambauer et al. 2017',
      claim: say(lang, 'm.f.selu.claim', { d: m.selu.depth }),
      published: say(lang, 'm.f.selu.published'),
      measured: say(lang, 'm.f.selu.measured', { d: m.selu.depth, m0: fmt(Math.min(...mm)), m1: fmt(Math.max(...mm)), v0: fmt(Math.min(...vv)), v1: fmt(Math.max(...vv)) }),
      agrees: mm.length > 0 && mm.every((x) => Math.abs(x) < 0.25) && vv.every((x) => x > 0.5 && x < 1.6),
    });
  }
  const nr = m.normResidual?.runs ?? [];
  for (const d of m.normResidual?.depths ?? []) {
    const at = (l: string) => nr.find((x) => x.depth === d && x.label === l);
    const plain = at('plain');
    const fixes = nr.filter((x) => x.depth === d && x.label !== 'plain' && x.label !== 'layer norm');
    if (!plain || fixes.length === 0) continue;
    out.push({
      source: 'Ioffe & Szegedy 2015; He et al. 2016',
      claim: say(lang, 'm.f.nr.claim', { d }),
      published: say(lang, 'm.f.nr.published'),
      measured: say(lang, 'm.f.nr.measured', { plain: fmt(plain.firstToLast?.median), fixes: fixes.map((x) => `${fmt(x.firstToLast?.median)} ${label(x.label, lang)}`).join(sep), acc: fmtPct(plain.outcome.testAccuracy), accs: fixes.map((x) => fmtPct(x.outcome.testAccuracy)).join(sep) }),
      agrees: plain.firstToLast.median < 1e-2 && fixes.every((x) => x.firstToLast.median > 1e-2 && (x.outcome.testAccuracy ?? 0) > (plain.outcome.testAccuracy ?? 0)),
    });
  }
  const cl = m.clipping?.runs ?? [];
  const none = cl.find((x) => x.clipNorm === null && x.clipValue === null && x.maxNorm === null);
  const byNorm = cl.find((x) => x.clipNorm !== null);
  if (none && byNorm) {
    const nf = none.outcomes.filter((o) => o.nonFinite);
    out.push({
      source: 'Pascanu et al. 2013',
      claim: say(lang, 'm.f.clip.claim'),
      published: say(lang, 'm.f.clip.published'),
      measured: say(lang, 'm.f.clip.measured', { k: nf.length, n: none.outcomes.length, where: nf.map((o) => say(lang, 'm.f.clip.where', { step: o.nonFinite?.step ?? '—', layer: o.nonFinite?.layer ?? '—' })).join(lang === 'en' ? '; ' : '；') || '—', ok: byNorm.outcomes.filter(finiteDecreasing).length, m: byNorm.outcomes.length }),
      agrees: nf.length === none.outcomes.length && byNorm.outcomes.every(finiteDecreasing),
    });
  }
  return out;
}

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
    saidMsg('Measured', lang, 'm.g.measured', { h: g.hidden, u: g.units, quick: m.quick ? say(lang, 'm.g.quick', { u: g.units }) : '', ex: g.examples, j: g.jacobianSamples, seeds: listIn(lang, g.seeds) }),
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
    saidMsg('Measured', lang, 'm.h.measured', { d: h.depth, w: h.width, seeds: listIn(lang, h.seeds), steps: h.steps, opt: h.optimizer, lr: fmt(h.lr), train: listIn(lang, h.trainSeeds) }),
    table([{ head: say(lang, 'm.g.col.init') }, { head: say(lang, 'm.h.col.factor'), num: true }, { head: say(lang, 'm.col.published'), num: true }, { head: say(lang, 'm.h.col.ratio'), num: true }, { head: say(lang, 'm.h.col.training') }, { head: say(lang, 'm.h.col.stalled') }],
      h.runs.map((x) => [x.init, range(x.stdFactor), x.init.startsWith('xavier') ? '0.707' : '1', range(x.firstToLast), x.training.map((o) => say(lang, 'm.h.seed', { s: o.seed, o: outcomeText(o, lang) })).join(lang === 'en' ? '; ' : '；'), yes(x.training.length > 0 && x.training.every(stalls), lang)])),
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
    saidMsg('Measured', lang, 'm.s.measured', { d: s.depth, w: s.width, inputs: n !== undefined ? say(lang, 'm.s.inputs', { n }) : s.inputs, seeds: listIn(lang, s.seeds) }),
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
    saidMsg('Measured', lang, 'm.n.measured', { act: s.activation, depths: listIn(lang, s.depths), w: s.width, init: s.init, seeds: listIn(lang, s.seeds), steps: s.steps, opt: s.optimizer, lr: fmt(s.lr), seed: s.seeds[0] }),
    table([{ head: h('m.n.col.hidden'), num: true }, { head: h('m.n.col.net') }, { head: h('m.n.col.ratio'), num: true }, { head: h('m.n.col.verdict') }, { head: h('m.n.col.d1'), num: true }, { head: h('m.n.col.loss'), num: true }, { head: h('m.n.col.acc'), num: true }],
      s.runs.map((x) => [x.depth, label(x.label, lang), range(x.firstToLast), has(`term.verdict.${x.verdict}`) ? say(lang, `term.verdict.${x.verdict}` as MessageKey) : x.verdict, x.initNorms?.median?.[0], x.outcome.nonFinite ? outcomeText(x.outcome, lang) : `${fmt(x.outcome.firstLoss)} → ${fmt(x.outcome.lastLoss)}`, fmtPct(x.outcome.testAccuracy)])),
    `<div class="grid2">${figure('remedies-nr-init', esc(say(lang, 'm.n.figInit', { d: deepest })))}${figure('remedies-nr-loss', esc(say(lang, 'm.n.figLoss', { d: deepest, k: s.lossEvery })))}</div>`,
    saidMsg('Meaning', lang, 'm.n.meaning', { ln: lnNote(deep, lang) }),
  ].join('\n');
}

/** What layer normalisation did at the deepest depth, in a sentence (empty when it was not run). */
function lnNote(deep: readonly { label: string; firstToLast: ScalarStats; outcome: SeedOutcome }[], lang: Lang): string {
  const ln = deep.find((x) => x.label === 'layer norm');
  const plain = deep.find((x) => x.label === 'plain');
  if (!ln || !plain) return '';
  return say(lang, 'm.n.ln', { a: fmt(plain.firstToLast?.median), b: fmt(ln.firstToLast?.median), enough: say(lang, ln.firstToLast?.median > 1e-2 ? 'm.n.enough' : 'm.n.notEnough'), acc: fmtPct(ln.outcome.testAccuracy) });
}

function clippingPart(r: StudyResults, m: RemediesSection, charts: ChartSpec[], lang: Lang): string {
  const c = m.clipping;
  if (!c || (c.runs ?? []).length === 0) return t3(lang, 'm.c.title') + notMeasured(say(lang, 'm.c.missing'), lang);
  charts.push(lossChart('remedies-clip-loss', c.runs.map((x) => ({ label: label(x.label, lang), ys: x.loss ?? [] })), c.lossEvery, lang));
  const st4 = r.exploding?.clipping?.without?.nonFinite;
  return [
    t3(lang, 'm.c.title'),
    saidMsg('Claim', lang, 'm.c.claim'),
    said('Measured', esc(`${describedIn(c, lang)}${lang === 'en' ? '.' : '。'}${st4 ? say(lang, 'm.c.stage4', { why: nonFiniteText(st4, lang) }) : ''}`), lang),
    table([{ head: say(lang, 'm.c.col.run') }, ...c.seeds.map((s) => ({ head: say(lang, 'm.c.col.seed', { s }) })), { head: say(lang, 'm.c.col.ok') }],
      c.runs.map((x) => [label(x.label, lang), ...x.outcomes.map((o) => `${outcomeText(o, lang)}${o.clipEvents ? say(lang, 'm.c.clipped', { k: o.clipEvents }) : ''}${o.maxNormRows ? say(lang, 'm.c.rows', { k: o.maxNormRows }) : ''}`), yes(x.outcomes.every(finiteDecreasing), lang)])),
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
    saidMsg('Measured', lang, 'm.t.measured', { act: t.activation, h: H, w: t.width, init: t.init, seed: t.seed, r: fmt(isNum(init[0]) && isNum(init[H - 1]) ? init[0] / init[H - 1] : null), steps: t.steps }),
    table([{ head: say(lang, 'm.c.col.run') }, { head: say(lang, 'm.t.col.setting') }, { head: say(lang, 'm.t.col.ratio'), num: true }, { head: say(lang, 'm.t.col.update'), num: true }, { head: say(lang, 'm.n.col.loss'), num: true }, { head: say(lang, 'm.n.col.acc'), num: true }],
      t.runs.map((x) => [label(x.label, lang), what(x) + (x.pretrain ? say(lang, 'm.reconstruction', { list: x.pretrain.map((p) => `${fmt(p.lossStart)} → ${fmt(p.lossEnd)}`).slice(0, 3).join(', ') }) : ''), x.firstToLast, isNum(x.updateRatios?.[0]) && isNum(x.updateRatios?.[H - 1]) ? x.updateRatios[0] / x.updateRatios[H - 1] : null, `${fmt(x.outcome.firstLoss)} → ${fmt(x.outcome.lastLoss)}`, fmtPct(x.outcome.testAccuracy)])),
    figure('remedies-train-ratio', esc(say(lang, 'm.t.fig'))),
    said('Meaning', esc(trainingMeaning(t.runs, lang)), lang),
  ].join('\n');
}

/** Which training remedies left the baseline's plateau, in sentences computed from the runs. */
function trainingMeaning(runs: RemediesSection['training']['runs'], lang: Lang): string {
  const base = runs[0];
  const better = runs.slice(1).filter((x) => isNum(x.outcome.lastLoss) && isNum(base?.outcome.lastLoss) && x.outcome.lastLoss < base.outcome.lastLoss - 0.1);
  const same = runs.slice(1).filter((x) => !better.includes(x));
  const left = better.length
    ? say(lang, 'm.t.left', { better: listIn(lang, better.map((x) => label(x.label, lang))), base: label(base.label, lang), loss: fmt(base.outcome.lastLoss), list: better.map((x) => say(lang, 'm.t.with', { loss: fmt(x.outcome.lastLoss), label: label(x.label, lang) })).join(lang === 'en' ? ', ' : '、') })
    : say(lang, 'm.t.none', { base: label(base?.label ?? 'baseline', lang), loss: fmt(base?.outcome.lastLoss), n: runs.length });
  return `${left} ${same.length ? say(lang, 'm.t.same', { list: listIn(lang, same.map((x) => label(x.label, lang))) }) : ''}${say(lang, 'm.t.why')}`;
}

/** Section "Remedies", in `lang`. */
export function remediesSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const m = r.remedies;
  const title = say(lang, 'm.title');
  if (!m) return { id: 'remedies', title, html: notMeasured(say(lang, 'm.missing'), lang), charts: [] };
  const charts: ChartSpec[] = [];
  const f = remediesFindings(m, lang);
  const h = (k: MessageKey): string => say(lang, k);
  const html = [
    saidMsg('Claim', lang, 'm.claim'),
    f.length === 0 ? notMeasured(h('m.summaryMissing'), lang) : table([{ head: h('m.col.source') }, { head: h('m.col.claim') }, { head: h('m.col.published') }, { head: h('m.col.measured') }, { head: h('m.col.agrees') }], f.map((x) => [x.source, x.claim, x.published, x.measured, yes(x.agrees, lang)]), undefined, 'conclusions'),
    glorotPart(m, charts, lang),
    hePart(m, charts, lang),
    seluPart(m, charts, lang),
    normResidualPart(m, charts, lang),
    clippingPart(r, m, charts, lang),
    trainingPart(m, charts, lang),
  ].join('\n');
  return { id: 'remedies', title, html, charts };
}
