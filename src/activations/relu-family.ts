/**
 * The piecewise-linear rectifiers of the ReLU family: relu, leaky_relu,
 * prelu, rrelu and relu6. Each entry pairs f with f' and documents the
 * derivative it returns at every kink (PyTorch's autograd conventions).
 *
 * The smooth members of the family live in elu-family.ts, gelu.ts, gated.ts
 * and softplus.ts; maxout in maxout.ts. Costs are operation-count estimates
 * (ReLU = 1), not measurements.
 *
 * All functions propagate NaN in f and in f'.
 */
import type { Buf } from '../tensor/dtype.js';
import type { Rng } from '../tensor/rng.js';
import { bullets, NO_TEXT, t } from './text.js';
import type { ActivationDef } from './types.js';

// ---------------------------------------------------------------------------
// relu(x) = max(0, x)

/** ReLU: max(0, x), with relu'(0) = 0 as PyTorch. */
export const relu: ActivationDef = {
  name: 'relu',
  family: 'relu',
  kind: 'elementwise',
  params: [],
  f: (x) => (x <= 0 ? 0 : x), // NaN fails the test and comes back unchanged
  // kink at 0: f'(0) = 0, as PyTorch (threshold_backward passes the gradient only where x > 0)
  df: (x) => (x > 0 ? 1 : x <= 0 ? 0 : x),
  // z, a, d are (n); each z[i] is read before a[i], d[i] are written, so a may alias z
  map(a: Buf, d: Buf, z: Buf, n: number) {
    for (let i = 0; i < n; i++) {
      const x = z[i];
      a[i] = x <= 0 ? 0 : x;
      d[i] = x > 0 ? 1 : x <= 0 ? 0 : x;
    }
  },
  meta: {
    formula: { text: 'relu(x) = max(0, x)', latex: String.raw`\mathrm{ReLU}(x) = \max(0, x)` },
    derivative: {
      text: "relu'(x) = 1 if x > 0, else 0",
      latex: String.raw`\mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}`,
    },
    range: '[0, ∞)',
    derivativeRange: '{0, 1}',
    derivativeMax: 1,
    derivativeAtZero: 0,
    zeroCentred: false,
    monotonic: true,
    smooth: false,
    boundedAbove: false,
    boundedBelow: true,
    saturates: NO_TEXT,
    deadZone: 'x ≤ 0',
    cost: 1,
    kinks: [{ at: 0, derivative: 0, convention: t("0, as PyTorch: the gradient passes only where x > 0", '0，與 PyTorch 相同：梯度只在 x > 0 處通過') }],
    summary: t(
      'The rectified linear unit: passes positive inputs unchanged and outputs 0 otherwise. Its derivative is exactly 1 wherever the unit is active, so it does not shrink the gradient from layer to layer; it is the default for hidden layers (popularised for deep nets by Glorot, Bordes and Bengio 2011).',
      '線性整流單元：正輸入原樣通過，其餘輸出 0。單元激活時導數恰為 1，梯度逐層傳遞時不會縮小，因此是隱藏層的預設選擇（Glorot、Bordes 與 Bengio 於 2011 年將其推廣到深層網路）。',
    ),
    advantages: bullets(
      ['Derivative exactly 1 for x > 0: no vanishing gradient through active units', 'x > 0 時導數恰為 1：經過激活單元的梯度不會消失'],
      ['The cheapest nonlinearity: one comparison, no exponential', '最便宜的非線性函數：一次比較，不需計算指數'],
      ['Sparse activations: about half the units output exactly 0 at initialisation', '稀疏激活：初始化時約一半的單元輸出恰為 0'],
    ),
    drawbacks: bullets(
      [
        'Dying ReLU: a unit whose input is negative for every example gets zero gradient and never recovers',
        '死亡 ReLU：若某單元對每個樣本的輸入都是負的，梯度恆為 0，再也無法恢復（死亡神經元）',
      ],
      ['Not zero-centred: outputs are non-negative with a positive mean', '非零中心：輸出皆非負，平均值為正'],
      ['Unbounded above: with large weights activations and gradients can still explode', '上方無界：權重過大時，激活值與梯度仍可能爆炸'],
    ),
    paper: {
      authors: 'Vinod Nair, Geoffrey E. Hinton',
      title: 'Rectified Linear Units Improve Restricted Boltzmann Machines',
      year: 2010,
      venue: 'ICML 2010',
    },
    related: ['leaky_relu', 'prelu', 'rrelu', 'relu6', 'elu', 'gelu', 'softplus'],
  },
};

