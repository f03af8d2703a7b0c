/**
 * The smooth members of the tanh family: tanh, lecun_tanh, softsign and
 * tanhshrink — zero-centred (odd) functions. The piecewise-linear members
 * (hardtanh, softshrink, hardshrink) are in tanh-hard.ts.
 *
 * tanh is Math.tanh (correctly saturating to ±1, never overflowing); its
 * derivative is 1 − tanh²x. Costs are operation-count estimates (ReLU = 1).
 */
import type { Buf } from '../tensor/dtype.js';
import { tanhDerivative } from './special.js';
import { bullets, t } from './text.js';
import type { ActivationDef } from './types.js';

// ---------------------------------------------------------------------------
// tanh(x) = (eˣ − e^{−x})/(eˣ + e^{−x}) = 2σ(2x) − 1

/** Hyperbolic tangent; tanh' = 1 − tanh² = sech² ∈ (0, 1], accurate in the tails. */
export const tanh: ActivationDef = {
  name: 'tanh',
  family: 'tanh',
  kind: 'elementwise',
  params: [],
  f: (x) => Math.tanh(x),
  // 1 − tanh² cancels to exactly 0 for |x| > 19; tanhDerivative switches to 4e^{−2|x|}/(1 + e^{−2|x|})²
  df: (x) => tanhDerivative(x, Math.tanh(x)),
  map(a: Buf, d: Buf, z: Buf, n: number) {
    for (let i = 0; i < n; i++) {
      const x = z[i];
      const y = Math.tanh(x);
      a[i] = y;
      d[i] = tanhDerivative(x, y);
    }
  },
  meta: {
    formula: { text: 'tanh(x) = (eˣ − e^{−x})/(eˣ + e^{−x}) = 2σ(2x) − 1', latex: String.raw`\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1` },
    derivative: { text: "tanh'(x) = 1 − tanh²(x)", latex: String.raw`\tanh'(x) = 1 - \tanh^2(x)` },
    range: '(−1, 1)',
    derivativeRange: '(0, 1]',
    derivativeMax: 1,
    derivativeAtZero: 1,
    zeroCentred: true,
    monotonic: true,
    smooth: true,
    boundedAbove: true,
    boundedBelow: true,
    saturates: t('|x| large: f → ±1, f\' < 0.01 for |x| > 2.99', '|x| 大時：f → ±1，|x| > 2.99 時 f\' < 0.01'),
    deadZone: '',
    cost: 4,
    kinks: [],
    summary: t(
      'The hyperbolic tangent, a rescaled sigmoid (tanh x = 2σ(2x) − 1) that is zero-centred and has f\'(0) = 1, four times the sigmoid’s maximum slope. Much better than the sigmoid in hidden layers, but it still saturates for |x| ≳ 3, so deep tanh stacks can suffer vanishing gradients.',
      '雙曲正切是縮放後的 sigmoid（tanh x = 2σ(2x) − 1），具零中心性，且 f\'(0) = 1，是 sigmoid 最大斜率的 4 倍。在隱藏層中遠優於 sigmoid，但 |x| ≳ 3 時仍會飽和，因此深層 tanh 網路仍可能發生梯度消失。',
    ),
    advantages: bullets(
      ['Zero-centred outputs: the next layer’s gradients are not all of one sign', '輸出為零中心：下一層的梯度不會全部同號'],
      ['f\'(0) = 1 (sigmoid: 1/4): near 0 it passes the gradient unchanged', 'f\'(0) = 1（sigmoid 只有 1/4）：在 0 附近梯度不會縮小'],
      ['Bounded and smooth: activations cannot explode', '有界且平滑：激活值不會爆炸'],
    ),
    drawbacks: bullets(
      ['Saturates for |x| ≳ 3: f\' → 0 and the gradient vanishes through saturated units', '|x| ≳ 3 時飽和：f\' → 0，梯度經過飽和單元時會消失'],
      ['Layers saturate one after another from the bottom during training (Glorot and Bengio 2010)', '訓練時各層會由底層開始依序飽和（Glorot 與 Bengio 2010）'],
      ['An exponential per element: about 4× the cost of ReLU', '每個元素需計算指數：成本約為 ReLU 的 4 倍'],
    ),
    paper: {
      authors: 'Yann LeCun, Léon Bottou, Genevieve B. Orr, Klaus-Robert Müller',
      title: 'Efficient BackProp',
      year: 1998,
      venue: 'Neural Networks: Tricks of the Trade, LNCS 1524 (a classic function; this paper argues for symmetric sigmoids such as tanh)',
    },
    related: ['lecun_tanh', 'hardtanh', 'softsign', 'sigmoid', 'bipolar_sigmoid'],
  },
};

// ---------------------------------------------------------------------------
// lecun_tanh(x) = 1.7159·tanh(2x/3)

