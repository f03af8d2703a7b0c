/**
 * The smooth members of the sigmoid family: the logistic sigmoid, its
 * logarithm and the bipolar sigmoid 2σ(x) − 1. The clipped linear versions
 * are in sigmoid-hard.ts; the sigmoid-gated units silu and swish (ReLU
 * family, gated.ts) are cross-referenced from the family list.
 *
 * σ is evaluated in its sign-split form: with e = e^{−|x|} ≤ 1 nothing
 * overflows, σ(|x|) = 1/(1+e) and σ(−|x|) = e/(1+e). σ'(x) = σ(x)σ(−x) keeps
 * full relative accuracy in both tails. Costs are operation-count estimates.
 */
import type { Buf } from '../tensor/dtype.js';
import { logSigmoid, sigmoid as sigma, tanhDerivative } from './special.js';
import { bullets, t } from './text.js';
import type { ActivationDef } from './types.js';

// ---------------------------------------------------------------------------
// sigmoid(x) = 1/(1 + e^{−x})

/** Logistic sigmoid σ(x); σ' = σ(x)σ(−x) ∈ (0, 1/4], at most 1/4 (at x = 0). */
export const sigmoid: ActivationDef = {
  name: 'sigmoid',
  family: 'sigmoid',
  kind: 'elementwise',
  params: [],
  f: (x) => sigma(x),
  // σ'(x) = σ(x)(1 − σ(x)) = σ(x)σ(−x): no cancellation in 1 − σ for x ≫ 0
  df: (x) => sigma(x) * sigma(-x),
  // one exp per element, in the same operation order as sigma(x) and sigma(−x)
  map(a: Buf, d: Buf, z: Buf, n: number) {
    for (let i = 0; i < n; i++) {
      const x = z[i];
      const e = Math.exp(-Math.abs(x));
      const q = 1 + e;
      const s = x >= 0 ? 1 / q : e / q;
      a[i] = s;
      d[i] = s * (x >= 0 ? e / q : 1 / q);
    }
  },
  meta: {
    formula: { text: 'σ(x) = 1/(1 + e^{−x})', latex: String.raw`\sigma(x) = \frac{1}{1 + e^{-x}}` },
    derivative: { text: "σ'(x) = σ(x)(1 − σ(x))", latex: String.raw`\sigma'(x) = \sigma(x)\left(1 - \sigma(x)\right)` },
    range: '(0, 1)',
    derivativeRange: '(0, 1/4]',
    derivativeMax: 0.25,
    derivativeAtZero: 0.25,
    zeroCentred: false,
    monotonic: true,
    smooth: true,
    boundedAbove: true,
    boundedBelow: true,
    saturates: t('|x| large: f → 0 or 1, σ\' < 0.01 for |x| > 4.6', '|x| 大時：f → 0 或 1，|x| > 4.6 時 σ\' < 0.01'),
    deadZone: '',
    cost: 4,
    kinks: [],
    summary: t(
      'The logistic function, the classic neuron of backpropagation. Its derivative is at most 1/4 (at x = 0), so each sigmoid layer multiplies the back-propagated gradient by w·σ\'(z), usually well below 1: in deep stacks the early layers learn exponentially slower (vanishing gradient). Use it only in a binary-classification output layer, or as a gate.',
      'Logistic 函數，反向傳播的經典神經元。其導數最大只有 1/4（在 x = 0），因此每經過一層 sigmoid，反向傳播的梯度就乘上 w·σ\'(z)，通常遠小於 1：在深層網路中前面的層學習速度呈指數變慢（梯度消失）。只應用於二元分類的輸出層，或作為門控。',
    ),
    advantages: bullets(
      ['Output in (0, 1): a probability, natural for binary classification with cross-entropy (δ = a − y)', '輸出在 (0, 1) 之間：可視為機率，適合搭配交叉熵做二元分類（δ = a − y）'],
      ['Smooth and bounded; the standard gate in LSTM and GRU cells', '平滑且有界；是 LSTM 與 GRU 單元的標準門控函數'],
    ),
    drawbacks: bullets(
      ['σ\' ≤ 1/4: gradients vanish exponentially through stacked sigmoid layers', 'σ\' ≤ 1/4：經過多層 sigmoid 時梯度呈指數消失'],
      ['Saturates for |x| ≳ 4.6 (σ\' < 0.01): saturated units stop learning', '|x| ≳ 4.6 時飽和（σ\' < 0.01）：飽和的單元停止學習'],
      ['Not zero-centred (mean output ≈ 0.5): the next layer’s weight gradients share one sign', '非零中心（平均輸出約 0.5）：下一層的權重梯度會同號'],
      ['An exponential per element: about 4× the cost of ReLU', '每個元素需計算指數：成本約為 ReLU 的 4 倍'],
    ),
    paper: {
      authors: 'David E. Rumelhart, Geoffrey E. Hinton, Ronald J. Williams',
      title: 'Learning representations by back-propagating errors',
      year: 1986,
      venue: 'Nature 323 (a classic function; this paper trains logistic units by backpropagation)',
    },
    related: ['hardsigmoid', 'logsigmoid', 'bipolar_sigmoid', 'tanh', 'silu', 'swish', 'softplus'],
  },
};

