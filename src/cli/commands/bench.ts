/**
 * `gradscope bench [--json] [--quick] [--only NAME] [--threads N] [--peers LIST]`:
 * the performance benchmark — training throughput (MLPs on the digits, an
 * LSTM through time) and matrix-product GFLOP/s of gradscope (WebAssembly
 * SIMD kernels on one thread and split over N kernel threads, TypeScript
 * kernels, float64) against TensorFlow.js's wasm and cpu backends and
 * PyTorch on 1 and N threads, in the same run, with medians, min–max, the
 * ratio gradscope / peer and gradscope's best configuration against each
 * peer's best. Progress goes to stderr; `--json` prints only the report on
 * stdout.
 */
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { PEER_NAMES, runBench, type BenchProgress, type BenchReport, type PeerName } from '../../bench/run.js';
import type { Summary } from '../../bench/stats.js';
import { WORKLOADS } from '../../bench/workloads.js';
import { color, num } from '../format.js';
import { numberOption, printJson, UsageError } from '../io.js';
import { enableRelaxedSimd, startNodeKernelThreads } from '../kernel-threads.js';
import type { RunState } from '../main.js';
import { compactTable } from '../table.js';
import { gapAfter, say } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { addLangOption, langOf } from '../lang.js';

/** "median [min–max]" with 3 significant digits. */
function cell(s: Summary | undefined): string {
  if (!s || !Number.isFinite(s.median)) return '—';
  return `${num(s.median)} [${num(s.min)}–${num(s.max)}]`;
}

