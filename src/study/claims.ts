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
import { THRESHOLDS } from '../diagnostics/verdict.js';
import { msg, phrase, type MessageKey } from '../i18n/catalogue.js';
import type { Msg, Var } from '../i18n/message.js';
import type { RecurrentSection } from '../experiments/rnn/types.js';
import { fmt, pct } from './text.js';
import { paired, scalarStats } from '../experiments/stats.js';
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

/**
 * The claim, published value and test of the claim called `name` — the
 * catalogue's messages cl.<name>.claim, .published and .test, all filled
 * from `vars` — in English (what results.json's readers see) and as the
 * messages (what a report in another language says); `source` is a name
 * (authors, year) or, where it is a sentence, a message.
 */
function texts(name: string, vars: Readonly<Record<string, Var>>, source: string | Msg): Pick<Claim, 'claim' | 'source' | 'published' | 'test' | 'said'> {
  const m = (part: string): Msg => msg(`cl.${name}.${part}` as MessageKey, vars);
  const said = { claim: m('claim'), published: m('published'), test: m('test'), ...(typeof source === 'string' ? {} : { source }) };
  return { claim: phrase('en', said.claim), source: typeof source === 'string' ? source : phrase('en', source), published: phrase('en', said.published), test: phrase('en', said.test), said };
}

/** An optional part of a sentence: the message when `cond` holds, else nothing. */
const opt = (cond: boolean, m: () => Msg): Var => (cond ? m() : '');

const count = <T>(xs: readonly T[], p: (x: T) => boolean): number => xs.filter(p).length;
const acc = (o: SeedOutcome): number => (Number.isFinite(o.testAccuracy) ? o.testAccuracy : 0);

