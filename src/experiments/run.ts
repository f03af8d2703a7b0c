/**
 * One training run of `gradscope train` (Node-side: it writes files): loads
 * the data, builds the network, trains it with the engine's `train()` and
 * records what the gradients do into a run directory:
 *
 *   config.json    the resolved config (written before training starts)
 *   metrics.jsonl  one line per probe: diagnostics of SPEC §5 on a fixed probe batch
 *   steps.jsonl    cheap per-step numbers of the training batches
 *   summary.json   written atomically at the end (also after Ctrl-C or a blow-up)
 *   model.json     the trained network, gradscope-model/1
 *
 * Step numbers count updates: a metrics line of step s describes the weights
 * after s updates (s = 0: at initialisation); a steps line of step k describes
 * the gradient at those weights on training batch k, before update k + 1.
 * Every line is appended with one write of a complete line, so a killed run
 * leaves only complete lines.
 *
 * Training runs in chunks of `train()` calls with a yield to the event loop
 * between them, so a SIGINT handler can set the stop flag mid-run. The data
 * order comes from this module's own shuffler and `train()` draws nothing
 * else between steps, so the chunk boundaries do not change the results.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fillBatch, splitTrainTest, takeFirst } from '../data/batch.js';
import { parseDatasetSpec } from '../data/catalog.js';
import { loadDataset, loadIdxSplit } from '../data/node.js';
import type { Dataset } from '../data/types.js';
import { updateRatios, type LayerDiagnostics } from '../diagnostics/layer-stats.js';
import { probeNetwork } from '../diagnostics/probe.js';
import type { Verdict } from '../diagnostics/verdict.js';
import { globalGradNorm } from '../nn/clip.js';
import { getLoss } from '../nn/losses.js';
import { InputError, modelToJson } from '../nn/model-file.js';
import type { Network } from '../nn/network.js';
import { findNonFinite, type NonFiniteFinding } from '../nn/nonfinite.js';
import { Optimizer } from '../nn/optim.js';
import { pretrainGreedy, type PretrainLayerResult } from '../nn/pretrain.js';
import { train, type BatchSource, type StepInfo, type StopReason } from '../nn/train.js';
import type { Buf } from '../tensor/dtype.js';
import { allFinite, norm2 } from '../tensor/reduce.js';
import { Rng } from '../tensor/rng.js';
import { evaluate } from './evaluate.js';
import { buildNet, checkFit, type NetSpec } from './netspec.js';
import { engineOptimizer, learningRate, type RunConfig } from './run-config.js';
import { EpochSource, fullBatch } from './source.js';
import { jsonSafe, writeFileAtomic } from './files.js';

/** The files a run directory holds. */
export const RUN_FILES = ['config.json', 'metrics.jsonl', 'steps.jsonl', 'summary.json', 'model.json'] as const;

/** The training and (possibly empty) test sets of a run. */
export interface RunData {
  readonly train: Dataset;
  readonly test: Dataset | null;
}

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
}

/** Options and callbacks of `runTraining`. */
export interface RunHooks {
  /** Data already loaded by `loadRunData` (loaded from the config otherwise). */
  readonly data?: RunData;
  /** The config file's name, for error messages. */
  readonly configFile?: string;
  /** Checked before every step: true stops the run after the current step (Ctrl-C). */
  readonly shouldStop?: () => boolean;
  /** Called after every chunk of steps and every probe. */
  readonly onProgress?: (p: RunProgress) => void;
  /** Milliseconds, for timing (default performance.now). */
  readonly clock?: () => number;
  /** The network to train instead of building `cfg.arch` (the config's `model` file, loaded by the caller). */
  readonly network?: Network;
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
  /** Short hash of the resolved config. */
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
  readonly clipNormEvents?: number;
  readonly clipValueEvents?: number;
  readonly maxNormRows?: number;
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
  /** Why model.json was not written although the weights are finite (a layer gradscope-model/1 cannot hold). */
  readonly modelSkipped?: string;
}

/** A short hash of a resolved config, for run directory names. */
export function configHash(cfg: RunConfig): string {
  return createHash('sha256').update(JSON.stringify(cfg)).digest('hex').slice(0, 8);
}

/** The NetSpec of a run config. */
export function netSpecOf(cfg: RunConfig): NetSpec {
  return {
    arch: cfg.arch,
    act: cfg.activation,
    actParams: cfg.activationParams,
    outAct: cfg.outputActivation,
    init: cfg.init,
    loss: cfg.loss,
    dtype: cfg.dtype,
    dropout: cfg.dropout,
    norm: cfg.norm,
    residual: cfg.residual,
    biasInit: cfg.biasInit,
  };
}

