/**
 * Report section for study stage 3: activation × depth — at initialisation
 * over many seeds, the first-to-last gradient ratio as a coloured grid with
 * how often each verdict came up, and the last hidden layer's input
 * correlation; trained, the learning rate each cell chose on the validation
 * split and the test accuracy there over seeds, compared seed by seed with
 * the best activation; the per-layer norms of the deepest networks; and the
 * gain of He's initialiser for the activations that borrow it.
 */
import type { ActDepthCell, StudyResults } from '../../experiments/study/types.js';
import { color, figure, lineChart, indexed, type ChartSpec } from '../charts.js';
import { esc, fmt, fmtBand, fmtInt, fmtLog10, fmtPct, isNum, listJoin, verdictLetter, type MaybeNumber } from '../format.js';
import { claimsBlock } from './claims.js';
import { h3, notMeasured, said, table, type Cell, type RenderedSection } from './common.js';

/** Cell colours of the ratio grid (the verdict's thresholds: vanishing below 1e-2, exploding above 1e2). */
export const VERDICT_BG = { vanishing: '#f6c6c1', exploding: '#fbd59b', fine: '#cfeccf', unknown: '#e6e6e6' } as const;

/** The background of a first-to-last cell: red below 1e-2, orange above 1e2 (or non-finite), green otherwise. */
export function ratioBg(ratio: MaybeNumber, verdictKind?: string): string {
  if (ratio === Infinity || (!isNum(ratio) && verdictKind === 'exploding')) return VERDICT_BG.exploding;
  if (isNum(ratio)) return ratio < 1e-2 ? VERDICT_BG.vanishing : ratio > 1e2 ? VERDICT_BG.exploding : VERDICT_BG.fine;
  return VERDICT_BG.unknown;
}

/** The verdicts of a cell's seeds as letters with shares, most common first: "V 52 % · ok 48 %" (or one letter when unanimous). */
export function verdictMix(verdicts: Readonly<Record<string, number>> | undefined, seeds: number): string {
  const e = Object.entries(verdicts ?? {}).sort((a, b) => b[1] - a[1]);
  if (e.length === 0) return '?';
  if (e.length === 1) return verdictLetter(e[0][0]);
  return e.map(([k, n]) => `${verdictLetter(k)} ${Math.round((100 * n) / Math.max(1, seeds))} %`).join(' · ');
}

function hover(c: ActDepthCell): string {
  const v = c.atInit.verdict;
  const parts = [`${c.activation}, ${c.depth} hidden layers, ${c.init}; first seed: ${v?.kind ?? 'no verdict'}.`, v?.cause ?? ''];
  if (v?.remedies?.length) parts.push(`Remedy: ${v.remedies[0]}`);
  return parts.filter(Boolean).join(' ');
}

function grid(r: StudyResults, cell: (c: ActDepthCell) => Cell): string {
  const s = r.activationDepth;
  const find = (a: string, d: number) => s.cells.find((x) => x.activation === a && x.depth === d);
  const rows = s.activations.map((a) => [{ html: `<strong>${esc(a)}</strong> <span class="dim">${esc(s.inits?.[a] ?? '')}${s.initDerived?.[a] === false ? '*' : ''}</span>` } as Cell, ...s.depths.map((d) => {
    const c = find(a, d);
    return c ? cell(c) : ({ text: 'not run', num: true } as Cell);
  })]);
  return table([{ head: 'activation (init)' }, ...s.depths.map((d) => ({ head: `${d} hidden`, num: true }))], rows, undefined, 'grid');
}

/** The activations the seeds cannot tell from the best at `depth` (the best first). */
function topGroup(r: StudyResults, depth: number): string[] {
  const s = r.activationDepth;
  const vs = s.versusBest.filter((v) => v.depth === depth);
  const best = vs[0]?.b ?? s.cells.filter((c) => c.depth === depth && c.training).sort((a, b) => b.training!.testAccuracy.median - a.training!.testAccuracy.median)[0]?.activation;
  return best ? [best, ...vs.filter((v) => !v.paired.separated).map((v) => v.a)] : [];
}

