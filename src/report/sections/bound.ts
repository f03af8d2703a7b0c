/**
 * Report section for study stage 1: σ′ ≤ 1/4, the chain product of a
 * one-neuron-per-layer net (checked against backpropagation), the product
 * over many random chains by depth, and Nielsen's band of inputs where a
 * factor can reach 1.
 */
import type { StudyResults } from '../../experiments/study/types.js';
import { color, figure, lineChart, points, type ChartSpec, type LineSeries } from '../charts.js';
import { esc, fmt, fmtInt, isNum } from '../format.js';
import { claimsBlock } from './claims.js';
import { at, h3, notMeasured, said, table, type RenderedSection } from './common.js';

const QUARTER = 0.25;

function curvesPart(r: StudyResults, charts: ChartSpec[]): string {
  const curves = r.bound.curves ?? [];
  const max = r.bound.sigmoidDerivativeMax;
  const measured = max && isNum(max.value) ? said('Measured', `On a fine grid σ′ is largest at x = ${esc(fmt(max.x))}, where it equals <strong>${esc(fmt(max.value, 6))}</strong> (1/4 = 0.25). tanh′ peaks at 1 (also at x = 0); relu′ is exactly 1 for x &gt; 0 and 0 for x &lt; 0.`) : notMeasured('The maximum of σ′');
  if (curves.length === 0) return measured + notMeasured('The curves of f and f′');
  const xs = curves.flatMap((c) => c.x.filter(isNum));
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const fSeries: LineSeries[] = curves.map((c, i) => ({ label: c.name, points: points(c.x, c.f), color: color(i) }));
  const dfSeries: LineSeries[] = curves.map((c, i) => ({ label: `${c.name}′`, points: points(c.x, c.df), color: color(i) }));
  dfSeries.push({ label: '1/4', points: [{ x: lo, y: QUARTER }, { x: hi, y: QUARTER }], color: '#444444', dashed: true, width: 1 });
  charts.push(lineChart('bound-f', fSeries, { x: 'x', y: 'f(x)', yMin: -1.5, yMax: 3 }));
  charts.push(lineChart('bound-df', dfSeries, { x: 'x', y: "f′(x)", yMin: 0, yMax: 1.1 }));
  return `<div class="grid2">${figure('bound-f', 'The activations f(x) (relu continues above the top of the plot).')}${figure('bound-df', 'Their derivatives f′(x); the dashed line is 1/4, the largest value of σ′.')}</div>${measured}`;
}

function chainPart(r: StudyResults): string {
  const ch = r.bound.chainExample;
  if (!ch || (ch.links ?? []).length === 0) return h3('One chain, factor by factor') + notMeasured('The chain example');
  const links = ch.links;
  const rows = links.map((l) => [l.layer, l.w, l.z, l.derivative, l.factor, l.runningProduct]);
  const last = links[links.length - 1].runningProduct;
  // ∂C/∂b₁ = (product of factors) · ∂C/∂a_L, so ∂C/∂a_L is the ratio of the two
  const dCdaL = isNum(ch.dCdb1Chain) && isNum(last) && last !== 0 ? ch.dCdb1Chain / last : null;
  const rel = isNum(ch.dCdb1Chain) && isNum(ch.dCdb1Backprop) ? Math.abs(ch.dCdb1Chain - ch.dCdb1Backprop) / Math.max(Math.abs(ch.dCdb1Backprop), Number.MIN_VALUE) : null;
  return [
    h3('One chain, factor by factor'),
    said('Measured', `A network with one sigmoid neuron in each of ${esc(ch.depth)} layers, weights and biases drawn from N(0, 1) (seed ${esc(ch.seed)}), input 0.5, target 1, quadratic cost. By the chain rule ∂C/∂b₁ = σ′(z₁) · w₂σ′(z₂) · w₃σ′(z₃) ⋯ w<sub>L</sub>σ′(z<sub>L</sub>) · ∂C/∂a<sub>L</sub>: one factor per layer.`),
    table(
      [{ head: 'layer j', num: true }, { head: 'wⱼ', num: true }, { head: 'zⱼ', num: true }, { head: 'σ′(zⱼ)', num: true }, { head: 'factor wⱼ·σ′(zⱼ)', num: true }, { head: 'running product', num: true }],
      rows,
      'The first factor is σ′(z₁) alone: b₁ enters z₁ directly, with no weight in between.',
    ),
    `<div class="compare"><div><span class="k">product × ∂C/∂a<sub>L</sub></span><span class="v">${esc(fmt(ch.dCdb1Chain, 6))}</span></div><div><span class="k">∂C/∂b₁ from backpropagation</span><span class="v">${esc(fmt(ch.dCdb1Backprop, 6))}</span></div><div><span class="k">relative difference</span><span class="v">${esc(fmt(rel, 2))}</span></div></div>`,
    said('Meaning', `The product of the factors (${esc(fmt(last))}) times ∂C/∂a<sub>L</sub> (${esc(fmt(dCdaL))}) is the gradient that backpropagation computes for the first bias — the engine's own backward pass, run separately on the same weights, agrees. Every factor is at most |w|/4, so unless the weights are large the product shrinks at every layer.`),
  ].join('\n');
}

