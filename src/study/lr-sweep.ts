/**
 * Stage 3's learning-rate choice as sweeps, through the sweep machinery: the
 * runs (cell × rate × seed, each a run config) get the sweep's run ids and
 * a sweep id, a manifest, and a result store that records each run the
 * moment it finishes — so the study resumes after an interruption
 * (`gradscope study --resume`), recomputing nothing already recorded — and
 * `driveRuns` feeds them to the study's worker pool. The selection runs are
 * one sweep; the remaining seeds at each cell's chosen rate another.
 * Node-side (files, the store's lock).
 */
import { makeDirs } from '../experiments/files.js';
import { join } from 'node:path';
import { VERDICT_KINDS, type VerdictKind } from '../diagnostics/verdict.js';
import { driveRuns, manifestOf, ResultStore, RESULT_FORMAT, runIdOf, sweepIdOf, writeManifest, type RunRecord, type RunTask, type Sweep, type SweepRun } from '../sweep/index.js';
import { lrRunConfig, runKey, type ActDepthSettings, type LrRunKey, type LrRunResult, type ProbeSnapshotJson } from './act-depth.js';

/** The swept keys, in the order of the run's params. */
const KEYS = ['activation', 'depth', 'lr', 'seed'] as const;

/** A sweep of stage-3 runs (`name` says which phase); its spec records the study seed and split it depends on. */
export function lrSweep(name: string, s: ActDepthSettings, keys: readonly LrRunKey[]): Sweep {
  const runs: SweepRun[] = keys.map((k, index) => {
    const config = lrRunConfig(s, k);
    return { index, id: runIdOf(config), params: { activation: k.activation, depth: k.depth, lr: k.lr, seed: k.seed }, config };
  });
  const spec = {
    description: `gradscope study, stage 3 (${name}): every run trains on the study's split of the digits by study seed ${s.seed} — 80 % of the training images (the other 20 % are the validation split), test set the study's 20 % — not on the run config's own data split`,
    studySeed: s.seed,
  };
  return { name, id: sweepIdOf(runs.map((r) => r.id)), keys: KEYS, runs, duplicates: 0, spec };
}

const fin = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);
const num = (x: number | null): number => (x === null ? NaN : x);

function snapshotRecord(p: ProbeSnapshotJson, step: number): NonNullable<RunRecord['atInit']> {
  return {
    step,
    loss: fin(p.loss),
    firstToLast: fin(p.firstToLast),
    verdict: p.verdict as VerdictKind,
    cause: p.cause,
    layers: p.layers.map((l) => ({ index: l.index, units: l.units, activation: l.activation, biasGradNorm: fin(l.biasGradNorm), weightGradNorm: fin(l.weightGradNorm) })),
  };
}

function snapshotOf(r: NonNullable<RunRecord['atInit']>): ProbeSnapshotJson {
  return { loss: num(r.loss), firstToLast: r.firstToLast, verdict: r.verdict, cause: r.cause, layers: r.layers.map((l) => ({ ...l, biasGradNorm: num(l.biasGradNorm), weightGradNorm: num(l.weightGradNorm) })) };
}

/** The result line of a finished stage-3 run. */
export function recordOfResult(sweep: Sweep, run: SweepRun, r: LrRunResult, wallSeconds: number, worker: string): RunRecord {
  if (!VERDICT_KINDS.includes(r.atInit.verdict as VerdictKind)) throw new RangeError(`recordOfResult: unknown verdict '${r.atInit.verdict}'`);
  return {
    format: RESULT_FORMAT,
    sweep: sweep.id,
    id: run.id,
    index: run.index,
    params: { ...run.params },
    status: 'ok',
    error: null,
    metrics: {
      steps: r.steps,
      totalSteps: run.config.maxSteps ?? r.steps,
      epochs: null,
      stopReason: r.nonFinite ? 'non_finite' : 'max_steps',
      finalLoss: fin(r.finalLoss),
      finalProbeLoss: r.atEnd ? fin(r.atEnd.loss) : null,
      trainAccuracy: null,
      testAccuracy: fin(r.testAccuracy),
      validationAccuracy: fin(r.validationAccuracy),
      nonFinite: r.nonFinite,
      clipEvents: 0,
    },
    atInit: snapshotRecord(r.atInit, 0),
    atEnd: r.atEnd ? snapshotRecord(r.atEnd, r.steps) : null,
    wallSeconds,
    worker,
    finishedAt: new Date().toISOString(),
  };
}

