/**
 * The charts of the "Order and chaos" section: the phase diagram (measured
 * cells over the predicted χ₁ = 1 line), correlations per layer, gradient
 * decay per layer, the trainability map under 6 ξ_c, and the Jacobian
 * spectra — as plain Chart.js configurations.
 */
import type { IsometryRun, OrderChaosSection } from '../../study/order-chaos-types.js';
import { color, indexed, lineChart, withAlpha, type ChartSpec, type LineSeries } from '../charts.js';
import { isNum } from '../format.js';
import { say } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';

const LABEL_WORDS: Readonly<Record<string, string>> = { ordered: '有序', critical: '臨界', chaotic: '混沌', orthogonal: '正交', gaussian: '高斯', Gaussian: '高斯' };

/** A configuration's label in `lang`: its words (ordered, critical, orthogonal, …) in Chinese, its names as they are. */
export function ocLabel(label: string, lang: Lang): string {
  return lang === 'en' ? label : label.split(/(\w+)/).map((w) => LABEL_WORDS[w] ?? w).join('').replace(/, /g, '，');
}

/** One dataset of a scatter chart: points, optionally joined. */
interface ScatterSeries {
  readonly label: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly color: string;
  readonly radius?: number;
  readonly line?: boolean;
  readonly dashed?: boolean;
  readonly style?: 'circle' | 'crossRot' | 'rect' | 'triangle';
}

/** A scatter chart on numeric axes (log where asked). */
function scatterChart(id: string, series: readonly ScatterSeries[], o: { x: string; y: string; logX?: boolean; logY?: boolean; yMin?: number }): ChartSpec {
  return {
    id,
    config: {
      type: 'scatter',
      data: {
        datasets: series.map((s) => ({
          label: s.label,
          data: s.points.filter((p) => isNum(p.x) && isNum(p.y) && (!o.logY || p.y > 0) && (!o.logX || p.x > 0)).map((p) => ({ x: p.x, y: p.y })),
          borderColor: s.color,
          backgroundColor: s.line ? s.color : withAlpha(s.color, 0.8),
          pointRadius: s.radius ?? 5,
          pointStyle: s.style ?? 'circle',
          showLine: s.line ?? false,
          borderWidth: s.line ? 2 : 1,
          borderDash: s.dashed ? [6, 4] : [],
          tension: 0,
        })),
      },
      options: {
        plugins: { legend: { display: true } },
        scales: {
          x: { type: o.logX ? 'logarithmic' : 'linear', title: { display: true, text: o.x } },
          y: { type: o.logY ? 'logarithmic' : 'linear', title: { display: true, text: o.y }, ...(o.yMin !== undefined ? { min: o.yMin } : {}) },
        },
      },
    },
  };
}

/** Growing (red), shrinking (blue) or level (grey) gradient, from a measured log10 ratio. */
const GROW = '#d55e00';
const SHRINK = '#0072b2';

/** The phase diagram: each cell at (σ_w², σ_b²), coloured by whether the measured late-layer χ is above 1, and the predicted critical line. */
export function phaseChart(s: OrderChaosSection, lang: Lang): ChartSpec {
  const lateChi = (c: OrderChaosSection['phase']['cells'][number]) => {
    const xs = [...c.measuredLateChi].sort((a, b) => a - b);
    return xs[xs.length >> 1];
  };
  const line = s.phase.criticalLine.filter((p) => p.sigmaW2 !== null).map((p) => ({ x: p.sigmaW2 as number, y: p.sigmaB2 }));
  return scatterChart(
    'oc-phase',
    [
      { label: say(lang, 'oc.ch.edge'), points: line, color: '#000000', radius: 0, line: true },
      { label: say(lang, 'oc.ch.grows'), points: s.phase.cells.filter((c) => lateChi(c) > 1).map((c) => ({ x: c.sigmaW2, y: c.sigmaB2 })), color: GROW, style: 'triangle', radius: 6 },
      { label: say(lang, 'oc.ch.shrinks'), points: s.phase.cells.filter((c) => lateChi(c) <= 1).map((c) => ({ x: c.sigmaW2, y: c.sigmaB2 })), color: SHRINK, style: 'rect', radius: 5 },
    ],
    { x: say(lang, 'oc.ch.sw'), y: say(lang, 'oc.ch.sb') },
  );
}

