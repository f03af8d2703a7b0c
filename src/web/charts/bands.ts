/**
 * A Chart.js plugin for the explorer's plot: shades the x-intervals where
 * |f'| < 1 (each layer shrinks the gradient there), marks the dead zones
 * where f' = 0 exactly, and draws labelled horizontal reference lines
 * (f' = 1, and max |f'| when it is below 1, e.g. σ' ≤ 1/4).
 */
import type { Chart, Plugin } from 'chart.js';

/** What the plugin draws; set as `options.plugins.gsBands`. */
export interface BandsOptions {
  /** Intervals [x0, x1] where |f'| < 1. */
  readonly below: readonly (readonly [number, number])[];
  /** Intervals [x0, x1] where f' = 0. */
  readonly dead: readonly (readonly [number, number])[];
  readonly lines: readonly { readonly y: number; readonly label: string; readonly color: string }[];
  readonly deadLabel: string;
}

/** The intervals of `xs` where `test(i)` holds, as [x0, x1] pairs (half a step wider on each side). */
export function intervalsWhere(xs: readonly number[], test: (i: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  const h = xs.length > 1 ? (xs[1] - xs[0]) / 2 : 0;
  let start: number | null = null;
  for (let i = 0; i < xs.length; i++) {
    if (test(i)) {
      if (start === null) start = xs[i] - (i === 0 ? 0 : h);
    } else if (start !== null) {
      out.push([start, xs[i - 1] + h]);
      start = null;
    }
  }
  if (start !== null) out.push([start, xs[xs.length - 1]]);
  return out;
}

const patterns = new WeakMap<CanvasRenderingContext2D, CanvasPattern | string>();

/** A red hatch pattern for dead zones (one per canvas). */
function hatch(ctx: CanvasRenderingContext2D): CanvasPattern | string {
  const known = patterns.get(ctx);
  if (known) return known;
  const p = makeHatch(ctx);
  patterns.set(ctx, p);
  return p;
}

function makeHatch(ctx: CanvasRenderingContext2D): CanvasPattern | string {
  const c = document.createElement('canvas');
  c.width = 8;
  c.height = 8;
  const g = c.getContext('2d');
  if (!g) return 'rgba(200,40,40,0.15)';
  g.fillStyle = 'rgba(214,39,40,0.10)';
  g.fillRect(0, 0, 8, 8);
  g.strokeStyle = 'rgba(214,39,40,0.45)';
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(0, 8);
  g.lineTo(8, 0);
  g.stroke();
  return ctx.createPattern(c, 'repeat') ?? 'rgba(200,40,40,0.15)';
}

/** The plugin (register per chart through `plugins: [bandsPlugin]`). */
export const bandsPlugin: Plugin<'line'> = {
  id: 'gsBands',
  beforeDatasetsDraw(chart: Chart<'line'>, _args, opts: BandsOptions) {
    const { ctx, chartArea: a, scales } = chart;
    const x = scales.x;
    const y = scales.y;
    if (!x || !y || !opts) return;
    const px = (v: number): number => Math.min(a.right, Math.max(a.left, x.getPixelForValue(v)));
    ctx.save();
    ctx.fillStyle = 'rgba(230,159,0,0.13)';
    for (const [x0, x1] of opts.below) ctx.fillRect(px(x0), a.top, px(x1) - px(x0), a.bottom - a.top);
    ctx.font = '600 11px system-ui, sans-serif';
    for (const [x0, x1] of opts.dead) {
      ctx.fillStyle = hatch(ctx);
      ctx.fillRect(px(x0), a.top, px(x1) - px(x0), a.bottom - a.top);
      if (px(x1) - px(x0) > 60) {
        ctx.fillStyle = '#a4161a';
        ctx.textAlign = 'center';
        ctx.fillText(opts.deadLabel, (px(x0) + px(x1)) / 2, a.top + 14);
      }
    }
    for (const line of opts.lines) {
      const py = y.getPixelForValue(line.y);
      if (py < a.top || py > a.bottom) continue;
      ctx.strokeStyle = line.color;
      ctx.setLineDash([4, 4]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(a.left, py);
      ctx.lineTo(a.right, py);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = line.color;
      ctx.textAlign = 'right';
      ctx.fillText(line.label, a.right - 4, py - 4);
    }
    ctx.restore();
  },
};
