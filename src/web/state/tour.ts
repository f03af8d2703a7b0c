/**
 * The tutorial: the seed's argument in seven steps, each a page of the lab
 * (the explorer on one function, or a playground preset) with one sentence.
 * σ′ ≤ 1/4 → a product of factors → deeper is worse → ReLU → dead units →
 * leaky ReLU and ELU → remedies. The presets' claims are checked by
 * presets.test.ts; tour.test.ts checks that every step points at one.
 */
import { t } from '../../activations/text.js';
import type { Text } from '../../activations/types.js';
import { compareState, presetById } from './presets.js';
import { TOUR_START } from './tour-start.js';
import { compareParams, paramsFromState, type View } from './url.js';

/** A step: where it goes and what it says. */
export interface TourStep {
  readonly title: Text;
  readonly text: Text;
  /** The explorer on `fn`, or the playground on preset `preset`. */
  readonly place: { readonly view: 'activations'; readonly fn: string } | { readonly view: 'playground'; readonly preset: string };
}

/** The steps, in order. */
export const TOUR: readonly TourStep[] = [
  {
    title: t('σ′ ≤ 1/4', 'σ′ ≤ 1/4'),
    text: t(
      "The sigmoid's derivative σ′(x) = σ(x)(1 − σ(x)) is at most 1/4, at x = 0 (the dashed line): every sigmoid layer multiplies the gradient by w·σ′(z), a factor below 1 unless |w| ≥ 4.",
      'sigmoid 的導數 σ′(x) = σ(x)(1 − σ(x)) 最大只有 1/4，出現在 x = 0（虛線）：每個 sigmoid 層都把梯度乘上 w·σ′(z)，除非 |w| ≥ 4，這個因子都小於 1。',
    ),
    place: TOUR_START,
  },
  {
    title: t('A product of factors', '因子的連乘'),
    text: t(
      "Backpropagation multiplies one factor w·σ′(z) per layer: in three sigmoid layers each layer's gradient is about a fifth of the one above it.",
      '反向傳播每經過一層就乘上一個因子 w·σ′(z)：在三層 sigmoid 中，每一層的梯度約為上一層的五分之一。',
    ),
    place: { view: 'playground', preset: 'chain' },
  },
  {
    title: t('Deeper is worse', '越深越糟'),
    text: t(
      'Five more layers are five more factors below 1: with 8 layers, layer 1 gets about 10⁻⁵ of the last layer\'s gradient and the network learns nothing.',
      '多五層就多五個小於 1 的因子：8 層時，第 1 層只得到最後一層約 10⁻⁵ 的梯度，網路什麼也學不到。',
    ),
    place: { view: 'playground', preset: 'depth' },
  },
  {
    title: t('ReLU', 'ReLU'),
    text: t(
      "ReLU's derivative is 1 wherever a unit is active, so the factors do not shrink: the same eight layers learn the spiral.",
      'ReLU 在神經元啟動處的導數為 1，因子不會縮小：同樣的八層學會了螺旋。',
    ),
    place: { view: 'playground', preset: 'sigrelu' },
  },
  {
    title: t('Dead units', '神經元死亡'),
    text: t(
      "ReLU's derivative is 0 for z < 0: a large learning rate pushes units there on every input, and a whole dead layer blocks the gradient.",
      'ReLU 在 z < 0 時導數為 0：過大的學習率把神經元推到所有輸入都落在那裡，整層死亡就擋住了梯度。',
    ),
    place: { view: 'playground', preset: 'dead' },
  },
  {
    title: t('Leaky ReLU and ELU', 'Leaky ReLU 與 ELU'),
    text: t(
      'Leaky ReLU (slope 0.1 for x < 0) and ELU (α(eˣ − 1)) never have a zero derivative: no unit dies and both learn.',
      'Leaky ReLU（x < 0 時斜率 0.1）與 ELU（α(eˣ − 1)）的導數永不為 0：沒有神經元死亡，兩者都學得會。',
    ),
    place: { view: 'playground', preset: 'leakyelu' },
  },
  {
    title: t('Remedies', '補救方法'),
    text: t(
      'Besides the activation: batch normalisation keeps the sigmoid\'s inputs where σ′ is large and the deep network learns; residual connections, clipping, weight decay and the initialisers are in the Remedies and Network groups.',
      '除了換啟動函數：批次正規化讓 sigmoid 的輸入停留在 σ′ 較大的區域，深層網路就學得會；殘差連接、梯度裁剪、權重衰減與初始化方法在「補救方法」與「網路」設定中。',
    ),
    place: { view: 'playground', preset: 'batchnorm' },
  },
];

/** The view and parameters of step `n` (1-based), with `keep` (view flags, e.g. hide) carried over. */
export function tourRoute(n: number, keep: Readonly<Record<string, string>> = {}): { view: View; params: Record<string, string> } {
  const step = TOUR[n - 1];
  if (!step) throw new RangeError(`tourRoute: step must be in 1..${TOUR.length}; got ${n}`);
  const tour = { ...keep, tour: String(n) };
  if (step.place.view === 'activations') return { view: 'activations', params: { fn: step.place.fn, ...tour } };
  const preset = presetById(step.place.preset);
  if (!preset) throw new RangeError(`tourRoute: step ${n} names no preset '${step.place.preset}'`);
  const b = compareState(preset);
  return { view: 'playground', params: { ...paramsFromState(preset.state), ...(b ? compareParams(preset.state, b) : {}), speed: String(preset.speed), ...tour } };
}
