/**
 * Report section for study stage 3: activation × depth — the first-to-last
 * gradient ratio at initialisation as a coloured grid, test accuracy, the
 * per-layer norms of the deepest networks, and norms during training.
 */
import type { ActDepthRun, StudyResults } from '../../experiments/study/types.js';
import { color, figure, indexed, layerColor, lineChart, points, type ChartSpec } from '../charts.js';
import { esc, fmt, fmtInt, listJoin, fmtLog10, fmtPct, isNum, verdictLetter, type MaybeNumber } from '../format.js';
import { h3, notMeasured, said, table, type Cell, type RenderedSection } from './common.js';

/** Cell colours of the ratio grid (the verdict's thresholds: vanishing below 1e-2, exploding above 1e2). */
export const VERDICT_BG = { vanishing: '#f6c6c1', exploding: '#fbd59b', fine: '#cfeccf', unknown: '#e6e6e6' } as const;

/** The background of a first-to-last cell: red below 1e-2, orange above 1e2 (or non-finite), green otherwise. */
export function ratioBg(ratio: MaybeNumber, verdictKind?: string): string {
  if (ratio === Infinity || (!isNum(ratio) && verdictKind === 'exploding')) return VERDICT_BG.exploding;
  if (isNum(ratio)) return ratio < 1e-2 ? VERDICT_BG.vanishing : ratio > 1e2 ? VERDICT_BG.exploding : VERDICT_BG.fine;
  return VERDICT_BG.unknown;
}

function hover(run: ActDepthRun): string {
  const v = run.verdict;
  const parts = [`${run.activation}, ${run.depth} hidden layers, ${run.init}: ${v?.kind ?? 'no verdict'}.`, v?.cause ?? ''];
  if (v?.remedies?.length) parts.push(`Remedy: ${v.remedies[0]}`);
  if (run.nonFinite) parts.push(run.nonFinite.message);
  return parts.filter(Boolean).join(' ');
}

function grid(r: StudyResults, cell: (run: ActDepthRun) => Cell): string {
  const s = r.activationDepth;
  const find = (a: string, d: number) => s.runs.find((x) => x.activation === a && x.depth === d);
  const rows = s.activations.map((a) => [{ html: `<strong>${esc(a)}</strong> <span class="dim">${esc(s.inits?.[a] ?? '')}</span>` } as Cell, ...s.depths.map((d) => {
    const run = find(a, d);
    return run ? cell(run) : ({ text: 'not run', num: true } as Cell);
  })]);
  return table([{ head: 'activation (init)' }, ...s.depths.map((d) => ({ head: `${d} hidden`, num: true }))], rows, undefined, 'grid');
}

function bestAt(runs: readonly ActDepthRun[], depth: number): ActDepthRun | undefined {
  return runs.filter((x) => x.depth === depth && isNum(x.testAccuracy)).sort((a, b) => b.testAccuracy - a.testAccuracy)[0];
}

function byVerdict(runs: readonly ActDepthRun[]): string {
  const groups = new Map<string, string[]>();
  for (const run of runs) {
    const k = run.verdict?.kind ?? 'unknown';
    groups.set(k, [...(groups.get(k) ?? []), run.activation]);
  }
  return [...groups.entries()].map(([k, acts]) => `${esc(k)}: ${esc(acts.join(', '))}`).join('; ');
}

