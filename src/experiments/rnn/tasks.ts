/**
 * The three long-lag tasks of the recurrent study, as seeded generators
 * that fill a SeqBatch in place, with their success criteria and the loss of
 * the best memoryless predictor:
 *
 * - `adding` — Hochreiter & Schmidhuber 1997, experiment 4, exactly: pairs
 *   (value in [−1, 1], marker); length drawn from [T, T + T/10]; one marked
 *   pair among the first 10, the other among the first T/2 − 1 still
 *   unmarked pairs; first and last pairs marked −1; target 0.5 + (X₁ + X₂)/4
 *   at the end; solved when |error| < 0.04.
 * - `order` — the temporal-order problem, their experiment 6a, scaled to T:
 *   symbols a–d, E first, B last, X or Y at t₁ ∈ [T/10, 2T/10] and
 *   t₂ ∈ [T/2, 6T/10] (1-based; 10–20 and 50–60 at T = 100); 4 classes by
 *   the order of X and Y; solved when the class is the arg-max.
 * - `copy` — copy-memory as in Arjovsky, Shah & Bengio 2016: 10 symbols of
 *   8, T − 1 blanks, a delimiter, 10 blanks (T + 20 steps); reproduce the 10
 *   symbols in the last 10 steps; solved when all 10 are right.
 */
import { ValueError } from '../../errors.js';
import type { Buf } from '../../tensor/dtype.js';
import type { Rng } from '../../tensor/rng.js';
import type { HeadKind } from '../../nn/rnn/head.js';
import type { SeqBatch } from '../../nn/rnn/model.js';

/** Task names used by the CLI and the study. */
export type TaskName = 'adding' | 'order' | 'copy';

/** Every task name. */
export const TASK_NAMES: readonly TaskName[] = ['adding', 'order', 'copy'];

/** A sequence task: sizes, generator and success criterion. */
export interface TaskDef {
  readonly name: TaskName;
  readonly title: string;
  readonly source: string;
  /** I and O of the model. */
  readonly inSize: number;
  readonly outSize: number;
  readonly head: HeadKind;
  /** Smallest nominal length T accepted. */
  readonly minLength: number;
  /** The longest sequence for nominal length T (buffer capacity). */
  maxSteps(T: number): number;
  /** The steps of a sequence of exactly nominal length T (the probe batch's length). */
  nominalSteps(T: number): number;
  /** Draws the number of steps of one sequence of nominal length T. */
  drawSteps(T: number, rng: Rng): number;
  /** Fills every sequence of `batch` with `steps` steps (batch.T is set to it). */
  fill(batch: SeqBatch, T: number, steps: number, rng: Rng): void;
  /** Whether sequence b is solved, given the model's outputs for the batch. */
  solved(batch: SeqBatch, out: Buf, b: number): boolean;
  /** Loss of the best predictor without memory (predicting the mean or the prior). */
  baselineLoss(T: number): number;
}

/** The adding problem's tolerance: a sequence is solved when |output − target| < 0.04. */
export const ADDING_TOLERANCE = 0.04;

function checkSteps(task: TaskName, batch: SeqBatch, steps: number): void {
  if (steps > batch.maxT) throw new RangeError(`${task}: ${steps} steps do not fit a batch of capacity ${batch.maxT}`);
  batch.T = steps;
}

/** Hochreiter & Schmidhuber's adding problem (inputs: value, marker; one output). */
export const addingTask: TaskDef = {
  name: 'adding',
  title: 'the adding problem',
  source: 'Hochreiter & Schmidhuber 1997, Long Short-Term Memory, experiment 4',
  inSize: 2,
  outSize: 1,
  head: 'regression',
  minLength: 10,
  maxSteps: (T) => T + Math.floor(T / 10),
  nominalSteps: (T) => T,
  drawSteps: (T, rng) => T + rng.int(Math.floor(T / 10) + 1),
  fill(batch, T, steps, rng) {
    checkSteps('adding', batch, steps);
    const { B, x, y } = batch;
    const firstN = Math.min(10, steps - 1); // < 10 only when T ≤ 10: the last pair keeps its −1
    const secondN = Math.floor(T / 2) - 1;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < steps; t++) {
        const o = (t * B + b) * 2;
        x[o] = rng.uniformIn(-1, 1);
        x[o + 1] = t === 0 || t === steps - 1 ? -1 : 0;
      }
      // one of the first ten pairs, then one of the first T/2 − 1 pairs still unmarked
      const p1 = rng.int(firstN);
      const k = rng.int(secondN);
      const p2 = k < p1 ? k : k + 1;
      let sum = 0;
      for (let m = 0; m < 2; m++) {
        const p = m === 0 ? p1 : p2;
        const o = (p * B + b) * 2;
        if (p === 0) x[o] = 0; // the first pair marked (marker 1, not −1): X is taken as 0
        x[o + 1] = 1;
        sum += x[o];
      }
      y[b] = 0.5 + sum / 4;
    }
  },
  solved: (batch, out, b) => Math.abs(out[b] - batch.y[b]) < ADDING_TOLERANCE,
  // the target's variance: Var(X₁ + X₂)/16 = (2/3)/16 = 1/24; the quadratic loss halves it
  baselineLoss: () => 1 / 48,
};

