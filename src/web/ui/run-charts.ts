/**
 * Chart.js configurations of the playground's live views, built from a
 * RunHistory: loss and accuracy, per-layer gradient norm over time (log),
 * the per-layer profile now vs at initialisation, and the saturated/dead
 * fractions. Long runs are binned (geometric mean per bin for norms), so a
 * chart never holds more than a few hundred points per line.
 */
import type { Lang } from '../../activations/types.js';
import { layerColor, PALETTE, type ChartConfiguration } from '../charts/setup.js';
import { tr } from '../i18n.js';
import type { RunHistory } from './run-controller.js';

/** Most points per line. */
export const MAX_POINTS = 300;

type Pt = { x: number; y: number | null };

/** Bins steps 0..n−1 into at most MAX_POINTS bins: [start, end) of each. */
export function bins(n: number, max = MAX_POINTS): [number, number][] {
  const k = Math.max(1, Math.ceil(n / max));
  const out: [number, number][] = [];
  for (let a = 0; a < n; a += k) out.push([a, Math.min(n, a + k)]);
  return out;
}

/** Geometric mean of the positive finite values of get(i), i in [a, b); null when none. */
export function geoMean(a: number, b: number, get: (i: number) => number): number | null {
  let s = 0;
  let c = 0;
  for (let i = a; i < b; i++) {
    const v = get(i);
    if (v > 0 && Number.isFinite(v)) {
      s += Math.log(v);
      c++;
    }
  }
  return c > 0 ? Math.exp(s / c) : null;
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
        { label: tr(lang, 'testAcc'), data: test, borderColor: PALETTE[2], backgroundColor: PALETTE[2], borderWidth: 2, pointRadius: 0, yAxisID: 'acc' },
        { label: tr(lang, 'trainAcc'), data: train, borderColor: PALETTE[2], backgroundColor: PALETTE[2], borderWidth: 1.5, borderDash: [5, 4], pointRadius: 0, yAxisID: 'acc' },
      ],
    },
    options,
  } as unknown as ChartConfiguration;
}

/** Options of the gradient-over-time chart. */
export function gradOptions(lang: Lang): ChartConfiguration['options'] {
  return {
    parsing: false,
    normalized: true,
    interaction: { mode: 'nearest', intersect: false, axis: 'x' },
    plugins: { legend: { position: 'right', labels: { boxWidth: 10, font: { size: 11 } } } },
    scales: {
      x: { type: 'linear', min: 0, title: axis(tr(lang, 'stepAxis')), ticks: { precision: 0, maxRotation: 0 } },
      y: { type: 'logarithmic', title: axis(tr(lang, 'gradAxis')) },
    },
  } as ChartConfiguration['options'];
}

/** ‖∂C/∂bˡ‖ of every layer over the steps, log scale. */
export function gradConfig(h: RunHistory, lang: Lang, options: ChartConfiguration['options']): ChartConfiguration {
  const L = h.L;
  const g = h.biasGrad.view();
  const n = h.steps;
  const bs = bins(n);
  const datasets = Array.from({ length: L }, (_, l) => {
    const data: Pt[] = bs.map(([a, b]) => ({ x: (a + b - 1) / 2, y: geoMean(a, b, (i) => g[i * L + l]) }));
    const c = layerColor(l, L);
    return { label: tr(lang, 'layerLabel', { n: l + 1 }), data, borderColor: c, backgroundColor: c, borderWidth: 1.5, pointRadius: 0, spanGaps: false };
  });
  return {
    type: 'line',
    data: { datasets },
    options,
  } as unknown as ChartConfiguration;
}

/** ‖∂C/∂bˡ‖ by layer at the latest probe and at initialisation (probe batch), log scale. */
export function profileConfig(h: RunHistory, lang: Lang): ChartConfiguration {
  const first = h.probes[0];
  const last = h.probes[h.probes.length - 1];
  const pts = (p: typeof first | undefined): Pt[] => (p ? p.layers.map((l) => ({ x: l.index, y: l.biasGradNorm > 0 && Number.isFinite(l.biasGradNorm) ? l.biasGradNorm : null })) : []);
  return {
    type: 'line',
    data: {
      datasets: [
        { label: tr(lang, 'atInit'), data: pts(first), borderColor: '#999', backgroundColor: '#999', borderDash: [5, 4], borderWidth: 1.5, pointRadius: 2 },
        { label: tr(lang, 'now', { n: last?.step ?? 0 }), data: pts(last), borderColor: PALETTE[0], backgroundColor: PALETTE[0], borderWidth: 2, pointRadius: 3 },
      ],
    },
    options: {
      plugins: { legend: { position: 'bottom' } },
      scales: {
        x: { type: 'linear', min: 1, max: Math.max(2, h.L), title: axis(tr(lang, 'layerAxis')), ticks: { precision: 0, stepSize: 1 } },
        y: { type: 'logarithmic', title: axis(tr(lang, 'gradAxis')) },
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
