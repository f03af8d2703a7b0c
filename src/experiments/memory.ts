/**
 * How much memory a run will need, estimated from its settings before any
 * buffer is allocated: the parameters (values, gradients, optimiser state),
 * the per-row buffers of every layer for the largest batch it sees, the
 * data, BPTT's buffers over every time step for a recurrent run, and what
 * writing model.json costs. One estimator for probe, train, rnn, sweep and
 * study; budget.ts compares it with what the machine allows. The figures
 * follow the engine's allocations (layer.ts RowBuffer, dense.ts, optim.ts,
 * rnn/seqbuf.ts) and err on the high side; memory.test.ts holds them
 * against the bytes a real run allocates. Pure.
 */
import type { CellKind } from '../nn/rnn/types.js';
import type { DType } from '../tensor/dtype.js';

/** An estimate in bytes, with its parts for the message. */
export interface MemoryEstimate {
  /** Total bytes. */
  readonly bytes: number;
  /** Bytes by part ("parameters", "activations", ...), largest first when described (budget.ts names each part in the catalogue's words). */
  readonly parts: Readonly<Record<string, number>>;
  /** Elements of the largest single buffer (a typed array has a maximum length). */
  readonly largestBuffer: number;
}

/**
 * Bytes a worker thread costs before it runs anything: V8 isolate, gradscope's modules, the pool
 * (a bare thread measures 9 MB; 64 threads of tiny runs, 30 MB each with the run's own overhead).
 */
export const THREAD_BYTES = 16 * 1024 * 1024;
/** Bytes of the embedded digits once loaded (10,000 × 784 float32 and labels) plus the JSON they are parsed from. */
export const DIGITS_BYTES = 200 * 1024 * 1024;
/** Bytes model.json costs per parameter while it is written: a JS number array (8), the JSON text (about 20) and its copies on the way to the file. */
const MODEL_JSON_BYTES_PER_PARAM = 80;
/**
 * Bytes a run costs besides its buffers: the JS heap it grows (metrics, snapshots) and the collector's
 * slack. The same LSTM run (T = 600, H = 64) grew its resident set by 106 to 121 MB from one process
 * to the next, with the collector's timing; 64 MB keeps the estimate above the high end.
 */
export const RUN_OVERHEAD_BYTES = 64 * 1024 * 1024;
/** The largest smaller side of a layer whose Jacobian the probe forms (layer-stats.ts jacobianMaxDim). */
const JACOBIAN_MAX_DIM = 1024;
/** Rows `evaluate` passes at once (evaluate.ts). */
const EVAL_CHUNK = 500;

function bytesOf(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}

/** Optimiser state tensors per parameter (optim.ts): none for sgd, one for momentum/nesterov/rmsprop, two for adam/adamw. */
export function optimizerStates(name: string): number {
  return name === 'adam' || name === 'adamw' ? 2 : name === 'sgd' ? 0 : 1;
}

/** The settings of a feed-forward run the estimate depends on. */
export interface MlpMemorySpec {
  /** Layer sizes, input first. */
  readonly arch: readonly number[];
  readonly dtype: DType;
  readonly optimizer: string;
  /** The most rows any pass sees (batch, probe batch, evaluation chunk). */
  readonly rows: number;
  readonly norm?: 'none' | 'batch' | 'layer';
  readonly dropout?: number;
  readonly residual?: boolean;
  readonly maxNorm?: boolean;
  /** Examples whose per-layer Jacobian is formed (0: none). */
  readonly jacobianSamples?: number;
  /** Bytes of the data held while training (train and test sets, the probe batch). */
  readonly dataBytes: number;
  /** Whether model.json is written at the end. */
  readonly writesModel: boolean;
}

/** Adds `parts` up into an estimate. */
function total(parts: Record<string, number>, largestBuffer: number): MemoryEstimate {
  const bytes = Object.values(parts).reduce((s, b) => s + b, 0);
  return { bytes, parts, largestBuffer };
}

