/**
 * How the catalogue's entries descend from one another: the three mind maps
 * (ReLU, tanh and sigmoid families, plus identity and softmax). Every entry
 * has exactly one place — its parent within its family and what it changes
 * about the parent, or none for a family's root — and the links across
 * families (the sigmoid gate inside silu, tanh = 2σ(2x) − 1, …) are listed
 * apart. Typed data: the compiler holds every name to one place.
 */
import type { ActivationName } from './catalogue.js';
import { t } from './text.js';
import type { Text } from './types.js';

/** Where an entry sits in its family's map. */
export interface Place {
  /** The entry it varies, in the same family; null for a family's root. */
  readonly parent: ActivationName | null;
  /** What it changes about its parent (for a root: what it is). */
  readonly how: Text;
}

/** Every entry's place in its family's map. */
export const LINEAGE: Readonly<Record<ActivationName, Place>> = {
  relu: { parent: null, how: t('max(0, x): slope 1 for x > 0, 0 below', 'max(0, x)：x > 0 時斜率 1，其餘為 0') },
  leaky_relu: { parent: 'relu', how: t('a small fixed slope k for x < 0, so no unit dies', 'x < 0 時保留固定的小斜率 k，神經元不會死亡') },
  prelu: { parent: 'leaky_relu', how: t('the slope for x < 0 is learned', 'x < 0 時的斜率由訓練學得') },
  rrelu: { parent: 'prelu', how: t('the slope is drawn at random in training instead of learned', '斜率在訓練時隨機抽取，而不是學得') },
  relu6: { parent: 'relu', how: t('capped at 6', '上限截在 6') },
  elu: { parent: 'relu', how: t('a smooth exponential floor −α for x < 0', 'x < 0 時以平滑的指數曲線趨近下限 −α') },
  selu: { parent: 'elu', how: t('scaled by λ so activations normalise themselves', '乘上 λ，使激活值自我正規化') },
  celu: { parent: 'elu', how: t('rescaled so it is C¹ for every α', '重新縮放，使任何 α 下都屬於 C¹') },
  softplus: { parent: 'relu', how: t('the smooth version ln(1 + eˣ)', '平滑版本 ln(1 + eˣ)') },
  squareplus: { parent: 'softplus', how: t('the same shape from a square root, no exponential', '以平方根得到相同形狀，不需指數') },
  gelu: { parent: 'relu', how: t('a smooth gate: x·Φ(x)', '平滑的門控：x·Φ(x)') },
  gelu_tanh: { parent: 'gelu', how: t("the tanh approximation of Φ", '以 tanh 近似 Φ') },
  silu: { parent: 'relu', how: t('a smooth gate: x·σ(x)', '平滑的門控：x·σ(x)') },
  swish: { parent: 'silu', how: t('x·σ(βx) with a learnable β', 'x·σ(βx)，β 可學習') },
  hardswish: { parent: 'silu', how: t('piecewise-polynomial: x·relu6(x + 3)/6', '分段多項式：x·relu6(x + 3)/6') },
  mish: { parent: 'relu', how: t('a smooth gate: x·tanh(softplus(x))', '平滑的門控：x·tanh(softplus(x))') },
  maxout: { parent: 'relu', how: t('the maximum of k learned linear pieces (relu is max(0, x))', 'k 個學得的線性片段取最大值（relu 即 max(0, x)）') },

  tanh: { parent: null, how: t('the zero-centred S-curve, f′(0) = 1', '零中心的 S 形曲線，f′(0) = 1') },
  lecun_tanh: { parent: 'tanh', how: t('1.7159·tanh(2x/3): unit variance out for unit variance in', '1.7159·tanh(2x/3)：輸入變異數為 1 時輸出變異數也約為 1') },
  hardtanh: { parent: 'tanh', how: t('piecewise-linear: x clipped to [−1, 1]', '分段線性：把 x 截在 [−1, 1]') },
  softsign: { parent: 'tanh', how: t('x/(1 + |x|): polynomial instead of exponential tails', 'x/(1 + |x|)：尾部以多項式而非指數速度趨平') },
  tanhshrink: { parent: 'tanh', how: t('x − tanh(x): what tanh leaves out, flat near 0', 'x − tanh(x)：tanh 留下的差，在 0 附近平坦') },
  softshrink: { parent: 'tanhshrink', how: t('piecewise-linear shrinkage, exactly 0 for |x| ≤ λ', '分段線性的收縮，|x| ≤ λ 時恰為 0') },
  hardshrink: { parent: 'softshrink', how: t('keeps x itself outside ±λ (jumps at ±λ)', '在 ±λ 之外保留 x 本身（在 ±λ 處跳躍）') },

  sigmoid: { parent: null, how: t('1/(1 + e⁻ˣ): squashes to (0, 1), σ′ ≤ 1/4', '1/(1 + e⁻ˣ)：壓縮到 (0, 1)，σ′ ≤ 1/4') },
  hardsigmoid: { parent: 'sigmoid', how: t('piecewise-linear: x/6 + 1/2 clipped to [0, 1]', '分段線性：x/6 + 1/2 截在 [0, 1]') },
  hard_sigmoid_keras2: { parent: 'hardsigmoid', how: t("Keras 2's slope 0.2 instead of 1/6", 'Keras 2 用斜率 0.2 取代 1/6') },
  logsigmoid: { parent: 'sigmoid', how: t('ln σ(x): the log-probability, a soft −relu(−x)', 'ln σ(x)：對數機率，平滑版的 −relu(−x)') },
  bipolar_sigmoid: { parent: 'sigmoid', how: t('2σ(x) − 1: stretched to (−1, 1), zero-centred', '2σ(x) − 1：拉伸到 (−1, 1)，零中心') },

  linear: { parent: null, how: t('the identity: no nonlinearity, f′ = 1', '恆等函數：沒有非線性，f′ = 1') },
  softmax: { parent: null, how: t('normalises a row of logits into probabilities', '把一列 logits 正規化為機率') },
};