/** LeCun's scaled tanh: 1.7159·tanh(2x/3), chosen so f(±1) ≈ ±1. */
export const lecunTanh: ActivationDef = {
  name: 'lecun_tanh',
  family: 'tanh',
  kind: 'elementwise',
  params: [],
  f: (x) => 1.7159 * Math.tanh((2 / 3) * x),
  // f' = 1.7159·(2/3)·(1 − tanh²(2x/3))
  df: (x) => {
    const u = (2 / 3) * x;
    return 1.7159 * (2 / 3) * tanhDerivative(u, Math.tanh(u));
  },
  meta: {
    formula: { text: 'lecun_tanh(x) = 1.7159·tanh(2x/3)', latex: String.raw`f(x) = 1.7159 \tanh\!\left(\tfrac{2}{3} x\right)` },
    derivative: {
      text: "lecun_tanh'(x) = 1.7159·(2/3)·(1 − tanh²(2x/3)) ≈ 1.1439·(1 − tanh²(2x/3))",
      latex: String.raw`f'(x) = 1.7159 \cdot \tfrac{2}{3}\left(1 - \tanh^2\!\left(\tfrac{2}{3} x\right)\right)`,
    },
    range: '(−1.7159, 1.7159)',
    derivativeRange: '(0, ≈ 1.1439]',
    derivativeMax: 1.7159 * (2 / 3),
    derivativeAtZero: 1.7159 * (2 / 3),
    zeroCentred: true,
    monotonic: true,
    smooth: true,
    boundedAbove: true,
    boundedBelow: true,
    saturates: t('|x| large: f → ±1.7159, f\' < 0.01 for |x| > 4.6', '|x| 大時：f → ±1.7159，|x| > 4.6 時 f\' < 0.01'),
    deadZone: '',
    cost: 4,
    kinks: [],
    summary: t(
      'tanh rescaled as recommended in “Efficient BackProp”: 1.7159·tanh(2x/3) maps ±1 to ±1, so with normalised inputs the outputs keep a variance near 1, and the maximum of the second derivative sits at x = ±1, away from saturation.',
      '依《Efficient BackProp》建議縮放的 tanh：1.7159·tanh(2x/3) 把 ±1 映射到 ±1，因此輸入經過正規化時，輸出的變異數維持在 1 附近，而二階導數的最大值位於 x = ±1，遠離飽和區。',
    ),
    advantages: bullets(
      ['Preserves unit variance better than plain tanh at initialisation', '初始化時比普通 tanh 更能維持單位變異數'],
      ['Zero-centred with f\'(0) ≈ 1.14: the gradient does not shrink near 0', '零中心，且 f\'(0) ≈ 1.14：在 0 附近梯度不會縮小'],
    ),
    drawbacks: bullets(
      ['Still saturates for large |x|, like tanh', '與 tanh 一樣，|x| 大時仍會飽和'],
      ['f\' > 1 near 0: in deep stacks with large weights the gradient can grow', '0 附近 f\' > 1：在權重大的深層網路中梯度可能變大'],
      ['The constants assume normalised inputs; otherwise the benefit disappears', '這些常數假設輸入已正規化，否則好處會消失'],
    ),
    paper: {
      authors: 'Yann LeCun, Léon Bottou, Genevieve B. Orr, Klaus-Robert Müller',
      title: 'Efficient BackProp',
      year: 1998,
      venue: 'Neural Networks: Tricks of the Trade, LNCS 1524',
    },
    related: ['tanh', 'selu'],
  },
};

// ---------------------------------------------------------------------------
// softsign(x) = x/(1 + |x|)

