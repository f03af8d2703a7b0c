/**
 * The page's side of training: starts the worker, sends it one or two
 * runs' settings (two train in lock step) and the play/pause/step/speed commands,
 * and accumulates what it reports into one RunHistory per run, which the
 * charts read. Listeners are told about changes at most every `throttleMs`,
 * so a fast run redraws a few times a second, not on every message.
 */
import type { NonFiniteFinding } from '../../nn/nonfinite.js';
import type { RunSpec } from '../../run/schema.js';
import type { BoundaryGrid, ProbeSnapshot, StepRecords } from '../engine/session.js';
import type { NetSnapshot, NeuronGrid } from '../engine/snapshot.js';
import type { FromWorker, RunEnd, RunSetup, SessionInfo, Speed, ToWorker } from '../worker/protocol.js';

/** What the runs are doing (they play, pause and step together). */
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

/** Steps per block of the log sums that make long runs' geometric means cheap. */
export const BLOCK = 32;

/** Everything reported so far about one run. */
export class RunHistory {
  readonly loss = new Series();
  readonly gradNorm = new Series();
  /** ‖∂C/∂bˡ‖ per step, steps × L row-major. */
  readonly biasGrad = new Series();
  /** Per whole block of BLOCK steps and layer: the sum of ln ‖∂C/∂bˡ‖ over its positive finite values, and their count (blocks × L). */
  private readonly logSum = new Series();
  private readonly logCount = new Series();
  readonly probes: ProbeSnapshot[] = [];
  info: SessionInfo | null = null;
  boundary: BoundaryGrid | null = null;
  net: NetSnapshot | null = null;
  /** Every neuron's output over the plane, when asked for (2-D data). */
  neurons: NeuronGrid | null = null;
  nonFinite: NonFiniteFinding | null = null;
  /** Why the run stopped for good, once it has. */
  end: RunEnd | null = null;
  /** ‖∇‖ of the last step. */
  lastGradNorm = NaN;
  /** Updates applied so far (the records also hold the step that blew up, if one did). */
  step = 0;
  /** Bumped on every change, for memoised views. */
  version = 0;

  constructor(readonly spec: RunSpec) {}

  /** Weight layers. */
  get L(): number {
    return this.spec.arch.length - 1;
  }

  /** The run's step limit (the lab always sets one). */
  get maxSteps(): number {
    return this.spec.maxSteps ?? 0;
  }

  /** Steps recorded. */
  get steps(): number {
    return this.loss.length;
  }

  add(r: StepRecords): void {
    this.loss.push(r.loss);
    this.gradNorm.push(r.gradNorm);
    this.biasGrad.push(r.biasGrad);
    const L = r.layers;
    const g = this.biasGrad.data;
    for (let blk = this.logSum.length / L; (blk + 1) * BLOCK <= this.steps; blk++) {
      const sum = new Float64Array(L);
      const cnt = new Float64Array(L);
      for (let i = blk * BLOCK; i < (blk + 1) * BLOCK; i++) {
        for (let l = 0; l < L; l++) {
          const v = g[i * L + l];
          if (v > 0 && Number.isFinite(v)) {
            sum[l] += Math.log(v);
            cnt[l]++;
          }
        }
      }
      this.logSum.push(sum);
      this.logCount.push(cnt);
    }
  }

  /** Geometric mean of the positive finite ‖∂C/∂bˡ‖ of layer l over steps [a, b) (whole blocks from their sums); null when there is none. */
  geoMeanGrad(a: number, b: number, l: number): number | null {
    const L = this.L;
    const g = this.biasGrad.data;
    const sums = this.logSum.data;
    const counts = this.logCount.data;
    const blocks = this.logSum.length / L;
    let s = 0;
    let c = 0;
    let i = a;
    while (i < b) {
      const blk = i / BLOCK;
      if (Number.isInteger(blk) && blk < blocks && i + BLOCK <= b) {
        s += sums[blk * L + l];
        c += counts[blk * L + l];
        i += BLOCK;
        continue;
      }
      const v = g[i * L + l];
      if (v > 0 && Number.isFinite(v)) {
        s += Math.log(v);
        c++;
      }
      i++;
    }
    return c > 0 ? Math.exp(s / c) : null;
  }
}

/** The runs of one setup and what they are doing together. */
export class RunGroup {
  readonly runs: readonly RunHistory[];
  status: RunStatus = 'building';
  /** True while the worker has not yet confirmed the status the page already shows (a pause). */
  pending = false;
  error: string | null = null;
  stepsPerSecond = 0;
  /** Updates applied so far (of the first run). */
  step = 0;
  /** Bumped on every change. */
  version = 0;

  constructor(readonly setups: readonly RunSetup[]) {
    this.runs = setups.map((s) => new RunHistory(s.spec));
  }
}

/** Drives one worker; `setup` starts new runs on it. */
export class RunController {
  private readonly worker: Worker;
  private id = 0;
  /** Number of the last play/step/pause command. */
  private seq = 0;
  private group: RunGroup | null = null;
  private readonly listeners = new Set<(g: RunGroup) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastNotify = 0;
  /** (time, step) of the progress messages of the last second, for the measured pace. */
  private samples: [number, number][] = [];

