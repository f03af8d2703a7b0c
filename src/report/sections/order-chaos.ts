/**
 * Report section for the stage "Order and chaos": mean-field theory beside
 * measurement — the phase diagram, correlations per layer, gradient decay
 * against √χ, trainability against 6 ξ_c, dynamical isometry, the
 * `critical` initialiser on GELU, SiLU and softplus, and the stage's claims.
 */
import type { OrderChaosSection, StudyClaim } from '../../experiments/study/order-chaos-types.js';
import type { StudyResults } from '../../experiments/study/types.js';
import { figure, type ChartSpec } from '../charts.js';
import { esc, fmt, fmtPct, isNum, listJoin } from '../format.js';
import { correlationChart, decayChart, isometryChart, phaseChart, trainChart } from './order-chaos-charts.js';
import { h3, notMeasured, said, table, type Cell, type RenderedSection } from './common.js';

const ID = 'order-chaos';
const TITLE = 'Order and chaos: signal-propagation theory beside measurement';

const range = (m: { median: number; min: number; max: number }, digits = 3) => `${fmt(m.median, digits)} [${fmt(m.min, digits)}–${fmt(m.max, digits)}]`;

/** Cell colour for a measured log10 first-to-last ratio: blue when the gradient shrinks toward the input, red when it grows. */
function ratioBg(log10: number): string {
  const t = Math.max(-1, Math.min(1, log10 / 2));
  return t < 0 ? `rgba(0,114,178,${(-t * 0.55).toFixed(2)})` : `rgba(213,94,0,${(t * 0.55).toFixed(2)})`;
}

function phasePart(s: OrderChaosSection, charts: ChartSpec[]): string {
  const p = s.phase;
  if (p.cells.length === 0) return notMeasured('The phase diagram');
  const find = (w: number, b: number) => p.cells.find((c) => c.sigmaW2 === w && c.sigmaB2 === b);
  const rows = [...p.sigmaB2].reverse().map((b) => [
    { html: `<strong>σ_b² = ${esc(b)}</strong>` } as Cell,
    ...p.sigmaW2.map((w): Cell => {
      const c = find(w, b);
      if (!c) return { text: 'not run', num: true };
      return { text: fmt(c.measuredLog10Ratio.median, 2), num: true, bg: ratioBg(c.measuredLog10Ratio.median), title: `predicted ${fmt(c.predictedLog10Ratio, 2)}; χ₁ = ${fmt(c.chi1, 4)}; seeds ${c.perSeed.map((x) => fmt(x, 2)).join(', ')}`, bold: c.chi1 !== null && Math.abs(c.chi1 - 1) < 0.03 };
    }),
  ]);
  charts.push(phaseChart(s), correlationChart(s));
  const line = p.criticalLine.filter((x) => x.sigmaW2 !== null && p.sigmaB2.includes(x.sigmaB2));
  return [
    said('Claim', 'For a wide random network (W ~ N(0, σ_w²/n_in), b ~ N(0, σ_b²)) the length of the signal settles at a fixed point q*, and the mean squared gradient factor per layer is χ₁ = σ_w²·E[φ′(√q* z)²]. Below χ₁ = 1 (the ordered phase) gradients shrink toward the input and different inputs become alike; above it (chaotic) gradients grow and nearby inputs decorrelate; χ₁ = 1 is the edge of chaos (Poole et al. 2016; Schoenholz et al. 2017). For tanh with σ_b = 0 the edge is σ_w² = 1, with σ_b² = 0.05 near 1.76.'),
    said('Measured', `tanh networks of ${esc(p.depth)} hidden layers × ${esc(p.width)} units, probed on ${esc(p.samples)} digits, ${esc(p.seeds.length)} seeds per cell: log10 of ‖δ¹‖/‖δᴴ‖ (per-example norms, first over last hidden layer) beside the prediction ∏√χ(qˡ) from the length map started at the batch's own first-layer variance. The predicted critical line: ${line.map((x) => `σ_b² = ${esc(fmt(x.sigmaB2))} → σ_w² = ${esc(fmt(x.sigmaW2, 4))}`).join(', ')}.`),
    h3('Measured log10 first-to-last gradient ratio'),
    table([{ head: '' }, ...p.sigmaW2.map((w) => ({ head: `σ_w² = ${w}`, num: true }))], rows, undefined, 'grid'),
    '<p class="legend">Blue: the gradient shrinks toward the input; red: it grows. Bold: cells within 3 % of χ₁ = 1. Hover a cell for the prediction and every seed.</p>',
    figure('oc-phase', 'The phase diagram of tanh: each cell marked by the side of 1 its measured per-layer χ falls on (over the second half of the layers, median over seeds), and the predicted edge of chaos χ₁ = 1 as a line.', 360),
    h3('Correlation between inputs, layer by layer'),
    figure('oc-corr', `The <code>inputCorrelation</code> diagnostic (mean cosine of the pre-activations z between the ${esc(p.samples)} probe digits; median and seed range) beside the correlation map's prediction cˡ for every pair of those digits, averaged; σ_b² = ${esc(p.correlations[0]?.sigmaB2 ?? '—')}. In the ordered phase cˡ → 1 (every input looks alike to the last layer); in the chaotic phase it settles at c* &lt; 1.`, 360),
  ].join('\n');
}

