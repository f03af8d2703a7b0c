/**
 * The piecewise-linear members of the tanh family: hardtanh (tanh clipped to
 * straight lines) and the shrinkage functions softshrink and hardshrink (zero
 * on [−λ, λ]). Derivatives at the breakpoints follow PyTorch's backward
 * kernels. All propagate NaN in f and f'. Costs are operation-count estimates.
 */
import { bullets, NO_TEXT, t } from './text.js';
import type { ActivationDef } from './types.js';

// ---------------------------------------------------------------------------
// hardtanh(x) = clip(x, min_val, max_val)

/** Hardtanh: x clipped to [min_val, max_val]; f' = 1 strictly inside, 0 at and beyond the ends (PyTorch). */
export const hardtanh: ActivationDef = {
  name: 'hardtanh',
  family: 'tanh',
  kind: 'elementwise',
  params: [
    { name: 'min_val', default: -1, learnable: false, doc: t('Lower clip value (must be < max_val)', '下截斷值（須 < max_val）') },
    { name: 'max_val', default: 1, learnable: false, doc: t('Upper clip value', '上截斷值') },
  ],
  f: (x, p) => (x <= p[0] ? p[0] : x >= p[1] ? p[1] : x),
  // kinks at min_val and max_val: f' = 0 there, as PyTorch's hardtanh_backward ((x > min) & (x < max))
  df: (x, p) => (x > p[0] && x < p[1] ? 1 : x !== x ? x : 0),
  meta: {
    formula: { text: 'hardtanh(x) = min(max(x, −1), 1)', latex: String.raw`f(x) = \min(\max(x, -1), 1)` },
    derivative: {
      text: "hardtanh'(x) = 1 if −1 < x < 1, else 0",
      latex: String.raw`f'(x) = \begin{cases} 1 & -1 < x < 1 \\ 0 & \text{otherwise} \end{cases}`,
    },
    range: '[−1, 1]',
    derivativeRange: '{0, 1}',
    derivativeMax: 1,
    derivativeAtZero: 1,
    zeroCentred: true,
    monotonic: true,
    smooth: false,
    boundedAbove: true,
    boundedBelow: true,
    saturates: t('|x| ≥ 1: clipped, f\' = 0 exactly', '|x| ≥ 1：被截斷，f\' 恰為 0'),
    deadZone: '|x| ≥ 1',
    cost: 1,
    kinks: [
      { at: -1, derivative: 0, convention: t('0, as PyTorch (gradient only where min_val < x < max_val)', '0，與 PyTorch 相同（只有 min_val < x < max_val 處有梯度）') },
      { at: 1, derivative: 0, convention: t('0, as PyTorch (gradient only where min_val < x < max_val)', '0，與 PyTorch 相同（只有 min_val < x < max_val 處有梯度）') },
    ],
    summary: t(
      'tanh replaced by three straight lines: the identity on (−1, 1) and constant ±1 outside. As cheap as ReLU and zero-centred, but units pushed outside (−1, 1) get exactly zero gradient.',
      '以三段直線取代 tanh：在 (−1, 1) 上為恆等函數，區間外為常數 ±1。與 ReLU 一樣便宜且具零中心性，但被推出 (−1, 1) 的單元梯度恰為 0。',
    ),
    advantages: bullets(
      ['Cheap: two comparisons', '便宜：只需兩次比較'],
      ['Slope exactly 1 inside (−1, 1): no shrinking there', '在 (−1, 1) 內斜率恰為 1：梯度不會縮小'],
      ['Zero-centred and bounded', '零中心且有界'],
    ),
    drawbacks: bullets(
      ['Hard saturation: zero gradient for |x| ≥ 1, so units can get stuck', '硬飽和：|x| ≥ 1 時梯度為 0，單元可能卡住'],
      ['Not differentiable at ±1', '在 ±1 處不可微'],
    ),
    paper: {
      authors: 'Ronan Collobert, Jason Weston, Léon Bottou, Michael Karlen, Koray Kavukcuoglu, Pavel Kuksa',
      title: 'Natural Language Processing (Almost) from Scratch',
      year: 2011,
      venue: 'Journal of Machine Learning Research 12',
    },
    related: ['tanh', 'relu6', 'hardsigmoid', 'softsign'],
  },
};

// ---------------------------------------------------------------------------
// softshrink(x) = x − λ for x > λ, x + λ for x < −λ, 0 otherwise

