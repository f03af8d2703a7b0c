/**
 * The lab's shell: header with the three views and the language switch, and
 * the current view. The route (view, language, the view's parameters) lives
 * in the location hash and nowhere else, so a link reproduces the page.
 */
import { lazy, Suspense } from 'preact/compat';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '../activations/types.js';
import { tr } from './i18n.js';
import { TOUR_START } from './state/tour-start.js';
import { formatHash, parseHash, type Route, type View } from './state/url.js';
import { Explorer } from './ui/explorer.js';

// the playground and the report load on first use: the explorer, the landing view, stays light
const Playground = lazy(() => import('./ui/playground.js').then((m) => m.Playground));
const ReportView = lazy(() => import('./ui/report.js').then((m) => m.ReportView));
const TourBar = lazy(() => import('./ui/tour-bar.js').then((m) => m.TourBar));

/** Changes the view's parameters; `push` adds a history entry (default: replace). */
export type SetParams = (params: Readonly<Record<string, string>>, push?: boolean) => void;

function writeHash(r: Route, push: boolean): void {
  const hash = formatHash(r);
  if (hash === location.hash) return;
  if (push) history.pushState(null, '', hash);
  else history.replaceState(null, '', hash);
}

const LANGS: readonly { readonly lang: Lang; readonly label: string }[] = [
  { lang: 'en', label: 'English' },
  { lang: 'zh-Hant', label: '繁體中文' },
];

/** The whole lab. */
export function App() {
  const [route, setRoute] = useState<Route>(() => parseHash(location.hash));
  // each view's last parameters, so that its tab returns to it as it was left (not to the defaults)
  const lastParams = useRef<Partial<Record<View, Route['params']>>>({});
  lastParams.current[route.view] = route.params;

  useEffect(() => {
    const onHash = (): void => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    window.addEventListener('popstate', onHash);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('popstate', onHash);
    };
  }, []);

  useEffect(() => {
    document.documentElement.lang = route.lang;
    document.title = `${tr(route.lang, 'title')} — ${tr(route.lang, route.view === 'activations' ? 'navActivations' : route.view === 'playground' ? 'navPlayground' : 'navReport')}`;
  }, [route.lang, route.view]);

  const go = useCallback((r: Route, push: boolean) => {
    writeHash(r, push);
    setRoute(r);
  }, []);
  const setParams: SetParams = useCallback((params, push = false) => go({ ...route, params }, push), [route, go]);
  const lang = route.lang;
  // classroom links: `hide=nav,lang` keeps the header to the title
  const hide = new Set((route.params.hide ?? '').split(','));
  const tour = Number(route.params.tour);
  // the bar checks the step against the tutorial's length (it loads with it)
  const touring = Number.isInteger(tour) && tour >= 1;
  const keep: Record<string, string> = route.params.hide ? { hide: route.params.hide } : {};

  const navItem = (view: View, key: 'navActivations' | 'navPlayground' | 'navReport') => (
    <a href={formatHash({ view, lang, params: route.view === view ? {} : (lastParams.current[view] ?? {}) })} class={route.view === view ? 'active' : undefined} aria-current={route.view === view ? 'page' : undefined} data-view={view}>
      {tr(lang, key)}
    </a>
  );

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{tr(lang, 'skip')}</a>
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">∇</span>
          <div>
            <strong>{tr(lang, 'title')}</strong>
            <span class="tagline">{tr(lang, 'tagline')}</span>
          </div>
        </div>
        {!hide.has('nav') && (
          <nav class="views" aria-label={tr(lang, 'navViews')}>
            {navItem('activations', 'navActivations')}
            {navItem('playground', 'navPlayground')}
            {navItem('report', 'navReport')}
            {!touring && (
              <a href={formatHash({ view: TOUR_START.view, lang, params: { fn: TOUR_START.fn, ...keep, tour: '1' } })} data-view="tour">
                {tr(lang, 'tour')}
              </a>
            )}
          </nav>
        )}
        {!hide.has('lang') && (
          <div class="langs" role="group" aria-label={tr(lang, 'language')}>
            {LANGS.map((l) => (
              <button type="button" lang={l.lang} aria-pressed={lang === l.lang} data-lang={l.lang} onClick={() => go({ ...route, lang: l.lang }, false)}>
                {l.label}
              </button>
            ))}
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {touring && (
          <Suspense fallback={null}>
            <TourBar lang={lang} n={tour} keep={keep} go={(view, params) => go({ view, lang, params }, true)} />
          </Suspense>
        )}
        {route.view === 'activations' && <Explorer lang={lang} params={route.params} setParams={setParams} />}
        <Suspense fallback={<p class="dim">…</p>}>
          {route.view === 'playground' && <Playground lang={lang} params={route.params} setParams={setParams} />}
          {route.view === 'report' && <ReportView lang={lang} params={route.params} setParams={setParams} />}
        </Suspense>
      </main>
    </>
  );
}
