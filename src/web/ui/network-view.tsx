/**
 * The network drawn: one column of units per layer, every connection as a
 * line coloured by the sign of its weight and as wide as |w|, every unit
 * shaded by its gradient |∂C/∂bⱼ| on one log scale for the whole network,
 * so the gradient's flow from the output back to the input is on the same
 * picture as the weights (a unit with exactly zero gradient is ringed in
 * red). For 2-D data, hovering (or tapping) a unit shows its output over the
 * plane as a small heatmap, as TensorFlow Playground does.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../activations/types.js';
import { viridis } from '../charts/setup.js';
import type { NetSnapshot, NeuronGrid } from '../engine/snapshot.js';
import { tr } from '../i18n.js';
import { fmtNum } from '../verdict-text.js';
import { fit, useCanvas } from './rasters.js';
import type { RunHistory } from './run-controller.js';

/** Most connections drawn per layer (the strongest by |w|). */
export const MAX_EDGES = 1200;
/** Strength levels of the connections (width and opacity ∝ |w| / max |w| of the layer, in steps). */
const LEVELS = 8;
/** Resolution of the neuron heatmaps. */
const NEURON_RES = 32;
/** Inputs above this are drawn as one block (the digits' 784 pixels). */
const MAX_INPUT_NODES = 64;

/** Where the units of a snapshot sit on a w × h canvas. */
interface Layout {
  readonly cols: readonly number[];
  /** y of unit j of column c. */
  readonly y: (c: number, j: number) => number;
  readonly r: number;
  /** True when the input column is a block, not units. */
  readonly block: boolean;
  readonly top: number;
  readonly bottom: number;
}

function layoutOf(net: NetSnapshot, w: number, h: number, dpr: number): Layout {
  const pad = 18 * dpr;
  const top = 8 * dpr;
  const bottom = h - 16 * dpr;
  const n = net.sizes.length;
  const cols = net.sizes.map((_, c) => pad + (c * (w - 2 * pad)) / Math.max(1, n - 1));
  const block = net.sizes[0] > MAX_INPUT_NODES;
  const most = Math.max(...net.sizes.slice(block ? 1 : 0));
  const r = Math.max(1.5 * dpr, Math.min(8 * dpr, (bottom - top) / most / 2.6, (w - 2 * pad) / Math.max(1, n - 1) / 5));
  const y = (c: number, j: number): number => top + ((j + 0.5) * (bottom - top)) / net.sizes[c];
  return { cols, y, r, block, top, bottom };
}

