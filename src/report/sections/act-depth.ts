/**
 * Report section for study stage 3: activation × depth — at initialisation
 * over many seeds, the first-to-last gradient ratio as a coloured grid with
 * how often each verdict came up, and the last hidden layer's input
 * correlation; trained, the learning rate each cell chose on the validation
 * split and the test accuracy there over seeds, compared seed by seed with
 * the best activation; the per-layer norms of the deepest networks; and the
 * gain of He's initialiser for the activations that borrow it.
 */
import type { ActDepthCell, StudyResults } from '../../study/types.js';
import { color, figure, lineChart, indexed, type ChartSpec } from '../charts.js';
import { esc, fmt, fmtBand, fmtInt, fmtLog10, fmtPct, isNum, verdictLetter, type MaybeNumber } from '../format.js';
import { say, sayHtml, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { listIn } from '../../i18n/number.js';
import { nonFiniteText, verdictIn } from '../say.js';
import { claimsBlock } from './claims.js';
import { bold, h3, notMeasured, saidMsg, table, type Cell, type RenderedSection } from './common.js';

/** Cell colours of the ratio grid (the verdict's thresholds: vanishing below 1e-2, exploding above 1e2). */
export const VERDICT_BG = { vanishing: '#f6c6c1', exploding: '#fbd59b', fine: '#cfeccf', unknown: '#e6e6e6' } as const;

/** The background of a first-to-last cell: red below 1e-2, orange above 1e2 (or non-finite), green otherwise. */
export function ratioBg(ratio: MaybeNumber, verdictKind?: string): string {
  if (ratio === Infinity || (!isNum(ratio) && verdictKind === 'exploding')) return VERDICT_BG.exploding;
  if (isNum(ratio)) return ratio < 1e-2 ? VERDICT_BG.vanishing : ratio > 1e2 ? VERDICT_BG.exploding : VERDICT_BG.fine;
  return VERDICT_BG.unknown;
}

/** The verdicts of a cell's seeds as letters with shares, most common first: "V 52 % · ok 48 %" (or one letter when unanimous). */
export function verdictMix(verdicts: Readonly<Record<string, number>> | undefined, seeds: number): string {
  const e = Object.entries(verdicts ?? {}).sort((a, b) => b[1] - a[1]);
  if (e.length === 0) return '?';
  if (e.length === 1) return verdictLetter(e[0][0]);
  return e.map(([k, n]) => `${verdictLetter(k)} ${Math.round((100 * n) / Math.max(1, seeds))} %`).join(' · ');
}

const kindWord = (kind: string | undefined, lang: Lang): string => (kind ? say(lang, `term.verdict.${kind}` as MessageKey) : say(lang, 'ad.noVerdict'));

function hover(c: ActDepthCell, lang: Lang): string {
  const v = c.atInit.verdict;
  const said = v ? verdictIn(v, lang) : null;
  const parts = [say(lang, 'ad.hover', { act: c.activation, depth: c.depth, init: c.init, kind: kindWord(v?.kind, lang) }), said?.cause ?? ''];
  if (said?.remedies.length) parts.push(say(lang, 'ad.remedy', { r: said.remedies[0] }));
  return parts.filter(Boolean).join(' ');
}

function grid(r: StudyResults, cell: (c: ActDepthCell) => Cell, lang: Lang): string {
  const s = r.activationDepth;
  const find = (a: string, d: number) => s.cells.find((x) => x.activation === a && x.depth === d);
  const rows = s.activations.map((a) => [{ html: `<strong>${esc(a)}</strong> <span class="dim">${esc(s.inits?.[a] ?? '')}${s.initDerived?.[a] === false ? '*' : ''}</span>` } as Cell, ...s.depths.map((d) => {
    const c = find(a, d);
    return c ? cell(c) : ({ text: say(lang, 'ad.notRun'), num: true } as Cell);
  })]);
  return table([{ head: say(lang, 'ad.col.act') }, ...s.depths.map((d) => ({ head: say(lang, 'ad.col.depth', { d }), num: true }))], rows, undefined, 'grid');
}

/** The activations the seeds cannot tell from the best at `depth` (the best first). */
function topGroup(r: StudyResults, depth: number): string[] {
  const s = r.activationDepth;
  const vs = s.versusBest.filter((v) => v.depth === depth);
  const best = vs[0]?.b ?? s.cells.filter((c) => c.depth === depth && c.training).sort((a, b) => b.training!.testAccuracy.median - a.training!.testAccuracy.median)[0]?.activation;
  return best ? [best, ...vs.filter((v) => !v.paired.separated).map((v) => v.a)] : [];
}

function selectionTable(r: StudyResults, lang: Lang): string {
  const s = r.activationDepth;
  const rows: Cell[][] = s.cells.filter((c) => c.training).map((c) => [
    c.activation,
    c.depth,
    ...c.training!.selection.map((x): Cell => ({ text: `${fmtPct(x.validation.median)}${x.diverged ? say(lang, 'ad.blewUp', { n: x.diverged }) : ''}`, num: true, bold: x.lr === c.training!.chosenLr })),
    c.training!.chosenLr,
  ]);
  const h = (k: MessageKey): string => say(lang, k);
  return table([{ head: h('s.col.activation') }, { head: h('ad.col.hidden'), num: true }, ...s.lrs.map((lr) => ({ head: `η = ${lr}`, num: true })), { head: h('ad.col.chosen'), num: true }], rows, esc(say(lang, 'ad.selCaption', { seeds: s.selectionSeeds.join(', '), n: fmtInt(s.validationSize) })), 'compact');
}

function versusTable(r: StudyResults, depth: number, lang: Lang): string {
  const s = r.activationDepth;
  const vs = s.versusBest.filter((v) => v.depth === depth);
  if (vs.length === 0) return '';
  const best = vs[0].b;
  const rows: Cell[][] = vs.map((v) => {
    const p = v.paired;
    const word = !p.separated ? say(lang, 'cl.agree.indistinguishable') : p.hi < 0 ? say(lang, 'ad.losesTo', { b: best }) : say(lang, 'ad.beats', { b: best });
    return [v.a, { text: `${fmt(100 * p.median)} [${fmt(100 * p.lo)} – ${fmt(100 * p.hi)}]`, num: true }, { text: `${p.wins} / ${p.losses} / ${p.ties}`, num: true }, { text: fmt(p.p), num: true }, word];
  });
  const h = (k: MessageKey): string => say(lang, k);
  return [
    h3(esc(say(lang, 'ad.vsTitle', { d: depth }))),
    saidMsg('Measured', lang, 'ad.vsMeasured', { b: best, n: s.seeds.length }),
    table([{ head: h('s.col.activation') }, { head: say(lang, 'ad.col.minus', { b: best }), num: true }, { head: h('ad.col.wlt'), num: true }, { head: h('ad.col.sign'), num: true }, { head: h('x.col.verdict') }], rows, undefined, 'compact'),
  ].join('\n');
}

function gainPart(r: StudyResults, lang: Lang): string {
  const g = r.activationDepth.gain;
  const head = h3(esc(say(lang, 'ad.gainTitle')));
  if (!g || (g.runs ?? []).length === 0) return head + notMeasured(say(lang, 'ad.gainMissing'), lang);
  const acts = [...new Set(g.runs.map((x) => x.activation))];
  const rows: Cell[][] = acts.map((a) => [
    { html: `<strong>${esc(a)}</strong>` },
    ...g.gains.map((gain): Cell => {
      const x = g.runs.find((y) => y.activation === a && y.gain === gain);
      return x ? { text: `${fmtBand(x.firstToLast)}${x.vanishing ? ` · V ${Math.round((100 * x.vanishing) / g.seeds)} %` : ''}`, num: true, bg: ratioBg(x.firstToLast.median) } : { text: '—', num: true };
    }),
  ]);
  return [
    head,
    saidMsg('Claim', lang, 'ad.gainClaim'),
    saidMsg('Measured', lang, 'ad.gainMeasured', { d: g.depth, n: g.seeds }),
    table([{ head: say(lang, 's.col.activation') }, ...g.gains.map((x) => ({ head: `g = ${x}${x === 2 ? ' (He)' : ''}`, num: true }))], rows, undefined, 'compact'),
    saidMsg('Meaning', lang, 'ad.gainMeaning'),
  ].join('\n');
}

/** Section "Activation × depth", in `lang`. */
export function actDepthSection(r: StudyResults, lang: Lang = 'en'): RenderedSection {
  const s = r.activationDepth;
  const charts: ChartSpec[] = [];
  const title = say(lang, 'ad.title');
  const out: string[] = [saidMsg('Claim', lang, 'ad.claim')];
  if ((s.cells ?? []).length === 0 || (s.activations ?? []).length === 0 || (s.depths ?? []).length === 0) {
    out.push(notMeasured(say(lang, 'ad.missing'), lang));
    return { id: 'activation-depth', title, html: out.join('\n'), charts };
  }
  const inits = s.activations.map((a) => `${a} → ${s.inits?.[a] ?? '?'}${s.initDerived?.[a] === false ? '*' : ''}`).join(lang === 'en' ? ', ' : '、');
  const deepest = Math.max(...s.depths);
  const swatch = (bg: string): { html: string } => ({ html: `<span class="swatch" style="background:${bg}"></span>` });
  out.push(
    saidMsg('Measured', lang, 'ad.measured', { inits, depths: listIn(lang, s.depths), width: s.width, n: fmtInt(s.initSeeds), probe: fmtInt(s.probeExamples) }),
    h3(esc(say(lang, 'ad.gridTitle'))),
    grid(r, (c) => ({ html: `${esc(fmtLog10(c.atInit.firstToLast.median))} <span class="verdict">${esc(verdictMix(c.atInit.verdicts, c.atInit.seeds))}</span>`, num: true, title: `${hover(c, lang)} ${say(lang, 'ad.bandHover', { n: c.atInit.seeds, band: fmtBand(c.atInit.firstToLast) })}`, bg: ratioBg(c.atInit.firstToLast.median, c.atInit.verdict?.kind) }), lang),
    `<p class="legend">${sayHtml(lang, 'ad.legend', { n: fmtInt(s.initSeeds), v: swatch(VERDICT_BG.vanishing), e: swatch(VERDICT_BG.exploding), f: swatch(VERDICT_BG.fine) })}</p>`,
    h3(esc(say(lang, 'ad.corrTitle'))),
    grid(r, (c) => ({ text: `${fmtBand(c.atInit.inputCorrelation, (x) => (isNum(x) ? x.toFixed(4) : '—'))}${c.atInit.findings?.collapsed ? ` · C ${Math.round((100 * c.atInit.findings.collapsed) / c.atInit.seeds)} %` : ''}`, num: true, bg: c.atInit.inputCorrelation.median >= 0.999 ? VERDICT_BG.vanishing : undefined }), lang),
    `<p class="legend">${esc(say(lang, 'ad.corrLegend'))}</p>`,
  );
  const trained = s.cells.filter((c) => c.training);
  if (trained.length > 0) {
    out.push(
      h3(esc(say(lang, 'ad.accTitle'))),
      saidMsg('Measured', lang, 'ad.accMeasured', { lrs: s.lrs.join(', '), opt: s.optimizer, batch: s.batch, steps: s.steps, loss: s.loss, sel: s.selectionSeeds.join(', '), train: fmtInt(s.trainSize), val: fmtInt(s.validationSize), test: fmtInt(s.testSize), seeds: s.seeds.join(', '), chance: fmtPct(s.chance), k: 100 * s.margin }),
      grid(r, (c) => {
        const t = c.training;
        if (!t) return { text: say(lang, 's.notTrained'), num: true };
        const top = topGroup(r, c.depth).includes(c.activation);
        return { text: `${fmtPct(t.testAccuracy.median)} [${fmtPct(t.testAccuracy.min)}–${fmtPct(t.testAccuracy.max)}] η ${t.chosenLr} · ${t.trainedSeeds}/${t.runs.length}`, num: true, bold: top, title: t.runs.map((x) => say(lang, 'ad.seedHover', { s: x.seed, v: x.nonFinite ? nonFiniteText({ message: x.nonFinite, said: x.nonFiniteSaid }, lang) : fmtPct(x.testAccuracy) })).join(lang === 'en' ? '; ' : '；') };
      }, lang),
      `<p class="legend">${esc(say(lang, 'ad.accLegend'))}</p>`,
      selectionTable(r, lang),
      versusTable(r, deepest, lang),
    );
  }
  const deepCells = s.cells.filter((c) => c.depth === deepest);
  if (deepCells.length > 0) {
    charts.push(lineChart('actdepth-init', deepCells.map((c, i) => ({ label: c.activation, points: indexed(c.atInit.initNorms?.median ?? [], true, 1), color: color(i), pointRadius: 2 })), { x: say(lang, 'ad.layerAxis'), y: say(lang, 'ad.initAxis'), logY: true, integerX: true }));
    out.push(h3(esc(say(lang, 'ad.initTitle', { d: deepest }))), figure('actdepth-init', esc(say(lang, 'ad.initFig', { d: deepest, n: fmtInt(s.initSeeds) })), 360));
    const few = ['sigmoid', 'tanh', 'relu'].map((a) => deepCells.find((c) => c.activation === a && (c.training?.normsEnd ?? []).length > 0)).filter((c): c is ActDepthCell => c !== undefined);
    if (few.length > 0) {
      charts.push(lineChart('actdepth-trained', few.flatMap((c, i) => [
        { label: say(lang, 'ad.atInit', { act: c.activation }), points: indexed(c.training!.normsInit, true, 1), color: color(i) },
        { label: say(lang, 'ad.trained', { act: c.activation }), points: indexed(c.training!.normsEnd, true, 1), color: color(i), dashed: true },
      ]), { x: say(lang, 'ad.layerShort'), y: say(lang, 'ad.logAxis'), logY: true, integerX: true }));
      out.push(figure('actdepth-trained', esc(say(lang, 'ad.trainedFig', { d: deepest })), 320));
    }
  }
  out.push(gainPart(r, lang));
  const mixText = deepCells
    .map((c) => {
      const v = c.atInit.verdicts ?? {};
      const n = c.atInit.seeds;
      const main = Object.entries(v).sort((a, b) => b[1] - a[1]);
      return main.length > 1 ? `${c.activation} ${main.map(([k, m]) => say(lang, 'ad.onSeeds', { kind: kindWord(k, lang), m, n })).join(lang === 'en' ? ', ' : '、')}` : `${c.activation} ${main[0] ? kindWord(main[0][0], lang) : '—'}`;
    })
    .join(lang === 'en' ? '; ' : '；');
  const group = topGroup(r, deepest);
  const best = group.length ? say(lang, 'ad.bestIs', { act: group[0], rest: group.length > 1 ? say(lang, 'ad.bestSame', { list: listIn(lang, group.slice(1)) }) : say(lang, 'c.e.bestAlone') }) : '';
  out.push(saidMsg('Meaning', lang, 'ad.meaning', { d: deepest, verdicts: mixText, best: bold(best) }), claimsBlock(r, 'activation-depth', lang));
  return { id: 'activation-depth', title, html: out.join('\n'), charts };
}