// ---------------------------------------------------------------------------
// logsigmoid(x) = ln σ(x) = −softplus(−x)

/** Log-sigmoid ln σ(x) = min(x, 0) − ln(1 + e^{−|x|}); derivative σ(−x). */
export const logsigmoid: ActivationDef = {
  name: 'logsigmoid',
  family: 'sigmoid',
  kind: 'elementwise',
  params: [],
  f: (x) => logSigmoid(x),
  // d/dx ln σ(x) = σ'(x)/σ(x) = 1 − σ(x) = σ(−x)
  df: (x) => sigma(-x),
  meta: {
    formula: { text: 'logsigmoid(x) = ln σ(x) = −ln(1 + e^{−x})', latex: String.raw`f(x) = \ln \sigma(x) = -\ln\!\left(1 + e^{-x}\right)` },
    derivative: { text: "logsigmoid'(x) = 1 − σ(x) = σ(−x)", latex: String.raw`f'(x) = 1 - \sigma(x) = \sigma(-x)` },
    range: '(−∞, 0)',
    derivativeRange: '(0, 1)',
    derivativeMax: 1,
    derivativeAtZero: 0.5,
    zeroCentred: false,
    monotonic: true,
    smooth: true,
    boundedAbove: true,
    boundedBelow: false,
    saturates: t('x → +∞: f → 0, f\' = σ(−x) → 0 (below 0.01 for x > 4.6)', 'x → +∞：f → 0，f\' = σ(−x) → 0（x > 4.6 時低於 0.01）'),
    deadZone: '',
    cost: 5,
    kinks: [],
    summary: t(
      'The logarithm of the sigmoid, −softplus(−x): the log-likelihood of a positive label under logistic regression. It mostly appears inside losses (binary cross-entropy is −ln σ(z) for y = 1), where computing it directly avoids ln 0.',
      'Sigmoid 的對數，即 −softplus(−x)：邏輯斯迴歸下正標籤的對數概似。它多半出現在損失函數中（y = 1 時二元交叉熵為 −ln σ(z)），直接計算可避免 ln 0。',
    ),
    advantages: bullets(
      ['Numerically stable log-probability: no ln 0 for very negative inputs', '數值穩定的對數機率：輸入極負時也不會出現 ln 0'],
      ['Gradient σ(−x) → 1 for x ≪ 0: large corrections when the prediction is confidently wrong', 'x ≪ 0 時梯度 σ(−x) → 1：預測錯得越有把握，修正越大'],
    ),
    drawbacks: bullets(
      ['Saturates for x ≫ 0 and is unbounded below', 'x ≫ 0 時飽和，且下方無界'],
      ['Never zero-centred (always negative); rarely a good hidden activation', '永不為零中心（恆為負）；很少適合作為隱藏層激活函數'],
    ),
    paper: {
      authors: 'David R. Cox',
      title: 'The Regression Analysis of Binary Sequences',
      year: 1958,
      venue: 'Journal of the Royal Statistical Society, Series B 20(2) (logistic regression, whose log-likelihood this is)',
    },
    related: ['sigmoid', 'softplus'],
  },
};

