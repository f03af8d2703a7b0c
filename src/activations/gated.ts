/**
 * Self-gated members of the ReLU family: the input multiplied by a gate that
 * is itself a function of the input — silu (x·σ(x)), swish (x·σ(βx)), mish
 * (x·tanh(softplus(x))) and the piecewise-linear hardswish. All dip below 0
 * for moderately negative inputs and are therefore not monotonic.
 *
 * Overflow: σ is evaluated in its sign-split form, and a product x·g with a
 * gate derivative g that has underflowed to 0 is taken as 0, which avoids
 * ∞·0 = NaN at |x| ≈ 1e308. Costs are operation-count estimates (ReLU = 1).
 */
import type { Buf } from '../tensor/dtype.js';
import { sigmoid, softplusStable } from './special.js';
import { bullets, NO_TEXT, t } from './text.js';
import type { ActivationDef } from './types.js';

// ---------------------------------------------------------------------------
// silu(x) = x·σ(x)

/** SiLU: x·σ(x) (swish with β = 1). */
export const silu: ActivationDef = {
  name: 'silu',
  family: 'relu',
  kind: 'elementwise',
  params: [],
  f: (x) => x * sigmoid(x),
  // f' = σ(x) + x·σ(x)σ(−x) = σ(x)(1 + x(1 − σ(x)))
  df: (x) => {
    const s = sigmoid(x);
    const g = s * sigmoid(-x);
    return s + (g === 0 ? 0 : x * g);
  },
  // one exp per element: with e = e^{−|x|}, q = 1 + e, σ(x) and σ(−x) are 1/q and e/q
  // (in the same operation order as sigmoid(), so map equals f and df bit for bit)
  map(a: Buf, d: Buf, z: Buf, n: number) {
    for (let i = 0; i < n; i++) {
      const x = z[i];
      const e = Math.exp(-Math.abs(x));
      const q = 1 + e;
      const s = x >= 0 ? 1 / q : e / q;
      const g = s * (x >= 0 ? e / q : 1 / q);
      a[i] = x * s;
      d[i] = s + (g === 0 ? 0 : x * g);
    }
  },
  meta: {
    formula: { text: 'silu(x) = x·σ(x) = x/(1 + e^{−x})', latex: String.raw`\mathrm{SiLU}(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}` },
    derivative: {
      text: "silu'(x) = σ(x)(1 + x(1 − σ(x)))",
      latex: String.raw`\mathrm{SiLU}'(x) = \sigma(x)\left(1 + x\,(1 - \sigma(x))\right)`,
    },
    range: '[≈ −0.27846, ∞) (minimum at x ≈ −1.2785)',
    derivativeRange: '[≈ −0.0998, ≈ 1.0998] (extremes at x ≈ ∓2.3994)',
    derivativeMax: 1.0998393201288672,
    derivativeAtZero: 0.5,
    zeroCentred: false,
    monotonic: false,
    smooth: true,
    boundedAbove: false,
    boundedBelow: true,
    saturates: t('x → −∞: f → 0 and f\' → 0 (|f\'| below 0.01 for x < −6.3)', 'x → −∞：f → 0 且 f\' → 0（x < −6.3 時 |f\'| 低於 0.01）'),
    deadZone: '',
    cost: 4,
    kinks: [],
    summary: t(
      'Sigmoid-weighted linear unit: the input gated by its own sigmoid. Smooth and ReLU-like for large |x|, with a dip to ≈ −0.278 at x ≈ −1.28. Named SiLU by Hendrycks and Gimpel (2016), studied by Elfwing et al. (2018) and found again as swish with β = 1; a member of the sigmoid family by construction.',
      'Sigmoid 加權線性單元：以輸入自身的 sigmoid 作為門控。處處平滑，|x| 大時近似 ReLU，在 x ≈ −1.28 處下探至 ≈ −0.278。Hendrycks 與 Gimpel（2016）命名為 SiLU，Elfwing 等人（2018）加以研究，後來又以 β = 1 的 swish 之名被重新發現；就構造而言也屬於 sigmoid 家族。',
    ),
    advantages: bullets(
      ['Smooth, with slope → 1 for x ≫ 0: no vanishing on the positive side', '平滑，x ≫ 0 時斜率 → 1：正區不會梯度消失'],
      ['Small negative outputs and gradients for x < 0: no dead units', 'x < 0 時仍有小的負輸出與梯度：沒有死亡神經元'],
      ['Often matches or beats ReLU in deep networks (EfficientNet, many vision models)', '在深層網路中常與 ReLU 相當或更好（EfficientNet 等視覺模型）'],
    ),
    drawbacks: bullets(
      ['An exponential per element: about 4× the cost of ReLU', '每個元素一次指數：成本約為 ReLU 的 4 倍'],
      ['Non-monotonic, and f\' exceeds 1 slightly (max ≈ 1.0998)', '非單調，且 f\' 略超過 1（最大約 1.0998）'],
      ['Saturates for x ≪ 0', 'x ≪ 0 時會飽和'],
    ),
    paper: {
      authors: 'Stefan Elfwing, Eiji Uchibe, Kenji Doya',
      title: 'Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning',
      year: 2018,
      venue: 'Neural Networks 107',
    },
    related: ['swish', 'gelu', 'mish', 'hardswish', 'sigmoid'],
  },
};

