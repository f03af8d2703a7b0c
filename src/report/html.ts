/**
 * The HTML report: one self-contained, offline page. The page shell (header,
 * table of contents, footer), the results inlined as JSON, every section's
 * chart specifications inlined as JSON, Chart.js inlined from the string the
 * caller read from disk, and a small bootstrap that draws each chart. Pure:
 * no fs, no process, no console.
 */
import type { StudyResults } from '../study/types.js';
import { has, say, sayHtml, type MessageKey } from '../i18n/catalogue.js';
import type { Lang } from '../i18n/lang.js';
import type { ChartSpec } from './charts.js';
import { esc, fmtDate, fmtSeconds, isNum } from './format.js';
import { referenceText, REFERENCES } from './references.js';
import type { RenderedSection, SectionRenderer } from './sections/common.js';
import { SECTIONS } from './sections/index.js';
import { REPORT_CSS } from './style.js';

/** The page title in English (`say(lang, 'rep.title')` in another language). */
export const REPORT_TITLE = say('en', 'rep.title');

/** How to render the page: its language, and its sections (all of them, in order, unless given). */
export interface RenderOptions {
  readonly lang?: Lang;
  readonly sections?: readonly SectionRenderer[];
}

/** What the page inlines besides the results: Chart.js's UMD build as source text. */
export interface ReportAssets {
  readonly chartJs: string;
}

/**
 * Makes JavaScript source safe inside a <script> element: `</script` would end
 * the element and `<!--` would switch the HTML parser into its escaped state;
 * `<\/` and `<\!` mean the same inside JS strings and regular expressions.
 */
export function escapeScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * JSON safe inside a <script type="application/json"> element: every `<` is
 * written `\u003c` (and the line separators U+2028/9 escaped), which
 * JSON.parse reads back as the same string. Non-finite numbers become null.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

// Runs in the browser after Chart.js: draws every chart from #chart-specs,
// gives log axes readable ticks (1, 2, 5 × 10^k or powers of ten) and every
// tooltip the report's number format; one broken chart does not stop the rest.
/** The page script that draws every chart spec (Chart.js loaded first); shared by the study report and the run report. */
export const CHART_BOOTSTRAP = `(function () {
  'use strict';
  var specBox = document.getElementById('chart-specs');
  if (typeof Chart === 'undefined' || !specBox) { document.body.classList.add('no-charts'); return; }
  function fmt(x) {
    if (x === null || x === undefined || typeof x !== 'number' || isNaN(x)) return '\\u2014';
    if (!isFinite(x)) return x > 0 ? '\\u221e' : '\\u2212\\u221e';
    if (x === 0) return '0';
    var a = Math.abs(x);
    if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(3)));
    var p = x.toExponential(2).split('e');
    return Number(p[0]) + 'e' + Number(p[1]);
  }
  // log axes: label powers of ten (every k-th decade when there are many), and
  // 2 and 5 × 10^k as well when the axis spans at most 3 decades
  function decadesOf(scale) {
    return scale && scale.max > 0 && scale.min > 0 ? Math.log10(scale.max / scale.min) : 99;
  }
  function logTick(v) {
    if (!(v > 0)) return '';
    var d = decadesOf(this), e = Math.log10(v), k = Math.round(e);
    if (Math.abs(e - k) < 1e-9) return k % Math.max(1, Math.ceil(d / 10)) === 0 ? fmt(v) : '';
    if (d > 3) return '';
    var m = v / Math.pow(10, Math.floor(e + 1e-9)), r = Math.round(m);
    return Math.abs(m - r) < 1e-6 * r && (r === 2 || r === 5) ? fmt(v) : '';
  }
  function logGrid(c) {
    if (c.tick && c.tick.label) return 'rgba(0,0,0,0.12)';
    return decadesOf(c.scale) <= 3 ? 'rgba(0,0,0,0.04)' : 'rgba(0,0,0,0)';
  }
  function label(ctx) {
    var raw = ctx.raw, y = ctx.parsed ? ctx.parsed.y : null;
    var text = Array.isArray(raw) ? fmt(raw[0]) + ' \\u2013 ' + fmt(raw[1]) : fmt(y);
    return (ctx.dataset && ctx.dataset.label ? ctx.dataset.label + ': ' : '') + text;
  }
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#333';
  Chart.defaults.plugins.legend.labels.boxWidth = 14;
  var specs = JSON.parse(specBox.textContent || '[]');
  specs.forEach(function (s) {
    var canvas = document.getElementById(s.id);
    if (!canvas) return;
    try {
      var o = s.config.options = s.config.options || {};
      var scales = o.scales || {};
      Object.keys(scales).forEach(function (k) {
        var sc = scales[k];
        if (sc && sc.type === 'logarithmic') {
          sc.ticks = sc.ticks || {}; sc.ticks.callback = logTick; sc.ticks.autoSkip = false;
          sc.grid = sc.grid || {}; sc.grid.color = logGrid;
        }
      });
      o.plugins = o.plugins || {};
      o.plugins.tooltip = o.plugins.tooltip || {};
      o.plugins.tooltip.callbacks = { label: label };
      new Chart(canvas, s.config);
    } catch (e) {
      var box = canvas.parentNode;
      box.style.height = 'auto';
      box.textContent = (document.documentElement.getAttribute('data-chart-error') || '') + ' ' + (e && e.message ? e.message : e);
      box.className += ' render-error';
    }
  });
})();`;

