/**
 * Aggregating a sweep's results: the metrics a report shows, the median and
 * spread (min–max) of a metric over the runs that share their settings but
 * differ in seed, grouping by swept keys, and the end-of-sweep summary table.
 * Pure: no files, no output.
 */
import { ValueError } from '../errors.js';
import { canonicalJson } from './ids.js';
import type { RunRecord } from './record.js';

/** Median and range of the finite values of a metric over a group of runs. */
export interface Stat {
  /** Runs with a finite value. */
  readonly n: number;
  /** Runs in the group (including errors and non-finite values). */
  readonly of: number;
  readonly median: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
}

/** The median and min–max of the finite numbers among `values`. */
export function statOf(values: readonly (number | null | undefined)[]): Stat {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return { n, of: values.length, median: null, lo: null, hi: null };
  const median = n % 2 === 1 ? xs[(n - 1) / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  return { n, of: values.length, median, lo: xs[0], hi: xs[n - 1] };
}

/** A number a report can show for a run. */
export interface Metric {
  readonly key: string;
  readonly label: string;
  /** Plot on a log scale (ratios of gradients). */
  readonly log: boolean;
  readonly get: (r: RunRecord) => number | null;
}

/** The metrics of reports and summaries. */
export const METRICS: readonly Metric[] = [
  { key: 'ratioInit', label: 'first/last gradient ratio at initialisation', log: true, get: (r) => r.atInit?.firstToLast ?? null },
  { key: 'ratioEnd', label: 'first/last gradient ratio at the end', log: true, get: (r) => r.atEnd?.firstToLast ?? null },
  { key: 'testAccuracy', label: 'test accuracy', log: false, get: (r) => r.metrics?.testAccuracy ?? null },
  { key: 'finalProbeLoss', label: 'final loss (probe batch)', log: false, get: (r) => r.metrics?.finalProbeLoss ?? null },
];

/** The metric named `key`. */
export function metric(key: string): Metric {
  const m = METRICS.find((x) => x.key === key);
  if (m === undefined) throw new ValueError(key, `unknown metric ${key}`, true);
  return m;
}

/** A swept value as a label: strings as they are, everything else as JSON. */
export function valueLabel(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined ? '—' : canonicalJson(v);
}

/** The keys a seed varies: aggregated over, never a row, column or group. */
export const SEED_KEYS: readonly string[] = ['seed'];

/** The distinct labels of `key` among `records`, in run order. */
export function levels(records: readonly RunRecord[], key: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of [...records].sort((a, b) => a.index - b.index)) {
    const l = valueLabel(r.params[key]);
    if (!seen.has(l)) {
      seen.add(l);
      out.push(l);
    }
  }
  return out;
}

/** A group of runs that share the values of some keys. */
export interface Group {
  /** The keys' labels, in key order. */
  readonly labels: readonly string[];
  readonly records: readonly RunRecord[];
}

/** Groups `records` by the values of `keys`, groups in run order. */
export function groupBy(records: readonly RunRecord[], keys: readonly string[]): Group[] {
  const groups = new Map<string, { labels: string[]; records: RunRecord[] }>();
  for (const r of [...records].sort((a, b) => a.index - b.index)) {
    const labels = keys.map((k) => valueLabel(r.params[k]));
    const id = JSON.stringify(labels);
    const g = groups.get(id);
    if (g) g.records.push(r);
    else groups.set(id, { labels, records: [r] });
  }
  return [...groups.values()];
}

/** How often each end verdict occurs in `records`, most common first: "vanishing ×3, healthy ×1". */
export function verdictCounts(records: readonly RunRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records) {
    const k = r.status === 'error' ? 'error' : r.atEnd?.verdict ?? '?';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => (n === records.length ? k : `${k} ×${n}`)).join(', ');
}

/** A number with 3 significant digits (exponent form when tiny or huge); — for null. */
export function fmtNum(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
}

/** A stat as "median [lo–hi]" (just the median when the group has one value). */
export function fmtStat(s: Stat, fmt: (x: number | null) => string = fmtNum): string {
  if (s.median === null) return '—';
  return s.n > 1 && s.lo !== s.hi ? `${fmt(s.median)} [${fmt(s.lo)}–${fmt(s.hi)}]` : fmt(s.median);
}

/** A fraction as a percentage with one decimal. */
export function fmtPct(x: number | null): string {
  return x === null ? '—' : `${(100 * x).toFixed(1)}%`;
}

/** The end-of-sweep table: one row per combination of the non-seed keys, seeds aggregated. */
export function summaryTable(records: readonly RunRecord[], keys: readonly string[], maxRows = 40): { head: string[]; rows: string[][]; more: number } {
  const groupKeys = keys.filter((k) => !SEED_KEYS.includes(k));
  const groups = groupBy(records, groupKeys);
  const head = [...groupKeys, 'runs', 'test accuracy', 'first/last at init', 'first/last at end', 'verdict at end'];
  const rows = groups.slice(0, maxRows).map((g) => [
    ...g.labels,
    String(g.records.length),
    fmtStat(statOf(g.records.map(metric('testAccuracy').get)), fmtPct),
    fmtStat(statOf(g.records.map(metric('ratioInit').get))),
    fmtStat(statOf(g.records.map(metric('ratioEnd').get))),
    verdictCounts(g.records),
  ]);
  return { head, rows, more: Math.max(0, groups.length - maxRows) };
}
