/**
 * Every claim the study tests, as data: who says it, what they published,
 * what this run measured over its seeds (median and band), the test that
 * compares the two with its tolerance, and the outcome — yes, no, partly,
 * or indistinguishable (the seeds cannot tell the two apart). Each test is
 * of what the claim says: a claim about training is judged by whether the
 * network trained (test accuracy above chance by TRAINED_MARGIN), a bound by
 * whether every seed respects it, a single published draw by whether it
 * lies in the band of our draws. Computed from the sections, never fixed.
 */
import { THRESHOLDS } from '../../diagnostics/verdict.js';
import type { RecurrentSection } from '../rnn/types.js';
import { fmt, pct } from './text.js';
import { paired, scalarStats } from './stats.js';
import type { Agreement, Claim, ClipArm, ScalarStats, SeedOutcome, StudyResults } from './types.js';

type Sections = Pick<StudyResults, 'bound' | 'nielsen' | 'activationDepth' | 'exploding' | 'remedies' | 'recurrent'>;


const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The measured part of a claim from statistics over seeds. */
function measured(s: ScalarStats | null | undefined, seeds?: number): Claim['measured'] {
  if (!s) return { median: null, lo: null, hi: null, seeds: 0 };
  return { median: fin(s.median), lo: fin(s.lo), hi: fin(s.hi), seeds: seeds ?? s.n + s.nonFinite };
}

/** A measurement that is one number (deterministic, or a count). */
const single = (x: number, seeds = 1): Claim['measured'] => ({ median: fin(x), lo: fin(x), hi: fin(x), seeds });

const count = <T>(xs: readonly T[], p: (x: T) => boolean): number => xs.filter(p).length;
const acc = (o: SeedOutcome): number => (Number.isFinite(o.testAccuracy) ? o.testAccuracy : 0);

function stage1(r: Sections): Claim[] {
  const b = r.bound;
  return [
    {
      id: 'sigmoid-derivative-bound',
      claim: "The sigmoid's derivative is at most 1/4, at x = 0.",
      source: 'Nielsen, ch. 5',
      published: "σ'(0) = 1/4 is the maximum",
      measured: single(b.sigmoidDerivativeMax.value),
      test: `The maximum of σ' on a grid of step 1e-4 over [−10, 10] (found at x = ${fmt(b.sigmoidDerivativeMax.x)}) equals 1/4 within 1e-12 and sits at |x| < 1e-4.`,
      agrees: Math.abs(b.sigmoidDerivativeMax.value - 0.25) < 1e-12 && Math.abs(b.sigmoidDerivativeMax.x) < 1e-4 ? 'yes' : 'no',
      section: 'bound',
    },
    {
      id: 'nielsen-band',
      claim: "|w·σ'(wa + b)| ≥ 1 needs |w| ≥ 4, and even then only a band of inputs a at most ≈ 0.45 wide reaches it (widest near |w| ≈ 6.9).",
      source: 'Nielsen, ch. 5',
      published: 'band width at most ≈ 0.45, at |w| ≈ 6.9; none for |w| < 4',
      measured: single(b.band.maxWidth),
      test: `The band's width on a grid of |w| from 4 to 20 (step 0.05): its maximum ${fmt(b.band.maxWidth)} at |w| = ${fmt(b.band.argmaxW)} must be within 0.01 of 0.45 and within 0.15 of 6.9.`,
      agrees: Math.abs(b.band.maxWidth - 0.45) < 0.01 && Math.abs(b.band.argmaxW - 6.9) < 0.15 ? 'yes' : 'no',
      section: 'bound',
    },
  ];
}

