/**
 * One training run of `gradscope train` written to a run directory
 * (Node-side: it reads data files and writes files). The run itself is the
 * driver's (src/run/driver.ts); this module loads its data and records it:
 *
 *   config.json    the resolved run spec (written before training starts)
 *   metrics.jsonl  one line per probe: the diagnostics of every layer on a fixed probe batch
 *   steps.jsonl    cheap per-step numbers of the training batches
 *   summary.json   written atomically at the end (also after Ctrl-C or a blow-up)
 *   model.json     the trained network, gradscope-model/2
 *
 * Every line is appended whole (jsonl.ts): a failed write (a full disk) is
 * cut back, and a line torn by kill -9 is cut off when the file is reopened.
 * Training runs in chunks with a yield to the
 * event loop between them, so a signal handler can stop it mid-run; the
 * chunk boundaries do not change the results.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseDatasetSpec } from '../data/catalog.js';
import { loadDataset, loadIdxSplit } from '../data/node.js';
import type { Verdict } from '../diagnostics/verdict.js';
import { fail, InputError, phrase, saying, ValueError } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import { modelToJson } from '../nn/model-file.js';
import type { NonFiniteFinding } from '../nn/nonfinite.js';
import type { PretrainLayerResult } from '../nn/pretrain.js';
import { fitProblem, runData, type RunData } from '../run/derive.js';
import { Run, type ProbeLayer, type ProbeRecord, type StopReason } from '../run/driver.js';
import type { RunSpec } from '../run/schema.js';
import type { Network } from '../nn/network.js';
import { jsonSafe, makeDirs, writeFileAtomic } from './files.js';
import { JsonLinesFile } from './jsonl.js';

export type { RunData };

/** The files a run directory holds. */
export const RUN_FILES = ['config.json', 'metrics.jsonl', 'steps.jsonl', 'summary.json', 'model.json'] as const;

/** What the run reports while it trains (for progress bars). */
export interface RunProgress {
  /** Updates done. */
  readonly step: number;
  /** Planned number of steps. */
  readonly totalSteps: number;
  readonly epoch: number;
  /** Loss of the last training batch (of the probe batch before the first step). */
  readonly loss: number;
  /** First-to-last ratio of the latest probe. */
  readonly firstToLast: number | null;
  readonly seconds: number;
  /** True for the one event after the run finished (its final probe and loss included). */
  readonly final: boolean;
}

/** Options and callbacks of `runTraining`. */
export interface RunHooks {
  /** Data already loaded by `loadRunData` (loaded from the spec otherwise). */
  readonly data?: RunData;
  /** The config file's name, for error messages. */
  readonly configFile?: string;
  /** Checked before every step: true stops the run after the current step (Ctrl-C). */
  readonly shouldStop?: () => boolean;
  /** Called after every chunk of steps. */
  readonly onProgress?: (p: RunProgress) => void;
  /** The network to train instead of building `spec.arch` (a config's "model" file, loaded by the caller). */
  readonly network?: Network;
  /** Milliseconds, for timing (default performance.now). */
  readonly clock?: () => number;
}

/** One layer's gradient norms in a summary. */
export interface LayerNorms {
  readonly index: number;
  readonly units: number;
  readonly activation: string;
  readonly biasGradNorm: number;
  readonly weightGradNorm: number;
}

/** The network's state at one probe, as summary.json records it. */
export interface Snapshot {
  readonly step: number;
  /** Probe-batch loss. */
  readonly loss: number;
  readonly layers: readonly LayerNorms[];
  readonly firstToLast: number | null;
  readonly verdict: Verdict;
}

/** The document summary.json holds (and `train --json` prints). */
export interface RunSummary {
  readonly format: 'gradscope-run/1';
  readonly runDir: string;
  /** Short hash of the resolved spec. */
  readonly configHash: string;
  readonly arch: readonly number[];
  readonly dataset: { readonly name: string; readonly train: number; readonly test: number };
  readonly steps: number;
  readonly totalSteps: number;
  /** Epochs completed (fractional). */
  readonly epochs: number;
  readonly stopReason: StopReason;
  /** Loss of the last training batch whose loss was finite. */
  readonly finalLoss: number;
  /** Loss of the probe batch at the final weights. */
  readonly finalProbeLoss: number;
  readonly trainAccuracy: number | null;
  readonly testAccuracy: number | null;
  readonly nonFinite: NonFiniteFinding | null;
  /** Steps on which clipping changed the gradient (by norm and/or by value). */
  readonly clipEvents: number;
  /** The same split by kind, and the weight rows the max-norm constraint rescaled. */
  readonly clipNormEvents: number;
  readonly clipValueEvents: number;
  readonly maxNormRows: number;
  /** Greedy pre-training per hidden layer, before step 0 (absent without pre-training). */
  readonly pretrain?: readonly PretrainLayerResult[];
  readonly wallSeconds: number;
  readonly stepsPerSecond: number;
  readonly probeEvery: number;
  readonly stepsEvery: number;
  readonly atInit: Snapshot;
  readonly atEnd: Snapshot;
  /** model.json, or null when the weights are not finite. */
  readonly model: string | null;
}

