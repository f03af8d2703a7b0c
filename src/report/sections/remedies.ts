/**
 * Report section for study stage 5: remedies — each published claim beside
 * what this run measured (a summary table first), then one part per remedy
 * with the per-layer gradients with and without it, on the same seeds.
 * Renders "not measured" when the results have no stage 5.
 */
import type { RemediesSection, ScalarStats, SeedOutcome, SeedStats, StudyResults } from '../../experiments/study/types.js';
import { color, figure, indexed, lineChart, type ChartSpec, type LineSeries } from '../charts.js';
import { esc, fmt, fmtPct, isNum, listJoin, type MaybeNumber } from '../format.js';
import { h3, notMeasured, said, table, type Cell, type RenderedSection } from './common.js';

/** ln 10: the cross-entropy of a uniform guess over the ten digits. */
const CHANCE_LOSS = Math.log(10);

/** "median [min – max]" of a scalar over seeds. */
function range(s: ScalarStats | null | undefined): string {
  if (!s) return '—';
  return s.min === s.max || !isNum(s.min) ? fmt(s.median) : `${fmt(s.median)} [${fmt(s.min)} – ${fmt(s.max)}]`;
}

/** A training outcome in words. */
function outcomeText(o: SeedOutcome): string {
  if (o.nonFinite) return `non-finite at step ${o.nonFinite.step}, ${o.nonFinite.layer === 0 ? 'in the loss' : `layer ${o.nonFinite.layer}`} (${o.nonFinite.quantity})`;
  return `loss ${fmt(o.firstLoss)} → ${fmt(o.lastLoss)}, test ${fmtPct(o.testAccuracy)}`;
}

/** Trained: the loss left the chance level ln 10 and fell. */
const proceeds = (o: SeedOutcome): boolean => !o.nonFinite && isNum(o.lastLoss) && isNum(o.firstLoss) && o.lastLoss < CHANCE_LOSS - 0.1 && o.lastLoss < o.firstLoss;
/** Stalled: the loss stayed at the chance level. */
const stalls = (o: SeedOutcome): boolean => !o.nonFinite && isNum(o.lastLoss) && o.lastLoss > CHANCE_LOSS - 0.05;
const finiteDecreasing = (o: SeedOutcome): boolean => !o.nonFinite && isNum(o.lastLoss) && isNum(o.firstLoss) && o.lastLoss < o.firstLoss;
const yes = (b: boolean): Cell => ({ html: b ? '<strong>yes</strong>' : 'no', num: false });

/** One row of the claims table: what was published, what this run measured, whether they agree. */
export interface Finding {
  readonly source: string;
  readonly claim: string;
  readonly published: string;
  readonly measured: string;
  readonly agrees: boolean;
}

