/**
 * CSV export of a sweep (RFC 4180: comma-separated, fields with commas,
 * quotes or newlines quoted, quotes doubled; one header line), one row per
 * run: its id, the swept values, the final metrics, the verdicts and the
 * per-layer gradient norms at initialisation and at the end, padded to the
 * deepest network — ready for pandas.read_csv or a spreadsheet. Empty
 * fields mean "no value" (an error, or a non-finite number).
 * Hand-written: quoting is four lines, not worth a dependency.
 */
import { valueLabel } from './aggregate.js';
import type { RunRecord } from './record.js';

/** One CSV field, quoted when it needs to be. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : typeof v === 'string' ? v : valueLabel(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole CSV document of `records` with the swept `keys` as columns. */
export function toCsv(records: readonly RunRecord[], keys: readonly string[]): string {
  const L = records.reduce((m, r) => Math.max(m, r.atInit?.layers.length ?? 0, r.atEnd?.layers.length ?? 0), 0);
  const layerCols = (prefix: string): string[] => Array.from({ length: L }, (_, i) => `${prefix}${i + 1}`);
  const head = [
    'index',
    'id',
    ...keys,
    'status',
    'error',
    'steps',
    'stopReason',
    'finalLoss',
    'finalProbeLoss',
    'trainAccuracy',
    'testAccuracy',
    'firstToLastInit',
    'firstToLastEnd',
    'verdictInit',
    'verdictEnd',
    'nonFinite',
    'wallSeconds',
    'worker',
    ...layerCols('initBiasGradNorm_'),
    ...layerCols('endBiasGradNorm_'),
    ...layerCols('initWeightGradNorm_'),
    ...layerCols('endWeightGradNorm_'),
  ];
  const norms = (r: RunRecord, when: 'atInit' | 'atEnd', which: 'biasGradNorm' | 'weightGradNorm'): (number | null)[] =>
    Array.from({ length: L }, (_, i) => r[when]?.layers[i]?.[which] ?? null);
  const lines = [head.map(csvField).join(',')];
  for (const r of [...records].sort((a, b) => a.index - b.index)) {
    const m = r.metrics;
    const row: unknown[] = [
      r.index,
      r.id,
      ...keys.map((k) => r.params[k]),
      r.status,
      r.error,
      m?.steps,
      m?.stopReason,
      m?.finalLoss,
      m?.finalProbeLoss,
      m?.trainAccuracy,
      m?.testAccuracy,
      r.atInit?.firstToLast,
      r.atEnd?.firstToLast,
      r.atInit?.verdict,
      r.atEnd?.verdict,
      m?.nonFinite,
      r.wallSeconds,
      r.worker,
      ...norms(r, 'atInit', 'biasGradNorm'),
      ...norms(r, 'atEnd', 'biasGradNorm'),
      ...norms(r, 'atInit', 'weightGradNorm'),
      ...norms(r, 'atEnd', 'weightGradNorm'),
    ];
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