function stage2(r: Sections): Claim[] {
  const n = r.nielsen;
  const out: Claim[] = [];
  for (const net of n.networks) {
    if (net.publishedRatio === null) continue;
    const H = net.arch.length - 2;
    const s = net.ratioLastFirst;
    out.push({
      id: `nielsen-ratio-${H}-hidden`,
      claim: `In [${net.arch.join(',')}] at initialisation the last hidden layer's ‖δ‖ is ${fmt(net.publishedRatio)}× the first's.`,
      source: 'Nielsen, ch. 5',
      published: `${fmt(net.publishedRatio)} (one random draw)`,
      measured: measured(s),
      test: `The book's single draw must lie inside the ${s.n >= 20 ? '5–95 %' : 'min–max'} band of our ${s.n} draws of the weights (same setup, the embedded digits).`,
      agrees: net.publishedRatio >= s.lo && net.publishedRatio <= s.hi ? 'yes' : 'no',
      section: 'nielsen',
    });
  }
  const deep = n.networks[n.networks.length - 1];
  if (deep) {
    const s = deep.ratioLastFirst;
    out.push({
      id: 'nielsen-100-times-slower',
      claim: 'In the 4-hidden-layer sigmoid net the first hidden layer learns roughly 100 times slower than the last.',
      source: 'Nielsen, ch. 5',
      published: '"roughly 100 times slower" (95.8 in the single draw shown)',
      measured: measured(s),
      test: `yes if 100 lies inside the ${s.n >= 20 ? '5–95 %' : 'min–max'} band of the ratio over ${s.n} seeds; partly if only the median is within a factor 2 of 100.`,
      agrees: 100 >= s.lo && 100 <= s.hi ? 'yes' : s.median > 50 && s.median < 200 ? 'partly' : 'no',
      section: 'nielsen',
    });
  }
  const sums = n.training.summaries;
  if (sums.length > 0) {
    const first = scalarStats(sums.map((x) => x.firstSlowest));
    out.push({
      id: 'nielsen-order-during-training',
      claim: 'During the 500 full-batch steps the first hidden layer stays the slowest to learn.',
      source: 'Nielsen, ch. 5',
      published: 'the layer order holds throughout training',
      measured: measured(first),
      test: `The share of steps at which hidden layer 1 has the smallest ‖δ‖, per run (${sums.length} runs: ${[...new Set(sums.map((x) => `[${x.arch.join(',')}]`))].join(', ')} × seeds ${n.training.seeds.join(', ')}): yes if at least 95 % on every run, partly if at least 50 % on every run.`,
      agrees: first.min >= 0.95 ? 'yes' : first.min >= 0.5 ? 'partly' : 'no',
      section: 'nielsen',
    });
    const two = sums.filter((x) => x.arch.length === 4);
    if (two.length > 0) {
      const m1 = scalarStats(two.map((x) => x.argmin[0]));
      const m2 = scalarStats(two.map((x) => x.argmin[1]));
      const off = Math.max(Math.abs(m1.median - 39), Math.abs(m2.median - 53));
      out.push({
        id: 'nielsen-minima-2-hidden',
        claim: 'In [784,30,30,10] both norms fall to a minimum — layer 1 near step 39, layer 2 near step 53 — and rebound.',
        source: 'Nielsen, ch. 5',
        published: 'minima near steps 39 and 53',
        measured: measured(m1, two.length),
        test: `The medians over ${two.length} seeds of the step of each layer's minimum (layer 1: ${fmt(m1.median)}, range ${fmt(m1.min)}–${fmt(m1.max)}; layer 2: ${fmt(m2.median)}, range ${fmt(m2.min)}–${fmt(m2.max)}): yes within 15 steps of the book's, partly within 40.`,
        agrees: off <= 15 ? 'yes' : off <= 40 ? 'partly' : 'no',
        section: 'nielsen',
      });
    }
  }
  const br = n.bookRecipe;
  if (br && br.perSeed.length > 0) {
    const trained = count(br.perSeed, (x) => x.trained);
    out.push({
      id: 'nielsen-4-hidden-trains',
      claim: `The 4-hidden-layer sigmoid net trains with plain SGD (η = ${br.eta}, mini-batch ${br.batch}, L2 λ = 5) to ${pct(br.published)}.`,
      source: 'Nielsen, ch. 5 (validation accuracy)',
      published: `${pct(br.published)} on his 10,000 validation images after 30 epochs of 50,000 training images`,
      measured: measured(br.testAccuracy),
      test: `The book's recipe for ${br.steps} steps (${fmt((br.steps * br.batch) / br.trainSize)} epochs of our ${br.trainSize} training images, about ${fmt((br.steps * br.batch) / (30 * 50000))} of the book's budget), test accuracy on ${br.testSize} held-out images over ${br.perSeed.length} seeds (${trained} trained, accuracy ≥ chance ${pct(br.chance)} + ${100 * br.margin} points): yes if it trains on every seed with a median within 3 points of the book's; partly if it trains on at least half of the seeds (it leaves the plateau, with less budget than the book); no otherwise.`,
      agrees: trained === br.perSeed.length && br.testAccuracy.median >= br.published - 0.03 ? 'yes' : trained >= br.perSeed.length / 2 ? 'partly' : 'no',
      section: 'nielsen',
    });
  }
  return out;
}

