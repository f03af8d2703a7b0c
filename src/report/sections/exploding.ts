/**
 * Report section for study stage 4: exploding gradients — Nielsen's w = 100
 * chain, fresh networks with growing weight variance over seeds, and a
 * network whose gradient really grows toward the input, trained without a
 * remedy, with clipping and at lower learning rates, in the reader's language.
 */
import type { ClipArm, SeedOutcome, StudyResults } from '../../study/types.js';
import { color, figure, indexed, lineChart, type ChartSpec } from '../charts.js';
import { esc, fmt, fmtBand, fmtLog10, fmtPct, isNum } from '../format.js';
import { ratioBg, verdictMix } from './act-depth.js';
import { claimsBlock } from './claims.js';
import { say, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { armLabel, describedIn, verdictIn } from '../say.js';
import { bold, h3, notMeasured, saidMsg, table, type Cell, type RenderedSection } from './common.js';

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

function variancePart(r: StudyResults, lang: Lang): string {
  const v = r.exploding.variance ?? [];
  const title = h3(esc(say(lang, 'x.varTitle')));
  if (v.length === 0) return title + notMeasured(say(lang, 'x.varMissing'), lang);
  const rows = v.map((x) => [
    { text: x.activation, num: false },
    x.sigma,
    x.depth,
    { text: fmtBand(x.firstToLast), num: true, bg: ratioBg(x.firstToLast?.median, x.verdict?.kind) },
    { text: fmtLog10(x.firstToLast?.median), num: true },
    { html: `<strong>${esc(verdictMix(x.verdicts, x.seeds))}</strong>`, num: false, title: x.verdict ? verdictIn(x.verdict, lang).cause : '' },
  ]);
  return [
    title,
    saidMsg('Measured', lang, 'x.varMeasured', { n: v[0]?.seeds ?? 0 }),
    table([{ head: say(lang, 'x.col.act') }, { head: 'σ', num: true }, { head: say(lang, 'x.col.hidden'), num: true }, { head: say(lang, 'x.col.ratio'), num: true }, { head: say(lang, 'x.col.log10'), num: true }, { head: say(lang, 'x.col.verdicts') }], rows),
    saidMsg('Meaning', lang, 'x.varMeaning'),
  ].join('\n');
}

/** One seed's outcome in a few words, in `lang`. */
export function outcomeWords(o: SeedOutcome, lang: Lang = 'en'): string {
  if (o.nonFinite) return say(lang, 'x.o.nf', { step: o.nonFinite.step, where: o.nonFinite.layer === 0 ? say(lang, 'x.q.loss') : say(lang, 'x.o.layer', { l: o.nonFinite.layer }) });
  return `${fmtPct(o.testAccuracy)}${o.clipEvents ? say(lang, 'x.o.clipped', { p: fmtPct(o.clippedFraction) }) : ''}${o.maxNormRows ? say(lang, 'x.o.rows', { n: o.maxNormRows }) : ''}`;
}

/** The arms of a clipping comparison as a table, in `lang`: per seed, then how many blew up and how many trained. */
export function armsTable(arms: readonly ClipArm[], seeds: readonly number[], lang: Lang = 'en'): string {
  const rows: Cell[][] = arms.map((a) => {
    const blown = a.outcomes.filter((o) => o.nonFinite).length;
    const trained = a.outcomes.filter((o) => o.trained).length;
    return [{ html: `<strong>${esc(armLabel(a, lang))}</strong>` }, ...a.outcomes.map((o) => outcomeWords(o, lang)), { text: `${blown} / ${a.outcomes.length}`, num: true }, { text: `${trained} / ${a.outcomes.length}`, num: true }];
  });
  const h = (k: MessageKey): string => say(lang, k);
  return table([{ head: h('s.col.run') }, ...seeds.map((s) => ({ head: say(lang, 's.col.seed', { s }) })), { head: h('s.col.blewUp'), num: true }, { head: h('s.col.trained'), num: true }], rows, undefined, 'compact');
}

/** The largest finite positive value of a series, or null. */
function maxPositive(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => isNum(x) && x > 0);
  return v.length ? Math.max(...v) : null;
}

