/**
 * `gradscope bench [--json] [--quick] [--only NAME]`: the performance
 * benchmark — training throughput and matrix-product GFLOP/s of
 * gradscope (WebAssembly SIMD kernels, TypeScript kernels, float64) against
 * TensorFlow.js's wasm and cpu backends in the same run, with medians,
 * min–max and the ratio gradscope / peer. Progress goes to stderr; `--json`
 * prints only the report on stdout.
 */
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { runBench, type BenchProgress, type BenchReport, type WorkloadResult } from '../../bench/run.js';
import type { Summary } from '../../bench/stats.js';
import { WORKLOADS } from '../../bench/workloads.js';
import { color, num } from '../format.js';
import { numberOption, printJson } from '../io.js';
import type { RunState } from '../main.js';
import { compactTable } from '../table.js';

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
export function printBench(r: BenchReport): void {
  const w = (s: string) => process.stdout.write(s);
  const m = r.machine;
  w(`${color.bold('gradscope bench')}${r.quick ? ' --quick (a smoke test: too short to quote)' : ''}  ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.platform}-${m.arch}, wasm SIMD ${m.wasmSimd ? 'yes' : 'no'}, tfjs ${m.tfjs ?? 'absent'}\n`);
  w(`median [min–max] of ${r.reps} alternating repetition${r.reps === 1 ? '' : 's'}, single-threaded; ratios are gradscope / peer of medians\n\n`);
  const peers = ['tfjs-wasm', 'tfjs-cpu'];
  const t = compactTable(['workload', 'unit', `gradscope (${r.workloads[0]?.kernels ?? 'wasm'})`, 'gradscope-js', 'gradscope-f64', ...peers, ...peers.map((p) => `÷ ${p}`), 'js ÷ tfjs-cpu']);
  for (const x of r.workloads) t.push(row(x, peers));
  w(`${t.toString()}\n`);
  for (const note of r.notes) w(`note: ${note}\n`);
}

/** One table row. */
function row(x: WorkloadResult, peers: readonly string[]): string[] {
  const js = x.variants['gradscope-js'];
  return [
    x.name,
    x.unit,
    cell(x.gradscope),
    cell(js),
    cell(x.variants['gradscope-f64']),
    ...peers.map((p) => cell(x.peers[p])),
    ...peers.map((p) => times(x.ratio[p])),
    times(js?.ratio['tfjs-cpu']),
  ];
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
  return new Command('bench')
    .description('training throughput and matrix-product GFLOP/s against TensorFlow.js (cpu and wasm backends), in one run')
    .option('--json', 'print one JSON document: {"machine":{..},"workloads":[{"name","unit","gradscope","peers","ratio",..}]}')
    .option('--quick', 'a smoke test: few steps, one repetition, no warm-up (seconds, not a measurement)')
    .option('--only <name>', `run the workloads whose name is or starts with this (${WORKLOADS.map((x) => x.name).join(', ')})`)
    .option('--reps <n>', 'timed repetitions per contender (default 7, --quick 1)')
    .option('--no-peers', 'skip TensorFlow.js')
    .action(async (o: { json?: boolean; quick?: boolean; only?: string; reps?: string; peers: boolean }) => {
      const reps = numberOption('--reps', o.reps, { integer: true, min: 1, max: 1000 });
      const progress = progressReporter(o.json === true);
      let report: BenchReport;
      try {
        report = await runBench({ quick: o.quick === true, only: o.only, reps, noPeers: !o.peers, onProgress: progress.report });
      } finally {
        progress.stop();
      }
      if (o.json) printJson(report);
      else printBench(report);
      state.code = 0;
    });
}
