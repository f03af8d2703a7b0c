/**
 * The report renderers: the offline HTML page, summary.md and the terminal
 * summary, all pure functions of a StudyResults document (reading Chart.js
 * from disk and writing files is the caller's job).
 */
export { renderHtml, escapeScript, jsonForScript, REPORT_TITLE, type ReportAssets } from './html.js';
export { renderSummaryMd, mdTable } from './markdown.js';
export { renderTerminalSummary, TERMINAL_MAX_LINES } from './terminal.js';
export { fmt, fmtPct, fmtLog10, verdictLetter } from './format.js';
export type { ChartSpec } from './charts.js';
export { SECTIONS, type RenderedSection, type SectionRenderer } from './sections/index.js';