// ---------------------------------------------------------------------------
// swish(x) = x·σ(βx), β learnable

/** Swish: x·σ(βx) with a learnable β (default 1, where it equals silu). */
export const swish: ActivationDef = {
  name: 'swish',
  family: 'relu',
  kind: 'elementwise',
  params: [
    {
      name: 'beta',
      default: 1,
      learnable: true,
      doc: t('Gate sharpness β: 0 gives x/2, 1 gives SiLU, β → ∞ approaches ReLU', '門控的陡峭度 β：0 時為 x/2，1 時為 SiLU，β → ∞ 時趨近 ReLU'),
    },
  ],
  f: (x, p) => x * sigmoid(p[0] * x),
  // ∂f/∂x = σ(βx) + βx·σ(βx)σ(−βx)
  df: (x, p) => {
    const u = p[0] * x;
    const s = sigmoid(u);
    const g = s * sigmoid(-u);
    return s + (g === 0 ? 0 : u * g);
  },
  // ∂f/∂β = x²·σ(βx)σ(−βx)
  dparams(x, p, out) {
    const u = p[0] * x;
    const g = sigmoid(u) * sigmoid(-u);
    out[0] = g === 0 ? 0 : x * (x * g);
  },
  meta: {
    formula: { text: 'swish(x) = x·σ(βx)  (β = 1, learnable)', latex: String.raw`\mathrm{swish}(x) = x\,\sigma(\beta x)` },
    derivative: {
      text: "swish'(x) = σ(βx) + βx·σ(βx)(1 − σ(βx));  ∂f/∂β = x²·σ(βx)(1 − σ(βx))",
      latex: String.raw`f'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)(1 - \sigma(\beta x)),\quad \frac{\partial f}{\partial \beta} = x^2 \sigma(\beta x)(1 - \sigma(\beta x))`,
    },
    range: '[≈ −0.27846/β, ∞) for β > 0',
    derivativeRange: '[≈ −0.0998, ≈ 1.0998] for any β > 0',
    derivativeMax: 1.0998393201288672,
    derivativeAtZero: 0.5,
    zeroCentred: false,
    monotonic: false,
    smooth: true,
    boundedAbove: false,
    boundedBelow: true,
    saturates: t('x → −∞ (for β > 0): f → 0 and f\' → 0', 'x → −∞（β > 0）：f → 0 且 f\' → 0'),
    deadZone: '',
    cost: 4,
    kinks: [],
    summary: t(
      'Swish, found by automated search: x·σ(βx). β interpolates between the linear x/2 (β = 0) and ReLU (β → ∞); β = 1 is SiLU. gradscope learns β, as the paper’s “Swish-β”. It is also a sigmoid-family gated unit.',
      'Swish 由自動搜尋找到：x·σ(βx)。β 在線性函數 x/2（β = 0）與 ReLU（β → ∞）之間內插；β = 1 即為 SiLU。gradscope 會學習 β，對應論文中的「Swish-β」。它同時也是 sigmoid 家族的門控單元。',
    ),
    advantages: bullets(
      ['A learned β lets each layer choose between linear and ReLU-like behaviour', '可學習的 β 讓每層在線性與類 ReLU 之間自行選擇'],
      ['Smooth, non-saturating for x ≫ 0, no dead units', '平滑，x ≫ 0 時不飽和，也沒有死亡神經元'],
      ['Matched or beat ReLU across many models in the search paper', '在搜尋論文中於多種模型上與 ReLU 相當或更好'],
    ),
    drawbacks: bullets(
      ['About 4× the cost of ReLU, plus the gradient of β', '成本約為 ReLU 的 4 倍，還要計算 β 的梯度'],
      ['Non-monotonic; the scale of the dip depends on β', '非單調；下探的幅度隨 β 改變'],
      ['Gains over ReLU are modest and task-dependent', '相對 ReLU 的提升有限且依任務而異'],
    ),
    paper: {
      authors: 'Prajit Ramachandran, Barret Zoph, Quoc V. Le',
      title: 'Searching for Activation Functions',
      year: 2017,
      venue: 'arXiv:1710.05941',
    },
    related: ['silu', 'hardswish', 'gelu', 'sigmoid'],
  },
};

