/**
 * The report of one training run (`gradscope report RUN_DIR`): one offline
 * HTML page — loss and accuracy over the steps, every layer's gradient norm
 * over time, the layer × time heatmap, dead and saturated fractions, the
 * verdict at each probe and the first non-finite value — for gradscope's own
 * `train` runs and the TensorFlow.js monitor's alike. Reuses the study
 * report's chart builders, stylesheet and chart script. Pure.
 */
import type { RunProbe, RunRecord } from '../../interop/run-dir.js';
import { layerColor, figure, lineChart, color, type ChartSpec, type LineSeries } from '../charts.js';
import { esc, fmt, fmtPct, isNum } from '../format.js';
import { CHART_BOOTSTRAP, escapeScript, jsonForScript, pageHead } from '../html.js';
import { REPORT_CSS } from '../style.js';
import { say, sayHtml, type MessageKey } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { nonFiniteText, verdictIn } from '../say.js';
import { heatmapSvg } from './heatmap.js';

/** Colours of the verdicts. */
const VERDICT_COLOUR: Readonly<Record<string, string>> = { healthy: '#009e73', vanishing: '#0072b2', exploding: '#d55e00', dead: '#7f7f7f', saturated: '#e69f00' };

const RUN_CSS = `
.verdicts { display: flex; flex-wrap: wrap; gap: 2px; margin: 10px 0; }
.verdicts span { display: inline-block; width: 14px; height: 22px; border-radius: 2px; }
.legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 3px; color: #fff; font-size: .85rem; }
.callout.bad { border-left: 4px solid #d55e00; background: #fff4ee; padding: 8px 14px; }
.callout.good { border-left: 4px solid #009e73; background: #effaf6; padding: 8px 14px; }
svg.heatmap { max-width: 100%; height: auto; font-family: inherit; }
`;

/** One series per layer of `pick` over the probes. */
function layerSeries(run: RunRecord, pick: (l: RunProbe['layers'][number]) => number | null | undefined, logY: boolean): LineSeries[] {
  const n = run.layerLabels.length;
  return run.layerLabels.map((label, i) => ({
    label,
    color: layerColor(i, n),
    points: run.probes.map((p) => {
      const v = pick(p.layers[i] ?? { index: i + 1 });
      return { x: p.step, y: isNum(v) && Number.isFinite(v) && (!logY || v > 0) ? v : null };
    }),
    pointRadius: run.probes.length < 30 ? 2 : 0,
  }));
}

function lossChart(run: RunRecord, lang: Lang): ChartSpec {
  const series: LineSeries[] = [];
  if (run.steps.length > 0) series.push({ label: say(lang, 'rr.trainLoss'), color: '#bbbbbb', points: run.steps.map((s) => ({ x: s.step, y: s.loss !== null && s.loss > 0 ? s.loss : null })), width: 1 });
  series.push({ label: say(lang, 'rr.probeLoss'), color: color(0), points: run.probes.map((p) => ({ x: p.step, y: isNum(p.loss) && p.loss > 0 ? p.loss : null })), pointRadius: 2 });
  // a log axis only when the loss spans more than a decade (a blow-up); else its ticks would be unlabelled
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((y): y is number => y !== null);
  const logY = ys.length > 0 && Math.max(...ys) / Math.min(...ys) > 10;
  return lineChart('run-loss', series, { x: say(lang, 'rr.step'), y: say(lang, logY ? 'rr.lossLog' : 'rr.loss'), logY, integerX: true });
}

function accuracyChart(run: RunRecord, lang: Lang): ChartSpec | null {
  const test = run.probes.some((p) => isNum(p.testAccuracy));
  const train = run.probes.some((p) => isNum(p.trainAccuracy));
  if (!test && !train) return null;
  const series: LineSeries[] = [];
  if (test) series.push({ label: say(lang, 'rr.testAcc'), color: color(2), points: run.probes.map((p) => ({ x: p.step, y: p.testAccuracy ?? null })), pointRadius: 2 });
  if (train) series.push({ label: say(lang, 'rr.trainAcc'), color: color(1), points: run.probes.map((p) => ({ x: p.step, y: p.trainAccuracy ?? null })), pointRadius: 2 });
  return lineChart('run-accuracy', series, { x: say(lang, 'rr.step'), y: say(lang, 'rr.accuracy'), integerX: true, yMin: 0, yMax: 1 });
}

