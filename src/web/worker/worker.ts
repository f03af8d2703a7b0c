/**
 * The training worker: owns the Sessions of one setup (two of them train in
 * lock step) and trains them in chunks bounded in time, not in steps, each
 * chunk either steps or one probe, with a look at the messages between, so a
 * pause takes effect within one chunk whatever came before. It posts step
 * records, the probes (at fixed steps, so a run's charts do not depend on
 * timing), and at most every 150 ms the decision boundary and the weights;
 * at a chosen speed it paces the steps instead of running flat out.
 */
import { makeDataset, splitTrainTest } from '../../data/batch.js';
import { decodeDigits, isGzip } from '../engine/digits-codec.js';
import { runSplit, Session, type BoundaryGrid, type RunSplit, type ProbeSnapshot, type StepRecords } from '../engine/session.js';
import { netSnapshot, neuronGrid } from '../engine/snapshot.js';
import { setUpKernelThreads } from './kernel-threads.js';
import type { FromWorker, RunProgress, RunSetup, SessionInfo, Speed, ToWorker } from './protocol.js';

/** The parts of the worker's global scope used here (the DOM typings describe a window). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
}

/** Resolution of the decision-boundary grid. */
const BOUNDARY_RES = 60;
/** Minimum time between two boundary and weight snapshots, in ms. */
const DRAW_EVERY_MS = 150;
/** Longest stretch of training between two looks at the message queue, in ms (pause latency is about this). */
const CHUNK_MS = 25;

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

// a message to ourselves yields to the event loop without the 4 ms clamp of nested timers
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToEvents = (): Promise<void> =>
  new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Milliseconds since the epoch on a clock the page shares. */
const epochNow = (): number => performance.timeOrigin + performance.now();

