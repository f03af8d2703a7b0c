/**
 * Study stage 7: which activation to use where, each row backed by numbers
 * measured in the earlier stages over seeds, and the project's starting
 * recommendations — ReLU by default, tanh over sigmoid in hidden layers,
 * sigmoid only for a binary output — each judged supported, qualified or
 * not supported by paired comparisons across seeds. "A beats B" is said only
 * when the seeds separate them (every paired difference on one side, for
 * few seeds); otherwise they are indistinguishable at this budget.
 */
import { binaryCrossEntropy, quadratic } from '../nn/losses.js';
import { msg, phrase } from '../i18n/catalogue.js';
import type { Msg, Var } from '../i18n/message.js';
import { fmt as fmtText, pct as pctText } from './text.js';
import { paired } from '../experiments/stats.js';
import type { ActDepthCell, ConclusionSection, Paired, StudyResults, Support } from './types.js';

type Sections = Pick<StudyResults, 'bound' | 'nielsen' | 'activationDepth' | 'exploding' | 'recurrent'>;

/** A number as the sentences write it ('n/a' in the reader's language when missing). */
const fmt = (x: number | null | undefined): Var => (x === null || x === undefined || !Number.isFinite(x) ? msg('c.na') : fmtText(x));
/** A fraction as a percentage ('n/a' in the reader's language when missing). */
const pct = (x: number | null | undefined): Var => (x === null || x === undefined || !Number.isFinite(x) ? msg('c.na') : pctText(x));
/** A list of depths or names, or 'none'. */
const listOr = (xs: readonly (string | number)[]): Var => (xs.length ? xs : msg('c.none'));
/** An optional part of a sentence. */
const opt = (cond: boolean, m: () => Msg): Var => (cond ? m() : '');

/**
 * The output-layer error δᴸ for a confidently wrong sigmoid output (z = −5,
 * target 1) under the quadratic cost and under cross-entropy: the quadratic
 * cost multiplies by σ'(z) and learns slowly; cross-entropy gives a − y.
 */
export function outputDelta(z = -5): { quadratic: number; crossEntropy: number } {
  const a = 1 / (1 + Math.exp(-z));
  const zb = Float64Array.of(z);
  const ab = Float64Array.of(a);
  const y = Float64Array.of(1);
  const da = new Float64Array(1);
  quadratic.lossAndGrad(da, ab, y, 1, 1);
  const q = da[0] * a * (1 - a); // chain through σ'(z)
  const dz = new Float64Array(1);
  binaryCrossEntropy.fusedLossAndGrad!(dz, zb, ab, y, 1, 1);
  return { quadratic: q, crossEntropy: dz[0] };
}

/** Test accuracy of a cell per seed (a blown-up run counts as 0). */
function accBySeed(c: ActDepthCell | undefined): Map<number, number> {
  return new Map((c?.training?.runs ?? []).map((r) => [r.seed, Number.isFinite(r.testAccuracy) ? r.testAccuracy : 0]));
}

/** a against b on the seeds both have. */
function compare(a: ActDepthCell | undefined, b: ActDepthCell | undefined): Paired | null {
  const x = accBySeed(a);
  const y = accBySeed(b);
  const seeds = [...x.keys()].filter((k) => y.has(k));
  return seeds.length ? paired(seeds.map((k) => x.get(k)!), seeds.map((k) => y.get(k)!)) : null;
}

/** One sentence comparing a with b at `depth` hidden layers, paired by seed, with their median test accuracies. */
function comparison(a: string, b: string, depth: number, p: Paired | null, accA: number, accB: number): Msg {
  if (!p) return msg('c.cmp.none', { a, b, d: depth });
  const v = { a, b, d: depth, accA: pct(accA), accB: pct(accB), n: p.n };
  if (!p.separated) return msg('c.cmp.same', { ...v, lo: fmt(100 * p.lo), hi: fmt(100 * p.hi) });
  if (p.lo > 0) return msg('c.cmp.beats', { ...v, by: fmt(100 * p.median), p: fmt(p.p) });
  return msg('c.cmp.loses', { ...v, by: fmt(-100 * p.median), p: fmt(p.p) });
}

