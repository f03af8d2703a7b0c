/**
 * Waiting for a quiet machine between timed repetitions. A multi-threaded
 * peer leaves its threads spinning after its own repetition (OpenBLAS's
 * pthreads server busy-waits about 2²⁸ cycles, ≈ 0.1 s, before it sleeps;
 * OpenMP pools spin too), and a repetition of the next contender that starts
 * inside that tail shares its cores with them: with torch-2t in the run,
 * gradscope-2t's 256³ product measured 46 GFLOP/s instead of 90. So before
 * each timed repetition the bench waits until the whole machine, measured
 * from the kernel's per-CPU counters (/proc/stat, Linux), is close to idle,
 * up to a bound; elsewhere it pauses a fixed time. Node-only.
 */
import { readFileSync } from 'node:fs';

/** How the wait decides. */
export interface QuietOptions {
  /** Length of one observation (ms). */
  readonly windowMs: number;
  /** Busy CPU time over a window, in cores, at or below which the machine counts as quiet. */
  readonly busyCores: number;
  /** Longest wait before a repetition starts anyway (ms). */
  readonly maxMs: number;
}

/**
 * The bench's: 50 ms windows (the counters tick at 100 Hz, so a window sees
 * about 5 ticks per core), at most a quarter of a core busy, at most 1 s.
 */
export const QUIET: QuietOptions = { windowMs: 50, busyCores: 0.25, maxMs: 1000 };

/** Busy and total jiffies of all CPUs (steal, guest and idle excluded from busy), or null where /proc/stat is not there. */
export function cpuTimes(read: () => string = () => readFileSync('/proc/stat', 'utf8')): { busy: number; total: number } | null {
  let text: string;
  try {
    text = read();
  } catch {
    return null;
  }
  const line = text.split('\n', 1)[0];
  if (!line.startsWith('cpu ')) return null;
  // user nice system idle iowait irq softirq steal guest guest_nice
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return null;
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return { busy: user + nice + system + irq + softirq, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** What one wait found. */
export interface QuietResult {
  /** Milliseconds waited. */
  readonly waitedMs: number;
  /** False when the machine was still busy at the bound (or could not be observed, then a fixed pause). */
  readonly quiet: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until one window passes with at most `busyCores` of CPU busy, or
 * `maxMs`. `cores` converts the counters' shares into cores.
 */
export async function untilQuiet(cores: number, o: QuietOptions = QUIET, times: () => { busy: number; total: number } | null = cpuTimes): Promise<QuietResult> {
  const t0 = performance.now();
  let before = times();
  if (before === null) {
    await sleep(o.maxMs / 4);
    return { waitedMs: performance.now() - t0, quiet: false };
  }
  for (;;) {
    await sleep(o.windowMs);
    const after = times();
    if (after === null) return { waitedMs: performance.now() - t0, quiet: false };
    const span = after.total - before.total;
    const busy = span > 0 ? ((after.busy - before.busy) / span) * cores : 0;
    const waitedMs = performance.now() - t0;
    if (busy <= o.busyCores) return { waitedMs, quiet: true };
    if (waitedMs >= o.maxMs) return { waitedMs, quiet: false };
    before = after;
  }
}
