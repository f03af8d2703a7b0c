/**
 * The HTML report of a sweep (`gradscope sweep report DIR`): one offline
 * page of heatmaps — rows × columns of two swept keys (activation × depth by
 * default) → the first/last gradient ratio at initialisation and at the end,
 * and → test accuracy — each cell the median over seeds with its min–max
 * and the number of runs, one set per value of any other swept key; then a
 * table of every run. Pure: builds a string.
 */
import { esc, fmtDate } from './format.js';
import { REPORT_CSS } from './style.js';
import { has, say, sayHtml, type MessageKey } from '../i18n/catalogue.js';
import type { Html } from '../i18n/message.js';
import type { Lang } from '../i18n/lang.js';
import { fmtNum, fmtPct, groupBy, levels, metric, SEED_KEYS, statOf, valueLabel, verdictCounts, type Metric, type Stat } from '../sweep/aggregate.js';
import type { RunRecord } from '../sweep/record.js';

/** What the report shows. */
export interface ReportInput {
  readonly name: string;
  readonly sweep: string;
  readonly created: string;
  readonly keys: readonly string[];
  /** Runs in the sweep (recorded or not). */
  readonly total: number;
  readonly records: readonly RunRecord[];
  /** Row and column keys (default: chosen by `chooseAxes`). */
  readonly rows?: string;
  readonly cols?: string;
  /** The CSV file's name, linked from the page. */
  readonly csvName?: string;
}

/** Which keys make the heatmaps' rows, columns and facets, and which are aggregated over. */
export interface Axes {
  readonly rows: string | null;
  readonly cols: string | null;
  readonly facets: readonly string[];
  readonly aggregated: readonly string[];
}

/** Keys with more levels than this are aggregated over rather than drawn. */
const MAX_LEVELS = 30;
const MAX_FACET_LEVELS = 12;

/** Chooses rows and columns (activation × depth when swept), facets and aggregated keys. */
export function chooseAxes(keys: readonly string[], records: readonly RunRecord[], rows?: string, cols?: string): Axes {
  const n = (k: string): number => levels(records, k).length;
  // a key with one value draws nothing; one with very many (a random float) is aggregated over
  const candidates = keys.filter((k) => !SEED_KEYS.includes(k) && n(k) > 1 && n(k) <= MAX_LEVELS && k !== rows && k !== cols);
  const pick = (want: string | undefined, prefer: string): string | null => {
    if (want !== undefined) return want;
    const i = candidates.includes(prefer) ? candidates.indexOf(prefer) : 0;
    return candidates.length > 0 ? (candidates.splice(i, 1)[0] ?? null) : null;
  };
  const r = pick(rows, 'activation');
  const c = pick(cols, 'depth');
  const facets = candidates.filter((k) => n(k) <= MAX_FACET_LEVELS).slice(0, 2);
  return { rows: r, cols: c, facets, aggregated: keys.filter((k) => k !== r && k !== c && !facets.includes(k)) };
}

/** Background colour of a cell: log10 ratio blue (vanishing) – white (1) – red (exploding); accuracy white – green. */
function cellColour(m: Metric, v: number | null, accLo: number): string {
  if (v === null) return '#e6e6e6';
  if (m.log) {
    const t = Math.max(-1, Math.min(1, Math.log10(Math.max(v, 1e-300)) / 6));
    const a = Math.abs(t);
    const mix = (c: number): number => Math.round(255 + (c - 255) * a);
    return t < 0 ? `rgb(${mix(33)},${mix(102)},${mix(172)})` : `rgb(${mix(178)},${mix(24)},${mix(43)})`;
  }
  const t = accLo >= 1 ? 1 : Math.max(0, Math.min(1, (v - accLo) / (1 - accLo)));
  return `rgb(${Math.round(255 - 200 * t)},${Math.round(255 - 80 * t)},${Math.round(255 - 190 * t)})`;
}

/** Text colour that stays readable on `bg`. */
function inkOn(bg: string): string {
  const m = /rgb\((\d+),(\d+),(\d+)\)/.exec(bg);
  if (!m) return '#1d1d1f';
  const lum = 0.299 * Number(m[1]) + 0.587 * Number(m[2]) + 0.114 * Number(m[3]);
  return lum < 140 ? '#fff' : '#1d1d1f';
}

function fmtFor(m: Metric): (x: number | null) => string {
  return m.key === 'testAccuracy' ? fmtPct : fmtNum;
}

function cell(m: Metric, s: Stat, accLo: number): string {
  const bg = cellColour(m, s.median, accLo);
  const f = fmtFor(m);
  const spread = s.n > 1 ? `<div class="spread">${esc(f(s.lo))} – ${esc(f(s.hi))}</div>` : '';
  const count = `<div class="count">n=${s.n}${s.of > s.n ? ` of ${s.of}` : ''}</div>`;
  return `<td class="hm" style="background:${bg};color:${inkOn(bg)}"><div class="med">${esc(f(s.median))}</div>${spread}${count}</td>`;
}

/** A run's verdict (one kind word, as the store records it) in `lang`. */
function verdictWord(kind: string, lang: Lang): string {
  const key = `term.verdict.${kind}`;
  return has(key) ? say(lang, key as MessageKey) : kind;
}

