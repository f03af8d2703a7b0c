/**
 * One run's live views: its verdict (or the blow-up that stopped it), why it
 * stopped, and its charts — per-layer gradient norms over time, loss and
 * accuracy, the gradient profile by layer, the layer × time heatmap, the
 * saturated and dead fractions, the decision boundary for 2-D data, and the
 * network drawn with its weights and gradient flow. Two panels side by side
 * share their log axes so a comparison lines up.
 */
import { useMemo } from 'preact/hooks';
import type { Lang } from '../../activations/types.js';
import { useChart } from '../charts/use-chart.js';
import { tr } from '../i18n.js';
import { fmtNum, nonFiniteWhere, verdictText } from '../verdict-text.js';
import { NetworkView } from './network-view.js';
import { TheoryProfile } from './theory-panel.js';
import { Boundary, Heatmap } from './rasters.js';
import { gradConfig, gradOptions, lossConfig, lossOptions, profileConfig, unitsConfig, zeroLayers, type GradRange } from './run-charts.js';
import type { RunHistory, RunStatus } from './run-controller.js';

interface RunPanelProps {
  readonly lang: Lang;
  readonly h: RunHistory;
  readonly status: RunStatus;
  /** 'a' or 'b'. */
  readonly id: string;
  /** What sets this run apart in a comparison ("init = he_normal"), or null for a single run. */
  readonly title: string | null;
  /** The initialiser as written (for the verdict's advice). */
  readonly init: string;
  readonly range: GradRange | null;
  readonly hide: ReadonlySet<string>;
  readonly requestNeurons: (res: number) => void;
}

/** A fraction as a percentage with one decimal. */
function fmtPercent(v: number): string {
  return `${(100 * v).toFixed(1)} %`;
}

/** Why the run stopped, in words, or null while it can go on. */
function endText(lang: Lang, h: RunHistory): string | null {
  switch (h.end) {
    case 'max_steps':
      return tr(lang, 'endMax', { n: h.step });
    case 'tolerance':
      return tr(lang, 'endTol', { n: h.step, g: fmtNum(h.lastGradNorm), tol: fmtNum(h.spec.gradTol) });
    case 'non_finite':
      return tr(lang, 'endNonFinite', { n: h.nonFinite?.step ?? h.step });
    default:
      return null;
  }
}