  constructor(private readonly digitsUrl: string, private readonly throttleMs = 150) {
    this.worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'gradscope-training' });
    this.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.onMessage(e.data));
    this.worker.addEventListener('error', (e) => {
      if (this.group) {
        this.group.status = 'error';
        this.group.error = e.message || 'the training worker failed';
        this.notify(true);
      }
    });
  }

  /** The current runs. */
  get current(): RunGroup | null {
    return this.group;
  }

  /** Calls `fn` after changes; returns the unsubscribe function. */
  subscribe(fn: (g: RunGroup) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Starts new runs (same settings and seed → same runs); two train in lock step. */
  setup(runs: readonly RunSetup[], speed: Speed): RunGroup {
    this.id++;
    this.group = new RunGroup(runs);
    this.send({ type: 'setup', id: this.id, runs, digitsUrl: this.digitsUrl, speed });
    this.notify(true);
    return this.group;
  }

  /** Drops the runs (the settings no longer describe a run): the worker stops, and late messages of the old runs are ignored. */
  clear(): void {
    if (!this.group) return;
    if (this.group.status === 'playing') this.send({ type: 'pause', id: this.id, seq: ++this.seq });
    this.id++;
    this.group = null;
    this.notify(true);
  }

  play(): void {
    const g = this.group;
    if (!g || !(g.status === 'ready' || g.status === 'paused')) return;
    g.status = 'playing';
    g.pending = false;
    this.send({ type: 'play', id: this.id, seq: ++this.seq });
    this.notify(true);
  }

  /**
   * Pauses at once on the page: the worker takes no step after the chunk it
   * is in (at most 25 ms of steps), and confirms once a probe it may be
   * computing is done; until then the status is `pending`.
   */
  pause(): void {
    const g = this.group;
    if (g?.status !== 'playing') return;
    g.status = 'paused';
    g.pending = true;
    this.send({ type: 'pause', id: this.id, seq: ++this.seq });
    this.notify(true);
  }

  step(count = 1): void {
    const g = this.group;
    if (!g || !(g.status === 'ready' || g.status === 'paused')) return;
    g.status = 'playing';
    g.pending = false;
    this.send({ type: 'step', id: this.id, seq: ++this.seq, count });
    this.notify(true);
  }

  /** Changes the pace (steps per second, null: as fast as possible) without restarting. */
  setSpeed(speed: Speed): void {
    if (this.group) this.send({ type: 'speed', id: this.id, speed });
  }

  /** Asks for every neuron's output of run `run` over a res × res grid (2-D data); the answer lands in its history. */
  requestNeurons(run: number, res: number): void {
    if (this.group?.runs[run]?.info?.points) this.send({ type: 'neurons', id: this.id, run, res });
  }

  /** Stops the worker for good. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
    this.worker.terminate();
  }

  private send(m: ToWorker): void {
    if (m.type !== 'neurons' && m.type !== 'speed') this.samples = [];
    this.worker.postMessage(m);
  }

  /** Steps per second over the last second of progress, on the worker's clock (`at`, ms since the epoch). */
  private pace(at: number, step: number): number {
    const now = at;
    this.samples.push([now, step]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 1000) this.samples.shift();
    const [t0, s0] = this.samples[0];
    return now > t0 ? (1000 * (step - s0)) / (now - t0) : 0;
  }

  private onMessage(m: FromWorker): void {
    const g = this.group;
    if (!g || m.id !== this.id) return; // a message of an earlier setup
    switch (m.type) {
      case 'loading':
        g.status = 'loading';
        break;
      case 'ready':
        m.runs.forEach((r, i) => {
          const h = g.runs[i];
          h.info = r.info;
          h.probes.push(r.probe);
          h.boundary = r.boundary;
          h.net = r.net;
          h.version++;
        });
        g.status = 'ready';
        break;
      case 'progress':
        m.runs.forEach((r, i) => {
          const h = g.runs[i];
          h.add(r.records);
          h.probes.push(...r.probes);
          if (r.boundary) h.boundary = r.boundary;
          if (r.net) h.net = r.net;
          h.end = r.end;
          h.nonFinite = r.nonFinite;
          h.lastGradNorm = r.lastGradNorm;
          h.step = r.step;
          if (r.records.count > 0 || r.probes.length > 0 || r.net) h.version++;
        });
        g.step = m.step;
        g.stepsPerSecond = this.pace(m.at, m.step);
        break;
      case 'stopped':
        g.step = m.step;
        // a stop that answers an older command (a play sent since) changes nothing but the count
        if (m.seq < this.seq && m.reason !== 'ended') break;
        g.pending = false;
        g.status = m.reason !== 'ended' ? 'paused' : g.runs.every((h) => h.end === 'non_finite') ? 'diverged' : 'finished';
        break;
      case 'neurons': {
        const h = g.runs[m.run];
        if (h) {
          h.neurons = m.grid;
          h.version++;
        }
        break;
      }
      case 'error':
        g.status = 'error';
        g.error = m.message;
        break;
    }
    g.version++;
    this.notify(m.type !== 'progress');
  }

  /** Tells the listeners, at once or at most every `throttleMs`. */
  private notify(now: boolean): void {
    const g = this.group;
    if (!g) return;
    const fire = (): void => {
      this.timer = null;
      this.lastNotify = performance.now();
      for (const fn of this.listeners) fn(g);
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
