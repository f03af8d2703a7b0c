/**
 * The report's stylesheet: system fonts, a ~1100 px column, thin-bordered
 * tables with right-aligned tabular numbers, labelled explanation paragraphs
 * and callouts. Inlined into the page, so the file works offline.
 */

/** The CSS of the HTML report. */
export const REPORT_CSS = `
:root { --fg: #1d1d1f; --muted: #5f6368; --line: #d0d4d9; --soft: #f5f7fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: #fff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 36px 0 6px; }
h2 { font-size: 1.5rem; margin: 52px 0 12px; padding-top: 14px; border-top: 2px solid var(--line); }
h3 { font-size: 1.15rem; margin: 30px 0 8px; }
h4 { font-size: 1rem; margin: 22px 0 4px; }
p { margin: 8px 0; max-width: 80ch; }
a { color: var(--accent); }
sub, sup { line-height: 0; }
.meta { color: var(--muted); margin: 4px 0; }
.meta strong { color: var(--fg); font-weight: 600; }
.stages { font-size: .9rem; color: var(--muted); }
nav.toc ol { margin: 16px 0 0; padding-left: 1.4em; columns: 2; column-gap: 40px; }
nav.toc li { margin: 2px 0; }
table { border-collapse: collapse; margin: 12px 0; font-size: .92rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 4px 10px; vertical-align: top; }
th { background: var(--soft); text-align: left; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
caption { caption-side: top; text-align: left; padding: 4px 0 6px; color: var(--muted); }
caption strong { color: var(--fg); }
table.grid td { min-width: 92px; }
table.compact { font-size: .88rem; }
table.compact th, table.compact td { padding: 3px 7px; }
table.compact td:first-child { white-space: nowrap; }
table.conclusions td:nth-child(4) { font-size: .88rem; }
.said .tag { display: inline-block; min-width: 5.6em; text-align: center; font-size: .7rem; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; padding: 1px 6px; border-radius: 3px; margin-right: 6px; vertical-align: 1px; }
.said-claim .tag { background: #e3edf8; color: #0b4f8a; }
.said-measured .tag { background: #e6f4ea; color: #1e6b34; }
.said-meaning .tag { background: #fdf0dc; color: #8a5200; }
.said-caveat .tag { background: #fde7e7; color: #9b1c1c; }
.said-caveat { background: #fff8f7; border: 1px solid #f3d0cc; border-radius: 6px; padding: 8px 12px; }
figure.chart { margin: 14px 0 22px; }
.chart-box { position: relative; width: 100%; }
figcaption { color: var(--muted); font-size: .86rem; margin-top: 6px; }
.grid2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 24px; align-items: start; }
.grid3 { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 16px; align-items: start; }
.grid2.tables table { width: 100%; margin: 6px 0; }
@media (max-width: 820px) { .grid2, .grid3 { grid-template-columns: 1fr; } nav.toc ol { columns: 1; } main table:not(.fprops) { display: block; max-width: 100%; overflow-x: auto; } }
.compare { display: flex; gap: 14px; flex-wrap: wrap; margin: 12px 0; }
.compare div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; background: var(--soft); }
.compare .k { display: block; font-size: .8rem; color: var(--muted); }
.compare .v { font-size: 1.25rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.callout { border-left: 5px solid; padding: 10px 14px; margin: 12px 0; border-radius: 4px; max-width: 80ch; }
.callout.alert { border-color: #c62828; background: #fdecea; }
.callout.ok { border-color: #2e7d32; background: #edf7ee; }
.missing { color: var(--muted); font-style: italic; }
.render-error { color: #9b1c1c; background: #fdecea; padding: 8px 12px; border-radius: 4px; }
.verdict { font-size: .7rem; font-weight: 700; color: #333; margin-left: 4px; }
.dim { color: var(--muted); font-size: .8rem; font-weight: normal; }
.legend, .note { font-size: .86rem; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #999; vertical-align: -1px; margin: 0 4px 0 10px; }
.swatch:first-child { margin-left: 0; }
footer { margin-top: 60px; padding-top: 8px; padding-bottom: 48px; border-top: 2px solid var(--line); color: var(--muted); font-size: .9rem; }
footer h2 { border: 0; margin-top: 12px; font-size: 1.1rem; color: var(--fg); }
footer ol { padding-left: 1.4em; }
.fmap { border: 1px solid var(--line); border-radius: 8px; background: var(--soft); padding: 10px 16px; margin: 10px 0 16px; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 1.3em; }
ul.tree { padding-left: 0; }
ul.tree li { position: relative; margin: 3px 0; }
ul.tree ul li::before { content: ""; position: absolute; left: -1em; top: .8em; width: .75em; border-top: 1px solid #9aa3ad; }
ul.tree ul { border-left: 1px solid #9aa3ad; margin-left: .35em; }
ul.tree .how { color: var(--muted); font-size: .9rem; }
ul.tree .root { font-size: .7rem; font-weight: 700; background: #e3edf8; color: #0b4f8a; border-radius: 3px; padding: 0 5px; }
.links-head { font-weight: 600; margin: 10px 0 2px; }
ul.xlinks { margin: 0; padding-left: 1.2em; font-size: .9rem; }
.fcards { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 14px; }
.fcard { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; min-width: 0; }
.fcard h4 { margin: 2px 0 6px; font-size: 1.05rem; }
.fcard-top { display: flex; gap: 10px; align-items: flex-start; }
.fcard-top .fsum { font-size: .86rem; margin: 0; }
svg.fplot { flex: none; background: #fff; border: 1px solid var(--line); border-radius: 4px; }
svg.fplot .ax { stroke: #bbb; stroke-width: 1; }
svg.fplot .f { fill: none; stroke: #0072b2; stroke-width: 2; }
svg.fplot .df { fill: none; stroke: #d55e00; stroke-width: 1.6; stroke-dasharray: 4 3; }
table.fprops { width: 100%; margin: 8px 0; }
table.fprops th { width: 34%; font-weight: 600; }
table.fprops td { overflow-wrap: anywhere; }
table.fprops code { white-space: normal; overflow-wrap: anywhere; }
.procon { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; font-size: .86rem; }
.procon ul { margin: 0; padding-left: 1.1em; }
.pc-head { font-weight: 600; margin: 2px 0; }
@media (max-width: 520px) { .procon { grid-template-columns: 1fr; } .fcards { grid-template-columns: 1fr; } .fcard-top { flex-direction: column; } }
.no-charts .chart-box { display: none; }
.agree { display: inline-block; font-size: .72rem; font-weight: 700; padding: 1px 7px; border-radius: 3px; white-space: nowrap; }
.agree-yes, .status-supported { background: #e6f4ea; color: #1e6b34; }
.agree-no, .status-not-supported { background: #fde7e7; color: #9b1c1c; }
.agree-partly, .status-qualified { background: #fdf0dc; color: #8a5200; }
.agree-indistinguishable { background: #eceff3; color: #3c4043; }
table.claims td:nth-child(5) { font-size: .84rem; color: var(--muted); }
@media print { figure.chart, table { break-inside: avoid; } h2 { break-after: avoid; } }
`;