function stage3(r: Sections): Claim[] {
  const s = r.activationDepth;
  const out: Claim[] = [];
  // the verdict's own claim: collapsed representations at initialisation predict a net that does not train
  const collapsed = s.cells.filter((c) => c.training && (c.atInit.findings.collapsed ?? 0) >= c.atInit.seeds / 2);
  if (collapsed.length > 0) {
    const failed = collapsed.filter((c) => c.training!.trainedSeeds === 0);
    const trainedCells = collapsed.filter((c) => c.training!.trainedSeeds > 0);
    out.push({
      id: 'collapsed-does-not-train',
      claim: `A network whose last hidden layer maps different inputs to nearly the same direction at initialisation (input correlation ≥ ${THRESHOLDS.collapsed}) does not train.`,
      source: "gradscope's collapsed verdict, after Schoenholz et al. 2017 (the ordered phase)",
      published: 'deep networks in the ordered phase lose the information about their input and cannot be trained beyond a depth of about 6 ξ_c',
      measured: single(failed.length / collapsed.length, collapsed.length),
      test: `Of the ${collapsed.length} activation × depth cells collapsed on at least half of their ${s.initSeeds} seeds at initialisation (${collapsed.map((c) => `${c.activation} × ${c.depth}`).join(', ')}), the fraction that trained on no seed at the rate chosen on the validation split (${s.steps} steps): yes if all, partly if most, no otherwise.${trainedCells.length ? ` Trained despite the verdict: ${trainedCells.map((c) => `${c.activation} × ${c.depth} (${c.training!.trainedSeeds} of ${c.training!.runs.length} seeds)`).join(', ')}.` : ''}`,
      agrees: failed.length === collapsed.length ? 'yes' : failed.length > collapsed.length / 2 ? 'partly' : 'no',
      section: 'activation-depth',
    });
  }
  // He's scale, derived for ReLU, borrowed by the smooth ReLU-likes
  const g = s.gain;
  const borrowed = [...new Set(g.runs.map((x) => x.activation))];
  if (borrowed.length > 0) {
    const at2 = g.runs.filter((x) => x.gain === 2);
    const outside = at2.filter((x) => x.firstToLast.lo < THRESHOLDS.vanishing || x.firstToLast.hi > THRESHOLDS.exploding);
    const all = scalarStats(at2.map((x) => x.firstToLast.median));
    out.push({
      id: 'he-init-borrowed',
      claim: `He's initialisation, Var(W) = 2/n_in, keeps the gradient's scale through depth for ${borrowed.join(', ')} as it does for ReLU.`,
      source: 'He et al. 2015 derive it for ReLU/PReLU; it is reused for smooth ReLU-like activations without a derivation of their own',
      published: 'for ReLU: Var(W) = 2/n_in keeps the variance of signal and gradient (one factor ½·n·Var(W) = 1 per layer)',
      measured: measured(all, g.seeds),
      test: `At ${g.depth} hidden layers and Var(W) = 2/n_in, the ${g.seeds}-seed 5–95 % band of the first-to-last ratio of each activation must stay inside [${THRESHOLDS.vanishing}, ${THRESHOLDS.exploding}] (measured: the medians of the ${at2.length} activations; band outside for ${outside.map((x) => `${x.activation} [${fmt(x.firstToLast.lo)}–${fmt(x.firstToLast.hi)}]`).join(', ') || 'none'}); partly if some stay inside.`,
      agrees: outside.length === 0 ? 'yes' : outside.length < at2.length ? 'partly' : 'no',
      section: 'activation-depth',
    });
  }
  return out;
}

