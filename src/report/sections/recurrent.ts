/**
 * Study stage 6 as an HTML fragment with Chart.js configurations and as
 * Markdown: the product of n factors W_hhᵀ·diag(f′) and the LSTM's additive
 * cell state, the solved-fraction table cell × length, ‖∂ℓ/∂h_t‖ against t
 * per cell at initialisation and after training (log scale), and the
 * clipping comparison. Reads only the RecurrentSection; tolerates null
 * where results.json stored a non-finite number.
 */
import type { CellKind } from '../../nn/rnn/types.js';
import { color, figure, indexed, lineChart, type ChartSpec, type LineSeries } from '../charts.js';
import { esc, fmt, fmtBand, fmtPct, fmtSeconds, isNum, lastFinite, type MaybeNumber } from '../format.js';
import { claimsBlock } from './claims.js';
import { h3, notMeasured, said, table, type Cell, type SectionRenderer } from './common.js';
import type { RecurrentCellRun, RecurrentClipArm, RecurrentSection } from '../../experiments/rnn/types.js';

/** The section's heading. */
export const RECURRENT_TITLE = 'Recurrent nets: the gradient through time';

/** The section's anchor id. */
export const RECURRENT_ID = 'recurrent';

const CELL_NAMES: Readonly<Record<CellKind, string>> = { rnn: 'plain RNN (tanh)', lstm: 'LSTM', gru: 'GRU' };
const SOLVED_BG = '#cfeccf';
const CHANCE_BG = '#f6c6c1';
const PARTIAL_BG = '#fbeec1';

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The first seed's run of a cell at a length. */
function find(s: RecurrentSection, cell: CellKind, T: number): RecurrentCellRun | undefined {
  return s.runs.find((r) => r.cell === cell && r.length === T);
}

function summaryOf(s: RecurrentSection, cell: CellKind, T: number) {
  return (s.findings.summaries ?? []).find((x) => x.cell === cell && x.length === T);
}

/** ‖∂ℓ/∂h₀‖ / ‖∂ℓ/∂h_{T−1}‖: how much of the gradient at the last step reaches the first. */
export function firstToLastInTime(norms: readonly MaybeNumber[]): number | null {
  const a = norms[0];
  const b = norms[norms.length - 1];
  return isNum(a) && isNum(b) && b > 0 ? a / b : null;
}

function baselineAt(s: RecurrentSection, T: number): MaybeNumber {
  return s.baseline.solvedFraction[s.settings.lengths.indexOf(T)];
}

function solvedBg(s: RecurrentSection, cell: CellKind, T: number): string {
  const x = summaryOf(s, cell, T);
  const base = baselineAt(s, T);
  if (x && x.criterionMet === x.seeds && x.seeds > 0) return SOLVED_BG;
  if (!x || !isNum(x.solved.median) || (isNum(base) && x.solved.median <= base + 0.05)) return CHANCE_BG;
  return PARTIAL_BG;
}

function solvedTable(s: RecurrentSection): string {
  const f = s.findings;
  const rows: Cell[][] = s.settings.cells.map((c) => [
    { html: `<strong>${esc(CELL_NAMES[c])}</strong>` },
    ...s.settings.lengths.map((T): Cell => {
      const x = summaryOf(s, c, T);
      if (!x) return { text: 'not run', num: true };
      return { text: `${fmtPct(x.solved.median)} [${fmtPct(x.solved.min)}–${fmtPct(x.solved.max)}] · ${x.criterionMet}/${x.seeds}`, num: true, bg: solvedBg(s, c, T), title: `wrong test sequences: ${fmtBand(x.errors)} (median [range]) of ${f.testSize}` };
    }),
  ]);
  rows.push([{ html: '<span class="dim">memoryless (always 0.5)</span>' }, ...s.settings.lengths.map((T): Cell => ({ text: fmtPct(baselineAt(s, T)), num: true }))]);
  return table([{ head: 'cell' }, ...s.settings.lengths.map((T) => ({ head: `T = ${T}`, num: true }))], rows, `Fraction of ${esc(f.testSize)} held-out sequences with |error| &lt; ${esc(s.settings.tolerance)}, median [min–max] over seeds ${esc(s.settings.seeds.join(', '))}, and how many seeds meet Hochreiter &amp; Schmidhuber's criterion (at most ${esc(f.maxErrors)} of the ${esc(f.testSize)} wrong); green: every seed meets it, red: within 5 points of the memoryless predictor.`, 'grid');
}

