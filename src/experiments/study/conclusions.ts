/**
 * Study stage 7: which activation to use where, each claim backed by a
 * number measured in the earlier stages (never a hard-coded verdict).
 */
import { binaryCrossEntropy, quadratic } from '../../nn/losses.js';
import { msg, phrase } from '../../i18n/catalogue.js';
import type { Msg, Var } from '../../i18n/message.js';
import type { ActDepthRun, ConclusionSection, NonFinite, StudyResults } from './types.js';

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? Number(x.toPrecision(3)).toString() : x.toExponential(2);
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : 'n/a (diverged)';
}

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

type Row = ConclusionSection['rows'][number];

/** A row from its messages: the English strings (results.json's readers) and the messages themselves. */
function row(where: Msg, use: Msg | string, avoid: Msg | string, evidence: Msg): Row {
  const en = (m: Msg | string): string => (typeof m === 'string' ? m : phrase('en', m));
  const m = (x: Msg | string): Msg => (typeof x === 'string' ? msg('term.literal', { s: x }) : x);
  return { where: en(where), use: en(use), avoid: en(avoid), evidence: en(evidence), said: { where, use: m(use), avoid: m(avoid), evidence } };
}

/** Builds the conclusion table from the measured sections. */
export function conclusions(r: Pick<StudyResults, 'bound' | 'nielsen' | 'activationDepth' | 'exploding' | 'recurrent'>): ConclusionSection {
  const runs = r.activationDepth.runs;
  const deepest = Math.max(...r.activationDepth.depths);
  const at = (act: string, depth: number): ActDepthRun | undefined => runs.find((x) => x.activation === act && x.depth === depth);
  const sig = at('sigmoid', deepest);
  const tanh = at('tanh', deepest);
  const relu = at('relu', deepest);
  const best = runs.filter((x) => x.depth === deepest && Number.isFinite(x.testAccuracy)).sort((a, b) => b.testAccuracy - a.testAccuracy)[0];
  const n4 = r.nielsen.networks[r.nielsen.networks.length - 1];
  const od = outputDelta();
  const clip = r.exploding.clipping;
  const f = (x: number | null | undefined): Var => (x === null || x === undefined || !Number.isFinite(x) ? msg('c.na') : fmt(x));
  const p = (x: number): Var => (Number.isFinite(x) ? pct(x) : msg('c.diverged'));
  const nf = (x: NonFinite): Var => x.said ?? x.message;
  const rows: Row[] = [
    row(msg('c.w.hidden'), 'relu', 'sigmoid', msg('c.e.hidden', { d: deepest, relu: f(relu?.firstToLast), sig: f(sig?.firstToLast), steps: r.activationDepth.steps, reluAcc: p(relu?.testAccuracy ?? NaN), sigAcc: p(sig?.testAccuracy ?? NaN) })),
    row(msg('c.w.squash'), 'tanh', 'sigmoid', msg('c.e.squash', { s: f(r.bound.sigmoidDerivativeMax.value), d: deepest, tanh: f(tanh?.firstToLast), sig: f(sig?.firstToLast), tanhAcc: p(tanh?.testAccuracy ?? NaN), sigAcc: p(sig?.testAccuracy ?? NaN) })),
    row(msg('c.w.output'), msg('c.u.bce'), msg('c.a.quadratic'), msg('c.e.output', { ce: f(od.crossEntropy), q: f(od.quadratic), k: f(od.crossEntropy / od.quadratic) })),
    row(msg('c.w.deepSigmoid'), msg('c.u.nonSat'), msg('c.a.depth'), msg('c.e.deepSigmoid', { arch: `[${n4.arch.join(',')}]`, k: f(n4.ratioLastFirst.median), n: r.nielsen.seeds.length, book: f(n4.publishedRatio) })),
    row(msg('c.w.best', { d: deepest }), best ? best.activation : msg('c.na'), '', best ? msg('c.e.best', { acc: p(best.testAccuracy), init: best.init }) : msg('c.e.noRun')),
    row(
      msg('c.w.blowUp'),
      msg('c.u.clip', { c: clip.clipNorm }),
      msg('c.a.lr'),
      clip.without.nonFinite
        ? msg('c.e.clip', { without: nf(clip.without.nonFinite), with: clip.with.nonFinite ? nf(clip.with.nonFinite) : msg('c.e.clipFinite', { n: clip.with.loss.length, loss: f(clip.with.loss[clip.with.loss.length - 1]), k: clip.with.clipEvents }) })
        : msg('c.e.noBlowUp', { a: f(clip.without.loss[clip.without.loss.length - 1]), b: f(clip.with.loss[clip.with.loss.length - 1]) }),
    ),
  ];
  if (r.recurrent && r.recurrent.runs.length > 0) {
    const L = Math.max(...r.recurrent.runs.map((x) => x.length));
    const solved = (cell: string) => r.recurrent!.runs.find((x) => x.cell === cell && x.length === L)?.solvedFraction ?? NaN;
    rows.push(row(msg('c.w.recurrent'), msg('c.u.gated'), msg('c.a.rnn'), msg('c.e.recurrent', { T: L, lstm: p(solved('lstm')), gru: p(solved('gru')), rnn: p(solved('rnn')), base: p(r.recurrent.baseline.solvedFraction[r.recurrent.settings.lengths.indexOf(L)] ?? NaN) })));
  }
  return { rows };
}