/**
 * Loads a config's data: the official train/t10k split for mnist:DIR, else a
 * seeded stratified split; checks the widths against the architecture.
 * Throws an InputError naming `file` and the field.
 */
export function loadRunData(cfg: RunConfig, file = 'config'): RunData {
  const d = cfg.data;
  let data: RunData;
  let whole: Dataset; // before the split, for error messages
  try {
    const spec = parseDatasetSpec(d.name);
    const synthetic = spec.kind === 'synthetic';
    const split = spec.kind === 'mnist' ? loadIdxSplit(spec.dir) : null;
    // synthetic sets draw `samples` examples; digits and mnist keep the first `samples`
    const all = split ? split.train : loadDataset(d.name, { seed: cfg.seed, noise: d.noise ?? undefined, classes: d.classes ?? undefined, n: synthetic ? d.samples ?? undefined : undefined });
    if (!synthetic && d.samples !== null && d.samples > all.n) {
      throw new InputError(`${file}: data.samples: '${d.name}' has ${all.n} ${split ? 'training ' : ''}examples; got ${d.samples}`);
    }
    whole = !synthetic && d.samples !== null ? takeFirst(all, d.samples) : all;
    if (split) data = { train: whole, test: split.test };
    else data = d.testFraction > 0 ? splitTrainTest(whole, d.testFraction, cfg.seed) : { train: whole, test: null };
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: data: ${(e as Error).message}`);
  }
  if (data.train.n === 0) throw new InputError(`${file}: data: no training examples are left after the split; got ${data.train.n}`);
  try {
    checkFit(netSpecOf(cfg), whole);
  } catch (e) {
    throw new InputError(`${file}: arch: ${(e as Error).message.replace(/^--arch /, '')}`);
  }
  return { train: data.train, test: data.test !== null && data.test.n > 0 ? data.test : null };
}


/** A JSON-lines file: each line is appended with one write of the complete line. */
class JsonLines {
  private fd: number | null;
  /** Opens `file` for appending. */
  constructor(file: string) {
    this.fd = openSync(file, 'a');
  }
  /** Appends one document as one line. */
  write(doc: unknown): void {
    if (this.fd !== null) appendFileSync(this.fd, `${JSON.stringify(doc, jsonSafe)}\n`);
  }
  /** Closes the file. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Yields to the event loop (lets signal handlers run). */
function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One metrics.jsonl layer entry. */
function layerLine(l: LayerDiagnostics, updateRatio: number): Record<string, number | null> {
  const out: Record<string, number | null> = {
    index: l.index,
    biasGradNorm: l.biasGradNorm,
    weightGradNorm: l.weightGradNorm,
    deltaNormPerExample: l.deltaNormPerExample,
    updateRatio,
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

/** probeNetwork dates a non-finite finding at step 0; give it the run's step. */
function atStep(v: Verdict, step: number): Verdict {
  if (!v.nonFinite || step === 0) return v;
  const fix = (t: string): string => t.replace(/step 0:/, `step ${step}:`);
  return { ...v, cause: fix(v.cause), nonFinite: { ...v.nonFinite, step, message: fix(v.nonFinite.message) } };
}

function allParamsFinite(net: Network): boolean {
  return net.params().every((p) => allFinite(p.value));
}

/**
 * Trains the network of `cfg` and writes the run directory `outDir` (created
 * if needed; the CLI checks first that it is empty and writable). Resolves to
 * the summary, also when the run was stopped or blew up (`stopReason`
 * 'stopped' / 'non_finite').
 */
export async function runTraining(cfg: RunConfig, outDir: string, hooks: RunHooks = {}): Promise<RunSummary> {
  const clock = hooks.clock ?? (() => performance.now());
  const t0 = clock();
  const seconds = (): number => (clock() - t0) / 1000;
  const data = hooks.data ?? loadRunData(cfg, hooks.configFile);
  const ds = data.train;

  // independent streams: weights, data order, training-mode draws (dropout, rrelu)
  const master = new Rng(cfg.seed);
  const netRng = master.fork();
  const orderRng = master.fork();
  const passRng = master.fork();
  const pretrainRng = master.fork();
  const net = hooks.network ?? buildNet(netSpecOf(cfg), netRng);
  const loss = getLoss(cfg.loss);
  const o = cfg.optimizer;
  const optimizer = new Optimizer(net.params(), {
    name: engineOptimizer(o),
    momentum: o.momentum,
    beta1: o.beta1,
    beta2: o.beta2,
    eps: o.eps,
    l2: o.l2,
    l1: o.l1,
    n: ds.n,
    weightDecay: o.weightDecay,
    maxNorm: cfg.maxNorm ?? undefined,
  });

  const B = Math.min(cfg.batchSize, ds.n);
  const perEpoch = Math.floor(ds.n / B);
  const total = Math.min(cfg.maxSteps ?? Infinity, cfg.epochs === null ? Infinity : cfg.epochs * perEpoch);
  // 'auto': about 50 probes, but at most half the training's cost. A probe is a forward and
  // backward pass over the probe batch (3 units per example) and a forward pass over the
  // test set (1 unit); a step costs 3 units per batch example.
  const testN = cfg.probe.testAccuracy && data.test ? data.test.n : 0;
  const probeCost = (3 * Math.min(cfg.probe.samples, ds.n) + testN) / (3 * B);
  const probeEvery = cfg.probe.every === 'auto' ? Math.max(1, Math.ceil(total / 50), Math.ceil(2 * probeCost)) : cfg.probe.every;
  const stepsEvery = cfg.stepsEvery === 'auto' ? (total <= 5000 ? 1 : Math.ceil(total / 5000)) : cfg.stepsEvery;
  const lrAt = (step: number): number => learningRate(o.lr, cfg.lrSchedule, step, total);
  const initName = typeof cfg.init === 'string' ? cfg.init : cfg.init.join(',');
  const probeSet = takeFirst(ds, Math.min(cfg.probe.samples, ds.n));
  const pb = fullBatch(probeSet, cfg.dtype);

  mkdirSync(outDir, { recursive: true });
  writeFileAtomic(join(outDir, 'config.json'), `${JSON.stringify(cfg, null, 2)}\n`);
  const metrics = new JsonLines(join(outDir, 'metrics.jsonl'));
  const stepsFile = stepsEvery > 0 ? new JsonLines(join(outDir, 'steps.jsonl')) : null;

  let latestRatio: number | null = null;
  let lastInfo: StepInfo | null = null;
  let lastProbed = -1;
  let lastSnap: Snapshot | null = null;

  /** Probes the weights after `step` updates and appends a metrics line. */
  const probe = (step: number): Snapshot => {
    const ratios = step > 0 ? updateRatios(net, optimizer.lastUpdateSq) : net.weightLayers.map(() => NaN);
    const r = probeNetwork(net, pb.x, pb.y, pb.B, loss, initName, { jacobianSamples: cfg.probe.jacobianSamples });
    const gradNorm = globalGradNorm(net.params());
    const line: Record<string, unknown> = {
      step,
      epoch: Math.floor(step / perEpoch),
      loss: r.lossValue,
      gradNorm,
      trainLoss: lastInfo ? lastInfo.loss : null,
      lr: lrAt(step),
      clipped: lastInfo ? lastInfo.clipped : false,
      clipEvents: clipSoFar,
      maxNormRows: optimizer.maxNormRows,
      layers: r.layers.map((l, i) => layerLine(l, ratios[i])),
      firstToLast: r.firstToLast,
      verdict: { kind: r.verdict.kind },
    };
    if (cfg.probe.testAccuracy && data.test) line.testAccuracy = evaluate(net, data.test, loss).accuracy;
    line.seconds = seconds();
    metrics.write(line);
    latestRatio = r.firstToLast;
    lastProbed = step;
    lastSnap = {
      step,
      loss: r.lossValue,
      layers: r.layers.map((l) => ({ index: l.index, units: l.units, activation: l.activation, biasGradNorm: l.biasGradNorm, weightGradNorm: l.weightGradNorm })),
      firstToLast: r.firstToLast,
      verdict: atStep(r.verdict, step),
    };
    return lastSnap;
  };

  let done = 0; // updates applied before the current chunk
  let stopReason: StopReason = 'max_steps';
  let nonFinite: NonFiniteFinding | null = null;
  let finalLoss = NaN;
  let clipEvents = 0;
  let clipNormEvents = 0;
  let clipValueEvents = 0;
  let clipSoFar = 0; // clipped steps up to the latest step, for metrics lines
  let pretrain: PretrainLayerResult[] | null = null;
  let atInit: Snapshot;
  let endSnap: Snapshot;
  const report = (step: number): void =>
    hooks.onProgress?.({ step, totalSteps: total, epoch: Math.floor(step / perEpoch), loss: Number.isNaN(finalLoss) ? lastSnap?.loss ?? NaN : finalLoss, firstToLast: latestRatio, seconds: seconds() });

  try {
    // greedy pre-training first: step 0 is where fine-tuning starts
    if (cfg.pretrain) pretrain = pretrainGreedy(net, fullBatch(ds, cfg.dtype).x, ds.n, { ...cfg.pretrain, rng: pretrainRng, shouldStop: hooks.shouldStop });
    atInit = probe(0);
    report(0);
    const source = new EpochSource(ds, B, orderRng);
    const L = net.weightLayers.length;
    const biasNorms = new Array<number>(L);
    let chunk = 16;
    while (done < total) {
      const steps = Math.min(total - done, chunk);
      const c0 = clock();
      const base = done;
      const r = train(net, source, {
        loss,
        optimizer,
        lr: (s) => lrAt(base + s),
        batchSize: B,
        maxSteps: steps,
        gradTol: cfg.gradTol ?? undefined,
        targetLoss: cfg.targetLoss ?? undefined,
        clipNorm: cfg.clipNorm ?? undefined,
        clipValue: cfg.clipValue ?? undefined,
        shuffle: false,
        rng: passRng,
        shouldStop: hooks.shouldStop,
        afterBackward: (info) => {
          const k = base + info.step;
          finalLoss = info.loss;
          if (info.clipped) clipSoFar++;
          if (stepsFile && k % stepsEvery === 0) {
            // per-layer ‖∂C/∂b‖ of the training batch (after clipping, when it clipped)
            for (let l = 0; l < L; l++) biasNorms[l] = norm2(net.biasGradOf(l));
            stepsFile.write({ step: k, epoch: Math.floor(k / perEpoch), loss: info.loss, gradNorm: info.gradNorm, lr: lrAt(k), clipped: info.clipped, ...(cfg.clipValue !== null ? { clippedValues: info.clippedValues ?? 0 } : {}), biasGradNorms: biasNorms });
          }
        },
        afterUpdate: (info) => {
          lastInfo = info;
          // an update that made a weight non-finite shows in ‖Δθ‖²: stop here, train() then reports the weight
          for (let i = 0; i < optimizer.lastUpdateSq.length; i++) if (!Number.isFinite(optimizer.lastUpdateSq[i])) return false;
          const s = base + info.step + 1;
          if (s % probeEvery === 0 && s < total) probe(s);
          return true;
        },
      });
      done += r.steps;
      clipEvents += r.clipEvents;
      clipNormEvents += r.clipNormEvents ?? 0;
      clipValueEvents += r.clipValueEvents ?? 0;
      if (r.stopReason !== 'max_steps') {
        stopReason = r.stopReason;
        if (r.stopReason === 'non_finite') {
          // the network still holds the failing pass: locate it again with the run's step number
          nonFinite = findNonFinite(net, r.lastLoss, B, done) ?? (r.nonFinite ? { ...r.nonFinite, step: done, message: r.nonFinite.message.replace(/^step \d+:/, `step ${done}:`) } : null);
        }
        break;
      }
      report(done);
      // aim at ~50 ms between yields to the event loop
      const ms = clock() - c0;
      chunk = Math.max(1, Math.min(100000, Math.round((chunk * 50) / Math.max(ms, 1))));
      await tick();
    }
    endSnap = lastProbed === done && lastSnap !== null ? lastSnap : probe(done);
  } finally {
    metrics.close();
    stepsFile?.close();
  }
  report(done);

  const finite = allParamsFinite(net);
  const trainAccuracy = finite ? evaluate(net, ds, loss).accuracy : null;
  const testAccuracy = finite && data.test ? evaluate(net, data.test, loss).accuracy : null;
  let model: string | null = null;
  let modelSkipped: string | undefined;
  if (finite) {
    try {
      writeFileAtomic(join(outDir, 'model.json'), `${JSON.stringify(modelToJson(net))}\n`);
      model = 'model.json';
    } catch (e) {
      modelSkipped = (e as Error).message; // normalisation layers and residual blocks are not part of gradscope-model/1
    }
  }
  const wall = seconds();
  const summary: RunSummary = {
    format: 'gradscope-run/1',
    runDir: outDir,
    configHash: configHash(cfg),
    arch: cfg.arch,
    dataset: { name: cfg.data.name, train: ds.n, test: data.test ? data.test.n : 0 },
    steps: done,
    totalSteps: total,
    epochs: done / perEpoch,
    stopReason,
    finalLoss,
    finalProbeLoss: endSnap.loss,
    trainAccuracy,
    testAccuracy,
    nonFinite,
    clipEvents,
    clipNormEvents,
    clipValueEvents,
    maxNormRows: optimizer.maxNormRows,
    ...(pretrain ? { pretrain } : {}),
    wallSeconds: wall,
    stepsPerSecond: wall > 0 ? done / wall : 0,
    probeEvery,
    stepsEvery,
    atInit,
    atEnd: endSnap,
    model,
    ...(modelSkipped ? { modelSkipped } : {}),
  };
  writeFileAtomic(join(outDir, 'summary.json'), `${JSON.stringify(summary, jsonSafe, 2)}\n`);
  return summary;
}