function detailTable(s: RecurrentSection): string {
  const rows: Cell[][] = [];
  for (const T of s.settings.lengths)
    for (const c of s.settings.cells) {
      const r = find(s, c, T);
      if (!r) continue;
      rows.push([
        { text: c.toUpperCase() },
        T,
        { text: `${fmt(r.spectralNorm.init)} → ${fmt(r.spectralNorm.final)}`, num: true },
        { text: r.pascanu.init.regime === 'not-applicable' ? 'n/a (gated)' : `${r.pascanu.init.regime} → ${r.pascanu.final.regime}`, title: r.pascanu.init.message },
        firstToLastInTime(r.gradThroughTime.init),
        firstToLastInTime(r.gradThroughTime.final),
        r.initLoss,
        r.finalLoss,
        { text: fmtSeconds(r.seconds), num: true },
      ]);
    }
  return table(
    [{ head: 'cell' }, { head: 'T', num: true }, { head: 'σ_max(W_hh) init → trained', num: true }, { head: "Pascanu (λ₁ vs 1/γ)" }, { head: '‖∂ℓ/∂h₀‖/‖∂ℓ/∂h_T‖ init', num: true }, { head: 'same, trained', num: true }, { head: 'test loss init', num: true }, { head: 'test loss trained', num: true }, { head: 'wall time', num: true }],
    rows,
  );
}

function gttChart(s: RecurrentSection, cell: CellKind): ChartSpec {
  const series: LineSeries[] = [];
  s.settings.lengths.forEach((T, i) => {
    const r = find(s, cell, T);
    if (!r) return;
    series.push({ label: `T = ${T}, initialisation`, points: indexed(r.gradThroughTime.init, true), color: color(i) });
    series.push({ label: `T = ${T}, trained`, points: indexed(r.gradThroughTime.final, true), color: color(i), dashed: true });
  });
  return lineChart(`rnn-gtt-${cell}`, series, { x: 'time step t (0 = first)', y: '‖∂ℓ/∂h_t‖ (log scale)', logY: true, integerX: true });
}

function clipArmText(label: string, a: RecurrentClipArm): string {
  if (a.nonFinite) return `<div class="callout alert"><strong>${esc(label)}: the first non-finite value appeared at step ${esc(a.nonFinite.step)} (${esc(a.nonFinite.quantity)}${a.nonFinite.time !== null ? `, time step ${esc(a.nonFinite.time)}` : ''}).</strong><br>${esc(a.nonFinite.message)}</div>`;
  return `<div class="callout ok"><strong>${esc(label)}:</strong> finite for all ${esc(a.steps)} steps; final training loss ${esc(fmt(lastFinite(a.loss)))}, test loss ${esc(fmt(a.finalLoss))}, solved ${esc(fmtPct(a.solvedFraction))}; the gradient was clipped on ${esc(a.clipEvents)} steps.</div>`;
}

