/**
 * Study stage 1: the sigmoid's derivative is at most 1/4, and the gradient of
 * the first layer of a one-neuron-per-layer net is a product of one factor
 * w·σ'(z) per layer — measured on a grid, on one chain checked against the
 * engine's backpropagation, and over many random chains.
 */
import { getActivation } from '../activations/catalogue.js';
import { chainView } from '../diagnostics/chain.js';
import { Dense } from '../nn/dense.js';
import { buildMlp } from '../nn/build.js';
import { quadratic } from '../nn/losses.js';
import { Rng } from '../tensor/rng.js';
import type { BoundSection, Curve } from './types.js';

/** f and f' of a catalogue entry on n+1 points of [a, b]. */
export function sampleCurve(name: string, a: number, b: number, n: number): Curve {
  const def = getActivation(name);
  const p = def.params.map((s) => s.default);
  const x = Array.from({ length: n + 1 }, (_, i) => a + ((b - a) * i) / n);
  return { name, x, f: x.map((v) => def.f(v, p)), df: x.map((v) => def.df(v, p)) };
}

/**
 * Width of the band of inputs a for which |w·σ'(w·a + b)| ≥ 1 (independent of b):
 * σ(1 − σ) ≥ 1/|w| ⇔ σ ∈ [s₋, s₊] with s± = (1 ± √(1 − 4/|w|))/2, so the band in z
 * is 2·logit(s₊) wide, and in a it is that divided by |w|. Zero for |w| < 4.
 */
export function bandWidth(w: number): number {
  const aw = Math.abs(w);
  if (aw < 4) return 0;
  const sp = (1 + Math.sqrt(1 - 4 / aw)) / 2;
  return (2 * Math.log(sp / (1 - sp))) / aw;
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Runs stage 1. */
export function runBound(seed: number, draws: number, maxDepth: number): BoundSection {
  const sig = getActivation('sigmoid');
  // σ' on a fine grid
  let bestX = 0;
  let best = -Infinity;
  for (let i = -100000; i <= 100000; i++) {
    const x = i * 1e-4;
    const v = sig.df(x, []);
    if (v > best) {
      best = v;
      bestX = x;
    }
  }
  const curves = ['sigmoid', 'tanh', 'relu'].map((n) => sampleCurve(n, -6, 6, 120));

  // one chain of depth 5, w, b ~ N(0, 1), input 0.5, target 1, quadratic cost
  const depth = 5;
  const rng = new Rng(seed);
  const w = Array.from({ length: depth }, () => rng.normal());
  const b = Array.from({ length: depth }, () => rng.normal());
  const view = chainView(sig, [], w, b, 0.5, 1);
  // independent check: the same chain as a Network through the engine's backprop
  const net = buildMlp({ sizes: Array(depth + 1).fill(1), hidden: { name: 'sigmoid' }, output: { name: 'sigmoid' }, init: 'normal', dtype: 'float64', rng: new Rng(0) });
  (net.weightLayers as Dense[]).forEach((d, j) => {
    d.weight[0] = w[j];
    d.bias[0] = b[j];
  });
  net.zeroGrad();
  net.lossAndBackward(Float64Array.of(0.5), Float64Array.of(1), 1, quadratic, { training: false, rng: new Rng(0) });
  const backprop = net.weightLayers[0].dbias[0];

  // |product of factors| over many random chains, by depth
  const prods: Float64Array[] = Array.from({ length: maxDepth }, () => new Float64Array(draws));
  const r2 = new Rng(seed + 1);
  for (let k = 0; k < draws; k++) {
    let a = r2.uniform();
    let prod = 1;
    for (let j = 0; j < maxDepth; j++) {
      const wj = r2.normal();
      const z = wj * a + r2.normal();
      a = sig.f(z, []);
      prod *= (j === 0 ? 1 : Math.abs(wj)) * sig.df(z, []);
      prods[j][k] = prod;
    }
  }
  const depths = Array.from({ length: maxDepth }, (_, j) => j + 1);
  const sorted = prods.map((p) => p.slice().sort());

  const ws = Array.from({ length: 321 }, (_, i) => 4 + i * 0.05);
  const widths = ws.map(bandWidth);
  let iMax = 0;
  widths.forEach((v, i) => {
    if (v > widths[iMax]) iMax = i;
  });
  return {
    sigmoidDerivativeMax: { x: bestX, value: best },
    curves,
    chainExample: {
      depth,
      seed,
      links: view.links.map((l) => ({ layer: l.layer, w: l.w, z: l.z, derivative: l.derivative, factor: l.factor, runningProduct: l.runningProduct })),
      dCdb1Chain: view.dCdb1,
      dCdb1Backprop: backprop,
    },
    productVsDepth: {
      draws,
      depth: depths,
      median: sorted.map((s) => quantile(s, 0.5)),
      q10: sorted.map((s) => quantile(s, 0.1)),
      q90: sorted.map((s) => quantile(s, 0.9)),
      quarterPower: depths.map((d) => Math.pow(0.25, d)),
    },
    band: { w: ws, width: widths, maxWidth: widths[iMax], argmaxW: ws[iMax], minW: 4 },
  };
}