function decayPart(s: OrderChaosSection, charts: ChartSpec[]): string {
  const d = s.decay;
  if (d.points.length === 0) return notMeasured('The gradient decay per layer');
  const bounded = (act: string) => act === 'tanh' || act === 'sigmoid';
  charts.push(decayChart(s, 'oc-decay-a', bounded), decayChart(s, 'oc-decay-b', (act) => !bounded(act)));
  const rows = d.points.map((p): Cell[] => [p.label, p.init, { value: p.sigmaW2 }, { value: p.sigmaB2 }, { value: p.predictedFactor }, { text: range(p.measuredFactor, 4), num: true }, { value: p.measuredFactor.median / p.predictedFactor }]);
  return [
    h3('Gradient decay per layer against √χ'),
    said('Measured', `${esc(d.depth)} hidden layers × ${esc(d.width)} units, ${esc(d.samples)} digits, ${esc(d.seeds.length)} seeds. The factor is the geometric mean of ‖δˡ‖/‖δˡ⁺¹‖ over the hidden layers; the prediction multiplies √χ(qˡ) at each layer's own predicted variance.`),
    table([{ head: 'point' }, { head: 'init' }, { head: 'σ_w²', num: true }, { head: 'σ_b²', num: true }, { head: 'predicted factor', num: true }, { head: 'measured [range]', num: true }, { head: 'measured / predicted', num: true }], rows),
    `<div class="grid2">${figure('oc-decay-a', 'tanh and sigmoid: ‖δˡ‖/‖δᴴ‖ per hidden layer, measured (points, median over seeds) and ∏√χ (dashed).', 340)}${figure('oc-decay-b', 'The ReLU family: the same.', 340)}</div>`,
  ].join('\n');
}

function trainPart(s: OrderChaosSection, charts: ChartSpec[]): string {
  const t = s.trainability;
  if (t.cells.length === 0) return notMeasured('The trainability map');
  charts.push(trainChart(s));
  const six = (w: number) => t.sixXiC.reduce((b, p) => (Math.abs(p.sigmaW2 - w) < Math.abs(b.sigmaW2 - w) ? p : b)).depth;
  const rows = [...t.depths].reverse().map((depth) => [
    { html: `<strong>${esc(depth)} hidden</strong>` } as Cell,
    ...t.sigmaW2.map((w): Cell => {
      const c = t.cells.find((x) => x.depth === depth && x.sigmaW2 === w);
      const lim = six(w);
      const inside = lim === null || depth <= lim;
      return c ? { text: fmtPct(c.accuracy.median), num: true, bg: c.accuracy.median > t.trainedAbove ? 'rgba(0,158,115,0.25)' : 'rgba(204,121,167,0.25)', bold: inside, title: `6 ξ_c = ${lim === null ? '∞' : fmt(lim)}: ${inside ? 'inside' : 'outside'} the predicted trainable region` } : { text: 'not run', num: true };
    }),
  ]);
  const deepest = t.sigmaW2.map((w) => {
    const ok = t.cells.filter((c) => c.sigmaW2 === w && c.accuracy.median > t.trainedAbove).map((c) => c.depth);
    const lim = six(w);
    return `σ_w² = ${w}: deepest trained ${ok.length ? Math.max(...ok) : 'none'} (6 ξ_c = ${lim === null ? '∞' : fmt(lim)})`;
  });
  return [
    h3('Trainability against 6 ξ_c'),
    said('Claim', 'Correlations approach c* over ξ_c = −1/ln χ_c layers, which diverges at the edge of chaos; Schoenholz et al. find random networks trainable up to a depth of about 6 ξ_c.'),
    said('Measured', `tanh, σ_b² = ${esc(t.sigmaB2)}, ${esc(t.width)} units per layer, ${esc(t.steps)} ${esc(t.optimizer)} steps (learning rate ${esc(fmt(t.lr))}, batch ${esc(t.batch)}), ${esc(t.seeds.length)} seed per cell; test accuracy on the held-out digits. ${esc(deepest.join('; '))}.`),
    table([{ head: '' }, ...t.sigmaW2.map((w) => ({ head: `σ_w² = ${w}`, num: true }))], rows, undefined, 'grid'),
    `<p class="legend">Green: trained (test accuracy &gt; ${esc(100 * t.trainedAbove)} %); pink: not. Bold: inside the predicted trainable region (depth ≤ 6 ξ_c).</p>`,
    figure('oc-train', 'Trained and untrained cells over σ_w² and depth, with 6 ξ_c (infinite at the edge of chaos).', 360),
    said('Caveat', `The budget is small (${esc(t.steps)} steps on ${esc(t.width)}-unit layers, one seed): near the edge of chaos and on the chaotic side, a cell inside 6 ξ_c that did not train within it may train with more steps; the bound says where training cannot work, not how fast it does.`),
  ].join('\n');
}