/** Concatenates consecutive chunk records into one. */
function merge(recs: readonly StepRecords[], L: number, start: number): StepRecords {
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

/** The data of one run: the reader's own rows split as the built-in sets are, or the run's data set. */
function dataOf(run: RunSetup, digits: readonly Float64Array[] | undefined): RunSplit {
  const c = run.custom;
  if (!c) return runSplit(run.spec, digits);
  const whole = makeDataset({ name: c.name, inputSize: 2, classes: c.classes, x: c.x, labels: c.labels });
  return splitTrainTest(whole, run.spec.testFraction, run.spec.seed);
}

/** One session with what the worker remembers about it. */
interface Slot {
  readonly s: Session;
  /** Extent of the 2-D plane (null for other data). */
  readonly extent: readonly [number, number, number, number] | null;
  /** True once its end has been reported. */
  ended: boolean;
  /** Step of the last probe posted. */
  probedAt: number;
}

/** The worker's state: the current sessions and what they are doing. */
class Runner {
  private slots: Slot[] = [];
  private id = -1;
  private mode: 'idle' | 'playing' | 'stepping' = 'idle';
  private remaining = 0;
  private looping = false;
  /** The last play/step/pause command's number. */
  private seq = 0;
  private digits: Promise<Float64Array[]> | null = null;
  private lastDraw = 0;
  private speed: Speed = null;
  /** When pacing started and the step it started from. */
  private paceT0 = 0;
  private paceStep0 = 0;

  constructor(private readonly post: (m: FromWorker, transfer?: Transferable[]) => void) {}

  /** Handles one message from the page. */
  async onMessage(m: ToWorker): Promise<void> {
    try {
      if (m.type === 'setup') return await this.setup(m.id, m.runs, m.digitsUrl, m.speed);
      if (m.id !== this.id || this.slots.length === 0) return;
      if (m.type === 'pause' || m.type === 'play' || m.type === 'step') this.seq = m.seq;
      if (m.type === 'pause') this.mode = 'idle';
      else if (m.type === 'play') this.start('playing', 0);
      else if (m.type === 'step') this.start('stepping', m.count);
      else if (m.type === 'speed') {
        this.speed = m.speed;
        this.restartPace();
      } else if (m.type === 'neurons') this.neurons(m.run, m.res);
    } catch (e) {
      this.mode = 'idle';
      this.post({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async setup(id: number, runs: readonly RunSetup[], digitsUrl: string, speed: Speed): Promise<void> {
    this.id = id;
    this.mode = 'idle';
    this.slots = [];
    this.speed = speed;
    let raw: Float64Array[] | undefined;
    if (runs.some((r) => r.custom === null && r.spec.data === 'digits')) {
      if (!this.digits) {
        this.post({ type: 'loading', id, what: 'digits' });
        this.digits = fetchDigits(digitsUrl);
        this.digits.catch(() => (this.digits = null));
      }
      raw = await this.digits;
      if (id !== this.id) return; // a newer setup arrived while loading
    }
    this.slots = runs.map((r) => {
      const s = new Session(r.spec, dataOf(r, raw));
      return { s, extent: s.data.train.inputSize === 2 ? s.boundary(2).extent : null, ended: false, probedAt: 0 };
    });
    this.lastDraw = performance.now();
    this.post({
      type: 'ready',
      id,
      runs: this.slots.map(({ s }) => {
        const tr = s.data.train;
        const info: SessionInfo = {
          sizes: s.spec.arch,
          activations: s.net.weightLayers.map((_, l) => s.net.activationAfter(l)?.name ?? 'maxout'),
          trainN: tr.n,
          testN: s.data.test.n,
          probeEvery: s.probeEvery,
          parameters: s.parameters,
          points: tr.inputSize === 2 ? { x: tr.x.slice(), labels: tr.labels.slice(), classes: tr.classes } : null,
        };
        // the probe first: it leaves the probe batch's gradients in the buffers the snapshot reads
        const probe = s.probe();
        return { info, probe, boundary: this.boundaryOf(s), net: netSnapshot(s) };
      }),
    });
  }

  private boundaryOf(s: Session): BoundaryGrid | null {
    return s.data.train.inputSize === 2 && s.nonFinite === null ? s.boundary(BOUNDARY_RES) : null;
  }

  private neurons(run: number, res: number): void {
    const slot = this.slots[run];
    if (!slot?.extent || slot.s.nonFinite) return;
    const grid = neuronGrid(slot.s, slot.extent, res);
    this.post({ type: 'neurons', id: this.id, run, grid }, grid.outputs.map((o) => o.buffer as ArrayBuffer));
  }

  /** A probe of `x` unless one was already posted at its current step. */
  private probeIfNew(x: Slot): ProbeSnapshot[] {
    if (x.probedAt === x.s.step) return [];
    x.probedAt = x.s.step;
    return [x.s.probe()];
  }

  /** True when paused (read fresh: a message may change the mode between two steps). */
  private idle(): boolean {
    return this.mode === 'idle';
  }

  /** The first session still training: the others follow its step count. */
  private lead(): Session | null {
    return this.slots.find((x) => !x.s.finished)?.s ?? null;
  }

  private restartPace(): void {
    this.paceT0 = performance.now();
    this.paceStep0 = this.lead()?.step ?? 0;
  }

  private start(mode: 'playing' | 'stepping', count: number): void {
    if (!this.lead()) {
      this.post({ type: 'stopped', id: this.id, seq: this.seq, step: this.slots[0]?.s.step ?? 0, reason: 'ended' });
      return;
    }
    this.mode = mode;
    this.remaining = count;
    this.restartPace();
    if (!this.looping) void this.loop();
  }

  /** Progress of every session: its records since `starts`, its probes, and (when due) its boundary and weights. */
  private progress(recs: readonly StepRecords[][], starts: readonly number[], probes: readonly ProbeSnapshot[][], draw: boolean): RunProgress[] {
    return this.slots.map(({ s }, i) => ({
      step: s.step,
      records: merge(recs[i], s.L, starts[i]),
      probes: probes[i],
      boundary: draw ? this.boundaryOf(s) : null,
      net: draw ? netSnapshot(s) : null,
      end: s.stopReason,
      nonFinite: s.nonFinite,
      lastGradNorm: s.lastGradNorm,
    }));
  }

  /** Trains chunk by chunk until paused, done or replaced, posting after each chunk. */
  private async loop(): Promise<void> {
    this.looping = true;
    const loopId = this.id;
    try {
      // a new setup ends this loop silently; its own play starts a new one
      while (this.slots.length > 0 && this.id === loopId) {
        const id = this.id;
        const slots = this.slots;
        const none = slots.map((): StepRecords[] => []);
        if (this.idle()) {
          // paused between two chunks: say so at once, then describe the weights it stopped at
          const step = slots[0].s.step;
          this.post({ type: 'stopped', id, seq: this.seq, step, reason: 'paused' });
          const probes = slots.map((x) => this.probeIfNew(x));
          this.post({ type: 'progress', id, step, runs: this.progress(none, slots.map(({ s }) => s.step), probes, true), at: epochNow() });
          break;
        }
        const starts = slots.map(({ s }) => s.step);
        const recs = slots.map((): StepRecords[] => []);
        // a probe due at a fixed step comes alone, after a look at the messages: a pause never waits for steps and a probe
        const probes = slots.map((x) => (x.s.step % x.s.probeEvery === 0 || x.s.finished ? this.probeIfNew(x) : []));
        if (probes.every((p) => p.length === 0)) {
          // at a chosen speed, only the steps that are due by now
          let want = this.mode === 'stepping' ? this.remaining : Infinity;
          const lead0 = this.lead();
          if (this.mode === 'playing' && this.speed !== null && lead0) {
            const due = Math.floor((this.speed * (performance.now() - this.paceT0)) / 1000) - (lead0.step - this.paceStep0);
            if (due <= 0) {
              await sleep(Math.min(50, Math.max(1, 1000 / this.speed)));
              continue;
            }
            want = Math.min(want, due);
          }
          const deadline = performance.now() + CHUNK_MS;
          const stop = (): boolean => this.idle() || id !== this.id || performance.now() >= deadline;
          // up to the next probe step of any session, so probes fall on fixed steps
          const lead = this.lead();
          if (lead && want > 0) {
            const live = slots.filter((x) => !x.s.finished);
            const toProbe = Math.min(...live.map(({ s }) => s.probeEvery - (s.step % s.probeEvery)));
            const before = lead.step;
            recs[slots.findIndex((x) => x.s === lead)].push(lead.run(Math.min(want, toProbe), stop));
            const k = lead.step - before;
            // the others take exactly as many steps, uninterrupted, so step k is step k in every run
            for (const x of live) if (x.s !== lead && k > 0) recs[slots.indexOf(x)].push(x.s.run(k));
            if (this.mode === 'stepping') this.remaining -= k;
          }
        }
        if (id !== this.id) break;
        // when these steps ended (the message itself may wait for the snapshots below)
        const at = epochNow();
        const due = slots.some((x) => x.probedAt !== x.s.step && (x.s.step % x.s.probeEvery === 0 || x.s.finished));
        const stoppedBy = due ? null : this.lead() === null ? 'ended' : this.mode === 'stepping' && this.remaining <= 0 ? 'steps_done' : null;
        // the page's verdict and bars describe the weights it stops at
        if (stoppedBy) slots.forEach((x, i) => probes[i].push(...this.probeIfNew(x)));
        const now = performance.now();
        const draw = now - this.lastDraw >= DRAW_EVERY_MS || stoppedBy !== null || slots.some((x) => !x.ended && x.s.finished);
        if (draw) this.lastDraw = now;
        for (const x of slots) if (x.s.finished) x.ended = true;
        this.post({ type: 'progress', id, step: slots[0].s.step, runs: this.progress(recs, starts, probes, draw), at });
        if (stoppedBy) {
          this.mode = 'idle';
          this.post({ type: 'stopped', id, seq: this.seq, step: slots[0].s.step, reason: stoppedBy });
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

// on a cross-origin-isolated page the large products are split across cores
setUpKernelThreads();
const scope = self as unknown as WorkerScope;
const runner = new Runner((m, transfer) => scope.postMessage(m, transfer));
scope.addEventListener('message', (e) => void runner.onMessage(e.data));
