/**
 * Report section for study stage 5: remedies — each published claim beside
 * what this run measured (a summary table first), then one part per remedy
 * with the per-layer gradients with and without it, on the same seeds.
 * Renders "not measured" when the results have no stage 5.
 */
import type { RemediesSection, ScalarStats, SeedOutcome, SeedStats, StudyResults } from '../../experiments/study/types.js';
import { color, figure, indexed, lineChart, type ChartSpec, type LineSeries } from '../charts.js';
import { bandName, esc, fmt, fmtBand, fmtPct, isNum, listJoin, type MaybeNumber } from '../format.js';
import { verdictMix } from './act-depth.js';
import { claimsBlock } from './claims.js';
import { h3, notMeasured, said, table, type Cell, type RenderedSection } from './common.js';
import { armsTable } from './exploding.js';

/** ln 10: the cross-entropy of a uniform guess over the ten digits. */
const CHANCE_LOSS = Math.log(10);

/** "median [band]" of a scalar over seeds. */
function range(s: ScalarStats | null | undefined): string {
  return fmtBand(s);
}

/** A training outcome in words. */
function outcomeText(o: SeedOutcome): string {
  if (o.nonFinite) return `non-finite at step ${o.nonFinite.step}, ${o.nonFinite.layer === 0 ? 'in the loss' : `layer ${o.nonFinite.layer}`} (${o.nonFinite.quantity})`;
  return `loss ${fmt(o.firstLoss)} → ${fmt(o.lastLoss)}, test ${fmtPct(o.testAccuracy)}`;
}

/** Stalled: the loss stayed at the chance level. */
const stalls = (o: SeedOutcome): boolean => !o.nonFinite && isNum(o.lastLoss) && o.lastLoss > CHANCE_LOSS - 0.05;
const yes = (b: boolean): Cell => ({ html: b ? '<strong>yes</strong>' : 'no', num: false });

/** Test accuracy over seeds as "median [min–max]", and how many seeds trained. */
function outcomesText(os: readonly SeedOutcome[]): string {
  if (os.length === 0) return '—';
  const a = os.map((o) => (isNum(o.testAccuracy) ? o.testAccuracy : 0)).sort((x, y) => x - y);
  const m = a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  return `${fmtPct(m)} [${fmtPct(a[0])}–${fmtPct(a[a.length - 1])}], trained ${os.filter((o) => o.trained).length}/${os.length}`;
}

/** Rows "layer l" of per-layer statistics, one column per series. */
function layerTable(heads: readonly string[], cols: readonly (SeedStats | null | undefined)[], firstHead = 'layer'): string {
  const n = Math.max(0, ...cols.map((c) => c?.median?.length ?? 0));
  const rows = Array.from({ length: n }, (_, l) => [l + 1, ...cols.map((c) => (c ? (c.min?.[l] === c.max?.[l] ? fmt(c.median[l]) : `${fmt(c.median[l])} [${fmt(c.min?.[l])} – ${fmt(c.max?.[l])}]`) : '—'))]);
  return table([{ head: firstHead, num: true }, ...heads.map((h) => ({ head: h, num: true }))], rows as Cell[][]);
}

function perLayerChart(id: string, series: readonly { label: string; ys: readonly MaybeNumber[]; dashed?: boolean }[], y: string, logY = true): ChartSpec {
  const s: LineSeries[] = series.map((x, i) => ({ label: x.label, points: indexed(x.ys, logY, 1), color: color(i), dashed: x.dashed, pointRadius: 2 }));
  return lineChart(id, s, { x: 'layer (1 = input side)', y, logY, integerX: true });
}

function lossChart(id: string, series: readonly { label: string; ys: readonly MaybeNumber[] }[], every: number): ChartSpec {
  return lineChart(id, series.map((x, i) => ({ label: x.label, points: x.ys.map((v, k) => ({ x: k * every, y: isNum(v) && v > 0 ? v : null })), color: color(i) })), { x: 'step', y: 'training loss (log scale)', logY: true, integerX: true });
}