function stage1(r: Sections): Claim[] {
  const b = r.bound;
  return [
    {
      id: 'sigmoid-derivative-bound',
      ...texts('bound', { x: fmt(b.sigmoidDerivativeMax.x) }, 'Nielsen, ch. 5'),
      measured: single(b.sigmoidDerivativeMax.value),
      agrees: Math.abs(b.sigmoidDerivativeMax.value - 0.25) < 1e-12 && Math.abs(b.sigmoidDerivativeMax.x) < 1e-4 ? 'yes' : 'no',
      section: 'bound',
    },
    {
      id: 'nielsen-band',
      ...texts('band', { w: fmt(b.band.maxWidth), at: fmt(b.band.argmaxW) }, 'Nielsen, ch. 5'),
      measured: single(b.band.maxWidth),
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
      ...texts('ratio', { arch: `[${net.arch.join(',')}]`, r: fmt(net.publishedRatio), band: s.n >= 20 ? '5–95 %' : msg('rep.band.minmax'), n: s.n }, 'Nielsen, ch. 5'),
      measured: measured(s),
      agrees: net.publishedRatio >= s.lo && net.publishedRatio <= s.hi ? 'yes' : 'no',
      section: 'nielsen',
    });
  }
  const deep = n.networks[n.networks.length - 1];
  if (deep) {
    const s = deep.ratioLastFirst;
    out.push({
      id: 'nielsen-100-times-slower',
      ...texts('slower', { band: s.n >= 20 ? '5–95 %' : msg('rep.band.minmax'), n: s.n }, 'Nielsen, ch. 5'),
      measured: measured(s),
      agrees: 100 >= s.lo && 100 <= s.hi ? 'yes' : s.median > 50 && s.median < 200 ? 'partly' : 'no',
      section: 'nielsen',
    });
  }
  const sums = n.training.summaries;
  if (sums.length > 0) {
    const first = scalarStats(sums.map((x) => x.firstSlowest));
    out.push({
      id: 'nielsen-order-during-training',
      ...texts('order', { n: sums.length, archs: [...new Set(sums.map((x) => `[${x.arch.join(',')}]`))], seeds: n.training.seeds.join(', ') }, 'Nielsen, ch. 5'),
      measured: measured(first),
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
        ...texts('minima', { n: two.length, a: fmt(m1.median), alo: fmt(m1.min), ahi: fmt(m1.max), b: fmt(m2.median), blo: fmt(m2.min), bhi: fmt(m2.max) }, 'Nielsen, ch. 5'),
        measured: measured(m1, two.length),
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
      ...texts('recipe', { eta: String(br.eta), batch: br.batch, acc: pct(br.published), steps: br.steps, epochs: fmt((br.steps * br.batch) / br.trainSize), train: br.trainSize, share: fmt((br.steps * br.batch) / (30 * 50000)), test: br.testSize, n: br.perSeed.length, k: trained, chance: pct(br.chance), margin: 100 * br.margin }, msg('cl.src.nielsenVal')),
      measured: measured(br.testAccuracy),
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
      ...texts(
        'collapsed',
        {
          th: String(THRESHOLDS.collapsed),
          n: collapsed.length,
          seeds: s.initSeeds,
          cells: collapsed.map((c) => `${c.activation} × ${c.depth}`),
          steps: s.steps,
          despite: opt(trainedCells.length > 0, () => msg('cl.collapsed.despite', { list: trainedCells.map((c) => msg('cl.cellSeeds', { cell: `${c.activation} × ${c.depth}`, k: c.training!.trainedSeeds, n: c.training!.runs.length })) })),
        },
        msg('cl.src.collapsed'),
      ),
      measured: single(failed.length / collapsed.length, collapsed.length),
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
      ...texts('heBorrowed', { acts: borrowed, d: g.depth, n: g.seeds, lo: String(THRESHOLDS.vanishing), hi: String(THRESHOLDS.exploding), k: at2.length, outside: outside.length ? outside.map((x) => `${x.activation} [${fmt(x.firstToLast.lo)}–${fmt(x.firstToLast.hi)}]`) : msg('c.none') }, msg('cl.src.heBorrowed')),
      measured: measured(all, g.seeds),
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
    ...texts('clipNet', { m: fmt(c.atInit.firstToLast.median), lo: fmt(c.atInit.firstToLast.lo), hi: fmt(c.atInit.firstToLast.hi), n: c.atInit.seeds, lr: String(clip.lr), blown, of: none.outcomes.length, chance: pct(c.chance), margin: 100 * c.margin, trained: armTrained(clip), ofClip: clip.outcomes.length, fmin: pct(frac.min), fmax: pct(frac.max) }, 'Pascanu et al. 2013'),
    measured: measured(clipAcc, clip.outcomes.length),
    agrees: blown === none.outcomes.length && armTrained(clip) === clip.outcomes.length && partial ? 'yes' : armTrained(clip) > 0 ? 'partly' : 'no',
    section: 'exploding',
  });
  const lower = low[0];
  if (lower) {
    const p = paired(clip.outcomes.map(acc), lower.outcomes.map(acc));
    out.push({
      id: 'clipping-vs-lower-learning-rate',
      ...texts('clipVsLr', { lr: String(clip.lr), lower: lower.said ?? lower.label, wins: p.wins, losses: p.losses, n: p.n, p: fmt(p.p) }, 'Pascanu et al. 2013'),
      measured: { median: fin(p.median), lo: fin(p.lo), hi: fin(p.hi), seeds: p.n },
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
        ...texts('glorot', { h: m.glorot.hidden, pub: String(pub), init: msg(run.init === 'torch_default' ? 'cl.glorot.standard' : 'cl.glorot.xavier'), u: m.glorot.units, n: m.glorot.seeds.length }, 'Glorot & Bengio 2010'),
        measured: measured(run.meanSingularHidden),
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
      ...texts('heHalves', { d: m.he.depth, n: m.he.seeds, m: fmt(hh.stdFactor.median), lo: fmt(hh.stdFactor.lo), hi: fmt(hh.stdFactor.hi) }, 'He et al. 2015'),
      measured: measured(hx.stdFactor),
      agrees: Math.abs(hx.stdFactor.lo - Math.SQRT1_2) < 0.08 && Math.abs(hx.stdFactor.hi - Math.SQRT1_2) < 0.08 && Math.abs(hh.stdFactor.lo - 1) < 0.1 && Math.abs(hh.stdFactor.hi - 1) < 0.1 ? 'yes' : Math.abs(hx.stdFactor.median - Math.SQRT1_2) < 0.08 && Math.abs(hh.stdFactor.median - 1) < 0.1 ? 'partly' : 'no',
      section: 'remedies',
    });
    const stalls = (o: SeedOutcome): boolean => !o.nonFinite && Number.isFinite(o.lastLoss) && o.lastLoss > Math.log(10) - 0.05;
    const xs = count(hx.training, stalls);
    const ht = count(hh.training, (o) => o.trained);
    out.push({
      id: 'he-30-layers-trains',
      ...texts('heTrains', { d: m.he.depth, steps: m.he.steps, opt: m.he.optimizer, lr: String(m.he.lr), n: hh.training.length, xs, nx: hx.training.length, margin: 100 * m.margin, ht }, 'He et al. 2015'),
      measured: measured(scalarStats(hh.training.map(acc))),
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
      ...texts('selu', { n: m.selu.seeds, d: m.selu.depth, lo: fmt(Math.min(...mm)), hi: fmt(Math.max(...mm)) }, 'Klambauer et al. 2017'),
      measured: measured(v, m.selu.seeds),
      agrees: mm.length > 0 && mm.every((x) => Math.abs(x) < 0.25) && vv.every((x) => x > 0.5 && x < 1.6) ? 'yes' : 'no',
      section: 'remedies',
    });
  }
  const nr = m.normResidual;
  const deepest = Math.max(...nr.depths);
  const at = (label: string) => nr.runs.find((x) => x.depth === deepest && x.label === label);
  const plain = at('plain');
  for (const [label, id, source, name] of [
    ['batch norm', 'batchnorm-deep-sigmoid', 'Ioffe & Szegedy 2015', 'bn'],
    ['residual', 'residual-identity-path', msg('cl.src.he2016b'), 'residual'],
  ] as const) {
    const fix = at(label);
    if (!plain || !fix) continue;
    const tr = count(fix.outcomes, (o) => o.trained);
    out.push({
      id,
      ...texts(name, { d: deepest, w: nr.width, n: nr.seeds, plain: fmt(plain.firstToLast.median), steps: nr.steps, k: fix.outcomes.length, th: String(THRESHOLDS.vanishing), margin: 100 * m.margin, tr }, source),
      measured: measured(fix.firstToLast),
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
      ...texts('maxNorm', { lr: String(mx.lr), c: String(mx.maxNorm), n: mx.outcomes.length, finite, margin: 100 * m.margin, tr }, 'Srivastava et al. 2014'),
      measured: measured(scalarStats(mx.outcomes.map(acc))),
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
      ...texts('pretrain', { d: m.training.depth, steps: m.training.steps, wins: p.wins, losses: p.losses, p: fmt(p.p) }, 'Bengio et al. 2007'),
      measured: { median: fin(p.median), lo: fin(p.lo), hi: fin(p.hi), seeds: p.n },
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
    ...texts('pascanuVanish', { act: v.activation, gain: String(v.gain), T: c.length, n: v.seeds, bound: fmt(v.bound), max: fmt(v.ratio.max) }, 'Pascanu et al. 2013'),
    measured: measured(v.ratio),
    agrees: v.ratio.nonFinite === 0 && v.ratio.max <= v.bound * (1 + 1e-6) ? 'yes' : 'no',
    section: 'recurrent',
  });
  const g = c.gradRatioAtInit;
  out.push({
    id: 'pascanu-relu-rnn-explodes',
    ...texts('pascanuExplode', { gain: String(c.recurrentGain), T: c.length, n: c.probeSeeds }, 'Pascanu et al. 2013'),
    measured: measured(g),
    agrees: g.lo > 1 ? 'yes' : g.median > 1 ? 'partly' : 'no',
    section: 'recurrent',
  });
  const seeds = c.seeds;
  const blown = count(seeds, (x) => x.withoutNonFinite);
  const ok = count(seeds, (x) => !x.withNonFinite && x.withLossDrop);
  const frac = scalarStats(seeds.map((x) => x.withClippedFraction));
  out.push({
    id: 'clipping-exploding-rnn',
    ...texts('clipRnn', { steps: c.steps, lr: String(c.lr), n: seeds.length, blown, ok }, 'Pascanu et al. 2013'),
    measured: measured(frac, seeds.length),
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
        ...texts('lstm', { T: longest, max: f.maxErrors, size: f.testSize, steps: rec.settings.steps, n: s.seeds, m: pct(s.solved.median), k: s.criterionMet }, 'Hochreiter & Schmidhuber 1997'),
        measured: measured(s.errors),
        agrees: s.criterionMet === s.seeds ? 'yes' : s.criterionMet > 0 || s.solved.median >= 0.9 ? 'partly' : 'no',
        section: 'recurrent',
      });
    } else {
      out.push({
        id: 'rnn-fails-adding',
        ...texts('rnn', { T: longest, n: s.seeds, base: pct(base), k: s.criterionMet }, 'Hochreiter & Schmidhuber 1997'),
        measured: measured(s.solved),
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
