/**
 * The clipped linear members of the sigmoid family: hardsigmoid (x/6 + 1/2,
 * PyTorch and Keras 3) and Keras 2's hard_sigmoid (0.2x + 0.5). Both are 0
 * and 1 outside a band and have zero derivative at and beyond the band's
 * ends. Costs are operation-count estimates (ReLU = 1).
 */
import { bullets, t } from './text.js';
import type { ActivationDef } from './types.js';

// ---------------------------------------------------------------------------
// hardsigmoid(x) = clip(x/6 + 1/2, 0, 1)

/** Hard sigmoid (PyTorch): x/6 + 1/2 clipped to [0, 1]; f'(±3) = 0 as PyTorch. */
export const hardsigmoid: ActivationDef = {
  name: 'hardsigmoid',
  family: 'sigmoid',
  kind: 'elementwise',
  params: [],
  f: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5),
  // kinks at ±3: f' = 0 there, as PyTorch's hardsigmoid_backward (−3 < x < 3 → 1/6)
  df: (x) => (x > -3 && x < 3 ? 1 / 6 : x !== x ? x : 0),
  meta: {
    formula: { text: 'hardsigmoid(x) = min(max(x/6 + 1/2, 0), 1) = relu6(x + 3)/6', latex: String.raw`f(x) = \min\!\left(\max\!\left(\tfrac{x}{6} + \tfrac12, 0\right), 1\right)` },
    derivative: {
      text: "hardsigmoid'(x) = 1/6 if −3 < x < 3, else 0",
      latex: String.raw`f'(x) = \begin{cases} 1/6 & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}`,
    },
    range: '[0, 1]',
    derivativeRange: '{0, 1/6}',
    derivativeMax: 1 / 6,
    derivativeAtZero: 1 / 6,
    zeroCentred: false,
    monotonic: true,
    smooth: false,
    boundedAbove: true,
    boundedBelow: true,
    saturates: t('|x| ≥ 3: clipped to 0 or 1, f\' = 0 exactly', '|x| ≥ 3：被截斷為 0 或 1，f\' 恰為 0'),
    deadZone: '|x| ≥ 3',
    cost: 1,
    kinks: [
      { at: -3, derivative: 0, convention: t('0, as PyTorch (gradient 1/6 only where −3 < x < 3)', '0，與 PyTorch 相同（只有 −3 < x < 3 處有梯度 1/6）') },
      { at: 3, derivative: 0, convention: t('0, as PyTorch (gradient 1/6 only where −3 < x < 3)', '0，與 PyTorch 相同（只有 −3 < x < 3 處有梯度 1/6）') },
    ],
    summary: t(
      'A piecewise-linear sigmoid: relu6(x + 3)/6, as in MobileNetV3 (h-sigmoid), PyTorch and Keras 3. Cheap and quantisation-friendly, used as a gate (hardswish, squeeze-and-excitation). Its slope is only 1/6 and it is flat outside (−3, 3).',
      '分段線性的 sigmoid：relu6(x + 3)/6，見於 MobileNetV3（h-sigmoid）、PyTorch 與 Keras 3。便宜且易於量化，常作為門控（hardswish、squeeze-and-excitation）。斜率只有 1/6，在 (−3, 3) 之外完全平坦。',
    ),
    advantages: bullets(
      ['No exponential: cheap and exact in fixed-point arithmetic', '不需指數：便宜，且在定點運算中精確'],
      ['Good enough as a gate where the exact sigmoid shape does not matter', '在不在乎精確 sigmoid 形狀的門控場合已足夠'],
    ),
    drawbacks: bullets(
      ['Slope 1/6 at most: an even stronger vanishing factor than σ\'s 1/4 in deep stacks', '斜率最多 1/6：在深層網路中是比 σ 的 1/4 更強的消失因子'],
      ['Zero gradient for |x| ≥ 3: saturated units get no signal at all', '|x| ≥ 3 時梯度為 0：飽和單元完全收不到訊號'],
      ['Not zero-centred', '非零中心'],
    ),
    paper: {
      authors: 'Andrew Howard, Mark Sandler, Grace Chu, Liang-Chieh Chen, Bo Chen, Mingxing Tan, Weijun Wang, Yukun Zhu, Ruoming Pang, Vijay Vasudevan, Quoc V. Le, Hartwig Adam',
      title: 'Searching for MobileNetV3',
      year: 2019,
      venue: 'ICCV 2019',
    },
    related: ['sigmoid', 'hard_sigmoid_keras2', 'hardswish', 'relu6'],
  },
};

// ---------------------------------------------------------------------------
// hard_sigmoid_keras2(x) = clip(0.2x + 0.5, 0, 1)