function depthPart(r: StudyResults, charts: ChartSpec[]): string {
  const p = r.bound.productVsDepth;
  if (!p || (p.depth ?? []).length === 0) return h3('The product over many random chains') + notMeasured('The product by depth');
  charts.push(
    lineChart(
      'bound-depth',
      [
        { label: '10th percentile', points: points(p.depth, p.q10, true), color: color(0), width: 1 },
        { label: '90th percentile', points: points(p.depth, p.q90, true), color: color(0), width: 1, fillToPrevious: true },
        { label: 'median', points: points(p.depth, p.median, true), color: color(0), width: 3, pointRadius: 2 },
        { label: '(1/4)^depth', points: points(p.depth, p.quarterPower, true), color: '#444444', dashed: true },
      ],
      { x: 'depth (layers)', y: '|product of factors| (log scale)', logY: true, integerX: true },
    ),
  );
  const n = p.depth.length;
  const rate = (ys: readonly (number | null)[]): number | null => {
    const a = at(ys, 0);
    const z = at(ys, n - 1);
    return isNum(a) && isNum(z) && a > 0 && z > 0 && n > 1 ? Math.pow(z / a, 1 / (n - 1)) : null;
  };
  const perLayer = rate(p.median);
  const perLayer90 = rate(p.q90);
  const below = p.median.every((v, i) => !isNum(v) || !isNum(p.quarterPower[i]) || v <= p.quarterPower[i]);
  const i10 = p.depth.indexOf(10);
  return [
    h3('The product over many random chains'),
    said('Measured', `${esc(fmtInt(p.draws))} random chains, w and b drawn from N(0, 1), input uniform in [0, 1]: the size of the product of the factors at each depth — the median, the band holding the middle 80 % of chains, and (1/4)<sup>depth</sup>, the bound for |w| = 1.`),
    figure('bound-depth', 'The product of the factors against depth, log scale: a straight falling line is exponential decay.'),
    said(
      'Meaning',
      `Each added layer multiplies the median by about <strong>${esc(fmt(perLayer))}</strong>${i10 >= 0 ? ` (at depth 10 it is ${esc(fmt(p.median[i10]))})` : ''} and ${below ? 'stays below' : 'follows'} the (1/4)<sup>depth</sup> line: the gradient of the first layer vanishes exponentially with depth. Chains that happen to draw large weights do better (the top of the band), but even the 90th percentile is multiplied by about ${esc(fmt(perLayer90))} per layer.`,
    ),
  ].join('\n');
}

function bandPart(r: StudyResults, charts: ChartSpec[]): string {
  const b = r.bound.band;
  if (!b || (b.w ?? []).length === 0) return h3('Can a factor reach 1?') + notMeasured('The band width');
  const agrees = isNum(b.maxWidth) && isNum(b.argmaxW) && Math.abs(b.maxWidth - 0.45) < 0.02 && Math.abs(b.argmaxW - 6.9) < 0.3;
  charts.push(lineChart('bound-band', [{ label: 'width of the band of inputs a', points: points(b.w, b.width), color: color(1) }], { x: '|w|', y: 'band width', legend: false }));
  return [
    h3('Can a factor reach 1?'),
    said('Claim', `Since σ′ ≤ 1/4, a factor |w·σ′(w·a + b)| can only reach 1 when |w| ≥ 4, and then only for inputs a in a narrow band. Nielsen: the band is at most about 0.45 wide, at |w| ≈ 6.9.`),
    figure('bound-band', 'Width of the set of inputs a with |w·σ′(w·a + b)| ≥ 1, against |w| (it does not depend on b).', 260),
    said('Measured', `No band below |w| = ${esc(fmt(b.minW))}; the widest band is <strong>${esc(fmt(b.maxWidth))}</strong> at |w| = <strong>${esc(fmt(b.argmaxW))}</strong>${agrees ? ', as the book says' : ' (the book: about 0.45 at |w| ≈ 6.9)'}. Beyond that the band narrows again: larger weights push z into the flat tails where σ′ is tiny.`),
    said('Meaning', 'Large weights are not a cure: a factor above 1 needs both a large weight and an input in a small window, and when several layers line up the product grows instead of shrinking — the exploding gradient (see below). Gradients in a sigmoid network are unstable either way.'),
  ].join('\n');
}

/** Section "The derivative bound". */
export function boundSection(r: StudyResults): RenderedSection {
  const charts: ChartSpec[] = [];
  const html = [
    said('Claim', 'Each neuron computes z = w·a + b and passes on a = σ(z). Backpropagation multiplies the error by one factor w·σ′(z) for every layer it passes through. The sigmoid\'s derivative σ′(z) = σ(z)(1 − σ(z)) is never more than 1/4 (at z = 0), so with weights of ordinary size every factor is well below 1 and the gradient reaching the first layers shrinks exponentially with depth.'),
    curvesPart(r, charts),
    chainPart(r),
    depthPart(r, charts),
    bandPart(r, charts),
    claimsBlock(r, 'bound'),
  ].join('\n');
  return { id: 'bound', title: 'The derivative bound', html, charts };
}
