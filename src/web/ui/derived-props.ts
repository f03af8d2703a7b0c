/**
 * An activation's properties at any parameter values, measured from f and
 * f′ themselves (the catalogue states them for the defaults): the range of f
 * and of f′ as unions of intervals and points, sup |f′|, f′(0), whether f is
 * monotonic and bounded, and the dead zone where f′ = 0 exactly. f is
 * sampled on a fine grid over [−15, 15] plus the points where parameterised
 * functions bend (0, ±each parameter); the grid is cut into continuous
 * pieces at jumps, and each end of a piece is settled by bisection toward
 * its neighbour (is the bound reached, or only approached?) or by the tail
 * toward ±∞.
 */
import type { ActivationDef } from '../../activations/types.js';
import { fmtNum } from '../verdict-text.js';

/** The properties at one set of parameter values, as the properties table shows them. */
export interface DerivedProps {
  readonly range: string;
  readonly derivativeRange: string;
  /** sup over x of |f′(x)|. */
  readonly derivativeMax: number;
  readonly derivativeAtZero: number;
  readonly monotonic: boolean;
  readonly boundedAbove: boolean;
  readonly boundedBelow: boolean;
  /** Where f′ = 0 exactly, e.g. "x ≤ 0", "|x| ≤ 0.3"; empty when nowhere. */
  readonly deadZone: string;
}

// float64 saturates tanh to exactly 1 past x ≈ 19: sample inside that, and find the tails by their limits
const HALF = 15;
const H = 0.005;