const beats = (p: Paired | null): boolean => p !== null && p.separated && p.lo > 0;
const losesTo = (p: Paired | null): boolean => p !== null && p.separated && p.hi < 0;

/** The activations at `depth` whose test accuracy the seeds cannot tell from the best one's. */
function topGroup(r: Sections, depth: number): { best: ActDepthCell | undefined; group: string[] } {
  const s = r.activationDepth;
  const at = s.cells.filter((c) => c.depth === depth && c.training);
  const best = [...at].sort((a, b) => b.training!.testAccuracy.median - a.training!.testAccuracy.median)[0];
  const group = best ? [best.activation, ...s.versusBest.filter((v) => v.depth === depth && !v.paired.separated).map((v) => v.a)] : [];
  return { best, group };
}

type Recommendation = ConclusionSection['recommendations'][number];

/** A recommendation from its messages: the English strings (results.json's readers) and the messages themselves. */
function recommend(id: string, recommendation: Msg, status: Support, evidence: Msg): Recommendation {
  return { id, recommendation: phrase('en', recommendation), status, evidence: phrase('en', evidence), said: { recommendation, evidence } };
}

/** The project's starting recommendations, each judged by paired comparisons over seeds. */
function recommendations(r: Sections): ConclusionSection['recommendations'] {
  const s = r.activationDepth;
  const cell = (a: string, d: number) => s.cells.find((c) => c.activation === a && c.depth === d);
  const deep = s.depths.filter((d) => d >= 5);
  const out: Recommendation[] = [];

  // ReLU by default
  const overSig = s.depths.map((d) => ({ d, p: compare(cell('relu', d), cell('sigmoid', d)) }));
  const beaten = s.depths.flatMap((d) => s.versusBest.filter((v) => v.depth === d && v.a === 'relu' && v.paired.separated).map((v) => ({ d, by: v.b, p: v.paired })));
  const reluBest = s.depths.filter((d) => topGroup(r, d).best?.activation === 'relu');
  const allDepthsBeaten = s.depths.flatMap((d) => s.activations.filter((a) => a !== 'relu' && losesTo(compare(cell('relu', d), cell(a, d)))).map((a) => msg('c.actAt', { a, d })));
  const beatsSigDeep = deep.length > 0 && deep.every((d) => beats(overSig.find((x) => x.d === d)!.p));
  const status: Support = !beatsSigDeep ? 'not supported' : allDepthsBeaten.length === 0 ? 'supported' : 'qualified';
  const deepest = Math.max(...s.depths);
  const rd = cell('relu', deepest);
  const atDeepest = beaten.filter((b) => b.d === deepest).map((b) => msg('c.byPoints', { a: b.by, k: fmt(-100 * b.p.median) }));
  out.push(
    recommend(
      'relu-default',
      msg('c.r.relu'),
      status,
      msg('c.r.reluEv', {
        cmp: comparison('relu', 'sigmoid', deepest, overSig.find((x) => x.d === deepest)?.p ?? null, rd?.training?.testAccuracy.median ?? NaN, cell('sigmoid', deepest)?.training?.testAccuracy.median ?? NaN),
        deep,
        at: listOr(deep.filter((d) => beats(overSig.find((x) => x.d === d)!.p))),
        beaten: allDepthsBeaten.length ? msg('c.r.reluBeaten', { list: allDepthsBeaten, detail: opt(beaten.length > 0, () => msg('c.r.reluBeatenAt', { d: deepest, list: atDeepest.length ? atDeepest : '—' })) }) : msg('c.r.reluUnbeaten'),
        best: opt(reluBest.length > 0, () => msg('c.r.reluHighest', { list: reluBest })),
      }),
    ),
  );

  // tanh over sigmoid in hidden layers
  const ts = s.depths.map((d) => ({ d, p: compare(cell('tanh', d), cell('sigmoid', d)) }));
  const tBeats = ts.filter((x) => beats(x.p)).map((x) => x.d);
  const tLoses = ts.filter((x) => losesTo(x.p)).map((x) => x.d);
  out.push(
    recommend(
      'tanh-over-sigmoid',
      msg('c.r.tanh'),
      tLoses.length > 0 || tBeats.length === 0 ? 'not supported' : tBeats.length === s.depths.length ? 'supported' : 'qualified',
      msg('c.r.tanhEv', {
        depths: s.depths,
        at: listOr(tBeats),
        rest: opt(tBeats.length < s.depths.length, () => msg(tLoses.length ? 'c.r.tanhRestWorse' : 'c.r.tanhRest', { list: s.depths.filter((d) => !tBeats.includes(d)) })),
        d: deepest,
        tanh: pct(cell('tanh', deepest)?.training?.testAccuracy.median ?? NaN),
        sig: pct(cell('sigmoid', deepest)?.training?.testAccuracy.median ?? NaN),
        s: fmt(r.bound.sigmoidDerivativeMax.value),
      }),
    ),
  );

  // sigmoid only for a binary output
  const od = outputDelta();
  const sigLoses = s.depths.filter((d) => s.activations.some((a) => a !== 'sigmoid' && beats(compare(cell(a, d), cell('sigmoid', d)))));
  out.push(
    recommend(
      'sigmoid-binary-output-only',
      msg('c.r.sigmoid'),
      sigLoses.length === s.depths.length ? 'supported' : sigLoses.length > 0 ? 'qualified' : 'not supported',
      msg('c.r.sigmoidEv', {
        depths: s.depths,
        at: listOr(sigLoses),
        trains: s.depths.map((d) => msg('c.trainsAt', { k: cell('sigmoid', d)?.training?.trainedSeeds ?? 0, n: cell('sigmoid', d)?.training?.runs.length ?? 0, d })),
        ce: fmt(od.crossEntropy),
        q: fmt(od.quadratic),
        k: fmt(od.crossEntropy / od.quadratic),
      }),
    ),
  );
  return out;
}

