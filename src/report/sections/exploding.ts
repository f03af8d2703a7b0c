/**
 * Report section for study stage 4: exploding gradients — Nielsen's w = 100
 * chain, fresh networks with growing weight variance, and a diverging
 * training run without and with gradient clipping.
 */
import type { NonFinite, StudyResults } from '../../experiments/study/types.js';
import { color, figure, indexed, lineChart, type ChartSpec } from '../charts.js';
import { esc, fmt, fmtLog10, isNum, lastFinite } from '../format.js';
import { ratioBg } from './act-depth.js';
import { say, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { describedIn, nonFiniteText, verdictIn } from '../say.js';
import { bold, h3, notMeasured, said, saidMsg, table, type RenderedSection } from './common.js';

function chainPart(r: StudyResults, lang: Lang): string {
  const c = r.exploding.chain;
  const title = h3(esc(say(lang, 'x.chainTitle')));
  if (!c || (c.depths ?? []).length === 0) return title + notMeasured(say(lang, 'x.chainMissing'), lang);
  const rows = c.depths.map((d, i) => {
    const prev = i > 0 ? c.product[i - 1] : null;
    return [d, c.product[i], isNum(prev) && prev !== 0 && isNum(c.product[i]) ? c.product[i] / prev : null];
  });
  // The study's chain counts σ′(z₁) alone as the first factor (b₁ reaches z₁ with no weight in
  // front), which makes the product 25^(depth−1)/4; say which convention the numbers follow.
  const p1 = c.product[0];
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  const conv = !isNum(p1) || !isNum(c.factor) || !isNum(c.w) ? '' : close(p1, c.factor) ? say(lang, 'x.convPower', { f: fmt(c.factor) }) : close(p1, c.factor / c.w) ? say(lang, 'x.convFirst', { f: fmt(c.factor), w: fmt(c.w) }) : '';
  return [
    title,
    saidMsg('Measured', lang, 'x.chainMeasured', { w: fmt(c.w), f: bold(fmt(c.factor)), conv }),
    table([{ head: say(lang, 'x.col.depth'), num: true }, { head: say(lang, 'x.col.product'), num: true }, { head: say(lang, 'x.col.per'), num: true }], rows),
    saidMsg('Meaning', lang, 'x.chainMeaning', { d: c.depths[c.depths.length - 1], p: fmt(c.product[c.product.length - 1]) }),
  ].join('\n');
}

const kindWord = (k: string | undefined, lang: Lang): string => (k ? say(lang, `term.verdict.${k}` as MessageKey) : '—');

function variancePart(r: StudyResults, lang: Lang): string {
  const v = r.exploding.variance ?? [];
  const title = h3(esc(say(lang, 'x.varTitle')));
  if (v.length === 0) return title + notMeasured(say(lang, 'x.varMissing'), lang);
  const rows = v.map((x) => [
    { text: x.activation, num: false },
    x.sigma,
    x.depth,
    { value: x.firstToLast, bg: ratioBg(x.firstToLast, x.verdict?.kind) },
    { text: fmtLog10(x.firstToLast), num: true },
    { html: `<strong>${esc(kindWord(x.verdict?.kind, lang))}</strong>`, num: false, title: x.verdict ? verdictIn(x.verdict, lang).cause : '' },
  ]);
  const acts = [...new Set(v.map((x) => x.activation))];
  const sep = lang === 'en' ? ', ' : '、';
  const summary = acts.map((a) => `<strong>${esc(a)}</strong>${lang === 'en' ? ': ' : '：'}${v.filter((x) => x.activation === a).map((x) => `σ = ${esc(fmt(x.sigma))} ${esc(kindWord(x.verdict?.kind, lang))}`).join(sep)}`).join(lang === 'en' ? '; ' : '；');
  return [
    title,
    saidMsg('Measured', lang, 'x.varMeasured'),
    table([{ head: say(lang, 'x.col.act') }, { head: 'σ', num: true }, { head: say(lang, 'x.col.hidden'), num: true }, { head: say(lang, 'x.col.ratio'), num: true }, { head: 'log10', num: true }, { head: say(lang, 'x.col.verdict') }], rows),
    `<p>${summary}${lang === 'en' ? '.' : '。'}</p>`,
    saidMsg('Meaning', lang, 'x.varMeaning'),
  ].join('\n');
}

function findingHtml(label: string, f: NonFinite | null | undefined, okText: string, lang: Lang): string {
  if (!f) return `<div class="callout ok"><strong>${esc(label)}${lang === 'en' ? ':' : '：'}</strong> ${esc(okText)}</div>`;
  const where = f.layer === 0 ? say(lang, 'x.inLoss') : say(lang, 'x.inLayer', { l: f.layer });
  return `<div class="callout alert"><strong>${esc(say(lang, 'x.first', { label, step: f.step, where, q: say(lang, `x.q.${f.quantity}` as MessageKey) }))}</strong><br>${esc(nonFiniteText(f, lang))}</div>`;
}

/** The largest finite positive value of a series, or null. */
function maxPositive(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => isNum(x) && x > 0);
  return v.length ? Math.max(...v) : null;
}