/** log₁₀ bounds of the positive finite unit gradients. */
function gradBounds(net: NetSnapshot): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const g of net.unitGrad) {
    for (const v of g) {
      if (v > 0 && Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (!(hi >= lo)) return null;
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  return [a, b - a < 1e-9 ? a + 1 : b];
}

/** The |w| above which a connection of `w` is among the `max` strongest. */
function threshold(w: Float32Array, max: number): number {
  if (w.length <= max) return 0;
  const a = Float32Array.from(w, Math.abs).sort();
  return a[a.length - max];
}

function draw(c: HTMLCanvasElement, net: NetSnapshot, hover: Hover | null): number {
  const f = fit(c);
  if (!f) return 0;
  const { ctx, w, h } = f;
  const dpr = window.devicePixelRatio || 1;
  ctx.clearRect(0, 0, w, h);
  const L = layoutOf(net, w, h, dpr);
  let edges = 0;
  // connections: layer l joins column l to column l + 1
  net.weights.forEach((W, l) => {
    const I = net.sizes[l];
    const O = net.sizes[l + 1];
    if (l === 0 && L.block) {
      ctx.strokeStyle = 'rgba(120,120,120,0.25)';
      ctx.lineWidth = 0.6 * dpr;
      for (let j = 0; j < O; j++) {
        ctx.beginPath();
        ctx.moveTo(L.cols[0] + 6 * dpr, (L.top + L.bottom) / 2);
        ctx.lineTo(L.cols[1], L.y(1, j));
        ctx.stroke();
      }
      return;
    }
    if (!W) return;
    let maxAbs = 0;
    for (const v of W) if (Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
    if (maxAbs === 0) return;
    const t = threshold(W, MAX_EDGES);
    // one path per sign and strength level: a few strokes per layer instead of one per connection
    const paths = Array.from({ length: 2 * LEVELS }, () => new Path2D());
    const lit = new Path2D();
    let anyLit = false;
    for (let j = 0; j < O; j++) {
      for (let k = 0; k < I; k++) {
        const v = W[j * I + k];
        const a = Math.abs(v);
        if (!(a >= t) || a === 0) continue;
        const level = Math.min(LEVELS - 1, Math.floor((a / maxAbs) * LEVELS));
        const on = hover !== null && ((hover.col === l + 1 && hover.unit === j) || (hover.col === l && hover.unit === k));
        const p = on ? lit : paths[(v > 0 ? 0 : LEVELS) + level];
        anyLit ||= on;
        p.moveTo(L.cols[l], L.y(l, k));
        p.lineTo(L.cols[l + 1], L.y(l + 1, j));
        edges++;
      }
    }
    paths.forEach((p, i) => {
      const s = ((i % LEVELS) + 0.5) / LEVELS;
      ctx.strokeStyle = i < LEVELS ? `rgba(0,114,178,${0.12 + 0.6 * s})` : `rgba(213,94,0,${0.12 + 0.6 * s})`;
      ctx.lineWidth = (0.3 + 2.7 * s) * dpr;
      ctx.stroke(p);
    });
    if (anyLit) {
      ctx.strokeStyle = 'rgba(0,0,0,0.75)';
      ctx.lineWidth = 1.5 * dpr;
      ctx.stroke(lit);
    }
  });
  // units: the inputs in grey, every other unit by its gradient
  const bounds = gradBounds(net);
  if (L.block) {
    ctx.fillStyle = '#e4e7eb';
    ctx.strokeStyle = '#9aa0a6';
    ctx.fillRect(L.cols[0] - 6 * dpr, L.top, 12 * dpr, L.bottom - L.top);
    ctx.strokeRect(L.cols[0] - 6 * dpr, L.top, 12 * dpr, L.bottom - L.top);
  }
  for (let c = L.block ? 1 : 0; c < net.sizes.length; c++) {
    for (let j = 0; j < net.sizes[c]; j++) {
      const g = c === 0 ? NaN : net.unitGrad[c - 1][j];
      ctx.beginPath();
      ctx.arc(L.cols[c], L.y(c, j), L.r, 0, 2 * Math.PI);
      if (c === 0) ctx.fillStyle = '#d9dde3';
      else if (!Number.isFinite(g)) ctx.fillStyle = '#dc2828';
      else if (g === 0 || !bounds) ctx.fillStyle = '#ffffff';
      else {
        const [r, gg, b] = viridis((Math.log10(g) - bounds[0]) / (bounds[1] - bounds[0]));
        ctx.fillStyle = `rgb(${r},${gg},${b})`;
      }
      ctx.fill();
      const isHover = hover !== null && hover.col === c && hover.unit === j;
      ctx.lineWidth = (isHover ? 2.5 : c > 0 && g === 0 ? 1.8 : 0.8) * dpr;
      ctx.strokeStyle = isHover ? '#000' : c > 0 && g === 0 ? '#a4161a' : '#5f6368';
      ctx.stroke();
    }
  }
  ctx.fillStyle = '#5f6368';
  ctx.font = `${10 * dpr}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  for (let c = 0; c < net.sizes.length; c++) ctx.fillText(c === 0 ? `${net.sizes[0]}` : c === net.sizes.length - 1 ? 'out' : String(c), L.cols[c], h - 3 * dpr);
  return edges;
}

/** A unit under the pointer: its column (0 = inputs) and index. */
interface Hover {
  readonly col: number;
  readonly unit: number;
  /** Pointer position in CSS pixels inside the figure. */
  readonly x: number;
  readonly y: number;
}

/** The unit nearest (px, py) in CSS pixels, if the pointer is on one. */
function unitAt(c: HTMLCanvasElement, net: NetSnapshot, px: number, py: number): Omit<Hover, 'x' | 'y'> | null {
  const dpr = window.devicePixelRatio || 1;
  const L = layoutOf(net, c.width, c.height, dpr);
  const x = px * dpr;
  const y = py * dpr;
  let best: Omit<Hover, 'x' | 'y'> | null = null;
  let bestD = (L.r + 5 * dpr) ** 2;
  for (let col = L.block ? 1 : 0; col < net.sizes.length; col++) {
    if (Math.abs(L.cols[col] - x) > L.r + 5 * dpr) continue;
    for (let j = 0; j < net.sizes[col]; j++) {
      const d = (L.cols[col] - x) ** 2 + (L.y(col, j) - y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = { col, unit: j };
      }
    }
  }
  return best;
}

/** Draws one unit's output over the plane: blue above 0, orange below, white at 0 (scaled to its largest |a|). */
function drawNeuron(c: HTMLCanvasElement, grid: NeuronGrid, col: number, unit: number, units: number): [number, number] {
  const f = fit(c);
  const n = grid.res * grid.res;
  const vals = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (col === 0) {
      // an input unit's "output" is the coordinate itself
      const r = Math.floor(i / grid.res);
      const cc = i % grid.res;
      const [x0, x1, y0, y1] = grid.extent;
      vals[i] = unit === 0 ? x0 + ((cc + 0.5) / grid.res) * (x1 - x0) : y0 + ((r + 0.5) / grid.res) * (y1 - y0);
    } else vals[i] = grid.outputs[col - 1][i * units + unit];
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of vals) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!f) return [lo, hi];
  const scale = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  const img = new ImageData(grid.res, grid.res);
  for (let i = 0; i < n; i++) {
    const t = Number.isFinite(vals[i]) ? vals[i] / scale : 0;
    const rgb = t >= 0 ? [0, 114, 178] : [213, 94, 0];
    const a = Math.min(1, Math.abs(t));
    const row = grid.res - 1 - Math.floor(i / grid.res); // ymax at the top
    const o = 4 * (row * grid.res + (i % grid.res));
    img.data[o] = Math.round(255 + (rgb[0] - 255) * a);
    img.data[o + 1] = Math.round(255 + (rgb[1] - 255) * a);
    img.data[o + 2] = Math.round(255 + (rgb[2] - 255) * a);
    img.data[o + 3] = 255;
  }
  const tmp = document.createElement('canvas');
  tmp.width = grid.res;
  tmp.height = grid.res;
  tmp.getContext('2d')?.putImageData(img, 0, 0);
  f.ctx.imageSmoothingEnabled = true;
  f.ctx.drawImage(tmp, 0, 0, f.w, f.h);
  return [lo, hi];
}

interface NetworkViewProps {
  readonly h: RunHistory;
  readonly lang: Lang;
  /** Asks the worker for the neuron grids of this run. */
  readonly requestNeurons: (res: number) => void;
}

/** The network with its weights and gradient flow, and the hover heatmaps for 2-D data. */
export function NetworkView({ h, lang, requestNeurons }: NetworkViewProps) {
  const [hover, setHover] = useState<Hover | null>(null);
  const edges = useRef(0);
  const asked = useRef(0);
  const net = h.net;
  const canvas = useCanvas(
    (c) => {
      if (!net) return;
      edges.current = draw(c, net, hover);
      c.dataset.edges = String(edges.current);
    },
    [net, hover?.col, hover?.unit],
  );
  const plane = h.info?.points !== null && h.info?.points !== undefined;
  // a fresh grid when the pointer is on a unit and the weights have moved on (at most every 300 ms)
  useEffect(() => {
    if (!hover || !plane) return;
    const now = performance.now();
    if ((h.neurons === null || h.neurons.step !== h.step) && now - asked.current > 300) {
      asked.current = now;
      requestNeurons(NEURON_RES);
    }
  }, [hover?.col, hover?.unit, h.step, plane]);
  const popup = useRef<HTMLCanvasElement>(null);
  const [range, setRange] = useState<[number, number] | null>(null);
  useEffect(() => {
    const c = popup.current;
    if (!c || !hover || !h.neurons || !net) return;
    setRange(drawNeuron(c, h.neurons, hover.col, hover.unit, hover.col === 0 ? 2 : net.sizes[hover.col]));
  }, [h.neurons, hover?.col, hover?.unit]);

  const onMove = (e: PointerEvent): void => {
    const c = canvas.current;
    if (!c || !net) return;
    const box = c.getBoundingClientRect();
    const u = unitAt(c, net, e.clientX - box.left, e.clientY - box.top);
    setHover(u ? { ...u, x: e.clientX - box.left, y: e.clientY - box.top } : null);
  };
  const g = hover && net && hover.col > 0 ? net.unitGrad[hover.col - 1][hover.unit] : null;
  const last = net ? net.sizes.length - 1 : 0;
  return (
    <figure class="network">
      <div class="net-wrap">
        <canvas ref={canvas} role="img" aria-label={tr(lang, 'chartNetworkAria')} data-chart="network" onPointerMove={onMove} onPointerDown={onMove} onPointerLeave={() => setHover(null)} />
        {hover && net && (
          <div class="neuron-pop" style={{ left: `${hover.x + 170 < (canvas.current?.clientWidth ?? 300) ? hover.x + 14 : Math.max(0, hover.x - 164)}px`, top: `${Math.max(-60, hover.y - 100)}px` }} data-neuron={`${hover.col}:${hover.unit}`}>
            <strong>{hover.col === 0 ? tr(lang, 'inputN', { n: hover.unit + 1 }) : tr(lang, 'unitOf', { layer: hover.col === last ? 'out' : hover.col, n: hover.unit + 1 })}</strong>
            {g !== null && <span class="dim nowrap"> · |∂C/∂bⱼ| = {fmtNum(g)}</span>}
            {plane ? (
              <>
                <canvas ref={popup} class="neuron-map" data-neuron-heatmap />
                {range && <span class="dim">{tr(lang, 'neuronRange', { lo: fmtNum(range[0]), hi: fmtNum(range[1]) })}</span>}
              </>
            ) : (
              <span class="dim"> · {tr(lang, 'neuronNoPlane')}</span>
            )}
          </div>
        )}
      </div>
      <figcaption class="dim">
        <span class="key pos" aria-hidden="true" /> {tr(lang, 'netPos')} <span class="key neg" aria-hidden="true" /> {tr(lang, 'netNeg')} · <span class="heat-scale small" aria-hidden="true" /> {tr(lang, 'netGrad')} · <span class="key zero" aria-hidden="true" />{' '}
        {tr(lang, 'netZero')}
        {plane ? ` · ${tr(lang, 'netHover')}` : ''}
      </figcaption>
    </figure>
  );
}