function glorotPart(m: RemediesSection, charts: ChartSpec[]): string {
  const g = m.glorot;
  if (!g || (g.runs ?? []).length === 0) return h3('Initialisation (Glorot & Bengio 2010)') + notMeasured('The Glorot comparison');
  charts.push(perLayerChart('remedies-glorot-delta', g.runs.map((x) => ({ label: x.init, ys: x.deltaNorms?.median ?? [] })), '‖δˡ‖ at initialisation (log scale)'));
  const quick = g.units !== 1000 ? ` (${g.units} units instead of the paper's 1000: the singular values of these layer Jacobians do not depend on the width)` : '';
  return [
    h3('Initialisation (Glorot &amp; Bengio 2010)'),
    said('Claim', 'With the "standard" initialisation U[−1/√n, 1/√n] (PyTorch\'s nn.Linear default, here <code>torch_default</code>) the layer Jacobians ∂aˡ/∂aˡ⁻¹ of a tanh net have mean singular value ≈ 0.5, and the back-propagated gradient shrinks toward the input; with the normalised (Xavier) initialisation the mean singular value is ≈ 0.8 and the gradient keeps its size.'),
    said('Measured', `tanh, ${esc(g.hidden)} hidden layers of ${esc(g.units)} units${esc(quick)}, biases 0, softmax output; ${esc(g.examples)} digit images; exact singular values of diag(f′(zˡ))·Wˡ on ${esc(g.jacobianSamples)} image(s) per layer; seeds ${esc(listJoin(g.seeds))} (median [min–max]: exact singular-value decompositions of ${esc(g.units)} × ${esc(g.units)} Jacobians are the one measurement at initialisation too costly for a hundred seeds).`),
    layerTable(g.runs.map((x) => `mean σ(J), ${x.init}`), g.runs.map((x) => x.meanSingular), 'hidden layer'),
    table([{ head: 'initialiser' }, { head: 'mean σ(J), layers 2–H', num: true }, { head: 'published', num: true }, { head: '‖δˡ‖/‖δˡ⁺¹‖ per layer', num: true }, { head: '‖∂C/∂W‖ max/min, layers 2–H', num: true }],
      g.runs.map((x) => { const w = (x.weightGradNorms?.median ?? []).slice(1, g.hidden).filter(isNum); return [x.init, range(x.meanSingularHidden), x.published, range(x.deltaFactor), w.length ? Math.max(...w) / Math.min(...w) : null]; })),
    figure('remedies-glorot-delta', '‖δˡ‖ per layer at initialisation: falling toward layer 1 under torch_default (by about √(n·Var W) = 1/√3 per layer), level under xavier_uniform.'),
    said('Meaning', 'n·Var(W) = 1/3 under the standard scheme, so each layer multiplies the back-propagated signal by about 1/√3 ≈ 0.58 (times tanh′ ≤ 1); Xavier\'s 2/(n_in + n_out) makes it ≈ 1. The weight gradients ∂C/∂Wˡ = δˡ·aˡ⁻¹ᵀ stay similar across layers in both, as the paper observed: toward the input δ shrinks while the activations it multiplies grow.'),
  ].join('\n');
}

function hePart(m: RemediesSection, charts: ChartSpec[]): string {
  const h = m.he;
  if (!h || (h.runs ?? []).length === 0) return h3('ReLU initialisation (He et al. 2015)') + notMeasured('The He comparison');
  const x0 = h.runs[0]?.activationStd?.median?.[0];
  const ref = isNum(x0) ? Array.from({ length: h.depth }, (_, l) => x0 * Math.pow(Math.SQRT1_2, l)) : [];
  charts.push(perLayerChart('remedies-he-std', [...h.runs.map((x) => ({ label: x.init, ys: x.activationStd?.median ?? [] })), { label: '× 1/√2 per layer', ys: ref, dashed: true }], 'activation std (log scale)'));
  charts.push(lossChart('remedies-he-loss', h.runs.map((x) => ({ label: x.init, ys: x.loss ?? [] })), h.lossEvery));
  return [
    h3('ReLU initialisation (He et al. 2015)'),
    said('Claim', 'With Xavier\'s scale each ReLU layer halves the second moment, so the activation scale falls by 1/√2 per layer and a 30-layer net "completely stalls"; with He\'s std √(2/n_in) the scale stays put and the net trains.'),
    said('Measured', `relu, ${esc(h.depth)} hidden layers of ${esc(h.width)}; activation std per layer at initialisation over ${esc(h.seeds)} seeds (median [${esc(bandName(h.seeds))}]); then ${esc(h.steps)} training steps (${esc(h.optimizer)}, η = ${esc(fmt(h.lr))}) on seeds ${esc(listJoin(h.trainSeeds))}.`),
    table([{ head: 'initialiser' }, { head: 'std factor per layer', num: true }, { head: 'published', num: true }, { head: 'first-to-last ‖δ‖', num: true }, { head: 'test accuracy, trained seeds' }, { head: 'stalled at ln 10 on every seed' }],
      h.runs.map((x) => [x.init, range(x.stdFactor), x.init.startsWith('xavier') ? '0.707' : '1', range(x.firstToLast), { text: outcomesText(x.training), title: x.training.map((o) => `seed ${o.seed}: ${outcomeText(o)}`).join('; ') }, yes(x.training.length > 0 && x.training.every(stalls))])),
    `<div class="grid2">${figure('remedies-he-std', 'Activation std per hidden layer at initialisation; dashed: the 1/√2-per-layer law.')}${figure('remedies-he-loss', `Training loss (mean of every ${esc(h.lossEvery)} steps), first training seed. ln 10 ≈ 2.30 is a uniform guess.`)}</div>`,
    said('Meaning', 'The factor is (1/√2)^L over L layers: 30 layers shrink the signal by about 3·10⁻⁵, and the gradient the same way on its way back, so Xavier-initialised deep ReLU nets sit at the chance-level loss. He\'s factor 2 exactly compensates the half of the units ReLU zeroes.'),
  ].join('\n');
}