/**
 * A top for a log axis comparing a runaway series with a tame one: when the
 * runaway goes more than 6 decades above the tame one, stop 4 decades above
 * the tame one so its shape stays visible (the runaway leaves the plot).
 */
function cappedTop(runaway: readonly (number | null)[], tame: readonly (number | null)[]): number | undefined {
  const hi = maxPositive(runaway);
  const lo = maxPositive(tame);
  return hi !== null && lo !== null && hi > 1e6 * lo ? Math.pow(10, Math.ceil(Math.log10(lo)) + 4) : undefined;
}

function clippingPart(r: StudyResults, charts: ChartSpec[], lang: Lang): string {
  const c = r.exploding.clipping;
  const head = h3(esc(say(lang, 'x.clipTitle')));
  if (!c || ((c.without?.loss ?? []).length === 0 && (c.with?.loss ?? []).length === 0)) return head + notMeasured(say(lang, 'x.clipMissing'), lang);
  const lossTop = cappedTop(c.without.loss, c.with.loss);
  const gradTop = cappedTop(c.without.gradNorm, c.with.gradNorm);
  const offTop = (top: number | undefined, xs: readonly (number | null)[]) => (top === undefined ? '' : say(lang, 'x.offTop', { v: fmt(maxPositive(xs)) }));
  charts.push(
    lineChart(
      'exploding-clip-loss',
      [
        { label: say(lang, 'x.without'), points: indexed(c.without.loss, true), color: color(1) },
        { label: say(lang, 'x.withAt', { c: fmt(c.clipNorm) }), points: indexed(c.with.loss, true), color: color(2) },
      ],
      { x: say(lang, 'x.step'), y: say(lang, 'x.lossAxis'), logY: true, integerX: true, yMax: lossTop },
    ),
    lineChart(
      'exploding-clip-grad',
      [
        { label: say(lang, 'x.without'), points: indexed(c.without.gradNorm, true), color: color(1) },
        { label: say(lang, 'x.withNorm'), points: indexed(c.with.gradNorm, true), color: color(2) },
        { label: say(lang, 'x.threshold'), points: [{ x: 0, y: c.clipNorm }, { x: Math.max(c.with.gradNorm.length, c.without.gradNorm.length, 2) - 1, y: c.clipNorm }], color: '#444444', dashed: true, width: 1 },
      ],
      { x: say(lang, 'x.step'), y: say(lang, 'x.gradAxis'), logY: true, integerX: true, yMax: gradTop },
    ),
  );
  const steps = c.with.loss.length;
  return [
    head,
    saidMsg('Claim', lang, 'x.clipClaim'),
    said('Measured', esc(describedIn(c, lang)), lang),
    findingHtml(say(lang, 'x.withoutLabel'), c.without.nonFinite, say(lang, 'x.okWithout', { n: c.without.loss.length, loss: fmt(lastFinite(c.without.loss)) }), lang),
    findingHtml(say(lang, 'x.withLabel', { c: fmt(c.clipNorm) }), c.with.nonFinite, say(lang, 'x.okWith', { n: steps, loss: fmt(lastFinite(c.with.loss)), k: c.with.clipEvents }), lang),
    `<div class="grid2">${figure('exploding-clip-loss', esc(say(lang, 'x.lossFig', { off: offTop(lossTop, c.without.loss) })))}${figure('exploding-clip-grad', esc(say(lang, 'x.gradFig', { off: offTop(gradTop, c.without.gradNorm) })))}</div>`,
    saidMsg('Meaning', lang, 'x.clipMeaning'),
  ].join('\n');
}

/** Section "Exploding gradients", in `lang`. */
export function explodingSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const charts: ChartSpec[] = [];
  const html = [saidMsg('Claim', lang, 'x.claim'), chainPart(r, lang), variancePart(r, lang), clippingPart(r, charts, lang)].join('\n');
  return { id: 'exploding', title: say(lang, 'x.title'), html, charts };
}
