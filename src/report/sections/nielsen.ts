/**
 * Report section for study stage 2: Nielsen's measurement of ‖δˡ‖ per hidden
 * layer at initialisation, beside the book's published values, and the
 * 500-step "speed of learning" curves.
 */
import type { NielsenNetwork, NielsenSection, StudyResults } from '../../experiments/study/types.js';
import { barChart, color, figure, indexed, layerColor, lineChart, type ChartSpec } from '../charts.js';
import { argminFinite, bandName, esc, fmt, fmtArch, fmtBand, fmtInt, fmtPct, isNum, lastFinite } from '../format.js';
import { claimsBlock } from './claims.js';
import { at, h3, notMeasured, said, table, type Cell, type RenderedSection } from './common.js';

function inRange(pub: number | null | undefined, lo: number | null | undefined, hi: number | null | undefined, med: number | null | undefined): Cell {
  if (!isNum(pub)) return { text: '', num: false };
  if (isNum(lo) && isNum(hi) && pub >= lo && pub <= hi) return { text: 'yes', num: false };
  if (!isNum(med) || med <= 0) return { text: '—', num: false };
  return { text: `no (×${fmt(pub / med, 2)})`, num: false, title: 'book value ÷ our median' };
}

function networkTable(n: NielsenNetwork): string {
  const hidden = n.measured.median.length;
  const rows: Cell[][] = [];
  for (let l = 0; l < hidden; l++) {
    const pub = at(n.published ?? undefined, l);
    const lo = at(n.measured.lo, l);
    const hi = at(n.measured.hi, l);
    const med = at(n.measured.median, l);
    rows.push([`hidden ${l + 1}`, pub ?? { text: n.published ? '—' : 'not published', num: true }, med, { text: `${fmt(lo)} – ${fmt(hi)}`, num: true }, inRange(pub, lo, hi, med)]);
  }
  const rr = n.ratioLastFirst;
  // with one hidden layer last / first is trivially 1
  if (hidden > 1) rows.push([
    { html: '<strong>last / first</strong>' },
    { value: n.publishedRatio, bold: true },
    { value: rr?.median, bold: true },
    { text: `${fmt(rr?.lo)} – ${fmt(rr?.hi)}`, num: true },
    inRange(n.publishedRatio, rr?.lo, rr?.hi, rr?.median),
  ]);
  const band = bandName(n.measured.seeds);
  return table(
    [{ head: 'layer' }, { head: 'book', num: true }, { head: 'ours: median', num: true }, { head: `ours: ${band}`, num: true }, { head: `book in our ${band}?` }],
    rows,
    `<strong>${esc(fmtArch(n.arch))}</strong> — ${hidden} hidden layer${hidden === 1 ? '' : 's'}; ‖δ‖ at initialisation`,
    'compact',
  );
}

function barPart(nets: readonly NielsenNetwork[], charts: ChartSpec[]): string {
  const labels: string[] = [];
  const book: (number | null)[] = [];
  const med: (number | null)[] = [];
  const range: (readonly [number, number] | null)[] = [];
  for (const n of nets) {
    n.measured.median.forEach((m, l) => {
      labels.push(`${n.measured.median.length} hidden · layer ${l + 1}`);
      const p = at(n.published ?? undefined, l);
      book.push(isNum(p) && p > 0 ? p : null);
      med.push(isNum(m) && m > 0 ? m : null);
      const lo = at(n.measured.lo, l);
      const hi = at(n.measured.hi, l);
      range.push(isNum(lo) && isNum(hi) && lo > 0 && hi > 0 ? [lo, hi] : null);
    });
  }
  charts.push(
    barChart(
      'nielsen-bars',
      labels,
      [
        { label: 'book (one draw)', data: book, color: color(1) },
        { label: 'ours: median over seeds', data: med, color: color(0) },
        { label: `ours: ${bandName(nets[0]?.measured.seeds)} over seeds`, data: range, color: color(5) },
      ],
      { y: '‖δ‖ (log scale)', logY: true },
    ),
  );
  return figure('nielsen-bars', '‖δˡ‖ per hidden layer at initialisation, log scale: within each network the bars rise from the first hidden layer to the last.', 340);
}

/** A sentence on where a layer's norm bottoms out and what it does afterwards. */
function minimumSentence(series: readonly (number | null)[], argmin: number | undefined, l: number): string {
  const i = isNum(argmin) ? argmin : argminFinite(series);
  const n = series.length;
  const min = at(series, i);
  const end = lastFinite(series);
  let after: string;
  if (i >= 0.9 * (n - 1)) after = 'it falls almost all the way, nearly monotonically';
  else if (isNum(min) && isNum(end) && end > 1.2 * min) after = `then rebounds to ${fmt(end)} by the last step`;
  else after = 'then stays near that level';
  return `layer ${l + 1} is smallest at step <strong>${esc(i)}</strong> (${esc(fmt(min))}); ${after}`;
}