function selectionTable(r: StudyResults): string {
  const s = r.activationDepth;
  const rows: Cell[][] = s.cells.filter((c) => c.training).map((c) => [
    c.activation,
    c.depth,
    ...c.training!.selection.map((x): Cell => ({ text: `${fmtPct(x.validation.median)}${x.diverged ? ` (${x.diverged} blew up)` : ''}`, num: true, bold: x.lr === c.training!.chosenLr })),
    c.training!.chosenLr,
  ]);
  return table([{ head: 'activation' }, { head: 'hidden', num: true }, ...s.lrs.map((lr) => ({ head: `η = ${lr}`, num: true })), { head: 'chosen η', num: true }], rows, `Validation accuracy on the selection seeds ${esc(s.selectionSeeds.join(', '))}, the median when there are several (${esc(fmtInt(s.validationSize))} validation images carved from the training set); bold: the rate chosen. A run that blew up counts as 0.`, 'compact');
}

function versusTable(r: StudyResults, depth: number): string {
  const s = r.activationDepth;
  const vs = s.versusBest.filter((v) => v.depth === depth);
  if (vs.length === 0) return '';
  const best = vs[0].b;
  const rows: Cell[][] = vs.map((v) => {
    const p = v.paired;
    const word = !p.separated ? 'indistinguishable' : p.hi < 0 ? `loses to ${best}` : `beats ${best}`;
    return [v.a, { text: `${fmt(100 * p.median)} [${fmt(100 * p.lo)} – ${fmt(100 * p.hi)}]`, num: true }, { text: `${p.wins} / ${p.losses} / ${p.ties}`, num: true }, { text: fmt(p.p), num: true }, word];
  });
  return [
    h3(`Which activation is best at ${esc(depth)} hidden layers?`),
    said('Measured', `Each activation's test accuracy minus ${esc(best)}'s (the highest median), seed by seed over the ${esc(s.seeds.length)} seeds, in points: median [min – max] of the differences, wins / losses / ties, and the two-sided sign test. "A beats B" only when every seed agrees; otherwise indistinguishable at this budget.`),
    table([{ head: 'activation' }, { head: `− ${best}, points`, num: true }, { head: 'wins / losses / ties', num: true }, { head: 'sign test p', num: true }, { head: 'verdict' }], rows, undefined, 'compact'),
  ].join('\n');
}

function gainPart(r: StudyResults): string {
  const g = r.activationDepth.gain;
  const head = h3("He's initialiser outside ReLU");
  if (!g || (g.runs ?? []).length === 0) return head + notMeasured('The gain sweep');
  const acts = [...new Set(g.runs.map((x) => x.activation))];
  const rows: Cell[][] = acts.map((a) => [
    { html: `<strong>${esc(a)}</strong>` },
    ...g.gains.map((gain): Cell => {
      const x = g.runs.find((y) => y.activation === a && y.gain === gain);
      return x ? { text: `${fmtBand(x.firstToLast)}${x.vanishing ? ` · V ${Math.round((100 * x.vanishing) / g.seeds)} %` : ''}`, num: true, bg: ratioBg(x.firstToLast.median) } : { text: '—', num: true };
    }),
  ]);
  return [
    head,
    said('Claim', `He et al. 2015 derive Var(W) = 2/n<sub>in</sub> for ReLU (and PReLU): half of a ReLU's inputs are zeroed, so a factor 2 keeps the variance of the signal and of the gradient from layer to layer. GELU, SiLU, Mish and softplus usually borrow it, but nothing in that derivation holds for them.`),
    said('Measured', `The first-to-last ratio at ${esc(g.depth)} hidden layers with weights N(0, g/n<sub>in</sub>) (he_normal rescaled by √(g/2)), median [5–95 %] over ${esc(g.seeds)} seeds, and the share of seeds with the vanishing finding.`),
    table([{ head: 'activation' }, ...g.gains.map((x) => ({ head: `g = ${x}${x === 2 ? ' (He)' : ''}`, num: true }))], rows, undefined, 'compact'),
    said('Meaning', 'For these activations the "vanishing" verdict at depth depends on the gain: a weight variance a little above He\'s changes the ratio by an order of magnitude. He\'s 2/n is the usual pairing for them, not the initialiser made for them; measure the ratio at the scale you use.'),
  ].join('\n');
}