/** Each stage-5 claim beside its measurement, with a plain agreement test (tolerances as in the tests). */
export function remediesFindings(m: RemediesSection): Finding[] {
  const out: Finding[] = [];
  const g = m.glorot?.runs ?? [];
  const gs = g.find((x) => x.init === 'torch_default');
  const gx = g.find((x) => x.init === 'xavier_uniform');
  if (gs && gx) {
    out.push({
      source: 'Glorot & Bengio 2010',
      claim: `tanh, ${m.glorot.hidden} hidden layers of ${m.glorot.units}: mean singular value of the layer Jacobians; the back-propagated gradient shrinks toward the input under the standard initialisation only`,
      published: '≈ 0.5 (standard) vs ≈ 0.8 (normalised); gradients shrink vs stay similar',
      measured: `${fmt(gs.meanSingularHidden?.median)} (torch_default) vs ${fmt(gx.meanSingularHidden?.median)} (xavier_uniform); ‖δ‖ × ${fmt(gs.deltaFactor?.median)} vs × ${fmt(gx.deltaFactor?.median)} per layer toward the input`,
      agrees: Math.abs(gs.meanSingularHidden.median - 0.5) < 0.1 && Math.abs(gx.meanSingularHidden.median - 0.8) < 0.1 && gs.deltaFactor.median < 0.75 && gx.deltaFactor.median > 0.8,
    });
  }
  const hx = m.he?.runs?.find((x) => x.init === 'xavier_normal');
  const hh = m.he?.runs?.find((x) => x.init === 'he_normal');
  if (hx && hh) {
    out.push({
      source: 'He et al. 2015',
      claim: `ReLU, ${m.he.depth} layers: activation scale per layer, and whether training proceeds`,
      published: '× 1/√2 ≈ 0.707 per layer and stalls (Xavier) vs × 1 and converges (He)',
      measured: `× ${fmt(hx.stdFactor?.median)} vs × ${fmt(hh.stdFactor?.median)} per layer; ${hx.training.filter(stalls).length}/${hx.training.length} Xavier runs stalled, ${hh.training.filter(proceeds).length}/${hh.training.length} He runs trained in ${m.he.steps} steps`,
      agrees: Math.abs(hx.stdFactor.median - Math.SQRT1_2) < 0.08 && Math.abs(hh.stdFactor.median - 1) < 0.1 && hx.training.every(stalls) && hh.training.some(proceeds),
    });
  }
  const sl = m.selu?.runs?.find((x) => x.activation === 'selu' && x.init === 'lecun_normal');
  if (sl) {
    const deep = (xs: readonly MaybeNumber[]): number[] => xs.slice(9).filter(isNum);
    const mm = deep(sl.mean?.median ?? []);
    const vv = deep(sl.variance?.median ?? []);
    out.push({
      source: 'Klambauer et al. 2017',
      claim: `SELU with lecun_normal, ${m.selu.depth} layers: activation mean and variance through depth`,
      published: 'mean → 0, variance → 1',
      measured: `layers 10–${m.selu.depth}: mean in [${fmt(Math.min(...mm))}, ${fmt(Math.max(...mm))}], variance in [${fmt(Math.min(...vv))}, ${fmt(Math.max(...vv))}]`,
      agrees: mm.length > 0 && mm.every((x) => Math.abs(x) < 0.25) && vv.every((x) => x > 0.5 && x < 1.6),
    });
  }
  const nr = m.normResidual?.runs ?? [];
  for (const d of m.normResidual?.depths ?? []) {
    const at = (label: string) => nr.find((x) => x.depth === d && x.label === label);
    const plain = at('plain');
    const fixes = nr.filter((x) => x.depth === d && x.label !== 'plain' && x.label !== 'layer norm');
    if (!plain || fixes.length === 0) continue;
    out.push({
      source: 'Ioffe & Szegedy 2015; He et al. 2016',
      claim: `sigmoid, ${d} hidden layers: batch normalisation and residual connections keep the first layer's gradient and let the net train`,
      published: 'deep sigmoid nets vanish; normalisation and identity skips restore the gradient flow',
      measured: `first-to-last ${fmt(plain.firstToLast?.median)} plain vs ${fixes.map((x) => `${fmt(x.firstToLast?.median)} ${x.label}`).join(', ')}; test ${fmtPct(plain.outcome.testAccuracy)} vs ${fixes.map((x) => fmtPct(x.outcome.testAccuracy)).join(', ')}`,
      agrees: plain.firstToLast.median < 1e-2 && fixes.every((x) => x.firstToLast.median > 1e-2 && (x.outcome.testAccuracy ?? 0) > (plain.outcome.testAccuracy ?? 0)),
    });
  }
  const cl = m.clipping?.runs ?? [];
  const none = cl.find((x) => x.clipNorm === null && x.clipValue === null && x.maxNorm === null);
  const byNorm = cl.find((x) => x.clipNorm !== null);
  if (none && byNorm) {
    const nf = none.outcomes.filter((o) => o.nonFinite);
    out.push({
      source: 'Pascanu et al. 2013',
      claim: 'an exploding configuration without and with clipping by global norm',
      published: 'without: overflow; with: finite, decreasing loss',
      measured: `without: ${nf.length}/${none.outcomes.length} seeds non-finite (${nf.map((o) => `step ${o.nonFinite?.step}, layer ${o.nonFinite?.layer}`).join('; ') || '—'}); with: ${byNorm.outcomes.filter(finiteDecreasing).length}/${byNorm.outcomes.length} finite and decreasing`,
      agrees: nf.length === none.outcomes.length && byNorm.outcomes.every(finiteDecreasing),
    });
  }
  return out;
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
  const quick = m.quick ? ` (quick run: ${g.units} units instead of the paper's 1000)` : '';
  return [
    h3('Initialisation (Glorot &amp; Bengio 2010)'),
    said('Claim', 'With the "standard" initialisation U[−1/√n, 1/√n] (PyTorch\'s nn.Linear default, here <code>torch_default</code>) the layer Jacobians ∂aˡ/∂aˡ⁻¹ of a tanh net have mean singular value ≈ 0.5, and the back-propagated gradient shrinks toward the input; with the normalised (Xavier) initialisation the mean singular value is ≈ 0.8 and the gradient keeps its size.'),
    said('Measured', `tanh, ${esc(g.hidden)} hidden layers of ${esc(g.units)} units${esc(quick)}, biases 0, softmax output; ${esc(g.examples)} digit images; exact singular values of diag(f′(zˡ))·Wˡ on ${esc(g.jacobianSamples)} image(s) per layer; seeds ${esc(listJoin(g.seeds))} (median [range]).`),
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
    said('Measured', `relu, ${esc(h.depth)} hidden layers of ${esc(h.width)}; activation std per layer at initialisation over seeds ${esc(listJoin(h.seeds))}; then ${esc(h.steps)} training steps (${esc(h.optimizer)}, η = ${esc(fmt(h.lr))}) on seeds ${esc(listJoin(h.trainSeeds))}.`),
    table([{ head: 'initialiser' }, { head: 'std factor per layer', num: true }, { head: 'published', num: true }, { head: 'first-to-last ‖δ‖', num: true }, { head: 'training' }, { head: 'stalled at ln 10' }],
      h.runs.map((x) => [x.init, range(x.stdFactor), x.init.startsWith('xavier') ? '0.707' : '1', range(x.firstToLast), x.training.map((o) => `seed ${o.seed}: ${outcomeText(o)}`).join('; '), yes(x.training.length > 0 && x.training.every(stalls))])),
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
    said('Measured', `${esc(s.depth)} hidden layers of ${esc(s.width)}; inputs: ${esc(s.inputs)}; seeds ${esc(listJoin(s.seeds))} (medians). For contrast: ELU with the same weights, and SELU with He's larger weights.`),
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
    said('Claim', 'Batch normalisation (Ioffe &amp; Szegedy 2015) re-centres and re-scales every pre-activation into the range where f′ is large; a residual block y = x + f(N(Wx + b)) (He et al. 2016) adds an identity path, so ∂y/∂x = I + ∂f/∂x and the gradient reaches early layers whatever the branch does.'),
    said('Measured', `${esc(s.activation)}, ${esc(listJoin(s.depths))} hidden layers of ${esc(s.width)}, ${esc(s.init)}; normalisation between each dense layer and its activation; ‖δˡ‖ is the gradient of the bias right before the activation (with normalisation: its shift β — a bias before batch normalisation gets no gradient). Probes over seeds ${esc(listJoin(s.seeds))} with batch statistics; ${esc(s.steps)} training steps (${esc(s.optimizer)}, η = ${esc(fmt(s.lr))}) on seed ${esc(s.seeds[0])}, then test accuracy in evaluation mode (running statistics).`),
    table([{ head: 'hidden layers', num: true }, { head: 'network' }, { head: 'first-to-last at init', num: true }, { head: 'verdict' }, { head: '‖δ¹‖ at init', num: true }, { head: 'loss first → last', num: true }, { head: 'test accuracy', num: true }],
      s.runs.map((x) => [x.depth, x.label, range(x.firstToLast), x.verdict, x.initNorms?.median?.[0], x.outcome.nonFinite ? outcomeText(x.outcome) : `${fmt(x.outcome.firstLoss)} → ${fmt(x.outcome.lastLoss)}`, fmtPct(x.outcome.testAccuracy)])),
    `<div class="grid2">${figure('remedies-nr-init', `‖δˡ‖ per layer at initialisation, ${esc(deepest)} hidden layers.`)}${figure('remedies-nr-loss', `Training loss, ${esc(deepest)} hidden layers (mean of every ${esc(s.lossEvery)} steps).`)}</div>`,
    said('Meaning', `The plain sigmoid stack passes almost nothing to its first layers and does not leave the chance-level loss; batch normalisation and the identity skip each keep the first-to-last ratio within two orders of magnitude of 1, and the net trains.${lnNote(deep)}`),
  ].join('\n');
}