function bookRemark(hidden: number): string {
  if (hidden === 2) return ' The book, for this network: layer 1 bottoms near step 39 and layer 2 near step 53, then both rebound.';
  if (hidden === 4) return ' The book, for this network: all four fall nearly monotonically, to about 8.2e-6, 2.6e-5, 1.8e-4 and 9.2e-4 at step 499.';
  return '';
}

/** The speed-of-learning summaries of every seed: where each layer bottoms out and how often the order holds. */
function speedTable(tr: NielsenSection['training']): string {
  const rows: Cell[][] = tr.summaries.map((x) => [fmtArch(x.arch), x.seed, { text: x.argmin.join(', '), num: true }, { text: fmtPct(x.firstSlowest), num: true }, { text: fmtPct(x.fullOrder), num: true }]);
  return table([{ head: 'network' }, { head: 'seed', num: true }, { head: 'step of each layer\'s minimum', num: true }, { head: 'layer 1 slowest', num: true }, { head: 'full order', num: true }], rows, 'Every seed of the speed-of-learning runs: the share of steps at which hidden layer 1 has the smallest ‖δ‖, and at which every layer is below the next.', 'compact');
}

function speedPart(r: StudyResults, charts: ChartSpec[]): string {
  const tr = r.nielsen.training;
  const out = [h3('The speed of learning during training')];
  if (!tr || (tr.runs ?? []).length === 0) return out.concat(notMeasured('The speed-of-learning runs')).join('\n');
  out.push(said('Measured', `Each network below is trained for ${esc(tr.steps)} full-batch gradient-descent steps on the same ${esc(fmtInt(r.nielsen.samples))} images (η = ${esc(fmt(tr.eta))}, L2 regularisation λ = ${esc(fmt(tr.lambda))}), recording ‖δˡ‖ of every hidden layer before each step, on seeds ${esc((tr.seeds ?? []).join(', '))}; the charts show the first seed, the table every seed. Log scale: equal vertical distances are equal ratios.`));
  tr.runs.forEach((run, k) => {
    const H = run.norms.length;
    const id = `nielsen-speed-${k}`;
    charts.push(lineChart(id, run.norms.map((s, l) => ({ label: `hidden layer ${l + 1}`, points: indexed(s, true), color: layerColor(l, H) })), { x: 'step', y: '‖δˡ‖ (log scale)', logY: true, integerX: true }));
    const sentences = run.norms.map((s, l) => minimumSentence(s, at(run.argmin, l), l));
    out.push(
      `<h4>${esc(fmtArch(run.arch))}, seed ${esc(run.seed)}</h4>`,
      figure(id, `‖δˡ‖ of each hidden layer of ${esc(fmtArch(run.arch))} during training (dark: input side).`),
      `<p>${sentences.join('; ')}.${bookRemark(H)}</p>`,
    );
  });
  if ((tr.summaries ?? []).length > 0) out.push(speedTable(tr));
  charts.push(lineChart('nielsen-loss', tr.runs.map((run, k) => ({ label: fmtArch(run.arch), points: indexed(run.loss), color: color(k) })), { x: 'step', y: 'training loss (cross-entropy)', integerX: true }));
  out.push(figure('nielsen-loss', 'The training loss of each run (first seed).', 260));
  out.push(said('Meaning', 'The layer order holds through training: the early layers keep learning far more slowly than the late ones. Training does not fix the imbalance by itself.'));
  return out.join('\n');
}