// ---------------------------------------------------------------------------
// leaky_relu(x) = x for x > 0, k·x otherwise

/** Leaky ReLU: x for x > 0, negative_slope·x otherwise; f'(0) = negative_slope as PyTorch. */
export const leakyRelu: ActivationDef = {
  name: 'leaky_relu',
  family: 'relu',
  kind: 'elementwise',
  params: [
    {
      name: 'negative_slope',
      default: 0.01,
      learnable: false,
      min: 0,
      doc: t('Slope k for x < 0 (PyTorch 0.01; Keras uses 0.2)', 'x < 0 時的斜率 k（PyTorch 預設 0.01；Keras 預設 0.2）'),
    },
  ],
  f: (x, p) => (x > 0 ? x : p[0] * x),
  // kink at 0: f'(0) = k, as PyTorch (leaky_relu_backward: x > 0 ? 1 : k)
  df: (x, p) => (x > 0 ? 1 : x <= 0 ? p[0] : x),
  map(a: Buf, d: Buf, z: Buf, n: number, p: readonly number[]) {
    const k = p[0];
    for (let i = 0; i < n; i++) {
      const x = z[i];
      a[i] = x > 0 ? x : k * x;
      d[i] = x > 0 ? 1 : x <= 0 ? k : x;
    }
  },
  meta: {
    formula: { text: 'leaky_relu(x) = x if x > 0, else k·x (k = 0.01)', latex: String.raw`f(x) = \begin{cases} x & x > 0 \\ k x & x \le 0 \end{cases}` },
    derivative: {
      text: "leaky_relu'(x) = 1 if x > 0, else k",
      latex: String.raw`f'(x) = \begin{cases} 1 & x > 0 \\ k & x \le 0 \end{cases}`,
    },
    range: '(−∞, ∞)',
    derivativeRange: '{k, 1} = {0.01, 1}',
    derivativeMax: 1,
    derivativeAtZero: 0.01,
    zeroCentred: false,
    monotonic: true,
    smooth: false,
    boundedAbove: false,
    boundedBelow: false,
    saturates: NO_TEXT,
    deadZone: '',
    cost: 1,
    kinks: [{ at: 0, derivative: 0.01, convention: t('k, as PyTorch: the slope 1 applies only where x > 0', 'k，與 PyTorch 相同：斜率 1 只適用於 x > 0') }],
    summary: t(
      'ReLU with a small slope k for negative inputs, so the gradient there is k instead of 0 and no unit can die. PyTorch uses k = 0.01; 0.02 and Keras’s 0.2 are common too.',
      '在負輸入處保留小斜率 k 的 ReLU：負區梯度為 k 而非 0，因此不會出現死亡神經元。PyTorch 預設 k = 0.01，0.02 與 Keras 的 0.2 也很常見。',
    ),
    advantages: bullets(
      ['No dead units: the derivative is never 0', '沒有死亡神經元：導數永不為 0'],
      ['As cheap as ReLU and keeps its slope 1 for x > 0', '與 ReLU 一樣便宜，x > 0 時仍保持斜率 1'],
      ['Outputs take both signs, so the mean is closer to 0 than ReLU’s', '輸出有正有負，平均值比 ReLU 更接近 0'],
    ),
    drawbacks: bullets(
      ['k is one more hyper-parameter; results are often close to plain ReLU', 'k 是多出的超參數；效果常與 ReLU 相差不大'],
      ['With k = 0.01 the negative side learns about 100× slower than the positive side', 'k = 0.01 時，負區的學習速度約比正區慢 100 倍'],
      ['Unbounded in both directions and not differentiable at 0', '上下皆無界，且在 0 處不可微'],
    ),
    paper: {
      authors: 'Andrew L. Maas, Awni Y. Hannun, Andrew Y. Ng',
      title: 'Rectifier Nonlinearities Improve Neural Network Acoustic Models',
      year: 2013,
      venue: 'ICML Workshop on Deep Learning for Audio, Speech and Language Processing',
    },
    related: ['relu', 'prelu', 'rrelu', 'elu'],
  },
};

