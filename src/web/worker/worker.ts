/**
 * The training worker: owns one Session at a time and trains it in chunks of
 * about 30 ms, posting step records, the probes (at fixed steps, so a run's
 * charts do not depend on timing) and the decision boundary, so the page
 * never freezes. Pause, step and a new setup take effect between two steps.
 */
import { decodeDigits, isGzip } from '../engine/digits-codec.js';
import { planData, Session, type BoundaryGrid, type ProbeSnapshot } from '../engine/session.js';
import { setUpKernelThreads } from './kernel-threads.js';
import type { FromWorker, SessionInfo, ToWorker } from './protocol.js';

/** The parts of the worker's global scope used here (the DOM typings describe a window). */
interface WorkerScope {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
}

/** Resolution of the decision-boundary grid. */
const BOUNDARY_RES = 60;
/** Minimum time between two boundary renders, in ms. */
const BOUNDARY_EVERY_MS = 150;
/** Target duration of a training chunk, in ms. */
const CHUNK_MS = 30;

/** Fetches and decodes the embedded digits (gzipped bytes, see digits-codec.ts). */
async function fetchDigits(url: string): Promise<Float64Array[]> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load the digits from ${url}: HTTP ${res.status}`);
  let bytes = new Uint8Array(await res.arrayBuffer());
  // a host may already have removed the gzip layer (Content-Encoding): check the bytes, not the name
  if (isGzip(bytes)) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return decodeDigits(bytes);
}

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The worker's state: the current session and what it is doing. */
class Runner {
  private session: Session | null = null;
  private id = -1;
  private mode: 'idle' | 'playing' | 'stepping' = 'idle';
  private remaining = 0;
  private looping = false;
  private digits: Promise<Float64Array[]> | null = null;
  private lastBoundary = 0;
  private chunk = 8;

  constructor(private readonly post: (m: FromWorker) => void) {}

  /** Handles one message from the page. */
  async onMessage(m: ToWorker): Promise<void> {
    try {
      if (m.type === 'setup') await this.setup(m.id, m.plan, m.digitsUrl);
      else if (m.id !== this.id || !this.session) return;
      else if (m.type === 'pause') this.mode = 'idle';
      else if (m.type === 'play') this.start('playing', 0);
      else if (m.type === 'step') this.start('stepping', m.count);
    } catch (e) {
      this.mode = 'idle';
      this.post({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async setup(id: number, plan: Session['plan'], digitsUrl: string): Promise<void> {
    this.id = id;
    this.mode = 'idle';
    this.session = null;
    let raw: Float64Array[] | undefined;
    if (plan.data.name === 'digits') {
      if (!this.digits) {
        this.post({ type: 'loading', id, what: 'digits' });
        this.digits = fetchDigits(digitsUrl);
        this.digits.catch(() => (this.digits = null));
      }
      raw = await this.digits;
      if (id !== this.id) return; // a newer setup arrived while loading
    }
    const session = new Session(plan, planData(plan, raw));
    this.session = session;
    const tr = session.data.train;
    const info: SessionInfo = {
      sizes: plan.mlp.sizes,
      activations: session.net.weightLayers.map((_, l) => session.net.activationAfter(l)?.name ?? 'maxout'),
      trainN: tr.n,
      testN: session.data.test.n,
      probeEvery: session.probeEvery,
      points: tr.inputSize === 2 ? { x: tr.x.slice(), labels: tr.labels.slice(), classes: tr.classes } : null,
    };
    this.lastBoundary = performance.now();
    this.post({ type: 'ready', id, info, probe: session.probe(), boundary: this.boundaryOf(session) });
  }

  private boundaryOf(s: Session): BoundaryGrid | null {
    return s.data.train.inputSize === 2 && s.nonFinite === null ? s.boundary(BOUNDARY_RES) : null;
  }

  /** True when paused (read fresh: a message may change the mode between two steps). */
  private idle(): boolean {
    return this.mode === 'idle';
  }

  private start(mode: 'playing' | 'stepping', count: number): void {
    const s = this.session;
    if (!s) return;
    if (s.finished) {
      this.post({ type: 'stopped', id: this.id, step: s.step, reason: s.nonFinite ? 'non_finite' : 'max_steps', nonFinite: s.nonFinite });
      return;
    }
    this.mode = mode;
    this.remaining = count;
    if (!this.looping) void this.loop();
  }

  /** Trains chunk by chunk until paused, done or replaced, posting after each chunk. */
  private async loop(): Promise<void> {
    this.looping = true;
    const loopId = this.id;
    try {
      // a new setup ends this loop silently; its own play starts a new one
      while (this.session && this.id === loopId) {
        const s = this.session;
        const id = this.id;
        if (this.idle()) {
          // paused while waiting between two chunks: report where it stopped
          const probe = s.probe();
          this.post({ type: 'progress', id, step: s.step, records: merge([], s.L, s.step), probes: [probe], boundary: this.boundaryOf(s), stepsPerSecond: 0 });
          this.post({ type: 'stopped', id, step: s.step, reason: 'paused', nonFinite: s.nonFinite });
          break;
        }
        const t0 = performance.now();
        const probes: ProbeSnapshot[] = [];
        let want = this.mode === 'stepping' ? Math.min(this.remaining, this.chunk) : this.chunk;
        const startStep = s.step;
        const recs = [];
        // up to the next probe step at a time, so probes fall on fixed steps
        while (want > 0 && !s.finished && !this.idle() && id === this.id) {
          const toProbe = s.probeEvery - (s.step % s.probeEvery);
          const r = s.run(Math.min(want, toProbe), () => this.idle() || id !== this.id);
          recs.push(r);
          want -= r.count;
          if (this.mode === 'stepping') this.remaining -= r.count;
          if (r.count === 0) break;
          if (s.step % s.probeEvery === 0 || s.finished) probes.push(s.probe());
        }
        if (id !== this.id) break;
        const ms = performance.now() - t0;
        const done = s.step - startStep;
        if (done > 0) this.chunk = Math.max(1, Math.min(5000, Math.round((this.chunk * CHUNK_MS) / Math.max(ms, 1))));
        const stoppedBy = s.nonFinite ? 'non_finite' : s.finished ? 'max_steps' : this.mode === 'stepping' && this.remaining <= 0 ? 'steps_done' : this.idle() ? 'paused' : null;
        // the page's verdict and bars should describe the weights it stops at
        if (stoppedBy && (probes.length === 0 || probes[probes.length - 1].step !== s.step)) probes.push(s.probe());
        const now = performance.now();
        const boundary = now - this.lastBoundary >= BOUNDARY_EVERY_MS || stoppedBy ? this.boundaryOf(s) : null;
        if (boundary) this.lastBoundary = now;
        this.post({ type: 'progress', id, step: s.step, records: merge(recs, s.L, startStep), probes, boundary, stepsPerSecond: ms > 0 ? (1000 * done) / ms : 0 });
        if (stoppedBy) {
          this.mode = 'idle';
          this.post({ type: 'stopped', id, step: s.step, reason: stoppedBy, nonFinite: s.nonFinite });
          break;
        }
        await yieldToEvents();
      }
    } catch (e) {
      this.mode = 'idle';
      this.post({ type: 'error', id: this.id, message: e instanceof Error ? e.message : String(e) });
    } finally {
      this.looping = false;
    }
    // a play or step that arrived while the last chunk finished
    if (!this.idle()) void this.loop();
  }
}

/** Concatenates consecutive chunk records into one. */
function merge(recs: readonly ReturnType<Session['run']>[], L: number, start: number): ReturnType<Session['run']> {
  const count = recs.reduce((n, r) => n + r.count, 0);
  const loss = new Float64Array(count);
  const gradNorm = new Float64Array(count);
  const clipped = new Uint8Array(count);
  const biasGrad = new Float64Array(count * L);
  let o = 0;
  for (const r of recs) {
    loss.set(r.loss, o);
    gradNorm.set(r.gradNorm, o);
    clipped.set(r.clipped, o);
    biasGrad.set(r.biasGrad, o * L);
    o += r.count;
  }
  return { start, count, layers: L, loss, gradNorm, clipped, biasGrad };
}

// on a cross-origin-isolated page the large products are split across cores
setUpKernelThreads();
const scope = self as unknown as WorkerScope;
const runner = new Runner((m) => scope.postMessage(m));
scope.addEventListener('message', (e) => void runner.onMessage(e.data));