/**
 * A top for a log axis comparing runs that blow up with runs that do not:
 * when the runaway ones go more than 6 decades above the tame ones, stop 4
 * decades above the tame ones so their shapes stay visible.
 */
function cappedTop(runaway: readonly (readonly (number | null)[])[], tame: readonly (readonly (number | null)[])[]): number | undefined {
  const hi = maxPositive(runaway.flat());
  const lo = maxPositive(tame.flat());
  return hi !== null && lo !== null && hi > 1e6 * lo ? Math.pow(10, Math.ceil(Math.log10(lo)) + 4) : undefined;
}

function clippingPart(r: StudyResults, charts: ChartSpec[], lang: Lang): string {
  const c = r.exploding.clipping;
  const head = h3(esc(say(lang, 'x.clipTitle')));
  if (!c || (c.arms ?? []).length === 0) return head + notMeasured(say(lang, 'x.clipMissing'), lang);
  const blew = (a: ClipArm): boolean => a.outcomes[0]?.nonFinite != null;
  const runaway = c.arms.filter(blew);
  const tame = c.arms.filter((a) => !blew(a));
  const lossTop = cappedTop(runaway.map((a) => a.loss), tame.map((a) => a.loss));
  const gradTop = cappedTop(runaway.map((a) => a.gradNorm), tame.map((a) => a.gradNorm));
  const offTop = (top: number | undefined, key: 'loss' | 'gradNorm'): string => (top === undefined ? '' : say(lang, 'x.offTop', { v: fmt(maxPositive(runaway.flatMap((a) => a[key]))) }));
  charts.push(
    lineChart('exploding-clip-loss', c.arms.map((a, i) => ({ label: armLabel(a, lang), points: indexed(a.loss, true), color: color(i + 1) })), { x: say(lang, 'x.step'), y: say(lang, 'x.lossAxis'), logY: true, integerX: true, yMax: lossTop }),
    lineChart(
      'exploding-clip-grad',
      [
        ...c.arms.map((a, i) => ({ label: armLabel(a, lang), points: indexed(a.gradNorm, true), color: color(i + 1) })),
        ...c.arms.filter((a) => a.clipNorm !== null).map((a) => ({ label: `${say(lang, 'x.threshold')} ${fmt(a.clipNorm)}`, points: [{ x: 0, y: a.clipNorm }, { x: Math.max(a.gradNorm.length, 2) - 1, y: a.clipNorm }], color: '#444444', dashed: true, width: 1 })),
      ],
      { x: say(lang, 'x.step'), y: say(lang, 'x.gradAxis'), logY: true, integerX: true, yMax: gradTop },
    ),
  );
  const clip = c.arms.find((a) => a.clipNorm !== null);
  const fr = clip ? clip.outcomes.map((o) => o.clippedFraction) : [];
  return [
    head,
    saidMsg('Claim', lang, 'x.clipClaim'),
    saidMsg('Measured', lang, 'x.clipMeasured', {
      what: describedIn(c, lang),
      r: fmtBand(c.atInit.firstToLast),
      n: c.atInit.seeds,
      v: verdictMix(c.atInit.verdicts, c.atInit.seeds),
      chance: fmtPct(c.chance),
      k: 100 * c.margin,
      clip: clip ? say(lang, 'x.clipActed', { c: fmt(clip.clipNorm), lo: fmtPct(Math.min(...fr)), hi: fmtPct(Math.max(...fr)) }) : '',
    }),
    armsTable(c.arms, c.seeds, lang),
    `<div class="grid2">${figure('exploding-clip-loss', esc(say(lang, 'x.lossFig', { off: offTop(lossTop, 'loss') })))}${figure('exploding-clip-grad', esc(say(lang, 'x.gradFig', { off: offTop(gradTop, 'gradNorm') })))}</div>`,
    saidMsg('Meaning', lang, 'x.clipMeaning'),
    claimsBlock(r, 'exploding', lang),
  ].join('\n');
}

/** Section "Exploding gradients", in `lang`. */
export function explodingSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const charts: ChartSpec[] = [];
  const html = [saidMsg('Claim', lang, 'x.claim'), chainPart(r, lang), variancePart(r, lang), clippingPart(r, charts, lang)].join('\n');
  return { id: 'exploding', title: say(lang, 'x.title'), html, charts };
}