/** The measurements of a stored result line (null for an error line or a line without them). */
export function resultOfRecord(rec: RunRecord): LrRunResult | null {
  if (rec.status !== 'ok' || rec.metrics === null || rec.atInit === null) return null;
  const m = rec.metrics;
  return {
    steps: m.steps,
    finalLoss: num(m.finalLoss),
    validationAccuracy: num(m.validationAccuracy ?? null),
    testAccuracy: num(m.testAccuracy),
    nonFinite: m.nonFinite,
    atInit: snapshotOf(rec.atInit),
    atEnd: rec.atEnd ? snapshotOf(rec.atEnd) : null,
  };
}

/** Where and how a sweep of the study keeps its results. */
export interface LrStoreOptions {
  /** Folder of the study's sweeps (each in a subfolder named by its name and id); null keeps the results in memory only. */
  readonly dir: string | null;
  /** Keeps the results a previous, interrupted study recorded there. */
  readonly resume: boolean;
}

/** Runs one stage-3 run somewhere (this thread or the study's pool). */
export type LrExecutor = (run: SweepRun) => Promise<{ readonly result: LrRunResult; readonly seconds: number; readonly worker: string }>;

/**
 * Runs every run of `sweep` not already in its store, `concurrency` at a
 * time through `driveRuns`, recording each as it finishes; returns every
 * run's result by `runKey`. Stops with an error when the sweep does
 * (interrupted, or the store cannot be written), keeping what it recorded.
 */
export async function driveLrSweep(sweep: Sweep, o: LrStoreOptions, exec: LrExecutor, concurrency: number, signal: AbortSignal, onDone: (run: SweepRun, seconds: number) => void): Promise<Map<string, LrRunResult>> {
  const byId = new Map(sweep.runs.map((r) => [r.id, r]));
  const results = new Map<string, LrRunResult>();
  const keyOf = (run: SweepRun): string => runKey(run.params as unknown as LrRunKey);
  let store: ResultStore | null = null;
  if (o.dir !== null) {
    const dir = join(o.dir, `${sweep.name}-${sweep.id}`);
    makeDirs(dir);
    writeManifest(dir, manifestOf(sweep, 'gradscope study', null));
    const opened = ResultStore.open(dir, sweep.id);
    store = opened.store;
    for (const rec of o.resume ? opened.contents.records : []) {
      const run = byId.get(rec.id);
      const r = resultOfRecord(rec);
      if (run && r) results.set(keyOf(run), r);
    }
  }
  try {
    const todo: RunTask[] = sweep.runs.filter((run) => !results.has(keyOf(run))).map((run) => ({ sweep: sweep.id, id: run.id, index: run.index, params: run.params, config: run.config, workDir: o.dir ?? '', keep: false }));
    const end = await driveRuns(todo, {
      concurrency,
      signal,
      run: async (task) => {
        const run = byId.get(task.id)!;
        const out = await exec(run);
        return { kind: 'record', record: recordOfResult(sweep, run, out.result, out.seconds, out.worker) };
      },
      onRecord: (rec) => {
        // a run that threw is a bug to show, not a result to keep
        if (rec.status === 'error') throw new Error(`run ${JSON.stringify(rec.params)} failed: ${rec.error}`);
        store?.append(rec);
        const run = byId.get(rec.id)!;
        const r = resultOfRecord(rec);
        if (r) results.set(keyOf(run), r);
        onDone(run, rec.wallSeconds);
      },
    });
    if (end.kind === 'failed') throw new Error(`study stage 3: ${end.message}`);
    if (end.kind === 'interrupted') throw new Error(`study stage 3 was interrupted after ${results.size} of ${sweep.runs.length} runs of ${sweep.name}; rerun with --resume to keep them`);
  } finally {
    store?.close();
  }
  return results;
}