/** The estimate for one feed-forward network trained and probed as `s` says. */
export function mlpMemory(s: MlpMemorySpec): MemoryEstimate {
  const b = bytesOf(s.dtype);
  const R = Math.max(1, s.rows);
  let params = 0;
  let rowWidths = 0; // elements per row over every per-row buffer
  let largest = 0;
  let jacobian = 0;
  const L = s.arch.length - 1;
  for (let l = 1; l <= L; l++) {
    const i = s.arch[l - 1];
    const o = s.arch[l];
    params += o * (i + 1);
    largest = Math.max(largest, o * i, R * Math.max(i, o));
    // dense: out (B,O) and dinp (B,I); activation: out, deriv, dinp (B,O) each
    rowWidths += o + i + 3 * o;
    if (l < L) {
      if (s.norm !== undefined && s.norm !== 'none') rowWidths += 3 * o;
      if ((s.dropout ?? 0) > 0) rowWidths += 3 * o;
      if (s.residual) rowWidths += 2 * o; // the block's sum and its skip path's gradient
    }
    // the per-layer Jacobian (float64) is formed for layers whose smaller side is at most 1024 (layer-stats.ts)
    if ((s.jacobianSamples ?? 0) > 0 && Math.min(o, i) <= JACOBIAN_MAX_DIM) jacobian = Math.max(jacobian, 8 * (o * i + Math.min(o, i) ** 2));
  }
  rowWidths += s.arch[L]; // the network's ∂C/∂output
  const perParam = b * (2 + optimizerStates(s.optimizer) + (s.maxNorm ? 1 : 0));
  return total(
    {
      parameters: params * perParam,
      activations: R * rowWidths * b,
      ...(jacobian > 0 ? { jacobians: jacobian } : {}),
      data: s.dataBytes,
      ...(s.writesModel ? { 'model.json': params * MODEL_JSON_BYTES_PER_PARAM } : {}),
      'run overhead': RUN_OVERHEAD_BYTES,
    },
    largest,
  );
}

/** Bytes a data set of `n` examples of `features` inputs and `classes` classes takes in memory (float32 inputs, one-byte labels). */
export function datasetBytes(n: number, features: number): number {
  return n * (4 * features + 1);
}

/** The settings of a recurrent run the estimate depends on (experiments/rnn/run.ts). */
export interface RecurrentMemorySpec {
  readonly cell: CellKind;
  readonly dtype: DType;
  readonly hidden: number;
  readonly inSize: number;
  readonly outSize: number;
  /** Whether the head reads every step (copy) or only the last. */
  readonly perStepHead: boolean;
  /** The longest sequence (time steps) any batch has. */
  readonly maxSteps: number;
  /** The most sequences any pass sees (training batch, probe batch, a test-length group). */
  readonly maxRows: number;
  /** Sequences of the test set and of the probe batch, and their length, for their input buffers. */
  readonly heldOut: number;
  readonly optimizer: string;
  /** Training steps (losses and gradient norms are kept per step). */
  readonly steps: number;
}