function armTrained(a: ClipArm | undefined): number {
  return a ? count(a.outcomes, (o) => o.trained) : 0;
}

function stage4(r: Sections): Claim[] {
  const c = r.exploding.clipping;
  const none = c.arms.find((a) => a.clipNorm === null && a.clipValue === null && a.maxNorm === null);
  const clip = c.arms.find((a) => a.clipNorm !== null);
  const low = c.arms.filter((a) => a.clipNorm === null && a.clipValue === null && a.maxNorm === null && a !== none);
  if (!none || !clip) return [];
  const out: Claim[] = [];
  const blown = count(none.outcomes, (o) => o.nonFinite !== null);
  const frac = scalarStats(clip.outcomes.map((o) => o.clippedFraction));
  const partial = frac.max < 1 && frac.min > 0;
  const clipAcc = scalarStats(clip.outcomes.map(acc));
  out.push({
    id: 'clipping-keeps-exploding-net-training',
    claim: 'Clipping the gradient by its global norm keeps a network with exploding gradients training where the unclipped run blows up.',
    source: 'Pascanu et al. 2013',
    published: 'rescale g to norm c when ‖g‖ > c; this deals with the exploding gradients',
    measured: measured(clipAcc, clip.outcomes.length),
    test: `On the exploding net (first-to-last ratio at initialisation: median ${fmt(c.atInit.firstToLast.median)}, band ${fmt(c.atInit.firstToLast.lo)}–${fmt(c.atInit.firstToLast.hi)} over ${c.atInit.seeds} seeds) at η = ${clip.lr}: yes if the unclipped run blows up on every seed (${blown} of ${none.outcomes.length}), the clipped run trains (test accuracy ≥ chance ${pct(c.chance)} + ${100 * c.margin} points) on every seed (${armTrained(clip)} of ${clip.outcomes.length}) and clips only part of the steps (${pct(frac.min)}–${pct(frac.max)} clipped); partly if it trains on some seeds.`,
    agrees: blown === none.outcomes.length && armTrained(clip) === clip.outcomes.length && partial ? 'yes' : armTrained(clip) > 0 ? 'partly' : 'no',
    section: 'exploding',
  });
  const lower = low[0];
  if (lower) {
    const p = paired(clip.outcomes.map(acc), lower.outcomes.map(acc));
    out.push({
      id: 'clipping-vs-lower-learning-rate',
      claim: 'Clipping lets training keep its learning rate; lowering the learning rate instead slows every step.',
      source: 'Pascanu et al. 2013',
      published: 'clipping keeps the step size where the gradient is not large; a smaller learning rate would slow learning everywhere',
      measured: { median: fin(p.median), lo: fin(p.lo), hi: fin(p.hi), seeds: p.n },
      test: `Test accuracy with clipping (η = ${clip.lr}) minus with ${lower.label}, paired by seed (${p.wins} wins, ${p.losses} losses of ${p.n}; sign test p = ${fmt(p.p)}): yes if the band of the differences is above 0, no if below, indistinguishable if it contains 0.`,
      agrees: p.separated ? (p.lo > 0 ? 'yes' : 'no') : 'indistinguishable',
      section: 'exploding',
    });
  }
  return out;
}