// ---------------------------------------------------------------------------
// mish(x) = x·tanh(softplus(x))

/** Mish: x·tanh(softplus(x)); softplus in its overflow-free form. */
export const mish: ActivationDef = {
  name: 'mish',
  family: 'relu',
  kind: 'elementwise',
  params: [],
  f: (x) => x * Math.tanh(softplusStable(x)),
  // f' = tanh(sp) + x·sech²(sp)·σ(x), since d softplus/dx = σ(x)
  df: (x) => {
    const tn = Math.tanh(softplusStable(x));
    const g = (1 - tn * tn) * sigmoid(x);
    return tn + (g === 0 ? 0 : x * g);
  },
  meta: {
    formula: { text: 'mish(x) = x·tanh(softplus(x)) = x·tanh(ln(1 + eˣ))', latex: String.raw`\mathrm{Mish}(x) = x \tanh\!\left(\ln(1 + e^{x})\right)` },
    derivative: {
      text: "mish'(x) = tanh(sp(x)) + x·sech²(sp(x))·σ(x),  sp = softplus",
      latex: String.raw`\mathrm{Mish}'(x) = \tanh(\mathrm{sp}(x)) + x\,\mathrm{sech}^2(\mathrm{sp}(x))\,\sigma(x)`,
    },
    range: '[≈ −0.30884, ∞) (minimum at x ≈ −1.1924)',
    derivativeRange: '[≈ −0.1125, ≈ 1.0885]',
    derivativeMax: 1.088498161251728,
    derivativeAtZero: 0.6,
    zeroCentred: false,
    monotonic: false,
    smooth: true,
    boundedAbove: false,
    boundedBelow: true,
    saturates: t('x → −∞: f → 0 and f\' → 0', 'x → −∞：f → 0 且 f\' → 0'),
    deadZone: '',
    cost: 7,
    kinks: [],
    summary: t(
      'Mish: the input gated by tanh of its softplus. Shaped much like SiLU but with a slightly deeper dip (≈ −0.309 at x ≈ −1.19) and f\'(0) = tanh(ln 2) = 0.6; popular in object detectors (YOLOv4).',
      'Mish：以輸入的 softplus 取 tanh 作為門控。形狀與 SiLU 相近，但下探略深（在 x ≈ −1.19 處約 −0.309），且 f\'(0) = tanh(ln 2) = 0.6；在物件偵測模型（YOLOv4）中很常見。',
    ),
    advantages: bullets(
      ['Smooth, unbounded above, bounded below: no dead units and no saturation for x ≫ 0', '平滑、上方無界、下方有界：沒有死亡神經元，x ≫ 0 時不飽和'],
      ['Reported small accuracy gains over SiLU and ReLU in vision models', '在視覺模型中報告比 SiLU 與 ReLU 略有提升'],
    ),
    drawbacks: bullets(
      ['The most expensive of the common gated units: exp, log1p and tanh per element', '常見門控單元中成本最高：每個元素需 exp、log1p 與 tanh'],
      ['Non-monotonic; f\' slightly above 1 for some x > 0', '非單調；部分 x > 0 處 f\' 略大於 1'],
      ['Gains over SiLU are small and not consistent across tasks', '相對 SiLU 的提升很小，且因任務而異'],
    ),
    paper: {
      authors: 'Diganta Misra',
      title: 'Mish: A Self Regularized Non-Monotonic Activation Function',
      year: 2019,
      venue: 'arXiv:1908.08681; BMVC 2020',
    },
    related: ['silu', 'swish', 'softplus', 'tanh'],
  },
};

