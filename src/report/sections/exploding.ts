/**
 * Report section for study stage 4: exploding gradients — Nielsen's w = 100
 * chain, fresh networks with growing weight variance, and a diverging
 * training run without and with gradient clipping.
 */
import type { ClipArm, SeedOutcome, StudyResults } from '../../experiments/study/types.js';
import { color, figure, indexed, lineChart, type ChartSpec } from '../charts.js';
import { esc, fmt, fmtBand, fmtLog10, fmtPct, isNum } from '../format.js';
import { ratioBg, verdictMix } from './act-depth.js';
import { claimsBlock } from './claims.js';
import { h3, notMeasured, said, table, type Cell, type RenderedSection } from './common.js';

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
    { text: fmtBand(x.firstToLast), num: true, bg: ratioBg(x.firstToLast?.median, x.verdict?.kind) },
    { text: fmtLog10(x.firstToLast?.median), num: true },
    { html: `<strong>${esc(verdictMix(x.verdicts, x.seeds))}</strong>`, num: false, title: x.verdict?.cause ?? '' },
  ]);
  return [
    h3('Weights N(0, σ²)'),
    said('Measured', `Fresh networks with weights drawn from N(0, σ²) for growing σ: the first-to-last ratio ‖δ¹‖ / ‖δ<sup>L−1</sup>‖ at initialisation, median [5–95 %] over ${esc(v[0]?.seeds ?? 0)} seeds, and the verdicts (letters as in stage 3, with the share of seeds). Hover a verdict for the first seed's cause.`),
    table([{ head: 'activation' }, { head: 'σ', num: true }, { head: 'hidden layers', num: true }, { head: 'first-to-last', num: true }, { head: 'log10 median', num: true }, { head: 'verdicts' }], rows),
    said('Meaning', 'Too small a σ makes every factor |w·f′(z)| smaller than 1 and the gradient vanishes; too large a σ makes the factors exceed 1 and it grows toward the input. Only a middle range keeps the ratio near 1 — the range the Xavier (Glorot &amp; Bengio 2010) and He (He et al. 2015) initialisers compute from the layer widths.'),
  ].join('\n');
}

/** One seed's outcome in a few words. */
export function outcomeWords(o: SeedOutcome): string {
  if (o.nonFinite) return `non-finite at step ${o.nonFinite.step} (${o.nonFinite.layer === 0 ? 'loss' : `layer ${o.nonFinite.layer}`})`;
  return `${fmtPct(o.testAccuracy)}${o.clipEvents ? `, ${fmtPct(o.clippedFraction)} of steps clipped` : ''}${o.maxNormRows ? `, ${o.maxNormRows} rows rescaled` : ''}`;
}

/** The arms of a clipping comparison as a table: per seed, then how many blew up and how many trained. */
export function armsTable(arms: readonly ClipArm[], seeds: readonly number[]): string {
  const rows: Cell[][] = arms.map((a) => {
    const blown = a.outcomes.filter((o) => o.nonFinite).length;
    const trained = a.outcomes.filter((o) => o.trained).length;
    return [{ html: `<strong>${esc(a.label)}</strong>` }, ...a.outcomes.map((o) => outcomeWords(o)), { text: `${blown} / ${a.outcomes.length}`, num: true }, { text: `${trained} / ${a.outcomes.length}`, num: true }];
  });
  return table([{ head: 'run' }, ...seeds.map((s) => ({ head: `seed ${s}` })), { head: 'blew up', num: true }, { head: 'trained', num: true }], rows, undefined, 'compact');
}

/** The largest finite positive value of a series, or null. */
function maxPositive(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => isNum(x) && x > 0);
  return v.length ? Math.max(...v) : null;
}

/**
 * A top for a log axis comparing runs that blow up with runs that do not:
 * when the runaway ones go more than 6 decades above the tame ones, stop 4
 * decades above the tame ones so their shapes stay visible.
 */
function cappedTop(runaway: readonly (readonly (number | null)[])[], tame: readonly (readonly (number | null)[])[]): number | undefined {
  const hi = maxPositive(runaway.flat());
  const lo = maxPositive(tame.flat());
  return hi !== null && lo !== null && hi > 1e6 * lo ? Math.pow(10, Math.ceil(Math.log10(lo)) + 4) : undefined;
}

