/**
 * Report section for study stage 2: Nielsen's measurement of ‖δˡ‖ per hidden
 * layer at initialisation, beside the book's published values, and the
 * 500-step "speed of learning" curves.
 */
import type { NielsenNetwork, NielsenSection, StudyResults } from '../../study/types.js';
import { barChart, color, figure, indexed, layerColor, lineChart, type ChartSpec } from '../charts.js';
import { argminFinite, bandName, esc, fmt, fmtArch, fmtBand, fmtInt, fmtPct, isNum, lastFinite } from '../format.js';
import { claimsBlock } from './claims.js';
import { say, sayHtml, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { at, bold, h3, notMeasured, saidMsg, table, type Cell, type RenderedSection } from './common.js';

function inRange(pub: number | null | undefined, lo: number | null | undefined, hi: number | null | undefined, med: number | null | undefined, lang: Lang): Cell {
  if (!isNum(pub)) return { text: '', num: false };
  if (isNum(lo) && isNum(hi) && pub >= lo && pub <= hi) return { text: say(lang, 'n.yes'), num: false };
  if (!isNum(med) || med <= 0) return { text: '—', num: false };
  return { text: say(lang, 'n.no', { k: fmt(pub / med, 2) }), num: false, title: say(lang, 'n.noTitle') };
}

function networkTable(n: NielsenNetwork, lang: Lang): string {
  const hidden = n.measured.median.length;
  const rows: Cell[][] = [];
  for (let l = 0; l < hidden; l++) {
    const pub = at(n.published ?? undefined, l);
    const lo = at(n.measured.lo, l);
    const hi = at(n.measured.hi, l);
    const med = at(n.measured.median, l);
    rows.push([say(lang, 'n.hidden', { n: l + 1 }), pub ?? { text: n.published ? '—' : say(lang, 'n.notPublished'), num: true }, med, { text: `${fmt(lo)} – ${fmt(hi)}`, num: true }, inRange(pub, lo, hi, med, lang)]);
  }
  const rr = n.ratioLastFirst;
  // with one hidden layer last / first is trivially 1
  if (hidden > 1) rows.push([
    { html: `<strong>${esc(say(lang, 'n.lastFirst'))}</strong>` },
    { value: n.publishedRatio, bold: true },
    { value: rr?.median, bold: true },
    { text: `${fmt(rr?.lo)} – ${fmt(rr?.hi)}`, num: true },
    inRange(n.publishedRatio, rr?.lo, rr?.hi, rr?.median, lang),
  ]);
  const band = bandName(n.measured.seeds, lang);
  return table(
    [{ head: say(lang, 'n.col.layer') }, { head: say(lang, 'n.col.book'), num: true }, { head: say(lang, 'n.col.median'), num: true }, { head: say(lang, 'n.col.band', { band }), num: true }, { head: say(lang, 'n.col.inBand', { band }) }],
    rows,
    sayHtml(lang, 'n.tableCaption', { arch: bold(fmtArch(n.arch)), n: hidden }),
    'compact',
  );
}

function barPart(nets: readonly NielsenNetwork[], charts: ChartSpec[], lang: Lang): string {
  const labels: string[] = [];
  const book: (number | null)[] = [];
  const med: (number | null)[] = [];
  const range: (readonly [number, number] | null)[] = [];
  for (const n of nets) {
    n.measured.median.forEach((m, l) => {
      labels.push(say(lang, 'n.barLabel', { n: n.measured.median.length, l: l + 1 }));
      const p = at(n.published ?? undefined, l);
      book.push(isNum(p) && p > 0 ? p : null);
      med.push(isNum(m) && m > 0 ? m : null);
      const lo = at(n.measured.lo, l);
      const hi = at(n.measured.hi, l);
      range.push(isNum(lo) && isNum(hi) && lo > 0 && hi > 0 ? [lo, hi] : null);
    });
  }
  charts.push(
    barChart(
      'nielsen-bars',
      labels,
      [
        { label: say(lang, 'n.barBook'), data: book, color: color(1) },
        { label: say(lang, 'n.barMedian'), data: med, color: color(0) },
        { label: say(lang, 'n.barBand', { band: bandName(nets[0]?.measured.seeds, lang) }), data: range, color: color(5) },
      ],
      { y: say(lang, 'n.barAxis'), logY: true },
    ),
  );
  return figure('nielsen-bars', esc(say(lang, 'n.barFig')), 340);
}

/** A sentence on where a layer's norm bottoms out and what it does afterwards. */
function minimumSentence(series: readonly (number | null)[], argmin: number | undefined, l: number, lang: Lang): string {
  const i = isNum(argmin) ? argmin : argminFinite(series);
  const n = series.length;
  const min = at(series, i);
  const end = lastFinite(series);
  const after = i >= 0.9 * (n - 1) ? say(lang, 'n.fallsAll') : isNum(min) && isNum(end) && end > 1.2 * min ? say(lang, 'n.rebounds', { v: fmt(end) }) : say(lang, 'n.stays');
  return sayHtml(lang, 'n.minimum', { l: l + 1, i: bold(i), v: fmt(min), after });
}

function bookRemark(hidden: number, lang: Lang): string {
  if (hidden === 2) return say(lang, 'n.book2');
  if (hidden === 4) return say(lang, 'n.book4');
  return '';
}

/** The speed-of-learning summaries of every seed, in `lang`: where each layer bottoms out and how often the order holds. */
function speedTable(tr: NielsenSection['training'], lang: Lang): string {
  const rows: Cell[][] = tr.summaries.map((x) => [fmtArch(x.arch), x.seed, { text: x.argmin.join(', '), num: true }, { text: fmtPct(x.firstSlowest), num: true }, { text: fmtPct(x.fullOrder), num: true }]);
  const h = (k: MessageKey): string => say(lang, k);
  return table([{ head: h('s.col.network') }, { head: h('n.col.seed'), num: true }, { head: h('n.col.argmin'), num: true }, { head: h('n.col.firstSlowest'), num: true }, { head: h('n.col.fullOrder'), num: true }], rows, esc(h('n.speedCaption')), 'compact');
}

function speedPart(r: StudyResults, charts: ChartSpec[], lang: Lang): string {
  const tr = r.nielsen.training;
  const out = [h3(esc(say(lang, 'n.speedTitle')))];
  if (!tr || (tr.runs ?? []).length === 0) return out.concat(notMeasured(say(lang, 'n.speedMissing'), lang)).join('\n');
  out.push(saidMsg('Measured', lang, 'n.speedMeasured', { steps: tr.steps, n: fmtInt(r.nielsen.samples), eta: fmt(tr.eta), lambda: fmt(tr.lambda), seeds: (tr.seeds ?? []).join(', ') }));
  tr.runs.forEach((run, k) => {
    const H = run.norms.length;
    const id = `nielsen-speed-${k}`;
    charts.push(lineChart(id, run.norms.map((s, l) => ({ label: say(lang, 'n.hiddenLayer', { l: l + 1 }), points: indexed(s, true), color: layerColor(l, H) })), { x: say(lang, 'n.step'), y: say(lang, 'n.normAxis'), logY: true, integerX: true }));
    const sentences = run.norms.map((s, l) => minimumSentence(s, at(run.argmin, l), l, lang));
    out.push(
      `<h4>${esc(say(lang, 'n.runHead', { arch: fmtArch(run.arch), seed: run.seed }))}</h4>`,
      figure(id, esc(say(lang, 'n.runFig', { arch: fmtArch(run.arch) }))),
      `<p>${sayHtml(lang, 'n.order', { sentences: { html: sentences.join(lang === 'en' ? '; ' : '；') }, book: bookRemark(H, lang) })}</p>`,
    );
  });
  if ((tr.summaries ?? []).length > 0) out.push(speedTable(tr, lang));
  charts.push(lineChart('nielsen-loss', tr.runs.map((run, k) => ({ label: fmtArch(run.arch), points: indexed(run.loss), color: color(k) })), { x: say(lang, 'n.step'), y: say(lang, 'n.lossAxis'), integerX: true }));
  out.push(figure('nielsen-loss', esc(say(lang, 'n.lossFig')), 260));
  out.push(saidMsg('Meaning', lang, 'n.speedMeaning'));
  return out.join('\n');
}

/** The book's training recipe for the 4-hidden-layer net over seeds, in `lang`. */
function recipePart(r: StudyResults, lang: Lang): string {
  const b = r.nielsen.bookRecipe;
  const head = h3(esc(say(lang, 'n.recipeTitle')));
  if (!b || (b.perSeed ?? []).length === 0) return head + notMeasured(say(lang, 'n.recipeMissing'), lang);
  const trained = b.perSeed.filter((x) => x.trained).length;
  const epochs = (b.steps * b.batch) / b.trainSize;
  return [
    head,
    saidMsg('Claim', lang, 'n.recipeClaim', { arch: fmtArch(b.arch), eta: fmt(b.eta), batch: b.batch, acc: fmtPct(b.published) }),
    saidMsg('Measured', lang, 'n.recipeMeasured', { train: fmtInt(b.trainSize), steps: fmtInt(b.steps), epochs: fmt(epochs), test: fmtInt(b.testSize), seeds: b.seeds.join(', '), m: bold(fmtPct(b.testAccuracy.median)), lo: fmtPct(b.testAccuracy.min), hi: fmtPct(b.testAccuracy.max), chance: fmtPct(b.chance), k: 100 * b.margin, trained, n: b.perSeed.length }),
    table([{ head: say(lang, 'n.col.seed'), num: true }, { head: say(lang, 'n.col.testAcc'), num: true }, { head: say(lang, 's.col.trained') }], b.perSeed.map((x) => [x.seed, { text: fmtPct(x.testAccuracy), num: true }, say(lang, x.trained ? 'n.yes' : 'n.noPlain')]), undefined, 'compact'),
    // what the seeds say: most left the plateau, or most were still on it when the budget ran out
    trained >= b.perSeed.length / 2 ? saidMsg('Meaning', lang, 'n.recipeMeaning') : saidMsg('Meaning', lang, 'n.recipeMeaningFew', { trained, n: b.perSeed.length, share: fmtPct((b.steps * b.batch) / (30 * 50000)), acc: fmtPct(b.published) }),
  ].join('\n');
}

/** Section "Nielsen's measurement". */
export function nielsenSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const charts: ChartSpec[] = [];
  const nz = r.nielsen;
  const nets = nz.networks ?? [];
  const html: string[] = [saidMsg('Claim', lang, 'n.claim')];
  if (nets.length === 0) {
    html.push(notMeasured(say(lang, 'n.normsMissing'), lang));
  } else {
    html.push(
      saidMsg('Measured', lang, 'n.measured', { n: fmtInt(nz.samples), k: fmtInt(nz.seeds), band: bandName(nz.seeds, lang) }),
      saidMsg('Caveat', lang, 'n.caveat'),
      `<div class="grid2 tables">${nets.map((n) => networkTable(n, lang)).join('\n')}</div>`,
      barPart(nets, charts, lang),
    );
    const deep = nets[nets.length - 1];
    const multi = nets.filter((n) => n.measured.median.length > 1);
    const ratios = multi.map((n) => `${fmtBand(n.ratioLastFirst)} (${say(lang, 'n.nHidden', { n: n.measured.median.length })})`).join(lang === 'en' ? ', ' : '、');
    html.push(saidMsg('Meaning', lang, 'n.meaning', { band: bandName(nz.seeds, lang), ratios: ratios || '—', arch: fmtArch(deep.arch), k: bold(fmt(deep.ratioLastFirst?.median)), lo: fmt(deep.ratioLastFirst?.lo), hi: fmt(deep.ratioLastFirst?.hi) }));
  }
  const acc = nz.publishedAccuracy ?? [];
  if (acc.length > 0) {
    html.push(`<p class="note">${esc(say(lang, 'n.accuracy', { list: acc.map((a) => `${fmtArch(a.arch)} ${isNum(a.accuracy) ? (100 * a.accuracy).toFixed(2) : '—'} %`).join(lang === 'en' ? ', ' : '、') }))}</p>`);
  }
  html.push(speedPart(r, charts, lang), recipePart(r, lang), claimsBlock(r, 'nielsen', lang));
  return { id: 'nielsen', title: say(lang, 'n.title'), html: html.join('\n'), charts };
}