// ---------------------------------------------------------------------------
// hardswish(x) = x·relu6(x + 3)/6

/** Hard swish: x·relu6(x + 3)/6, with PyTorch's derivative convention at ±3. */
export const hardswish: ActivationDef = {
  name: 'hardswish',
  family: 'relu',
  kind: 'elementwise',
  params: [],
  f: (x) => (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
  // PyTorch's hardswish_backward: x < −3 → 0; x ≤ 3 → x/3 + ½; else 1.
  // So f'(−3) = −½ (the right-hand slope) and f'(3) = 3/2 (the left-hand slope).
  df: (x) => (x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : x > 3 ? 1 : x),
  meta: {
    formula: {
      text: 'hardswish(x) = 0 if x ≤ −3, x if x ≥ 3, else x(x + 3)/6',
      latex: String.raw`f(x) = x\,\frac{\mathrm{ReLU6}(x + 3)}{6} = \begin{cases} 0 & x \le -3 \\ x(x+3)/6 & -3 < x < 3 \\ x & x \ge 3 \end{cases}`,
    },
    derivative: {
      text: "hardswish'(x) = 0 if x < −3, x/3 + 1/2 if −3 ≤ x ≤ 3, else 1",
      latex: String.raw`f'(x) = \begin{cases} 0 & x < -3 \\ x/3 + 1/2 & -3 \le x \le 3 \\ 1 & x > 3 \end{cases}`,
    },
    range: '[−0.375, ∞) (minimum at x = −1.5)',
    derivativeRange: '[−1/2, 3/2]',
    derivativeMax: 1.5,
    derivativeAtZero: 0.5,
    zeroCentred: false,
    monotonic: false,
    smooth: false,
    boundedAbove: false,
    boundedBelow: true,
    saturates: NO_TEXT,
    deadZone: 'x < −3',
    cost: 1.5,
    kinks: [
      { at: -3, derivative: -0.5, convention: t('−1/2, as PyTorch (x/3 + 1/2 applies on −3 ≤ x ≤ 3); the left-hand slope is 0', '−1/2，與 PyTorch 相同（−3 ≤ x ≤ 3 時取 x/3 + 1/2）；左側斜率為 0') },
      { at: 3, derivative: 1.5, convention: t('3/2, as PyTorch (x/3 + 1/2 applies on −3 ≤ x ≤ 3); the right-hand slope is 1', '3/2，與 PyTorch 相同（−3 ≤ x ≤ 3 時取 x/3 + 1/2）；右側斜率為 1') },
    ],
    summary: t(
      'A piecewise-quadratic approximation of swish built from ReLU6, designed for MobileNetV3 so that it runs fast and quantises well on mobile hardware. Zero for x ≤ −3, the identity for x ≥ 3.',
      '以 ReLU6 構成的分段二次 swish 近似，為 MobileNetV3 設計，在行動裝置上執行快且易於量化。x ≤ −3 時為 0，x ≥ 3 時為恆等函數。',
    ),
    advantages: bullets(
      ['Swish-like accuracy without any exponential', '不需任何指數運算即可得到接近 swish 的準確度'],
      ['Quantisation-friendly: only multiplications, additions and clipping', '易於量化：只需乘法、加法與截斷'],
    ),
    drawbacks: bullets(
      ['Dead zone for x < −3 (zero gradient), like ReLU', 'x < −3 為死區（梯度為 0），與 ReLU 類似'],
      ['Kinks at ±3 where the slope jumps (−1/2 vs 0, 3/2 vs 1)', '在 ±3 處有折點，斜率跳變（−1/2 對 0、3/2 對 1）'],
      ['Non-monotonic on (−3, −1.5)', '在 (−3, −1.5) 上非單調'],
    ),
    paper: {
      authors: 'Andrew Howard, Mark Sandler, Grace Chu, Liang-Chieh Chen, Bo Chen, Mingxing Tan, Weijun Wang, Yukun Zhu, Ruoming Pang, Vijay Vasudevan, Quoc V. Le, Hartwig Adam',
      title: 'Searching for MobileNetV3',
      year: 2019,
      venue: 'ICCV 2019',
    },
    related: ['silu', 'swish', 'hardsigmoid', 'relu6'],
  },
};
