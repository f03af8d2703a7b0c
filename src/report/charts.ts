/**
 * Chart specifications: plain-JSON Chart.js configurations that a section
 * returns and the page's bootstrap script hands to `new Chart(canvas, config)`.
 * The builders here clean the data for the axis type (non-finite values and,
 * on a log axis, values ≤ 0 become gaps) so no measured number can break a
 * chart, and give every chart the same look.
 */
import { esc, isNum, type MaybeNumber } from './format.js';

/** A chart to draw: the id of its <canvas> and its Chart.js configuration as plain JSON. */
export interface ChartSpec {
  readonly id: string;
  readonly config: Record<string, unknown>;
}

/** A point of a line; y null is a gap. */
export interface Pt {
  readonly x: number;
  readonly y: number | null;
}

/** One line of a line chart. */
export interface LineSeries {
  readonly label: string;
  readonly points: readonly Pt[];
  readonly color: string;
  readonly dashed?: boolean;
  /** Fill the area between this line and the previous dataset (a band). */
  readonly fillToPrevious?: boolean;
  /** Hide the line itself (for the lower edge of a band). */
  readonly hidden?: boolean;
  readonly pointRadius?: number;
  readonly width?: number;
}

/** Eight distinguishable colours (Okabe–Ito plus two), for categories. */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#7f7f7f', '#000000', '#8c564b', '#bcbd22', '#17becf', '#9467bd'] as const;

/** The i-th category colour (cycles). */
export function color(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

// viridis at 0, 0.25, 0.5, 0.75, 1
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [220, 200, 30],
];

/** A sequential colour for layer i of n: dark purple on the input side, yellow on the output side. */
export function layerColor(i: number, n: number): string {
  const t = n <= 1 ? 0 : Math.min(1, Math.max(0, i / (n - 1)));
  const pos = t * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(pos));
  const f = pos - k;
  const c = VIRIDIS[k].map((v, j) => Math.round(v + (VIRIDIS[k + 1][j] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** The same colour with an alpha (for bands and bar fills); accepts #rrggbb and rgb(). */
export function withAlpha(c: string, alpha: number): string {
  if (c.startsWith('#') && c.length === 7) {
    const n = parseInt(c.slice(1), 16);
    return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
  }
  const m = /^rgb\((\d+),(\d+),(\d+)\)$/.exec(c);
  return m ? `rgba(${m[1]},${m[2]},${m[3]},${alpha})` : c;
}

/** y made safe for the axis: null when non-finite, and on a log axis also when ≤ 0. */
export function clean(y: MaybeNumber, logY: boolean): number | null {
  if (!isNum(y)) return null;
  return logY && y <= 0 ? null : y;
}

/** Zips xs and ys into points (ys may hold nulls for non-finite values). */
export function points(xs: readonly MaybeNumber[], ys: readonly MaybeNumber[], logY = false): Pt[] {
  const out: Pt[] = [];
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    if (isNum(x)) out.push({ x, y: clean(ys[i], logY) });
  }
  return out;
}

/** Points at x = 0, 1, 2, … (steps) or x = 1, 2, … (layers, with start = 1). */
export function indexed(ys: readonly MaybeNumber[], logY = false, start = 0): Pt[] {
  return points(
    ys.map((_, i) => i + start),
    ys,
    logY,
  );
}

/** An axis title as a Chart.js scale option. */
function axis(title: string, type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type, title: { display: true, text: title }, ...extra };
}

/** Options of a line chart. */
export interface LineOptions {
  readonly x: string;
  readonly y: string;
  readonly logY?: boolean;
  /** x is a category-like integer (steps, layers): integer ticks only. */
  readonly integerX?: boolean;
  readonly legend?: boolean;
  readonly yMin?: number;
  readonly yMax?: number;
}

/** A line chart on numeric x with one dataset per series. */
export function lineChart(id: string, series: readonly LineSeries[], o: LineOptions): ChartSpec {
  const datasets = series.map((s) => ({
    label: s.label,
    data: s.points.map((p) => ({ x: p.x, y: p.y })),
    borderColor: s.hidden ? 'rgba(0,0,0,0)' : s.color,
    backgroundColor: s.fillToPrevious ? withAlpha(s.color, 0.18) : s.color,
    borderWidth: s.width ?? 2,
    borderDash: s.dashed ? [6, 4] : [],
    pointRadius: s.pointRadius ?? 0,
    pointHoverRadius: 4,
    fill: s.fillToPrevious ? '-1' : false,
    spanGaps: false,
    tension: 0,
  }));
  const yExtra: Record<string, unknown> = {};
  if (o.yMin !== undefined) yExtra.min = o.yMin;
  if (o.yMax !== undefined) yExtra.max = o.yMax;
  return {
    id,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        parsing: true,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { legend: { display: o.legend ?? true } },
        scales: {
          x: axis(o.x, 'linear', o.integerX ? { ticks: { precision: 0 } } : {}),
          y: axis(o.y, o.logY ? 'logarithmic' : 'linear', yExtra),
        },
      },
    },
  };
}

/** One group of bars; a [lo, hi] pair draws a floating bar (a range). */
export interface BarSeries {
  readonly label: string;
  readonly data: readonly (number | null | readonly [number, number])[];
  readonly color: string;
}

/** A grouped bar chart over category labels. */
export function barChart(id: string, labels: readonly string[], series: readonly BarSeries[], o: { readonly y: string; readonly logY?: boolean; readonly x?: string }): ChartSpec {
  return {
    id,
    config: {
      type: 'bar',
      data: {
        labels: [...labels],
        datasets: series.map((s) => ({
          label: s.label,
          data: s.data.map((v) => (Array.isArray(v) ? [...v] : v)),
          backgroundColor: withAlpha(s.color, 0.75),
          borderColor: s.color,
          borderWidth: 1,
        })),
      },
      options: {
        plugins: { legend: { display: true } },
        scales: {
          x: o.x ? { title: { display: true, text: o.x } } : {},
          y: axis(o.y, o.logY ? 'logarithmic' : 'linear'),
        },
      },
    },
  };
}

/** The HTML placeholder of a chart: a sized box with its canvas and a caption. */
export function figure(id: string, caption: string, height = 320): string {
  return `<figure class="chart"><div class="chart-box" style="height:${height}px"><canvas id="${esc(id)}" role="img" aria-label="${esc(caption.replace(/<[^>]*>/g, ''))}"></canvas></div><figcaption>${caption}</figcaption></figure>`;
}