/** What layer normalisation did at the deepest depth, in a sentence (empty when it was not run). */
function lnNote(deep: readonly { label: string; firstToLast: ScalarStats; outcome: SeedOutcome }[]): string {
  const ln = deep.find((x) => x.label === 'layer norm');
  const plain = deep.find((x) => x.label === 'plain');
  if (!ln || !plain) return '';
  return ` Layer normalisation, which normalises each example over its units instead of each unit over the batch, moves the ratio from ${fmt(plain.firstToLast?.median)} to ${fmt(ln.firstToLast?.median)}: ${ln.firstToLast?.median > 1e-2 ? 'enough' : 'not enough'} at this depth, with test accuracy ${fmtPct(ln.outcome.testAccuracy)}.`;
}

function clippingPart(r: StudyResults, m: RemediesSection, charts: ChartSpec[]): string {
  const c = m.clipping;
  if (!c || (c.runs ?? []).length === 0) return h3('Clipping and max-norm on an exploding network') + notMeasured('The clipping comparison');
  charts.push(lossChart('remedies-clip-loss', c.runs.map((x) => ({ label: x.label, ys: x.loss ?? [] })), c.lossEvery));
  const st4 = r.exploding?.clipping?.without?.nonFinite;
  return [
    h3('Clipping and max-norm on an exploding network'),
    said('Claim', 'Clipping bounds each step (by global norm: g ← c·g/‖g‖ when ‖g‖ ≥ c; by value: each component to [−v, v]); a max-norm constraint bounds each unit\'s incoming weights after every update. Either keeps a run that would overflow finite.'),
    said('Measured', `${esc(c.description)}.${st4 ? ` Stage 4 ran the same network at η = 0.05: ${esc(st4.message)}.` : ''}`),
    table([{ head: 'run' }, ...c.seeds.map((s) => ({ head: `seed ${s}` })), { head: 'finite and decreasing on every seed' }],
      c.runs.map((x) => [x.label, ...x.outcomes.map((o) => `${outcomeText(o)}${o.clipEvents ? `; clipped ${o.clipEvents} steps` : ''}${o.maxNormRows ? `; ${o.maxNormRows} rows rescaled` : ''}`), yes(x.outcomes.every(finiteDecreasing))])),
    figure('remedies-clip-loss', 'Training loss of the first seed, every step (log scale); a line that stops has become non-finite.'),
    said('Meaning', 'Without a bound the first updates are so large that the activations overflow within a few steps; each bound keeps every step small enough to stay finite and the loss then falls. None removes the cause (factors |w·f′| above 1) — a matching initialiser does.'),
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
    said('Measured', `One ${esc(t.activation)} net, ${esc(H)} hidden layers of ${esc(t.width)}, ${esc(t.init)}, seed ${esc(t.seed)}, first-to-last ratio ${esc(fmt(isNum(init[0]) && isNum(init[H - 1]) ? init[0] / init[H - 1] : null))} at initialisation; ${esc(t.steps)} steps of each setting on the same weights and batches.`),
    table([{ head: 'run' }, { head: 'setting' }, { head: 'first-to-last after training', num: true }, { head: 'update ratio layer 1 / layer H', num: true }, { head: 'loss first → last', num: true }, { head: 'test accuracy', num: true }],
      t.runs.map((x) => [x.label, x.what + (x.pretrain ? ` (reconstruction loss ${x.pretrain.map((p) => `${fmt(p.lossStart)} → ${fmt(p.lossEnd)}`).slice(0, 3).join(', ')}, …)` : ''), x.firstToLast, isNum(x.updateRatios?.[0]) && isNum(x.updateRatios?.[H - 1]) ? x.updateRatios[0] / x.updateRatios[H - 1] : null, `${fmt(x.outcome.firstLoss)} → ${fmt(x.outcome.lastLoss)}`, fmtPct(x.outcome.testAccuracy)])),
    figure('remedies-train-ratio', 'Relative size of the last update per layer: SGD-type optimisers move layer 1 as little as its gradient; Adam and RMSprop divide by a running gradient scale, so every layer moves by a similar fraction.'),
    said('Meaning', trainingMeaning(t.runs)),
  ].join('\n');
}