function clippingPart(s: RecurrentSection, charts: ChartSpec[]): string {
  const c = s.clipping;
  const seeds = c.seeds ?? [];
  const blown = seeds.filter((x) => x.withoutNonFinite).length;
  const ok = seeds.filter((x) => !x.withNonFinite && x.withLossDrop).length;
  const v = c.vanishingCheck;
  const label = `with clipping at ${fmt(c.with.clipNorm)}`;
  charts.push(
    lineChart('rnn-clip-loss', [
      { label: 'without clipping', points: indexed(c.without.loss, true), color: color(1), pointRadius: 2 },
      { label, points: indexed(c.with.loss, true), color: color(2) },
    ], { x: 'step', y: 'training loss (log scale)', logY: true, integerX: true }),
    lineChart('rnn-clip-grad', [
      { label: 'without clipping', points: indexed(c.without.gradNorm, true), color: color(1), pointRadius: 2 },
      { label: `${label} (norm before clipping)`, points: indexed(c.with.gradNorm, true), color: color(2) },
    ], { x: 'step', y: 'global gradient norm (log scale)', logY: true, integerX: true }),
  );
  const g = c.gradThroughTime;
  return [
    h3('Clipping an exploding RNN'),
    said('Measured', `${esc(c.description)} ${esc(c.pascanu.message)}. At initialisation (first seed) ‖∂ℓ/∂h_t‖ is ${esc(fmt(g[g.length - 1]))} at the last step and ${esc(fmt(g[0]))} at the first; over ${esc(c.probeSeeds)} seeds the ratio first / last is ${esc(fmtBand(c.gradRatioAtInit))} (median [5–95 %]). For contrast, Pascanu's sufficient condition for vanishing: a ${esc(v.activation)} RNN with σ_max(W_hh) = ${esc(v.gain)} must keep the ratio below ${esc(v.gain)}^(T−1) = ${esc(fmt(v.bound))}; over ${esc(v.seeds)} seeds the largest is ${esc(fmt(v.ratio.max))}.`),
    said('Measured', `Over ${esc(seeds.length)} seeds: without clipping the run overflowed on ${esc(blown)}; with clipping it stayed finite with a falling training loss on ${esc(ok)}, clipping ${esc(seeds.map((x) => fmtPct(x.withClippedFraction)).join(', '))} of the steps. The first seed:`),
    clipArmText('Without clipping', c.without),
    clipArmText(`With clipping at ${fmt(c.with.clipNorm)}`, c.with),
    `<div class="grid2">${figure('rnn-clip-loss', 'Training loss of the exploding ReLU RNN, without and with clipping.', 280)}${figure('rnn-clip-grad', 'Global gradient norm before clipping.', 280)}</div>`,
    said('Meaning', 'Clipping by global norm (if ‖g‖ ≥ c then g ← c·g/‖g‖; Pascanu et al. 2013) keeps the direction of the exploding gradient and bounds the step, so the first updates shrink W_hh instead of throwing it into overflow. It treats exploding, not vanishing: it cannot make a small gradient larger.'),
  ].join('\n');
}

function verdictText(s: RecurrentSection): string {
  const f = s.findings;
  const parts: string[] = [];
  const list = (ls: readonly number[] | undefined): string => (ls ?? []).join(', ');
  if ((f.lstmBeatsRnn ?? []).length > 0) parts.push(`the LSTM (T = ${list(f.lstmBeatsRnn)})`);
  if ((f.gruBeatsRnn ?? []).length > 0) parts.push(`the GRU (T = ${list(f.gruBeatsRnn)})`);
  if (parts.length === 0) return 'In this run no gated cell solved more sequences than the plain RNN on every seed: the budget was too small for the lags tried.';
  return `With the same budget, ${esc(parts.join(' and '))} solves more sequences than the plain RNN on every seed: the additive path carries the gradient of the end-of-sequence error back to the marked values.`;
}

