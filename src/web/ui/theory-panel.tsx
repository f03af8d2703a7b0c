/**
 * The web lab's theory panels: in the explorer, χ₁ and the critical σ_w²
 * of the selected activation with its parameters (and what the `critical`
 * initialiser would choose); in the playground, the mean-field theory's
 * per-layer gradient line beside the measured norms at initialisation.
 * Texts in English and Traditional Chinese.
 */
import { useMemo, useState } from 'preact/hooks';
import { t } from '../../activations/text.js';
import type { Lang } from '../../activations/types.js';
import { PALETTE, type ChartConfiguration } from '../charts/setup.js';
import { useChart } from '../charts/use-chart.js';
import type { RunSpec } from '../../run/schema.js';
import { fmtNum } from '../verdict-text.js';
import type { RunHistory } from './run-controller.js';
import { explorerTheory, theoryLine } from './theory-model.js';

const TX = {
  title: t('Signal propagation in a wide random network', '寬隨機網路中的訊號傳播'),
  help: t(
    'Mean-field theory (Poole et al. 2016; Schoenholz et al. 2017): with W ~ N(0, σ_w²/n_in) and b ~ N(0, σ_b²), the mean squared gradient factor per layer is χ₁ = σ_w²·E[f′(√q* z)²] at the fixed point q* of the variance. χ₁ < 1: the gradient vanishes toward the input (ordered); > 1: it explodes (chaotic); = 1: the edge of chaos.',
    '平均場理論（Poole 等 2016；Schoenholz 等 2017）：權重 W ~ N(0, σ_w²/n_in)、偏差 b ~ N(0, σ_b²) 時，每層梯度的均方因子為 χ₁ = σ_w²·E[f′(√q* z)²]，q* 為變異數的不動點。χ₁ < 1：梯度朝輸入端消失（有序相）；> 1：梯度爆炸（混沌相）；= 1：混沌邊緣。',
  ),
  biasVar: t('bias variance σ_b²', '偏差變異數 σ_b²'),
  init: t('initialiser', '初始化方法'),
  phase: t('phase', '相'),
  critical: t('critical σ_w² (χ₁ = 1)', '臨界 σ_w²（χ₁ = 1）'),
  none: t('none: χ₁ stays below 1 until the variance grows without bound', '無：變異數無界增長之前 χ₁ 一直小於 1'),
  grows: t('no fixed point (the variance grows without bound)', '無不動點（變異數無界增長）'),
  rule: t("'critical' chooses σ_w² = {s} ({rule}; χ₁ = {c} there)", "「critical」選擇 σ_w² = {s}（{rule}；該處 χ₁ = {c}）"),
  ruleEdge: t('at the edge of chaos', '位於混沌邊緣'),
  ruleVariance: t('keeping the variance', '保持變異數'),
  ordered: t('ordered: vanishing', '有序：梯度消失'),
  chaotic: t('chaotic: exploding', '混沌：梯度爆炸'),
  criticalPhase: t('critical', '臨界'),
  lineTitle: t('Theory beside measurement, at initialisation', '初始化時的理論與量測'),
  measured: t('measured ‖δˡ‖ (batch mean) at step 0', '第 0 步量測的 ‖δˡ‖（批次平均）'),
  predicted: t('theory: ∏ √χ per layer (per example)', '理論：每層 ∏ √χ（逐樣本）'),
  lineHelp: t(
    'The dashed line is the mean-field prediction: the variance follows the length map from the first hidden layer (q¹ = {q}, read from its measured activations) and each layer multiplies the gradient by √χ at its own variance. The theory predicts the slope, not the scale: the line is placed where it best fits the measured hidden layers. It is for per-example norms of a wide network; the measured batch-mean gradient falls further where different inputs decorrelate.',
    '虛線為平均場預測：變異數從第一個隱藏層起依長度映射演化（q¹ = {q}，由其量測到的激活值推得），每一層在自身的變異數下把梯度乘以 √χ。理論預測的是斜率而非尺度：此線放在最貼合量測到的隱藏層之處。理論描述的是寬網路的逐樣本範數；在不同輸入彼此去相關之處，量測到的批次平均梯度會下降得更多。',
  ),
  notPlain: t('No theory line: the theory here covers plain networks (no normalisation, no residual blocks).', '沒有理論線：此處的理論只涵蓋一般網路（無正規化、無殘差區塊）。'),
  noHidden: t('No theory line: the network has no hidden layer.', '沒有理論線：網路沒有隱藏層。'),
  notElementwise: t('No theory line: the theory covers elementwise activations (not maxout).', '沒有理論線：理論只涵蓋逐元素的激活函數（不含 maxout）。'),
  noSignal: t('No theory line: the first hidden layer carries no measurable signal.', '沒有理論線：第一個隱藏層沒有可量測的訊號。'),
  outOfRange: t(
    "No theory line: the first hidden layer's measured E[a²] is not one the theory's length map gives for any input variance (the biases shift it), so there is no q¹ to start from.",
    '沒有理論線：第一個隱藏層量測到的 E[a²] 不是理論的長度映射在任何輸入變異數下能給出的值（偏差使它偏移），因此沒有可作為起點的 q¹。',
  ),
  noGradient: t('No theory line: the last hidden layer has no finite gradient.', '沒有理論線：最後一個隱藏層沒有有限的梯度。'),
  layer: t('layer', '層'),
  grad: t('‖δˡ‖ (log scale)', '‖δˡ‖（對數刻度）'),
} as const;

