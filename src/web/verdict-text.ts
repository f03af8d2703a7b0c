/**
 * The verdict in the reader's language. The engine decides the verdict and
 * writes its cause and remedies in English; for Traditional Chinese the same
 * verdict is retold here from the same measured numbers (the decision itself
 * is never repeated, only its wording).
 */
import type { Lang } from '../activations/types.js';
import { THRESHOLDS, type VerdictKind } from '../diagnostics/verdict.js';
import type { NonFiniteFinding } from '../nn/nonfinite.js';
import { fmt } from '../report/format.js';
import type { LayerStat, ProbeSnapshot } from './engine/session.js';
import { tr } from './i18n.js';
import { SETTINGS } from './state/settings.js';

/** A verdict as the page shows it. */
export interface VerdictText {
  readonly kind: VerdictKind;
  readonly title: string;
  readonly cause: string;
  readonly remedies: readonly string[];
}

const TITLES: Record<VerdictKind, Record<Lang, string>> = {
  vanishing: { en: 'Vanishing gradient', 'zh-Hant': '梯度消失' },
  exploding: { en: 'Exploding gradient', 'zh-Hant': '梯度爆炸' },
  dead: { en: 'Dead units', 'zh-Hant': '神經元死亡' },
  saturated: { en: 'Saturated units', 'zh-Hant': '神經元飽和' },
  healthy: { en: 'Healthy gradient flow', 'zh-Hant': '梯度流動正常' },
};

const SATURATING = new Set(['sigmoid', 'tanh', 'hardsigmoid', 'hard_sigmoid_keras2', 'bipolar_sigmoid', 'lecun_tanh', 'softsign', 'hardtanh', 'logsigmoid']);

/** A number as the report writes it: 3 significant digits, exponent form (1.2e-5) below 1e-3 or from 1e5. */
export function fmtNum(x: number | null | undefined): string {
  return fmt(x);
}

/** Where a non-finite value appeared, in words. */
export function nonFiniteWhere(lang: Lang, f: NonFiniteFinding, L: number): string {
  const v = { layer: f.layer, L };
  switch (f.quantity) {
    case 'activation':
      return tr(lang, 'nfActivation', v);
    case 'loss':
      return tr(lang, 'nfLoss', v);
    case 'gradient':
      return tr(lang, 'nfGradient', v);
    case 'weight':
      return tr(lang, 'nfWeight', v);
  }
}

/**
 * The hidden layer a dead verdict is about: the one nearest the output whose
 * units are all dead (it blocks every gradient below it), else the most dead.
 */
export function blockingLayer(hidden: readonly LayerStat[]): LayerStat | undefined {
  const blocked = hidden.filter((l) => l.deadFraction === 1);
  if (blocked.length > 0) return blocked[blocked.length - 1];
  return hidden.reduce<LayerStat | undefined>((m, l) => (m === undefined || l.deadFraction > m.deadFraction ? l : m), undefined);
}

/** Where a setting is in the playground's controls: "Remedies → Clip gradient norm". */
function control(lang: Lang, group: 'groupRemedies' | 'groupNetwork' | 'groupTraining', key: 'clip' | 'init' | 'lr' | 'norm' | 'l2'): string {
  return `${tr(lang, group)} → ${SETTINGS[key].label[lang]}`;
}

/** The exploding verdict's remedies in the playground's words (its controls, not the command line's flags). */
function explodingRemedies(lang: Lang, init: string): string[] {
  if (lang === 'en') {
    return [
      `Clip the gradient by global norm (${control(lang, 'groupRemedies', 'clip')}, e.g. 1): g ← c·g/‖g‖ when ‖g‖ ≥ c.`,
      `Use smaller initial weights than '${init}' (${control(lang, 'groupNetwork', 'init')}): xavier_uniform for tanh/sigmoid, he_normal for the ReLU family.`,
      `Lower the learning rate (${control(lang, 'groupTraining', 'lr')}).`,
      `Add batch normalisation (${control(lang, 'groupRemedies', 'norm')}), and weight decay (${control(lang, 'groupRemedies', 'l2')}) to keep |w| small.`,
    ];
  }
  return [
    `以全域範數裁剪梯度（${control(lang, 'groupRemedies', 'clip')}，例如 1）：當 ‖g‖ ≥ c 時，g ← c·g/‖g‖。`,
    `使用比「${init}」更小的初始權重（${control(lang, 'groupNetwork', 'init')}）：tanh/sigmoid 用 xavier_uniform，ReLU 家族用 he_normal。`,
    `降低學習率（${control(lang, 'groupTraining', 'lr')}）。`,
    `加入批次正規化（${control(lang, 'groupRemedies', 'norm')}）與權重衰減（${control(lang, 'groupRemedies', 'l2')}），讓 |w| 保持較小。`,
  ];
}

