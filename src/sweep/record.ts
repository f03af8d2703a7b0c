/**
 * One line of a sweep's result store, `gradscope-sweep-result/1`: the run's
 * id and swept values, its final metrics, the per-layer gradient norms at
 * initialisation and at the end, and the verdicts — or the error that
 * stopped it. The zod schema checks every line read back from disk, so a
 * torn or foreign line is recognised as such.
 */
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { z } from 'zod';
import { VERDICT_KINDS } from '../diagnostics/verdict.js';
import type { RunSummary, Snapshot } from '../experiments/run.js';

/** The format tag of a result line. */
export const RESULT_FORMAT = 'gradscope-sweep-result/1';

// JSON has no NaN or Infinity: non-finite numbers are stored as null
const num = z.number().nullable();

const layerSchema = z.object({
  index: z.number().int(),
  units: z.number().int(),
  activation: z.string(),
  biasGradNorm: num,
  weightGradNorm: num,
});

const snapshotSchema = z.object({
  step: z.number().int(),
  loss: num,
  firstToLast: num,
  verdict: z.enum(VERDICT_KINDS),
  cause: z.string(),
  layers: z.array(layerSchema),
});

const metricsSchema = z.object({
  steps: z.number().int(),
  totalSteps: z.number().int(),
  epochs: num,
  stopReason: z.string(),
  finalLoss: num,
  finalProbeLoss: num,
  trainAccuracy: num,
  testAccuracy: num,
  /** Accuracy on a validation split (runs that have one, e.g. the study's learning-rate sweep); null otherwise. */
  validationAccuracy: num.optional(),
  nonFinite: z.string().nullable(),
  clipEvents: z.number().int(),
});

/** The schema of one result line. */
export const recordSchema = z.object({
  format: z.literal(RESULT_FORMAT),
  sweep: z.string().regex(/^[0-9a-f]{16}$/),
  id: z.string().regex(/^[0-9a-f]{16}$/),
  index: z.number().int().min(0),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(['ok', 'error']),
  error: z.string().nullable(),
  metrics: metricsSchema.nullable(),
  atInit: snapshotSchema.nullable(),
  atEnd: snapshotSchema.nullable(),
  wallSeconds: z.number(),
  worker: z.string(),
  finishedAt: z.string(),
});

/** One result line. */
export type RunRecord = z.infer<typeof recordSchema>;
/** The per-probe part of a result line. */
export type SnapshotRecord = z.infer<typeof snapshotSchema>;

/** What a result line says about the run it belongs to. */
export interface RunMeta {
  readonly sweep: string;
  readonly id: string;
  readonly index: number;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Who ran a run: host:pid (and :thread inside a worker pool). */
export function workerName(): string {
  return `${hostname()}:${process.pid}${threadId > 0 ? `:${threadId}` : ''}`;
}

/** A finite number, or null. */
function fin(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function snapshot(s: Snapshot): SnapshotRecord {
  return {
    step: s.step,
    loss: fin(s.loss),
    firstToLast: fin(s.firstToLast),
    verdict: s.verdict.kind,
    cause: s.verdict.cause,
    layers: s.layers.map((l) => ({ index: l.index, units: l.units, activation: l.activation, biasGradNorm: fin(l.biasGradNorm), weightGradNorm: fin(l.weightGradNorm) })),
  };
}

/** The result line of a finished run. */
export function recordOf(meta: RunMeta, s: RunSummary, wallSeconds: number): RunRecord {
  return {
    format: RESULT_FORMAT,
    sweep: meta.sweep,
    id: meta.id,
    index: meta.index,
    params: { ...meta.params },
    status: 'ok',
    error: null,
    metrics: {
      steps: s.steps,
      totalSteps: s.totalSteps,
      epochs: fin(s.epochs),
      stopReason: s.stopReason,
      finalLoss: fin(s.finalLoss),
      finalProbeLoss: fin(s.finalProbeLoss),
      trainAccuracy: fin(s.trainAccuracy),
      testAccuracy: fin(s.testAccuracy),
      nonFinite: s.nonFinite ? s.nonFinite.message : null,
      clipEvents: s.clipEvents,
    },
    atInit: snapshot(s.atInit),
    atEnd: snapshot(s.atEnd),
    wallSeconds,
    worker: workerName(),
    finishedAt: new Date().toISOString(),
  };
}

/** The result line of a run that failed with `message` (recorded, so the sweep still finishes). */
export function errorRecord(meta: RunMeta, message: string, wallSeconds: number, worker = workerName()): RunRecord {
  return {
    format: RESULT_FORMAT,
    sweep: meta.sweep,
    id: meta.id,
    index: meta.index,
    params: { ...meta.params },
    status: 'error',
    error: message,
    metrics: null,
    atInit: null,
    atEnd: null,
    wallSeconds,
    worker,
    finishedAt: new Date().toISOString(),
  };
}

/** The part of a record that the run's config determines (drops timing and who ran it), for comparing results. */
export function deterministicPart(r: RunRecord): Omit<RunRecord, 'wallSeconds' | 'worker' | 'finishedAt'> {
  const { wallSeconds: _w, worker: _k, finishedAt: _f, ...rest } = r;
  return rest;
}

/** A record as one line of JSON with its newline. */
export function recordLine(r: RunRecord): string {
  return `${JSON.stringify(r)}\n`;
}