// ---------------------------------------------------------------------------
// prelu(x) = x for x > 0, a·x otherwise, a learned

/** PReLU: leaky ReLU whose single shared slope `weight` (init 0.25) is learned. */
export const prelu: ActivationDef = {
  name: 'prelu',
  family: 'relu',
  kind: 'elementwise',
  params: [
    {
      name: 'weight',
      default: 0.25,
      learnable: true,
      doc: t('Learned slope a for x < 0, one shared by the whole layer (init 0.25)', '可學習的負區斜率 a，整層共用一個（初始值 0.25）'),
    },
  ],
  f: (x, p) => (x > 0 ? x : p[0] * x),
  // kink at 0: f'(0) = a, as PyTorch (prelu backward: x > 0 ? 1 : a)
  df: (x, p) => (x > 0 ? 1 : x <= 0 ? p[0] : x),
  // ∂f/∂a = 0 for x > 0, x otherwise (0 at x = 0 either way)
  dparams(x, _p, out) {
    out[0] = x > 0 ? 0 : x;
  },
  meta: {
    formula: { text: 'prelu(x) = x if x > 0, else a·x (a learned, init 0.25)', latex: String.raw`f(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}` },
    derivative: {
      text: "prelu'(x) = 1 if x > 0, else a;  ∂f/∂a = 0 if x > 0, else x",
      latex: String.raw`f'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases},\quad \frac{\partial f}{\partial a} = \begin{cases} 0 & x > 0 \\ x & x \le 0 \end{cases}`,
    },
    range: '(−∞, ∞)',
    derivativeRange: '{a, 1} = {0.25, 1} at init',
    derivativeMax: 1,
    derivativeAtZero: 0.25,
    zeroCentred: false,
    monotonic: true,
    smooth: false,
    boundedAbove: false,
    boundedBelow: false,
    saturates: NO_TEXT,
    deadZone: '',
    cost: 1.2,
    kinks: [{ at: 0, derivative: 0.25, convention: t('a, as PyTorch: the slope 1 applies only where x > 0', 'a，與 PyTorch 相同：斜率 1 只適用於 x > 0') }],
    summary: t(
      'Parametric ReLU: a leaky ReLU whose negative slope a is learned by gradient descent along with the weights (He et al. initialise it at 0.25 and exclude it from weight decay). gradscope learns one slope per layer.',
      '參數化 ReLU：負區斜率 a 與權重一起由梯度下降學習的 Leaky ReLU（He 等人以 0.25 初始化，且不做權重衰減）。gradscope 每層學習一個共用斜率。',
    ),
    advantages: bullets(
      ['No dead units, and the network chooses how leaky each layer should be', '沒有死亡神經元，且由網路自行決定每層的洩漏程度'],
      ['One extra parameter per layer: negligible cost', '每層只多一個參數，成本幾乎可忽略'],
      ['Improved ImageNet accuracy over ReLU in He et al. (top-1 error 32.64 % vs 33.82 %)', '在 He 等人的 ImageNet 實驗中優於 ReLU（top-1 錯誤率 32.64 % 對 33.82 %）'],
    ),
    drawbacks: bullets(
      ['The learned slope can overfit on small data sets', '在小型資料集上，學到的斜率可能過擬合'],
      ['If a grows above 1 the layer is no longer a contraction and gradients can grow', '若 a 超過 1，該層不再收縮，梯度可能變大'],
      ['Weight decay on a pushes it to 0 (back to ReLU); it must be excluded', '對 a 做權重衰減會把它推向 0（退化成 ReLU），必須排除'],
    ),
    paper: {
      authors: 'Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun',
      title: 'Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification',
      year: 2015,
      venue: 'ICCV 2015',
    },
    related: ['leaky_relu', 'rrelu', 'relu'],
  },
};

// ---------------------------------------------------------------------------
// rrelu: slope r ~ U(lower, upper) per element in training, (lower+upper)/2 in evaluation