/** Gates per cell: W_hh has gates × H rows. */
function gatesOf(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/**
 * The cell's own per-step sequence buffers (nn/rnn): widths in units of H
 * and how many there are — LSTM: cell states and their tanh; GRU: the
 * candidate's recurrent part and its gradient (3H); RNN: ∂L/∂z.
 */
function cellBuffers(cell: CellKind): { width: number; count: number } {
  return cell === 'lstm' ? { width: 2, count: 2 } : cell === 'gru' ? { width: 4, count: 2 } : { width: 1, count: 1 };
}

/** Bytes a typed-array view costs on the JS heap, with the garbage of views rebuilt as the batch size changes (seqbuf.ts keeps two per time slot of each sequence buffer). */
const VIEW_BYTES = 600;

/** The estimate for one recurrent run: parameters, BPTT buffers over every step, held-out sequences. */
export function recurrentMemory(s: RecurrentMemorySpec): MemoryEstimate {
  const b = bytesOf(s.dtype);
  const H = s.hidden;
  const G = gatesOf(s.cell) * H;
  const T = s.maxSteps;
  const R = Math.max(1, s.maxRows);
  const params = G * (s.inSize + H + 1) + (s.cell === 'gru' ? H : 0) + s.outSize * (H + 1);
  const own = cellBuffers(s.cell);
  // per step and row: hidden states H, gate pre-activations and their gradients 2G, ∂L/∂h H, the cell's own
  const bpttElems = (T + 1) * R * (2 * H + 2 * G + own.width * H);
  // the head's outputs and their gradients: (T·B,O) for a per-step head
  const headElems = 2 * (s.perStepHead ? T : 1) * R * s.outSize;
  // the input buffers of the training batch, the probe batch and the test set
  const inputs = (R + s.heldOut) * T * s.inSize * b + (R + s.heldOut) * T * 4;
  // two views per time slot of each sequence buffer
  const views = 2 * (4 + own.count) * (T + 1);
  return total(
    {
      parameters: params * b * (2 + optimizerStates(s.optimizer)),
      'BPTT buffers': (bpttElems + headElems) * b,
      'buffer views': views * VIEW_BYTES,
      sequences: inputs,
      'training curves': 16 * s.steps,
      'run overhead': RUN_OVERHEAD_BYTES,
    },
    Math.max(T * R * G, T * R * s.outSize),
  );
}

/** "14.4 GB" / "512 MB". */
export function formatBytes(bytes: number): string {
  const gb = bytes / 2 ** 30;
  if (gb >= 1) return `${gb < 10 ? gb.toFixed(1) : Math.round(gb).toLocaleString('en-US')} GB`;
  const mb = bytes / 2 ** 20;
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** `n` copies of `e` (one per worker) plus `extra` bytes each (a thread, its own copy of the data). */
export function timesWorkers(e: MemoryEstimate, n: number, extraEach: number): MemoryEstimate {
  const parts: Record<string, number> = {};
  for (const [k, v] of Object.entries(e.parts)) parts[k] = v * n;
  parts['worker threads'] = extraEach * n;
  return total(parts, e.largestBuffer);
}

/** The rows an MLP run's passes see: its batch, its probe batch and the evaluation chunk, each capped by the examples there are. */
export function mlpRows(batchSize: number, probeSamples: number, trainN: number, testN: number): number {
  return Math.max(Math.min(batchSize, trainN), Math.min(probeSamples, trainN), Math.min(EVAL_CHUNK, Math.max(trainN, testN)));
}

/** The size of a run's data, as loaded (run.ts loadRunData). */
export interface DataShape {
  readonly trainN: number;
  readonly testN: number;
  readonly features: number;
  readonly classes: number;
  /** The embedded digits (loaded once per thread, whatever `samples` keeps). */
  readonly embedded: boolean;
}

/** The settings of a run the estimate reads (a subset of the run spec). */
export interface RunMemoryConfig {
  readonly arch: readonly number[];
  readonly dtype: DType;
  readonly optimizer: string;
  readonly momentum: number;
  readonly batchSize: number;
  readonly norm: 'none' | 'batch' | 'layer';
  readonly dropout: number;
  readonly residual: boolean;
  readonly maxNorm: number | null;
  readonly pretrain: boolean;
  readonly probeSamples: number;
  readonly jacobianSamples: number;
  /** Training steps (a probe with none passes only the probe batch). */
  readonly maxSteps: number | null;
}

/**
 * The estimate for one `train` run (or one run of a sweep) of `cfg` on data
 * of shape `d`; a probe (`probe: true`) neither evaluates whole data sets nor
 * writes model.json.
 */
export function runMemory(cfg: RunMemoryConfig, d: DataShape, o: { readonly probe?: boolean } = {}): MemoryEstimate {
  const probe = o.probe === true;
  const b = bytesOf(cfg.dtype);
  const probeN = Math.min(cfg.probeSamples, d.trainN);
  const row = d.features + d.classes;
  const held = d.embedded ? DIGITS_BYTES : datasetBytes(d.trainN + d.testN, d.features);
  // the probe batch and the training batch as dense buffers; pre-training holds the whole training set as one
  const batches = (probeN + Math.min(cfg.batchSize, d.trainN) + (cfg.pretrain ? d.trainN : 0)) * row * b;
  return mlpMemory({
    arch: cfg.arch,
    dtype: cfg.dtype,
    optimizer: cfg.optimizer === 'sgd' && cfg.momentum > 0 ? 'momentum' : cfg.optimizer,
    rows: probe ? Math.max((cfg.maxSteps ?? 0) > 0 ? Math.min(cfg.batchSize, d.trainN) : 1, Math.min(cfg.probeSamples, d.trainN)) : mlpRows(cfg.batchSize, cfg.probeSamples, d.trainN, d.testN),
    norm: cfg.norm,
    dropout: cfg.dropout,
    residual: cfg.residual,
    maxNorm: cfg.maxNorm !== null,
    jacobianSamples: cfg.jacobianSamples,
    dataBytes: held + batches,
    writesModel: !probe,
  });
}

/** The shape of loaded data (`embedded`: the digits, held whole by every thread that loads them). */
export function dataShapeOf(data: { readonly train: { readonly n: number; readonly inputSize: number; readonly classes: number }; readonly test: { readonly n: number } | null }, embedded: boolean): DataShape {
  return { trainN: data.train.n, testN: data.test?.n ?? 0, features: data.train.inputSize, classes: data.train.classes, embedded };
}

/**
 * Peak bytes of one study worker thread (the digits, the largest stage task):
 * the full study on two workers peaks at 0.95 GB resident in all, so the
 * estimate (1.05 GB) stays above it. It holds because each thread collects
 * the memories of the networks it is done with (src/tensor/wasm/heap.ts).
 */
export const STUDY_WORKER_BYTES = 384 * 1024 * 1024;

/** The study on `workers` threads: each thread's peak, and the digits and results held by the main thread. */
export function studyMemory(workers: number): MemoryEstimate {
  return total({ 'worker threads': workers * (STUDY_WORKER_BYTES + THREAD_BYTES), 'main thread': DIGITS_BYTES + RUN_OVERHEAD_BYTES }, 0);
}
