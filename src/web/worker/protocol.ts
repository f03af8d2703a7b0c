/**
 * The messages between the playground page and its training worker. The
 * page sends a plan and commands; the worker answers with step records,
 * probes and, for 2-D data, the decision boundary. Every message is plain
 * structured-cloneable data.
 */
import type { NonFiniteFinding } from '../../nn/nonfinite.js';
import type { BoundaryGrid, ProbeSnapshot, StepRecords } from '../engine/session.js';
import type { RunPlan } from '../engine/plan.js';

/** The points of a 2-D training set, for drawing over the decision boundary. */
export interface Points2D {
  readonly x: Float32Array;
  readonly labels: Uint8Array;
  readonly classes: number;
}

/** Page → worker. */
export type ToWorker =
  /** Builds a fresh session (same plan and seed → same run); `digitsUrl` is where to fetch the digits if the plan needs them. */
  | { readonly type: 'setup'; readonly id: number; readonly plan: RunPlan; readonly digitsUrl: string }
  /** Trains until paused, the step budget or a non-finite value. */
  | { readonly type: 'play'; readonly id: number }
  /** Takes `count` steps, then stops. */
  | { readonly type: 'step'; readonly id: number; readonly count: number }
  | { readonly type: 'pause'; readonly id: number };

/** What the worker knows once a session is built. */
export interface SessionInfo {
  readonly sizes: readonly number[];
  readonly activations: readonly string[];
  readonly trainN: number;
  readonly testN: number;
  readonly probeEvery: number;
  readonly points: Points2D | null;
}

/** Worker → page. Every message carries the id of the setup it belongs to, so late messages of an old run are dropped. */
export type FromWorker =
  | { readonly type: 'loading'; readonly id: number; readonly what: 'digits' }
  | { readonly type: 'ready'; readonly id: number; readonly info: SessionInfo; readonly probe: ProbeSnapshot; readonly boundary: BoundaryGrid | null }
  | {
      readonly type: 'progress';
      readonly id: number;
      /** Updates applied so far. */
      readonly step: number;
      readonly records: StepRecords;
      readonly probes: readonly ProbeSnapshot[];
      readonly boundary: BoundaryGrid | null;
      readonly stepsPerSecond: number;
    }
  | { readonly type: 'stopped'; readonly id: number; readonly step: number; readonly reason: 'paused' | 'max_steps' | 'non_finite' | 'steps_done'; readonly nonFinite: NonFiniteFinding | null }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
