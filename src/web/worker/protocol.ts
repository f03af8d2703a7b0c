/**
 * The messages between the playground page and its training worker. The
 * page sends one or two runs' settings (two train in lock step: step k of one is
 * step k of the other) and commands; the worker answers with step records,
 * probes, the network's weights and, for 2-D data, the decision boundary and
 * on request every neuron's output over the plane. Every message is plain
 * structured-cloneable data.
 */
import type { NonFiniteFinding } from '../../nn/nonfinite.js';
import type { BoundaryGrid, ProbeSnapshot, StepRecords } from '../engine/session.js';
import type { RunSpec } from '../../run/schema.js';
import type { NetSnapshot, NeuronGrid } from '../engine/snapshot.js';

/** The points of a 2-D training set, for drawing over the decision boundary. */
export interface Points2D {
  readonly x: Float32Array;
  readonly labels: Uint8Array;
  readonly classes: number;
}

/** A data set the reader brought (a dropped CSV): two features and a class per row. */
export interface CustomData {
  /** The file it came from. */
  readonly name: string;
  /** n × 2, row-major. */
  readonly x: Float32Array;
  readonly labels: Uint8Array;
  readonly classes: number;
}

/** One run of a setup: its settings, and the reader's own data when it replaces the run's data set. */
export interface RunSetup {
  readonly spec: RunSpec;
  readonly custom: CustomData | null;
}

/** Steps per second, or null for as fast as possible. */
export type Speed = number | null;

/** Page → worker. */
export type ToWorker =
  /** Builds fresh sessions (same settings and seed → same run); `digitsUrl` is where to fetch the digits if a run needs them. */
  | { readonly type: 'setup'; readonly id: number; readonly runs: readonly RunSetup[]; readonly digitsUrl: string; readonly speed: Speed }
  /** Trains until paused, or every run has stopped; `seq` numbers the page's commands, so a late 'stopped' is known as late. */
  | { readonly type: 'play'; readonly id: number; readonly seq: number }
  /** Takes `count` steps, then stops. */
  | { readonly type: 'step'; readonly id: number; readonly seq: number; readonly count: number }
  | { readonly type: 'pause'; readonly id: number; readonly seq: number }
  /** Changes the pace without restarting. */
  | { readonly type: 'speed'; readonly id: number; readonly speed: Speed }
  /** Asks for every neuron's output of run `run` over a res × res grid of the plane (2-D data). */
  | { readonly type: 'neurons'; readonly id: number; readonly run: number; readonly res: number };

/** What the worker knows once a session is built. */
export interface SessionInfo {
  readonly sizes: readonly number[];
  readonly activations: readonly string[];
  readonly trainN: number;
  readonly testN: number;
  readonly probeEvery: number;
  readonly points: Points2D | null;
  /** Trainable parameters of the built network (weights, biases, normalisation γ and β, activation parameters). */
  readonly parameters: number;
}

/** Why a run stopped for good. */
export type RunEnd = 'max_steps' | 'non_finite' | 'tolerance';

/** What a progress message says about one run. */
export interface RunProgress {
  /** Updates applied so far. */
  readonly step: number;
  readonly records: StepRecords;
  readonly probes: readonly ProbeSnapshot[];
  readonly boundary: BoundaryGrid | null;
  readonly net: NetSnapshot | null;
  /** Set once the run has stopped for good. */
  readonly end: RunEnd | null;
  readonly nonFinite: NonFiniteFinding | null;
  /** ‖∇‖ of the last step (the quantity of the stopping rule). */
  readonly lastGradNorm: number;
}

/** Worker → page. Every message carries the id of the setup it belongs to, so late messages of an old run are dropped. */
export type FromWorker =
  | { readonly type: 'loading'; readonly id: number; readonly what: 'digits' }
  | { readonly type: 'ready'; readonly id: number; readonly runs: readonly { readonly info: SessionInfo; readonly probe: ProbeSnapshot; readonly boundary: BoundaryGrid | null; readonly net: NetSnapshot }[] }
  | {
      readonly type: 'progress';
      readonly id: number;
      /** Updates applied so far (the same for every run of a lock-step pair until one stops). */
      readonly step: number;
      readonly runs: readonly RunProgress[];
      /** When the message was posted, in ms since the epoch (performance.timeOrigin + now(), comparable across the page and the worker). */
      readonly at: number;
    }
  /** Training stopped: paused, the requested steps done, or every run ended; `seq` is the last command seen before. */
  | { readonly type: 'stopped'; readonly id: number; readonly seq: number; readonly step: number; readonly reason: 'paused' | 'steps_done' | 'ended' }
  | { readonly type: 'neurons'; readonly id: number; readonly run: number; readonly grid: NeuronGrid }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