/** Softshrink (soft thresholding): moves x toward 0 by λ, zero on [−λ, λ]; f'(±λ) = 0 (PyTorch). */
export const softshrink: ActivationDef = {
  name: 'softshrink',
  family: 'tanh',
  kind: 'elementwise',
  params: [{ name: 'lambd', default: 0.5, learnable: false, min: 0, doc: t('Threshold λ ≥ 0', '門檻 λ ≥ 0') }],
  f: (x, p) => (Math.abs(x) <= p[0] ? 0 : x > 0 ? x - p[0] : x + p[0]),
  // kinks at ±λ: f' = 0 there, as PyTorch's softshrink_backward (|x| ≤ λ → 0)
  df: (x, p) => (Math.abs(x) <= p[0] ? 0 : x !== x ? x : 1),
  meta: {
    formula: {
      text: 'softshrink(x) = x − λ if x > λ, x + λ if x < −λ, else 0  (λ = 0.5)',
      latex: String.raw`f(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\ 0 & \text{otherwise} \end{cases}`,
    },
    derivative: {
      text: "softshrink'(x) = 1 if |x| > λ, else 0",
      latex: String.raw`f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
    },
    range: '(−∞, ∞)',
    derivativeRange: '{0, 1}',
    derivativeMax: 1,
    derivativeAtZero: 0,
    zeroCentred: true,
    monotonic: true,
    smooth: false,
    boundedAbove: false,
    boundedBelow: false,
    saturates: NO_TEXT,
    deadZone: '|x| ≤ λ = 0.5',
    cost: 1,
    kinks: [
      { at: -0.5, derivative: 0, convention: t('0, as PyTorch (|x| ≤ λ gives 0)', '0，與 PyTorch 相同（|x| ≤ λ 時為 0）') },
      { at: 0.5, derivative: 0, convention: t('0, as PyTorch (|x| ≤ λ gives 0)', '0，與 PyTorch 相同（|x| ≤ λ 時為 0）') },
    ],
    summary: t(
      'Soft thresholding, the proximal operator of the L1 norm: inputs within λ of zero become 0 and the rest move toward 0 by λ. It produces exact zeros, as used in sparse coding (ISTA) and wavelet denoising.',
      '軟閾值化，即 L1 範數的近端算子：與 0 相距不超過 λ 的輸入變成 0，其餘向 0 移動 λ。它會產生精確的 0，用於稀疏編碼（ISTA）與小波去雜訊。',
    ),
    advantages: bullets(
      ['Exact sparsity: small inputs give exactly 0', '精確的稀疏性：小輸入輸出恰為 0'],
      ['Slope 1 outside [−λ, λ]: no saturation for large |x|', '在 [−λ, λ] 之外斜率為 1：|x| 大時不飽和'],
      ['Zero-centred (odd) and cheap', '零中心（奇函數）且便宜'],
    ),
    drawbacks: bullets(
      ['Dead zone |x| ≤ λ: zero gradient around the origin, where units start', '|x| ≤ λ 為死區：原點附近梯度為 0，而單元正是從那裡開始'],
      ['Not a common hidden activation; λ must be tuned to the scale of the inputs', '不是常見的隱藏層激活函數；λ 須依輸入尺度調整'],
    ),
    paper: { authors: 'David L. Donoho', title: 'De-noising by soft-thresholding', year: 1995, venue: 'IEEE Transactions on Information Theory 41(3)' },
    related: ['hardshrink', 'tanhshrink'],
  },
};

// ---------------------------------------------------------------------------
// hardshrink(x) = x for |x| > λ, 0 otherwise

/** Hardshrink (hard thresholding): x if |x| > λ, else 0 — jumps at ±λ; f'(±λ) = 0 (PyTorch). */
export const hardshrink: ActivationDef = {
  name: 'hardshrink',
  family: 'tanh',
  kind: 'elementwise',
  params: [{ name: 'lambd', default: 0.5, learnable: false, min: 0, doc: t('Threshold λ ≥ 0', '門檻 λ ≥ 0') }],
  f: (x, p) => (Math.abs(x) <= p[0] ? 0 : x),
  // jumps at ±λ (f is not even continuous there); f' = 0 at ±λ, as PyTorch's hardshrink_backward
  df: (x, p) => (Math.abs(x) <= p[0] ? 0 : x !== x ? x : 1),
  meta: {
    formula: {
      text: 'hardshrink(x) = x if |x| > λ, else 0  (λ = 0.5)',
      latex: String.raw`f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
    },
    derivative: {
      text: "hardshrink'(x) = 1 if |x| > λ, else 0",
      latex: String.raw`f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
    },
    range: '(−∞, −λ) ∪ {0} ∪ (λ, ∞)',
    derivativeRange: '{0, 1}',
    derivativeMax: 1,
    derivativeAtZero: 0,
    zeroCentred: true,
    monotonic: true,
    smooth: false,
    boundedAbove: false,
    boundedBelow: false,
    saturates: NO_TEXT,
    deadZone: '|x| ≤ λ = 0.5',
    cost: 1,
    kinks: [
      { at: -0.5, derivative: 0, convention: t('0, as PyTorch (|x| ≤ λ gives 0); f jumps from −λ to 0 here', '0，與 PyTorch 相同（|x| ≤ λ 時為 0）；f 在此由 −λ 跳到 0') },
      { at: 0.5, derivative: 0, convention: t('0, as PyTorch (|x| ≤ λ gives 0); f jumps from 0 to λ here', '0，與 PyTorch 相同（|x| ≤ λ 時為 0）；f 在此由 0 跳到 λ') },
    ],
    summary: t(
      'Hard thresholding: inputs within λ of zero become 0, the rest pass unchanged. Discontinuous at ±λ; like softshrink it yields exact zeros but does not bias the surviving values toward 0.',
      '硬閾值化：與 0 相距不超過 λ 的輸入變成 0，其餘原樣通過。在 ±λ 處不連續；與 softshrink 一樣會產生精確的 0，但不會把保留下來的值往 0 偏移。',
    ),
    advantages: bullets(
      ['Exact sparsity without shrinking the large values', '精確的稀疏性，且不縮小較大的值'],
      ['Slope 1 outside [−λ, λ]; cheap', '在 [−λ, λ] 之外斜率為 1；便宜'],
    ),
    drawbacks: bullets(
      ['Discontinuous at ±λ: the gradient says nothing about the jump', '在 ±λ 處不連續：梯度無法反映這個跳躍'],
      ['Dead zone |x| ≤ λ around the origin', '原點附近 |x| ≤ λ 為死區'],
      ['Rarely used as a hidden activation', '很少作為隱藏層激活函數'],
    ),
    paper: { authors: 'David L. Donoho, Iain M. Johnstone', title: 'Ideal spatial adaptation by wavelet shrinkage', year: 1994, venue: 'Biometrika 81(3)' },
    related: ['softshrink', 'tanhshrink'],
  },
};
