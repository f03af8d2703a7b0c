/**
 * Report section for study stage 4: exploding gradients — Nielsen's w = 100
 * chain, fresh networks with growing weight variance, and a diverging
 * training run without and with gradient clipping.
 */
import type { NonFinite, StudyResults } from '../../experiments/study/types.js';
import { color, figure, indexed, lineChart, type ChartSpec } from '../charts.js';
import { esc, fmt, fmtLog10, isNum, lastFinite } from '../format.js';
import { ratioBg } from './act-depth.js';
import { h3, notMeasured, said, table, type RenderedSection } from './common.js';

function chainPart(r: StudyResults): string {
  const c = r.exploding.chain;
  if (!c || (c.depths ?? []).length === 0) return h3('Large weights: the w = 100 chain') + notMeasured('The w = 100 chain');
  const rows = c.depths.map((d, i) => {
    const prev = i > 0 ? c.product[i - 1] : null;
    return [d, c.product[i], isNum(prev) && prev !== 0 && isNum(c.product[i]) ? c.product[i] / prev : null];
  });
  // The study's chain counts σ′(z₁) alone as the first factor (b₁ reaches z₁ with no weight in
  // front), which makes the product 25^(depth−1)/4; say which convention the numbers follow.
  const p1 = c.product[0];
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  const convention = !isNum(p1) || !isNum(c.factor) || !isNum(c.w)
    ? ''
    : close(p1, c.factor)
      ? ` The product of the factors is therefore ${esc(fmt(c.factor))}<sup>depth</sup>.`
      : close(p1, c.factor / c.w)
        ? ` The first factor is σ′(z₁) = 1/4 alone, because b₁ reaches z₁ with no weight in front of it; every further layer multiplies by ${esc(fmt(c.factor))}, so the product is ${esc(fmt(c.factor))}<sup>depth</sup>/${esc(fmt(c.w))}.`
        : '';
  return [
    h3('Large weights: the w = 100 chain'),
    said('Measured', `Nielsen's example: the one-neuron-per-layer chain with every weight w = ${esc(fmt(c.w))} and the biases chosen so that every z = 0, where σ′ is largest. Every factor w·σ′(0) is ${esc(fmt(c.w))} × 1/4 = <strong>${esc(fmt(c.factor))}</strong>.${convention}`),
    table([{ head: 'depth', num: true }, { head: 'product of the factors', num: true }, { head: '× per added layer', num: true }], rows),
    said('Meaning', `The same multiplication that makes the gradient vanish makes it explode when the factors exceed 1: ${esc(c.depths[c.depths.length - 1])} layers multiply it by ${esc(fmt(c.product[c.product.length - 1]))}. The early layers then take enormous steps, and training becomes unstable.`),
  ].join('\n');
}

function variancePart(r: StudyResults): string {
  const v = r.exploding.variance ?? [];
  if (v.length === 0) return h3('Weights N(0, σ²)') + notMeasured('The weight-variance sweep');
  const rows = v.map((x) => [
    { text: x.activation, num: false },
    x.sigma,
    x.depth,
    { value: x.firstToLast, bg: ratioBg(x.firstToLast, x.verdict?.kind) },
    { text: fmtLog10(x.firstToLast), num: true },
    { html: `<strong>${esc(x.verdict?.kind ?? '—')}</strong>`, num: false, title: x.verdict?.cause ?? '' },
  ]);
  const acts = [...new Set(v.map((x) => x.activation))];
  const summary = acts.map((a) => `<strong>${esc(a)}</strong>: ${v.filter((x) => x.activation === a).map((x) => `σ = ${esc(fmt(x.sigma))} ${esc(x.verdict?.kind ?? '—')}`).join(', ')}`).join('; ');
  return [
    h3('Weights N(0, σ²)'),
    said('Measured', 'Fresh networks with weights drawn from N(0, σ²) for growing σ: the first-to-last ratio ‖δ¹‖ / ‖δ<sup>L−1</sup>‖ at initialisation. Hover a verdict for its cause.'),
    table([{ head: 'activation' }, { head: 'σ', num: true }, { head: 'hidden layers', num: true }, { head: 'first-to-last', num: true }, { head: 'log10', num: true }, { head: 'verdict' }], rows),
    `<p>${summary}.</p>`,
    said('Meaning', 'Too small a σ makes every factor |w·f′(z)| smaller than 1 and the gradient vanishes; too large a σ makes the factors exceed 1 and it grows toward the input. Only a middle range keeps the ratio near 1 — the range the Xavier (Glorot &amp; Bengio 2010) and He (He et al. 2015) initialisers compute from the layer widths.'),
  ].join('\n');
}