/** The verdict of a probe in `lang`. */
export function verdictText(lang: Lang, p: ProbeSnapshot, init: string): VerdictText {
  const v = p.verdict;
  const kind = v.kind;
  const title = TITLES[kind][lang];
  if (lang === 'en') return { kind, title, cause: v.cause, remedies: kind === 'exploding' ? explodingRemedies(lang, init) : v.remedies };
  const hidden = p.layers.slice(0, -1);
  const acts = [...new Set(hidden.map((l) => l.activation))];
  const r = fmtNum(p.firstToLast);
  switch (kind) {
    case 'vanishing': {
      const remedies: string[] = [];
      if (acts.some((a) => SATURATING.has(a))) remedies.push(`隱藏層改用 relu（或 leaky_relu / elu / gelu）取代 ${acts.join('/')}：x > 0 時導數為 1，因子不會縮小。`);
      if (acts.includes('sigmoid')) remedies.push('若要保留 S 形函數，tanh 優於 sigmoid：f′(0) = 1 而非 1/4，且輸出以零為中心。');
      remedies.push(`使用保持變異數的初始化（目前為「${init}」）：ReLU 家族用 he_normal，tanh 用 xavier_uniform，selu 用 lecun_normal。`);
      remedies.push('在線性部分與啟動函數之間加入批次正規化，讓預啟動值停留在 f′ 較大的區域。');
      remedies.push('加入殘差（跳躍）連接：恆等路徑讓梯度越過每一層。');
      remedies.push('減少層數，或逐層預訓練。');
      const slower = p.firstToLast ? fmtNum(1 / p.firstToLast) : '—';
      return { kind, title, cause: `第一層的梯度只有最後一個隱藏層的 ${r} 倍（< ${THRESHOLDS.vanishing}）：每一層都把梯度乘上一個小於 1 的因子 |w·f′(z)|（第 1 層的平均 |f′|：${fmtNum(hidden[0]?.meanAbsDerivative)}），因此前面的層學得慢了約 ${slower} 倍。`, remedies };
    }
    case 'exploding': {
      const remedies = explodingRemedies(lang, init);
      const f = v.nonFinite;
      const cause = f
        ? `出現了非有限值（第 ${f.step} 步，${nonFiniteWhere(lang, f, p.layers.length)}）：各層因子 |w·f′(z)| 大於 1，乘積溢位。`
        : `第一層的梯度是最後一個隱藏層的 ${r} 倍（> ${THRESHOLDS.exploding}）：因子 w·f′(z) 大於 1，往輸入端連乘放大。`;
      return { kind, title, cause, remedies };
    }
    case 'dead': {
      const l = blockingLayer(hidden) ?? p.layers[0];
      const he = init.startsWith('he_');
      return {
        kind,
        title,
        cause: `第 ${l.index} 層（${l.activation}）有 ${fmtNum(100 * l.deadFraction)} % 的神經元在每個樣本上 f′(z) = 0：它們不傳遞梯度，也不再學習。`,
        remedies: [
          '改用 leaky_relu（斜率 0.01–0.2）、prelu（可學習斜率）或 elu：它們的導數永不恰為 0。',
          '降低學習率：過大的更新會把偏差推向很負的值，使神經元死亡。',
          he ? `保持 ${init} 初始化，偏差設為 0 或小的正數；神經元是在訓練中死亡的，不是初始化造成的。` : `改用 he_normal 初始化（目前為「${init}」），偏差設為 0 或小的正數。`,
          '在啟動函數前加入批次正規化，讓預啟動值保持置中。',
        ],
      };
    }
    case 'saturated': {
      const l = hidden.find((x) => x.saturatedFraction > THRESHOLDS.saturated) ?? hidden[0];
      return {
        kind,
        title,
        cause: `第 ${l.index} 層（${l.activation}）有 ${fmtNum(100 * l.saturatedFraction)} % 的預啟動值落在 |f′(z)| < 1e-3·max|f′| 的區域：這一層幾乎不傳遞梯度。`,
        remedies: [
          `縮小權重：「${init}」使 |z| 過大；tanh/sigmoid 用 xavier_uniform，ReLU 家族用 he_normal。`,
          '在啟動函數前加入批次正規化。',
          '隱藏層改用不飽和的啟動函數（relu、leaky_relu、elu、gelu）。',
          '標準化輸入。',
        ],
      };
    }
    case 'healthy':
      return { kind, title, cause: `梯度以相近的尺度到達每一層（首末層比值 ${r}；門檻 ${THRESHOLDS.vanishing} 與 ${THRESHOLDS.exploding}），沒有任何一層大多死亡或飽和。`, remedies: [] };
  }
}