/** The section's content without the `<section>` wrapper and heading (for the report's section renderer). */
export function renderRecurrentBody(s: RecurrentSection): { html: string; charts: ChartSpec[] } {
  const charts: ChartSpec[] = [];
  const st = s.settings;
  const longest = st.lengths[st.lengths.length - 1];
  const ratioText = st.cells
    .map((c) => {
      const r = find(s, c, longest);
      return r ? `${esc(c.toUpperCase())} ${esc(fmt(firstToLastInTime(r.gradThroughTime.init)))} at initialisation, ${esc(fmt(firstToLastInTime(r.gradThroughTime.final)))} trained` : '';
    })
    .filter(Boolean)
    .join('; ');
  for (const c of st.cells) charts.push(gttChart(s, c));
  const html = [
    said('Claim', `A recurrent net applies the same layer at every step, so the gradient of a loss at step T with respect to the state n steps earlier is a product of n factors W_hhᵀ·diag(f′(z_t)) — the product of claim 2 with the same matrix every time. With λ₁ = σ_max(W_hh) and |f′| ≤ γ (γ = 1 for tanh, 1/4 for the sigmoid), λ₁ &lt; 1/γ guarantees that it vanishes exponentially with n, and λ₁ &gt; 1/γ is necessary for it to explode (Pascanu, Mikolov &amp; Bengio 2013). The LSTM (Hochreiter &amp; Schmidhuber 1997) keeps its memory in a cell state updated by addition; with the forget gate of Gers, Schmidhuber &amp; Cummins 2000 (the 1997 cell has none), c_t = f ⊙ c_{t−1} + i ⊙ g, so ∂c_t/∂c_{t−1} = diag(f): no weight matrix and no squashing derivative stand in the way, and with forget gates near 1 the gradient survives long lags. The GRU (Cho et al. 2014), h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}, has the same additive path.`),
    said('Measured', `Hochreiter &amp; Schmidhuber's adding problem: pairs (value in [−1, 1], marker), two marked values X₁ (among the first 10 pairs) and X₂ (among the first T/2 − 1), sequences of T to T + T/10 steps, target 0.5 + (X₁ + X₂)/4 at the end only; a sequence is solved when |error| &lt; ${esc(st.tolerance)}. Each cell has H = ${esc(st.hidden)} units and is trained for ${esc(st.steps)} steps of Adam (η = ${esc(st.lr)}, batch ${esc(st.batch)}, gradients clipped at ${esc(fmt(st.clipNorm))}, full BPTT, ${esc(st.dtype)}); W_hh orthogonal, W_ih ${esc(st.inputInit)}, LSTM forget-gate bias ${esc(st.forgetBias)}, GRU update-gate bias ${esc(st.updateBias)}; seeds ${esc((st.seeds ?? []).join(', '))}, each seed the same weights' generator and data for every cell. The solved fraction is measured on ${esc(st.testSize)} held-out sequences — the paper's test set size — with its criterion for a successful run: at most ${esc(st.maxErrors)} of them wrong. ‖∂ℓ/∂h_t‖ (mean over ${esc(st.probeSize)} probe sequences of exactly T steps) before and after training, first seed.`),
    said('Caveat', `The gated cells start with forget-gate (LSTM) and update-gate (GRU) biases of ${esc(st.forgetBias)} and ${esc(st.updateBias)}, so at first they keep σ(b) of their state per step: over ${esc(longest)} steps σ(1)<sup>${esc(longest)}</sup> = ${esc(fmt(Math.pow(sigmoid(1), longest)))} but σ(2)<sup>${esc(longest)}</sup> = ${esc(fmt(Math.pow(sigmoid(2), longest)))}. Learning a long lag starts after a plateau of random length, so a seed and a fixed budget can land on either side of it: hence the seeds.`),
    h3('Solved fraction on the adding problem'),
    solvedTable(s),
    `<ul>${s.findings.summary.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`,
    h3('The gradient through time'),
    `<div class="grid3">${st.cells.map((c) => figure(`rnn-gtt-${c}`, `${esc(CELL_NAMES[c])}: ‖∂ℓ/∂h_t‖ against t, solid at initialisation, dashed after training.`, 300)).join('')}</div>`,
    said('Meaning', `The ratio ‖∂ℓ/∂h₀‖ / ‖∂ℓ/∂h_{T−1}‖ at T = ${esc(longest)}: ${ratioText}. Where it is tiny, the marked values early in the sequence barely change the weights, and a cell can at best fit what the last steps tell it. ${verdictText(s)}`),
    detailTable(s),
    clippingPart(s, charts),
  ].join('\n');
  return { html, charts };
}

/** The whole section: `<section id="recurrent">` with its h2, the text, the tables and the charts' canvases. */
export function renderRecurrentHtml(s: RecurrentSection): { html: string; charts: { id: string; config: Record<string, unknown> }[] } {
  const body = renderRecurrentBody(s);
  return { html: `<section id="${RECURRENT_ID}">\n<h2>${esc(RECURRENT_TITLE)}</h2>\n${body.html}\n</section>`, charts: body.charts.map((c) => ({ id: c.id, config: c.config })) };
}