/** The book's training recipe for the 4-hidden-layer net, over seeds. */
function recipePart(r: StudyResults): string {
  const b = r.nielsen.bookRecipe;
  const head = h3("Does the 4-hidden-layer net train? The book's recipe");
  if (!b || (b.perSeed ?? []).length === 0) return head + notMeasured("The book's recipe");
  const trained = b.perSeed.filter((x) => x.trained).length;
  const epochs = (b.steps * b.batch) / b.trainSize;
  return [
    head,
    said('Claim', `Nielsen trains ${esc(fmtArch(b.arch))} — sigmoid everywhere, plain SGD with η = ${esc(fmt(b.eta))}, mini-batch ${esc(b.batch)}, L2 λ = 5 — to ${esc(fmtPct(b.published))}: his validation accuracy, on the 10,000 validation images of his MNIST split, after 30 epochs of 50,000 training images. Slow early layers slow the net down; they do not stop it.`),
    said('Measured', `The same recipe on our ${esc(fmtInt(b.trainSize))} training images for ${esc(fmtInt(b.steps))} steps (${esc(fmt(epochs))} epochs), test accuracy on the ${esc(fmtInt(b.testSize))} held-out images, seeds ${esc(b.seeds.join(', '))}: median <strong>${esc(fmtPct(b.testAccuracy.median))}</strong> (range ${esc(fmtPct(b.testAccuracy.min))}–${esc(fmtPct(b.testAccuracy.max))}); it trained — accuracy at least ${esc(fmtPct(b.chance))} (always answering the most frequent digit) + ${esc(100 * b.margin)} points — on ${esc(trained)} of ${esc(b.perSeed.length)} seeds.`),
    table([{ head: 'seed', num: true }, { head: 'test accuracy', num: true }, { head: 'trained' }], b.perSeed.map((x) => [x.seed, { text: fmtPct(x.testAccuracy), num: true }, x.trained ? 'yes' : 'no']), undefined, 'compact'),
    said('Meaning', `The vanishing gradient makes a deep sigmoid net slow, not untrainable: with small noisy steps and enough of them it leaves the plateau. Stage 3's sigmoid nets, trained for far fewer examples, stay at chance at every learning rate of their grid — the difference is the budget, not the rate alone.`),
  ].join('\n');
}

/** Section "Nielsen's measurement". */
export function nielsenSection(r: StudyResults): RenderedSection {
  const charts: ChartSpec[] = [];
  const nz = r.nielsen;
  const nets = nz.networks ?? [];
  const html: string[] = [
    said('Claim', 'In a sigmoid network the hidden layers learn at very different speeds: the earlier the layer, the smaller its gradient. Nielsen measures each hidden layer\'s "speed of learning" as ‖δˡ‖, the length of the gradient of the cost with respect to that layer\'s biases, and finds the first hidden layer of a four-hidden-layer net learning about 100 times more slowly than the last.'),
  ];
  if (nets.length === 0) {
    html.push(notMeasured('The per-layer norms at initialisation'));
  } else {
    html.push(
      said('Measured', `The book's setup: sigmoid in every layer including the output, cross-entropy cost, weights N(0, 1/n<sub>in</sub>), biases N(0, 1). ‖δˡ‖ is the length of the <em>average</em> over the first ${esc(fmtInt(nz.samples))} images of ∂C/∂bˡ, for each hidden layer. A probe costs milliseconds, so every network is drawn with ${esc(fmtInt(nz.seeds))} seeds; we show the median and the ${esc(bandName(nz.seeds))} band of the draws.`),
      said('Caveat', 'The book\'s numbers are <strong>one random draw</strong> of the weights, on the first 1,000 images of its MNIST training set. Our 1,000 images are a different draw of the weights, and the embedded digit set is not the book\'s training set. So compare ranges and ratios, not digits.'),
      `<div class="grid2 tables">${nets.map(networkTable).join('\n')}</div>`,
      barPart(nets, charts),
    );
    const deep = nets[nets.length - 1];
    const multi = nets.filter((n) => n.measured.median.length > 1);
    const ratios = multi.map((n) => `${esc(fmtBand(n.ratioLastFirst))} (${n.measured.median.length} hidden)`).join(', ');
    html.push(said('Meaning', `Within each network ‖δ‖ grows from the first hidden layer to the last. Our ratios last / first, median [${esc(bandName(nz.seeds))}], are ${ratios || '—'}; the book's single draws give 4.7, 23.9 and 95.8, each inside our band of draws when the table says so. In ${esc(fmtArch(deep.arch))} the first hidden layer learns about <strong>${esc(fmt(deep.ratioLastFirst?.median))}×</strong> more slowly than the last (median; one draw in twenty is below ${esc(fmt(deep.ratioLastFirst?.lo))} or above ${esc(fmt(deep.ratioLastFirst?.hi))}). Each extra sigmoid layer divides the gradient again, as the derivative bound predicts.`));
  }
  const acc = nz.publishedAccuracy ?? [];
  if (acc.length > 0) {
    html.push(`<p class="note">For reference, the book's validation accuracy after full training (50,000 training images, 30 epochs, measured on its 10,000 validation images): ${acc.map((a) => `${esc(fmtArch(a.arch))} ${isNum(a.accuracy) ? (100 * a.accuracy).toFixed(2) : '—'} %`).join(', ')} — adding hidden layers does not help, as expected when the early layers barely learn.</p>`);
  }
  html.push(speedPart(r, charts), recipePart(r), claimsBlock(r, 'nielsen'));
  return { id: 'nielsen', title: "Nielsen's measurement", html: html.join('\n'), charts };
}