function isometryPart(s: OrderChaosSection, charts: ChartSpec[]): string {
  const iso = s.isometry;
  if (iso.runs.length === 0) return notMeasured('The Jacobian spectra');
  const tanh = iso.runs.find((r) => r.act === 'tanh');
  const figs = iso.depths.map((depth, k) => {
    charts.push(isometryChart(s, depth, k));
    return figure(`oc-iso-${k}`, `${esc(depth)} layers`, 260);
  });
  const rows = iso.runs.map((r): Cell[] => [r.label, { value: r.depth }, { text: fmtPct(r.nearOne), num: true }, { value: r.quantiles[0] }, { value: r.quantiles[1] }, { value: r.quantiles[2] }, { value: r.maxSingular }, { value: r.meanSquare }]);
  return [
    h3('Dynamical isometry'),
    said('Claim', 'At the edge of chaos the mean squared singular value of the input–output Jacobian is χ₁ᴸ = 1 at any depth, but its spread is not: orthogonal weights with tanh keep the singular values concentrated near 1 as depth grows, Gaussian weights do not, and ReLU networks cannot, whatever the initialisation (Pennington, Schoenholz & Ganguli 2017).'),
    said('Measured', `Singular values of ∂hᴸ/∂h⁰ for square stacks of ${esc(iso.width)} units at initialisation, the input at the fixed point, ${esc(iso.seeds.length)} seeds pooled. tanh at its critical point for a small bias variance (σ_w² = ${esc(fmt(tanh?.sigmaW2, 5))}, σ_b² = ${esc(fmt(tanh?.sigmaB2))}: a small q*, where tanh is nearly linear), and ReLU with He's σ_w² = 2, σ_b² = 0; orthogonal weights scaled by √σ_w².`),
    `<div class="grid3">${figs.join('')}</div>`,
    '<p class="legend">Histograms of log10 s; values below 10⁻⁴ (ReLU\'s exact zeros from inactive units among them) are counted in the first bin.</p>',
    table([{ head: 'configuration' }, { head: 'depth', num: true }, { head: 's within ×2 of 1', num: true }, { head: 's, 5 %', num: true }, { head: 'median', num: true }, { head: '95 %', num: true }, { head: 'max', num: true }, { head: 'mean s²', num: true }], rows),
  ].join('\n');
}

