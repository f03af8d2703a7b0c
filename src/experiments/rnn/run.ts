/**
 * One recurrent experiment: a cell trained on a task, with the gradient
 * through time ‖∂ℓ/∂h_t‖ measured on a fixed probe batch at initialisation,
 * during and after training, the spectral norm of W_hh with Pascanu's
 * condition, and the solved fraction on a held-out test set. Used by
 * `gradscope rnn` and by study stage 6. Pure: no I/O.
 */
import { ValueError } from '../../errors.js';
import type { DType } from '../../tensor/dtype.js';
import { Rng } from '../../tensor/rng.js';
import { Optimizer } from '../../nn/optim.js';
import { RecurrentModel, SeqBatch } from '../../nn/rnn/model.js';
import { derivativeBound, pascanuCondition, spectralNorm, type PascanuCondition } from '../../nn/rnn/spectral.js';
import { trainRecurrent, type RecurrentNonFinite } from '../../nn/rnn/train.js';
import type { CellKind } from '../../nn/rnn/types.js';
import { parseCellKind } from '../../nn/rnn/cell.js';
import { getTask, type TaskDef, type TaskName } from './tasks.js';

/** Everything that defines a run. */
export interface RecurrentConfig {
  readonly cell: CellKind;
  readonly task: TaskName;
  /** Nominal length T (adding, order: sequences of T … T + T/10 steps; copy: the delay, T + 20 steps). */
  readonly length: number;
  readonly hidden: number;
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  readonly optimizer: 'adam' | 'momentum' | 'sgd';
  /** Clip the global gradient norm to this value; null = no clipping. */
  readonly clipNorm: number | null;
  /** Truncated BPTT window; 0 = full BPTT. */
  readonly truncate: number;
  readonly seed: number;
  /** Vanilla RNN activation (any elementwise catalogue entry) and its parameters. */
  readonly activation: string;
  readonly activationParams: Readonly<Record<string, number>>;
  /** LSTM forget-gate bias. */
  readonly forgetBias: number;
  /** GRU update-gate bias. */
  readonly updateBias: number;
  readonly inputInit: string;
  readonly recurrentInit: string;
  readonly recurrentGain: number;
  /** Held-out sequences for the solved fraction. */
  readonly testSize: number;
  /** Sequences of the fixed probe batch for ‖∂ℓ/∂h_t‖. */
  readonly probeSize: number;
  /** Snapshots of ‖∂ℓ/∂h_t‖ during training (besides init and final). */
  readonly snapshots: number;
  readonly dtype: DType;
}

/** Defaults of `gradscope rnn` (the study's settings, see stage.ts). */
export const RNN_DEFAULTS: RecurrentConfig = {
  cell: 'lstm',
  task: 'adding',
  length: 50,
  hidden: 24,
  steps: 1000,
  batch: 32,
  lr: 0.01,
  optimizer: 'adam',
  clipNorm: 1,
  truncate: 0,
  seed: 1,
  activation: 'tanh',
  activationParams: {},
  forgetBias: 1,
  updateBias: 1,
  inputInit: 'xavier_uniform',
  recurrentInit: 'orthogonal',
  recurrentGain: 1,
  testSize: 1000,
  probeSize: 100,
  snapshots: 3,
  dtype: 'float32',
};

/** ‖∂ℓ/∂h_t‖ for t = 0 … T−1 (index 0 is the first step) at one training step. */
export interface GradSnapshot {
  readonly step: number;
  readonly norms: readonly number[];
}

/** What one run measured; the first fields are what `gradscope rnn --json` promises. */
export interface RecurrentRunResult {
  readonly cell: CellKind;
  readonly task: TaskName;
  readonly length: number;
  readonly hidden: number;
  /** Training steps completed. */
  readonly steps: number;
  /** Loss on the held-out test set after training. */
  readonly finalLoss: number;
  /** Fraction of the test sequences solved after training. */
  readonly solvedFraction: number;
  /** σ_max(W_hh) after training. */
  readonly recurrentSpectralNorm: number;
  readonly gradThroughTime: { readonly init: readonly number[]; readonly final: readonly number[]; readonly during: readonly GradSnapshot[] };
  readonly config: RecurrentConfig;
  /** Test loss and solved fraction before training. */
  readonly initLoss: number;
  readonly initSolvedFraction: number;
  /** Loss of the best memoryless predictor. */
  readonly baselineLoss: number;
  /** Mean training loss over the last tenth of the steps. */
  readonly trainLoss: number;
  readonly spectralNorm: { readonly init: number; readonly final: number };
  readonly pascanu: { readonly init: PascanuCondition; readonly final: PascanuCondition };
  /** Training loss and global gradient norm (before clipping), averaged over windows of `every` steps. */
  readonly curves: { readonly every: number; readonly loss: readonly number[]; readonly gradNorm: readonly number[] };
  readonly nonFinite: RecurrentNonFinite | null;
  readonly clipEvents: number;
  readonly seconds: number;
}