type Row = ConclusionSection['rows'][number];

/** A row from its messages: the English strings (results.json's readers) and the messages themselves. */
function row(where: Msg, use: Msg | string, avoid: Msg | string, evidence: Msg): Row {
  const en = (m: Msg | string): string => (typeof m === 'string' ? m : phrase('en', m));
  const m = (x: Msg | string): Msg => (typeof x === 'string' ? msg('term.literal', { s: x }) : x);
  return { where: en(where), use: en(use), avoid: en(avoid), evidence: en(evidence), said: { where, use: m(use), avoid: m(avoid), evidence } };
}

/** Builds the conclusion table and the recommendations from the measured sections. */
export function conclusions(r: Sections): ConclusionSection {
  const s = r.activationDepth;
  const deepest = Math.max(...s.depths);
  const cell = (a: string, d: number) => s.cells.find((c) => c.activation === a && c.depth === d);
  const sig = cell('sigmoid', deepest);
  const tanh = cell('tanh', deepest);
  const relu = cell('relu', deepest);
  const { best, group } = topGroup(r, deepest);
  const n4 = r.nielsen.networks[r.nielsen.networks.length - 1];
  const od = outputDelta();
  const c = r.exploding.clipping;
  const none = c.arms.find((a) => a.clipNorm === null && a.clipValue === null && a.maxNorm === null);
  const clip = c.arms.find((a) => a.clipNorm !== null);
  const trainedOf = (a: typeof none): Var => (a ? `${a.outcomes.filter((o) => o.trained).length}/${a.outcomes.length}` : msg('c.na'));
  const ratio = (x: ActDepthCell | undefined): Var => (x ? msg('c.band', { m: fmt(x.atInit.firstToLast.median), lo: fmt(x.atInit.firstToLast.lo), hi: fmt(x.atInit.firstToLast.hi) }) : msg('c.na'));
  const borrowed = [...new Set(s.gain.runs.map((x) => x.activation))];
  const accOf = (x: ActDepthCell | undefined): Var => pct(x?.training?.testAccuracy.median ?? NaN);
  const rows: Row[] = [
    row(msg('c.w.hidden'), msg('c.u.reluTop'), 'sigmoid', msg('c.e.hidden', { d: deepest, relu: ratio(relu), sig: ratio(sig), n: s.initSeeds, reluAcc: accOf(relu), sigAcc: accOf(sig), k: s.seeds.length })),
    row(msg('c.w.squash'), 'tanh', 'sigmoid', msg('c.e.squash', { s: fmt(r.bound.sigmoidDerivativeMax.value), d: deepest, tanh: ratio(tanh), sig: ratio(sig), tanhAcc: accOf(tanh), sigAcc: accOf(sig) })),
    row(msg('c.w.output'), msg('c.u.bce'), msg('c.a.quadratic'), msg('c.e.output', { ce: fmt(od.crossEntropy), q: fmt(od.quadratic), k: fmt(od.crossEntropy / od.quadratic) })),
    row(msg('c.w.deepSigmoid'), msg('c.u.nonSat'), msg('c.a.depth'), msg('c.e.deepSigmoid', { arch: `[${n4.arch.join(',')}]`, k: fmt(n4.ratioLastFirst.median), n: r.nielsen.seeds, lo: fmt(n4.ratioLastFirst.lo), hi: fmt(n4.ratioLastFirst.hi), book: fmt(n4.publishedRatio) })),
    row(
      msg('c.w.best', { d: deepest }),
      group.length ? group.join(', ') : msg('c.na'),
      '',
      best
        ? msg('c.e.best', { act: best.activation, acc: pct(best.training!.testAccuracy.median), lr: String(best.training!.chosenLr), rest: group.length > 1 ? msg('c.e.bestSame', { list: group.slice(1), n: s.seeds.length }) : msg('c.e.bestAlone') })
        : msg('c.e.noRun'),
    ),
    row(
      msg('c.w.smoothRelu'),
      msg('c.u.checkRatio'),
      msg('c.a.heFits'),
      msg('c.e.gain', {
        d: s.gain.depth,
        list: borrowed.map((a) => {
          const at = (g: number) => s.gain.runs.find((x) => x.activation === a && x.gain === g);
          return msg('c.e.gainAct', { a, two: fmt(at(2)?.firstToLast.median), more: fmt(at(2.5)?.firstToLast.median) });
        }),
        n: s.gain.seeds,
      }),
    ),
    row(
      msg('c.w.blowUp'),
      !clip ? msg('c.u.clipAny') : c.arms.some((a) => a !== clip && a !== none && a.outcomes.filter((o) => o.trained).length >= clip.outcomes.filter((o) => o.trained).length) ? msg('c.u.clipOrLr', { c: String(clip.clipNorm) }) : msg('c.u.clip', { c: String(clip.clipNorm) }),
      msg('c.a.lr'),
      none && clip
        ? msg('c.e.arms', {
            r: fmt(c.atInit.firstToLast.median),
            blew: none.outcomes.filter((o) => o.nonFinite).length,
            n: none.outcomes.length,
            c: String(clip.clipNorm),
            lo: pct(Math.min(...clip.outcomes.map((o) => o.clippedFraction))),
            hi: pct(Math.max(...clip.outcomes.map((o) => o.clippedFraction))),
            trained: trainedOf(clip),
            others: c.arms.filter((a) => a !== none && a !== clip).map((a) => msg('c.e.armTrained', { label: a.said ?? a.label, k: trainedOf(a) })),
          })
        : msg('c.e.notMeasured'),
    ),
  ];
  if (r.recurrent && r.recurrent.runs.length > 0) {
    const L = Math.max(...r.recurrent.settings.lengths);
    const sum = (cellName: string) => r.recurrent!.findings.summaries.find((x) => x.cell === cellName && x.length === L);
    const txt = (cellName: string): Var => {
      const x = sum(cellName);
      return x ? msg('c.e.solved', { p: pct(x.solved.median), k: x.criterionMet, n: x.seeds }) : msg('c.na');
    };
    rows.push(
      row(
        msg('c.w.recurrent'),
        msg('c.u.gated'),
        msg('c.a.rnn'),
        msg('c.e.recurrent', { T: L, size: r.recurrent.settings.testSize, n: r.recurrent.settings.seeds.length, max: r.recurrent.findings.maxErrors, lstm: txt('lstm'), gru: txt('gru'), rnn: txt('rnn'), base: pct(r.recurrent.baseline.solvedFraction[r.recurrent.settings.lengths.indexOf(L)] ?? NaN) }),
      ),
    );
  }
  return { rows, recommendations: recommendations(r) };
}