function seluPart(m: RemediesSection, charts: ChartSpec[]): string {
  const s = m.selu;
  if (!s || (s.runs ?? []).length === 0) return h3('Self-normalisation (Klambauer et al. 2017)') + notMeasured('The SELU measurement');
  charts.push(perLayerChart('remedies-selu-var', s.runs.map((x) => ({ label: `${x.activation}, ${x.init}`, ys: x.variance?.median ?? [] })), 'activation variance (log scale)'));
  charts.push(perLayerChart('remedies-selu-mean', s.runs.map((x) => ({ label: `${x.activation}, ${x.init}`, ys: x.mean?.median ?? [] })), 'activation mean', false));
  const at = [1, 10, 20, s.depth].filter((l, i, a) => l <= s.depth && a.indexOf(l) === i);
  return [
    h3('Self-normalisation (Klambauer et al. 2017)'),
    said('Claim', 'SELU with LeCun-normal weights (Var = 1/n) has a stable fixed point at mean 0, variance 1: activations converge to it through depth, without normalisation layers.'),
    said('Measured', `${esc(s.depth)} hidden layers of ${esc(s.width)}; inputs: ${esc(s.inputs)}; medians over ${esc(s.seeds)} seeds. For contrast: ELU with the same weights, and SELU with He's larger weights.`),
    table([{ head: 'activation, init' }, ...at.flatMap((l) => [{ head: `mean, layer ${l}`, num: true }, { head: `var, layer ${l}`, num: true }])],
      s.runs.map((x) => [`${x.activation}, ${x.init}`, ...at.flatMap((l) => [x.mean?.median?.[l - 1], x.variance?.median?.[l - 1]])])),
    `<div class="grid2">${figure('remedies-selu-var', 'Variance of the activations per layer.')}${figure('remedies-selu-mean', 'Mean of the activations per layer.')}</div>`,
    said('Meaning', 'Only SELU with lecun_normal holds mean ≈ 0 and variance ≈ 1; ELU lets the variance decay and SELU with He\'s scale lets it grow — the fixed point needs both the λ, α of SELU and Var(W) = 1/n.'),
  ].join('\n');
}

