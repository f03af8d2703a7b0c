/**
 * Chart.js configurations of the playground's live views, built from a
 * RunHistory: loss and accuracy, per-layer gradient norm over time (log),
 * the per-layer profile now vs at initialisation, and the saturated/dead
 * fractions. Long runs are binned (geometric mean per bin for norms), so a
 * chart never holds more than a few hundred points per line. Two runs side
 * by side share their log axes (`GradRange`), so their charts line up.
 */
import type { Lang } from '../../activations/types.js';
import { layerColor, PALETTE, type ChartConfiguration } from '../charts/setup.js';
import { tr } from '../i18n.js';
import type { ProbeSnapshot } from '../engine/session.js';
import { BLOCK, type RunHistory } from './run-controller.js';

/** Most points per line. */
export const MAX_POINTS = 300;

type Pt = { x: number; y: number | null };

/** Bins steps 0..n−1 into at most `max` bins: [start, end) of each; past BLOCK steps a bin is whole blocks (cheap geometric means). */
export function bins(n: number, max = MAX_POINTS): [number, number][] {
  const k0 = Math.max(1, Math.ceil(n / max));
  const k = k0 > BLOCK ? Math.ceil(k0 / BLOCK) * BLOCK : k0;
  const out: [number, number][] = [];
  for (let a = 0; a < n; a += k) out.push([a, Math.min(n, a + k)]);
  return out;
}

function mean(a: number, b: number, get: (i: number) => number): number | null {
  let s = 0;
  let c = 0;
  for (let i = a; i < b; i++) {
    const v = get(i);
    if (Number.isFinite(v)) {
      s += v;
      c++;
    }
  }
  return c > 0 ? s / c : null;
}

const axis = (text: string) => ({ display: true, text });

/** Decades a log axis spans: [10^lo, 10^hi]. */
export interface GradRange {
  readonly lo: number;
  readonly hi: number;
}

/** The decades holding every positive finite ‖∂C/∂bˡ‖ of `runs` (steps and probes), or null when there is none. */
export function gradRange(runs: readonly RunHistory[]): GradRange | null {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number): void => {
    if (v > 0 && Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  };
  for (const h of runs) {
    const g = h.biasGrad.view();
    for (let i = 0; i < g.length; i++) see(g[i]);
    for (const p of h.probes) for (const l of p.layers) see(l.biasGradNorm);
  }
  if (!(hi >= lo)) return null;
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  return { lo: a, hi: b > a ? b : a + 1 };
}

/** Layers (1-based) whose ‖∂C/∂bˡ‖ is exactly 0 in `p`: a log scale cannot draw them. */
export function zeroLayers(p: ProbeSnapshot | undefined): number[] {
  return p ? p.layers.filter((l) => l.biasGradNorm === 0).map((l) => l.index) : [];
}

/** Options of the loss chart (they change only with the language, so a live update keeps them). */
export function lossOptions(lang: Lang): ChartConfiguration['options'] {
  return {
    parsing: false,
    normalized: true,
    interaction: { mode: 'nearest', intersect: false, axis: 'x' },
    plugins: { legend: { position: 'bottom' } },
    scales: {
      x: { type: 'linear', min: 0, title: axis(tr(lang, 'stepAxis')), ticks: { precision: 0, maxRotation: 0 } },
      y: { type: 'linear', beginAtZero: true, title: axis(tr(lang, 'lossAxis')) },
      acc: { type: 'linear', position: 'right', min: 0, max: 1, title: axis(tr(lang, 'accuracyAxis')), grid: { drawOnChartArea: false } },
    },
  } as ChartConfiguration['options'];
}

/** Training loss per step and accuracies per probe. */
export function lossConfig(h: RunHistory, lang: Lang, options: ChartConfiguration['options']): ChartConfiguration {
  const loss = h.loss.view();
  const lossPts: Pt[] = bins(loss.length).map(([a, b]) => ({ x: (a + b - 1) / 2, y: mean(a, b, (i) => loss[i]) }));
  const test: Pt[] = h.probes.map((p) => ({ x: p.step, y: p.testAccuracy }));
  const train: Pt[] = h.probes.map((p) => ({ x: p.step, y: p.trainAccuracy }));
  return {
    type: 'line',
    data: {
      datasets: [
        { label: tr(lang, 'trainLoss'), data: lossPts, borderColor: PALETTE[1], backgroundColor: PALETTE[1], borderWidth: 1.5, pointRadius: 0, yAxisID: 'y', spanGaps: false },
        { label: tr(lang, 'testAcc'), data: test, borderColor: PALETTE[2], backgroundColor: PALETTE[2], borderWidth: 2, pointRadius: test.length === 1 ? 3 : 0, yAxisID: 'acc' },
        { label: tr(lang, 'trainAcc'), data: train, borderColor: PALETTE[2], backgroundColor: PALETTE[2], borderWidth: 1.5, borderDash: [5, 4], pointRadius: train.length === 1 ? 3 : 0, yAxisID: 'acc' },
      ],
    },
    options,
  } as unknown as ChartConfiguration;
}

/** A log axis over `range` (free when null). */
function logAxis(title: string, range: GradRange | null): Record<string, unknown> {
  return { type: 'logarithmic', title: axis(title), ...(range ? { min: 10 ** range.lo, max: 10 ** range.hi } : {}) };
}

