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

function lossChart(run: RunRecord): ChartSpec {
  const series: LineSeries[] = [];
  if (run.steps.length > 0) series.push({ label: 'training loss (each step)', color: '#bbbbbb', points: run.steps.map((s) => ({ x: s.step, y: s.loss !== null && s.loss > 0 ? s.loss : null })), width: 1 });
  series.push({ label: 'loss on the probe batch', color: color(0), points: run.probes.map((p) => ({ x: p.step, y: isNum(p.loss) && p.loss > 0 ? p.loss : null })), pointRadius: 2 });
  // a log axis only when the loss spans more than a decade (a blow-up); else its ticks would be unlabelled
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((y): y is number => y !== null);
  const logY = ys.length > 0 && Math.max(...ys) / Math.min(...ys) > 10;
  return lineChart('run-loss', series, { x: 'training step', y: logY ? 'loss (log scale)' : 'loss', logY, integerX: true });
}

function accuracyChart(run: RunRecord): ChartSpec | null {
  const test = run.probes.some((p) => isNum(p.testAccuracy));
  const train = run.probes.some((p) => isNum(p.trainAccuracy));
  if (!test && !train) return null;
  const series: LineSeries[] = [];
  if (test) series.push({ label: 'test accuracy', color: color(2), points: run.probes.map((p) => ({ x: p.step, y: p.testAccuracy ?? null })), pointRadius: 2 });
  if (train) series.push({ label: 'training accuracy', color: color(1), points: run.probes.map((p) => ({ x: p.step, y: p.trainAccuracy ?? null })), pointRadius: 2 });
  return lineChart('run-accuracy', series, { x: 'training step', y: 'accuracy', integerX: true, yMin: 0, yMax: 1 });
}

/** The verdict strip and the list of changes. */
function verdicts(run: RunRecord): string {
  const kinds = run.probes.map((p) => p.verdict?.kind ?? 'unknown');
  const strip = run.probes.map((p, i) => `<span style="background:${VERDICT_COLOUR[kinds[i]] ?? '#ccc'}" title="step ${p.step}: ${esc(kinds[i])}"></span>`).join('');
  const changes: string[] = [];
  kinds.forEach((k, i) => {
    if (i === 0 || k !== kinds[i - 1]) changes.push(`<tr><td class="num">${run.probes[i].step}</td><td>${esc(k)}</td><td class="num">${fmt(run.probes[i].firstToLast)}</td><td>${esc(run.probes[i].verdict?.cause ?? '')}</td></tr>`);
  });
  const legend = Object.entries(VERDICT_COLOUR).map(([k, c]) => `<span style="background:${c}">${k}</span>`).join('');
  return `<p class="legend">${legend}</p><div class="verdicts">${strip}</div>
<table><caption>Where the verdict changes (first-to-last ratio ‖δ¹‖/‖δᴸ⁻¹‖: vanishing below 0.01, exploding above 100)</caption><tr><th class="num">step</th><th>verdict</th><th class="num">first-to-last</th><th>cause</th></tr>${changes.join('')}</table>`;
}

function nonFinite(run: RunRecord): string {
  const f = run.nonFinite;
  if (!f) return `<p class="callout good">No non-finite value: every loss and every gradient norm the run recorded is a finite number.</p>`;
  return `<p class="callout bad"><strong>The first non-finite value</strong> appeared at step <strong>${f.step}</strong>, ${f.layer > 0 ? `layer <strong>${f.layer}</strong>${run.layerLabels[f.layer - 1] ? ` (${esc(run.layerLabels[f.layer - 1])})` : ''}` : 'in the loss'}, in the ${esc(f.quantity)}: ${esc(f.message)}</p>`;
}

function headerOf(run: RunRecord, title: string): string {
  const s = run.summary;
  const last = run.probes[run.probes.length - 1];
  const source = s?.source ?? (s?.format === 'gradscope-run/1' || run.config ? 'gradscope train' : 'a run directory');
  const bits = [
    `source <strong>${esc(source)}</strong>`,
    `${run.probes.length} probes, steps ${run.probes[0].step}–${last.step}`,
    `${run.layerLabels.length} weight layers`,
    isNum(s?.testAccuracy) ? `test accuracy <strong>${fmtPct(s?.testAccuracy)}</strong>` : '',
    s?.stopReason ? `stopped: ${esc(s.stopReason)}` : '',
    `final verdict <strong>${esc(last.verdict?.kind ?? '—')}</strong>`,
  ].filter(Boolean);
  const monitor = s?.monitor as { every?: number; probeSamples?: number; costNote?: string } | undefined;
  return `<header><h1>${esc(title)}</h1><p class="meta">${bits.join(' · ')}</p>${monitor?.costNote ? `<p class="meta">${esc(monitor.costNote)}</p>` : ''}<p class="meta">Run directory: <code>${esc(run.dir)}</code></p></header>`;
}

