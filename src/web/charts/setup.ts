/**
 * Chart.js for the lab: only the parts it uses are registered (the bundle
 * stays small), no animation (live charts redraw many times a second), and
 * the number format and log-axis ticks of the HTML report, so the playground,
 * the explorer and the report viewer read the same.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type Scale,
  type TooltipItem,
} from 'chart.js';
import { fmtNum } from '../verdict-text.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, ScatterController, CategoryScale, LinearScale, LogarithmicScale, Filler, Legend, Tooltip);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.responsive = true;
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif';
Chart.defaults.color = '#333';
Chart.defaults.plugins.legend.labels.boxWidth = 14;

export { Chart };
export type { ChartConfiguration };

/** Decades spanned by a log scale. */
function decadesOf(scale: Scale): number {
  return scale.max > 0 && scale.min > 0 ? Math.log10(scale.max / scale.min) : 99;
}

/** Log-axis ticks as the report draws them: powers of ten (every k-th when many), and 2 and 5 × 10ᵏ on short axes. */
export function logTick(this: Scale, value: number | string): string {
  const v = Number(value);
  if (!(v > 0)) return '';
  const d = decadesOf(this);
  const e = Math.log10(v);
  const k = Math.round(e);
  if (Math.abs(e - k) < 1e-9) return k % Math.max(1, Math.ceil(d / 10)) === 0 ? fmtNum(v) : '';
  if (d > 3) return '';
  const m = v / Math.pow(10, Math.floor(e + 1e-9));
  const r = Math.round(m);
  return Math.abs(m - r) < 1e-6 * r && (r === 2 || r === 5) ? fmtNum(v) : '';
}

/** Tooltip label: "dataset: value" in the report's number format. */
export function tooltipLabel(ctx: TooltipItem<'line' | 'bar' | 'scatter'>): string {
  const raw = ctx.raw;
  const y = ctx.parsed && typeof ctx.parsed === 'object' && 'y' in ctx.parsed ? (ctx.parsed.y as number | null) : null;
  const text = Array.isArray(raw) ? `${fmtNum(Number(raw[0]))} – ${fmtNum(Number(raw[1]))}` : fmtNum(y);
  return `${ctx.dataset.label ? `${ctx.dataset.label}: ` : ''}${text}`;
}

/** Gives every logarithmic scale of a configuration the report's ticks, and every tooltip its number format. */
export function decorate<T extends ChartConfiguration>(config: T): T {
  const o = (config.options ??= {}) as NonNullable<ChartConfiguration['options']> & { scales?: Record<string, Record<string, unknown>> };
  for (const sc of Object.values(o.scales ?? {})) {
    if (sc && sc.type === 'logarithmic') {
      sc.ticks = { ...(sc.ticks as object | undefined), callback: logTick, autoSkip: false };
    } else if (sc && sc.type === 'linear' && !(sc.ticks as { callback?: unknown } | undefined)?.callback) {
      // 1e33 rather than Chart.js's 1E33; 0.25 stays 0.25
      sc.ticks = { ...(sc.ticks as object | undefined), callback: (v: number | string) => fmtNum(Number(v)) };
    }
  }
  o.plugins = { ...o.plugins, tooltip: { ...o.plugins?.tooltip, callbacks: { label: tooltipLabel } } } as typeof o.plugins;
  return config;
}

// viridis at 0, 0.25, 0.5, 0.75, 1 (the report's layer colours)
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [220, 200, 30],
];

/** Viridis at t ∈ [0, 1] as [r, g, b]. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - k;
  const a = VIRIDIS[k];
  const b = VIRIDIS[k + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** Colour of layer i of n: dark purple at the input, yellow at the output (as in the report). */
export function layerColor(i: number, n: number): string {
  const [r, g, b] = viridis(n <= 1 ? 0 : i / (n - 1));
  return `rgb(${r},${g},${b})`;
}

/** Distinguishable colours (Okabe–Ito), for functions and classes. */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#7f7f7f', '#000000'] as const;