function stage5(r: Sections): Claim[] {
  const m = r.remedies;
  if (!m) return [];
  const out: Claim[] = [];
  const gs = m.glorot.runs.find((x) => x.init === 'torch_default');
  const gx = m.glorot.runs.find((x) => x.init === 'xavier_uniform');
  if (gs && gx) {
    for (const [run, pub] of [[gs, 0.5], [gx, 0.8]] as const) {
      out.push({
        id: `glorot-singular-${run.init}`,
        claim: `tanh, ${m.glorot.hidden} hidden layers: the mean singular value of the layer Jacobians is ≈ ${pub} with ${run.init === 'torch_default' ? 'the "standard" initialisation U[−1/√n, 1/√n]' : "the normalised (Xavier) initialisation"}.`,
        source: 'Glorot & Bengio 2010',
        published: `≈ ${pub}`,
        measured: measured(run.meanSingularHidden),
        test: `Exact singular values of diag(f′(z))·W for the square hidden layers 2–${m.glorot.hidden} (${m.glorot.units} units), mean over layers, over ${m.glorot.seeds.length} seeds: yes if the whole min–max range is within 0.1 of ${pub}.`,
        agrees: Math.abs(run.meanSingularHidden.min - pub) < 0.1 && Math.abs(run.meanSingularHidden.max - pub) < 0.1 ? 'yes' : Math.abs(run.meanSingularHidden.median - pub) < 0.1 ? 'partly' : 'no',
        section: 'remedies',
      });
    }
  }
  const hx = m.he.runs.find((x) => x.init === 'xavier_normal');
  const hh = m.he.runs.find((x) => x.init === 'he_normal');
  if (hx && hh) {
    out.push({
      id: 'he-xavier-halves-per-layer',
      claim: `ReLU, ${m.he.depth} layers: with Xavier's scale the activations shrink by 1/√2 per layer; with He's they keep their scale.`,
      source: 'He et al. 2015',
      published: '× 1/√2 ≈ 0.707 per layer (Xavier) vs × 1 (He)',
      measured: measured(hx.stdFactor),
      test: `Per-layer factor (std_L / std_2)^(1/(L−2)) over ${m.he.seeds} seeds: yes if the 5–95 % band for Xavier is within 0.08 of 0.707 and for He within 0.1 of 1 (He: median ${fmt(hh.stdFactor.median)}, band ${fmt(hh.stdFactor.lo)}–${fmt(hh.stdFactor.hi)}); partly if only the medians are.`,
      agrees: Math.abs(hx.stdFactor.lo - Math.SQRT1_2) < 0.08 && Math.abs(hx.stdFactor.hi - Math.SQRT1_2) < 0.08 && Math.abs(hh.stdFactor.lo - 1) < 0.1 && Math.abs(hh.stdFactor.hi - 1) < 0.1 ? 'yes' : Math.abs(hx.stdFactor.median - Math.SQRT1_2) < 0.08 && Math.abs(hh.stdFactor.median - 1) < 0.1 ? 'partly' : 'no',
      section: 'remedies',
    });
    const stalls = (o: SeedOutcome): boolean => !o.nonFinite && Number.isFinite(o.lastLoss) && o.lastLoss > Math.log(10) - 0.05;
    const xs = count(hx.training, stalls);
    const ht = count(hh.training, (o) => o.trained);
    out.push({
      id: 'he-30-layers-trains',
      claim: `A ${m.he.depth}-layer ReLU net with Xavier's initialisation stalls; with He's it trains.`,
      source: 'He et al. 2015',
      published: 'Xavier: "completely stalls"; He: converges',
      measured: measured(scalarStats(hh.training.map(acc))),
      test: `${m.he.steps} steps (${m.he.optimizer}, η = ${m.he.lr}) on ${hh.training.length} seeds; measured: He's test accuracy. yes if Xavier stays at the chance-level loss ln 10 (within 0.05) on every seed (${xs} of ${hx.training.length}) and He trains (accuracy ≥ chance + ${100 * m.margin} points) on every seed (${ht} of ${hh.training.length}); partly if He trains on some.`,
      agrees: xs === hx.training.length && ht === hh.training.length ? 'yes' : ht > 0 ? 'partly' : 'no',
      section: 'remedies',
    });
  }
  const sl = m.selu.runs.find((x) => x.activation === 'selu' && x.init === 'lecun_normal');
  if (sl) {
    const mm = sl.mean.median.slice(9).filter(Number.isFinite);
    const vv = sl.variance.median.slice(9).filter(Number.isFinite);
    const v = scalarStats(vv);
    out.push({
      id: 'selu-fixed-point',
      claim: 'SELU with LeCun-normal weights drives the activations to mean 0 and variance 1 through depth.',
      source: 'Klambauer et al. 2017',
      published: 'mean → 0, variance → 1',
      measured: measured(v, m.selu.seeds),
      test: `Median over ${m.selu.seeds} seeds of each layer's activation mean and variance, layers 10–${m.selu.depth} (measured: the variances): yes if every mean is within 0.25 of 0 (${fmt(Math.min(...mm))} to ${fmt(Math.max(...mm))}) and every variance within [0.5, 1.6].`,
      agrees: mm.length > 0 && mm.every((x) => Math.abs(x) < 0.25) && vv.every((x) => x > 0.5 && x < 1.6) ? 'yes' : 'no',
      section: 'remedies',
    });
  }
  const nr = m.normResidual;
  const deepest = Math.max(...nr.depths);
  const at = (label: string) => nr.runs.find((x) => x.depth === deepest && x.label === label);
  const plain = at('plain');
  for (const [label, id, source, claim, published] of [
    ['batch norm', 'batchnorm-deep-sigmoid', 'Ioffe & Szegedy 2015', `Batch normalisation keeps a deep sigmoid net's gradient from vanishing and lets it train.`, 'normalising each pre-activation keeps it where the nonlinearity is not saturated, so deep nets train'],
    ['residual', 'residual-identity-path', 'He et al. 2016b (Identity Mappings)', 'Identity skip connections give the gradient reaching a shallow layer a direct term that does not vanish.', 'with x_{l+1} = x_l + F(x_l), ∂x_L/∂x_l = I + ∂(Σ F)/∂x_l'],
  ] as const) {
    const fix = at(label);
    if (!plain || !fix) continue;
    const tr = count(fix.outcomes, (o) => o.trained);
    out.push({
      id,
      claim,
      source,
      published,
      measured: measured(fix.firstToLast),
      test: `sigmoid, ${deepest} hidden layers of ${nr.width}: first-to-last ratio at initialisation over ${nr.seeds} seeds (plain: median ${fmt(plain.firstToLast.median)}), then ${nr.steps} training steps on ${fix.outcomes.length} seeds. yes if the 5–95 % band of the ratio is above ${THRESHOLDS.vanishing} and it trains (accuracy ≥ chance + ${100 * m.margin} points) on every seed (${tr} of ${fix.outcomes.length}) while the plain net's ratio is below ${THRESHOLDS.vanishing}; partly if only the gradient or only the training holds.`,
      agrees: fix.firstToLast.lo > THRESHOLDS.vanishing && tr === fix.outcomes.length && plain.firstToLast.median < THRESHOLDS.vanishing ? 'yes' : fix.firstToLast.median > THRESHOLDS.vanishing || tr > 0 ? 'partly' : 'no',
      section: 'remedies',
    });
  }
  const mx = m.clipping.runs.find((x) => x.maxNorm !== null);
  if (mx) {
    const tr = armTrained(mx);
    const finite = count(mx.outcomes, (o) => o.nonFinite === null);
    out.push({
      id: 'max-norm-exploding-net',
      claim: 'A max-norm constraint on each unit\'s incoming weights makes training stable at a learning rate that otherwise blows up.',
      source: 'Srivastava et al. 2014',
      published: 'max-norm regularisation makes it possible to use large learning rates without the weights blowing up',
      measured: measured(scalarStats(mx.outcomes.map(acc))),
      test: `Stage 4's exploding net at η = ${mx.lr} with max-norm c = ${mx.maxNorm}, ${mx.outcomes.length} seeds (measured: test accuracy): yes if finite (${finite} of ${mx.outcomes.length}) and trained (accuracy ≥ chance + ${100 * m.margin} points) on every seed (${tr}); partly if finite on every seed but trained on some or none.`,
      agrees: finite === mx.outcomes.length && tr === mx.outcomes.length ? 'yes' : finite === mx.outcomes.length ? 'partly' : 'no',
      section: 'remedies',
    });
  }
  const base = m.training.runs.find((x) => x.label === 'momentum');
  const pre = m.training.runs.find((x) => x.label === 'pre-training');
  if (base && pre) {
    const p = paired(pre.outcomes.map(acc), base.outcomes.map(acc));
    out.push({
      id: 'pretraining-helps-deep-net',
      claim: 'Greedy layer-wise pre-training helps a deep network that plain training leaves stuck.',
      source: 'Bengio et al. 2007',
      published: 'greedy unsupervised layer-wise pre-training initialises the weights where gradient descent then trains deep nets better',
      measured: { median: fin(p.median), lo: fin(p.lo), hi: fin(p.hi), seeds: p.n },
      test: `sigmoid, ${m.training.depth} hidden layers: test accuracy after pre-training + ${m.training.steps} fine-tuning steps minus without pre-training, paired by seed (${p.wins} wins, ${p.losses} losses; sign test p = ${fmt(p.p)}): yes if the band of the differences is above 0, no if below, indistinguishable otherwise.`,
      agrees: p.separated ? (p.lo > 0 ? 'yes' : 'no') : 'indistinguishable',
      section: 'remedies',
    });
  }
  return out;
}

