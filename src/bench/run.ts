/**
 * Runs the bench: for each workload, prepares every contender, runs one
 * untimed warm-up repetition each (JIT and WebAssembly tier-up; skipped by
 * --quick, which is a smoke test), then
 * alternates them repetition by repetition — rotating who goes first — so
 * drifts in clock speed or machine load hit all of them alike; reports the
 * median and min–max throughput and the ratio gradscope / peer of medians.
 */
import { loadDigits } from '../data/node.js';
import { takeFirst } from '../data/batch.js';
import { jsKernels, type Kernels } from '../tensor/kernels.js';
import { fastKernels } from '../tensor/wasm/wasm-kernels.js';
import type { Contender } from './contender.js';
import { gradscopeContender } from './gradscope.js';
import { machineInfo, type MachineInfo } from './machine.js';
import { ratio, summarize, type Summary } from './stats.js';
import { loadTfjs, tfjsContender } from './tfjs.js';
import { oneHot, selectWorkloads, unitOf, type BenchData, type Workload } from './workloads.js';

/** Options of `runBench`. */
export interface BenchOptions {
  /** Fewer steps and repetitions: a smoke test, not a measurement. */
  readonly quick?: boolean;
  /** Run only the workloads whose name is or starts with this. */
  readonly only?: string;
  /** Timed repetitions per contender (default 7, quick 1). */
  readonly reps?: number;
  /** Skip TensorFlow.js even when it is installed. */
  readonly noPeers?: boolean;
  /** The kernels of the headline `gradscope` contender (default fastKernels()). */
  readonly kernels?: Kernels;
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

/** One workload's results. */
export interface WorkloadResult {
  readonly name: string;
  readonly title: string;
  readonly unit: 'examples/s' | 'GFLOP/s';
  /** gradscope with its default (fastest) kernels, float32. */
  readonly gradscope: Summary;
  /** The backend behind `gradscope`: `wasm` or `js`. */
  readonly kernels: string;
  /** Other gradscope variants: `gradscope-js` (TypeScript kernels) and, for training, `gradscope-f64`. */
  readonly variants: Readonly<Record<string, VariantResult>>;
  /** Peers by name: `tfjs-wasm`, `tfjs-cpu`. */
  readonly peers: Readonly<Record<string, Summary>>;
  /** gradscope / peer, ratio of medians (> 1: gradscope is faster). */
  readonly ratio: Readonly<Record<string, number>>;
}

/** The whole report, as `bench --json` prints it. */
export interface BenchReport {
  readonly machine: MachineInfo & { readonly tfjs: string | null };
  readonly quick: boolean;
  readonly reps: number;
  readonly notes: readonly string[];
  readonly workloads: readonly WorkloadResult[];
}

/** Examples digits used by the training workloads (enough for every batch size, cycled in order). */
const BENCH_EXAMPLES = 2000;

/** Units of work in one repetition: examples for training, GFLOP for products. */
function workOf(w: Workload, amount: number): number {
  return w.kind === 'train' ? amount * w.batch : (amount * 2 * w.n ** 3) / 1e9;
}

/** Runs the selected workloads and returns the report. */
export async function runBench(o: BenchOptions = {}): Promise<BenchReport> {
  const quick = o.quick ?? false;
  const reps = o.reps ?? (quick ? 1 : 7);
  if (!Number.isInteger(reps) || reps < 1) throw new RangeError(`bench: reps must be a positive integer; got ${reps}`);
  const workloads = selectWorkloads(o.only);
  let done = 0;
  let total = 0;
  const say = (message: string): void => o.onProgress?.({ message, done, total });
  const notes: string[] = [];

  let data: BenchData | undefined;
  const getData = (): BenchData => {
    if (data === undefined) {
      const ds = takeFirst(loadDigits(), BENCH_EXAMPLES);
      data = { ds, y: oneHot(ds) };
    }
    return data;
  };

  const kernels = o.kernels ?? fastKernels();
  if (kernels.name !== 'wasm') notes.push(`gradscope runs on the '${kernels.name}' kernels: WebAssembly SIMD is not available here`);
  const contenders: Contender[] = [gradscopeContender('gradscope', kernels, 'float32', getData)];
  if (kernels !== jsKernels) contenders.push(gradscopeContender('gradscope-js', jsKernels, 'float32', getData));
  contenders.push(gradscopeContender('gradscope-f64', jsKernels, 'float64', getData));
  const peerNames: string[] = [];
  let tfjsVersion: string | null = null;
  if (!o.noPeers) {
    say('loading TensorFlow.js…');
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
        } else notes.push(`tfjs backend '${b}' did not initialise; tfjs-${b} skipped`);
      }
    }
  }

  total = workloads.reduce((n, w) => n + (reps + (quick ? 0 : 1)) * contenders.filter((c) => c.supports(w)).length, 0);
  const results: WorkloadResult[] = [];
  for (const w of workloads) {
    const amount = w.kind === 'train' ? (quick ? w.steps.quick : w.steps.full) : quick ? w.products.quick : w.products.full;
    const active = contenders.filter((c) => c.supports(w));
    say(`${w.name}: preparing ${active.map((c) => c.name).join(', ')}`);
    const trials = [];
    for (const c of active) trials.push(await c.prepare(w, amount));
    const samples: number[][] = active.map(() => []);
    const work = workOf(w, amount);
    for (let r = quick ? 0 : -1; r < reps; r++) {
      // r = −1 is the warm-up (skipped by --quick); then rotate the order each repetition
      for (let q = 0; q < active.length; q++) {
        const i = (q + Math.max(r, 0)) % active.length;
        const t = trials[i];
        await t.enter?.();
        const t0 = performance.now();
        t.run();
        const seconds = (performance.now() - t0) / 1000;
        if (r >= 0) samples[i].push(work / seconds);
        done++;
      }
      say(r < 0 ? `${w.name}: warm-up done` : `${w.name}: repetition ${r + 1}/${reps}`);
    }
    trials.forEach((t) => t.dispose());
    const byName = new Map(active.map((c, i) => [c.name, summarize(samples[i])]));
    const head = byName.get('gradscope') as Summary;
    const peers: Record<string, Summary> = {};
    for (const p of peerNames) if (byName.has(p)) peers[p] = byName.get(p) as Summary;
    const ratios = (s: Summary): Record<string, number> => Object.fromEntries(Object.entries(peers).map(([p, v]) => [p, ratio(s, v)]));
    const variants: Record<string, VariantResult> = {};
    for (const [name, s] of byName) if (name.startsWith('gradscope-')) variants[name] = { ...s, ratio: ratios(s) };
    results.push({ name: w.name, title: w.title, unit: unitOf(w), gradscope: head, kernels: kernels.name, variants, peers, ratio: ratios(head) });
  }
  return { machine: { ...machineInfo(), tfjs: tfjsVersion }, quick, reps, notes, workloads: results };
}