/** The section as Markdown for summary.md. */
export function renderRecurrentMarkdown(s: RecurrentSection): string {
  const st = s.settings;
  const head = `| cell | ${st.lengths.map((T) => `T = ${T}`).join(' | ')} |\n|---|${st.lengths.map(() => '---:').join('|')}|`;
  const rows = st.cells.map((c) => `| ${CELL_NAMES[c]} | ${st.lengths.map((T) => {
    const x = summaryOf(s, c, T);
    return x ? `${fmtPct(x.solved.median)} [${fmtPct(x.solved.min)}–${fmtPct(x.solved.max)}], criterion ${x.criterionMet}/${x.seeds}` : 'not run';
  }).join(' | ')} |`);
  rows.push(`| memoryless (0.5) | ${st.lengths.map((T) => fmtPct(baselineAt(s, T))).join(' | ')} |`);
  const detail = st.lengths.flatMap((T) =>
    st.cells.flatMap((c) => {
      const r = find(s, c, T);
      return r ? [`| ${c.toUpperCase()} | ${T} | ${fmt(r.spectralNorm.init)} → ${fmt(r.spectralNorm.final)} | ${r.pascanu.init.regime} | ${fmt(firstToLastInTime(r.gradThroughTime.init))} | ${fmt(firstToLastInTime(r.gradThroughTime.final))} | ${fmt(r.finalLoss)} | ${fmtSeconds(r.seconds)} |`] : [];
    }),
  );
  const c = s.clipping;
  const arm = (label: string, a: RecurrentClipArm): string => (a.nonFinite ? `- ${label}: first non-finite value at step ${a.nonFinite.step} — ${a.nonFinite.message}.` : `- ${label}: finite for ${a.steps} steps, final training loss ${fmt(lastFinite(a.loss))}, clipped on ${a.clipEvents} steps.`);
  return [
    `## ${RECURRENT_TITLE}`,
    '',
    'In a recurrent net the gradient through n steps is a product of n factors W_hhᵀ·diag(f′): it vanishes when σ_max(W_hh) < 1/γ (Pascanu et al. 2013). The LSTM\'s additive cell state (∂c_t/∂c_{t−1} = diag(f)) and the GRU\'s h_t = (1 − u)·n + u·h_{t−1} carry it across long lags.',
    '',
    `Adding problem (Hochreiter & Schmidhuber 1997), solved fraction of ${st.testSize} held-out sequences (|error| < ${st.tolerance}), median [min–max] over seeds ${(st.seeds ?? []).join(', ')}, and the seeds meeting the paper's criterion (at most ${st.maxErrors} wrong); H = ${st.hidden}, ${st.steps} Adam steps (η = ${st.lr}, batch ${st.batch}, clip ${fmt(st.clipNorm)}):`,
    '',
    head,
    ...rows,
    '',
    ...s.findings.summary.map((x) => `- ${x}`),
    '',
    'First seed:',
    '',
    '| cell | T | σ_max(W_hh) init → trained | Pascanu at init | ‖∂ℓ/∂h₀‖/‖∂ℓ/∂h_T‖ init | trained | test loss | wall time |',
    '|---|---:|---:|---|---:|---:|---:|---:|',
    ...detail,
    '',
    `Clipping: ${c.description} Over the seeds: ${(c.seeds ?? []).filter((x) => x.withoutNonFinite).length}/${(c.seeds ?? []).length} overflowed without clipping, ${(c.seeds ?? []).filter((x) => !x.withNonFinite && x.withLossDrop).length}/${(c.seeds ?? []).length} stayed finite with a falling loss with it. First seed:`,
    '',
    arm('Without clipping', c.without),
    arm(`With clipping at ${fmt(c.with.clipNorm)}`, c.with),
    '',
  ].join('\n');
}

/** The report section of stage 6 (recurrent nets), or a note when the results predate it. */
export const recurrentSection: SectionRenderer = (r) => {
  if (!r.recurrent) return { id: RECURRENT_ID, title: RECURRENT_TITLE, html: notMeasured('The recurrent stage'), charts: [] };
  const body = renderRecurrentBody(r.recurrent);
  return { id: RECURRENT_ID, title: RECURRENT_TITLE, html: `${body.html}\n${claimsBlock(r, RECURRENT_ID)}`, charts: body.charts };
};