/** Softsign: x/(1 + |x|), a tanh-like curve with polynomial tails. */
export const softsign: ActivationDef = {
  name: 'softsign',
  family: 'tanh',
  kind: 'elementwise',
  params: [],
  f: (x) => x / (1 + Math.abs(x)),
  // f' = 1/(1 + |x|)²: continuous at 0 (value 1), so f is C¹ (not C²)
  df: (x) => {
    const q = 1 + Math.abs(x);
    return 1 / (q * q);
  },
  meta: {
    formula: { text: 'softsign(x) = x/(1 + |x|)', latex: String.raw`f(x) = \frac{x}{1 + |x|}` },
    derivative: { text: "softsign'(x) = 1/(1 + |x|)²", latex: String.raw`f'(x) = \frac{1}{(1 + |x|)^2}` },
    range: '(−1, 1)',
    derivativeRange: '(0, 1]',
    derivativeMax: 1,
    derivativeAtZero: 1,
    zeroCentred: true,
    monotonic: true,
    smooth: true,
    boundedAbove: true,
    boundedBelow: true,
    saturates: t('|x| large, but only polynomially: f\' = 1/(1 + |x|)² < 0.01 for |x| > 9', '|x| 大時飽和，但只以多項式速度：|x| > 9 時 f\' = 1/(1 + |x|)² < 0.01'),
    deadZone: '',
    cost: 2,
    kinks: [],
    summary: t(
      'A tanh-shaped curve whose tails approach ±1 polynomially rather than exponentially, so it saturates more gently: Glorot and Bengio (2010) found softsign layers saturate less than tanh and trained as well (1.64 % test error on MNIST, 5 layers).',
      '形狀類似 tanh，但尾部以多項式而非指數速度趨近 ±1，因此飽和得較緩：Glorot 與 Bengio（2010）發現 softsign 層比 tanh 不易飽和，訓練效果也相當（5 層網路在 MNIST 上測試錯誤率 1.64 %）。',
    ),
    advantages: bullets(
      ['Gentler saturation than tanh: the gradient decays like 1/x², not e^{−2|x|}', '飽和比 tanh 平緩：梯度以 1/x² 而非 e^{−2|x|} 衰減'],
      ['Zero-centred and bounded, f\'(0) = 1', '零中心且有界，f\'(0) = 1'],
      ['No exponential: a division and an absolute value', '不需指數：只要一次除法與一次絕對值'],
    ),
    drawbacks: bullets(
      ['Still saturates for large |x| (vanishing gradient in deep stacks)', '|x| 大時仍會飽和（深層網路中梯度消失）'],
      ['Not twice differentiable at 0', '在 0 處二階不可微'],
      ['Rarely used today; little library support beyond Keras and PyTorch', '如今很少使用；除 Keras 與 PyTorch 外支援不多'],
    ),
    paper: {
      authors: 'James Bergstra, Guillaume Desjardins, Pascal Lamblin, Yoshua Bengio',
      title: 'Quadratic Polynomials Learn Better Image Features',
      year: 2009,
      venue: 'Technical Report 1337, DIRO, Université de Montréal; analysed by Glorot and Bengio 2010',
    },
    related: ['tanh', 'hardtanh'],
  },
};

// ---------------------------------------------------------------------------
// tanhshrink(x) = x − tanh(x)

/** Tanhshrink: x − tanh(x); f' = tanh²(x), flat (f'(0) = 0) at the origin. */
export const tanhshrink: ActivationDef = {
  name: 'tanhshrink',
  family: 'tanh',
  kind: 'elementwise',
  params: [],
  // written as PyTorch does; near 0 the difference cancels (≈ x³/3 with absolute error ~1e-17)
  f: (x) => x - Math.tanh(x),
  df: (x) => {
    const y = Math.tanh(x);
    return y * y;
  },
  meta: {
    formula: { text: 'tanhshrink(x) = x − tanh(x)', latex: String.raw`f(x) = x - \tanh(x)` },
    derivative: { text: "tanhshrink'(x) = tanh²(x)", latex: String.raw`f'(x) = \tanh^2(x)` },
    range: '(−∞, ∞)',
    derivativeRange: '[0, 1)',
    derivativeMax: 1,
    derivativeAtZero: 0,
    zeroCentred: true,
    monotonic: true,
    smooth: true,
    boundedAbove: false,
    boundedBelow: false,
    saturates: t('near x = 0: f\' = tanh²x ≈ x², below 0.01 for |x| < 0.1 (flat around the origin)', 'x = 0 附近：f\' = tanh²x ≈ x²，|x| < 0.1 時低於 0.01（原點附近平坦）'),
    deadZone: '',
    cost: 4,
    kinks: [],
    summary: t(
      'What remains of x after tanh: a smooth shrinkage function that is flat near 0 (≈ x³/3) and approaches x ∓ 1 far from it. It comes from the Torch nn library, where shrinkage functions served sparse coding; it is rarely used as a hidden activation.',
      'x 減去 tanh 後剩下的部分：一個平滑的收縮函數，在 0 附近平坦（≈ x³/3），遠離 0 時趨近 x ∓ 1。它出自 Torch 的 nn 函式庫，當時收縮函數用於稀疏編碼；很少作為隱藏層激活函數。',
    ),
    advantages: bullets(
      ['Smooth shrinkage: small inputs are suppressed without a hard threshold', '平滑收縮：不需硬門檻即可壓制小輸入'],
      ['Slope → 1 for large |x|: no saturation away from 0', '|x| 大時斜率 → 1：遠離 0 時不飽和'],
    ),
    drawbacks: bullets(
      ['Vanishing gradient near 0, exactly where initialised units start (f\'(0) = 0)', '0 附近梯度消失，而初始化後的單元正好從那裡開始（f\'(0) = 0）'],
      ['Unbounded in both directions', '上下皆無界'],
      ['Costs a tanh; little evidence as a hidden activation', '需要計算 tanh；作為隱藏層激活函數的證據很少'],
    ),
    paper: {
      authors: 'Ronan Collobert, Koray Kavukcuoglu, Clément Farabet',
      title: 'Torch7: A Matlab-like Environment for Machine Learning',
      year: 2011,
      venue: 'BigLearn, NIPS Workshop (no dedicated paper; the function comes from Torch’s nn library)',
    },
    related: ['softshrink', 'hardshrink', 'tanh'],
  },
};
