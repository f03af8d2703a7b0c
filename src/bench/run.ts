/**
 * Runs the bench: for each workload, prepares every contender, checks that
 * the training contenders start from the same loss, runs one untimed warm-up
 * repetition each (JIT and WebAssembly tier-up; skipped by --quick, which is
 * a smoke test) which also fixes how many runs of its trial make one timed
 * repetition (at least REP_SECONDS), then alternates them repetition by
 * repetition — rotating who goes first, each starting on a quiet machine
 * (quiet.ts) — so drifts in clock speed or machine load hit all of them
 * alike; reports the median and min–max throughput, the ratio gradscope /
 * peer of medians, and gradscope's best configuration against each peer's
 * best.
 */
import { availableParallelism } from 'node:os';
import { loadDigits } from '../data/node.js';
import { msg, phrase } from '../i18n/catalogue.js';
import type { Lang } from '../i18n/lang.js';
import type { Msg } from '../i18n/message.js';
import { takeFirst } from '../data/batch.js';
import { jsKernels, type Kernels } from '../tensor/kernels.js';
import { relaxedSupported } from '../tensor/wasm/module.js';
import { setKernelThreads, type KernelThreads, type ThreadStats } from '../tensor/wasm/threads.js';
import { fastKernels } from '../tensor/wasm/wasm-kernels.js';
import type { Contender, Trial } from './contender.js';
import { gradscopeContender, PEAK_NAME, peakContender } from './gradscope.js';
import { machineInfo, type MachineInfo } from './machine.js';
import { QUIET, untilQuiet, type QuietOptions } from './quiet.js';
import { ratio, summarize, type Summary } from './stats.js';
import { loadTfjs, tfjsContender } from './tfjs.js';
import { findTorchPython, torchContender, TorchPeer, type TorchInfo } from './torch.js';
import { batchOf, oneHot, selectWorkloads, unitOf, type BenchData, type Workload } from './workloads.js';

/** The peers the bench knows. */
export type PeerName = 'tfjs' | 'torch';

/** Every peer, in report order. */
export const PEER_NAMES: readonly PeerName[] = ['tfjs', 'torch'];

/** Options of `runBench`. */
export interface BenchOptions {
  /** Fewer steps and repetitions: a smoke test, not a measurement. */
  readonly quick?: boolean;
  /** Run only the workloads whose name is or starts with this. */
  readonly only?: string;
  /** Timed repetitions per contender (default 7, quick 1). */
  readonly reps?: number;
  /** The peers to run where installed (default all; [] none). */
  readonly peers?: readonly PeerName[];
  /** The kernels of the headline `gradscope` contender (default fastKernels()). */
  readonly kernels?: Kernels;
  /** Threads of the threaded gradscope variant, `gradscope-Nt`, and of the multi-threaded PyTorch (default 2; 1: neither). */
  readonly threads?: number;
  /** Starts kernel threads (Node: worker_threads); without it there is no threaded gradscope variant. */
  readonly startThreads?: (n: number) => KernelThreads;
  /** The Python to run PyTorch with (default: the first of $GRADSCOPE_PYTHON, python3, /usr/bin/python3 that imports torch). */
  readonly python?: string;
  /** Shortest timed repetition, seconds (default REP_SECONDS; --quick runs each trial once). */
  readonly repSeconds?: number;
  /** How each timed repetition waits for a quiet machine (default QUIET; --quick does not wait). */
  readonly quiet?: QuietOptions;
  /** Language of the progress messages and the notes (default en). */
  readonly lang?: Lang;
  /** Progress (the CLI shows it on stderr). */
  readonly onProgress?: (p: BenchProgress) => void;
}

/** A progress event: what is happening, and how many of all timed or warm-up runs are done. */
export interface BenchProgress {
  readonly message: string;
  readonly done: number;
  readonly total: number;
}

/** A gradscope variant's result, with its own ratios to the peers. */
export interface VariantResult extends Summary {
  readonly ratio: Readonly<Record<string, number>>;
}

/** gradscope's best configuration against one peer's best, ratio of medians. */
export interface BestRatio {
  readonly gradscope: string;
  readonly peer: string;
  readonly ratio: number;
}

