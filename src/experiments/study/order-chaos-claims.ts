/**
 * The published claims the "Order and chaos" stage checks, derived from its
 * measurements in the study-wide `claims` format: each with the measured
 * number over seeds, the test it was held to and whether it agrees.
 */
import type { OrderChaosSection, StudyClaim } from './order-chaos-types.js';
import { median } from './stats.js';

type Section = Omit<OrderChaosSection, 'claims'>;

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
    claim: 'For tanh with σ_b² = 0.05 the order-to-chaos transition (χ₁ = 1) lies at σ_w² ≈ 1.76.',
    source: 'Schoenholz et al. 2017',
    published: 'σ_w² ≈ 1.76 (mean-field theory; this implementation computes 1.7610)',
    measured: m,
    test: `σ_w² where the measured per-layer χ (‖δ‖² ratio over the last ${s.phase.depth - Math.floor(s.phase.depth / 2)} of ${s.phase.depth} tanh layers, width ${s.phase.width}) crosses 1, interpolated between grid points, per seed; agrees when the median is within max(0.1, half the grid step ${gap}) of 1.76`,
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
    claim: 'The line χ₁ = 1 separates an ordered phase, where gradients shrink toward the input, from a chaotic one, where they grow.',
    source: 'Poole et al. 2016; Schoenholz et al. 2017',
    published: 'vanishing gradients for χ₁ < 1, exploding for χ₁ > 1',
    measured: m,
    test: `share of the ${cells.length} (σ_w², σ_b²) cells with |ln χ₁| > 0.02 whose measured late-layer χ is on the same side of 1 as the predicted χ₁, per seed; agrees when ≥ 0.95`,
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
    claim: 'Backpropagated gradients change by a factor √χ per layer in norm (E‖δˡ‖² = χ·E‖δˡ⁺¹‖²).',
    source: 'Schoenholz et al. 2017',
    published: 'factor √χ₁ per layer (χ at each layer\'s own variance while it settles)',
    measured: { ...m, seeds: s.decay.seeds.length },
    test: `measured/predicted geometric-mean factor per layer over ${s.decay.depth} layers of width ${s.decay.width}, at ${pts.length} (activation, σ_w²) points (median over ${s.decay.seeds.length} seeds each); agrees when every point is within 5 % (worst: ${(100 * worst).toFixed(1)} %)`,
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
    claim: 'The correlation between two inputs follows the correlation map layer by layer, to c* = 1 in the ordered phase and c* < 1 in the chaotic one.',
    source: 'Poole et al. 2016; Schoenholz et al. 2017',
    published: 'c^l from the correlation map, converging to c* on the depth scale ξ_c',
    measured: { ...m, seeds: s.phase.seeds.length },
    test: `|median measured inputCorrelation − predicted c^l| over every hidden layer of ${runs.length} σ_w² values (σ_b² = ${runs[0].sigmaB2}; ${s.phase.seeds.length} seeds); the prediction is inside the seed range ± 0.02 at ${(100 * share).toFixed(0)} % of them; agrees when the median difference ≤ 0.05 and that share ≥ 80 %`,
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
    claim: 'Random networks are trainable only up to a depth of about 6 ξ_c.',
    source: 'Schoenholz et al. 2017',
    published: 'the trainable region is bounded by 6 ξ_c',
    measured: { median: share, lo: share, hi: share, seeds: t.seeds.length },
    test: `share of the ${t.cells.length} depth × σ_w² cells (tanh, σ_b² = ${t.sigmaB2}, width ${t.width}, ${t.steps} ${t.optimizer} steps) where "trained" (test accuracy > ${100 * t.trainedAbove} %) matches depth ≤ 6 ξ_c; ${deeperTrained} of ${deeper.length} cells deeper than 6 ξ_c trained; agrees when ≥ 90 %, partly when ≥ 60 % with no more than one deeper cell trained`,
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
    claim: 'At the edge of chaos, orthogonal weights with tanh keep the input–output Jacobian\'s singular values concentrated near 1 as depth grows; Gaussian weights do not, and ReLU cannot.',
    source: 'Pennington, Schoenholz & Ganguli 2017',
    published: 'dynamical isometry for orthogonal tanh at criticality; not for Gaussian weights or ReLU',
    measured: m,
    test: `share of singular values within a factor 2 of 1 at depth ${deepest} (width ${s.isometry.width}) for orthogonal tanh, per seed, against the best of the other three configurations (${worstOther.toFixed(2)}); agrees when the median ≥ 0.8 and every other configuration ≤ 0.5`,
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
    claim: 'With σ_w² = 2 (He) a ReLU network keeps the gradient\'s size from layer to layer (χ₁ = σ_w²/2 = 1).',
    source: 'He et al. 2015; Schoenholz et al. 2017',
    published: 'factor 1 per layer',
    measured: { median: m.median, lo: m.min, hi: m.max, seeds: s.decay.seeds.length },
    test: `geometric-mean ‖δˡ‖/‖δˡ⁺¹‖ over ${s.decay.depth} layers of width ${s.decay.width}; agrees when the median is within 3 % of 1, indistinguishable when 1 is inside the seed range`,
    agrees: Math.abs(m.median - 1) <= 0.03 ? 'yes' : m.min <= 1 && 1 <= m.max ? 'indistinguishable' : 'no',
  };
}

/** The stage's claims, in report order (those whose part was not run are left out). */
export function orderChaosClaims(s: Section): StudyClaim[] {
  return [phaseClaim(s), criticalClaim(s), decayClaim(s), heClaim(s), correlationClaim(s), trainabilityClaim(s), isometryClaim(s)].filter((c): c is StudyClaim => c !== null);
}
