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
import { esc, fmt, fmtPct, fmtSeconds, isNum, lastFinite, type MaybeNumber } from '../format.js';
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

function find(s: RecurrentSection, cell: CellKind, T: number): RecurrentCellRun | undefined {
  return s.runs.find((r) => r.cell === cell && r.length === T);
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

function solvedBg(s: RecurrentSection, r: RecurrentCellRun): string {
  const base = baselineAt(s, r.length);
  if (isNum(r.solvedFraction) && r.solvedFraction >= s.findings.solvedThreshold) return SOLVED_BG;
  if (!isNum(r.solvedFraction) || (isNum(base) && r.solvedFraction <= base + 0.05)) return CHANCE_BG;
  return PARTIAL_BG;
}

function solvedTable(s: RecurrentSection): string {
  const rows: Cell[][] = s.settings.cells.map((c) => [
    { html: `<strong>${esc(CELL_NAMES[c])}</strong>` },
    ...s.settings.lengths.map((T): Cell => {
      const r = find(s, c, T);
      if (!r) return { text: 'not run', num: true };
      return { text: fmtPct(r.solvedFraction), num: true, bg: solvedBg(s, r), title: `test loss ${fmt(r.finalLoss)} (before training ${fmt(r.initLoss)}); ${r.steps} steps in ${fmtSeconds(r.seconds)}` };
    }),
  ]);
  rows.push([{ html: '<span class="dim">memoryless (always 0.5)</span>' }, ...s.settings.lengths.map((T): Cell => ({ text: fmtPct(baselineAt(s, T)), num: true }))]);
  return table([{ head: 'cell' }, ...s.settings.lengths.map((T) => ({ head: `T = ${T}`, num: true }))], rows, `Fraction of ${s.settings.testSize} held-out sequences with |error| &lt; ${esc(s.settings.tolerance)}; green: at least ${esc(fmtPct(s.findings.solvedThreshold))}, red: within 5 points of the memoryless predictor.`, 'grid');
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
    said('Measured', `${esc(c.description)} ${esc(c.pascanu.message)}. At initialisation ‖∂ℓ/∂h_t‖ grows toward the start of the sequence: ${esc(fmt(g[g.length - 1]))} at the last step, ${esc(fmt(g[0]))} at the first.`),
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
  if (parts.length === 0) return 'In this run no gated cell solved a length the plain RNN did not: the budget was too small for the lags tried.';
  return `With the same budget, ${esc(parts.join(' and '))} solves lengths the plain RNN does not: the additive path carries the gradient of the end-of-sequence error back to the marked values.`;
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
    said('Claim', `A recurrent net applies the same layer at every step, so the gradient of a loss at step T with respect to the state n steps earlier is a product of n factors W_hhᵀ·diag(f′(z_t)) — the product of claim 2 with the same matrix every time. With λ₁ = σ_max(W_hh) and |f′| ≤ γ (γ = 1 for tanh, 1/4 for the sigmoid), λ₁ &lt; 1/γ guarantees that it vanishes exponentially with n, and λ₁ &gt; 1/γ is necessary for it to explode (Pascanu, Mikolov &amp; Bengio 2013). The LSTM (Hochreiter &amp; Schmidhuber 1997) keeps its memory in a cell state updated by addition, c_t = f ⊙ c_{t−1} + i ⊙ g, so ∂c_t/∂c_{t−1} = diag(f): no weight matrix and no squashing derivative stand in the way, and with forget gates near 1 the gradient survives long lags. The GRU's h_t = (1 − u) ⊙ n + u ⊙ h_{t−1} has the same additive path.`),
    said('Measured', `Hochreiter &amp; Schmidhuber's adding problem: pairs (value in [−1, 1], marker), two marked values X₁ (among the first 10 pairs) and X₂ (among the first T/2 − 1), sequences of T to T + T/10 steps, target 0.5 + (X₁ + X₂)/4 at the end only; a sequence is solved when |error| &lt; ${esc(st.tolerance)}. Each cell has H = ${esc(st.hidden)} units and is trained for ${esc(st.steps)} steps of Adam (η = ${esc(st.lr)}, batch ${esc(st.batch)}, gradients clipped at ${esc(fmt(st.clipNorm))}, full BPTT, ${esc(st.dtype)}), seed ${esc(s.seed)} and the same data for every cell; W_hh orthogonal, W_ih ${esc(st.inputInit)}, LSTM forget-gate bias ${esc(st.forgetBias)}, GRU update-gate bias ${esc(st.updateBias)}. The solved fraction is measured on ${esc(st.testSize)} held-out sequences; ‖∂ℓ/∂h_t‖ (mean over ${esc(st.probeSize)} probe sequences of exactly T steps) before and after training. The stage took ${esc(fmtSeconds(s.seconds))}.`),
    said('Caveat', `The gated cells start with forget-gate (LSTM) and update-gate (GRU) biases of ${esc(st.forgetBias)} and ${esc(st.updateBias)}, so at first they keep σ(b) of their state per step: over ${esc(longest)} steps σ(1)<sup>${esc(longest)}</sup> = ${esc(fmt(Math.pow(sigmoid(1), longest)))} but σ(2)<sup>${esc(longest)}</sup> = ${esc(fmt(Math.pow(sigmoid(2), longest)))}. Learning a long lag starts after a plateau of random length, so one seed and a fixed budget can land on either side of it; the numbers here are one seed.`),
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
  const rows = st.cells.map((c) => `| ${CELL_NAMES[c]} | ${st.lengths.map((T) => fmtPct(find(s, c, T)?.solvedFraction)).join(' | ')} |`);
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
    `Adding problem (Hochreiter & Schmidhuber 1997), solved fraction of ${st.testSize} held-out sequences (|error| < ${st.tolerance}); H = ${st.hidden}, ${st.steps} Adam steps (η = ${st.lr}, batch ${st.batch}, clip ${fmt(st.clipNorm)}), seed ${s.seed}, ${fmtSeconds(s.seconds)}:`,
    '',
    head,
    ...rows,
    '',
    ...s.findings.summary.map((x) => `- ${x}`),
    '',
    '| cell | T | σ_max(W_hh) init → trained | Pascanu at init | ‖∂ℓ/∂h₀‖/‖∂ℓ/∂h_T‖ init | trained | test loss | wall time |',
    '|---|---:|---:|---|---:|---:|---:|---:|',
    ...detail,
    '',
    `Clipping: ${c.description}`,
    '',
    arm('Without clipping', c.without),
    arm(`With clipping at ${fmt(c.with.clipNorm)}`, c.with),
    '',
  ].join('\n');
}

/** The report section of stage 6 (recurrent nets), or a note when the results predate it. */
export const recurrentSection: SectionRenderer = (r) =>
  r.recurrent
    ? { id: RECURRENT_ID, title: RECURRENT_TITLE, ...renderRecurrentBody(r.recurrent) }
    : { id: RECURRENT_ID, title: RECURRENT_TITLE, html: notMeasured('The recurrent stage'), charts: [] };