/** The <head> of an offline report page: charset, viewport, a policy that allows nothing from the network, the title and the inlined stylesheet. */
export function pageHead(title: string, css: string): string {
  return `<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${css}</style>
</head>`;
}

/** Runs one renderer; an unexpected shape in the results becomes a message in the page, not a crash. */
export function renderSafely(render: SectionRenderer, r: StudyResults, i: number, lang: Lang): RenderedSection {
  try {
    return render(r, lang);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { id: `section-${i + 1}`, title: say(lang, 'rep.sectionN', { n: i + 1 }), html: `<p class="render-error">${esc(say(lang, 'rep.renderError', { why }))}</p>`, charts: [] };
  }
}

/** Bold HTML of a value. */
const strong = (v: string | number): { html: string } => ({ html: `<strong>${esc(v)}</strong>` });

function header(r: StudyResults, sections: readonly RenderedSection[], lang: Lang): string {
  const m = r.machine;
  // `wall` (set when the stages ran on worker threads, side by side) is elapsed time, not a stage
  const all = Object.entries(r.seconds ?? {});
  const wall = all.find(([k]) => k === 'wall')?.[1];
  const secs = all.filter(([k]) => k !== 'wall');
  const total = secs.some(([k]) => k === 'total') ? null : secs.reduce((s, [, v]) => s + (isNum(v) ? v : 0), 0);
  const stages = secs
    .map(([k, v]) => `${esc(has(`stage.${k}`) ? say(lang, `stage.${k}` as MessageKey) : k)} ${esc(fmtSeconds(v))}`)
    .concat(total !== null && secs.length > 0 ? [sayHtml(lang, 'rep.total', { t: strong(fmtSeconds(total)) })] : [])
    .concat(isNum(wall) ? [sayHtml(lang, 'rep.wall', { t: strong(fmtSeconds(wall)) })] : []);
  const meta = sayHtml(lang, 'rep.meta', { date: strong(fmtDate(r.createdAt ?? '')), mode: strong(say(lang, r.quick ? 'term.run.quick' : 'term.run.full')), seed: strong(r.seed), version: r.version, node: m?.node ?? '?', platform: m?.platform ?? '?', cpus: m?.cpus ?? '?' });
  return `<header>
<h1>${esc(say(lang, 'rep.title'))}</h1>
<p class="meta">${meta}</p>
<p class="stages">${sayHtml(lang, 'rep.stages', { list: { html: stages.join(' · ') || '—' } })}</p>
<p>${esc(say(lang, 'rep.lede', { format: r.format }))}</p>
<nav class="toc" aria-label="${esc(say(lang, 'rep.toc'))}"><ol>${sections.map((s) => `<li><a href="#${esc(s.id)}">${esc(s.title)}</a></li>`).join('')}</ol></nav>
</header>`;
}

function footer(r: StudyResults, lang: Lang): string {
  return `<footer>
<h2>${esc(say(lang, 'rep.references'))}</h2>
<ol>${REFERENCES.map((x) => `<li>${esc(referenceText(x, lang))}</li>`).join('\n')}</ol>
<p>${esc(say(lang, 'rep.generated', { version: r.version }))}</p>
</footer>`;
}

/**
 * Renders the whole study as one offline HTML page; `assets.chartJs` is the
 * source of Chart.js's UMD build (`chart.js/dist/chart.umd.js`), read by the caller.
 */
export function renderHtml(results: StudyResults, assets: ReportAssets, options: RenderOptions = {}): string {
  const lang = options.lang ?? 'en';
  const rendered = (options.sections ?? SECTIONS).map((s, i) => renderSafely(s, results, i, lang));
  const charts: ChartSpec[] = rendered.flatMap((s) => [...s.charts]);
  const body = rendered.map((s, i) => `<section id="${esc(s.id)}">\n<h2>${i + 1}. ${esc(s.title)}</h2>\n${s.html}\n</section>`).join('\n');
  return `<!doctype html>
<html lang="${lang}" data-chart-error="${esc(say(lang, 'rep.chartError'))}">
${pageHead(say(lang, 'rep.title'), REPORT_CSS)}
<body>
${header(results, rendered, lang)}
<main>
${body}
</main>
${footer(results, lang)}
<script type="application/json" id="results">${jsonForScript(results)}</script>
<script type="application/json" id="chart-specs">${jsonForScript(charts)}</script>
<script>${escapeScript(assets.chartJs)}</script>
<script>${escapeScript(CHART_BOOTSTRAP)}</script>
</body>
</html>
`;
}