function normResidualPart(m: RemediesSection, charts: ChartSpec[]): string {
  const s = m.normResidual;
  if (!s || (s.runs ?? []).length === 0) return h3('Normalisation and residual connections') + notMeasured('The normalisation × residual comparison');
  const deepest = Math.max(...s.depths);
  const deep = s.runs.filter((x) => x.depth === deepest);
  charts.push(perLayerChart('remedies-nr-init', deep.map((x) => ({ label: x.label, ys: x.initNorms?.median ?? [] })), '‖δˡ‖ at initialisation (log scale)'));
  charts.push(lossChart('remedies-nr-loss', deep.map((x) => ({ label: x.label, ys: x.loss ?? [] })), s.lossEvery));
  return [
    h3('Normalisation and residual connections'),
    said('Claim', 'Batch normalisation (Ioffe &amp; Szegedy 2015) re-centres and re-scales every pre-activation into the range where f′ is large; a residual block y = x + f(N(Wx + b)) adds an identity path, so ∂y/∂x = I + ∂f/∂x and the gradient reaches early layers whatever the branch does — the argument of He et al. 2016b (Identity Mappings in Deep Residual Networks). The original ResNet paper (He et al. 2016) argues the opposite for its own, batch-normalised plain nets: their degradation is unlikely to be caused by vanishing gradients.'),
    said('Measured', `${esc(s.activation)}, ${esc(listJoin(s.depths))} hidden layers of ${esc(s.width)}, ${esc(s.init)}; normalisation between each dense layer and its activation; ‖δˡ‖ is the gradient of the bias right before the activation (with normalisation: its shift β — a bias before batch normalisation gets no gradient). Probes over ${esc(s.seeds)} seeds with batch statistics (median [${esc(bandName(s.seeds))}]); ${esc(s.steps)} training steps (${esc(s.optimizer)}, η = ${esc(fmt(s.lr))}) on seeds ${esc(listJoin(s.trainSeeds))}, then test accuracy in evaluation mode (running statistics).`),
    table([{ head: 'hidden layers', num: true }, { head: 'network' }, { head: 'first-to-last at init', num: true }, { head: 'verdicts' }, { head: '‖δ¹‖ at init', num: true }, { head: 'test accuracy [range], trained seeds', num: true }],
      s.runs.map((x) => [x.depth, x.label, range(x.firstToLast), verdictMix(x.verdicts, s.seeds), x.initNorms?.median?.[0], { text: outcomesText(x.outcomes), num: true, title: x.outcomes.map((o) => `seed ${o.seed}: ${outcomeText(o)}`).join('; ') }])),
    `<div class="grid2">${figure('remedies-nr-init', `‖δˡ‖ per layer at initialisation, ${esc(deepest)} hidden layers.`)}${figure('remedies-nr-loss', `Training loss, ${esc(deepest)} hidden layers (mean of every ${esc(s.lossEvery)} steps).`)}</div>`,
    said('Meaning', `At ${esc(deepest)} hidden layers: ${deep.map((x) => `${esc(x.label)} — first-to-last ${esc(fmt(x.firstToLast?.median))}, trained on ${esc(x.outcomes.filter((o) => o.trained).length)} of ${esc(x.outcomes.length)} seeds`).join('; ')}. A ratio within two orders of magnitude of 1 is what normalisation and the identity skip buy; whether the net then trains within the budget is the last column.${lnNote(deep)}`),
  ].join('\n');
}

/** What layer normalisation did at the deepest depth, in a sentence (empty when it was not run). */
function lnNote(deep: readonly { label: string; firstToLast: ScalarStats; outcomes: readonly SeedOutcome[] }[]): string {
  const ln = deep.find((x) => x.label === 'layer norm');
  const plain = deep.find((x) => x.label === 'plain');
  if (!ln || !plain) return '';
  return ` Layer normalisation, which normalises each example over its units instead of each unit over the batch, moves the ratio from ${fmt(plain.firstToLast?.median)} to ${fmt(ln.firstToLast?.median)}: ${ln.firstToLast?.median > 1e-2 ? 'enough' : 'not enough'} at this depth, with test accuracy ${outcomesText(ln.outcomes)}.`;
}

function clippingPart(r: StudyResults, m: RemediesSection, charts: ChartSpec[]): string {
  const c = m.clipping;
  if (!c || (c.runs ?? []).length === 0) return h3('Clipping by value and max-norm on the exploding network') + notMeasured('The clipping comparison');
  charts.push(lossChart('remedies-clip-loss', c.runs.map((x) => ({ label: x.label, ys: x.loss ?? [] })), c.lossEvery));
  const st4 = r.exploding?.clipping?.arms ?? [];
  return [
    h3('Clipping by value and max-norm on the exploding network'),
    said('Claim', 'Clipping by value bounds each component of the gradient to [−v, v]; a max-norm constraint (Srivastava et al. 2014) rescales each unit\'s incoming weights to norm ≤ c after every update. Either keeps a run that would overflow finite; whether it also trains is a separate question.'),
    said('Measured', `${esc(c.description)}; stage 4's arms on the same seeds beside them.`),
    armsTable([...st4, ...c.runs], c.seeds),
    figure('remedies-clip-loss', 'Training loss of the first seed, every step (log scale); a line that stops has become non-finite.'),
    said('Meaning', 'Staying finite is not training: a bound on the step or on the weights can hold the loss near ln 10 (a uniform guess) for the whole run. The trained column, test accuracy above chance by the stated margin, is the test of a remedy. None removes the cause (factors |w·f′| above 1) — a matching initialiser does.'),
  ].join('\n');
}