/** Fills in defaults and checks every field; errors name the field and the value. */
export function resolveRecurrentConfig(partial: Partial<RecurrentConfig>): RecurrentConfig {
  const c: RecurrentConfig = { ...RNN_DEFAULTS, ...partial };
  parseCellKind(c.cell);
  const task = getTask(c.task);
  const int = (name: string, v: number, min: number): void => {
    if (!(Number.isInteger(v) && v >= min)) throw new ValueError(null, `${name} must be an integer ≥ ${min}; got ${v}`, true);
  };
  int('length', c.length, task.minLength);
  int('hidden', c.hidden, 1);
  int('steps', c.steps, 0);
  int('batch', c.batch, 1);
  int('truncate', c.truncate, 0);
  int('testSize', c.testSize, 1);
  int('probeSize', c.probeSize, 1);
  int('snapshots', c.snapshots, 0);
  if (!Number.isInteger(c.seed)) throw new ValueError(null, `seed must be an integer; got ${c.seed}`, true);
  if (!(Number.isFinite(c.lr) && c.lr > 0)) throw new ValueError(null, `lr must be a positive number; got ${c.lr}`, true);
  if (c.clipNorm !== null && !(Number.isFinite(c.clipNorm) && c.clipNorm > 0)) throw new ValueError(null, `clipNorm must be a positive number or null; got ${c.clipNorm}`, true);
  if (!['adam', 'momentum', 'sgd'].includes(c.optimizer)) throw new ValueError(null, `optimizer must be one of adam, momentum, sgd; got '${c.optimizer}'`, true);
  return c;
}

/** Builds the model of a config (the weights come from `rng`). */
export function buildRecurrentModel(c: RecurrentConfig, task: TaskDef, rng: Rng): RecurrentModel {
  return new RecurrentModel(
    {
      kind: c.cell,
      inSize: task.inSize,
      hidden: c.hidden,
      dtype: c.dtype,
      activation: c.activation,
      activationParams: c.activationParams,
      forgetBias: c.forgetBias,
      updateBias: c.updateBias,
      inputInit: c.inputInit,
      recurrentInit: c.recurrentInit,
      recurrentGain: c.recurrentGain,
      head: task.head,
      outSize: task.outSize,
    },
    rng,
  );
}

/** A held-out set of n sequences with their own lengths, grouped into one batch per length. */
export function makeTestSet(task: TaskDef, T: number, n: number, rng: Rng, dtype: DType): SeqBatch[] {
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const s = task.drawSteps(T, rng);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts.keys()]
    .sort((a, b) => a - b)
    .map((s) => {
      const batch = new SeqBatch(dtype, s, counts.get(s)!, task.inSize, task.outSize);
      task.fill(batch, T, s, rng);
      return batch;
    });
}

/** Mean loss and solved fraction of `model` over the batches. */
export function evaluateRecurrent(model: RecurrentModel, task: TaskDef, batches: readonly SeqBatch[]): { loss: number; solved: number } {
  let loss = 0;
  let solved = 0;
  let n = 0;
  for (const batch of batches) {
    const l = model.lossOf(batch);
    const out = model.head.outputs();
    loss += l * batch.B;
    for (let b = 0; b < batch.B; b++) if (task.solved(batch, out, b)) solved++;
    n += batch.B;
  }
  return { loss: loss / n, solved: solved / n };
}

/** ‖∂ℓ/∂h_t‖ on the probe batch (full BPTT); leaves the gradients zeroed. */
export function measureGradThroughTime(model: RecurrentModel, probe: SeqBatch): number[] {
  const norms = new Float64Array(probe.T);
  model.zeroGrad();
  model.lossAndGrad(probe, { gradNorms: norms });
  model.zeroGrad();
  return Array.from(norms);
}

/** Pascanu's condition for the model's recurrent matrix (γ from the activation; gated cells: not applicable). */
export function recurrentCondition(model: RecurrentModel, c: RecurrentConfig): PascanuCondition {
  const m = model.cell.recurrent();
  const lambda1 = spectralNorm(m.W, m.rows, m.cols);
  return pascanuCondition(lambda1, c.cell === 'rnn' ? derivativeBound(c.activation, c.activationParams) : null);
}