function stage6(rec: RecurrentSection | undefined): Claim[] {
  if (!rec) return [];
  const out: Claim[] = [];
  const c = rec.clipping;
  const v = c.vanishingCheck;
  out.push({
    id: 'pascanu-sufficient-vanishing',
    claim: `With σ_max(W_hh) below 1/γ the gradient through time vanishes exponentially with the lag (sufficient condition).`,
    source: 'Pascanu et al. 2013',
    published: 'λ₁ < 1/γ is sufficient for vanishing (γ = 1 for tanh)',
    measured: measured(v.ratio),
    test: `A ${v.activation} RNN with σ_max(W_hh) = ${v.gain} at T = ${c.length}, over ${v.seeds} seeds: every seed's ‖∂ℓ/∂h₀‖/‖∂ℓ/∂h_{T−1}‖ must respect the bound ${v.gain}^(T−1) = ${fmt(v.bound)} (largest measured: ${fmt(v.ratio.max)}).`,
    agrees: v.ratio.nonFinite === 0 && v.ratio.max <= v.bound * (1 + 1e-6) ? 'yes' : 'no',
    section: 'recurrent',
  });
  const g = c.gradRatioAtInit;
  out.push({
    id: 'pascanu-relu-rnn-explodes',
    claim: `A ReLU RNN with σ_max(W_hh) = ${c.recurrentGain}, above 1/γ = 1, can have an exploding gradient through time.`,
    source: 'Pascanu et al. 2013',
    published: 'λ₁ > 1/γ is necessary for exploding gradients',
    measured: measured(g),
    test: `‖∂ℓ/∂h₀‖/‖∂ℓ/∂h_{T−1}‖ at initialisation, T = ${c.length}, over ${c.probeSeeds} seeds: yes if the 5–95 % band is above 1 (the gradient grows toward the start), partly if only the median is.`,
    agrees: g.lo > 1 ? 'yes' : g.median > 1 ? 'partly' : 'no',
    section: 'recurrent',
  });
  const seeds = c.seeds;
  const blown = count(seeds, (x) => x.withoutNonFinite);
  const ok = count(seeds, (x) => !x.withNonFinite && x.withLossDrop);
  const frac = scalarStats(seeds.map((x) => x.withClippedFraction));
  out.push({
    id: 'clipping-exploding-rnn',
    claim: 'On that RNN, clipping by global norm keeps SGD finite and the loss falling where the unclipped run overflows.',
    source: 'Pascanu et al. 2013',
    published: 'clipping deals with exploding gradients in recurrent nets',
    measured: measured(frac, seeds.length),
    test: `${c.steps} SGD steps (η = ${c.lr}) on ${seeds.length} seeds, measured: the share of steps clipped. yes if the unclipped run overflows on every seed (${blown}) and the clipped one stays finite with a falling training loss on every seed (${ok}); partly if on some.`,
    agrees: blown === seeds.length && ok === seeds.length ? 'yes' : ok > 0 ? 'partly' : 'no',
    section: 'recurrent',
  });
  const f = rec.findings;
  const longest = Math.max(...rec.settings.lengths);
  for (const cell of ['lstm', 'rnn'] as const) {
    const s = f.summaries.find((x) => x.cell === cell && x.length === longest);
    if (!s) continue;
    const base = rec.baseline.solvedFraction[rec.settings.lengths.indexOf(longest)] ?? NaN;
    if (cell === 'lstm') {
      out.push({
        id: 'lstm-solves-adding',
        claim: `The LSTM solves the adding problem (here at T = ${longest}).`,
        source: 'Hochreiter & Schmidhuber 1997',
        published: `a run succeeds with at most ${f.maxErrors} wrong of ${f.testSize} test sequences (|error| ≥ 0.04); LSTM succeeds up to T = 1000`,
        measured: measured(s.errors),
        test: `Wrong test sequences of ${f.testSize} after ${rec.settings.steps} Adam steps, over ${s.seeds} seeds (solved fraction: median ${pct(s.solved.median)}): yes if the paper's criterion holds on every seed (${s.criterionMet} of ${s.seeds}); partly if on some seeds, or if the median solved fraction is at least 90 %; no otherwise.`,
        agrees: s.criterionMet === s.seeds ? 'yes' : s.criterionMet > 0 || s.solved.median >= 0.9 ? 'partly' : 'no',
        section: 'recurrent',
      });
    } else {
      out.push({
        id: 'rnn-fails-adding',
        claim: `A plain RNN trained by gradient descent fails the adding problem at such lags (here T = ${longest}).`,
        source: 'Hochreiter & Schmidhuber 1997',
        published: 'plain RNNs trained by gradient descent fail at far shorter lags than LSTM',
        measured: measured(s.solved),
        test: `Solved fraction over ${s.seeds} seeds against the memoryless predictor (always 0.5: ${pct(base)}): yes if no seed meets the paper's criterion (${s.criterionMet} do) and the median is within 10 points of the memoryless predictor; partly if no seed meets the criterion but the median is higher.`,
        agrees: s.criterionMet === 0 ? (s.solved.median <= base + 0.1 ? 'yes' : 'partly') : 'no',
        section: 'recurrent',
      });
    }
  }
  return out;
}

/** Every claim of the study, by stage. */
export function studyClaims(r: Sections): Claim[] {
  return [...stage1(r), ...stage2(r), ...stage3(r), ...stage4(r), ...stage5(r), ...stage6(r.recurrent)];
}

/** How many claims came out each way. */
export function claimTally(claims: readonly Claim[]): Record<Agreement, number> {
  const t: Record<Agreement, number> = { yes: 0, no: 0, partly: 0, indistinguishable: 0 };
  for (const c of claims) t[c.agrees]++;
  return t;
}
