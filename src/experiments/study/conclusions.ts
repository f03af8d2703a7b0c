/**
 * Study stage 7: which activation to use where, each row backed by numbers
 * measured in the earlier stages over seeds, and the project's starting
 * recommendations — ReLU by default, tanh over sigmoid in hidden layers,
 * sigmoid only for a binary output — each judged supported, qualified or
 * not supported by paired comparisons across seeds. "A beats B" is said only
 * when the seeds separate them (every paired difference on one side, for
 * few seeds); otherwise they are indistinguishable at this budget.
 */
import { binaryCrossEntropy, quadratic } from '../../nn/losses.js';
import { fmt, pct } from './text.js';
import { paired } from './stats.js';
import type { ActDepthCell, ConclusionSection, Paired, StudyResults, Support } from './types.js';

type Sections = Pick<StudyResults, 'bound' | 'nielsen' | 'activationDepth' | 'exploding' | 'recurrent'>;



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
function comparison(a: string, b: string, depth: number, p: Paired | null, accA: number, accB: number): string {
  if (!p) return `${a} and ${b} were not both trained at ${depth} hidden layers.`;
  if (!p.separated) return `At ${depth} hidden layers the seeds cannot tell ${a} from ${b} (test accuracy ${pct(accA)} vs ${pct(accB)}, each at its own learning rate; paired over ${p.n} seeds, the difference ranges from ${fmt(100 * p.lo)} to ${fmt(100 * p.hi)} points).`;
  if (p.lo > 0) return `At ${depth} hidden layers ${a} beats ${b} on every one of ${p.n} seeds (test accuracy ${pct(accA)} vs ${pct(accB)}, each at its own learning rate; by ${fmt(100 * p.median)} points, sign test p = ${fmt(p.p)}).`;
  return `At ${depth} hidden layers ${a} loses to ${b} on every one of ${p.n} seeds (test accuracy ${pct(accA)} vs ${pct(accB)}, each at its own learning rate; by ${fmt(-100 * p.median)} points, sign test p = ${fmt(p.p)}).`;
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

/** The project's starting recommendations, each judged by paired comparisons over seeds. */
function recommendations(r: Sections): ConclusionSection['recommendations'] {
  const s = r.activationDepth;
  const cell = (a: string, d: number) => s.cells.find((c) => c.activation === a && c.depth === d);
  const deep = s.depths.filter((d) => d >= 5);
  const out: ConclusionSection['recommendations'][number][] = [];

  // ReLU by default
  const overSig = s.depths.map((d) => ({ d, p: compare(cell('relu', d), cell('sigmoid', d)) }));
  const beaten = s.depths.flatMap((d) => s.versusBest.filter((v) => v.depth === d && v.a === 'relu' && v.paired.separated).map((v) => ({ d, by: v.b, p: v.paired })));
  const reluBest = s.depths.filter((d) => topGroup(r, d).best?.activation === 'relu');
  const allDepthsBeaten = s.depths.flatMap((d) => s.activations.filter((a) => a !== 'relu' && losesTo(compare(cell('relu', d), cell(a, d)))).map((a) => `${a} at ${d}`));
  const beatsSigDeep = deep.length > 0 && deep.every((d) => beats(overSig.find((x) => x.d === d)!.p));
  const status: Support = !beatsSigDeep ? 'not supported' : allDepthsBeaten.length === 0 ? 'supported' : 'qualified';
  const deepest = Math.max(...s.depths);
  const rd = cell('relu', deepest);
  out.push({
    id: 'relu-default',
    recommendation: 'ReLU is the default for hidden layers.',
    status,
    evidence: `${comparison('relu', 'sigmoid', deepest, overSig.find((x) => x.d === deepest)?.p ?? null, rd?.training?.testAccuracy.median ?? NaN, cell('sigmoid', deepest)?.training?.testAccuracy.median ?? NaN)} Of the depths from 5 hidden layers on (${deep.join(', ')}), relu beats sigmoid on every seed at ${deep.filter((d) => beats(overSig.find((x) => x.d === d)!.p)).join(', ') || 'none'}. ${allDepthsBeaten.length ? `It is beaten on every seed by ${allDepthsBeaten.join(', ')} hidden layers${beaten.length ? ` (at ${deepest}: ${beaten.filter((b) => b.d === deepest).map((b) => `${b.by} by ${fmt(-100 * b.p.median)} points`).join(', ') || '—'})` : ''}.` : 'No activation beats it on every seed at any depth.'}${reluBest.length ? ` It has the highest median at ${reluBest.join(', ')} hidden layers.` : ''}`,
  });

  // tanh over sigmoid in hidden layers
  const ts = s.depths.map((d) => ({ d, p: compare(cell('tanh', d), cell('sigmoid', d)) }));
  const tBeats = ts.filter((x) => beats(x.p)).map((x) => x.d);
  const tLoses = ts.filter((x) => losesTo(x.p)).map((x) => x.d);
  out.push({
    id: 'tanh-over-sigmoid',
    recommendation: 'tanh is much better than sigmoid in hidden layers.',
    status: tLoses.length > 0 || tBeats.length === 0 ? 'not supported' : tBeats.length === s.depths.length ? 'supported' : 'qualified',
    evidence: `Of the depths measured (${s.depths.join(', ')} hidden layers), tanh beats sigmoid on every seed at ${tBeats.join(', ') || 'none'}${tBeats.length < s.depths.length ? ` and is indistinguishable${tLoses.length ? ' or worse' : ''} at ${s.depths.filter((d) => !tBeats.includes(d)).join(', ')}` : ''} (at ${deepest}: ${pct(cell('tanh', deepest)?.training?.testAccuracy.median ?? NaN)} vs ${pct(cell('sigmoid', deepest)?.training?.testAccuracy.median ?? NaN)}); tanh' peaks at 1, σ' at ${fmt(r.bound.sigmoidDerivativeMax.value)}.`,
  });

  // sigmoid only for a binary output
  const od = outputDelta();
  const sigLoses = s.depths.filter((d) => s.activations.some((a) => a !== 'sigmoid' && beats(compare(cell(a, d), cell('sigmoid', d)))));
  out.push({
    id: 'sigmoid-binary-output-only',
    recommendation: 'Sigmoid belongs only in a binary output layer.',
    status: sigLoses.length === s.depths.length ? 'supported' : sigLoses.length > 0 ? 'qualified' : 'not supported',
    evidence: `Of the depths measured (${s.depths.join(', ')} hidden layers), some activation beats sigmoid in the hidden layers on every seed at ${sigLoses.join(', ') || 'none'} (sigmoid trains on ${s.depths.map((d) => `${cell('sigmoid', d)?.training?.trainedSeeds ?? 0}/${cell('sigmoid', d)?.training?.runs.length ?? 0} seeds at ${d}`).join(', ')}). At a binary output, with cross-entropy, a confidently wrong unit (z = −5, y = 1) gets δᴸ = a − y = ${fmt(od.crossEntropy)} — the quadratic cost would give ${fmt(od.quadratic)}, ${fmt(od.crossEntropy / od.quadratic)}× smaller; this is a closed form, not a comparison over seeds.`,
  });
  return out;
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
  const trainedOf = (a: typeof none) => (a ? `${a.outcomes.filter((o) => o.trained).length}/${a.outcomes.length}` : 'n/a');
  const ratio = (x: ActDepthCell | undefined) => (x ? `${fmt(x.atInit.firstToLast.median)} [${fmt(x.atInit.firstToLast.lo)}–${fmt(x.atInit.firstToLast.hi)}]` : 'n/a');
  const borrowed = [...new Set(s.gain.runs.map((x) => x.activation))];
  const rows: ConclusionSection['rows'][number][] = [
    {
      where: 'hidden layers (default)',
      use: 'relu, or any activation in the top group below',
      avoid: 'sigmoid',
      evidence: `At ${deepest} hidden layers the first-to-last gradient ratio at initialisation is ${ratio(relu)} for relu vs ${ratio(sig)} for sigmoid (median [5–95 %] over ${s.initSeeds} seeds); test accuracy at each cell's own learning rate ${pct(relu?.training?.testAccuracy.median ?? NaN)} vs ${pct(sig?.training?.testAccuracy.median ?? NaN)} (median of ${s.seeds.length} seeds).`,
    },
    {
      where: 'hidden layers, if a squashing function is needed',
      use: 'tanh',
      avoid: 'sigmoid',
      evidence: `tanh' peaks at 1, σ' at ${fmt(r.bound.sigmoidDerivativeMax.value)}; at ${deepest} hidden layers the ratio is ${ratio(tanh)} for tanh vs ${ratio(sig)} for sigmoid, test accuracy ${pct(tanh?.training?.testAccuracy.median ?? NaN)} vs ${pct(sig?.training?.testAccuracy.median ?? NaN)}.`,
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
      evidence: `In Nielsen's [${n4.arch.join(',')}] the last hidden layer learns ${fmt(n4.ratioLastFirst.median)}× faster than the first (median over ${r.nielsen.seeds} seeds, 5–95 % band ${fmt(n4.ratioLastFirst.lo)}–${fmt(n4.ratioLastFirst.hi)}; the book's single draw: ${fmt(n4.publishedRatio)}).`,
    },
    {
      where: `best measured at ${deepest} hidden layers`,
      use: group.length ? group.join(', ') : 'n/a',
      avoid: '',
      evidence: best
        ? `Highest median test accuracy: ${best.activation} (${pct(best.training!.testAccuracy.median)}, η = ${best.training!.chosenLr}); ${group.length > 1 ? `the seeds cannot tell ${group.slice(1).join(', ')} from it (paired over ${s.seeds.length} seeds: some seed goes the other way)` : 'every other activation loses to it on every seed'}.`
        : 'No run finished.',
    },
    {
      where: 'deep nets of smooth ReLU-like units',
      use: 'check the first-to-last ratio at the initialiser you use',
      avoid: "assuming He's 2/n fits them",
      evidence: `He's Var(W) = 2/n_in was derived for ReLU; at ${s.gain.depth} hidden layers ${borrowed.map((a) => {
        const row = (g: number) => s.gain.runs.find((x) => x.activation === a && x.gain === g);
        return `${a} ${fmt(row(2)?.firstToLast.median)} at 2/n vs ${fmt(row(2.5)?.firstToLast.median)} at 2.5/n`;
      }).join(', ')} (median first-to-last ratio over ${s.gain.seeds} seeds).`,
    },
    {
      where: 'training that blows up',
      use: !clip ? 'gradient clipping' : c.arms.some((a) => a !== clip && a !== none && a.outcomes.filter((o) => o.trained).length >= clip.outcomes.filter((o) => o.trained).length) ? `gradient clipping by global norm (c = ${clip.clipNorm}), or a smaller learning rate` : `gradient clipping by global norm (c = ${clip.clipNorm})`,
      avoid: 'an unclipped large learning rate',
      evidence: none && clip
        ? `On a net whose gradient grows ${fmt(c.atInit.firstToLast.median)}× toward the input: without a remedy ${none.outcomes.filter((o) => o.nonFinite).length}/${none.outcomes.length} seeds overflow; clipped at ${clip.clipNorm} (on ${pct(Math.min(...clip.outcomes.map((o) => o.clippedFraction)))}–${pct(Math.max(...clip.outcomes.map((o) => o.clippedFraction)))} of the steps) it trains on ${trainedOf(clip)} seeds; ${c.arms.filter((a) => a !== none && a !== clip).map((a) => `${a.label}: trained on ${trainedOf(a)}`).join('; ')}.`
        : 'Not measured.',
    },
  ];
  if (r.recurrent && r.recurrent.runs.length > 0) {
    const L = Math.max(...r.recurrent.settings.lengths);
    const sum = (cellName: string) => r.recurrent!.findings.summaries.find((x) => x.cell === cellName && x.length === L);
    const txt = (cellName: string) => {
      const x = sum(cellName);
      return x ? `${pct(x.solved.median)} (criterion met on ${x.criterionMet}/${x.seeds} seeds)` : 'n/a';
    };
    rows.push({
      where: 'recurrent nets over long lags',
      use: 'lstm or gru',
      avoid: 'a plain tanh RNN',
      evidence: `Adding problem at T = ${L}, median solved fraction of ${r.recurrent.settings.testSize} test sequences over ${r.recurrent.settings.seeds.length} seeds, with Hochreiter & Schmidhuber's criterion (at most ${r.recurrent.findings.maxErrors} wrong): LSTM ${txt('lstm')}, GRU ${txt('gru')}, plain RNN ${txt('rnn')}; always answering 0.5 solves ${pct(r.recurrent.baseline.solvedFraction[r.recurrent.settings.lengths.indexOf(L)] ?? NaN)}.`,
    });
  }
  return { rows, recommendations: recommendations(r) };
}