function clippingPart(r: StudyResults, charts: ChartSpec[]): string {
  const c = r.exploding.clipping;
  const head = h3('An exploding network: clipping, or a smaller step');
  if (!c || (c.arms ?? []).length === 0) return head + notMeasured('The clipping comparison');
  const blew = (a: ClipArm): boolean => a.outcomes[0]?.nonFinite != null;
  const runaway = c.arms.filter(blew);
  const tame = c.arms.filter((a) => !blew(a));
  const lossTop = cappedTop(runaway.map((a) => a.loss), tame.map((a) => a.loss));
  const gradTop = cappedTop(runaway.map((a) => a.gradNorm), tame.map((a) => a.gradNorm));
  const offTop = (top: number | undefined, key: 'loss' | 'gradNorm'): string => (top === undefined ? '' : ` Runs that blow up leave the top of the plot (the highest reaches ${fmt(maxPositive(runaway.flatMap((a) => a[key])))}).`);
  charts.push(
    lineChart('exploding-clip-loss', c.arms.map((a, i) => ({ label: a.label, points: indexed(a.loss, true), color: color(i + 1) })), { x: 'step', y: 'training loss (log scale)', logY: true, integerX: true, yMax: lossTop }),
    lineChart(
      'exploding-clip-grad',
      [
        ...c.arms.map((a, i) => ({ label: a.label, points: indexed(a.gradNorm, true), color: color(i + 1) })),
        ...c.arms.filter((a) => a.clipNorm !== null).map((a) => ({ label: `clip threshold ${fmt(a.clipNorm)}`, points: [{ x: 0, y: a.clipNorm }, { x: Math.max(a.gradNorm.length, 2) - 1, y: a.clipNorm }], color: '#444444', dashed: true, width: 1 })),
      ],
      { x: 'step', y: 'global gradient norm before clipping (log scale)', logY: true, integerX: true, yMax: gradTop },
    ),
  );
  const clip = c.arms.find((a) => a.clipNorm !== null);
  const fr = clip ? clip.outcomes.map((o) => o.clippedFraction) : [];
  return [
    head,
    said('Claim', 'Clipping by global norm rescales the whole gradient g to length c whenever ‖g‖ &gt; c (Pascanu et al. 2013). The direction is kept; only the step is bounded, so the rare huge gradients of an exploding network cannot throw the weights into overflow, while ordinary steps keep the full learning rate.'),
    said('Measured', `${esc(c.description)}. At initialisation the first-to-last ratio is ${esc(fmtBand(c.atInit.firstToLast))} (median [5–95 %] over ${esc(c.atInit.seeds)} seeds; verdicts ${esc(verdictMix(c.atInit.verdicts, c.atInit.seeds))}): the gradient really grows toward the input. A run <em>trained</em> when its test accuracy is at least ${esc(fmtPct(c.chance))} (the most frequent digit) + ${esc(100 * c.margin)} points.${clip ? ` Clipping at ${esc(fmt(clip.clipNorm))} acted on ${esc(fmtPct(Math.min(...fr)))}–${esc(fmtPct(Math.max(...fr)))} of the steps: a threshold that bounds the large steps, not every step.` : ''}`),
    armsTable(c.arms, c.seeds),
    `<div class="grid2">${figure('exploding-clip-loss', `Training loss of the first seed, log scale. A line that stops has become non-finite.${esc(offTop(lossTop, 'loss'))}`)}${figure('exploding-clip-grad', `Global gradient norm before clipping, first seed, log scale.${esc(offTop(gradTop, 'gradNorm'))}`)}</div>`,
    said('Meaning', 'Clipping does not remove the cause — the factors are still too large — but it keeps a run alive and learning at a learning rate that overflows without it. A smaller learning rate also avoids the overflow, at the price of smaller steps everywhere; the table says which of the two trained better here. The cure is to keep the factors near 1: a matching initialiser, normalisation.'),
    claimsBlock(r, 'exploding'),
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
