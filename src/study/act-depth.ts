/**
 * Study stage 3: activation × depth. Each activation, with the initialiser
 * usually paired with it, at each depth:
 *   - at initialisation, over many seeds (a probe costs milliseconds): the
 *     per-layer ‖δ‖, the first-to-last ratio, how often each verdict and
 *     finding comes up, and the last hidden layer's input correlation;
 *   - trained: a learning rate picked from a small log-spaced grid by the
 *     validation accuracy on a split carved from the training data (on a
 *     few seeds), then the test accuracy at that rate over every seed.
 * The training runs are described as run configs so the sweep machinery can
 * give them ids, store them as they finish and resume (see lr-sweep.ts);
 * here they are pure functions of the config and the study's split.
 * And the gain of He's initialiser (2/n, derived for ReLU) varied for the
 * smooth ReLU-like activations that borrow it.
 */
import type { Msg } from '../i18n/message.js';
import { splitTrainTest, takeFirst } from '../data/batch.js';
import type { Dataset, Split } from '../data/types.js';
import { matchedInit } from '../diagnostics/matched-init.js';
import { probeNetwork, type ProbeResult } from '../diagnostics/probe.js';
import { getLoss } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import { Rng } from '../tensor/rng.js';
import { evaluate } from '../run/evaluate.js';
import { networkOf } from '../run/derive.js';
import type { ProbeRecord } from '../run/driver.js';
import { parseRun, type RunSpec } from '../run/schema.js';
import { fullBatch } from '../run/source.js';
import { chanceLevel, driveRun, TRAINED_MARGIN } from './train-run.js';
import { paired, scalarStats, seedStats } from '../experiments/stats.js';
import type { ActDepthCell, ActDepthInit, ActDepthSection, ActDepthTraining, CellComparison, CellRun, GainPart } from './types.js';

/** Settings of stage 3. */
export interface ActDepthSettings {
  readonly activations: readonly string[];
  readonly depths: readonly number[];
  readonly width: number;
  readonly steps: number;
  readonly batch: number;
  readonly momentum: number;
  /** The learning-rate grid (log-spaced). */
  readonly lrs: readonly number[];
  /** Seeds that choose the rate, and seeds trained at the chosen rate in all (the first ones are the selection seeds). */
  readonly selectionSeeds: number;
  readonly seeds: number;
  /** Seeds and probe examples of the measurements at initialisation. */
  readonly initSeeds: number;
  readonly probeExamples: number;
  readonly seed: number;
  /** The gain sweep of He's initialiser. */
  readonly gain: { readonly depth: number; readonly activations: readonly string[]; readonly gains: readonly number[]; readonly seeds: number; readonly examples: number };
}

/** The validation split: 20 % of the study's training images, stratified, by the study's seed. */
export function validationSplit(split: Split, seed: number): { train: Dataset; validation: Dataset } {
  const s = splitTrainTest(split.train, 0.2, seed);
  return { train: s.train, validation: s.test };
}

/** The network of a cell. */
function cellSpec(act: string, depth: number, width: number, inputSize = 784, classes = 10): RunSpec {
  return parseRun({ arch: [inputSize, ...Array<number>(depth).fill(width), classes], activation: act, init: matchedInit(act).init, loss: 'cross_entropy', dtype: 'float32' });
}

/** The study seeds of a cell: seed, seed + 1, … */
const seedList = (s: ActDepthSettings, n: number): number[] => Array.from({ length: n }, (_, i) => s.seed + i);