/** Section "Activation × depth". */
export function actDepthSection(r: StudyResults): RenderedSection {
  const s = r.activationDepth;
  const charts: ChartSpec[] = [];
  const out: string[] = [
    said('Claim', 'Whether the gradient survives depth depends on the activation and on the initialisation that goes with it. Saturating functions (sigmoid, and to a lesser degree tanh) multiply the gradient by f′ &lt; 1 at every layer, so it vanishes; the ReLU family passes it on with f′ = 1 wherever a unit is active, so with a matching initialiser (He) the first layer\'s gradient stays comparable to the last\'s.'),
  ];
  if ((s.cells ?? []).length === 0 || (s.activations ?? []).length === 0 || (s.depths ?? []).length === 0) {
    out.push(notMeasured('The activation × depth grid'));
    return { id: 'activation-depth', title: 'Activation × depth', html: out.join('\n'), charts };
  }
  const inits = s.activations.map((a) => `${esc(a)} → ${esc(s.inits?.[a] ?? '?')}${s.initDerived?.[a] === false ? '*' : ''}`).join(', ');
  const deepest = Math.max(...s.depths);
  out.push(
    said('Measured', `For each activation, with the initialiser usually paired with it (${inits}; * marks a pairing whose scale was derived for another activation — He's for ReLU), networks with ${esc(listJoin(s.depths))} hidden layers of ${esc(s.width)} units. At initialisation, over ${esc(fmtInt(s.initSeeds))} seeds on ${esc(fmtInt(s.probeExamples))} training images: ‖δˡ‖ of every layer, the ratio <em>first-to-last</em> = ‖δ¹‖ / ‖δ<sup>L−1</sup>‖ (first hidden layer over last hidden layer; 1 means both learn equally fast), the verdict and the last hidden layer's input correlation.`),
    h3('First-to-last ratio at initialisation'),
    grid(r, (c) => ({ html: `${esc(fmtLog10(c.atInit.firstToLast.median))} <span class="verdict">${esc(verdictMix(c.atInit.verdicts, c.atInit.seeds))}</span>`, num: true, title: `${hover(c)} Ratio over ${c.atInit.seeds} seeds: ${fmtBand(c.atInit.firstToLast)}.`, bg: ratioBg(c.atInit.firstToLast.median, c.atInit.verdict?.kind) })),
    `<p class="legend">log10 of the median ratio over ${esc(fmtInt(s.initSeeds))} seeds. <span class="swatch" style="background:${VERDICT_BG.vanishing}"></span> vanishing (ratio &lt; 10<sup>−2</sup>) <span class="swatch" style="background:${VERDICT_BG.exploding}"></span> exploding (&gt; 10<sup>2</sup>) <span class="swatch" style="background:${VERDICT_BG.fine}"></span> in between. Letters: the verdicts and how many of the seeds got each — V vanishing, E exploding, D dead, S saturated, C collapsed, ok healthy. Hover a cell for its band and the first seed's cause.</p>`,
    h3("The last hidden layer's input correlation"),
    grid(r, (c) => ({ text: `${fmtBand(c.atInit.inputCorrelation, (x) => (isNum(x) ? x.toFixed(4) : '—'))}${c.atInit.findings?.collapsed ? ` · C ${Math.round((100 * c.atInit.findings.collapsed) / c.atInit.seeds)} %` : ''}`, num: true, bg: c.atInit.inputCorrelation.median >= 0.999 ? VERDICT_BG.vanishing : undefined })),
    '<p class="legend">Mean cosine similarity of the pre-activations of different images in the last hidden layer, median [5–95 %]; C: the share of seeds with the collapsed finding (≥ 0.999: every input looks almost the same to the output layer). A healthy gradient does not help a network whose inputs have merged.</p>',
  );
  const trained = s.cells.filter((c) => c.training);
  if (trained.length > 0) {
    out.push(
      h3('Test accuracy after training, at each cell\'s own learning rate'),
      said('Measured', `Each cell picks its learning rate from the grid ${esc(s.lrs.join(', '))} (${esc(s.optimizer)}, batch ${esc(s.batch)}, ${esc(s.steps)} steps, ${esc(s.loss)}) by its validation accuracy on the selection seeds ${esc(s.selectionSeeds.join(', '))} (the median when there are several), trained on ${esc(fmtInt(s.trainSize))} images with ${esc(fmtInt(s.validationSize))} held out for validation; then the test accuracy on ${esc(fmtInt(s.testSize))} other images at that rate over seeds ${esc(s.seeds.join(', '))}. A cell <em>trained</em> when its test accuracy is at least ${esc(fmtPct(s.chance))} (always answering the most frequent digit) + ${esc(100 * s.margin)} points.`),
      grid(r, (c) => {
        const t = c.training;
        if (!t) return { text: 'not trained', num: true };
        const top = topGroup(r, c.depth).includes(c.activation);
        return { text: `${fmtPct(t.testAccuracy.median)} [${fmtPct(t.testAccuracy.min)}–${fmtPct(t.testAccuracy.max)}] η ${t.chosenLr} · ${t.trainedSeeds}/${t.runs.length}`, num: true, bold: top, title: t.runs.map((x) => `seed ${x.seed}: ${x.nonFinite ?? fmtPct(x.testAccuracy)}`).join('; ') };
      }),
      '<p class="legend">Median [min–max] test accuracy over the seeds (a run that blew up counts as 0 %), the learning rate chosen, and how many seeds trained. Bold: the best activation at that depth and every one the seeds cannot tell from it (paired comparison below). Hover a cell for every seed.</p>',
      selectionTable(r),
      versusTable(r, deepest),
    );
  }
  const deepCells = s.cells.filter((c) => c.depth === deepest);
  if (deepCells.length > 0) {
    charts.push(lineChart('actdepth-init', deepCells.map((c, i) => ({ label: c.activation, points: indexed(c.atInit.initNorms?.median ?? [], true, 1), color: color(i), pointRadius: 2 })), { x: 'layer (1 = input side; the last is the output layer)', y: '‖δˡ‖ at initialisation, median over seeds (log scale)', logY: true, integerX: true }));
    out.push(h3(`Per-layer gradient at initialisation, ${esc(deepest)} hidden layers`), figure('actdepth-init', `Median ‖δˡ‖ of every layer of the ${esc(deepest)}-hidden-layer networks at initialisation over ${esc(fmtInt(s.initSeeds))} seeds. A line falling toward layer 1 is a vanishing gradient.`, 360));
    const few = ['sigmoid', 'tanh', 'relu'].map((a) => deepCells.find((c) => c.activation === a && (c.training?.normsEnd ?? []).length > 0)).filter((c): c is ActDepthCell => c !== undefined);
    if (few.length > 0) {
      charts.push(lineChart('actdepth-trained', few.flatMap((c, i) => [
        { label: `${c.activation}, initialisation`, points: indexed(c.training!.normsInit, true, 1), color: color(i) },
        { label: `${c.activation}, trained`, points: indexed(c.training!.normsEnd, true, 1), color: color(i), dashed: true },
      ]), { x: 'layer', y: '‖δˡ‖ (log scale)', logY: true, integerX: true }));
      out.push(figure('actdepth-trained', `‖δˡ‖ per layer before (solid) and after (dashed) training at the chosen rate, first seed, ${esc(deepest)} hidden layers.`, 320));
    }
  }
  out.push(gainPart(r));
  const mixText = deepCells
    .map((c) => {
      const v = c.atInit.verdicts ?? {};
      const n = c.atInit.seeds;
      const main = Object.entries(v).sort((a, b) => b[1] - a[1]);
      return main.length > 1 ? `${c.activation} ${main.map(([k, m]) => `${k} on ${m} of ${n} seeds`).join(', ')}` : `${c.activation} ${main[0]?.[0] ?? '—'}`;
    })
    .join('; ');
  const group = topGroup(r, deepest);
  out.push(said('Meaning', `At ${esc(deepest)} hidden layers the verdicts at initialisation are — ${esc(mixText)}. ${group.length ? `The best test accuracy there: ${esc(group[0])}; ${group.length > 1 ? `the seeds cannot tell ${esc(listJoin(group.slice(1)))} from it` : 'every other activation loses to it on every seed'}.` : ''} A vanishing verdict at initialisation predicts slow or no learning in the early layers; a healthy one does not guarantee good accuracy — a collapsed forward signal, or too short a budget, can still stop a network.`), claimsBlock(r, 'activation-depth'));
  return { id: 'activation-depth', title: 'Activation × depth', html: out.join('\n'), charts };
}