/** One workload's results. */
export interface WorkloadResult {
  readonly name: string;
  readonly title: string;
  readonly unit: 'examples/s' | 'GFLOP/s';
  /** gradscope with its default (fastest) kernels, float32, one thread. */
  readonly gradscope: Summary;
  /** The backend behind `gradscope`: `wasm` or `js`. */
  readonly kernels: string;
  /** Other gradscope variants: `gradscope-Nt` (kernel threads), `gradscope-js` (TypeScript kernels) and, for training, `gradscope-Nt-dense` (kernel threads, the sparse products off) and `gradscope-f64`. */
  readonly variants: Readonly<Record<string, VariantResult>>;
  /** Peers by name: `tfjs-wasm`, `tfjs-cpu`, `torch-1t`, `torch-Nt`. */
  readonly peers: Readonly<Record<string, Summary>>;
  /** gradscope (one thread) / peer, ratio of medians (> 1: gradscope is faster). */
  readonly ratio: Readonly<Record<string, number>>;
  /** gradscope's best configuration (one thread or N) against each peer family's best: `torch`, `tfjs`. */
  readonly best: Readonly<Record<string, BestRatio>>;
  /** Products: the limit on one core of this engine (independent multiply-adds on registers, timed alternately with the contenders); gradscope's median over its median is the fraction of it the kernel reaches. */
  readonly limit?: Summary;
  /** Training workloads: each contender's loss on the first batch at the initial weights (they must agree: the same network, weights and data). */
  readonly initialLoss?: Readonly<Record<string, number>>;
}

/** PyTorch as the bench found it. */
export interface TorchReport extends Omit<TorchInfo, 'threads'> {
  /** Thread counts run, one process each. */
  readonly threads: readonly number[];
}

/** The whole report, as `bench --json` prints it. */
export interface BenchReport {
  readonly machine: MachineInfo & { readonly tfjs: string | null; readonly torch: TorchReport | null };
  readonly quick: boolean;
  readonly reps: number;
  /** How the timed repetitions waited for a quiet machine (null: they did not, --quick): the rule, the waits (ms) and how many started busy anyway. */
  readonly settle: (QuietOptions & { readonly waitedMs: Summary; readonly busyStarts: number; readonly repSeconds: number }) | null;
  /** How gradscope-Nt's jobs went over the whole run (null without kernel threads): split, run alone after a worker held the caller up, the hold-ups. */
  readonly threads: ThreadStats | null;
  readonly notes: readonly string[];
  readonly workloads: readonly WorkloadResult[];
}

/** Examples digits used by the training workloads (enough for every batch size, cycled in order). */
const BENCH_EXAMPLES = 2000;

/** Relative difference of initial losses above which the bench says the contenders do not run the same thing. */
const LOSS_TOLERANCE = 1e-4;

/** Repetitions of a workload: steps for training, products for matmul. */
function amountOf(w: Workload, quick: boolean): number {
  const a = w.kind === 'matmul' ? w.products : w.steps;
  return quick ? a.quick : a.full;
}

/** Units of work in one repetition: examples (sequences) for training, GFLOP for products. */
function workOf(w: Workload, amount: number): number {
  return w.kind === 'matmul' ? (amount * 2 * w.n ** 3) / 1e9 : amount * batchOf(w);
}

/** A timed repetition lasts at least this long (seconds): its trial runs as many times as the warm-up says it takes. */
export const REP_SECONDS = 0.25;

/** At most this many runs of a trial make one repetition. */
const MAX_RUNS = 1000;

/** Times one run of a trial; seconds. */
async function timeOnce(t: Trial): Promise<number> {
  await t.enter?.();
  if (t.measure) return t.measure();
  const t0 = performance.now();
  t.run();
  return (performance.now() - t0) / 1000;
}

/** The best (highest median) of the named summaries, or null. */
function bestOf(s: ReadonlyMap<string, Summary>, names: readonly string[]): [string, Summary] | null {
  let best: [string, Summary] | null = null;
  for (const n of names) {
    const v = s.get(n);
    if (v && Number.isFinite(v.median) && (best === null || v.median > best[1].median)) best = [n, v];
  }
  return best;
}

