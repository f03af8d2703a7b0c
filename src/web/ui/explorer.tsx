/**
 * The activation explorer: the family map, and for the chosen entry its
 * formula and derivative (KaTeX, rendered at build time), f and f′ on the
 * same axes with the |f′| < 1 regions shaded and the dead zones marked,
 * sliders for its parameters, overlays of other functions, its properties,
 * advantages and drawbacks. URL: fn, cmp (overlays), pv (parameter values),
 * show (f, df).
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { FORMULAS } from 'virtual:gradscope-formulas';
import { ACTIVATIONS, CATALOGUE, FAMILIES, isActivationName, resolveParams } from '../../activations/catalogue.js';
import type { ActivationDef, Lang } from '../../activations/types.js';
import type { SetParams } from '../app.js';
import { bandsPlugin, intervalsWhere, type BandsOptions } from '../charts/bands.js';
import { PALETTE, type ChartConfiguration } from '../charts/setup.js';
import { useChart } from '../charts/use-chart.js';
import { textOf, tr } from '../i18n.js';
import { formatParams, parseParams } from '../state/settings.js';
import { fmtNum } from '../verdict-text.js';
import { ParamInput } from './param-input.js';
import { derivedProps, type DerivedProps } from './derived-props.js';
import { FamilyMap } from './family-map.js';
import { TheoryPanel } from './theory-panel.js';
import { metaText } from '../../activations/meta-text.js';

/** x grid of the plot. */
const XS: readonly number[] = Array.from({ length: 601 }, (_, i) => -6 + i * 0.02);
/** Most overlays at once: with f and f′ of each, five functions already make ten lines and ten legend entries. */
export const MAX_OVERLAYS = 4;
const ELEMENTWISE = ACTIVATIONS.filter((d) => d.kind === 'elementwise').map((d) => d.name);

/** A bound 1/k as "1/k" when k is a whole number (σ′ ≤ 1/4, hardsigmoid′ ≤ 1/6), else as a decimal. */
function boundText(v: number): { bound: string; k: string } {
  const k = 1 / v;
  return Math.abs(k - Math.round(k)) < 1e-9 ? { bound: `1/${Math.round(k)}`, k: String(Math.round(k)) } : { bound: fmtNum(v), k: fmtNum(k) };
}

interface ExplorerProps {
  readonly lang: Lang;
  readonly params: Readonly<Record<string, string>>;
  readonly setParams: SetParams;
}