/** The verdict strip and the list of changes. */
function verdicts(run: RunRecord, lang: Lang): string {
  const word = (k: string): string => (k === 'unknown' ? '—' : say(lang, `term.verdict.${k}` as MessageKey));
  const kinds = run.probes.map((p) => p.verdict?.kind ?? 'unknown');
  const strip = run.probes.map((p, i) => `<span style="background:${VERDICT_COLOUR[kinds[i]] ?? '#ccc'}" title="${esc(say(lang, 'rr.stripTitle', { step: p.step, kind: word(kinds[i]) }))}"></span>`).join('');
  const changes: string[] = [];
  kinds.forEach((k, i) => {
    if (i === 0 || k !== kinds[i - 1]) changes.push(`<tr><td class="num">${run.probes[i].step}</td><td>${esc(word(k))}</td><td class="num">${fmt(run.probes[i].firstToLast)}</td><td>${esc(run.probes[i].verdict ? verdictIn(run.probes[i].verdict!, lang).cause : '')}</td></tr>`);
  });
  const legend = Object.entries(VERDICT_COLOUR).map(([k, c]) => `<span style="background:${c}">${esc(word(k))}</span>`).join('');
  return `<p class="legend">${legend}</p><div class="verdicts">${strip}</div>
<table><caption>${esc(say(lang, 'rr.changes'))}</caption><tr><th class="num">${esc(say(lang, 'rr.col.step'))}</th><th>${esc(say(lang, 'rr.col.verdict'))}</th><th class="num">${esc(say(lang, 'rr.col.ratio'))}</th><th>${esc(say(lang, 'rr.col.cause'))}</th></tr>${changes.join('')}</table>`;
}

function nonFinite(run: RunRecord, lang: Lang): string {
  const f = run.nonFinite;
  if (!f) return `<p class="callout good">${esc(say(lang, 'rr.noNonFinite'))}</p>`;
  const label = run.layerLabels[f.layer - 1] ? ` (${run.layerLabels[f.layer - 1]})` : '';
  const where = f.layer > 0 ? say(lang, 'rr.inLayer', { l: f.layer, label }) : say(lang, 'rr.inLoss');
  const q = ['activation', 'loss', 'gradient', 'weight'].includes(f.quantity) ? say(lang, `x.q.${f.quantity}` as MessageKey) : f.quantity;
  return `<p class="callout bad">${sayHtml(lang, 'rr.nonFinite', { step: { html: `<strong>${f.step}</strong>` }, where, q, why: nonFiniteText(f, lang) })}</p>`;
}

function headerOf(run: RunRecord, title: string, lang: Lang): string {
  const s = run.summary;
  const last = run.probes[run.probes.length - 1];
  const source = s?.source ?? (s?.format === 'gradscope-run/1' || run.config ? 'gradscope train' : say(lang, 'rr.runDir'));
  const b = (v: string): { html: string } => ({ html: `<strong>${esc(v)}</strong>` });
  const stop = s?.stopReason ? (['max_steps', 'grad_tol', 'target_loss', 'non_finite', 'stopped'].includes(s.stopReason) ? say(lang, `cli.train.stop.${s.stopReason}` as MessageKey) : s.stopReason) : '';
  const bits = [
    sayHtml(lang, 'rr.source', { s: b(source) }),
    esc(say(lang, 'rr.probes', { n: run.probes.length, a: run.probes[0].step, b: last.step })),
    esc(say(lang, 'rr.layers', { n: run.layerLabels.length })),
    isNum(s?.testAccuracy) ? sayHtml(lang, 'rr.test', { acc: b(fmtPct(s?.testAccuracy)) }) : '',
    stop ? esc(say(lang, 'rr.stopped', { why: stop })) : '',
    sayHtml(lang, 'rr.final', { kind: b(last.verdict?.kind ? say(lang, `term.verdict.${last.verdict.kind}` as MessageKey) : '—') }),
  ].filter(Boolean);
  const monitor = s?.monitor as { every?: number; probeSamples?: number; costNote?: string } | undefined;
  return `<header><h1>${esc(title)}</h1><p class="meta">${bits.join(' · ')}</p>${monitor?.costNote ? `<p class="meta">${esc(monitor.costNote)}</p>` : ''}<p class="meta">${esc(say(lang, 'rr.dir'))} <code>${esc(run.dir)}</code></p></header>`;
}