/** Renders the run report; `chartJs` is Chart.js's UMD build as source text. */
export function renderRunReport(run: RunRecord, chartJs: string, title = 'gradscope — training run'): string {
  const charts: ChartSpec[] = [];
  const loss = lossChart(run);
  const acc = accuracyChart(run);
  const norms = lineChart('run-bias-norms', layerSeries(run, (l) => l.biasGradNorm, true), { x: 'training step', y: '‖∂C/∂b‖ (Nielsen\'s ‖δ‖)', logY: true, integerX: true });
  const wnorms = lineChart('run-weight-norms', layerSeries(run, (l) => l.weightGradNorm, true), { x: 'training step', y: '‖∂C/∂W‖', logY: true, integerX: true });
  const dead = lineChart('run-dead', layerSeries(run, (l) => l.deadFraction, false), { x: 'training step', y: 'dead fraction', integerX: true, yMin: 0, yMax: 1 });
  const sat = lineChart('run-saturated', layerSeries(run, (l) => l.saturatedFraction, false), { x: 'training step', y: 'saturated fraction', integerX: true, yMin: 0, yMax: 1 });
  charts.push(loss, norms, wnorms, dead, sat);
  if (acc) charts.push(acc);
  const heat = heatmapSvg({ rows: run.layerLabels, steps: run.probes.map((p) => p.step), values: run.layerLabels.map((_, i) => run.probes.map((p) => p.layers[i]?.biasGradNorm ?? null)), title: 'log10 ‖∂C/∂b‖ per layer and step' });
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
<section id="non-finite"><h2>1. Non-finite values</h2>${nonFinite(run)}</section>
<section id="loss"><h2>2. Loss and accuracy</h2>${figure('run-loss', 'Loss over the training steps: each step\'s mini-batch loss and the loss on the fixed probe batch.')}${acc ? figure('run-accuracy', 'Accuracy at each probe.', 260) : '<p>The run recorded no accuracy.</p>'}</section>
<section id="norms"><h2>3. Gradient norms per layer</h2>
<p>Nielsen's "speed of learning" of each layer, ‖∂C/∂b‖, and the weight gradient ‖∂C/∂W‖ at every probe (log scale). Layers far below the others learn that much slower; a fan of lines opening toward the input side is a vanishing gradient.</p>
${figure('run-bias-norms', 'Per-layer ‖∂C/∂b‖ over the steps (input side = layer 1).', 340)}
${figure('run-weight-norms', 'Per-layer ‖∂C/∂W‖ over the steps.', 300)}
<table><caption>First and last probe</caption><tr><th>layer</th><th class="num">‖∂C/∂b‖ first</th><th class="num">‖∂C/∂b‖ last</th><th class="num">‖∂C/∂W‖ first</th><th class="num">‖∂C/∂W‖ last</th><th class="num">dead (last)</th><th class="num">saturated (last)</th></tr>${table}</table>
</section>
<section id="heatmap"><h2>4. Layer × time</h2><p>log₁₀ ‖∂C/∂b‖ for every layer (rows, input side on top) at every probe (columns); grey: not finite or not recorded. Hover a cell for its value.</p>${heat}</section>
<section id="fractions"><h2>5. Dead and saturated units</h2><p>Dead: the fraction of a layer's units whose derivative is 0 on every example of the probe batch. Saturated: the fraction of (unit, example) pairs where |f′(z)| is below 10⁻³ of its maximum.</p>
${figure('run-dead', 'Dead fraction per layer.', 260)}${figure('run-saturated', 'Saturated fraction per layer.', 260)}</section>
<section id="verdicts"><h2>6. Verdicts over time</h2>${verdicts(run)}</section>
</main>`;
  return `<!doctype html>
<html lang="en">
${pageHead(title, REPORT_CSS + RUN_CSS)}
<body>
${headerOf(run, title)}
${body}
<footer><p>Generated by gradscope from ${esc(run.dir)}. This page is self-contained and loads nothing from the network; Chart.js (MIT licence) is included in it.</p></footer>
<script type="application/json" id="chart-specs">${jsonForScript(charts)}</script>
<script>${escapeScript(chartJs)}</script>
<script>${escapeScript(CHART_BOOTSTRAP)}</script>
</body>
</html>
`;
}
