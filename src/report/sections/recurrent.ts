/**
 * Study stage 6 as an HTML fragment with Chart.js configurations and as
 * Markdown, in the reader's language: the product of n factors
 * W_hhᵀ·diag(f′) and the LSTM's additive cell state, the solved-fraction
 * table cell × length, ‖∂ℓ/∂h_t‖ against t per cell at initialisation and
 * after training (log scale), and the clipping comparison. Reads only the
 * RecurrentSection; tolerates null where results.json stored a non-finite number.
 */
import type { CellKind } from '../../nn/rnn/types.js';
import { say, sayHtml, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { listIn } from '../../i18n/number.js';
import { color, figure, indexed, lineChart, type ChartSpec, type LineSeries } from '../charts.js';
import { esc, fmt, fmtBand, fmtPct, fmtSeconds, isNum, lastFinite, type MaybeNumber } from '../format.js';
import { describedIn, nonFiniteText, pascanuText } from '../say.js';
import { claimsBlock } from './claims.js';
import { h3, notMeasured, said, saidMsg, table, type Cell, type SectionRenderer } from './common.js';
import type { RecurrentCellRun, RecurrentClipArm, RecurrentSection } from '../../experiments/rnn/types.js';

/** The section's heading in English. */
export const RECURRENT_TITLE = say('en', 'r.title');

/** The section's anchor id. */
export const RECURRENT_ID = 'recurrent';

const cellName = (c: CellKind, lang: Lang): string => say(lang, `r.cell.${c}` as MessageKey);
const SOLVED_BG = '#cfeccf';
const CHANCE_BG = '#f6c6c1';
const PARTIAL_BG = '#fbeec1';

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The first seed's run of a cell at a length. */
function find(s: RecurrentSection, cell: CellKind, T: number): RecurrentCellRun | undefined {
  return s.runs.find((r) => r.cell === cell && r.length === T);
}

/** A cell's outcome at a length over the seeds. */
function outcomeOf(s: RecurrentSection, cell: CellKind, T: number) {
  return (s.findings.summaries ?? []).find((x) => x.cell === cell && x.length === T);
}

/** ‖∂ℓ/∂h₀‖ / ‖∂ℓ/∂h_{T−1}‖: how much of the gradient at the last step reaches the first. */
export function firstToLastInTime(norms: readonly MaybeNumber[]): number | null {
  const a = norms[0];
  const b = norms[norms.length - 1];
  return isNum(a) && isNum(b) && b > 0 ? a / b : null;
}

function baselineAt(s: RecurrentSection, T: number): MaybeNumber {
  return s.baseline.solvedFraction[s.settings.lengths.indexOf(T)];
}

function solvedBg(s: RecurrentSection, cell: CellKind, T: number): string {
  const x = outcomeOf(s, cell, T);
  const base = baselineAt(s, T);
  if (x && x.criterionMet === x.seeds && x.seeds > 0) return SOLVED_BG;
  if (!x || !isNum(x.solved.median) || (isNum(base) && x.solved.median <= base + 0.05)) return CHANCE_BG;
  return PARTIAL_BG;
}

function solvedTable(s: RecurrentSection, lang: Lang): string {
  const f = s.findings;
  const rows: Cell[][] = s.settings.cells.map((c) => [
    { html: `<strong>${esc(cellName(c, lang))}</strong>` },
    ...s.settings.lengths.map((T): Cell => {
      const x = outcomeOf(s, c, T);
      if (!x) return { text: say(lang, 'r.notRun'), num: true };
      return { text: `${fmtPct(x.solved.median)} [${fmtPct(x.solved.min)}–${fmtPct(x.solved.max)}] · ${x.criterionMet}/${x.seeds}`, num: true, bg: solvedBg(s, c, T), title: say(lang, 'r.errorsHover', { e: fmtBand(x.errors), n: f.testSize }) };
    }),
  ]);
  rows.push([{ html: `<span class="dim">${esc(say(lang, 'r.memoryless'))}</span>` }, ...s.settings.lengths.map((T): Cell => ({ text: fmtPct(baselineAt(s, T)), num: true }))]);
  return table([{ head: say(lang, 'r.col.cell') }, ...s.settings.lengths.map((T) => ({ head: `T = ${T}`, num: true }))], rows, esc(say(lang, 'r.solvedCaption', { n: f.testSize, tol: String(s.settings.tolerance), seeds: s.settings.seeds.join(', '), max: f.maxErrors })), 'grid');
}

const regime = (r: string, lang: Lang): string => say(lang, `r.regime.${r}` as MessageKey);

function detailTable(s: RecurrentSection, lang: Lang): string {
  const rows: Cell[][] = [];
  for (const T of s.settings.lengths)
    for (const c of s.settings.cells) {
      const r = find(s, c, T);
      if (!r) continue;
      rows.push([
        { text: c.toUpperCase() },
        T,
        { text: `${fmt(r.spectralNorm.init)} → ${fmt(r.spectralNorm.final)}`, num: true },
        { text: r.pascanu.init.regime === 'not-applicable' ? say(lang, 'r.gated') : `${regime(r.pascanu.init.regime, lang)} → ${regime(r.pascanu.final.regime, lang)}`, title: pascanuText(r.pascanu.init, lang) },
        firstToLastInTime(r.gradThroughTime.init),
        firstToLastInTime(r.gradThroughTime.final),
        r.initLoss,
        r.finalLoss,
        { text: fmtSeconds(r.seconds), num: true },
      ]);
    }
  const h = (k: MessageKey): string => say(lang, k);
  return table(
    [{ head: h('r.col.cell') }, { head: 'T', num: true }, { head: h('r.col.sigma'), num: true }, { head: h('r.col.pascanu') }, { head: h('r.col.ratioInit'), num: true }, { head: h('r.col.ratioTrained'), num: true }, { head: h('r.col.lossInit'), num: true }, { head: h('r.col.lossTrained'), num: true }, { head: h('r.col.wall'), num: true }],
    rows,
  );
}

function gttChart(s: RecurrentSection, cell: CellKind, lang: Lang): ChartSpec {
  const series: LineSeries[] = [];
  s.settings.lengths.forEach((T, i) => {
    const r = find(s, cell, T);
    if (!r) return;
    series.push({ label: say(lang, 'r.gttInit', { T }), points: indexed(r.gradThroughTime.init, true), color: color(i) });
    series.push({ label: say(lang, 'r.gttTrained', { T }), points: indexed(r.gradThroughTime.final, true), color: color(i), dashed: true });
  });
  return lineChart(`rnn-gtt-${cell}`, series, { x: say(lang, 'r.timeAxis'), y: say(lang, 'r.gttAxis'), logY: true, integerX: true });
}

function clipArmText(label: string, a: RecurrentClipArm, lang: Lang): string {
  if (a.nonFinite) return `<div class="callout alert"><strong>${esc(say(lang, 'r.armBad', { label, step: a.nonFinite.step, q: say(lang, `x.q.${a.nonFinite.quantity}` as MessageKey), time: a.nonFinite.time !== null ? say(lang, 'r.armTime', { t: a.nonFinite.time }) : '' }))}</strong><br>${esc(nonFiniteText(a.nonFinite, lang))}</div>`;
  return `<div class="callout ok"><strong>${esc(label)}${lang === 'en' ? ':' : '：'}</strong> ${esc(say(lang, 'r.armOk', { n: a.steps, train: fmt(lastFinite(a.loss)), test: fmt(a.finalLoss), solved: fmtPct(a.solvedFraction), k: a.clipEvents }))}</div>`;
}

function clippingPart(s: RecurrentSection, charts: ChartSpec[], lang: Lang): string {
  const c = s.clipping;
  const seeds = c.seeds ?? [];
  const blown = seeds.filter((x) => x.withoutNonFinite).length;
  const ok = seeds.filter((x) => !x.withNonFinite && x.withLossDrop).length;
  const v = c.vanishingCheck;
  const clip = fmt(c.with.clipNorm);
  charts.push(
    lineChart('rnn-clip-loss', [
      { label: say(lang, 'r.without'), points: indexed(c.without.loss, true), color: color(1), pointRadius: 2 },
      { label: say(lang, 'r.with', { c: clip }), points: indexed(c.with.loss, true), color: color(2) },
    ], { x: say(lang, 'r.step'), y: say(lang, 'r.lossAxis'), logY: true, integerX: true }),
    lineChart('rnn-clip-grad', [
      { label: say(lang, 'r.without'), points: indexed(c.without.gradNorm, true), color: color(1), pointRadius: 2 },
      { label: say(lang, 'r.withNorm', { c: clip }), points: indexed(c.with.gradNorm, true), color: color(2) },
    ], { x: say(lang, 'r.step'), y: say(lang, 'r.gradAxis'), logY: true, integerX: true }),
  );
  const g = c.gradThroughTime;
  return [
    h3(esc(say(lang, 'r.clipTitle'))),
    saidMsg('Measured', lang, 'r.clipMeasured', { desc: describedIn(c, lang), pascanu: pascanuText(c.pascanu, lang), last: fmt(g[g.length - 1]), first: fmt(g[0]), n: c.probeSeeds, ratio: fmtBand(c.gradRatioAtInit), act: v.activation, gain: String(v.gain), bound: fmt(v.bound), k: v.seeds, max: fmt(v.ratio.max) }),
    saidMsg('Measured', lang, 'r.clipSeeds', { n: seeds.length, blown, ok, fr: seeds.map((x) => fmtPct(x.withClippedFraction)) }),
    clipArmText(say(lang, 'r.withoutLabel'), c.without, lang),
    clipArmText(say(lang, 'r.withLabel', { c: clip }), c.with, lang),
    `<div class="grid2">${figure('rnn-clip-loss', esc(say(lang, 'r.lossFig')), 280)}${figure('rnn-clip-grad', esc(say(lang, 'r.gradFig')), 280)}</div>`,
    saidMsg('Meaning', lang, 'r.clipMeaning'),
  ].join('\n');
}

function verdictText(s: RecurrentSection, lang: Lang): string {
  const f = s.findings;
  const parts: string[] = [];
  const list = (ls: readonly number[] | undefined): string => (ls ?? []).join(', ');
  if ((f.lstmBeatsRnn ?? []).length > 0) parts.push(say(lang, 'r.theLstm', { T: list(f.lstmBeatsRnn) }));
  if ((f.gruBeatsRnn ?? []).length > 0) parts.push(say(lang, 'r.theGru', { T: list(f.gruBeatsRnn) }));
  if (parts.length === 0) return say(lang, 'r.noGated');
  return say(lang, 'r.gatedWins', { cells: listIn(lang, parts) });
}

/** The findings of the stage as sentences in `lang` (from its numbers). */
function summaryOf(s: RecurrentSection, lang: Lang): string[] {
  const f = s.findings;
  const out = (f.summaries ?? []).map((x) => say(lang, 'r.sum.cell', { cell: x.cell.toUpperCase(), T: x.length, m: fmtPct(x.solved.median), n: f.testSize, lo: fmtPct(x.solved.min), hi: fmtPct(x.solved.max), seeds: x.seeds, max: f.maxErrors, k: x.criterionMet }));
  for (const [c, won] of [['lstm', f.lstmBeatsRnn ?? []], ['gru', f.gruBeatsRnn ?? []]] as const) if (won.length > 0) out.push(say(lang, 'r.sum.wins', { cell: c.toUpperCase(), T: won.join(', ') }));
  return out;
}

/** The section's content without the `<section>` wrapper and heading (for the report's section renderer). */
export function renderRecurrentBody(s: RecurrentSection, lang: Lang = 'en'): { html: string; charts: ChartSpec[] } {
  const charts: ChartSpec[] = [];
  const st = s.settings;
  const longest = st.lengths[st.lengths.length - 1];
  const ratioText = st.cells
    .map((c) => {
      const r = find(s, c, longest);
      return r ? say(lang, 'r.ratioCell', { cell: c.toUpperCase(), a: fmt(firstToLastInTime(r.gradThroughTime.init)), b: fmt(firstToLastInTime(r.gradThroughTime.final)) }) : '';
    })
    .filter(Boolean)
    .join(lang === 'en' ? '; ' : '；');
  for (const c of st.cells) charts.push(gttChart(s, c, lang));
  const html = [
    saidMsg('Claim', lang, 'r.claim'),
    saidMsg('Measured', lang, 'r.measured', { tol: String(st.tolerance), H: st.hidden, steps: st.steps, lr: String(st.lr), batch: st.batch, clip: fmt(st.clipNorm), dtype: st.dtype, seeds: (st.seeds ?? []).join(', '), init: st.inputInit, fb: String(st.forgetBias), ub: String(st.updateBias), test: st.testSize, max: st.maxErrors, probe: st.probeSize, secs: fmtSeconds(s.seconds) }),
    saidMsg('Caveat', lang, 'r.caveat', { fb: String(st.forgetBias), ub: String(st.updateBias), T: longest, a: fmt(Math.pow(sigmoid(1), longest)), b: fmt(Math.pow(sigmoid(2), longest)) }),
    h3(esc(say(lang, 'r.solvedTitle'))),
    solvedTable(s, lang),
    `<ul>${summaryOf(s, lang).map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`,
    h3(esc(say(lang, 'r.gttTitle'))),
    `<div class="grid3">${st.cells.map((c) => figure(`rnn-gtt-${c}`, esc(say(lang, 'r.gttFig', { cell: cellName(c, lang) })), 300)).join('')}</div>`,
    said('Meaning', sayHtml(lang, 'r.meaning', { T: longest, ratios: ratioText, verdict: verdictText(s, lang) }), lang),
    detailTable(s, lang),
    clippingPart(s, charts, lang),
  ].join('\n');
  return { html, charts };
}

/** The whole section: `<section id="recurrent">` with its h2, the text, the tables and the charts' canvases. */
export function renderRecurrentHtml(s: RecurrentSection, lang: Lang = 'en'): { html: string; charts: { id: string; config: Record<string, unknown> }[] } {
  const body = renderRecurrentBody(s, lang);
  return { html: `<section id="${RECURRENT_ID}">\n<h2>${esc(say(lang, 'r.title'))}</h2>\n${body.html}\n</section>`, charts: body.charts.map((c) => ({ id: c.id, config: c.config })) };
}

/** The section as Markdown for summary.md, in `lang`. */
export function renderRecurrentMarkdown(s: RecurrentSection, lang: Lang = 'en'): string {
  const st = s.settings;
  const h = (k: MessageKey): string => say(lang, k);
  const head = `| ${h('r.col.cell')} | ${st.lengths.map((T) => `T = ${T}`).join(' | ')} |\n|---|${st.lengths.map(() => '---:').join('|')}|`;
  const rows = st.cells.map((c) => `| ${cellName(c, lang)} | ${st.lengths.map((T) => {
    const x = outcomeOf(s, c, T);
    return x ? say(lang, 'r.md.cell', { m: fmtPct(x.solved.median), lo: fmtPct(x.solved.min), hi: fmtPct(x.solved.max), k: x.criterionMet, n: x.seeds }) : say(lang, 'r.notRun');
  }).join(' | ')} |`);
  rows.push(`| ${h('r.memoryless')} | ${st.lengths.map((T) => fmtPct(baselineAt(s, T))).join(' | ')} |`);
  const detail = st.lengths.flatMap((T) =>
    st.cells.flatMap((c) => {
      const r = find(s, c, T);
      return r ? [`| ${c.toUpperCase()} | ${T} | ${fmt(r.spectralNorm.init)} → ${fmt(r.spectralNorm.final)} | ${regime(r.pascanu.init.regime, lang)} | ${fmt(firstToLastInTime(r.gradThroughTime.init))} | ${fmt(firstToLastInTime(r.gradThroughTime.final))} | ${fmt(r.finalLoss)} | ${fmtSeconds(r.seconds)} |`] : [];
    }),
  );
  const c = s.clipping;
  const arm = (label: string, a: RecurrentClipArm): string => (a.nonFinite ? `- ${say(lang, 'r.md.armBad', { label, step: a.nonFinite.step, why: nonFiniteText(a.nonFinite, lang) })}` : `- ${say(lang, 'r.md.armOk', { label, n: a.steps, loss: fmt(lastFinite(a.loss)), k: a.clipEvents })}`);
  return [
    `## ${h('r.title')}`,
    '',
    h('r.md.intro'),
    '',
    say(lang, 'r.md.setup', { n: st.testSize, tol: String(st.tolerance), seeds: (st.seeds ?? []).join(', '), max: st.maxErrors, H: st.hidden, steps: st.steps, lr: String(st.lr), batch: st.batch, clip: fmt(st.clipNorm), secs: fmtSeconds(s.seconds) }),
    '',
    head,
    ...rows,
    '',
    ...summaryOf(s, lang).map((x) => `- ${x}`),
    '',
    say(lang, 'r.md.firstSeed'),
    '',
    `| ${h('r.col.cell')} | T | ${h('r.col.sigma')} | ${h('r.md.pascanuInit')} | ${h('r.col.ratioInit')} | ${h('r.md.trained')} | ${h('r.md.testLoss')} | ${h('r.col.wall')} |`,
    '|---|---:|---:|---|---:|---:|---:|---:|',
    ...detail,
    '',
    say(lang, 'r.md.clipping', { desc: describedIn(c, lang), blown: (c.seeds ?? []).filter((x) => x.withoutNonFinite).length, ok: (c.seeds ?? []).filter((x) => !x.withNonFinite && x.withLossDrop).length, n: (c.seeds ?? []).length }),
    '',
    arm(say(lang, 'r.withoutLabel'), c.without),
    arm(say(lang, 'r.withLabel', { c: fmt(c.with.clipNorm) }), c.with),
    '',
  ].join('\n');
}

/** The report section of stage 6 (recurrent nets), or a note when the results predate it. */
export const recurrentSection: SectionRenderer = (r, lang = 'en') => {
  if (!r.recurrent) return { id: RECURRENT_ID, title: say(lang, 'r.title'), html: notMeasured(say(lang, 'r.missing'), lang), charts: [] };
  const body = renderRecurrentBody(r.recurrent, lang);
  return { id: RECURRENT_ID, title: say(lang, 'r.title'), html: `${body.html}\n${claimsBlock(r, RECURRENT_ID, lang)}`, charts: body.charts };
};
