/**
 * The report viewer: a study's results.json — the one `gradscope serve`
 * serves from the report folder, or a file the reader opens — drawn by the
 * report's own section renderers and chart specifications, in a shadow root
 * so the report's stylesheet and the lab's do not mix.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../activations/types.js';
import type { StudyResults } from '../../study/types.js';
import type { ChartSpec } from '../../report/charts.js';
import { say } from '../../i18n/catalogue.js';
import { esc, fmtDate } from '../../report/format.js';
import { renderSafely } from '../../report/html.js';
import { SECTIONS } from '../../report/sections/index.js';
import { REPORT_CSS } from '../../report/style.js';
import type { SetParams } from '../app.js';
import { Chart, decorate, type ChartConfiguration } from '../charts/setup.js';
import { tr } from '../i18n.js';

/** Where the served report is, relative to the page (`gradscope serve` maps it to the report folder). */
export const SERVED_REPORT = 'report/results.json';

interface ReportProps {
  readonly lang: Lang;
  readonly params: Readonly<Record<string, string>>;
  readonly setParams: SetParams;
}

/** Why `value` is not a study report, or null when it is one. */
export function reportProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'it is not a JSON object';
  const format = (value as { format?: unknown }).format;
  if (format !== 'gradscope-study/1') return `field 'format' is ${JSON.stringify(format)}, expected "gradscope-study/1"`;
  return null;
}

/** The sections of `r` in `lang` as HTML and their charts; a section that cannot be rendered becomes a message. */
function renderReport(r: StudyResults, lang: Lang): { html: string; charts: ChartSpec[] } {
  const parts = SECTIONS.map((render, i) => renderSafely(render, r, i, lang));
  const charts = parts.flatMap((s) => [...s.charts]);
  const toc = `<nav class="toc" aria-label="${esc(say(lang, 'rep.toc'))}"><ol>${parts.map((s) => `<li><a href="#${esc(s.id)}" data-anchor="${esc(s.id)}">${esc(s.title)}</a></li>`).join('')}</ol></nav>`;
  const body = parts.map((s, i) => `<section id="${esc(s.id)}"><h2>${i + 1}. ${esc(s.title)}</h2>${s.html}</section>`).join('\n');
  return { html: `<main>${toc}${body}</main>`, charts };
}

/** The report view. */
export function ReportView({ lang, params, setParams }: ReportProps) {
  const [results, setResults] = useState<StudyResults | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const host = useRef<HTMLDivElement>(null);

  const loadServed = async (): Promise<void> => {
    try {
      const res = await fetch(SERVED_REPORT, { cache: 'no-cache' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const value: unknown = await res.json();
      const problem = reportProblem(value);
      if (problem) throw new Error(problem);
      setResults(value as StudyResults);
      setMessage(null);
      if (params.src !== 'served') setParams({ ...params, src: 'served' });
    } catch {
      setMessage(tr(lang, 'reportNone'));
    }
  };

  // `src=served` (the link `gradscope serve` prints) loads the served report; otherwise nothing is
  // fetched until asked, so a page without a report folder makes no failing request
  useEffect(() => {
    if (params.src === 'served') void loadServed();
  }, []);

  const openFile = async (file: File): Promise<void> => {
    try {
      const value: unknown = JSON.parse(await file.text());
      const problem = reportProblem(value);
      if (problem) throw new Error(problem);
      setResults(value as StudyResults);
      setMessage(null);
      const { src: _drop, ...rest } = params;
      setParams(rest);
    } catch (e) {
      setResults(null);
      setMessage(tr(lang, 'reportBad', { file: file.name, why: e instanceof Error ? e.message : String(e) }));
    }
  };

  useEffect(() => {
    const el = host.current;
    if (!el || !results) return;
    const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    const { html, charts } = renderReport(results, lang);
    const css = REPORT_CSS.replace(':root', ':host').replace(/\bbody\b/g, ':host');
    root.innerHTML = `<style>${css} :host{display:block} main{padding:0} nav.toc{margin:0 0 8px}</style>${html}`;
    // in-page links inside the shadow root: scroll instead of changing the hash (the hash holds the route)
    const onClick = (e: Event): void => {
      const a = (e.target as HTMLElement).closest('a[data-anchor]');
      if (!a) return;
      e.preventDefault();
      root.getElementById(a.getAttribute('data-anchor') ?? '')?.scrollIntoView({ behavior: 'smooth' });
    };
    root.addEventListener('click', onClick);
    const drawn: Chart[] = [];
    for (const spec of charts) {
      const canvas = root.getElementById(spec.id);
      if (!(canvas instanceof HTMLCanvasElement)) continue;
      try {
        drawn.push(new Chart(canvas, decorate(structuredClone(spec.config) as unknown as ChartConfiguration)));
      } catch (e) {
        const box = canvas.parentElement;
        if (box) {
          box.style.height = 'auto';
          box.textContent = `${say(lang, 'rep.chartError')} ${e instanceof Error ? e.message : String(e)}`;
          box.className += ' render-error';
        }
      }
    }
    return () => {
      root.removeEventListener('click', onClick);
      drawn.forEach((c) => c.destroy());
    };
  }, [results, lang]);

  return (
    <div class="report-view">
      <section class="report-head">
        <h2>{tr(lang, 'reportTitle')}</h2>
        <p class="help">{tr(lang, 'reportIntro')}</p>
        <div class="report-actions">
          <label class="file-button">
            {tr(lang, 'reportOpen')}
            <input
              type="file"
              accept=".json,application/json"
              class="sr-only"
              data-action="open-report"
              onChange={(e) => {
                const f = (e.target as HTMLInputElement).files?.[0];
                if (f) void openFile(f);
              }}
            />
          </label>
          <button type="button" onClick={() => void loadServed()}>
            {tr(lang, 'reportServed')}
          </button>
        </div>
        {message && (
          <p class="notice" role="status" data-report-message>
            {message}
          </p>
        )}
        {results && (
          <p class="meta" data-report-loaded>
            {tr(lang, 'reportFrom', { date: results.createdAt ? fmtDate(results.createdAt) : '?', seed: results.seed ?? '?', mode: tr(lang, results.quick ? 'quick' : 'full') })}
          </p>
        )}
      </section>
      <div ref={host} class={results ? 'report-body' : 'report-body empty'} lang={lang} data-report-body />
    </div>
  );
}