/** Averages xs over consecutive windows of `every` values. */
export function windowMeans(xs: ArrayLike<number>, n: number, every: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i += every) {
    let s = 0;
    const end = Math.min(n, i + every);
    for (let j = i; j < end; j++) s += xs[j];
    out.push(s / (end - i));
  }
  return out;
}

/** The independent random streams of a run: weights, training batches, test set (then probe batch). Same seed, same data for every cell. */
export function runStreams(seed: number): { init: Rng; train: Rng; test: Rng } {
  const root = new Rng(seed);
  return { init: root.fork(), train: root.fork(), test: root.fork() };
}

/** Runs one experiment; `progress` receives the fraction of training done. */
export function runRecurrent(partial: Partial<RecurrentConfig>, progress?: (fraction: number, loss: number) => void): RecurrentRunResult {
  const c = resolveRecurrentConfig(partial);
  const t0 = performance.now();
  const task = getTask(c.task);
  const { init: initRng, train: trainRng, test: testRng } = runStreams(c.seed);
  const model = buildRecurrentModel(c, task, initRng);
  const test = makeTestSet(task, c.length, c.testSize, testRng, c.dtype);
  const probeSteps = task.nominalSteps(c.length);
  const probe = new SeqBatch(c.dtype, probeSteps, c.probeSize, task.inSize, task.outSize);
  task.fill(probe, c.length, probeSteps, testRng);
  const batch = new SeqBatch(c.dtype, task.maxSteps(c.length), c.batch, task.inSize, task.outSize);

  const init = evaluateRecurrent(model, task, test);
  const gInit = measureGradThroughTime(model, probe);
  const condInit = recurrentCondition(model, c);
  const during: GradSnapshot[] = [];
  const snapAt = new Set<number>();
  for (let i = 1; i <= c.snapshots; i++) snapAt.add(Math.floor((i * c.steps) / (c.snapshots + 1)));
  const losses = new Float64Array(c.steps);
  const gradNorms = new Float64Array(c.steps);
  const optimizer = new Optimizer(model.params(), c.optimizer === 'momentum' ? { name: 'momentum', momentum: 0.9 } : { name: c.optimizer });
  const every = Math.max(1, Math.ceil(c.steps / 200));
  let recorded = 0; // steps whose loss was recorded (a step that blew up included)
  const r = trainRecurrent(model, {
    optimizer,
    lr: c.lr,
    steps: c.steps,
    clipNorm: c.clipNorm ?? undefined,
    truncate: c.truncate,
    next: () => {
      task.fill(batch, c.length, task.drawSteps(c.length, trainRng), trainRng);
      return batch;
    },
    onStep: (i) => {
      losses[i.step] = i.loss;
      gradNorms[i.step] = i.gradNorm;
      recorded = i.step + 1;
      if (snapAt.has(i.step) && i.step > 0 && Number.isFinite(i.loss)) {
        // measured on the probe batch before this step's update; the gradients of the step are kept
        const saved = model.params().map((p) => p.grad.slice());
        during.push({ step: i.step, norms: measureGradThroughTime(model, probe) });
        model.params().forEach((p, k) => p.grad.set(saved[k]));
      }
      if (progress && (i.step % every === 0 || i.step === c.steps - 1)) progress((i.step + 1) / c.steps, i.loss);
    },
  });
  const finite = r.nonFinite === null;
  const fin = finite ? evaluateRecurrent(model, task, test) : { loss: NaN, solved: 0 };
  const gFinal = finite ? measureGradThroughTime(model, probe) : Array<number>(probeSteps).fill(NaN);
  const condFinal = recurrentCondition(model, c);
  const tail = Math.max(1, Math.floor(r.steps / 10));
  return {
    cell: c.cell,
    task: c.task,
    length: c.length,
    hidden: c.hidden,
    steps: r.steps,
    finalLoss: fin.loss,
    solvedFraction: fin.solved,
    recurrentSpectralNorm: condFinal.lambda1,
    gradThroughTime: { init: gInit, final: gFinal, during },
    config: c,
    initLoss: init.loss,
    initSolvedFraction: init.solved,
    baselineLoss: task.baselineLoss(c.length),
    trainLoss: r.steps > 0 ? windowMeans(losses.subarray(r.steps - tail), tail, tail)[0] : init.loss,
    spectralNorm: { init: condInit.lambda1, final: condFinal.lambda1 },
    pascanu: { init: condInit, final: condFinal },
    curves: { every, loss: windowMeans(losses, recorded, every), gradNorm: windowMeans(gradNorms, recorded, every) },
    nonFinite: r.nonFinite,
    clipEvents: r.clipEvents,
    seconds: (performance.now() - t0) / 1000,
  };
}