/** Renders the run report; `chartJs` is Chart.js's UMD build as source text. */
export function renderRunReport(run: RunRecord, chartJs: string, title?: string, lang: Lang = 'en'): string {
  const pageTitle = title ?? say(lang, 'rr.title');
  const T = (k: MessageKey): string => esc(say(lang, k));
  const step = say(lang, 'rr.step');
  const charts: ChartSpec[] = [];
  const loss = lossChart(run, lang);
  const acc = accuracyChart(run, lang);
  const norms = lineChart('run-bias-norms', layerSeries(run, (l) => l.biasGradNorm, true), { x: step, y: say(lang, 'rr.normAxis'), logY: true, integerX: true });
  const wnorms = lineChart('run-weight-norms', layerSeries(run, (l) => l.weightGradNorm, true), { x: step, y: '‖∂C/∂W‖', logY: true, integerX: true });
  const dead = lineChart('run-dead', layerSeries(run, (l) => l.deadFraction, false), { x: step, y: say(lang, 'rr.deadAxis'), integerX: true, yMin: 0, yMax: 1 });
  const sat = lineChart('run-saturated', layerSeries(run, (l) => l.saturatedFraction, false), { x: step, y: say(lang, 'rr.satAxis'), integerX: true, yMin: 0, yMax: 1 });
  charts.push(loss, norms, wnorms, dead, sat);
  if (acc) charts.push(acc);
  const heat = heatmapSvg({ rows: run.layerLabels, steps: run.probes.map((p) => p.step), values: run.layerLabels.map((_, i) => run.probes.map((p) => p.layers[i]?.biasGradNorm ?? null)), title: say(lang, 'rr.heatTitle') });
  const first = run.probes[0];
  const last = run.probes[run.probes.length - 1];
  const table = run.layerLabels
    .map((label, i) => {
      const a = first.layers[i];
      const b = last.layers[i];
      return `<tr><td>${esc(label)}</td><td class="num">${fmt(a?.biasGradNorm)}</td><td class="num">${fmt(b?.biasGradNorm)}</td><td class="num">${fmt(a?.weightGradNorm)}</td><td class="num">${fmt(b?.weightGradNorm)}</td><td class="num">${fmtPct(b?.deadFraction)}</td><td class="num">${fmtPct(b?.saturatedFraction)}</td></tr>`;
    })
    .join('');
  const body = `<main>
<section id="non-finite"><h2>1. ${T('rr.h.nonFinite')}</h2>${nonFinite(run, lang)}</section>
<section id="loss"><h2>2. ${T('rr.h.loss')}</h2>${figure('run-loss', T('rr.lossFig'))}${acc ? figure('run-accuracy', T('rr.accFig'), 260) : `<p>${T('rr.noAcc')}</p>`}</section>
<section id="norms"><h2>3. ${T('rr.h.norms')}</h2>
<p>${T('rr.normsText')}</p>
${figure('run-bias-norms', T('rr.biasFig'), 340)}
${figure('run-weight-norms', T('rr.weightFig'), 300)}
<table><caption>${T('rr.firstLast')}</caption><tr><th>${T('rr.col.layer')}</th><th class="num">${T('rr.col.bFirst')}</th><th class="num">${T('rr.col.bLast')}</th><th class="num">${T('rr.col.wFirst')}</th><th class="num">${T('rr.col.wLast')}</th><th class="num">${T('rr.col.dead')}</th><th class="num">${T('rr.col.sat')}</th></tr>${table}</table>
</section>
<section id="heatmap"><h2>4. ${T('rr.h.heat')}</h2><p>${T('rr.heatText')}</p>${heat}</section>
<section id="fractions"><h2>5. ${T('rr.h.fractions')}</h2><p>${T('rr.fractionsText')}</p>
${figure('run-dead', T('rr.deadFig'), 260)}${figure('run-saturated', T('rr.satFig'), 260)}</section>
<section id="verdicts"><h2>6. ${T('rr.h.verdicts')}</h2>${verdicts(run, lang)}</section>
</main>`;
  return `<!doctype html>
<html lang="${lang}">
${pageHead(pageTitle, REPORT_CSS + RUN_CSS)}
<body>
${headerOf(run, pageTitle, lang)}
${body}
<footer><p>${esc(say(lang, 'rr.footer', { dir: run.dir }))}</p></footer>
<script type="application/json" id="chart-specs">${jsonForScript(charts)}</script>
<script>${escapeScript(chartJs)}</script>
<script>${escapeScript(CHART_BOOTSTRAP)}</script>
</body>
</html>
`;
}