/** A short hash of a resolved spec, for run directory names. */
export function configHash(spec: RunSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 8);
}

/**
 * Loads a spec's data: the official train/t10k split for mnist:DIR, else a
 * seeded stratified split; checks the widths against the architecture.
 * Throws an InputError "source: setting: problem" (source: the config file).
 */
export function loadRunData(spec: RunSpec, source = 'config'): RunData {
  try {
    return readRunData(spec);
  } catch (e) {
    // the parts stay with the sentence, so it can be said in the reader's language
    if (e instanceof InputError) throw e.issue ? new InputError(`${source}: ${phrase(e.issue)}`, e.issue, [source, e.issue.field]) : e.within(source, 'data');
    if (e instanceof ValueError) fail(e.at('data'), source);
    throw e;
  }
}

/** `loadRunData` without a source: its InputErrors carry an issue, or a data loader's own sentence. */
function readRunData(spec: RunSpec): RunData {
  const ds = parseDatasetSpec(spec.data);
  const synthetic = ds.kind === 'synthetic';
  const split = ds.kind === 'mnist' ? loadIdxSplit(ds.dir) : null;
  // synthetic sets draw `samples` examples; digits and mnist keep the first `samples`
  const all = split ? split.train : loadDataset(spec.data, { seed: spec.seed, noise: spec.noise ?? undefined, classes: spec.classes ?? undefined, n: synthetic ? spec.samples ?? undefined : undefined });
  if (!synthetic && spec.samples !== null && spec.samples > all.n) fail({ field: 'samples', value: spec.samples, ...saying(msg(split ? 'err.data.samplesHasTraining' : 'err.data.samplesHas', { data: spec.data, n: String(all.n) })) });
  const fit = fitProblem(spec.arch, all);
  if (fit !== null) fail({ field: 'arch', value: spec.arch.join('-'), ...fit, quoted: true });
  const data = runData(spec, all, split ? split.test : null, synthetic);
  if (data.train.n === 0) fail({ field: 'testFraction', value: spec.testFraction, ...saying(msg('err.data.noTraining')) });
  if (spec.norm === 'batch' && data.train.n < 2) fail({ field: 'samples', value: spec.samples ?? all.n, ...saying(msg('err.data.batchNormSplit', { n: String(data.train.n) })) });
  return data;
}

/** Yields to the event loop (lets signal handlers run). */
function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One metrics.jsonl layer entry. */
function layerLine(l: ProbeLayer): Record<string, number | null> {
  const out: Record<string, number | null> = {
    index: l.index,
    biasGradNorm: l.biasGradNorm,
    weightGradNorm: l.weightGradNorm,
    deltaNormPerExample: l.deltaNormPerExample,
    updateRatio: l.updateRatio,
    meanAbsDerivative: l.meanAbsDerivative,
    saturatedFraction: l.saturatedFraction,
    deadFraction: l.deadFraction,
    activationMean: l.activationMean,
    activationStd: l.activationStd,
  };
  if (l.jacobianMaxSingular !== null) out.jacobianMaxSingular = l.jacobianMaxSingular;
  if (l.jacobianMeanSingular !== null) out.jacobianMeanSingular = l.jacobianMeanSingular;
  return out;
}

/** A probe as a metrics.jsonl line. */
function metricsLine(p: ProbeRecord, seconds: number): Record<string, unknown> {
  return {
    step: p.step,
    epoch: p.epoch,
    loss: p.loss,
    gradNorm: p.gradNorm,
    trainLoss: p.trainLoss,
    lr: p.lr,
    clipped: p.clipped,
    clipEvents: p.clipEvents,
    maxNormRows: p.maxNormRows,
    layers: p.layers.map(layerLine),
    firstToLast: p.firstToLast,
    verdict: { kind: p.verdict.kind },
    ...(p.testAccuracy !== null ? { testAccuracy: p.testAccuracy } : {}),
    ...(p.trainAccuracy !== null ? { trainAccuracy: p.trainAccuracy } : {}),
    seconds,
  };
}

/** A probe as summary.json records it. */
function snapshotOf(p: ProbeRecord): Snapshot {
  return {
    step: p.step,
    loss: p.loss,
    layers: p.layers.map((l) => ({ index: l.index, units: l.units, activation: l.activation, biasGradNorm: l.biasGradNorm, weightGradNorm: l.weightGradNorm })),
    firstToLast: p.firstToLast,
    verdict: p.verdict,
  };
}