/** Keras 2 / Theano hard_sigmoid: 0.2x + 0.5 clipped to [0, 1]; f'(±2.5) = 0 (gradscope's convention). */
export const hardSigmoidKeras2: ActivationDef = {
  name: 'hard_sigmoid_keras2',
  family: 'sigmoid',
  kind: 'elementwise',
  params: [],
  f: (x) => (x <= -2.5 ? 0 : x >= 2.5 ? 1 : 0.2 * x + 0.5),
  // kinks at ±2.5: f' = 0 there, the same closed-band convention as hardsigmoid
  // (TensorFlow's clip gradient would pass 0.2 at the boundary itself)
  df: (x) => (x > -2.5 && x < 2.5 ? 0.2 : x !== x ? x : 0),
  meta: {
    formula: { text: 'hard_sigmoid_keras2(x) = min(max(0.2x + 0.5, 0), 1)', latex: String.raw`f(x) = \min(\max(0.2x + 0.5, 0), 1)` },
    derivative: {
      text: "hard_sigmoid_keras2'(x) = 0.2 if −2.5 < x < 2.5, else 0",
      latex: String.raw`f'(x) = \begin{cases} 0.2 & -2.5 < x < 2.5 \\ 0 & \text{otherwise} \end{cases}`,
    },
    range: '[0, 1]',
    derivativeRange: '{0, 0.2}',
    derivativeMax: 0.2,
    derivativeAtZero: 0.2,
    zeroCentred: false,
    monotonic: true,
    smooth: false,
    boundedAbove: true,
    boundedBelow: true,
    saturates: t('|x| ≥ 2.5: clipped to 0 or 1, f\' = 0 exactly', '|x| ≥ 2.5：被截斷為 0 或 1，f\' 恰為 0'),
    deadZone: '|x| ≥ 2.5',
    cost: 1,
    kinks: [
      { at: -2.5, derivative: 0, convention: t('0 (gradscope: gradient only strictly inside the band, as PyTorch’s hardsigmoid; TensorFlow’s clip passes 0.2 at the boundary)', '0（gradscope 只在區間內部給梯度，與 PyTorch 的 hardsigmoid 相同；TensorFlow 的 clip_by_value 在邊界上傳回 0.2）') },
      { at: 2.5, derivative: 0, convention: t('0 (gradscope: gradient only strictly inside the band, as PyTorch’s hardsigmoid; TensorFlow’s clip passes 0.2 at the boundary)', '0（gradscope 只在區間內部給梯度，與 PyTorch 的 hardsigmoid 相同；TensorFlow 的 clip_by_value 在邊界上傳回 0.2）') },
    ],
    summary: t(
      'The hard sigmoid of Theano and Keras 2: 0.2x + 0.5 clipped to [0, 1] — the first-order Taylor line of σ at 0 is x/4 + 1/2, this one is flatter and reaches 0 and 1 at ±2.5. Keras 3 switched to x/6 + 1/2 (hardsigmoid); old Keras models need this one to reproduce their numbers.',
      'Theano 與 Keras 2 的硬 sigmoid：0.2x + 0.5 截斷到 [0, 1]。σ 在 0 處的一階泰勒直線是 x/4 + 1/2，此式較平，在 ±2.5 處到達 0 與 1。Keras 3 已改用 x/6 + 1/2（hardsigmoid）；要重現舊 Keras 模型的數值就需要這個版本。',
    ),
    advantages: bullets(
      ['Cheap: a multiply-add and a clip', '便宜：一次乘加與一次截斷'],
      ['Reproduces models trained with Keras 2 / Theano (e.g. their LSTM recurrent gates)', '可重現以 Keras 2 / Theano 訓練的模型（例如其 LSTM 遞迴門）'],
    ),
    drawbacks: bullets(
      ['Slope 0.2 at most: vanishing in deep stacks, like the sigmoid', '斜率最多 0.2：與 sigmoid 一樣，在深層網路中梯度消失'],
      ['Zero gradient for |x| ≥ 2.5', '|x| ≥ 2.5 時梯度為 0'],
      ['Easily confused with hardsigmoid (x/6 + 1/2): same name in different libraries', '容易與 hardsigmoid（x/6 + 1/2）混淆：不同函式庫中名稱相同'],
    ),
    paper: {
      authors: 'François Chollet and others',
      title: 'Keras',
      year: 2015,
      venue: 'software (hard_sigmoid up to Keras 2; from Theano’s tensor.nnet.hard_sigmoid)',
    },
    related: ['hardsigmoid', 'sigmoid'],
  },
};