/** Options of the gradient-over-time chart (they change only with the language and the shared range, so a live update keeps them). */
export function gradOptions(lang: Lang, range: GradRange | null, legend: boolean): ChartConfiguration['options'] {
  return {
    parsing: false,
    normalized: true,
    interaction: { mode: 'nearest', intersect: false, axis: 'x' },
    plugins: { legend: { display: legend, position: 'right', labels: { boxWidth: 10, font: { size: 11 } } } },
    scales: {
      x: { type: 'linear', min: 0, suggestedMax: 10, title: axis(tr(lang, 'stepAxis')), ticks: { precision: 0, maxRotation: 0 } },
      y: logAxis(tr(lang, 'gradAxis'), range),
    },
  } as ChartConfiguration['options'];
}

/** ‖∂C/∂bˡ‖ of every layer over the steps, log scale; before the first step, the probe at initialisation at step 0. */
export function gradConfig(h: RunHistory, lang: Lang, options: ChartConfiguration['options']): ChartConfiguration {
  const L = h.L;
  const n = h.steps;
  const bs = bins(n);
  const init = n === 0 ? h.probes[0] : undefined;
  const datasets = Array.from({ length: L }, (_, l) => {
    const v = init?.layers[l]?.biasGradNorm;
    const data: Pt[] = init ? [{ x: 0, y: v !== undefined && v > 0 && Number.isFinite(v) ? v : null }] : bs.map(([a, b]) => ({ x: (a + b - 1) / 2, y: h.geoMeanGrad(a, b, l) }));
    const c = layerColor(l, L);
    return { label: tr(lang, 'layerLabel', { n: l + 1 }), data, borderColor: c, backgroundColor: c, borderWidth: 1.5, pointRadius: data.length === 1 ? 3 : 0, spanGaps: false };
  });
  return {
    type: 'line',
    data: { datasets },
    options,
  } as unknown as ChartConfiguration;
}

/**
 * ‖∂C/∂bˡ‖ by layer at the latest probe and at initialisation (probe batch),
 * log scale; a layer whose gradient is exactly 0 (off any log scale) is
 * marked × on the bottom of the axis, in its own legend entry.
 */
export function profileConfig(h: RunHistory, lang: Lang, range: GradRange | null): ChartConfiguration {
  const first = h.probes[0];
  const last = h.probes[h.probes.length - 1];
  const pts = (p: typeof first | undefined): Pt[] => (p ? p.layers.map((l) => ({ x: l.index, y: l.biasGradNorm > 0 && Number.isFinite(l.biasGradNorm) ? l.biasGradNorm : null })) : []);
  const zeros = zeroLayers(last);
  const floor = range ? 10 ** range.lo : Math.min(...(last?.layers ?? []).map((l) => (l.biasGradNorm > 0 && Number.isFinite(l.biasGradNorm) ? l.biasGradNorm : Infinity))) / 10;
  const datasets: Record<string, unknown>[] = [
    { label: tr(lang, 'atInit'), data: pts(first), borderColor: '#999', backgroundColor: '#999', borderDash: [5, 4], borderWidth: 1.5, pointRadius: 2 },
    { label: tr(lang, 'now', { n: last?.step ?? 0 }), data: pts(last), borderColor: PALETTE[0], backgroundColor: PALETTE[0], borderWidth: 2, pointRadius: 3 },
  ];
  if (zeros.length > 0 && Number.isFinite(floor)) {
    datasets.push({ label: tr(lang, 'zeroGrad'), data: zeros.map((x) => ({ x, y: floor })), showLine: false, pointStyle: 'crossRot', pointRadius: 6, pointBorderWidth: 2, borderColor: '#a4161a', backgroundColor: '#a4161a' });
  }
  return {
    type: 'line',
    data: { datasets },
    options: {
      plugins: { legend: { position: 'bottom' } },
      scales: {
        x: { type: 'linear', min: 1, max: Math.max(2, h.L), title: axis(tr(lang, 'layerAxis')), ticks: { precision: 0, stepSize: 1 } },
        y: logAxis(tr(lang, 'gradAxis'), range),
      },
    },
  } as unknown as ChartConfiguration;
}

/** Saturated and dead fractions of each hidden layer at the latest probe. */
export function unitsConfig(h: RunHistory, lang: Lang): ChartConfiguration {
  const last = h.probes[h.probes.length - 1];
  const hidden = last ? last.layers.slice(0, -1) : [];
  const val = (v: number) => (Number.isFinite(v) ? v : 0);
  return {
    type: 'bar',
    data: {
      labels: hidden.map((l) => String(l.index)),
      datasets: [
        { label: tr(lang, 'saturated'), data: hidden.map((l) => val(l.saturatedFraction)), backgroundColor: 'rgba(230,159,0,0.8)', borderColor: '#b07800', borderWidth: 1 },
        { label: tr(lang, 'dead'), data: hidden.map((l) => val(l.deadFraction)), backgroundColor: 'rgba(214,39,40,0.75)', borderColor: '#a4161a', borderWidth: 1 },
      ],
    },
    options: {
      plugins: { legend: { position: 'bottom' } },
      scales: {
        x: { title: axis(tr(lang, 'layerAxis')) },
        y: { type: 'linear', min: 0, max: 1, title: axis(tr(lang, 'fraction')) },
      },
    },
  } as unknown as ChartConfiguration;
}