/**
 * The temporal-order problem: classes XX, XY, YX, YY (Q, R, S, U in the
 * paper); the 8 one-hot inputs are the symbols a, b, c, d (distractors),
 * X, Y (relevant), E (start) and B (trigger), in that order.
 */
export const orderTask: TaskDef = {
  name: 'order',
  title: 'the temporal-order problem',
  source: 'Hochreiter & Schmidhuber 1997, Long Short-Term Memory, experiment 6a',
  inSize: 8,
  outSize: 4,
  head: 'classify',
  minLength: 10,
  maxSteps: (T) => T + Math.floor(T / 10),
  nominalSteps: (T) => T,
  drawSteps: (T, rng) => T + rng.int(Math.floor(T / 10) + 1),
  fill(batch, T, steps, rng) {
    checkSteps('order', batch, steps);
    const { B, x, labels } = batch;
    x.fill(0, 0, steps * B * 8);
    // 1-based positions t₁ ∈ [T/10, 2T/10], t₂ ∈ [T/2, 6T/10]; t₁ ≥ 2 so E stays first
    const lo1 = Math.max(2, Math.round(T / 10));
    const hi1 = Math.max(lo1, Math.round((2 * T) / 10));
    const lo2 = Math.max(hi1 + 1, Math.round(T / 2));
    const hi2 = Math.max(lo2, Math.round((6 * T) / 10));
    for (let b = 0; b < B; b++) {
      const t1 = lo1 + rng.int(hi1 - lo1 + 1) - 1;
      const t2 = lo2 + rng.int(hi2 - lo2 + 1) - 1;
      const s1 = rng.int(2);
      const s2 = rng.int(2);
      for (let t = 0; t < steps; t++) {
        const sym = t === 0 ? 6 : t === steps - 1 ? 7 : t === t1 ? 4 + s1 : t === t2 ? 4 + s2 : rng.int(4);
        x[(t * B + b) * 8 + sym] = 1;
      }
      labels[b] = 2 * s1 + s2;
    }
  },
  solved: (batch, out, b) => argmax(out, b * 4, 4) === batch.labels[b],
  baselineLoss: () => Math.log(4),
};

/** Copy-memory: categories 0–7 are data, 8 the blank, 9 the delimiter. */
export const copyTask: TaskDef = {
  name: 'copy',
  title: 'copy-memory',
  source: 'Hochreiter & Schmidhuber 1997 (experiment 2 style); as set up by Arjovsky, Shah & Bengio 2016',
  inSize: 10,
  outSize: 10,
  head: 'sequence',
  minLength: 1,
  maxSteps: (T) => T + 20,
  nominalSteps: (T) => T + 20,
  drawSteps: (T) => T + 20,
  fill(batch, T, steps, rng) {
    if (steps !== T + 20) throw new RangeError(`copy: a sequence of delay T = ${T} has T + 20 = ${T + 20} steps; got ${steps}`);
    checkSteps('copy', batch, steps);
    const { B, x, labels } = batch;
    x.fill(0, 0, steps * B * 10);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < steps; t++) {
        let sym = 8;
        if (t < 10) sym = rng.int(8);
        else if (t === T + 9) sym = 9;
        x[(t * B + b) * 10 + sym] = 1;
      }
      for (let t = 0; t < steps; t++) {
        labels[t * B + b] = t < T + 10 ? 8 : argmax(x, ((t - T - 10) * B + b) * 10, 10);
      }
    }
  },
  solved(batch, out, b) {
    const { T, B } = batch;
    for (let t = T - 10; t < T; t++) if (argmax(out, (t * B + b) * 10, 10) !== batch.labels[t * B + b]) return false;
    return true;
  },
  // blanks predicted exactly, the 10 symbols uniformly among 8: 10·ln 8 / (T + 20)
  baselineLoss: (T) => (10 * Math.log(8)) / (T + 20),
};

/** Every task by name. */
export const TASKS: Readonly<Record<TaskName, TaskDef>> = { adding: addingTask, order: orderTask, copy: copyTask };

/** Looks a task up; throws a sentence naming the value otherwise. */
export function getTask(name: string): TaskDef {
  if (Object.prototype.hasOwnProperty.call(TASKS, name)) return TASKS[name as TaskName];
  throw new ValueError(name, `task must be one of ${TASK_NAMES.join(', ')}; got '${name}'`, true);
}

function argmax(a: ArrayLike<number>, off: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
  return best;
}
