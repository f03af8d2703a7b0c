/**
 * The published claims the "Order and chaos" stage checks, derived from its
 * measurements in the study-wide `claims` format: each with the measured
 * number over seeds, the test it was held to and whether it agrees.
 */
import { msg, phrase, type MessageKey } from '../i18n/catalogue.js';
import type { Var } from '../i18n/message.js';
import type { OrderChaosSection, StudyClaim } from './order-chaos-types.js';
import { median } from '../experiments/stats.js';

type Section = Omit<OrderChaosSection, 'claims'>;

/** A claim's claim, published value and test, in English and as messages of the catalogue (`occ.<name>.*`). */
function texts(name: string, testVars: Readonly<Record<string, Var>>): Pick<StudyClaim, 'claim' | 'published' | 'test' | 'said'> {
  const key = (part: string): MessageKey => `occ.${name}.${part}` as MessageKey;
  const said = { claim: msg(key('claim')), published: msg(key('published')), test: msg(key('test'), testVars) };
  return { claim: phrase('en', said.claim), published: phrase('en', said.published), test: phrase('en', said.test), said };
}

function over(xs: readonly number[]): StudyClaim['measured'] {
  const f = xs.filter(Number.isFinite);
  return f.length ? { median: median(f), lo: Math.min(...f), hi: Math.max(...f), seeds: f.length } : { median: NaN, lo: NaN, hi: NaN, seeds: 0 };
}

/** Where y crosses 0 between the grid points x, by linear interpolation (the first crossing), or NaN. */
export function zeroCrossing(xs: readonly number[], ys: readonly number[]): number {
  for (let i = 1; i < xs.length; i++) {
    if (ys[i - 1] < 0 && ys[i] >= 0) return xs[i - 1] + ((xs[i] - xs[i - 1]) * -ys[i - 1]) / (ys[i] - ys[i - 1]);
  }
  return NaN;
}

/** The tanh critical point along the σ_b² = 0.05 row: where the measured late-layer ln χ crosses 0, per seed. */
function criticalClaim(s: Section): StudyClaim | null {
  const row = s.phase.cells.filter((c) => c.sigmaB2 === 0.05).sort((a, b) => a.sigmaW2 - b.sigmaW2);
  if (row.length < 2) return null;
  const seeds = row[0].measuredLateChi.length;
  const crossings = Array.from({ length: seeds }, (_, k) => zeroCrossing(row.map((c) => c.sigmaW2), row.map((c) => Math.log(c.measuredLateChi[k]))));
  const m = over(crossings);
  // the grid spacing around 1.76 bounds how precisely a crossing between grid points can land
  const gap = Math.max(...row.map((c, i) => (i > 0 && row[i - 1].sigmaW2 <= 1.76 && c.sigmaW2 >= 1.76 ? c.sigmaW2 - row[i - 1].sigmaW2 : 0)));
  const within = Math.abs(m.median - 1.76) <= Math.max(0.1, gap / 2);
  const inRange = m.lo <= 1.76 && 1.76 <= m.hi;
  return {
    id: 'order-chaos/tanh-critical-point',
    ...texts('critical', { last: s.phase.depth - Math.floor(s.phase.depth / 2), depth: s.phase.depth, width: s.phase.width, gap: String(gap) }),
    source: 'Schoenholz et al. 2017',
    measured: m,
    agrees: within ? 'yes' : inRange ? 'indistinguishable' : 'no',
  };
}

/** The χ₁ = 1 line separates shrinking from growing gradients: the share of phase-diagram cells on the predicted side. */
function phaseClaim(s: Section): StudyClaim | null {
  const cells = s.phase.cells.filter((c) => c.chi1 !== null && Math.abs(Math.log(c.chi1)) > 0.02);
  if (cells.length === 0) return null;
  const seeds = cells[0].measuredLateChi.length;
  const perSeed = Array.from({ length: seeds }, (_, k) => cells.filter((c) => c.measuredLateChi[k] > 1 === c.chi1! > 1).length / cells.length);
  const m = over(perSeed);
  return {
    id: 'order-chaos/phase-diagram',
    ...texts('phase', { n: cells.length }),
    source: 'Poole et al. 2016; Schoenholz et al. 2017',
    measured: m,
    agrees: m.lo >= 0.95 ? 'yes' : m.median >= 0.8 ? 'partly' : 'no',
  };
}

/** Measured per-layer gradient factor against √χ over the decay points. */
function decayClaim(s: Section): StudyClaim | null {
  const pts = s.decay.points;
  if (pts.length === 0) return null;
  const ratios = pts.map((p) => p.measuredFactor.median / p.predictedFactor);
  const m = over(ratios);
  const worst = Math.max(...ratios.map((r) => Math.abs(r - 1)));
  return {
    id: 'order-chaos/gradient-factor',
    ...texts('decay', { depth: s.decay.depth, width: s.decay.width, n: pts.length, k: s.decay.seeds.length, worst: (100 * worst).toFixed(1) }),
    source: 'Schoenholz et al. 2017',
    measured: { ...m, seeds: s.decay.seeds.length },
    agrees: worst <= 0.05 ? 'yes' : worst <= 0.15 ? 'partly' : 'no',
  };
}