/** One heatmap table of `m` over `records`. */
function heatmap(lang: Lang, m: Metric, records: readonly RunRecord[], rowKey: string | null, colKey: string | null): string {
  const all = say(lang, 'sw.allRunsLabel');
  const rowLv = rowKey ? levels(records, rowKey) : [all];
  const colLv = colKey ? levels(records, colKey) : [all];
  const at = (r: RunRecord, k: string | null): string => (k ? valueLabel(r.params[k]) : all);
  const accs = records.map(m.get).filter((v): v is number => v !== null);
  const accLo = m.log ? 0 : Math.min(0.5, ...accs);
  const head = `<tr><th><code>${esc(rowKey ?? '')}</code> \\ <code>${esc(colKey ?? '')}</code></th>${colLv.map((c) => `<th class="num">${esc(c)}</th>`).join('')}</tr>`;
  const body = rowLv
    .map((rl) => {
      const cells = colLv.map((cl) => cell(m, statOf(records.filter((r) => at(r, rowKey) === rl && at(r, colKey) === cl).map(m.get)), accLo));
      return `<tr><th>${esc(rl)}</th>${cells.join('')}</tr>`;
    })
    .join('');
  return `<table class="heatmap"><caption>${esc(say(lang, 'sw.caption', { metric: say(lang, `sw.metric.${m.key}` as MessageKey) }))}</caption>${head}${body}</table>`;
}

const EXTRA_CSS = `
table.heatmap td.hm { text-align: center; min-width: 84px; padding: 6px 8px; }
table.heatmap .med { font-weight: 600; }
table.heatmap .spread, table.heatmap .count { font-size: .75rem; opacity: .85; }
.legend { font-size: .85rem; color: var(--muted); }
details summary { cursor: pointer; margin: 16px 0 8px; }
`;

/** The whole page. */
export function renderSweepReport(input: ReportInput, lang: Lang = 'en'): string {
  const h = (k: MessageKey, p?: Record<string, string | number>): string => esc(say(lang, k, p));
  // setting names are code: in <code>, in any language
  const code = (keys: readonly string[]): Html => ({ html: keys.map((k) => `<code>${esc(k)}</code>`).join(', ') });
  const { records } = input;
  const axes = chooseAxes(input.keys, records, input.rows, input.cols);
  const errors = records.filter((r) => r.status === 'error').length;
  const facetGroups = axes.facets.length > 0 ? groupBy(records, axes.facets) : [{ labels: [], records }];
  const metrics = ['ratioInit', 'ratioEnd', 'testAccuracy'].map(metric);
  const sections = facetGroups
    .map((g) => {
      const title = axes.facets.length > 0 ? `<h3>${axes.facets.map((k, i) => `${esc(k)} = ${esc(g.labels[i])}`).join(', ')}</h3>` : '';
      return `${title}${metrics.map((m) => heatmap(lang, m, g.records, axes.rows, axes.cols)).join('\n')}`;
    })
    .join('\n');
  const runRows = [...records]
    .sort((a, b) => a.index - b.index)
    .map(
      (r) =>
        `<tr><td class="num">${r.index}</td><td><code>${esc(r.id)}</code></td>${input.keys.map((k) => `<td>${esc(valueLabel(r.params[k]))}</td>`).join('')}<td>${esc(r.status === 'ok' ? verdictWord(verdictCounts([r]), lang) : say(lang, 'sw.error', { why: r.error ?? '' }))}</td><td class="num">${esc(fmtPct(r.metrics?.testAccuracy ?? null))}</td><td class="num">${esc(fmtNum(r.atInit?.firstToLast ?? null))}</td><td class="num">${esc(fmtNum(r.atEnd?.firstToLast ?? null))}</td><td class="num">${r.wallSeconds.toFixed(2)}</td></tr>`,
    )
    .join('\n');
  const aggregated = axes.aggregated.length > 0 ? sayHtml(lang, 'sw.aggregated', { keys: code(axes.aggregated) }) : '';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.name)} — gradscope sweep</title><style>${REPORT_CSS}${EXTRA_CSS}</style></head>
<body><header><h1>${h('sw.title', { name: input.name })}</h1>
<p class="meta">${sayHtml(lang, 'sw.meta', { n: records.length, total: input.total, failed: errors > 0 ? say(lang, 'sw.failed', { n: errors }) : '', id: input.sweep, date: fmtDate(input.created), keys: input.keys.length > 0 ? code(input.keys) : say(lang, 'sw.nothing') })}${input.csvName ? ` · <a href="${esc(input.csvName)}">${h('sw.csv')}</a>` : ''}</p></header>
<main>
<h2>${h('sw.heatmaps')}</h2>
<p>${sayHtml(lang, 'sw.axes', { rows: axes.rows ? code([axes.rows]) : '—', cols: axes.cols ? code([axes.cols]) : '—' })}${aggregated} ${h('sw.cells')}</p>
<p class="legend">${h('sw.legend')}</p>
${sections}
<h2>${h('sw.allRuns')}</h2>
<details><summary>${h('sw.runs', { n: records.length })}</summary>
<table><tr><th class="num">#</th><th>id</th>${input.keys.map((k) => `<th><code>${esc(k)}</code></th>`).join('')}<th>${h('sw.col.verdict')}</th><th class="num">${h('sw.col.accuracy')}</th><th class="num">${h('sw.col.ratioInit')}</th><th class="num">${h('sw.col.ratioEnd')}</th><th class="num">${h('sw.col.seconds')}</th></tr>
${runRows}</table></details>
</main><footer><p class="meta">${h('sw.footer')}</p></footer></body></html>
`;
}