/** Measured inputCorrelation per layer (median and range) beside the predicted c^l, per σ_w². */
export function correlationChart(s: OrderChaosSection, lang: Lang): ChartSpec {
  const series: LineSeries[] = [];
  s.phase.correlations.forEach((r, i) => {
    const c = color(i);
    series.push(
      { label: say(lang, 'oc.ch.corrMeasured', { w: String(r.sigmaW2) }), points: indexed(r.measured.median, false, 1), color: c, pointRadius: 3, width: 0 },
      { label: say(lang, 'oc.ch.corrPredicted', { w: String(r.sigmaW2) }), points: indexed(r.predicted, false, 1), color: c, dashed: true },
    );
  });
  return lineChart('oc-corr', series, { x: say(lang, 'oc.ch.hiddenLayer'), y: say(lang, 'oc.ch.cosine'), integerX: true, yMin: 0, yMax: 1 });
}

/** ‖δˡ‖/‖δᴴ‖ per layer for the points `which` selects: measured (points) and predicted (dashed), log scale. */
export function decayChart(s: OrderChaosSection, id: string, which: (act: string) => boolean, lang: Lang): ChartSpec {
  const series: LineSeries[] = [];
  s.decay.points.filter((p) => which(p.act)).forEach((p, i) => {
    const c = color(i);
    series.push(
      { label: say(lang, 'oc.ch.measured', { label: ocLabel(p.label, lang) }), points: indexed(p.measured.median, true, 1), color: c, pointRadius: 3, width: 0 },
      { label: `${ocLabel(p.label, lang)}${lang === 'en' ? ': ' : '：'}∏√χ`, points: indexed(p.predicted, true, 1), color: c, dashed: true, width: 1.5 },
    );
  });
  return lineChart(id, series, { x: say(lang, 'oc.ch.hiddenInput'), y: say(lang, 'oc.ch.ratio'), logY: true, integerX: true, legend: true });
}

/** The trainability map: trained / untrained cells over depth × σ_w², and the 6 ξ_c curve. */
export function trainChart(s: OrderChaosSection, lang: Lang): ChartSpec {
  const t = s.trainability;
  const curve = t.sixXiC.filter((p) => p.depth !== null && p.depth <= 4 * Math.max(...t.depths)).map((p) => ({ x: p.sigmaW2, y: p.depth as number }));
  const trained = t.cells.filter((c) => c.accuracy.median > t.trainedAbove);
  const not = t.cells.filter((c) => !(c.accuracy.median > t.trainedAbove));
  return scatterChart(
    'oc-train',
    [
      { label: say(lang, 'oc.ch.six'), points: curve, color: '#000000', radius: 0, line: true },
      { label: say(lang, 'oc.ch.trained', { pct: 100 * t.trainedAbove }), points: trained.map((c) => ({ x: c.sigmaW2, y: c.depth })), color: '#009e73', style: 'circle', radius: 7 },
      { label: say(lang, 'oc.ch.notTrained'), points: not.map((c) => ({ x: c.sigmaW2, y: c.depth })), color: '#cc79a7', style: 'crossRot', radius: 8 },
    ],
    { x: say(lang, 'oc.ch.swLog'), y: say(lang, 'oc.ch.hiddenLog'), logX: true, logY: true },
  );
}

/** Histogram of log10 singular values at one depth, one line per configuration. */
export function isometryChart(s: OrderChaosSection, depth: number, k: number, lang: Lang): ChartSpec {
  const runs = s.isometry.runs.filter((r) => r.depth === depth);
  const mid = (r: IsometryRun) => r.edges.slice(0, -1).map((e, i) => (e + r.edges[i + 1]) / 2);
  return lineChart(
    `oc-iso-${k}`,
    runs.map((r, i) => {
      const total = r.counts.reduce((a, b) => a + b, 0) || 1;
      const xs = mid(r);
      return { label: ocLabel(r.label, lang), points: r.counts.map((c, j) => ({ x: xs[j], y: c / total })), color: color(i), width: 1.5 };
    }),
    { x: say(lang, 'oc.ch.logSv'), y: say(lang, 'oc.ch.share'), legend: true },
  );
}
