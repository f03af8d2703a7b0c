/**
 * The reader's own 2-D data: the rows of a CSV file (already split into
 * fields by the CSV parser) with two numeric features and a class label per
 * row, an optional header line, checked row by row. Labels may be integers
 * 0..K−1 or any words (numbered in sorted order). A problem is one sentence
 * naming the file, the row, the field and the value.
 */
import type { CustomData } from '../worker/protocol.js';

/** Fewest and most rows accepted. */
export const CSV_ROWS = { min: 10, max: 50_000 } as const;
/** Most classes (the colours of the boundary plot). */
export const CSV_MAX_CLASSES = 8;

/** The data of a parsed CSV, or the sentence saying why it is not usable. */
export type CsvResult = { readonly ok: true; readonly data: CustomData; readonly labelNames: readonly string[] } | { readonly ok: false; readonly error: string };

const isNumber = (s: string): boolean => s.trim() !== '' && Number.isFinite(Number(s));

/** Checks the rows of `file` and turns them into a data set of two features and a label. */
export function csvData(file: string, rows: readonly (readonly string[])[]): CsvResult {
  const fail = (error: string): CsvResult => ({ ok: false, error });
  // blank lines (a trailing newline) are not rows
  const lines = rows.map((r, i) => ({ r, line: i + 1 })).filter(({ r }) => !(r.length === 1 && r[0].trim() === '') && r.length > 0);
  if (lines.length === 0) return fail(`${file} is empty: expected rows of two numeric features and a label, e.g. "0.5,-1.2,1"`);
  // a first row whose features are not numbers is a header
  const header = !isNumber(lines[0].r[0] ?? '') || !isNumber(lines[0].r[1] ?? '');
  const names = header ? lines[0].r.map((s) => s.trim()) : ['x1', 'x2', 'label'];
  const body = header ? lines.slice(1) : lines;
  if (body.length < CSV_ROWS.min) return fail(`${file} has ${body.length} data rows; at least ${CSV_ROWS.min} are needed to train and test`);
  if (body.length > CSV_ROWS.max) return fail(`${file} has ${body.length} data rows; the playground takes at most ${CSV_ROWS.max.toLocaleString('en')}`);
  const x = new Float32Array(2 * body.length);
  const raw: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const { r, line } = body[i];
    if (r.length !== 3) return fail(`${file}, line ${line}: expected 3 fields (two features and a label), got ${r.length}: "${r.join(',')}"`);
    for (let k = 0; k < 2; k++) {
      const v = Number(r[k]);
      if (!isNumber(r[k])) return fail(`${file}, line ${line}, field '${names[k] ?? `x${k + 1}`}': "${r[k]}" is not a finite number`);
      x[2 * i + k] = v;
    }
    const label = r[2].trim();
    if (label === '') return fail(`${file}, line ${line}, field '${names[2] ?? 'label'}': the label is empty`);
    raw.push(label);
  }
  const distinct = [...new Set(raw)];
  const integers = distinct.every((s) => /^\d+$/.test(s));
  const labelNames = integers ? distinct.map(Number).sort((a, b) => a - b).map(String) : distinct.sort();
  if (labelNames.length < 2) return fail(`${file}: every row has the label "${labelNames[0]}"; a classification needs at least 2 classes`);
  if (labelNames.length > CSV_MAX_CLASSES) return fail(`${file}: field '${names[2] ?? 'label'}' has ${labelNames.length} different labels; the playground draws at most ${CSV_MAX_CLASSES} classes`);
  if (integers && Number(labelNames[labelNames.length - 1]) >= CSV_MAX_CLASSES) {
    const line = body[raw.indexOf(labelNames[labelNames.length - 1])].line;
    return fail(`${file}, line ${line}, field '${names[2] ?? 'label'}': label ${labelNames[labelNames.length - 1]} is not below ${CSV_MAX_CLASSES}; number the classes 0 to ${CSV_MAX_CLASSES - 1}`);
  }
  // integer labels keep their number (a class may be absent), words are numbered in sorted order
  const index = new Map(labelNames.map((s, i) => [s, integers ? Number(s) : i]));
  const labels = Uint8Array.from(raw, (s) => index.get(s) ?? 0);
  const classes = integers ? Number(labelNames[labelNames.length - 1]) + 1 : labelNames.length;
  return { ok: true, data: { name: file, x, labels, classes }, labelNames };
}