/**
 * Trains the run of `spec` and writes the run directory `outDir` (created if
 * needed; the CLI checks first that it is empty and writable). Resolves to
 * the summary, also when the run was stopped or blew up (`stopReason`
 * 'stopped' / 'non_finite').
 */
export async function runTraining(spec: RunSpec, outDir: string, hooks: RunHooks = {}): Promise<RunSummary> {
  const clock = hooks.clock ?? (() => performance.now());
  const t0 = clock();
  const seconds = (): number => (clock() - t0) / 1000;
  // a run that starts from a model file gets the network from its caller (gradscope train reads the file)
  if (spec.model !== null && !hooks.network) fail({ field: 'model', value: spec.model, expected: 'is read by gradscope train; a sweep builds its networks from the settings, so train a model file with train' }, hooks.configFile ?? 'config');
  const data = hooks.data ?? loadRunData(spec, hooks.configFile);

  makeDirs(outDir);
  writeFileAtomic(join(outDir, 'config.json'), `${JSON.stringify(spec, null, 2)}\n`);
  const metrics = JsonLinesFile.open(join(outDir, 'metrics.jsonl')).lines;
  let stepsFile: JsonLinesFile | null = null;
  const run = new Run(spec, data, {
    ...(hooks.network ? { net: hooks.network } : {}),
    sink: {
      probe: (p) => metrics.append(metricsLine(p, seconds())),
      step: (r) => stepsFile?.append({ step: r.step, epoch: r.epoch, loss: r.loss, gradNorm: r.gradNorm, lr: r.lr, clipped: r.clipped, ...(spec.clipValue !== null ? { clippedValues: r.clippedValues } : {}), biasGradNorms: Array.from(r.biasGradNorms) }),
    },
  });
  if (run.stepsEvery > 0) stepsFile = JsonLinesFile.open(join(outDir, 'steps.jsonl')).lines;
  let lastLoss = NaN;
  const report = (final = false): void =>
    hooks.onProgress?.({ step: run.step, totalSteps: run.totalSteps, epoch: Math.floor(run.step / run.perEpoch), loss: Number.isNaN(lastLoss) ? run.lastProbe?.loss ?? NaN : lastLoss, firstToLast: run.lastProbe?.firstToLast ?? null, seconds: seconds(), final });

  let outcome;
  try {
    run.start(hooks.shouldStop);
    report();
    let chunk = 16;
    while (!run.finished) {
      const c0 = clock();
      run.advance(chunk, hooks.shouldStop);
      lastLoss = run.lastLoss;
      report();
      // aim at ~50 ms between yields to the event loop
      chunk = Math.max(1, Math.min(100000, Math.round((chunk * 50) / Math.max(clock() - c0, 1))));
      await tick();
    }
    outcome = run.finish();
  } finally {
    metrics.close();
    stepsFile?.close();
  }
  lastLoss = outcome.finalLoss;
  report(true);

  let model: string | null = null;
  if (outcome.trainAccuracy !== null) {
    try {
      const text = JSON.stringify(modelToJson(run.net));
      writeFileAtomic(join(outDir, 'model.json'), `${text}\n`);
      model = 'model.json';
    } catch (e) {
      // an imported layer with no model-file entry (a recurrent layer of an ONNX or tfjs model): no model.json
      if (!(e instanceof RangeError)) throw e;
    }
  }
  const wall = seconds();
  const summary: RunSummary = {
    format: 'gradscope-run/1',
    runDir: outDir,
    configHash: configHash(spec),
    arch: spec.arch,
    dataset: { name: spec.data, train: data.train.n, test: data.test ? data.test.n : 0 },
    steps: outcome.steps,
    totalSteps: outcome.totalSteps,
    epochs: outcome.epochs,
    stopReason: outcome.stopReason,
    finalLoss: outcome.finalLoss,
    finalProbeLoss: outcome.atEnd.loss,
    trainAccuracy: outcome.trainAccuracy,
    testAccuracy: outcome.testAccuracy,
    nonFinite: outcome.nonFinite,
    clipEvents: outcome.clipEvents,
    clipNormEvents: outcome.clipNormEvents,
    clipValueEvents: outcome.clipValueEvents,
    maxNormRows: outcome.maxNormRows,
    ...(outcome.pretrain ? { pretrain: outcome.pretrain } : {}),
    wallSeconds: wall,
    stepsPerSecond: wall > 0 ? outcome.steps / wall : 0,
    probeEvery: run.probeEvery,
    stepsEvery: run.stepsEvery,
    atInit: snapshotOf(outcome.atInit),
    atEnd: snapshotOf(outcome.atEnd),
    model,
  };
  writeFileAtomic(join(outDir, 'summary.json'), `${JSON.stringify(summary, jsonSafe, 2)}\n`);
  return summary;
}