/** A number as the catalogue writes it: 3 significant digits, a true minus sign, ∞. */
export function num(v: number): string {
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  const s = fmtNum(Math.abs(v) < 1e-12 ? 0 : v);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/** The sample points: the grid, kept 1e-6 away from the special points, and the special points themselves. */
function samplePoints(special: readonly number[]): Float64Array {
  const sp = [...new Set(special.filter((x) => Number.isFinite(x) && Math.abs(x) < HALF))];
  const xs: number[] = [...sp];
  for (let i = 0; i <= (2 * HALF) / H; i++) {
    const x = -HALF + i * H;
    if (sp.every((s) => Math.abs(x - s) > 1e-6)) xs.push(x);
  }
  return Float64Array.from(xs.sort((a, b) => a - b));
}

/** One end of a piece of the value set. */
interface End {
  readonly v: number;
  readonly closed: boolean;
}

/** A piece of the value set: an interval, or a point when lo = hi. */
interface Piece {
  readonly lo: End;
  readonly hi: End;
}

/** The last x from `inside` toward `outside` where g still looks like it does at `inside` (the switch, by bisection). */
function bisectEdge(g: (x: number) => number, inside: number, outside: number): number {
  const vIn = g(inside);
  const vOut = g(outside);
  let a = inside;
  let b = outside;
  for (let k = 0; k < 60; k++) {
    const m = (a + b) / 2;
    if (m === a || m === b) break;
    const v = g(m);
    if (Math.abs(v - vIn) <= Math.abs(v - vOut)) a = m;
    else b = m;
  }
  return a;
}

/** g approached from the piece's point `inside` toward its neighbour `outside`: its value just before the switch. */
function limitToward(g: (x: number) => number, inside: number, outside: number): number {
  return g(bisectEdge(g, inside, outside));
}

/** g's limit toward +∞ (dir 1) or −∞ (dir −1): ±∞ when it keeps growing, else where it settles. */
function tail(g: (x: number) => number, dir: 1 | -1): number {
  const a = g(dir * 1e9);
  const b = g(dir * 1e12);
  if (!Number.isFinite(b)) return b > 0 ? Infinity : -Infinity;
  if (Math.abs(b - a) <= 1e-6 * Math.max(1, Math.abs(b))) return b;
  return b > a ? Infinity : -Infinity;
}

/** The value set of g over ℝ, as pieces in increasing order. */
function valueSet(g: (x: number) => number, xs: Float64Array): Piece[] {
  const vs = Float64Array.from(xs, g);
  const n = xs.length;
  // cut where a step is far larger than the steps beside it: a jump, not a steep slope
  const d = (i: number): number => Math.abs(vs[i + 1] - vs[i]);
  const cuts: number[] = [];
  for (let i = 0; i + 1 < n; i++) {
    const around = Math.max(i > 0 ? d(i - 1) : 0, i + 2 < n ? d(i + 1) : 0);
    if (d(i) > 10 * around + 1e-9 * (1 + Math.abs(vs[i]))) cuts.push(i);
  }
  const pieces: Piece[] = [];
  let start = 0;
  for (const c of [...cuts, n - 1]) {
    const i0 = start;
    const i1 = c;
    start = c + 1;
    let lo = Infinity, hi = -Infinity, iLo = i0, iHi = i0;
    for (let i = i0; i <= i1; i++) {
      if (vs[i] < lo) [lo, iLo] = [vs[i], i];
      if (vs[i] > hi) [hi, iHi] = [vs[i], i];
    }
    const settle = (m: number, im: number, sign: 1 | -1): End => {
      // reached at a point inside the piece (or on a plateau): closed
      const plateau = (im > i0 && vs[im - 1] === m) || (im < i1 && vs[im + 1] === m);
      if ((im !== i0 && im !== i1) || plateau) return { v: m, closed: true };
      const limit = im === 0 ? tail(g, -1) : im === n - 1 ? tail(g, 1) : limitToward(g, xs[im], xs[im === i0 ? im - 1 : im + 1]);
      // only approached when the limit lies beyond every sampled value
      return sign * (limit - m) > 0 ? { v: limit, closed: false } : { v: m, closed: true };
    };
    pieces.push({ lo: settle(lo, iLo, -1), hi: settle(hi, iHi, 1) });
  }
  // merge overlapping or touching pieces into one
  pieces.sort((a, b) => a.lo.v - b.lo.v);
  const out: Piece[] = [];
  for (const p of pieces) {
    const q = out[out.length - 1];
    const tol = 1e-9 * Math.max(1, Math.abs(p.lo.v));
    if (q && (p.lo.v < q.hi.v - tol || (Math.abs(p.lo.v - q.hi.v) <= tol && (p.lo.closed || q.hi.closed)))) {
      const hi = p.hi.v > q.hi.v + tol ? p.hi : Math.abs(p.hi.v - q.hi.v) <= tol ? { v: q.hi.v, closed: p.hi.closed || q.hi.closed } : q.hi;
      const lo = Math.abs(p.lo.v - q.lo.v) <= tol ? { v: q.lo.v, closed: p.lo.closed || q.lo.closed } : q.lo;
      out[out.length - 1] = { lo, hi };
    } else out.push(p);
  }
  return out;
}

/** Pieces as text: runs of points as one set, intervals with their brackets, joined by ∪. */
function setText(pieces: readonly Piece[]): string {
  const parts: string[] = [];
  let points: number[] = [];
  const flush = (): void => {
    if (points.length > 0) parts.push(`{${points.map(num).join(', ')}}`);
    points = [];
  };
  for (const p of pieces) {
    if (p.lo.v === p.hi.v) points.push(p.lo.v);
    else {
      flush();
      parts.push(`${p.lo.closed && Number.isFinite(p.lo.v) ? '[' : '('}${num(p.lo.v)}, ${num(p.hi.v)}${p.hi.closed && Number.isFinite(p.hi.v) ? ']' : ')'}`);
    }
  }
  flush();
  // a set of points only: one set
  return parts.every((s) => s.startsWith('{')) ? `{${parts.map((s) => s.slice(1, -1)).join(', ')}}` : parts.join(' ∪ ');
}

/** Where df = 0 exactly, in words. */
function deadZoneText(df: (x: number) => number, xs: Float64Array): string {
  const runs: [number, number][] = [];
  let i = 0;
  while (i < xs.length) {
    if (df(xs[i]) !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < xs.length && df(xs[j + 1]) === 0) j++;
    // exact ends by bisection between the last zero and the first non-zero
    const zero = (x: number): number => (df(x) === 0 ? 0 : 1);
    const lo = i === 0 ? -Infinity : bisectEdge(zero, xs[i], xs[i - 1]);
    const hi = j === xs.length - 1 ? Infinity : bisectEdge(zero, xs[j], xs[j + 1]);
    // an isolated zero (tanhshrink′(0)) is not a zone
    if (hi - lo > 1e-6) runs.push([lo, hi]);
    i = j + 1;
  }
  return runs
    .map(([lo, hi]) => {
      if (lo === -Infinity && hi === Infinity) return 'everywhere';
      if (lo === -Infinity) return `x ≤ ${num(hi)}`;
      if (hi === Infinity) return `x ≥ ${num(lo)}`;
      if (Math.abs(lo + hi) < 1e-9 * Math.max(1, hi)) return `|x| ≤ ${num(hi)}`;
      return `${num(lo)} ≤ x ≤ ${num(hi)}`;
    })
    .join(' and ');
}

/** The properties of `def` at parameter values `p`. */
export function derivedProps(def: ActivationDef, p: readonly number[]): DerivedProps {
  const f = (x: number): number => def.f(x, p);
  const df = (x: number): number => def.df(x, p);
  const xs = samplePoints([0, ...p, ...p.map((v) => -v), ...def.meta.kinks.map((k) => k.at)]);
  const range = valueSet(f, xs);
  const dRange = valueSet(df, xs);
  const dMax = Math.max(...dRange.map((q) => Math.max(Math.abs(q.lo.v), Math.abs(q.hi.v))));
  let up = true;
  let down = true;
  for (const x of xs) {
    const v = df(x);
    if (v < 0) up = false;
    if (v > 0) down = false;
  }
  return {
    range: setText(range),
    derivativeRange: setText(dRange),
    derivativeMax: dMax,
    derivativeAtZero: df(0),
    monotonic: up || down,
    boundedAbove: Number.isFinite(range[range.length - 1].hi.v),
    boundedBelow: Number.isFinite(range[0].lo.v),
    deadZone: deadZoneText(df, xs),
  };
}