// ---------------------------------------------------------------------------
// bipolar_sigmoid(x) = 2σ(x) − 1 = tanh(x/2)

/** Bipolar sigmoid 2σ(x) − 1, computed as tanh(x/2) (same function, no cancellation near 0). */
export const bipolarSigmoid: ActivationDef = {
  name: 'bipolar_sigmoid',
  family: 'sigmoid',
  kind: 'elementwise',
  params: [],
  f: (x) => Math.tanh(0.5 * x),
  // f' = 2σ(x)(1 − σ(x)) = (1 − f²)/2 = sech²(x/2)/2, accurate in the tails
  df: (x) => {
    const u = 0.5 * x;
    return 0.5 * tanhDerivative(u, Math.tanh(u));
  },
  meta: {
    formula: { text: 'bipolar_sigmoid(x) = 2σ(x) − 1 = (1 − e^{−x})/(1 + e^{−x}) = tanh(x/2)', latex: String.raw`f(x) = 2\sigma(x) - 1 = \frac{1 - e^{-x}}{1 + e^{-x}} = \tanh(x/2)` },
    derivative: { text: "bipolar_sigmoid'(x) = 2σ(x)(1 − σ(x)) = (1 − f(x)²)/2", latex: String.raw`f'(x) = 2\sigma(x)(1 - \sigma(x)) = \tfrac12\left(1 - f(x)^2\right)` },
    range: '(−1, 1)',
    derivativeRange: '(0, 1/2]',
    derivativeMax: 0.5,
    derivativeAtZero: 0.5,
    zeroCentred: true,
    monotonic: true,
    smooth: true,
    boundedAbove: true,
    boundedBelow: true,
    saturates: t('|x| large: f → ±1, f\' < 0.01 for |x| > 5.3', '|x| 大時：f → ±1，|x| > 5.3 時 f\' < 0.01'),
    deadZone: '',
    cost: 4,
    kinks: [],
    summary: t(
      'The sigmoid stretched to (−1, 1): 2σ(x) − 1, which is exactly tanh(x/2). Zero-centred like tanh, but with half its slope (f\'(0) = 1/2), so it still shrinks the gradient at every layer. Textbooks call it the bipolar sigmoid.',
      '把 sigmoid 拉伸到 (−1, 1)：2σ(x) − 1，恰好等於 tanh(x/2)。與 tanh 一樣具零中心性，但斜率只有其一半（f\'(0) = 1/2），因此每一層仍會縮小梯度。教科書稱之為雙極性 sigmoid。',
    ),
    advantages: bullets(
      ['Zero-centred, unlike the sigmoid', '與 sigmoid 不同，具零中心性'],
      ['Bounded and smooth', '有界且平滑'],
    ),
    drawbacks: bullets(
      ['f\' ≤ 1/2: still vanishes in deep stacks, faster than tanh', 'f\' ≤ 1/2：深層網路中仍會梯度消失，比 tanh 更快'],
      ['Saturates for |x| ≳ 5', '|x| ≳ 5 時飽和'],
      ['Just tanh(x/2): tanh with rescaled weights does the same', '其實就是 tanh(x/2)：把權重縮放後的 tanh 效果相同'],
    ),
    paper: {
      authors: 'Laurene Fausett',
      title: 'Fundamentals of Neural Networks: Architectures, Algorithms, and Applications',
      year: 1994,
      venue: 'Prentice Hall (textbook naming of a classic function)',
    },
    related: ['sigmoid', 'tanh'],
  },
};
