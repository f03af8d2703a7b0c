/**
 * One-click experiments that retell the seed's story: each is a playground
 * state (on the spiral, 8 hidden layers of 16 units unless it says otherwise),
 * a text saying what to look for, and often a one-click follow-up. Their outcomes are checked by
 * presets.test.ts, so a change in the engine that breaks a story fails a test.
 */
import { t } from '../../activations/text.js';
import type { Text } from '../../activations/types.js';
import type { VerdictKind } from '../../diagnostics/verdict.js';
import { DEFAULT_STATE, type PlaygroundState } from './settings.js';

/** A preset: an id for the URL and tests, a title, the story, the state it sets. */
export interface Preset {
  readonly id: string;
  readonly title: Text;
  readonly story: Text;
  readonly state: PlaygroundState;
  /** What the story claims, checked by presets.test.ts: the verdict at initialisation and/or after the run, the accuracy reached. */
  readonly expect: { readonly init?: VerdictKind; readonly end?: VerdictKind | 'non_finite'; readonly minAccuracy?: number; readonly maxAccuracy?: number };
  /** A follow-up change to try in one click (shown under the story). */
  readonly then?: { readonly label: Text; readonly change: Partial<PlaygroundState> };
}

const base: PlaygroundState = { ...DEFAULT_STATE, data: 'spiral', depth: 8, width: 16, loss: 'cross_entropy', opt: 'sgd', lr: 0.1, batch: 32, steps: 1000, seed: 1 };

/** The presets, in the order of the story. */
export const PRESETS: readonly Preset[] = [
  {
    id: 'vanish',
    title: t('Deep sigmoid vanishes', '深層 sigmoid 梯度消失'),
    story: t(
      "Eight sigmoid layers with Nielsen's initialisation. σ′ ≤ 1/4, so every layer shrinks the gradient: layer 1 learns about 10⁵ times slower than layer 8 and the spiral is never learned.",
      '八層 sigmoid，使用 Nielsen 的初始化。σ′ ≤ 1/4，每一層都讓梯度縮小：第 1 層的學習速度約為第 8 層的 10⁻⁵，螺旋永遠學不起來。',
    ),
    state: { ...base, act: 'sigmoid', init: 'nielsen' },
    expect: { init: 'vanishing', end: 'vanishing', maxAccuracy: 0.6 },
    then: { label: t('Now add batch normalisation', '接著加入批次正規化'), change: { norm: 'batch' } },
  },
  {
    id: 'relu',
    title: t('ReLU does not', 'ReLU 不會消失'),
    story: t(
      'The same network with ReLU and He initialisation: f′ = 1 wherever a unit is active, so every layer gets a gradient of the same size and the spiral is learned.',
      '相同的網路改用 ReLU 與 He 初始化：神經元激活時 f′ = 1，每一層得到大小相近的梯度，螺旋被學會。',
    ),
    state: { ...base, act: 'relu', init: 'he_normal' },
    expect: { init: 'healthy', end: 'healthy', minAccuracy: 0.9 },
  },
  {
    id: 'dead',
    title: t('Dead ReLU', 'ReLU 神經元死亡'),
    story: t(
      'Eight ReLU layers of 8 units with a large learning rate (0.5): big updates push units to z < 0 on every input, where f′ = 0. Watch the dead fractions climb until whole layers pass no gradient and the loss stalls.',
      '八層、每層 8 個神經元的 ReLU，搭配大的學習率（0.5）：過大的更新把神經元推到所有輸入都 z < 0 的區域，那裡 f′ = 0。觀察死亡比例上升，直到整層都不再傳遞梯度、損失停滯。',
    ),
    state: { ...base, width: 8, act: 'relu', init: 'he_normal', lr: 0.5 },
    expect: { end: 'dead', maxAccuracy: 0.6 },
    then: { label: t('Now switch to leaky ReLU', '接著改用 leaky ReLU'), change: { act: 'leaky_relu', ap: { negative_slope: 0.1 } } },
  },
  {
    id: 'leaky',
    title: t('Leaky ReLU revives', 'Leaky ReLU 救回神經元'),
    story: t(
      'The same run with leaky ReLU (slope 0.1 for x < 0): the derivative is never exactly 0, so no unit dies and the spiral is learned.',
      '相同的設定改用 leaky ReLU（x < 0 時斜率 0.1）：導數永不恰為 0，沒有神經元死亡，螺旋被學會。',
    ),
    state: { ...base, width: 8, act: 'leaky_relu', ap: { negative_slope: 0.1 }, init: 'he_normal', lr: 0.5 },
    expect: { end: 'healthy', minAccuracy: 0.9 },
  },
  {
    id: 'explode',
    title: t('Exploding weights', '權重爆炸'),
    story: t(
      'Ten ReLU layers with weights from N(0, 1): each layer multiplies the signal by about √(16/2) ≈ 2.8, the gradient of layer 1 is 10⁴ times that of the last, and within two steps a value overflows. Try clipping, or he_normal.',
      '十層 ReLU，權重取自 N(0, 1)：每一層把訊號放大約 √(16/2) ≈ 2.8 倍，第 1 層的梯度是最後一層的 10⁴ 倍，兩步之內就有數值溢位。試試梯度裁剪或 he_normal。',
    ),
    state: { ...base, act: 'relu', init: 'normal', depth: 10 },
    expect: { init: 'exploding', end: 'non_finite' },
    then: { label: t('Now switch to he_normal', '接著改用 he_normal'), change: { init: 'he_normal' } },
  },
  {
    id: 'xavier',
    title: t('He vs Xavier', 'He 對比 Xavier'),
    story: t(
      'Twenty ReLU layers with Xavier initialisation (Var w = 1/n): ReLU halves the variance at every layer, so the gradient fades toward the input. Switch the initialiser to he_normal (Var w = 2/n) and it reaches every layer.',
      '二十層 ReLU，使用 Xavier 初始化（Var w = 1/n）：ReLU 每一層都把變異數減半，梯度往輸入端逐漸消失。把初始化改為 he_normal（Var w = 2/n），梯度就能到達每一層。',
    ),
    state: { ...base, act: 'relu', init: 'xavier_normal', depth: 20 },
    expect: { init: 'vanishing', maxAccuracy: 0.6 },
    then: { label: t('Now switch to he_normal', '接著改用 he_normal'), change: { init: 'he_normal' } },
  },
];

/** The preset with `id`, if any. */
export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