/** The explorer view. */
export function Explorer({ lang, params, setParams }: ExplorerProps) {
  const fn = params.fn && isActivationName(params.fn) ? params.fn : 'sigmoid';
  const def = CATALOGUE[fn];
  const overlays = (params.cmp ?? '')
    .split(',')
    .filter((n) => n !== fn && ELEMENTWISE.includes(n))
    .slice(0, MAX_OVERLAYS);
  const pv = parseParams(params.pv ?? '') ?? {};
  const show = new Set((params.show ?? 'f,df').split(','));
  const set = (patch: Record<string, string>, push = false): void => {
    const next = { ...params, ...patch };
    for (const k of Object.keys(next)) if (next[k] === '') delete next[k];
    setParams(next, push);
  };
  let paramError: string | null = null;
  let p: number[];
  try {
    p = resolveParams(def, pv);
  } catch (e) {
    paramError = e instanceof Error ? e.message : String(e);
    p = def.params.map((s) => s.default);
  }
  const family = FAMILIES.find((f) => f.id === def.family);
  const formulas = FORMULAS[fn];
  const custom = paramError === null && def.kind === 'elementwise' && def.params.some((s, i) => p[i] !== s.default);
  const derived = useMemo(() => (custom ? derivedProps(def, p) : null), [fn, custom, p.join(',')]);
  // on one column (a phone), an entry chosen in the map lies far above it: bring it into view
  const chosen = useRef(false);
  useEffect(() => {
    if (!chosen.current) return;
    chosen.current = false;
    const title = document.getElementById('entry-title');
    if (title && title.getBoundingClientRect().top < 0) title.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [fn]);
  const choose = (name: string): void => {
    chosen.current = true;
    set({ fn: name, pv: '' }, true);
  };

  return (
    <div class="explorer">
      <FamilyMap lang={lang} selected={fn} onSelect={choose} />
      <article class="entry" aria-labelledby="entry-title" data-entry={fn}>
        <header>
          <h2 id="entry-title">
            <code>{fn}</code> <span class={`badge fam-${def.family}`}>{family?.title[lang]}</span>
          </h2>
          <p class="summary">{def.meta.summary[lang]}</p>
        </header>
        <div class="formulas">
          <div>
            <h3>{tr(lang, 'formula')}</h3>
            <div class="tex" role="img" aria-label={def.meta.formula.text} dangerouslySetInnerHTML={{ __html: formulas?.formula ?? '' }} />
          </div>
          <div>
            <h3>{tr(lang, 'derivative')}</h3>
            <div class="tex" role="img" aria-label={def.meta.derivative.text} dangerouslySetInnerHTML={{ __html: formulas?.derivative ?? '' }} />
          </div>
        </div>
        {def.kind === 'elementwise' ? (
          <div class="plot-area">
            <CurvePlot lang={lang} def={def} p={p} maxD={derived?.derivativeMax ?? def.meta.derivativeMax} overlays={overlays} showF={show.has('f')} showDf={show.has('df')} />
            <div class="plot-controls">
              <fieldset class="toggles">
                <legend class="sr-only">{tr(lang, 'plot')}</legend>
                {(['f', 'df'] as const).map((k) => (
                  <label key={k}>
                    <input
                      type="checkbox"
                      checked={show.has(k)}
                      onChange={(e) => {
                        const s = new Set(show);
                        if ((e.target as HTMLInputElement).checked) s.add(k);
                        else s.delete(k);
                        const v = ['f', 'df'].filter((x) => s.has(x)).join(',');
                        set({ show: v === 'f,df' ? '' : v || 'none' });
                      }}
                    />{' '}
                    {tr(lang, k === 'f' ? 'showF' : 'showDf')}
                  </label>
                ))}
              </fieldset>
              {def.params.length > 0 && (
                <fieldset class="params">
                  <legend>{tr(lang, 'parameters')}</legend>
                  {def.params.map((s, i) => {
                    const id = `param-${s.name}`;
                    return (
                      <div class="slider" key={s.name}>
                        <label for={id}>
                          <code>{s.name}</code>
                          {s.learnable && <span class="dim"> ({tr(lang, 'learnable')})</span>}
                        </label>
                        <ParamInput id={id} spec={s} value={p[i]} doc={s.doc[lang]} live onValue={(v) => set({ pv: formatParams({ ...pv, [s.name]: v }) })} />
                        <p class="dim" id={`${id}-doc`}>
                          {s.doc[lang]}
                        </p>
                      </div>
                    );
                  })}
                  {paramError && <p class="error" role="alert">{paramError}</p>}
                  <button type="button" class="link" onClick={() => set({ pv: '' })}>
                    {tr(lang, 'resetParams')}
                  </button>
                </fieldset>
              )}
              <fieldset class="overlays">
                <legend>{tr(lang, 'compareWith')}</legend>
                <ul class="overlay-list">
                  {overlays.map((n, i) => (
                    <li key={n}>
                      <span class="swatch" style={{ background: PALETTE[(i + 1) % PALETTE.length] }} aria-hidden="true" />
                      <code>{n}</code>
                      <button type="button" class="remove" aria-label={tr(lang, 'compareRemove', { name: n })} onClick={() => set({ cmp: overlays.filter((x) => x !== n).join(',') })}>
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
                {overlays.length >= MAX_OVERLAYS && (
                  <p class="help" data-overlay-limit>
                    {tr(lang, 'overlayLimit', { n: MAX_OVERLAYS })}
                  </p>
                )}
                {overlays.length < MAX_OVERLAYS && (
                  <select
                    aria-label={tr(lang, 'compareAdd')}
                    value=""
                    onChange={(e) => {
                      const v = (e.target as HTMLSelectElement).value;
                      if (v) set({ cmp: [...overlays, v].join(',') });
                    }}
                  >
                    <option value="">{tr(lang, 'compareAdd')}</option>
                    {ELEMENTWISE.filter((n) => n !== fn && !overlays.includes(n)).map((n) => (
                      <option value={n} key={n}>
                        {n}
                      </option>
                    ))}
                  </select>
                )}
              </fieldset>
            </div>
          </div>
        ) : (
          <p class="note not-elementwise">
            {tr(lang, 'notElementwise', { name: fn })} {tr(lang, fn === 'softmax' ? 'softmaxNote' : 'maxoutNote')}
          </p>
        )}
        <Details lang={lang} def={def} derived={derived} onSelect={choose} />
        {def.kind === 'elementwise' && paramError === null && <TheoryPanel lang={lang} name={fn} params={pv} />}
      </article>
    </div>
  );
}

interface CurvePlotProps {
  readonly lang: Lang;
  readonly def: ActivationDef;
  readonly p: readonly number[];
  /** sup |f′| at the parameters p. */
  readonly maxD: number;
  readonly overlays: readonly string[];
  readonly showF: boolean;
  readonly showDf: boolean;
}

/** f and f′ of the entry (and of the overlays) on the same axes, with the bands. */
function CurvePlot({ lang, def, p, maxD, overlays, showF, showDf }: CurvePlotProps) {
  const config = useMemo((): ChartConfiguration => {
    const f = XS.map((x) => def.f(x, p));
    const df = XS.map((x) => def.df(x, p));
    const maxD = df.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
    const datasets: ChartConfiguration<'line'>['data']['datasets'] = [];
    const pts = (ys: readonly number[]) => XS.map((x, i) => ({ x, y: Number.isFinite(ys[i]) ? ys[i] : null }));
    if (showF) datasets.push({ label: `${def.name}(x)`, data: pts(f), borderColor: PALETTE[0], backgroundColor: PALETTE[0], borderWidth: 2.5, pointRadius: 0 } as never);
    // f′ datasets have a hollow legend box with a dashed border, like their lines
    if (showDf) datasets.push({ label: `${def.name}′(x)`, data: pts(df), borderColor: PALETTE[0], backgroundColor: 'rgba(255,255,255,0)', borderWidth: 2, borderDash: [6, 4], pointRadius: 0 } as never);
    overlays.forEach((name, i) => {
      const o = CATALOGUE[name as keyof typeof CATALOGUE];
      const q = o.params.map((s) => s.default);
      const color = PALETTE[(i + 1) % PALETTE.length];
      if (showF) datasets.push({ label: `${name}(x)`, data: pts(XS.map((x) => o.f(x, q))), borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0 } as never);
      if (showDf) datasets.push({ label: `${name}′(x)`, data: pts(XS.map((x) => o.df(x, q))), borderColor: color, backgroundColor: 'rgba(255,255,255,0)', borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0 } as never);
    });
    const lines: { y: number; label: string; color: string }[] = [{ y: 1, label: "f′ = 1", color: '#555' }];
    if (maxD < 0.999) lines.push({ y: maxD, label: tr(lang, 'legendMax', { v: fmtNum(maxD) }), color: '#b35c00' });
    const bands: BandsOptions = {
      below: intervalsWhere(XS, (i) => Math.abs(df[i]) < 1 && df[i] !== 0),
      dead: intervalsWhere(XS, (i) => df[i] === 0),
      lines,
      deadLabel: tr(lang, 'propDeadZone'),
    };
    return {
      type: 'line',
      data: { datasets },
      plugins: [bandsPlugin as never],
      options: {
          interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        plugins: { legend: { display: true, position: 'bottom', labels: { boxWidth: 26, boxHeight: 8 } }, gsBands: bands } as never,
        scales: {
          x: { type: 'linear', min: -6, max: 6, title: { display: true, text: 'x' }, ticks: { stepSize: 1 }, grid: { color: (c: { tick?: { value: number } }) => (c.tick?.value === 0 ? '#9aa0a6' : 'rgba(0,0,0,0.08)') } },
          y: { type: 'linear', suggestedMin: -1, suggestedMax: 1.5, title: { display: true, text: "f(x), f′(x)" }, grid: { color: (c: { tick?: { value: number } }) => (c.tick?.value === 0 ? '#9aa0a6' : 'rgba(0,0,0,0.08)') } },
        },
      },
    } as unknown as ChartConfiguration;
  }, [def, p.join(','), overlays.join(','), showF, showDf, lang]);
  const canvas = useChart(config);
  return (
    <figure class="curve">
      <div class="chart-box tall">
        <canvas ref={canvas} role="img" aria-label={tr(lang, 'plotAria', { name: def.name })} data-chart="curve" />
      </div>
      <figcaption>
        <span class="key below" aria-hidden="true" /> {tr(lang, 'legendBelowOne')} <span class="key dead" aria-hidden="true" /> {tr(lang, 'legendDead')}
        {def.family === 'sigmoid' && maxD < 1 && <strong class="quarter"> {tr(lang, 'boundNote', { name: def.name, ...boundText(maxD) })}</strong>}
      </figcaption>
    </figure>
  );
}

/** Properties, kinks, advantages and drawbacks, relatives and the paper. */
function Details({ lang, def, derived, onSelect }: { lang: Lang; def: ActivationDef; derived: DerivedProps | null; onSelect: (name: string) => void }) {
  const m = def.meta;
  const yn = (b: boolean) => tr(lang, b ? 'yes' : 'no');
  // away from the default parameters, the rows that depend on them are measured from f and f′ (marked ●); the others hold as the catalogue says
  const d = derived;
  const above = d ? d.boundedAbove : m.boundedAbove;
  const below = d ? d.boundedBelow : m.boundedBelow;
  const bounded = above && below ? tr(lang, 'yes') : above ? tr(lang, 'above') : below ? tr(lang, 'below') : tr(lang, 'no');
  const rows: [string, string, boolean][] = [
    [tr(lang, 'propRange'), d ? d.range : metaText(m.range, lang), d !== null],
    [tr(lang, 'propDRange'), d ? d.derivativeRange : metaText(m.derivativeRange, lang), d !== null],
    [tr(lang, 'propDMax'), fmtNum(d ? d.derivativeMax : m.derivativeMax), d !== null],
    [tr(lang, 'propD0'), fmtNum(d ? d.derivativeAtZero : m.derivativeAtZero), d !== null],
    [tr(lang, 'propZeroCentred'), yn(m.zeroCentred), false],
    [tr(lang, 'propMonotonic'), yn(d ? d.monotonic : m.monotonic), d !== null],
    [tr(lang, 'propSmooth'), yn(m.smooth), false],
    [tr(lang, 'propBounded'), bounded, d !== null],
    [tr(lang, 'propSaturates'), textOf(lang, m.saturates) || tr(lang, 'none'), false],
    [tr(lang, 'propDeadZone'), (d ? d.deadZone : m.deadZone) || tr(lang, 'none'), d !== null],
    [tr(lang, 'propCost'), fmtNum(m.cost), false],
  ];
  return (
    <div class="details">
      <section>
        <h3>{tr(lang, 'properties')}</h3>
        {d && <p class="help" data-measured>{tr(lang, 'measuredNote')}</p>}
        <table class="props">
          <tbody>
            {rows.map(([k, v, byValue]) => (
              <tr key={k} class={byValue ? 'measured' : undefined}>
                <th scope="row">{k}</th>
                <td>
                  <span class="v">{v}</span>
                  {byValue && (
                    <span class="measured-mark" title={tr(lang, 'measuredMark')} aria-label={tr(lang, 'measuredMark')}>
                      {' '}●
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {m.kinks.length > 0 && (
          <>
            <h4>
              {tr(lang, 'kinks')}
              {d && <span class="dim"> ({tr(lang, 'atDefaults')})</span>}
            </h4>
            <ul class="kinks">
              {m.kinks.map((k) => (
                <li key={k.at}>{tr(lang, 'at', { x: fmtNum(k.at), d: fmtNum(k.derivative), c: k.convention[lang] })}</li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section class="pros-cons">
        <div>
          <h3>{tr(lang, 'advantages')}</h3>
          <ul class="pros">
            {m.advantages[lang].map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
        <div>
          <h3>{tr(lang, 'drawbacks')}</h3>
          <ul class="cons">
            {m.drawbacks[lang].map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
        {m.related.length > 0 && (
          <p class="related-list">
            <strong>{tr(lang, 'related')}:</strong>{' '}
            {m.related.map((r, i) => (
              <span key={r}>
                {i > 0 && ', '}
                <button type="button" class="link" onClick={() => onSelect(r)}>
                  {r}
                </button>
              </span>
            ))}
          </p>
        )}
        <p class="paper">
          <strong>{tr(lang, 'paper')}:</strong> {m.paper.authors}, “{m.paper.title}”, {m.paper.venue ? `${m.paper.venue}, ` : ''}
          {m.paper.year}.
        </p>
      </section>
    </div>
  );
}