/** Section "Activation × depth". */
export function actDepthSection(r: StudyResults): RenderedSection {
  const s = r.activationDepth;
  const charts: ChartSpec[] = [];
  const out: string[] = [
    said('Claim', 'Whether the gradient survives depth depends on the activation and the initialisation that goes with it. Saturating functions (sigmoid, and to a lesser degree tanh) multiply the gradient by f′ &lt; 1 at every layer, so it vanishes; the ReLU family passes it on with f′ = 1 wherever a unit is active, so with a matching initialiser (He) the first layer\'s gradient stays comparable to the last\'s.'),
  ];
  if ((s.runs ?? []).length === 0 || (s.activations ?? []).length === 0 || (s.depths ?? []).length === 0) {
    out.push(notMeasured('The activation × depth grid'));
    return { id: 'activation-depth', title: 'Activation × depth', html: out.join('\n'), charts };
  }
  const inits = s.activations.map((a) => `${esc(a)} → ${esc(s.inits?.[a] ?? '?')}`).join(', ');
  out.push(
    said('Measured', `For each activation, with the initialiser made for it (${inits}), fresh networks with ${esc(listJoin(s.depths))} hidden layers of ${esc(s.width)} units: ‖δˡ‖ of every layer at initialisation, and the ratio <em>first-to-last</em> = ‖δ¹‖ / ‖δ<sup>L−1</sup>‖ (first hidden layer over last hidden layer; 1 means both learn equally fast). Then ${esc(s.steps)} training steps (${esc(s.optimizer)}, learning rate ${esc(fmt(s.lr))}, batch ${esc(s.batch)}, ${esc(s.loss)} loss, seed ${esc(s.seed)}) on ${esc(fmtInt(s.trainSize))} images, and the accuracy on ${esc(fmtInt(s.testSize))} held-out images.`),
    h3('First-to-last ratio at initialisation, log10'),
    grid(r, (run) => {
      const letter = verdictLetter(run.verdict?.kind);
      return { html: `${esc(fmtLog10(run.firstToLast))} <span class="verdict">${esc(letter)}</span>`, num: true, title: hover(run), bg: ratioBg(run.firstToLast, run.verdict?.kind) };
    }),
    `<p class="legend"><span class="swatch" style="background:${VERDICT_BG.vanishing}"></span> vanishing (ratio &lt; 10<sup>−2</sup>, log10 &lt; −2) <span class="swatch" style="background:${VERDICT_BG.exploding}"></span> exploding (&gt; 10<sup>2</sup> or non-finite) <span class="swatch" style="background:${VERDICT_BG.fine}"></span> in between. Letters: the verdict — V vanishing, E exploding, D dead, S saturated, ok healthy. Hover a cell for its cause.</p>`,
    h3('Test accuracy after training'),
    grid(r, (run) => {
      const best = bestAt(s.runs, run.depth);
      if (run.nonFinite || !isNum(run.testAccuracy)) return { text: 'diverged', num: true, title: run.nonFinite?.message ?? 'no accuracy (non-finite)' };
      return { text: fmtPct(run.testAccuracy), num: true, bold: best === run, title: `final training loss ${fmt(run.finalLoss)}; ${fmt(run.seconds)} s` };
    }),
    '<p class="legend">Bold: the best activation at that depth. Accuracy from one seed and a short run: differences of a point or two are noise.</p>',
  );
  const deepest = Math.max(...s.depths);
  const deepRuns = s.runs.filter((x) => x.depth === deepest);
  if (deepRuns.length > 0) {
    charts.push(
      lineChart(
        'actdepth-init',
        deepRuns.map((run, i) => ({ label: run.activation, points: indexed(run.initNorms ?? [], true, 1), color: color(i), pointRadius: 2 })),
        { x: 'layer (1 = input side; the last is the output layer)', y: '‖δˡ‖ at initialisation (log scale)', logY: true, integerX: true },
      ),
    );
    out.push(h3(`Per-layer gradient at initialisation, ${esc(deepest)} hidden layers`), figure('actdepth-init', `‖δˡ‖ of every layer of the ${esc(deepest)}-hidden-layer networks at initialisation. A line falling toward layer 1 is a vanishing gradient.`, 360));
  }
  // a few runs during training: the deepest networks of contrasting activations
  const prefer = ['sigmoid', 'tanh', 'relu'];
  const chosen = [...prefer.map((a) => deepRuns.find((x) => x.activation === a)), ...deepRuns].filter((x): x is ActDepthRun => x !== undefined);
  const few = [...new Set(chosen)].slice(0, 3).filter((x) => (x.during?.steps ?? []).length > 0);
  if (few.length > 0) {
    out.push(h3('Per-layer gradient during training'), '<p>Each line is one layer, coloured from the input side (dark purple) to the output side (yellow).</p><div class="grid3">');
    few.forEach((run, k) => {
      const id = `actdepth-during-${k}`;
      const L = run.during.norms.length;
      charts.push(lineChart(id, run.during.norms.map((ys, l) => ({ label: `layer ${l + 1}`, points: points(run.during.steps, ys, true), color: layerColor(l, L), width: 1.5 })), { x: 'step', y: '‖δˡ‖ (log)', logY: true, integerX: true, legend: L <= 6 }));
      out.push(figure(id, `${esc(run.activation)}, ${esc(run.depth)} hidden layers${run.nonFinite ? ` — ${esc(run.nonFinite.message)}` : ''}`, 280));
    });
    out.push('</div>');
  } else {
    out.push(h3('Per-layer gradient during training'), notMeasured('The norms during training'));
  }
  const best = bestAt(s.runs, deepest);
  out.push(said('Meaning', `At ${esc(deepest)} hidden layers the verdicts are — ${byVerdict(deepRuns) || '—'}. ${best ? `The best test accuracy there is ${esc(fmtPct(best.testAccuracy))} with ${esc(best.activation)}.` : ''} A vanishing verdict at initialisation predicts slow or no learning in the early layers; a healthy one does not guarantee good accuracy, but it removes the main obstacle.`));
  return { id: 'activation-depth', title: 'Activation × depth', html: out.join('\n'), charts };
}
