/**
 * One-click experiments that retell the seed's story: each is a playground
 * state (on the spiral, 8 hidden layers of 16 units unless it says otherwise),
 * a text saying what to look for, often a one-click follow-up, and for a
 * comparison a second run beside it (trained on the same data from the same
 * seed, in lock step). Every claim of a text is an `expect` that
 * presets.test.ts checks, so a change in the engine that breaks a story
 * fails a test.
 */
import { t } from '../../activations/text.js';
import type { Text } from '../../activations/types.js';
import type { VerdictKind } from '../../diagnostics/verdict.js';
import { DEFAULT_STATE, type PlaygroundState } from './settings.js';

/** What a story claims about one run, checked by presets.test.ts. */
export interface Expect {
  /** The verdict at initialisation. */
  readonly init?: VerdictKind;
  /** The verdict after the run (or that it stops on a non-finite value). */
  readonly end?: VerdictKind | 'non_finite';
  /** The verdict at a given step. */
  readonly at?: { readonly step: number; readonly verdict: VerdictKind };
  readonly minAccuracy?: number;
  readonly maxAccuracy?: number;
  /** Bounds of the first-to-last ratio ‖δ¹‖/‖δᴸ⁻¹‖ at initialisation. */
  readonly initRatio?: readonly [number, number];
  /** Bounds of every factor ‖δˡ‖/‖δˡ⁺¹‖ at initialisation (the gradient shrinking layer by layer). */
  readonly initFactors?: readonly [number, number];
  /** No hidden unit dead at any probe. */
  readonly neverDead?: true;
}

/** A preset: an id for the URL and tests, a title, the story, the state it sets. */
export interface Preset {
  readonly id: string;
  readonly title: Text;
  readonly story: Text;
  readonly state: PlaygroundState;
  readonly expect: Expect;
  /** A second run beside the first: the changes that make it, and what the story claims about it. */
  readonly compare?: { readonly change: Partial<PlaygroundState>; readonly expect: Expect };
  /** A follow-up change to try in one click (shown under the story). */
  readonly then?: { readonly label: Text; readonly change: Partial<PlaygroundState> };
  /** The pace it plays at, in steps per second, slow enough to watch. */
  readonly speed: number;
}

const base: PlaygroundState = { ...DEFAULT_STATE, data: 'spiral', depth: 8, width: 16, init: 'nielsen', loss: 'cross_entropy', opt: 'sgd', lr: 0.1, batch: 32, steps: 1000, seed: 1 };
const sigmoid8: PlaygroundState = { ...base, act: 'sigmoid', init: 'nielsen' };
const deadNet: PlaygroundState = { ...base, width: 8, act: 'relu', init: 'he_normal', lr: 0.5 };