/** The views of one run. */
export function RunPanel({ lang, h, status, id, title, range, hide, requestNeurons }: RunPanelProps) {
  const version = h.version;
  const last = h.probes.length > 0 ? h.probes[h.probes.length - 1] : null;
  const verdict = last ? verdictText(lang, last) : null;
  const two = title !== null;
  const lossOpts = useMemo(() => lossOptions(lang), [lang]);
  const gradOpts = useMemo(() => gradOptions(lang, range, !two), [lang, range?.lo, range?.hi, two]);
  const lossCfg = useMemo(() => lossConfig(h, lang, lossOpts), [h, version, lossOpts]);
  const gradCfg = useMemo(() => gradConfig(h, lang, gradOpts), [h, version, gradOpts]);
  const profileCfg = useMemo(() => profileConfig(h, lang, range), [h, h.probes.length, lang, range?.lo, range?.hi]);
  const unitsCfg = useMemo(() => unitsConfig(h, lang), [h, h.probes.length, lang]);
  const lossRef = useChart(lossCfg);
  const gradRef = useChart(gradCfg);
  const profileRef = useChart(profileCfg);
  const unitsRef = useChart(unitsCfg);
  const zeros = zeroLayers(last ?? undefined);
  const ended = endText(lang, h);
  const show = (panel: string): boolean => !hide.has(panel);

  return (
    <section class="run-panel" data-run={id} data-step={h.step} aria-label={title ?? tr(lang, 'navPlayground')}>
      {title !== null && <h3 class="run-title">{title}</h3>}
      {h.nonFinite && show('verdict') && (
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
      {verdict && !h.nonFinite && show('verdict') && (
        <div class={`verdict v-${verdict.kind}`} data-verdict={verdict.kind} data-verdict-init={h.probes[0]?.verdict.kind}>
          <h3>
            {tr(lang, 'verdictTitle', { title: verdict.title })}
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
      {last && last.testAccuracy !== null && (
        <p class="run-acc dim" data-test-accuracy={last.testAccuracy}>
          {tr(lang, 'accuracyNow', { test: fmtPercent(last.testAccuracy), train: last.trainAccuracy === null ? '—' : fmtPercent(last.trainAccuracy), n: last.step })}
        </p>
      )}
      {ended && (
        <p class="run-end" data-stop-reason={h.end ?? ''}>
          {ended}
        </p>
      )}
      {h.spec.gradTol !== null && !ended && status !== 'building' && Number.isFinite(h.lastGradNorm) && (
        <p class="run-end dim">{tr(lang, 'gradNow', { g: fmtNum(h.lastGradNorm), tol: fmtNum(h.spec.gradTol) })}</p>
      )}
      <div class={two ? 'charts one-col' : 'charts'}>
        {show('grad') && (
          <figure class="card wide">
            <figcaption class="title">{tr(lang, 'chartGrad')}</figcaption>
            <div class="chart-box">
              <canvas ref={gradRef} role="img" aria-label={tr(lang, 'chartGradAria')} data-chart="grad" data-range={range ? `${range.lo},${range.hi}` : ''} />
            </div>
            <p class="help">
              {tr(lang, 'chartGradHelp')}
              {two && ` ${tr(lang, 'layerColours')}`}
            </p>
          </figure>
        )}
        {show('network') && (
          <figure class="card wide">
            <figcaption class="title">{tr(lang, 'chartNetwork')}</figcaption>
            <NetworkView h={h} lang={lang} requestNeurons={requestNeurons} />
          </figure>
        )}
        {show('loss') && (
          <figure class="card">
            <figcaption class="title">{tr(lang, 'chartLoss')}</figcaption>
            <div class="chart-box">
              <canvas ref={lossRef} role="img" aria-label={tr(lang, 'chartLossAria')} data-chart="loss" />
            </div>
          </figure>
        )}
        {show('profile') && (
          <figure class="card">
            <figcaption class="title">{tr(lang, 'chartProfile')}</figcaption>
            <div class="chart-box">
              <canvas ref={profileRef} role="img" aria-label={tr(lang, 'chartProfileAria')} data-chart="profile" />
            </div>
            {zeros.length > 0 && (
              <p class="help zero-note" data-zero-layers={zeros.join(',')}>
                {tr(lang, 'zeroLayers', { layers: zeros.join(', ') })}
              </p>
            )}
          </figure>
        )}
        {show('profile') && <TheoryProfile lang={lang} spec={h.spec} history={h} />}
        {show('heatmap') && (
          <figure class="card">
            <figcaption class="title">{tr(lang, 'chartHeat')}</figcaption>
            <Heatmap h={h} lang={lang} range={range} />
          </figure>
        )}
        {show('units') && (
          <figure class="card">
            <figcaption class="title">{tr(lang, 'chartUnits')}</figcaption>
            <div class="chart-box">
              <canvas ref={unitsRef} role="img" aria-label={tr(lang, 'chartUnitsAria')} data-chart="units" data-dead={last ? last.layers.slice(0, -1).map((l) => l.deadFraction).join(',') : ''} />
            </div>
          </figure>
        )}
        {show('boundary') && (
          <figure class="card">
            <figcaption class="title">{tr(lang, 'chartBoundary')}</figcaption>
            {h.info?.points ? <Boundary grid={h.boundary} points={h.info.points} lang={lang} /> : <p class="note">{tr(lang, 'boundaryDigits')}</p>}
          </figure>
        )}
      </div>
    </section>
  );
}
