/**
 * The two image views of the playground, drawn on a canvas (they are
 * rasters, which chart libraries do not draw well): the layer × time heatmap
 * of log₁₀ ‖∂C/∂bˡ‖, and the decision boundary of a 2-D run under its
 * training points.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { Lang } from '../../activations/types.js';
import { schedule, unschedule, watch } from '../charts/schedule.js';
import { PALETTE, viridis } from '../charts/setup.js';
import type { BoundaryGrid } from '../engine/session.js';
import { tr } from '../i18n.js';
import type { Points2D } from '../worker/protocol.js';
import { fmtNum } from '../verdict-text.js';
import { bins, type GradRange } from './run-charts.js';
import type { RunHistory } from './run-controller.js';

/** Sizes a canvas to its box at the device pixel ratio and returns its 2-D context. */
export function fit(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } | null {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  return ctx ? { ctx, w, h } : null;
}

/** Redraws on every change of `deps` and when the canvas is resized. */
export function useCanvas(draw: (c: HTMLCanvasElement) => void, deps: readonly unknown[]) {
  const ref = useRef<HTMLCanvasElement>(null);
  const drawRef = useRef(draw);
  drawRef.current = draw;
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    watch(c);
    const ro = new ResizeObserver(() => drawRef.current(c));
    ro.observe(c);
    return () => {
      ro.disconnect();
      unschedule(c);
    };
  }, []);
  useEffect(() => {
    const c = ref.current;
    // in a task of its own (schedule.ts), with the latest draw function
    if (c) schedule(c, () => drawRef.current(c));
  }, deps);
  return ref;
}

/** Layer × time heatmap of log₁₀ ‖∂C/∂bˡ‖ (input layer at the bottom), on the shared decades `range` when given. */
export function Heatmap({ h, lang, range }: { h: RunHistory; lang: Lang; range: GradRange | null }) {
  const legend = useRef<HTMLSpanElement>(null);
  const canvas = useCanvas(
    (c) => {
      const f = fit(c);
      if (!f) return;
      const { ctx, w, h: H } = f;
      ctx.clearRect(0, 0, w, H);
      const L = h.L;
      const n = h.steps;
      if (n === 0) return;
      const bs = bins(n, 200);
      const cells = new Float64Array(bs.length * L);
      let lo = Infinity;
      let hi = -Infinity;
      bs.forEach(([a, b], j) => {
        for (let l = 0; l < L; l++) {
          const v = h.geoMeanGrad(a, b, l);
          const e = v === null ? NaN : Math.log10(v);
          cells[j * L + l] = e;
          if (Number.isFinite(e)) {
            lo = Math.min(lo, e);
            hi = Math.max(hi, e);
          }
        }
      });
      if (range) {
        lo = range.lo;
        hi = range.hi;
      }
      if (!Number.isFinite(lo)) return;
      if (hi - lo < 1e-9) hi = lo + 1;
      const img = new ImageData(bs.length, L);
      for (let j = 0; j < bs.length; j++) {
        for (let l = 0; l < L; l++) {
          const e = cells[j * L + l];
          const row = L - 1 - l; // layer 1 at the bottom
          const o = 4 * (row * bs.length + j);
          if (Number.isFinite(e)) {
            const [r, gg, b] = viridis((e - lo) / (hi - lo));
            img.data[o] = r;
            img.data[o + 1] = gg;
            img.data[o + 2] = b;
          } else {
            img.data[o] = 220;
            img.data[o + 1] = 40;
            img.data[o + 2] = 40;
          }
          img.data[o + 3] = 255;
        }
      }
      const tmp = document.createElement('canvas');
      tmp.width = bs.length;
      tmp.height = L;
      tmp.getContext('2d')?.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = false;
      // the data fill the width in proportion to the steps taken so far, up to the step budget
      const frac = h.nonFinite ? 1 : Math.min(1, n / Math.max(n, h.maxSteps));
      ctx.drawImage(tmp, 0, 0, Math.max(1, Math.round(w * frac)), H);
      if (legend.current) legend.current.textContent = `10^${fmtNum(lo)} … 10^${fmtNum(hi)}`;
    },
    [h.version, h, range?.lo, range?.hi],
  );
  return (
    <figure class="heatmap">
      <div class="heat-wrap">
        <span class="heat-y" aria-hidden="true">
          <span>{h.L}</span>
          <span>{tr(lang, 'layerAxis')}</span>
          <span>1</span>
        </span>
        <canvas ref={canvas} role="img" aria-label={tr(lang, 'chartHeatAria')} data-chart="heatmap" />
      </div>
      <div class="heat-x" aria-hidden="true">
        <span>0</span>
        <span>{tr(lang, 'stepAxis')}</span>
        <span>{h.nonFinite ? h.steps : Math.max(h.steps, h.maxSteps)}</span>
      </div>
      <figcaption>
        <span class="heat-scale" aria-hidden="true" /> <span ref={legend} class="dim" /> <span class="heat-bad" aria-hidden="true" />{' '}
        <span data-legend="bad">{tr(lang, 'heatBad')}</span> · {tr(lang, 'chartHeatHelp')}
      </figcaption>
    </figure>
  );
}

const CLASS_RGB: readonly (readonly [number, number, number])[] = PALETTE.map((hex) => {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255] as const;
});

/** The predicted class over the plane (tinted by confidence) and the training points. */
export function Boundary({ grid, points, lang }: { grid: BoundaryGrid | null; points: Points2D | null; lang: Lang }) {
  const canvas = useCanvas(
    (c) => {
      const f = fit(c);
      if (!f) return;
      const { ctx, w, h } = f;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, w, h);
      if (!grid) return;
      const { res, extent, cls, conf } = grid;
      const img = new ImageData(res, res);
      const K = points?.classes ?? 2;
      for (let r = 0; r < res; r++) {
        for (let col = 0; col < res; col++) {
          const i = r * res + col;
          const rgb = CLASS_RGB[cls[i] % CLASS_RGB.length];
          // alpha from how sure the network is: chance level → white
          const a = Math.max(0, Math.min(1, (conf[i] - 1 / K) / (1 - 1 / K)));
          const o = 4 * ((res - 1 - r) * res + col);
          const mix = 0.15 + 0.45 * a;
          img.data[o] = Math.round(255 + (rgb[0] - 255) * mix);
          img.data[o + 1] = Math.round(255 + (rgb[1] - 255) * mix);
          img.data[o + 2] = Math.round(255 + (rgb[2] - 255) * mix);
          img.data[o + 3] = 255;
        }
      }
      const tmp = document.createElement('canvas');
      tmp.width = res;
      tmp.height = res;
      tmp.getContext('2d')?.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(tmp, 0, 0, w, h);
      if (!points) return;
      const [x0, x1, y0, y1] = extent;
      const dpr = window.devicePixelRatio || 1;
      const rad = 2.6 * dpr;
      ctx.lineWidth = 0.8 * dpr;
      ctx.strokeStyle = '#fff';
      for (let i = 0; i < points.labels.length; i++) {
        const px = ((points.x[2 * i] - x0) / (x1 - x0)) * w;
        const py = h - ((points.x[2 * i + 1] - y0) / (y1 - y0)) * h;
        ctx.fillStyle = PALETTE[points.labels[i] % PALETTE.length];
        ctx.beginPath();
        ctx.arc(px, py, rad, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
    },
    [grid, points],
  );
  return <canvas ref={canvas} class="boundary" role="img" aria-label={tr(lang, 'chartBoundaryAria')} data-chart="boundary" />;
}
