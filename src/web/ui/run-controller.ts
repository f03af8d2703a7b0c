/**
 * The page's side of a training run: starts the worker, sends it the plan
 * and the play/pause/step commands, and accumulates what it reports into a
 * RunHistory the charts read. Listeners are told about changes at most
 * every `throttleMs`, so a fast run redraws a few times a second, not on
 * every message.
 */
import type { NonFiniteFinding } from '../../nn/nonfinite.js';
import type { RunPlan } from '../engine/plan.js';
import type { BoundaryGrid, ProbeSnapshot, StepRecords } from '../engine/session.js';
import type { FromWorker, SessionInfo, ToWorker } from '../worker/protocol.js';

/** What the run is doing. */
export type RunStatus = 'building' | 'loading' | 'ready' | 'playing' | 'paused' | 'finished' | 'diverged' | 'error';

/** A growable Float64Array. */
class Series {
  data = new Float64Array(1024);
  length = 0;

  push(src: ArrayLike<number>): void {
    if (this.length + src.length > this.data.length) {
      const next = new Float64Array(Math.max(this.data.length * 2, this.length + src.length));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    for (let i = 0; i < src.length; i++) this.data[this.length + i] = src[i];
    this.length += src.length;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Everything reported so far about the current run. */
export class RunHistory {
  readonly loss = new Series();
  readonly gradNorm = new Series();
  /** ‖∂C/∂bˡ‖ per step, steps × L row-major. */
  readonly biasGrad = new Series();
  readonly probes: ProbeSnapshot[] = [];
  info: SessionInfo | null = null;
  boundary: BoundaryGrid | null = null;
  nonFinite: NonFiniteFinding | null = null;
  status: RunStatus = 'building';
  error: string | null = null;
  stepsPerSecond = 0;
  /** Updates applied so far (the records also hold the step that blew up, if one did). */
  step = 0;
  /** Bumped on every change, for memoised views. */
  version = 0;

  constructor(readonly plan: RunPlan) {}

  /** Weight layers. */
  get L(): number {
    return this.plan.mlp.sizes.length - 1;
  }

  /** Steps recorded. */
  get steps(): number {
    return this.loss.length;
  }

  add(r: StepRecords): void {
    this.loss.push(r.loss);
    this.gradNorm.push(r.gradNorm);
    this.biasGrad.push(r.biasGrad);
  }
}

/** Drives one worker; `setup` starts a new run on it. */
export class RunController {
  private readonly worker: Worker;
  private id = 0;
  private history: RunHistory | null = null;
  private readonly listeners = new Set<(h: RunHistory) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastNotify = 0;

  constructor(private readonly digitsUrl: string, private readonly throttleMs = 150) {
    this.worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'gradscope-training' });
    this.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.onMessage(e.data));
    this.worker.addEventListener('error', (e) => {
      if (this.history) {
        this.history.status = 'error';
        this.history.error = e.message || 'the training worker failed';
        this.notify(true);
      }
    });
  }

  /** The current run's history. */
  get current(): RunHistory | null {
    return this.history;
  }

  /** Calls `fn` after changes; returns the unsubscribe function. */
  subscribe(fn: (h: RunHistory) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Starts a new run of `plan` (same plan and seed → same run). */
  setup(plan: RunPlan): RunHistory {
    this.id++;
    this.history = new RunHistory(plan);
    this.send({ type: 'setup', id: this.id, plan, digitsUrl: this.digitsUrl });
    this.notify(true);
    return this.history;
  }

  play(): void {
    const h = this.history;
    if (!h || !(h.status === 'ready' || h.status === 'paused')) return;
    h.status = 'playing';
    this.send({ type: 'play', id: this.id });
    this.notify(true);
  }

  pause(): void {
    if (this.history?.status === 'playing') this.send({ type: 'pause', id: this.id });
  }

  step(count = 1): void {
    const h = this.history;
    if (!h || !(h.status === 'ready' || h.status === 'paused')) return;
    h.status = 'playing';
    this.send({ type: 'step', id: this.id, count });
    this.notify(true);
  }

  /** Stops the worker for good. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
    this.worker.terminate();
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    const h = this.history;
    if (!h || m.id !== this.id) return; // a message of an earlier run
    switch (m.type) {
      case 'loading':
        h.status = 'loading';
        break;
      case 'ready':
        h.info = m.info;
        h.probes.push(m.probe);
        h.boundary = m.boundary;
        h.status = 'ready';
        break;
      case 'progress':
        h.add(m.records);
        h.probes.push(...m.probes);
        if (m.boundary) h.boundary = m.boundary;
        h.stepsPerSecond = m.stepsPerSecond;
        h.step = m.step;
        break;
      case 'stopped':
        h.step = m.step;
        h.nonFinite = m.nonFinite;
        h.status = m.reason === 'non_finite' ? 'diverged' : m.reason === 'max_steps' ? 'finished' : 'paused';
        break;
      case 'error':
        h.status = 'error';
        h.error = m.message;
        break;
    }
    h.version++;
    this.notify(m.type !== 'progress');
  }

  /** Tells the listeners, at once or at most every `throttleMs`. */
  private notify(now: boolean): void {
    const h = this.history;
    if (!h) return;
    const fire = (): void => {
      this.timer = null;
      this.lastNotify = performance.now();
      for (const fn of this.listeners) fn(h);
    };
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      fire();
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.throttleMs - (performance.now() - this.lastNotify));
    this.timer = setTimeout(fire, wait);
  }
}
