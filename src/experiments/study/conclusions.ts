/**
 * Study stage 7: which activation to use where, each claim backed by a
 * number measured in the earlier stages (never a hard-coded verdict).
 */
import { binaryCrossEntropy, quadratic } from '../../nn/losses.js';
import type { ActDepthRun, ConclusionSection, StudyResults } from './types.js';

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
  const rows: ConclusionSection['rows'][number][] = [
    {
      where: 'hidden layers (default)',
      use: 'relu',
      avoid: 'sigmoid',
      evidence: `At ${deepest} hidden layers the first-to-last gradient ratio at initialisation is ${fmt(relu?.firstToLast)} for relu vs ${fmt(sig?.firstToLast)} for sigmoid; test accuracy after ${r.activationDepth.steps} steps ${pct(relu?.testAccuracy ?? NaN)} vs ${pct(sig?.testAccuracy ?? NaN)}.`,
    },
    {
      where: 'hidden layers, if a squashing function is needed',
      use: 'tanh',
      avoid: 'sigmoid',
      evidence: `tanh' peaks at 1, σ' at ${fmt(r.bound.sigmoidDerivativeMax.value)} (measured); at ${deepest} hidden layers the ratio is ${fmt(tanh?.firstToLast)} for tanh vs ${fmt(sig?.firstToLast)} for sigmoid, accuracy ${pct(tanh?.testAccuracy ?? NaN)} vs ${pct(sig?.testAccuracy ?? NaN)}.`,
    },
    {
      where: 'binary output layer',
      use: 'sigmoid with binary cross-entropy',
      avoid: 'sigmoid with the quadratic cost',
      evidence: `For a confidently wrong output (z = −5, y = 1) cross-entropy gives δᴸ = a − y = ${fmt(od.crossEntropy)}; the quadratic cost multiplies by σ'(z) and gives ${fmt(od.quadratic)} — ${fmt(od.crossEntropy / od.quadratic)}× slower learning.`,
    },
    {
      where: 'deep sigmoid networks',
      use: 'a non-saturating activation, or the remedies of stage 5',
      avoid: 'plain depth',
      evidence: `In Nielsen's [${n4.arch.join(',')}] the last hidden layer learns ${fmt(n4.ratioLastFirst.median)}× faster than the first (median over ${r.nielsen.seeds.length} seeds; the book: ${fmt(n4.publishedRatio)}).`,
    },
    {
      where: `best measured at ${deepest} hidden layers`,
      use: best ? best.activation : 'n/a',
      avoid: '',
      evidence: best ? `Highest test accuracy among the activations tried: ${pct(best.testAccuracy)} (${best.init} initialisation).` : 'No run finished.',
    },
    {
      where: 'training that blows up',
      use: `gradient clipping by global norm (c = ${clip.clipNorm})`,
      avoid: 'an unclipped large learning rate',
      evidence: clip.without.nonFinite
        ? `Without clipping: ${clip.without.nonFinite.message}. With clipping: ${clip.with.nonFinite ? clip.with.nonFinite.message : `finite for all ${clip.with.loss.length} steps, final loss ${fmt(clip.with.loss[clip.with.loss.length - 1])}, ${clip.with.clipEvents} steps clipped`}.`
        : `The unclipped run stayed finite (final loss ${fmt(clip.without.loss[clip.without.loss.length - 1])}); clipped: final loss ${fmt(clip.with.loss[clip.with.loss.length - 1])}.`,
    },
  ];
  if (r.recurrent && r.recurrent.runs.length > 0) {
    const L = Math.max(...r.recurrent.runs.map((x) => x.length));
    const solved = (cell: string) => r.recurrent!.runs.find((x) => x.cell === cell && x.length === L)?.solvedFraction ?? NaN;
    rows.push({
      where: 'recurrent nets over long lags',
      use: 'lstm or gru',
      avoid: 'a plain tanh RNN',
      evidence: `Adding problem at T = ${L}: solved ${pct(solved('lstm'))} (LSTM), ${pct(solved('gru'))} (GRU), ${pct(solved('rnn'))} (plain RNN; always answering 0.5 solves ${pct(r.recurrent.baseline.solvedFraction[r.recurrent.settings.lengths.indexOf(L)] ?? NaN)}).`,
    });
  }
  return { rows };
}