/** The presets, in the order of the story. */
export const PRESETS: readonly Preset[] = [
  {
    id: 'vanish',
    title: t('Deep sigmoid vanishes', '深層 sigmoid 梯度消失'),
    story: t(
      "Eight sigmoid layers with Nielsen's initialisation. σ′ ≤ 1/4, so every layer shrinks the gradient: layer 1 learns about 10⁵ times slower than layer 8 and the spiral is never learned.",
      '八層 sigmoid，使用 Nielsen 的初始化。σ′ ≤ 1/4，每一層都讓梯度縮小：第 1 層的學習速度約為第 8 層的 10⁻⁵，螺旋永遠學不起來。',
    ),
    state: sigmoid8,
    expect: { init: 'vanishing', end: 'vanishing', maxAccuracy: 0.6, initRatio: [3e-6, 3e-5] },
    then: { label: t('Now add batch normalisation', '接著加入批次正規化'), change: { norm: 'batch' } },
    speed: 200,
  },
  {
    id: 'chain',
    title: t('A product of factors', '因子的連乘'),
    story: t(
      'Three sigmoid layers: the gradient of each layer is the one above it times a factor w·σ′(z), about 1/5 here since σ′ ≤ 1/4, so the points of "Gradient by layer now" fall by about that factor from the output back to the input.',
      '三層 sigmoid：每一層的梯度等於上一層的梯度乘上因子 w·σ′(z)，由於 σ′ ≤ 1/4，這裡約為 1/5；因此「目前各層的梯度」從輸出往輸入端大約按這個比例下降。',
    ),
    state: { ...sigmoid8, depth: 3 },
    expect: { initFactors: [0.1, 0.4] },
    speed: 200,
  },
  {
    id: 'relu',
    title: t('ReLU does not', 'ReLU 不會消失'),
    story: t(
      'The same network with ReLU and He initialisation: f′ = 1 wherever a unit is active, so every layer gets a gradient of the same size and the spiral is learned.',
      '相同的網路改用 ReLU 與 He 初始化：神經元啟動時 f′ = 1，每一層得到大小相近的梯度，螺旋被學會。',
    ),
    state: { ...base, act: 'relu', init: 'he_normal' },
    expect: { init: 'healthy', end: 'healthy', minAccuracy: 0.9 },
    speed: 200,
  },
  {
    id: 'dead',
    title: t('Dead ReLU', 'ReLU 神經元死亡'),
    story: t(
      'Eight ReLU layers of 8 units with a large learning rate (0.5): big updates push units to z < 0 on every input, where f′ = 0. Watch the dead fractions climb until whole layers pass no gradient and the loss stalls.',
      '八層、每層 8 個神經元的 ReLU，搭配大的學習率（0.5）：過大的更新把神經元推到所有輸入都 z < 0 的區域，那裡 f′ = 0。觀察死亡比例上升，直到整層都不再傳遞梯度、損失停滯。',
    ),
    state: deadNet,
    expect: { end: 'dead', maxAccuracy: 0.6 },
    then: { label: t('Now switch to leaky ReLU', '接著改用 leaky ReLU'), change: { act: 'leaky_relu', ap: { negative_slope: 0.1 } } },
    speed: 100,
  },
  {
    id: 'leaky',
    title: t('Leaky ReLU revives', 'Leaky ReLU 救回神經元'),
    story: t(
      'The same run with leaky ReLU (slope 0.1 for x < 0): the derivative is never exactly 0, so no unit dies and the spiral is learned.',
      '相同的設定改用 leaky ReLU（x < 0 時斜率 0.1）：導數永不恰為 0，沒有神經元死亡，螺旋被學會。',
    ),
    state: { ...deadNet, act: 'leaky_relu', ap: { negative_slope: 0.1 } },
    expect: { end: 'healthy', minAccuracy: 0.9, neverDead: true },
    speed: 100,
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
    speed: 10,
  },
  {
    id: 'xavier',
    title: t('He vs Xavier', 'He 對比 Xavier'),
    story: t(
      "Twenty ReLU layers from the same seed (learning rate 0.05), Xavier's initialisation on the left (Var w = 1/n), He's on the right (Var w = 2/n). ReLU zeroes about half of each layer's inputs, so with Xavier the variance halves at every layer: layer 1 gets about 10⁻³ of the last layer's gradient, and as training goes on units of the top layers die until the last hidden layer passes nothing and the spiral is never learned. He's factor 2 makes up for the half: the gradient reaches every layer at the start, and the spiral is learned.",
      '二十層 ReLU、相同的種子（學習率 0.05），左邊用 Xavier 初始化（Var w = 1/n），右邊用 He 初始化（Var w = 2/n）。ReLU 把每層大約一半的輸入歸零，因此用 Xavier 時變異數每層減半：第 1 層只得到最後一層約 10⁻³ 的梯度；隨著訓練進行，上層的神經元逐漸死亡，直到最後一個隱藏層不再傳遞任何梯度，螺旋始終學不會。He 的因子 2 補回了這一半：一開始梯度就到達每一層，螺旋被學會。',
    ),
    state: { ...base, act: 'relu', init: 'xavier_normal', depth: 20, lr: 0.05 },
    expect: { init: 'vanishing', initRatio: [1e-4, 3e-3], end: 'dead', maxAccuracy: 0.6 },
    compare: { change: { init: 'he_normal' }, expect: { init: 'healthy', end: 'healthy', minAccuracy: 0.9 } },
    speed: 100,
  },
  {
    id: 'depth',
    title: t('3 vs 8 layers', '3 層對比 8 層'),
    story: t(
      'The same sigmoid network, learning rate 1, with 3 hidden layers on the left and 8 on the right. Every layer adds a factor w·σ′(z) below 1: layer 1 of the shallow net gets a few per cent of its last layer\'s gradient and learns much of the spiral; in the deep one it gets about 10⁻⁵ and nothing is learned.',
      '相同的 sigmoid 網路、學習率 1，左邊 3 個隱藏層、右邊 8 個。每多一層就多一個小於 1 的因子 w·σ′(z)：淺層網路的第 1 層得到最後一層百分之幾的梯度，學會了大部分的螺旋；深層網路的第 1 層只得到約 10⁻⁵，什麼也學不到。',
    ),
    state: { ...sigmoid8, depth: 3, lr: 1 },
    expect: { initRatio: [0.01, 0.1], minAccuracy: 0.7 },
    compare: { change: { depth: 8 }, expect: { init: 'vanishing', initRatio: [3e-6, 3e-5], maxAccuracy: 0.6 } },
    speed: 200,
  },
  {
    id: 'sigrelu',
    title: t('Sigmoid vs ReLU', 'Sigmoid 對比 ReLU'),
    story: t(
      "Eight hidden layers: sigmoid with Nielsen's initialisation on the left, ReLU with He's on the right. σ′ ≤ 1/4 makes the sigmoid's gradient vanish toward the input (layer 1 gets about 10⁻⁵ of the last layer's) and it never learns the spiral; ReLU's f′ = 1 on active units keeps every layer's gradient the same size, and it learns.",
      '八個隱藏層：左邊是 sigmoid 搭配 Nielsen 的初始化，右邊是 ReLU 搭配 He 的初始化。σ′ ≤ 1/4 讓 sigmoid 的梯度往輸入端消失（第 1 層只得到最後一層約 10⁻⁵），永遠學不會螺旋；ReLU 在啟動的神經元上 f′ = 1，每一層的梯度大小相近，因此學得會。',
    ),
    state: sigmoid8,
    expect: { init: 'vanishing', initRatio: [3e-6, 3e-5], end: 'vanishing', maxAccuracy: 0.6 },
    compare: { change: { act: 'relu', init: 'he_normal' }, expect: { init: 'healthy', end: 'healthy', minAccuracy: 0.9 } },
    speed: 200,
  },
  {
    id: 'leakyelu',
    title: t('Leaky ReLU vs ELU', 'Leaky ReLU 對比 ELU'),
    story: t(
      'The Dead ReLU network at learning rate 0.2 with leaky ReLU on the left (slope 0.1 for x < 0) and ELU on the right (α(eˣ − 1) for x < 0): neither derivative is ever 0, so no unit dies and both learn the spiral; ELU\'s negative outputs also keep each layer\'s mean output nearer 0.',
      'Dead ReLU 的網路、學習率 0.2，左邊用 leaky ReLU（x < 0 時斜率 0.1），右邊用 ELU（x < 0 時為 α(eˣ − 1)）：兩者的導數都永不為 0，沒有神經元死亡，兩者都學會螺旋；ELU 的負輸出也讓各層的平均輸出更接近 0。',
    ),
    state: { ...deadNet, lr: 0.2, act: 'leaky_relu', ap: { negative_slope: 0.1 } },
    expect: { end: 'healthy', minAccuracy: 0.9, neverDead: true },
    compare: { change: { act: 'elu' }, expect: { end: 'healthy', minAccuracy: 0.9, neverDead: true } },
    speed: 200,
  },
  {
    id: 'batchnorm',
    title: t('With and without batch norm', '有無批次正規化'),
    story: t(
      "Eight sigmoid layers with Nielsen's initialisation, without (left) and with (right) batch normalisation before each activation. Normalising keeps the pre-activations near 0, where σ′ is largest: the gradient reaches layer 1 (a first-to-last ratio of tenths instead of 10⁻⁵) and the spiral is learned.",
      '八層 sigmoid、Nielsen 的初始化，左邊沒有、右邊有在每個啟動函數前做批次正規化。正規化讓預啟動值保持在 σ′ 最大的 0 附近：梯度到達第 1 層（首末層比值為十分之幾，而非 10⁻⁵），螺旋被學會。',
    ),
    state: sigmoid8,
    expect: { init: 'vanishing', maxAccuracy: 0.6 },
    compare: { change: { norm: 'batch' }, expect: { init: 'healthy', initRatio: [0.1, 1], minAccuracy: 0.9 } },
    speed: 200,
  },
];

/** The preset with `id`, if any. */
export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The second run of a comparison preset, or null. */
export function compareState(p: Preset): PlaygroundState | null {
  return p.compare ? { ...p.state, ...p.compare.change } : null;
}