/** A ratio as "3.1×", green when gradscope is faster. */
function times(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '—';
  const s = `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
  return r >= 1 ? color.green(s) : color.yellow(s);
}

/** Prints the report as a table on stdout. */
export function printBench(r: BenchReport, lang: Lang = 'en'): void {
  const w = (s: string) => process.stdout.write(s);
  const m = r.machine;
  const t = m.torch;
  const simd = m.wasmSimd ? (m.relaxedSimd ? say(lang, 'cli.bench.relaxed') : say(lang, 'term.yes')) : say(lang, 'term.no');
  const torch = t ? `${t.version} (${t.blasKind}: ${t.blas[0] ?? 'none'})` : say(lang, 'cli.bench.absent');
  w(`${color.bold('gradscope bench')}${r.quick ? say(lang, 'cli.bench.quick') : ''}  ${say(lang, 'cli.bench.machine', { cpu: m.cpu, cores: m.cores, node: m.node, platform: `${m.platform}-${m.arch}`, simd, tfjs: m.tfjs ?? say(lang, 'cli.bench.absent'), torch })}\n`);
  w(`${r.settle ? say(lang, 'bench.method', { n: r.reps, t: m.threads, s: r.settle.repSeconds }) : say(lang, 'bench.method.quick', { n: r.reps, t: m.threads })}\n\n`);
  const names = new Set(r.workloads.flatMap((x) => Object.keys(x.variants)));
  const ours = ['gradscope', ...[...names].filter((n) => /^gradscope-\d+t(-dense)?$/.test(n)).sort(), 'gradscope-js', 'gradscope-f64'];
  const peers = [...new Set(r.workloads.flatMap((x) => Object.keys(x.peers)))];
  const bests = ['torch', 'tfjs'].filter((f) => r.workloads.some((x) => x.best[f]));
  const tfjs = peers.filter((p) => p.startsWith('tfjs'));
  const peak = r.workloads.some((x) => x.limit);
  const tab = compactTable([
    say(lang, 'bench.col.workload'),
    say(lang, 'bench.col.unit'),
    ...ours.map((n) => (n === 'gradscope' ? `gradscope (${r.workloads[0]?.kernels ?? 'wasm'})` : n)),
    ...peers,
    ...bests.map((f) => say(lang, 'bench.col.best', { peer: f })),
    ...tfjs.map((p) => `÷ ${p}`),
    ...(peak ? [say(lang, 'bench.col.peak'), say(lang, 'bench.col.ofPeak')] : []),
  ]);
  for (const x of r.workloads) {
    tab.push([
      x.name,
      say(lang, `bench.unit.${x.unit}`),
      ...ours.map((n) => cell(n === 'gradscope' ? x.gradscope : x.variants[n])),
      ...peers.map((p) => cell(x.peers[p])),
      ...bests.map((f) => times(x.best[f]?.ratio)),
      ...tfjs.map((p) => times(x.ratio[p])),
      ...(peak ? [cell(x.limit), x.limit ? `${Math.round((100 * x.gradscope.median) / x.limit.median)}%` : '—'] : []),
    ]);
  }
  w(`${tab.toString()}\n`);
  for (const note of r.notes) w(`${say(lang, 'bench.note')}${gapAfter(say(lang, 'bench.note'))}${note}\n`);
}

/** The --peers list: names from PEER_NAMES, comma-separated, or `none`. */
function parsePeers(v: string | undefined, enabled: boolean): PeerName[] {
  if (!enabled) return [];
  if (v === undefined) return [...PEER_NAMES];
  if (v.trim() === 'none') return [];
  const out: PeerName[] = [];
  for (const p of v.split(',').map((x) => x.trim())) {
    if (!(PEER_NAMES as readonly string[]).includes(p)) throw new UsageError(`bench: --peers: '${p}' is not a peer; expected a comma-separated list of ${PEER_NAMES.join(', ')}, or none`);
    out.push(p as PeerName);
  }
  return out;
}

/** Shows progress on stderr: a bar on a terminal, one line per event otherwise. */
function progressReporter(json: boolean): { report: (p: BenchProgress) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({ format: ' bench |{bar}| {percentage}% {label}', hideCursor: true, stream: process.stderr, clearOnComplete: json }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      report(p) {
        if (!started && p.total > 0) {
          bar.start(p.total, 0, { label: '' });
          started = true;
        }
        if (started) bar.update(p.done, { label: p.message });
        else process.stderr.write(`gradscope bench: ${p.message}\n`);
      },
      stop: () => started && bar.stop(),
    };
  }
  return { report: (p) => process.stderr.write(`gradscope bench: ${p.message}\n`), stop: () => {} };
}

/** Builds the `bench` command. */
export function benchCommand(state: RunState): Command {
  return addLangOption(new Command('bench'))
    .description('training throughput and matrix-product GFLOP/s against TensorFlow.js (cpu and wasm backends) and PyTorch (1 and N threads), in one run')
    .option('--json', 'print one JSON document: machine (with torch), settle, threads, and per workload its name, unit, gradscope, variants, peers, ratio, best, limit')
    .option('--quick', 'a smoke test: few steps, one repetition, no warm-up (seconds, not a measurement)')
    .option('--only <name>', `run the workloads whose name is or starts with this (${WORKLOADS.map((x) => x.name).join(', ')})`)
    .option('--reps <n>', 'timed repetitions per contender (default 7, --quick 1)')
    .option('--threads <n>', 'threads of gradscope-Nt and torch-Nt (default 2; 1 runs neither)')
    .option('--peers <list>', `peers to run where installed: ${PEER_NAMES.join(',')} (default all) or none`)
    .option('--no-peers', 'run no peers (--peers none)')
    .option('--python <path>', 'the Python to run PyTorch with (default: $GRADSCOPE_PYTHON, python3, /usr/bin/python3 — the first that imports torch)')
    .action(async (o: { json?: boolean; quick?: boolean; only?: string; reps?: string; threads?: string; peers: boolean | string; python?: string; lang?: string }) => {
      const reps = numberOption('--reps', o.reps, { integer: true, min: 1, max: 1000 });
      const threads = numberOption('--threads', o.threads, { integer: true, min: 1, max: 64 });
      const peers = parsePeers(typeof o.peers === 'string' ? o.peers : undefined, o.peers !== false);
      const lang = langOf(o);
      enableRelaxedSimd();
      const progress = progressReporter(o.json === true);
      let report: BenchReport;
      try {
        report = await runBench({ quick: o.quick === true, only: o.only, reps, threads, peers, python: o.python, lang, startThreads: startNodeKernelThreads, onProgress: progress.report });
      } finally {
        progress.stop();
      }
      if (o.json) printJson(report);
      else printBench(report, lang);
      state.code = 0;
    });
}