function say(lang: Lang, key: keyof typeof TX, vars: Record<string, string> = {}): string {
  return TX[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

const BIAS_CHOICES = [0, 0.05, 0.2] as const;

/** The explorer's panel: χ₁ at LeCun's and He's σ_w² and at the critical initialiser's, and the critical σ_w², for a choice of σ_b². */
export function TheoryPanel({ lang, name, params }: { readonly lang: Lang; readonly name: string; readonly params: Readonly<Record<string, number>> }) {
  const [sigmaB2, setSigmaB2] = useState<number>(0);
  const key = `${name}|${JSON.stringify(params)}|${sigmaB2}`;
  const th = useMemo(() => explorerTheory(name, params, sigmaB2), [key]);
  const phase = (p: string | null) => (p === 'ordered' ? say(lang, 'ordered') : p === 'chaotic' ? say(lang, 'chaotic') : p === 'critical' ? say(lang, 'criticalPhase') : '—');
  return (
    <section class="theory-panel" data-theory="explorer">
      <h3>{say(lang, 'title')}</h3>
      <p class="dim">{say(lang, 'help')}</p>
      {!th.ok ? (
        <p class="note">{th.reason}</p>
      ) : (
        <>
          <fieldset class="toggles">
            <legend>{say(lang, 'biasVar')}</legend>
            {BIAS_CHOICES.map((b) => (
              <label key={b}>
                <input type="radio" name="theory-sb2" checked={sigmaB2 === b} onChange={() => setSigmaB2(b)} /> {b}
              </label>
            ))}
          </fieldset>
          <table class="props">
            <thead>
              <tr>
                <th>{say(lang, 'init')}</th>
                <th>σ_w²</th>
                <th>χ₁</th>
                <th>{say(lang, 'phase')}</th>
              </tr>
            </thead>
            <tbody>
              {th.rows.map((r) => (
                <tr key={r.label} data-init={r.label}>
                  <td>{r.label}</td>
                  <td>{fmtNum(r.sigmaW2)}</td>
                  <td data-chi1={r.chi1 ?? ''}>{r.chi1 === null ? say(lang, 'grows') : fmtNum(r.chi1)}</td>
                  <td>{phase(r.phase)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-critical={th.criticalSigmaW2 ?? ''}>
            <strong>{say(lang, 'critical')}:</strong> {th.criticalSigmaW2 === null ? say(lang, 'none') : fmtNum(th.criticalSigmaW2)}
          </p>
          {th.init && <p>{say(lang, 'rule', { s: fmtNum(th.init.sigmaW2), rule: th.init.rule === 'edge-of-chaos' ? say(lang, 'ruleEdge') : th.init.rule === 'variance-preserving' ? say(lang, 'ruleVariance') : th.init.rule, c: fmtNum(th.init.chi1) })}</p>}
        </>
      )}
    </section>
  );
}

/** The playground's panel: measured ‖δˡ‖ at initialisation and the theory's line. */
export function TheoryProfile({ lang, spec, history }: { readonly lang: Lang; readonly spec: RunSpec | null; readonly history: RunHistory | null }) {
  const first = history?.probes[0] ?? null;
  const line = useMemo(() => (spec && first ? theoryLine(spec, first) : null), [spec, first]);
  const config = useMemo((): ChartConfiguration | null => {
    if (!first || !line || !line.ok) return null;
    const pts = (ys: readonly (number | null)[]) => ys.map((y, i) => ({ x: i + 1, y: y !== null && y > 0 && Number.isFinite(y) ? y : null }));
    return {
      type: 'line',
      data: {
        datasets: [
          { label: say(lang, 'measured'), data: pts(first.layers.map((l) => l.biasGradNorm)), borderColor: PALETTE[0], backgroundColor: PALETTE[0], borderWidth: 2, pointRadius: 3 },
          { label: say(lang, 'predicted'), data: pts(line.predicted), borderColor: PALETTE[1], backgroundColor: PALETTE[1], borderDash: [6, 4], borderWidth: 2, pointRadius: 0 },
        ],
      },
      options: {
        plugins: { legend: { position: 'bottom' } },
        scales: {
          x: { type: 'linear', min: 1, title: { display: true, text: say(lang, 'layer') }, ticks: { precision: 0, stepSize: 1 } },
          y: { type: 'logarithmic', title: { display: true, text: say(lang, 'grad') } },
        },
      },
    } as unknown as ChartConfiguration;
  }, [first, line, lang]);
  const ref = useChart(config);
  if (!first || !line) return null;
  return (
    <figure class="card theory-profile" data-theory="playground">
      <figcaption class="title">{say(lang, 'lineTitle')}</figcaption>
      {line.ok ? (
        <>
          <div class="chart-box">
            <canvas ref={ref} role="img" aria-label={say(lang, 'lineTitle')} data-chart="theory" data-predicted={line.predicted.map((y) => (y === null ? '' : y.toPrecision(6))).join(',')} data-measured={first.layers.map((l) => l.biasGradNorm.toPrecision(6)).join(',')} />
          </div>
          <p class="help">{say(lang, 'lineHelp', { q: fmtNum(line.q1) })}</p>
        </>
      ) : (
        <p class="note">{say(lang, line.reason)}</p>
      )}
    </figure>
  );
}