/** Runs the selected workloads and returns the report. */
export async function runBench(o: BenchOptions = {}): Promise<BenchReport> {
  const quick = o.quick ?? false;
  const reps = o.reps ?? (quick ? 1 : 7);
  if (!Number.isInteger(reps) || reps < 1) throw new RangeError(`bench: reps must be a positive integer; got ${reps}`);
  const nThreads = o.threads ?? 2;
  if (!Number.isInteger(nThreads) || nThreads < 1 || nThreads > 64) throw new RangeError(`bench: threads must be an integer in 1 … 64; got ${nThreads}`);
  const workloads = selectWorkloads(o.only);
  const peerSet = new Set(o.peers ?? PEER_NAMES);
  let done = 0;
  let total = 0;
  const lang = o.lang ?? 'en';
  const say = (m: Msg): void => o.onProgress?.({ message: phrase(lang, m), done, total });
  const notes: Msg[] = [];
  const quiet = o.quiet ?? QUIET;
  const repSeconds = o.repSeconds ?? REP_SECONDS;
  const cores = availableParallelism();
  const waits: number[] = [];
  let busyStarts = 0;

  let data: BenchData | undefined;
  const getData = (): BenchData => {
    if (data === undefined) {
      const ds = takeFirst(loadDigits(), BENCH_EXAMPLES);
      data = { ds, y: oneHot(ds) };
    }
    return data;
  };

  const kernels = o.kernels ?? fastKernels();
  if (kernels.name !== 'wasm') notes.push(msg('bench.note.noSimd', { kernels: kernels.name }));
  const threads = nThreads > 1 && kernels.name === 'wasm' && o.startThreads ? o.startThreads(nThreads) : null;
  await threads?.whenReady();
  const contenders: Contender[] = [gradscopeContender('gradscope', kernels, 'float32', getData)];
  if (threads) contenders.push(gradscopeContender(`gradscope-${nThreads}t`, kernels, 'float32', getData, { threads }));
  // the same without the sparse products, so the report shows what skipping the digits' zeros gains
  if (threads) contenders.push(gradscopeContender(`gradscope-${nThreads}t-dense`, kernels, 'float32', getData, { threads, dense: true }));
  if (kernels !== jsKernels) contenders.push(gradscopeContender('gradscope-js', jsKernels, 'float32', getData));
  contenders.push(gradscopeContender('gradscope-f64', jsKernels, 'float64', getData));
  const peak = peakContender(kernels);
  if (peak) contenders.push(peak);
  const peerNames: string[] = [];
  let tfjsVersion: string | null = null;
  let torch: TorchReport | null = null;
  const torchPeers: TorchPeer[] = [];

  try {
    if (peerSet.has('tfjs')) {
      say(msg('bench.progress.tfjs'));
      const tf = await loadTfjs();
      if ('error' in tf) {
        notes.push(tf.error);
        say(tf.error);
      } else {
        tfjsVersion = tf.version;
        for (const b of ['wasm', 'cpu'] as const) {
          if (tf.backends.includes(b)) {
            contenders.push(tfjsContender(tf, b, getData));
            peerNames.push(`tfjs-${b}`);
          } else notes.push(msg('bench.note.tfjsBackend', { backend: b }));
        }
      }
    }
    if (peerSet.has('torch')) {
      say(msg('bench.progress.torch'));
      const py = findTorchPython(o.python);
      if ('error' in py) {
        notes.push(py.error);
        say(py.error);
      } else {
        for (const n of nThreads > 1 ? [1, nThreads] : [1]) {
          const peer = await TorchPeer.start(py.python, n);
          if ('error' in peer) {
            notes.push(peer.error);
            continue;
          }
          torchPeers.push(peer);
          contenders.push(torchContender(peer, getData));
          peerNames.push(`torch-${n}t`);
        }
        if (torchPeers.length > 0) {
          const i = torchPeers[0].info;
          torch = { python: i.python, version: i.version, blas: i.blas, blasKind: i.blasKind, libraryPath: i.libraryPath, threads: torchPeers.map((p) => p.info.threads) };
          if (i.blasKind !== 'openblas' && i.blasKind !== 'mkl') notes.push(msg('bench.note.blas', { libs: i.blas.length > 0 ? i.blas.join(', ') : msg('bench.note.noBlas'), kind: i.blasKind }));
        }
      }
    }

    total = workloads.reduce((n, w) => n + (reps + (quick ? 0 : 1)) * contenders.filter((c) => c.supports(w)).length, 0);
    const results: WorkloadResult[] = [];
    for (const w of workloads) {
      const amount = amountOf(w, quick);
      const active = contenders.filter((c) => c.supports(w));
      say(msg('bench.progress.prepare', { workload: w.name, names: active.map((c) => c.name).join(', ') }));
      const trials: Trial[] = [];
      for (const c of active) trials.push(await c.prepare(w, amount));
      // the same network, weights and data everywhere: the losses at the start must agree
      let initialLoss: Record<string, number> | undefined;
      if (w.kind !== 'matmul') {
        initialLoss = {};
        for (let i = 0; i < active.length; i++) {
          await trials[i].enter?.();
          const l = await trials[i].loss?.();
          if (l !== undefined) initialLoss[active[i].name] = l;
        }
        const ref = initialLoss['gradscope-f64'] ?? initialLoss.gradscope;
        for (const [name, l] of Object.entries(initialLoss)) {
          if (!(Math.abs(l - ref) <= LOSS_TOLERANCE * Math.max(1, Math.abs(ref)))) notes.push(msg('bench.note.loss', { workload: w.name, name, loss: String(l), ref: String(ref) }));
        }
      }
      const samples: number[][] = active.map(() => []);
      // each repetition of a contender runs its trial `runs[i]` times, fixed after the warm-up so
      // that one repetition lasts at least REP_SECONDS (short repetitions measure wake-up and clock ramp)
      const runs = active.map(() => 1);
      const work = workOf(w, amount);
      for (let r = quick ? 0 : -1; r < reps; r++) {
        // r = −1 is the warm-up (skipped by --quick); then rotate the order each repetition
        for (let q = 0; q < active.length; q++) {
          const i = (q + Math.max(r, 0)) % active.length;
          if (!quick && r >= 0) {
            // the previous contender's threads may still spin: start on a quiet machine
            const qr = await untilQuiet(cores, quiet);
            waits.push(qr.waitedMs);
            if (!qr.quiet) busyStarts++;
          }
          // the warm-up's count, then more runs if this repetition is still short (the warm-up includes tier-up)
          let seconds = 0;
          let ran = 0;
          while (ran < runs[i] || (!quick && r >= 0 && seconds < repSeconds && ran < MAX_RUNS)) {
            seconds += await timeOnce(trials[i]);
            ran++;
          }
          if (r < 0) runs[i] = Number.isFinite(seconds) && seconds > 0 ? Math.min(MAX_RUNS, Math.max(1, Math.ceil(repSeconds / seconds))) : 1;
          else samples[i].push((ran * work) / seconds);
          done++;
        }
        say(r < 0 ? msg('bench.progress.warmup', { workload: w.name }) : msg('bench.progress.rep', { workload: w.name, r: r + 1, n: reps }));
      }
      for (const t of trials) await t.dispose();
      const byName = new Map(active.map((c, i) => [c.name, summarize(samples[i])]));
      const head = byName.get('gradscope') as Summary;
      const peers: Record<string, Summary> = {};
      for (const p of peerNames) if (byName.has(p)) peers[p] = byName.get(p) as Summary;
      const ratios = (s: Summary): Record<string, number> => Object.fromEntries(Object.entries(peers).map(([p, v]) => [p, ratio(s, v)]));
      const variants: Record<string, VariantResult> = {};
      for (const [name, s] of byName) if (name.startsWith('gradscope-')) variants[name] = { ...s, ratio: ratios(s) };
      const best: Record<string, BestRatio> = {};
      const ours = bestOf(byName, ['gradscope', `gradscope-${nThreads}t`]);
      for (const family of ['torch', 'tfjs']) {
        const theirs = bestOf(byName, peerNames.filter((p) => p.startsWith(`${family}-`)));
        if (ours && theirs) best[family] = { gradscope: ours[0], peer: theirs[0], ratio: ratio(ours[1], theirs[1]) };
      }
      const limit = byName.get(PEAK_NAME);
      results.push({ name: w.name, title: w.title, unit: unitOf(w), gradscope: head, kernels: kernels.name, variants, peers, ratio: ratios(head), best, ...(limit ? { limit } : {}), ...(initialLoss ? { initialLoss } : {}) });
    }
    if (busyStarts > 0) notes.push(msg('bench.note.busy', { busy: busyStarts, all: waits.length, cores: quiet.busyCores, ms: quiet.maxMs }));
    const settle = waits.length > 0 ? { ...quiet, waitedMs: summarize(waits), busyStarts, repSeconds } : null;
    const threadStats = threads?.stats() ?? null;
    if (threadStats && threadStats.alone > 0) notes.push(msg('bench.note.alone', { name: `gradscope-${nThreads}t`, alone: threadStats.alone, all: threadStats.alone + threadStats.shared, holdUps: threadStats.holdUps }));
    return { machine: { ...machineInfo(threads ? nThreads : 1, relaxedSupported()), tfjs: tfjsVersion, torch }, quick, reps, settle, threads: threadStats, notes: notes.map((n) => phrase(lang, n)), workloads: results };
  } finally {
    setKernelThreads(null);
    threads?.close();
    for (const p of torchPeers) p.close();
  }
}