/** RReLU: random slope r ~ U(lower, upper) for x ≤ 0 in training, the mean slope in evaluation (PyTorch). */
export const rrelu: ActivationDef = {
  name: 'rrelu',
  family: 'relu',
  kind: 'elementwise',
  params: [
    {
      name: 'lower',
      default: 1 / 8,
      learnable: false,
      min: 0,
      doc: t('Lower bound of the random negative slope', '隨機負區斜率的下限'),
    },
    {
      name: 'upper',
      default: 1 / 3,
      learnable: false,
      min: 0,
      doc: t('Upper bound of the random negative slope (must be ≥ lower)', '隨機負區斜率的上限（須 ≥ lower）'),
    },
  ],
  // evaluation mode: a leaky ReLU with the mean slope (lower + upper)/2
  f: (x, p) => (x > 0 ? x : ((p[0] + p[1]) / 2) * x),
  // kink at 0: f'(0) = (lower + upper)/2, as PyTorch's evaluation mode (a leaky_relu)
  df: (x, p) => (x > 0 ? 1 : x <= 0 ? (p[0] + p[1]) / 2 : x),
  // Training mode: one slope r ~ U(lower, upper) drawn per element (always, so the
  // stream does not depend on the data); used where x ≤ 0, as PyTorch's rrelu_with_noise.
  mapTrain(a: Buf, d: Buf, z: Buf, n: number, p: readonly number[], rng: Rng) {
    const lo = p[0];
    const hi = p[1];
    for (let i = 0; i < n; i++) {
      const r = rng.uniformIn(lo, hi);
      const x = z[i];
      if (x > 0) {
        a[i] = x;
        d[i] = 1;
      } else if (x <= 0) {
        a[i] = r * x;
        d[i] = r;
      } else {
        a[i] = x;
        d[i] = x;
      }
    }
  },
  meta: {
    formula: {
      text: 'rrelu(x) = x if x > 0, else r·x; training: r ~ U(1/8, 1/3) per element; evaluation: r = (1/8 + 1/3)/2 = 11/48',
      latex: String.raw`f(x) = \begin{cases} x & x > 0 \\ r x & x \le 0 \end{cases},\ r \sim U(l, u)\ \text{(train)},\ r = \tfrac{l+u}{2}\ \text{(eval)}`,
    },
    derivative: {
      text: "rrelu'(x) = 1 if x > 0, else r",
      latex: String.raw`f'(x) = \begin{cases} 1 & x > 0 \\ r & x \le 0 \end{cases}`,
    },
    range: '(−∞, ∞)',
    derivativeRange: '{r, 1}, r ∈ [1/8, 1/3]',
    derivativeMax: 1,
    derivativeAtZero: (1 / 8 + 1 / 3) / 2,
    zeroCentred: false,
    monotonic: true,
    smooth: false,
    boundedAbove: false,
    boundedBelow: false,
    saturates: NO_TEXT,
    deadZone: '',
    cost: 1.5,
    kinks: [{ at: 0, derivative: (1 / 8 + 1 / 3) / 2, convention: t('r, as PyTorch (x ≤ 0 takes the random or mean slope); 11/48 in evaluation', 'r，與 PyTorch 相同（x ≤ 0 取隨機斜率或平均斜率）；評估時為 11/48') }],
    summary: t(
      'Randomised leaky ReLU: in training every negative input gets its own slope drawn uniformly from [lower, upper]; in evaluation the mean slope is used. gradscope follows PyTorch (lower 1/8, upper 1/3, evaluation slope 11/48 ≈ 0.2292); the paper instead divided by a ~ U(3, 8) and used 1/5.5 ≈ 0.1818 at test time.',
      '隨機 Leaky ReLU：訓練時每個負輸入各自從 [lower, upper] 均勻抽取斜率；評估時使用平均斜率。gradscope 採用 PyTorch 的設定（lower 1/8、upper 1/3，評估斜率 11/48 ≈ 0.2292）；原論文則是除以 a ~ U(3, 8)，測試時使用 1/5.5 ≈ 0.1818。',
    ),
    advantages: bullets(
      ['No dead units, like leaky ReLU', '與 Leaky ReLU 一樣沒有死亡神經元'],
      ['The random slope acts as a regulariser (Xu et al. report less overfitting on small data sets)', '隨機斜率具正則化效果（Xu 等人報告在小型資料集上較不易過擬合）'],
    ),
    drawbacks: bullets(
      ['Training and evaluation compute different functions', '訓練與評估時計算的是不同的函數'],
      ['Needs a random draw per element in training', '訓練時每個元素都需要一次隨機抽樣'],
      ['Libraries disagree on the slope range (PyTorch vs the paper)', '各函式庫對斜率範圍的設定不一致（PyTorch 與原論文不同）'],
    ),
    paper: {
      authors: 'Bing Xu, Naiyan Wang, Tianqi Chen, Mu Li',
      title: 'Empirical Evaluation of Rectified Activations in Convolutional Network',
      year: 2015,
      venue: 'arXiv:1505.00853',
    },
    related: ['leaky_relu', 'prelu', 'relu'],
  },
};