/** A relation between entries of different families. */
export interface CrossLink {
  readonly a: ActivationName;
  readonly b: ActivationName;
  /** The identity or construction that links them. */
  readonly how: Text;
}

/** The links across families (each pair once). */
export const CROSS_LINKS: readonly CrossLink[] = [
  { a: 'tanh', b: 'sigmoid', how: t('tanh(x) = 2σ(2x) − 1: a shifted, rescaled sigmoid', 'tanh(x) = 2σ(2x) − 1：平移並縮放的 sigmoid') },
  { a: 'bipolar_sigmoid', b: 'tanh', how: t('2σ(x) − 1 = tanh(x/2)', '2σ(x) − 1 = tanh(x/2)') },
  { a: 'silu', b: 'sigmoid', how: t('silu gates x by σ(x)', 'silu 以 σ(x) 為 x 的門控') },
  { a: 'swish', b: 'sigmoid', how: t('swish gates x by σ(βx)', 'swish 以 σ(βx) 為 x 的門控') },
  { a: 'hardswish', b: 'hardsigmoid', how: t('hardswish(x) = x·hardsigmoid(x)', 'hardswish(x) = x·hardsigmoid(x)') },
  { a: 'softplus', b: 'sigmoid', how: t('softplus′ = σ', 'softplus′ = σ') },
  { a: 'logsigmoid', b: 'softplus', how: t('logsigmoid(x) = −softplus(−x)', 'logsigmoid(x) = −softplus(−x)') },
  { a: 'mish', b: 'tanh', how: t('mish gates x by tanh(softplus(x))', 'mish 以 tanh(softplus(x)) 為 x 的門控') },
  { a: 'gelu_tanh', b: 'tanh', how: t('approximates Φ with tanh', '以 tanh 近似 Φ') },
  { a: 'hardtanh', b: 'relu6', how: t('both clip a line: hardtanh to [−1, 1], relu6 to [0, 6]', '兩者都是截斷的直線：hardtanh 截在 [−1, 1]，relu6 截在 [0, 6]') },
  { a: 'softmax', b: 'sigmoid', how: t('σ(x) is softmax over the two logits (x, 0)', 'σ(x) 就是兩個 logits (x, 0) 的 softmax') },
  { a: 'linear', b: 'leaky_relu', how: t('leaky_relu with k = 1 is the identity', 'k = 1 的 leaky_relu 就是恆等函數') },
];

/** The children of `name` in its family's map, in catalogue order. */
export function childrenOf(name: ActivationName, order: readonly ActivationName[]): ActivationName[] {
  return order.filter((n) => LINEAGE[n].parent === name);
}
