/**
 * The playground: presets, the controls, and the live views of a run that
 * trains in a Web Worker — loss and accuracy, per-layer gradient norms over
 * time, the layer × time heatmap, the gradient profile by layer, saturated
 * and dead fractions, the verdict, and the decision boundary for 2-D data.
 * The settings live in the URL; any change starts a new run from the seed.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../activations/types.js';
import type { SetParams } from '../app.js';
import { useChart } from '../charts/use-chart.js';
import { planOf, type RunPlan } from '../engine/plan.js';
import { tr } from '../i18n.js';
import { PRESETS } from '../state/presets.js';
import { type PlaygroundState } from '../state/settings.js';
import { paramsFromState, stateFromParams } from '../state/url.js';
import { fmtNum, nonFiniteWhere, verdictText } from '../verdict-text.js';
import { Controls } from './controls.js';
import { Boundary, Heatmap } from './rasters.js';
import { gradConfig, gradOptions, lossConfig, lossOptions, profileConfig, unitsConfig } from './run-charts.js';
import { RunController, type RunHistory } from './run-controller.js';
import { TheoryProfile } from './theory-panel.js';

interface PlaygroundProps {
  readonly lang: Lang;
  readonly params: Readonly<Record<string, string>>;
  readonly setParams: SetParams;
}

/** Parameters of a plan's network. */
function parameterCount(plan: RunPlan): number {
  const s = plan.mlp.sizes;
  let n = 0;
  for (let l = 0; l + 1 < s.length; l++) {
    const act = Array.isArray(plan.mlp.hidden) ? plan.mlp.hidden[l] : plan.mlp.hidden;
    const pieces = l < s.length - 2 && act && 'name' in act && act.name === 'maxout' ? (act.params?.pieces ?? 2) : 1;
    n += pieces * (s[l] * s[l + 1] + s[l + 1]);
  }
  return n;
}

/** "2-16×8-2" */
function archText(sizes: readonly number[]): string {
  const hidden = sizes.slice(1, -1);
  const same = hidden.every((h) => h === hidden[0]);
  return same && hidden.length > 1 ? `${sizes[0]}-${hidden[0]}×${hidden.length}-${sizes[sizes.length - 1]}` : sizes.join('-');
}