function trainingPart(m: RemediesSection, charts: ChartSpec[]): string {
  const t = m.training;
  if (!t || (t.runs ?? []).length === 0) return h3('Optimisers, schedules, regularisation, pre-training') + notMeasured('The training remedies');
  const H = t.depth;
  charts.push(perLayerChart('remedies-train-ratio', t.runs.map((x) => ({ label: x.label, ys: x.updateRatios ?? [] })), '‖ΔWˡ‖/‖Wˡ‖ of the last step (log scale)'));
  const init = t.initNorms ?? [];
  return [
    h3('Optimisers, schedules, regularisation, pre-training'),
    said('Measured', `One ${esc(t.activation)} net, ${esc(H)} hidden layers of ${esc(t.width)}, ${esc(t.init)}, first-to-last ratio ${esc(fmt(isNum(init[0]) && isNum(init[H - 1]) ? init[0] / init[H - 1] : null))} at initialisation (seed ${esc(t.seeds[0])}); ${esc(t.steps)} steps of each setting on seeds ${esc(listJoin(t.seeds))}, every setting from the same weights and batches on a seed. The per-layer columns are the first seed's.`),
    table([{ head: 'run' }, { head: 'setting' }, { head: 'first-to-last after training', num: true }, { head: 'update ratio layer 1 / layer H', num: true }, { head: 'loss first → last (first seed)', num: true }, { head: 'test accuracy [range], trained seeds', num: true }],
      t.runs.map((x) => [x.label, x.what + (x.pretrain ? ` (reconstruction loss ${x.pretrain.map((p) => `${fmt(p.lossStart)} → ${fmt(p.lossEnd)}`).slice(0, 3).join(', ')}, …)` : ''), x.firstToLast, isNum(x.updateRatios?.[0]) && isNum(x.updateRatios?.[H - 1]) ? x.updateRatios[0] / x.updateRatios[H - 1] : null, `${fmt(x.outcomes[0]?.firstLoss)} → ${fmt(x.outcomes[0]?.lastLoss)}`, { text: outcomesText(x.outcomes), num: true }])),
    figure('remedies-train-ratio', 'Relative size of the last update per layer: SGD-type optimisers move layer 1 as little as its gradient; Adam and RMSprop divide by a running gradient scale, so every layer moves by a similar fraction.'),
    said('Meaning', trainingMeaning(t.runs)),
  ].join('\n');
}

/** Which training remedies trained where the baseline did not, in sentences computed from the runs. */
function trainingMeaning(runs: RemediesSection['training']['runs']): string {
  const base = runs[0];
  const tr = (x: (typeof runs)[number]): number => x.outcomes.filter((o) => o.trained).length;
  const better = runs.slice(1).filter((x) => tr(x) > tr(base));
  const left = better.length
    ? `${listJoin(better.map((x) => `${x.label} (${tr(x)}/${x.outcomes.length})`))} trained on more seeds than the ${base.label} baseline (${tr(base)}/${base.outcomes.length}).`
    : `No setting trained on more seeds than the ${base?.label ?? 'baseline'} baseline (${base ? `${tr(base)}/${base.outcomes.length}` : '—'}).`;
  return `${left} Schedules, L1/L2, dropout and max-norm act on the step size and on weight growth, not on the factors w·f′(z) that make the gradient vanish, and greedy pre-training changes where the weights start but not those factors. Adaptive optimisers (Adam, RMSprop) divide each parameter's step by its own gradient scale, so every layer moves by a similar fraction however small its gradient — the update-ratio column.`;
}

/** Section "Remedies". */
export function remediesSection(r: StudyResults): RenderedSection {
  const m = r.remedies;
  const title = 'Remedies';
  if (!m) return { id: 'remedies', title, html: notMeasured('The remedies stage'), charts: [] };
  const charts: ChartSpec[] = [];
  const html = [
    said('Claim', 'Besides the activation, the remedies for vanishing and exploding gradients are initialisation, normalisation, residual connections, clipping, regularisation, better optimisers and layer-wise pre-training. Each is measured here against the same network without it, on the same seeds; every training outcome says whether the network trained — test accuracy at least the most frequent digit\'s share plus the stated margin — not only whether it stayed finite.'),
    claimsBlock(r, 'remedies') || notMeasured('The claim summary'),
    glorotPart(m, charts),
    hePart(m, charts),
    seluPart(m, charts),
    normResidualPart(m, charts),
    clippingPart(r, m, charts),
    trainingPart(m, charts),
  ].join('\n');
  return { id: 'remedies', title, html, charts };
}