// ---------------------------------------------------------------------------
// relu6(x) = min(max(0, x), 6)

/** ReLU6: ReLU clipped at 6; f'(0) = f'(6) = 0 as PyTorch's hardtanh backward. */
export const relu6: ActivationDef = {
  name: 'relu6',
  family: 'relu',
  kind: 'elementwise',
  params: [],
  f: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x),
  // kinks at 0 and 6: f' = 0 there, as PyTorch (relu6 = hardtanh(x, 0, 6), gradient only where 0 < x < 6)
  df: (x) => (x > 0 && x < 6 ? 1 : x !== x ? x : 0),
  meta: {
    formula: { text: 'relu6(x) = min(max(0, x), 6)', latex: String.raw`\mathrm{ReLU6}(x) = \min(\max(0, x), 6)` },
    derivative: {
      text: "relu6'(x) = 1 if 0 < x < 6, else 0",
      latex: String.raw`f'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}`,
    },
    range: '[0, 6]',
    derivativeRange: '{0, 1}',
    derivativeMax: 1,
    derivativeAtZero: 0,
    zeroCentred: false,
    monotonic: true,
    smooth: false,
    boundedAbove: true,
    boundedBelow: true,
    saturates: t('x ≥ 6: clipped at 6, f\' = 0 exactly', 'x ≥ 6：被截斷在 6，f\' 恰為 0'),
    deadZone: 'x ≤ 0, x ≥ 6',
    cost: 1,
    kinks: [
      { at: 0, derivative: 0, convention: t('0, as PyTorch (hardtanh backward: gradient only where 0 < x < 6)', '0，與 PyTorch 相同（hardtanh 的反向傳播：只有 0 < x < 6 處有梯度）') },
      { at: 6, derivative: 0, convention: t('0, as PyTorch (hardtanh backward: gradient only where 0 < x < 6)', '0，與 PyTorch 相同（hardtanh 的反向傳播：只有 0 < x < 6 處有梯度）') },
    ],
    summary: t(
      'ReLU capped at 6. The bound keeps activations small enough for low-precision (fixed-point, 8-bit) inference, which is why MobileNets use it; Krizhevsky introduced it for convolutional deep belief nets on CIFAR-10.',
      '上限為 6 的 ReLU。這個上界讓激活值維持在低精度（定點數、8 位元）推論可以表示的範圍內，因此被 MobileNet 採用；最早由 Krizhevsky 用於 CIFAR-10 上的卷積深度信念網路。',
    ),
    advantages: bullets(
      ['Bounded output: robust in low-precision arithmetic', '輸出有界：在低精度運算下較穩健'],
      ['As cheap as ReLU, slope 1 on (0, 6)', '與 ReLU 一樣便宜，在 (0, 6) 上斜率為 1'],
    ),
    drawbacks: bullets(
      ['Two dead zones: no gradient for x ≤ 0 nor for x ≥ 6', '兩個死區：x ≤ 0 與 x ≥ 6 時都沒有梯度'],
      ['Units pushed above 6 saturate and stop learning, like a hard sigmoid', '被推到 6 以上的單元會飽和而停止學習，就像硬 sigmoid'],
      ['Not zero-centred', '非零中心'],
    ),
    paper: {
      authors: 'Alex Krizhevsky',
      title: 'Convolutional Deep Belief Networks on CIFAR-10',
      year: 2010,
      venue: 'unpublished manuscript, University of Toronto',
    },
    related: ['relu', 'hardtanh', 'hardswish', 'hardsigmoid'],
  },
};