/** The playground view. */
export function Playground({ lang, params, setParams }: PlaygroundProps) {
  const key = JSON.stringify(params);
  const { state, invalid } = useMemo(() => stateFromParams(params), [key]);
  const planned = useMemo((): { plan: RunPlan | null; error: string | null } => {
    try {
      return { plan: planOf(state), error: null };
    } catch (e) {
      return { plan: null, error: e instanceof Error ? e.message : String(e) };
    }
  }, [state]);
  const planKey = planned.plan ? JSON.stringify(planned.plan) : '';

  const controller = useRef<RunController | null>(null);
  const autoplay = useRef(false);
  const [history, setHistory] = useState<RunHistory | null>(null);
  const [, setVersion] = useState(0);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    const c = new RunController(new URL('data/digits.bin', document.baseURI).href);
    controller.current = c;
    const off = c.subscribe((h) => {
      setVersion((v) => v + 1);
      if (autoplay.current && h.status === 'ready') {
        autoplay.current = false;
        c.play();
      }
    });
    return () => {
      off();
      c.dispose();
      controller.current = null;
    };
  }, []);

  useEffect(() => {
    const c = controller.current;
    if (!c || !planned.plan) return;
    setHistory(c.setup(planned.plan));
  }, [planKey]);

  const change = (next: PlaygroundState): void => setParams(paramsFromState(next));
  const startPreset = (s: PlaygroundState): void => {
    autoplay.current = true;
    const next = paramsFromState(s);
    if (JSON.stringify(next) === key && controller.current?.current) {
      // same settings: restart from the seed
      setHistory(controller.current.setup(controller.current.current.plan));
    } else setParams(next, true);
  };
  const here = JSON.stringify(paramsFromState(state));
  const active = PRESETS.find((p) => JSON.stringify(paramsFromState(p.state)) === here);
  // after a preset's follow-up, its story stays on screen
  const followed = active ? undefined : PRESETS.find((p) => p.then && JSON.stringify(paramsFromState({ ...p.state, ...p.then.change })) === here);
  const story = active ?? followed;

  const h = history;
  const status = h?.status ?? 'building';
  const playing = status === 'playing';
  const canRun = status === 'ready' || status === 'paused';
  const last = h && h.probes.length > 0 ? h.probes[h.probes.length - 1] : null;
  const verdict = last ? verdictText(lang, last) : null;
  const version = h?.version ?? 0;

  const lossOpts = useMemo(() => lossOptions(lang), [lang]);
  const gradOpts = useMemo(() => gradOptions(lang), [lang]);
  const lossCfg = useMemo(() => (h ? lossConfig(h, lang, lossOpts) : null), [h, version, lossOpts]);
  const gradCfg = useMemo(() => (h ? gradConfig(h, lang, gradOpts) : null), [h, version, gradOpts]);
  const profileCfg = useMemo(() => (h ? profileConfig(h, lang) : null), [h, h?.probes.length, lang]);
  const unitsCfg = useMemo(() => (h ? unitsConfig(h, lang) : null), [h, h?.probes.length, lang]);
  const lossRef = useChart(lossCfg);
  const gradRef = useChart(gradCfg);
  const profileRef = useChart(profileCfg);
  const unitsRef = useChart(unitsCfg);

  const copyLink = (): void => {
    void navigator.clipboard
      ?.writeText(location.href)
      .then(() => {
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      })
      .catch(() => undefined);
  };

  return (
    <div class="playground">
      <section class="presets" aria-labelledby="presets-title">
        <h2 id="presets-title">{tr(lang, 'presets')}</h2>
        <div class="preset-buttons">
          {PRESETS.map((p) => (
            <button type="button" key={p.id} data-preset={p.id} aria-pressed={active?.id === p.id} onClick={() => startPreset(p.state)}>
              {p.title[lang]}
            </button>
          ))}
        </div>
        <p class="story" aria-live="polite">
          {story ? story.story[lang] : tr(lang, 'presetsHelp')}
        </p>
        {story?.then && (
          <p class="then">
            {followed ? (
              <span class="done">✓ {story.then.label[lang]}</span>
            ) : (
              <button type="button" data-then={story.id} onClick={() => story.then && startPreset({ ...story.state, ...story.then.change })}>
                {story.then.label[lang]} ▶
              </button>
            )}
          </p>
        )}
      </section>
      {invalid.length > 0 && (
        <p class="notice" role="status">
          {tr(lang, 'invalidParams', { keys: invalid.join(', ') })}
        </p>
      )}
      <div class="pg-layout">
        <aside class="pg-controls">
          <Controls lang={lang} state={state} onChange={change} />
        </aside>
        <section class="pg-main" aria-label={tr(lang, 'navPlayground')}>
          <div class="toolbar" role="toolbar" aria-label={tr(lang, 'play')}>
            {playing ? (
              <button type="button" class="primary" data-action="pause" onClick={() => controller.current?.pause()}>
                ❚❚ {tr(lang, 'pause')}
              </button>
            ) : (
              <button type="button" class="primary" data-action="play" disabled={!canRun} onClick={() => controller.current?.play()}>
                ▶ {tr(lang, 'play')}
              </button>
            )}
            <button type="button" data-action="step" disabled={!canRun} onClick={() => controller.current?.step(1)}>
              {tr(lang, 'step')}
            </button>
            <button type="button" data-action="reset" disabled={!planned.plan} onClick={() => planned.plan && controller.current && setHistory(controller.current.setup(planned.plan))}>
              ↺ {tr(lang, 'reset')}
            </button>
            <button type="button" data-action="copy" onClick={copyLink}>
              {tr(lang, copied ? 'linkCopied' : 'copyLink')}
            </button>
            {/* the step counter changes many times a second: not a live region; state changes are announced below */}
            <span class="status" data-status={status}>
              {status === 'loading' ? tr(lang, 'loadingDigits') : status === 'building' ? tr(lang, 'building') : tr(lang, 'stepCount', { n: h?.step ?? 0, m: state.steps })}
              {playing && h && h.stepsPerSecond > 0 ? ` · ${tr(lang, 'speed', { n: Math.round(h.stepsPerSecond) })}` : ''}
              {status === 'finished' && h ? ` · ${tr(lang, 'finished', { n: h.step })}` : ''}
            </span>
          </div>
          <p class="sr-only" aria-live="polite">
            {status === 'playing' ? tr(lang, 'play') : status === 'paused' ? tr(lang, 'pause') : status === 'finished' && h ? tr(lang, 'finished', { n: h.step }) : ''}
          </p>
          {planned.plan && h?.info && (
            <p class="net-summary">
              {tr(lang, 'network', { sizes: archText(planned.plan.mlp.sizes), params: parameterCount(planned.plan).toLocaleString(lang), train: h.info.trainN, test: h.info.testN })}
            </p>
          )}
          {(planned.error || h?.error) && (
            <div class="alert error" role="alert">
              <strong>{tr(lang, 'errorTitle')}</strong>: {planned.error ?? h?.error}
            </div>
          )}
          {h?.nonFinite && (
            <div class="alert nonfinite" role="alert" data-nonfinite>
              <h3>{tr(lang, 'nonFiniteTitle')}</h3>
              <p>
                <strong>{nonFiniteWhere(lang, h.nonFinite)}</strong>
              </p>
              <p>{tr(lang, 'nonFiniteWhy')}</p>
              {verdict && verdict.remedies.length > 0 && (
                <>
                  <h4>{tr(lang, 'remedies')}</h4>
                  <ol>
                    {verdict.remedies.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ol>
                </>
              )}
            </div>
          )}
          {verdict && !h?.nonFinite && (
            <div class={`verdict v-${verdict.kind}`} data-verdict={verdict.kind}>
              <h3>
                {tr(lang, 'verdict')}: {verdict.title}
                {last && last.firstToLast !== null && <span class="dim"> · {tr(lang, 'firstToLast', { r: fmtNum(last.firstToLast) })}</span>}
              </h3>
              <p>{verdict.cause}</p>
              {verdict.remedies.length > 0 && (
                <details open={verdict.kind !== 'healthy'}>
                  <summary>{tr(lang, 'remedies')}</summary>
                  <ol>
                    {verdict.remedies.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ol>
                </details>
              )}
            </div>
          )}
          <div class="charts">
            <figure class="card wide">
              <figcaption class="title">{tr(lang, 'chartGrad')}</figcaption>
              <div class="chart-box">
                <canvas ref={gradRef} role="img" aria-label={tr(lang, 'chartGradAria')} data-chart="grad" />
              </div>
              <p class="help">{tr(lang, 'chartGradHelp')}</p>
            </figure>
            <figure class="card">
              <figcaption class="title">{tr(lang, 'chartLoss')}</figcaption>
              <div class="chart-box">
                <canvas ref={lossRef} role="img" aria-label={tr(lang, 'chartLossAria')} data-chart="loss" />
              </div>
            </figure>
            <figure class="card">
              <figcaption class="title">{tr(lang, 'chartProfile')}</figcaption>
              <div class="chart-box">
                <canvas ref={profileRef} role="img" aria-label={tr(lang, 'chartProfileAria')} data-chart="profile" />
              </div>
            </figure>
            <TheoryProfile lang={lang} plan={planned.plan} history={h} />
            <figure class="card">
              <figcaption class="title">{tr(lang, 'chartHeat')}</figcaption>
              {h && <Heatmap h={h} lang={lang} />}
            </figure>
            <figure class="card">
              <figcaption class="title">{tr(lang, 'chartUnits')}</figcaption>
              <div class="chart-box">
                <canvas ref={unitsRef} role="img" aria-label={tr(lang, 'chartUnitsAria')} data-chart="units" />
              </div>
            </figure>
            <figure class="card">
              <figcaption class="title">{tr(lang, 'chartBoundary')}</figcaption>
              {h?.info?.points ? <Boundary grid={h.boundary} points={h.info.points} lang={lang} /> : <p class="note">{tr(lang, 'boundaryDigits')}</p>}
            </figure>
          </div>
        </section>
      </div>
    </div>
  );
}