/** Which training remedies left the baseline's plateau, in sentences computed from the runs. */
function trainingMeaning(runs: RemediesSection['training']['runs']): string {
  const base = runs[0];
  const better = runs.slice(1).filter((x) => isNum(x.outcome.lastLoss) && isNum(base?.outcome.lastLoss) && x.outcome.lastLoss < base.outcome.lastLoss - 0.1);
  const same = runs.slice(1).filter((x) => !better.includes(x));
  const left = better.length ? `Only ${listJoin(better.map((x) => x.label))} left the ${base.label} baseline's loss (${fmt(base.outcome.lastLoss)}) behind — ${better.map((x) => `${fmt(x.outcome.lastLoss)} with ${x.label}`).join(', ')}.` : `No setting left the ${base?.label ?? 'baseline'} baseline's loss (${fmt(base?.outcome.lastLoss)}) behind in ${runs.length} runs.`;
  return `${left} ${same.length ? `These ended within 0.1 of it: ${listJoin(same.map((x) => x.label))}. ` : ''}Here schedules, L1/L2, dropout and max-norm act on the step size and on weight growth, not on the factors w·f′(z) that make the gradient vanish, and greedy pre-training changes where the weights start but not those factors. Adaptive optimisers (Adam, RMSprop) divide each parameter's step by its own gradient scale, so every layer moves by a similar fraction however small its gradient — the update-ratio column.`;
}

/** Section "Remedies". */
export function remediesSection(r: StudyResults): RenderedSection {
  const m = r.remedies;
  const title = 'Remedies';
  if (!m) return { id: 'remedies', title, html: notMeasured('The remedies stage'), charts: [] };
  const charts: ChartSpec[] = [];
  const f = remediesFindings(m);
  const html = [
    said('Claim', 'Besides the activation, the remedies for vanishing and exploding gradients are initialisation, normalisation, residual connections, clipping, regularisation, better optimisers and layer-wise pre-training. Each is measured here against the same network without it, on the same seeds.'),
    f.length === 0 ? notMeasured('The claim summary') : table([{ head: 'source' }, { head: 'claim' }, { head: 'published' }, { head: 'measured here' }, { head: 'agrees' }], f.map((x) => [x.source, x.claim, x.published, x.measured, yes(x.agrees)]), undefined, 'conclusions'),
    glorotPart(m, charts),
    hePart(m, charts),
    seluPart(m, charts),
    normResidualPart(m, charts),
    clippingPart(r, m, charts),
    trainingPart(m, charts),
  ].join('\n');
  return { id: 'remedies', title, html, charts };
}
