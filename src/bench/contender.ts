/**
 * What the bench runner times: a contender prepares a trial for a workload
 * (untimed: building the network, copying data), and the trial's `run` is
 * one timed repetition of a fixed amount of work.
 */
import type { Workload } from './workloads.js';

/** One prepared run of one workload by one contender. */
export interface Trial {
  /** Untimed, before each repetition (a peer switches its global backend here). */
  enter?(): Promise<void>;
  /** One timed repetition: `work` units of the workload (examples or GFLOP). */
  run(): void;
  /** A repetition the contender times itself (a peer in another process: the pipe stays outside the time); its seconds. Used instead of `run` when present. */
  measure?(): Promise<number>;
  /** Training trials: the loss on the data's first batch at the current weights (untimed; for equivalence checks). */
  loss?(): number | Promise<number>;
  /** Frees what `prepare` allocated. */
  dispose(): void | Promise<void>;
}

/** An engine (or engine variant) the bench measures. */
export interface Contender {
  /** `gradscope`, `gradscope-2t`, `gradscope-js`, `gradscope-f64`, `tfjs-wasm`, `tfjs-cpu`, `torch-1t`, `torch-2t`. */
  readonly name: string;
  /** Whether this contender runs `w` at all (float64 has no matrix-product workload). */
  supports(w: Workload): boolean;
  /** Builds a trial doing `amount` steps (training) or products (matmul) per repetition. */
  prepare(w: Workload, amount: number): Promise<Trial>;
}