/** Predicted c^l against the measured inputCorrelation. */
function correlationClaim(s: Section): StudyClaim | null {
  const runs = s.phase.correlations;
  if (runs.length === 0) return null;
  const diffs = runs.flatMap((r) => r.predicted.map((p, l) => Math.abs(r.measured.median[l] - p)));
  const inside = runs.flatMap((r) => r.predicted.map((p, l) => (p >= r.measured.min[l] - 0.02 && p <= r.measured.max[l] + 0.02 ? 1 : 0)));
  const share = inside.reduce((a: number, b: number) => a + b, 0) / inside.length;
  const m = over(diffs);
  return {
    id: 'order-chaos/correlation-map',
    ...texts('corr', { n: runs.length, b: String(runs[0].sigmaB2), k: s.phase.seeds.length, share: (100 * share).toFixed(0) }),
    source: 'Poole et al. 2016; Schoenholz et al. 2017',
    measured: { ...m, seeds: s.phase.seeds.length },
    agrees: m.median <= 0.05 && share >= 0.8 ? 'yes' : m.median <= 0.1 ? 'partly' : 'no',
  };
}

/** Trained (test accuracy above the threshold) exactly where depth ≤ 6 ξ_c. */
function trainabilityClaim(s: Section): StudyClaim | null {
  const t = s.trainability;
  if (t.cells.length === 0) return null;
  const six = (sw2: number): number => {
    const near = t.sixXiC.reduce((b, p) => (Math.abs(p.sigmaW2 - sw2) < Math.abs(b.sigmaW2 - sw2) ? p : b));
    return near.depth ?? Infinity;
  };
  const agree = t.cells.map((c) => (c.accuracy.median > t.trainedAbove === c.depth <= six(c.sigmaW2) ? 1 : 0));
  const deeper = t.cells.filter((c) => c.depth > six(c.sigmaW2));
  const deeperTrained = deeper.filter((c) => c.accuracy.median > t.trainedAbove).length;
  const share = agree.reduce((a: number, b: number) => a + b, 0) / agree.length;
  return {
    id: 'order-chaos/trainable-depth',
    ...texts('train', { n: t.cells.length, b: String(t.sigmaB2), width: t.width, steps: t.steps, opt: t.optimizer, pct: 100 * t.trainedAbove, dt: deeperTrained, dn: deeper.length }),
    source: 'Schoenholz et al. 2017',
    measured: { median: share, lo: share, hi: share, seeds: t.seeds.length },
    agrees: share >= 0.9 ? 'yes' : share >= 0.6 && deeperTrained <= 1 ? 'partly' : 'no',
  };
}

/** Orthogonal tanh at criticality keeps the spectrum near 1; Gaussian weights and ReLU do not. */
function isometryClaim(s: Section): StudyClaim | null {
  const runs = s.isometry.runs;
  if (runs.length === 0) return null;
  const deepest = Math.max(...s.isometry.depths);
  const at = runs.filter((r) => r.depth === deepest);
  const best = at.find((r) => r.act === 'tanh' && r.weights === 'orthogonal');
  if (!best) return null;
  const others = at.filter((r) => r !== best);
  const worstOther = Math.max(...others.map((r) => r.nearOne));
  const m = over(best.perSeedNearOne);
  return {
    id: 'order-chaos/dynamical-isometry',
    ...texts('iso', { depth: deepest, width: s.isometry.width, other: worstOther.toFixed(2) }),
    source: 'Pennington, Schoenholz & Ganguli 2017',
    measured: m,
    agrees: m.median >= 0.8 && worstOther <= 0.5 ? 'yes' : m.median > worstOther ? 'partly' : 'no',
  };
}

/** He's σ_w² = 2 keeps the ReLU gradient's size: factor 1 per layer. */
function heClaim(s: Section): StudyClaim | null {
  const p = s.decay.points.find((x) => x.act === 'relu' && x.init === 'he_normal');
  if (!p) return null;
  const m = p.measuredFactor;
  return {
    id: 'order-chaos/relu-he-factor',
    ...texts('he', { depth: s.decay.depth, width: s.decay.width }),
    source: 'He et al. 2015; Schoenholz et al. 2017',
    measured: { median: m.median, lo: m.min, hi: m.max, seeds: s.decay.seeds.length },
    agrees: Math.abs(m.median - 1) <= 0.03 ? 'yes' : m.min <= 1 && 1 <= m.max ? 'indistinguishable' : 'no',
  };
}

/** The stage's claims, in report order (those whose part was not run are left out). */
export function orderChaosClaims(s: Section): StudyClaim[] {
  return [phaseClaim(s), criticalClaim(s), decayClaim(s), heClaim(s), correlationClaim(s), trainabilityClaim(s), isometryClaim(s)].filter((c): c is StudyClaim => c !== null);
}