function criticalPart(s: OrderChaosSection): string {
  const c = s.criticalInit;
  if (c.runs.length === 0) return notMeasured("The 'critical' initialiser at 20 hidden layers");
  const rows = c.runs.map((r): Cell[] => [r.act, r.init, r.norm, r.rule ?? '—', { value: r.sigmaW2 }, { text: range(r.firstToLast), num: true }, { text: `${r.vanishing} of ${r.perSeed.length}`, num: true }, { text: range(r.lastCorrelation, 4), num: true }]);
  const sp = c.softplusTheory;
  const get = (act: string, init: string, norm = 'none') => c.runs.find((r) => r.act === act && r.init === init && r.norm === norm);
  const line = (act: string) => {
    const he = get(act, 'he_normal');
    const cr = get(act, 'critical');
    return he && cr ? `${act}: he_normal vanishes in ${he.vanishing} of ${he.perSeed.length} seeds (first-to-last ${range(he.firstToLast)}), critical in ${cr.vanishing} (${range(cr.firstToLast)})` : '';
  };
  const bn = get('softplus', 'critical', 'batch');
  const ln = get('softplus', 'critical', 'layer');
  return [
    h3("The 'critical' initialiser at 20 hidden layers"),
    said('Measured', `Fresh networks of ${esc(c.depth)} hidden layers × ${esc(c.width)} units (stage 3's shape), ${esc(c.samples)} digits, ${esc(c.seeds.length)} seeds. For GELU, SiLU and softplus the length map has no stable fixed point to be critical at, so <code>critical</code> keeps a unit pre-activation variance (σ_w²·E[φ(z)²] = 1). ${esc([line('gelu'), line('silu')].filter(Boolean).join('; '))}.`),
    table([{ head: 'activation' }, { head: 'init' }, { head: 'norm' }, { head: 'rule' }, { head: 'σ_w²', num: true }, { head: 'first-to-last [range]', num: true }, { head: 'vanishing', num: true }, { head: 'last-layer inputCorrelation [range]', num: true }], rows),
    said('Meaning', `Softplus is different: its output has a positive mean shared by every input (E[φ]/√E[φ²] = ${esc(fmt(sp.meanOverRms))} at unit variance), so each layer adds a common component to every example's pre-activations and the correlation map's fixed point is c* = ${esc(fmt(sp.cStar))} — inputs collapse onto each other whatever the gain. The variance-preserving σ_w² = ${esc(fmt(sp.sigmaW2, 4))} gives χ₁ = ${esc(fmt(sp.chi1))}: the gradient vanishes as well. ${bn ? `Batch normalisation, which subtracts each unit's mean over the batch — exactly the shared component — restores both (first-to-last ${esc(range(bn.firstToLast))}, last-layer correlation ${esc(range(bn.lastCorrelation, 4))})` : ''}${ln ? `; layer normalisation, which centres each example across units, does not (${esc(range(ln.firstToLast))}, correlation ${esc(range(ln.lastCorrelation, 4))})` : ''}.`),
  ].join('\n');
}

/** The claims table (shared format of results.json `claims`). */
export function claimsTable(claims: readonly StudyClaim[]): string {
  const mark = { yes: '✓ yes', no: '✗ no', partly: '≈ partly', indistinguishable: '= indistinguishable' } as const;
  return table(
    [{ head: 'claim' }, { head: 'source' }, { head: 'published' }, { head: 'measured: median [range] (seeds)', num: true }, { head: 'test' }, { head: 'agrees' }],
    claims.map((c): Cell[] => [c.claim, c.source, c.published, { text: `${fmt(c.measured.median, 4)} [${fmt(c.measured.lo, 4)}–${fmt(c.measured.hi, 4)}] (${c.measured.seeds})`, num: true }, c.test, { text: mark[c.agrees], bold: true }]),
  );
}

/** Section "Order and chaos". */
export function orderChaosSection(r: StudyResults): RenderedSection {
  const s = r.orderChaos;
  const charts: ChartSpec[] = [];
  if (!s) return { id: ID, title: TITLE, html: notMeasured('The order-and-chaos stage'), charts };
  const agree = s.claims.filter((c) => c.agrees === 'yes').length;
  const html = [
    `<p>Mean-field theory makes the seed's argument — one factor w·f′(z) per layer — exact for wide random networks. <code>gradscope theory</code> computes every quantity below for any catalogue activation; this stage puts the theory next to measured networks. ${isNum(s.seconds.phase) ? `Task time: ${esc(listJoin(Object.entries(s.seconds).map(([k, v]) => `${k} ${fmt(v)} s`)))}.` : ''}</p>`,
    phasePart(s, charts),
    decayPart(s, charts),
    trainPart(s, charts),
    isometryPart(s, charts),
    criticalPart(s),
    h3('Claims'),
    `<p>${esc(agree)} of ${esc(s.claims.length)} agree.</p>`,
    claimsTable(s.claims),
  ].join('\n');
  return { id: ID, title: TITLE, html, charts };
}

/** summary.md lines for the stage. */
export function renderOrderChaosMarkdown(s: OrderChaosSection | undefined): string {
  if (!s) return '## Order and chaos\n\nNot measured in this run.';
  const lines = ['## Order and chaos: theory beside measurement', '', '| claim | source | measured (median [range], seeds) | agrees |', '|---|---|---|---|'];
  for (const c of s.claims) lines.push(`| ${c.claim} | ${c.source} | ${fmt(c.measured.median, 4)} [${fmt(c.measured.lo, 4)}–${fmt(c.measured.hi, 4)}] (${c.measured.seeds}) | ${c.agrees} |`);
  return lines.join('\n');
}
