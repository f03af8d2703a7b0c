/**
 * The layer × time heatmap of a run as inline SVG: one row per layer (input
 * side at the top), one column per probe, each cell coloured by log₁₀ of
 * the value (a gradient norm) on a perceptual blue→yellow scale, grey for a
 * missing or non-finite value, with a colour bar. Pure.
 */
import { esc, fmt } from '../format.js';

/** A colour on a blue → green → yellow scale for t in [0, 1] (a coarse viridis). */
export function scale(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const u = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const c = stops[i].map((v, k) => Math.round(v + f * (stops[i + 1][k] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Options of the heatmap. */
export interface HeatmapOptions {
  readonly rows: readonly string[];
  readonly steps: readonly number[];
  /** values[row][column]; null for a missing or non-finite value. */
  readonly values: readonly (readonly (number | null)[])[];
  readonly title: string;
}

/** The heatmap as an <svg> element. */
export function heatmapSvg(o: HeatmapOptions): string {
  const logs = o.values.flat().filter((v): v is number => v !== null && v > 0 && Number.isFinite(v)).map(Math.log10);
  const lo = logs.length ? Math.min(...logs) : 0;
  const hi = logs.length ? Math.max(...logs) : 1;
  const span = hi - lo || 1;
  const left = 150;
  const top = 10;
  const cols = o.steps.length;
  const cw = Math.max(2, Math.min(24, Math.floor(820 / Math.max(1, cols))));
  const ch = Math.max(12, Math.min(26, Math.floor(360 / Math.max(1, o.rows.length))));
  const width = left + cols * cw + 90;
  const height = top + o.rows.length * ch + 40;
  const cells: string[] = [];
  o.values.forEach((row, r) => {
    row.forEach((v, c) => {
      const ok = v !== null && v > 0 && Number.isFinite(v);
      const fill = ok ? scale((Math.log10(v) - lo) / span) : '#bbb';
      cells.push(`<rect x="${left + c * cw}" y="${top + r * ch}" width="${cw}" height="${ch}" fill="${fill}"><title>${esc(o.rows[r])}, step ${o.steps[c]}: ${esc(ok ? fmt(v) : 'not finite / missing')}</title></rect>`);
    });
  });
  const labels = o.rows.map((name, r) => `<text x="${left - 6}" y="${top + r * ch + ch / 2 + 4}" text-anchor="end" font-size="11">${esc(name.length > 22 ? `${name.slice(0, 21)}…` : name)}</text>`);
  const ticks = [0, Math.floor((cols - 1) / 2), cols - 1].filter((v, i, a) => v >= 0 && a.indexOf(v) === i);
  const xlabels = ticks.map((c) => `<text x="${left + c * cw + cw / 2}" y="${top + o.rows.length * ch + 14}" text-anchor="middle" font-size="11">${o.steps[c]}</text>`);
  const barX = left + cols * cw + 20;
  const barH = o.rows.length * ch;
  const bar = Array.from({ length: 20 }, (_, k) => `<rect x="${barX}" y="${top + (barH * (19 - k)) / 20}" width="14" height="${barH / 20 + 0.5}" fill="${scale(k / 19)}"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(o.title)}">
${cells.join('')}
${labels.join('')}
${xlabels.join('')}
<text x="${left + (cols * cw) / 2}" y="${height - 4}" text-anchor="middle" font-size="12">training step</text>
${bar.join('')}
<text x="${barX + 18}" y="${top + 10}" font-size="11">10^${fmt(hi, 2)}</text>
<text x="${barX + 18}" y="${top + barH}" font-size="11">10^${fmt(lo, 2)}</text>
</svg>`;
}