/** Count of each string. */
function tally(xs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

/** A cell at initialisation over `s.initSeeds` seeds, on the first `s.probeExamples` training images. */
export function cellInit(split: Split, act: string, depth: number, s: ActDepthSettings): ActDepthInit {
  const spec = cellSpec(act, depth, s.width, split.train.inputSize, split.train.classes);
  const loss = getLoss(spec.loss);
  const pb = fullBatch(takeFirst(split.train, s.probeExamples), 'float32');
  const probes: ProbeResult[] = seedList(s, s.initSeeds).map((seed) => probeNetwork(networkOf(spec, new Rng(seed)), pb.x, pb.y, pb.B, loss, spec.init as string, { jacobianSamples: 0 }));
  const first = probes[0].verdict;
  return {
    seeds: probes.length,
    initNorms: seedStats(probes.map((p) => p.layers.map((l) => l.biasGradNorm))),
    firstToLast: scalarStats(probes.map((p) => p.firstToLast ?? NaN)),
    verdicts: tally(probes.map((p) => p.verdict.kind)),
    findings: tally(probes.flatMap((p) => [...new Set(p.verdict.findings.map((f) => f.kind))])),
    verdict: { kind: first.kind, cause: first.cause, remedies: first.remedies, ...(first.said ? { said: first.said } : {}) },
    inputCorrelation: scalarStats(probes.map((p) => p.layers[p.layers.length - 2]?.inputCorrelation ?? NaN)),
  };
}

/** Multiplies every weight of `net` by `f` (biases untouched): Var(W) = f²·(the initialiser's). */
function scaleWeights(net: Network, f: number): void {
  for (const wl of net.weightLayers) for (let i = 0; i < wl.weight.length; i++) wl.weight[i] *= f;
}

/** The first-to-last ratio at weight variances g/n_in (he_normal rescaled by √(g/2)) for the activations that borrow He's scale. */
export function gainSweep(split: Split, s: ActDepthSettings): GainPart {
  const g = s.gain;
  const pb = fullBatch(takeFirst(split.train, g.examples), 'float32');
  const runs = g.activations.flatMap((act) =>
    g.gains.map((gain) => {
      const spec = cellSpec(act, g.depth, s.width, split.train.inputSize, split.train.classes);
      const loss = getLoss(spec.loss);
      const probes = seedList(s, g.seeds).map((seed) => {
        const net = networkOf(spec, new Rng(seed));
        scaleWeights(net, Math.sqrt(gain / 2));
        return probeNetwork(net, pb.x, pb.y, pb.B, loss, `normal with variance ${gain}/n_in`, { jacobianSamples: 0 });
      });
      const ratio = probes.map((p) => p.firstToLast ?? NaN);
      return {
        activation: act,
        gain,
        firstToLast: scalarStats(ratio),
        vanishing: probes.filter((p) => p.verdict.findings.some((f) => f.kind === 'vanishing')).length,
        exploding: probes.filter((p) => p.verdict.findings.some((f) => f.kind === 'exploding')).length,
        inputCorrelation: scalarStats(probes.map((p) => p.layers[p.layers.length - 2]?.inputCorrelation ?? NaN)),
      };
    }),
  );
  return { depth: g.depth, seeds: g.seeds, gains: g.gains, runs };
}

/** One training run of the learning-rate sweep. */
export interface LrRunKey {
  readonly activation: string;
  readonly depth: number;
  readonly lr: number;
  readonly seed: number;
}

/** The run description of one training run of a cell (its data setting is the study's split, see `runLrCell`). */
export function lrRunConfig(s: ActDepthSettings, k: LrRunKey): RunSpec {
  return parseRun({
    arch: [784, ...Array<number>(k.depth).fill(s.width), 10],
    activation: k.activation,
    init: matchedInit(k.activation).init,
    loss: 'cross_entropy',
    optimizer: 'momentum',
    lr: k.lr,
    momentum: s.momentum,
    batchSize: s.batch,
    epochs: null,
    maxSteps: s.steps,
    data: 'digits',
    testFraction: 0.2,
    probeSamples: s.probeExamples,
    testAccuracy: false,
    stepsEvery: 0,
    dtype: 'float32',
    seed: k.seed,
  });
}

/** The runs that choose the rates: every cell × rate on the selection seeds. */
export function selectionRuns(s: ActDepthSettings): LrRunKey[] {
  return s.depths.flatMap((depth) => s.activations.flatMap((activation) => s.lrs.flatMap((lr) => seedList(s, s.selectionSeeds).map((seed) => ({ activation, depth, lr, seed })))));
}

/** The remaining seeds of every cell at its chosen rate (`chosen` keyed by `cellKey`). */
export function finalRuns(s: ActDepthSettings, chosen: ReadonlyMap<string, number>): LrRunKey[] {
  return s.depths.flatMap((depth) =>
    s.activations.flatMap((activation) => {
      const lr = chosen.get(cellKey(activation, depth));
      return lr === undefined ? [] : seedList(s, s.seeds).slice(s.selectionSeeds).map((seed) => ({ activation, depth, lr, seed }));
    }),
  );
}

/** The key of a cell in maps. */
export function cellKey(activation: string, depth: number): string {
  return `${activation}@${depth}`;
}

/** The key of a run in maps. */
export function runKey(k: LrRunKey): string {
  return `${k.activation}@${k.depth}@${k.lr}@${k.seed}`;
}

/** One layer's gradient norms at a probe. */
export interface LayerNormsJson {
  readonly index: number;
  readonly units: number;
  readonly activation: string;
  readonly biasGradNorm: number;
  readonly weightGradNorm: number;
}

/** A probe as the sweep store keeps it. */
export interface ProbeSnapshotJson {
  readonly loss: number;
  readonly firstToLast: number | null;
  readonly verdict: string;
  readonly cause: string;
  readonly layers: readonly LayerNormsJson[];
}

/** What one training run of the sweep measured. */
export interface LrRunResult {
  readonly steps: number;
  readonly finalLoss: number;
  readonly validationAccuracy: number;
  readonly testAccuracy: number;
  /** The first non-finite value's message, or null. */
  readonly nonFinite: string | null;
  /** The same as a message of the catalogue (absent when there is none, or in records written before it existed). */
  readonly nonFiniteSaid?: Msg;
  readonly atInit: ProbeSnapshotJson;
  readonly atEnd: ProbeSnapshotJson | null;
}

function snapshot(p: ProbeRecord): ProbeSnapshotJson {
  return {
    loss: p.loss,
    firstToLast: p.firstToLast,
    verdict: p.verdict.kind,
    cause: p.verdict.cause,
    layers: p.layers.map((l) => ({ index: l.index, units: l.units, activation: l.activation, biasGradNorm: l.biasGradNorm, weightGradNorm: l.weightGradNorm })),
  };
}

/**
 * Trains one run of the sweep: the RunSpec `cfg` through the run driver on
 * the study's training split minus the validation split, then accuracy on
 * both held-out sets. The driver is given the study's split, not the run's
 * own data setting, which would split the digits by each run's seed (a
 * different test set per seed).
 */
export function runLrCell(split: Split, studySeed: number, cfg: RunSpec): LrRunResult {
  const { train: tr, validation } = validationSplit(split, studySeed);
  const { outcome: o, net } = driveRun(cfg, { train: tr, test: validation }, { probeSamples: cfg.probeSamples });
  const finite = o.nonFinite === null;
  return {
    steps: o.steps,
    finalLoss: o.finalLoss,
    validationAccuracy: finite ? (o.testAccuracy ?? NaN) : NaN,
    testAccuracy: finite ? evaluate(net, split.test, getLoss(cfg.loss)).accuracy : NaN,
    nonFinite: o.nonFinite ? o.nonFinite.message : null,
    ...(o.nonFinite?.said ? { nonFiniteSaid: o.nonFinite.said } : {}),
    atInit: snapshot(o.atInit),
    atEnd: finite ? snapshot(o.atEnd) : null,
  };
}

/** Accuracy with a run that blew up counted as 0 (it learned nothing usable). */
const acc = (x: number): number => (Number.isFinite(x) ? x : 0);

/** The rate each cell picks: the highest median validation accuracy over the selection seeds (ties: the smaller rate). */
export function chooseRates(s: ActDepthSettings, results: ReadonlyMap<string, LrRunResult>): Map<string, number> {
  const chosen = new Map<string, number>();
  for (const depth of s.depths)
    for (const activation of s.activations) {
      let best = -1;
      let bestLr = s.lrs[0];
      for (const lr of s.lrs) {
        const v = scalarStats(seedList(s, s.selectionSeeds).map((seed) => acc(results.get(runKey({ activation, depth, lr, seed }))?.validationAccuracy ?? NaN))).median;
        if (v > best) {
          best = v;
          bestLr = lr;
        }
      }
      chosen.set(cellKey(activation, depth), bestLr);
    }
  return chosen;
}

/** A cell's training part from the sweep's results. */
function cellTraining(s: ActDepthSettings, activation: string, depth: number, lr: number, results: ReadonlyMap<string, LrRunResult>, chance: number): ActDepthTraining | null {
  const sel = seedList(s, s.selectionSeeds);
  const selection = s.lrs.map((rate) => {
    const rs = sel.map((seed) => results.get(runKey({ activation, depth, lr: rate, seed })));
    return { lr: rate, validation: scalarStats(rs.map((x) => acc(x?.validationAccuracy ?? NaN))), diverged: rs.filter((x) => x?.nonFinite).length };
  });
  const runs: CellRun[] = [];
  for (const seed of seedList(s, s.seeds)) {
    const x = results.get(runKey({ activation, depth, lr, seed }));
    if (!x) continue;
    runs.push({ lr, seed, validationAccuracy: x.validationAccuracy, testAccuracy: x.testAccuracy, finalLoss: x.finalLoss, nonFinite: x.nonFinite, ...(x.nonFiniteSaid ? { nonFiniteSaid: x.nonFiniteSaid } : {}), trained: Number.isFinite(x.testAccuracy) && x.testAccuracy >= chance + TRAINED_MARGIN });
  }
  if (runs.length === 0) return null;
  const first = results.get(runKey({ activation, depth, lr, seed: s.seed }));
  return {
    selection,
    chosenLr: lr,
    runs,
    testAccuracy: scalarStats(runs.map((x) => acc(x.testAccuracy))),
    trainedSeeds: runs.filter((x) => x.trained).length,
    normsInit: first?.atInit.layers.map((l) => l.biasGradNorm) ?? [],
    normsEnd: first?.atEnd?.layers.map((l) => l.biasGradNorm) ?? [],
  };
}

/** Each activation at depth `depth` against the one with the highest median test accuracy, paired by seed. */
function versusBest(cells: readonly ActDepthCell[], depth: number): CellComparison[] {
  const at = cells.filter((c) => c.depth === depth && c.training);
  const best = [...at].sort((a, b) => b.training!.testAccuracy.median - a.training!.testAccuracy.median)[0];
  if (!best) return [];
  const bySeed = (c: ActDepthCell): Map<number, number> => new Map(c.training!.runs.map((r) => [r.seed, acc(r.testAccuracy)]));
  const b = bySeed(best);
  return at
    .filter((c) => c !== best)
    .map((c) => {
      const a = bySeed(c);
      const seeds = [...b.keys()].filter((k) => a.has(k));
      return { depth, a: c.activation, b: best.activation, paired: paired(seeds.map((k) => a.get(k)!), seeds.map((k) => b.get(k)!)) };
    });
}

/** The stage-3 section from the cells at initialisation (depth-major, in `s.activations` order), the sweep's results, the chosen rates and the gain sweep. */
export function actDepthSection(split: Split, s: ActDepthSettings, inits: readonly ActDepthInit[], results: ReadonlyMap<string, LrRunResult>, chosen: ReadonlyMap<string, number>, gain: GainPart): ActDepthSection {
  const chance = chanceLevel(split.test);
  const v = validationSplit(split, s.seed);
  const cells: ActDepthCell[] = [];
  let i = 0;
  for (const depth of s.depths)
    for (const activation of s.activations) {
      const lr = chosen.get(cellKey(activation, depth));
      cells.push({ activation, depth, init: matchedInit(activation).init, atInit: inits[i++], training: lr === undefined ? null : cellTraining(s, activation, depth, lr, results, chance) });
    }
  const deepest = Math.max(...s.depths);
  return {
    activations: s.activations,
    depths: s.depths,
    width: s.width,
    steps: s.steps,
    batch: s.batch,
    optimizer: `momentum ${s.momentum}`,
    loss: 'cross_entropy',
    trainSize: v.train.n,
    validationSize: v.validation.n,
    testSize: split.test.n,
    seed: s.seed,
    lrs: s.lrs,
    selectionSeeds: seedList(s, s.selectionSeeds),
    seeds: seedList(s, s.seeds),
    probeExamples: s.probeExamples,
    initSeeds: s.initSeeds,
    chance,
    margin: TRAINED_MARGIN,
    inits: Object.fromEntries(s.activations.map((a) => [a, matchedInit(a).init])),
    initDerived: Object.fromEntries(s.activations.map((a) => [a, matchedInit(a).derived])),
    cells,
    versusBest: versusBest(cells, deepest),
    gain,
  };
}