function findingHtml(label: string, f: NonFinite | null | undefined, okText: string): string {
  if (!f) return `<div class="callout ok"><strong>${esc(label)}:</strong> ${okText}</div>`;
  return `<div class="callout alert"><strong>${esc(label)}: the first non-finite value appeared at step ${esc(f.step)}, ${f.layer === 0 ? 'in the loss' : `in layer ${esc(f.layer)}`} (${esc(f.quantity)}).</strong><br>${esc(f.message)}</div>`;
}

/** The largest finite positive value of a series, or null. */
function maxPositive(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => isNum(x) && x > 0);
  return v.length ? Math.max(...v) : null;
}

/**
 * A top for a log axis comparing a runaway series with a tame one: when the
 * runaway goes more than 6 decades above the tame one, stop 4 decades above
 * the tame one so its shape stays visible (the runaway leaves the plot).
 */
function cappedTop(runaway: readonly (number | null)[], tame: readonly (number | null)[]): number | undefined {
  const hi = maxPositive(runaway);
  const lo = maxPositive(tame);
  return hi !== null && lo !== null && hi > 1e6 * lo ? Math.pow(10, Math.ceil(Math.log10(lo)) + 4) : undefined;
}

function clippingPart(r: StudyResults, charts: ChartSpec[]): string {
  const c = r.exploding.clipping;
  const head = h3('What gradient clipping does');
  if (!c || ((c.without?.loss ?? []).length === 0 && (c.with?.loss ?? []).length === 0)) return head + notMeasured('The clipping comparison');
  const lossTop = cappedTop(c.without.loss, c.with.loss);
  const gradTop = cappedTop(c.without.gradNorm, c.with.gradNorm);
  const offTop = (top: number | undefined, xs: readonly (number | null)[]) => (top === undefined ? '' : ` The unclipped run leaves the top of the plot (it reaches ${fmt(maxPositive(xs))}).`);
  charts.push(
    lineChart(
      'exploding-clip-loss',
      [
        { label: 'without clipping', points: indexed(c.without.loss, true), color: color(1) },
        { label: `with clipping at ${fmt(c.clipNorm)}`, points: indexed(c.with.loss, true), color: color(2) },
      ],
      { x: 'step', y: 'training loss (log scale)', logY: true, integerX: true, yMax: lossTop },
    ),
    lineChart(
      'exploding-clip-grad',
      [
        { label: 'without clipping', points: indexed(c.without.gradNorm, true), color: color(1) },
        { label: 'with clipping (norm before clipping)', points: indexed(c.with.gradNorm, true), color: color(2) },
        { label: 'clip threshold', points: [{ x: 0, y: c.clipNorm }, { x: Math.max(c.with.gradNorm.length, c.without.gradNorm.length, 2) - 1, y: c.clipNorm }], color: '#444444', dashed: true, width: 1 },
      ],
      { x: 'step', y: 'global gradient norm (log scale)', logY: true, integerX: true, yMax: gradTop },
    ),
  );
  const steps = c.with.loss.length;
  return [
    head,
    said('Claim', 'Clipping by global norm rescales the whole gradient g to length c whenever ‖g‖ &gt; c (Pascanu et al. 2013). The direction is kept; only the step is bounded, so one huge gradient cannot throw the weights into overflow.'),
    said('Measured', esc(c.description ?? '')),
    findingHtml('Without clipping', c.without.nonFinite, `no non-finite value in ${esc(c.without.loss.length)} steps (final loss ${esc(fmt(lastFinite(c.without.loss)))}).`),
    findingHtml(`With clipping at ${fmt(c.clipNorm)}`, c.with.nonFinite, `the loss stayed finite for all ${esc(steps)} steps (final loss ${esc(fmt(lastFinite(c.with.loss)))}); the gradient was clipped on ${esc(c.with.clipEvents)} steps.`),
    `<div class="grid2">${figure('exploding-clip-loss', `Training loss, log scale. A line that stops has become non-finite.${esc(offTop(lossTop, c.without.loss))}`)}${figure('exploding-clip-grad', `Global gradient norm before clipping, log scale.${esc(offTop(gradTop, c.without.gradNorm))}`)}</div>`,
    said('Meaning', 'Clipping does not remove the cause — the factors are still too large — but it keeps a run alive and finite. The cure is to keep the factors near 1: a matching initialiser, a smaller learning rate, normalisation.'),
  ].join('\n');
}

/** Section "Exploding gradients". */
export function explodingSection(r: StudyResults): RenderedSection {
  const charts: ChartSpec[] = [];
  const html = [
    said('Claim', 'When the factors w·f′(z) are larger than 1, the same product grows exponentially with depth instead: the gradient explodes, the early layers take huge steps, and numbers overflow to infinity or NaN.'),
    chainPart(r),
    variancePart(r),
    clippingPart(r, charts),
  ].join('\n');
  return { id: 'exploding', title: 'Exploding gradients', html, charts };
}
