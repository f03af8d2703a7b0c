/**
 * GELU, the Gaussian error linear unit, exact (x·Φ(x) with Cody's erfc) and
 * in its tanh approximation. Both are smooth, non-monotonic ReLU look-alikes
 * with a small negative dip. Costs are operation-count estimates (ReLU = 1).
 */
import type { Buf } from '../tensor/dtype.js';
import { normalCdf, normalPdf, sigmoid } from './special.js';
import { bullets, t } from './text.js';
import type { ActivationDef } from './types.js';

// ---------------------------------------------------------------------------
// gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2))

/** Exact GELU: x·Φ(x); Φ comes from erfc so the left tail keeps full relative accuracy. */
export const gelu: ActivationDef = {
  name: 'gelu',
  family: 'relu',
  kind: 'elementwise',
  params: [],
  // PyTorch writes ½x(1 + erf(x/√2)), which cancels for x ≪ 0; Φ via erfc does not
  f: (x) => x * normalCdf(x),
  // d/dx xΦ(x) = Φ(x) + xφ(x); at |x| = ∞ the product x·φ is 0·∞ only for x = ±Infinity itself
  df: (x) => normalCdf(x) + x * normalPdf(x),
  map(a: Buf, d: Buf, z: Buf, n: number) {
    for (let i = 0; i < n; i++) {
      const x = z[i];
      const cdf = normalCdf(x);
      a[i] = x * cdf;
      d[i] = cdf + x * normalPdf(x);
    }
  },
  meta: {
    formula: { text: 'gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2))', latex: String.raw`\mathrm{GELU}(x) = x\,\Phi(x) = \tfrac{x}{2}\left(1 + \operatorname{erf}(x/\sqrt{2})\right)` },
    derivative: {
      text: "gelu'(x) = Φ(x) + x·φ(x),  φ(x) = e^{−x²/2}/√(2π)",
      latex: String.raw`\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x),\quad \varphi(x) = \tfrac{1}{\sqrt{2\pi}} e^{-x^2/2}`,
    },
    range: '[≈ −0.16997, ∞) (minimum at x ≈ −0.7518)',
    derivativeRange: '[≈ −0.1289, ≈ 1.1289] (extremes at x = ∓√2)',
    derivativeMax: 1.128904145185156,
    derivativeAtZero: 0.5,
    zeroCentred: false,
    monotonic: false,
    smooth: true,
    boundedAbove: false,
    boundedBelow: true,
    saturates: t('x → −∞: f → 0 and f\' → 0 (Gaussian tail; |f\'| below 0.01 for x < −3.07)', 'x → −∞：f → 0 且 f\' → 0（高斯尾部；x < −3.07 時 |f\'| 低於 0.01）'),
    deadZone: '',
    cost: 8,
    kinks: [],
    summary: t(
      'Gaussian error linear unit: the input weighted by the probability Φ(x) that a standard normal variable is below it — a smooth, probabilistic ReLU. It dips slightly below 0 (minimum ≈ −0.170 at x ≈ −0.752) and is the standard activation of Transformers (BERT, GPT).',
      '高斯誤差線性單元：以標準常態變數小於輸入的機率 Φ(x) 對輸入加權，可視為平滑、帶機率意義的 ReLU。它略微低於 0（最小值 ≈ −0.170，位於 x ≈ −0.752），是 Transformer（BERT、GPT）的標準激活函數。',
    ),
    advantages: bullets(
      ['Smooth everywhere, with slope near 1 for x ≫ 0: gradients flow like ReLU’s', '處處平滑，x ≫ 0 時斜率接近 1：梯度傳遞與 ReLU 相當'],
      ['Non-zero gradient for moderately negative inputs: fewer dead units than ReLU', '中等負輸入仍有非零梯度：死亡神經元比 ReLU 少'],
      ['Empirically strong in Transformers and other deep models', '在 Transformer 等深層模型中實證效果良好'],
    ),
    drawbacks: bullets(
      ['Costly: an error function per element (the tanh form is cheaper)', '成本高：每個元素要算一次誤差函數（tanh 近似版較便宜）'],
      ['Non-monotonic, and f\' > 1 on part of the positive axis (max ≈ 1.129)', '非單調，且正半軸上有一段 f\' > 1（最大約 1.129）'],
      ['Still saturates for x ≪ 0', 'x ≪ 0 時仍會飽和'],
    ),
    paper: {
      authors: 'Dan Hendrycks, Kevin Gimpel',
      title: 'Gaussian Error Linear Units (GELUs)',
      year: 2016,
      venue: 'arXiv:1606.08415',
    },
    related: ['gelu_tanh', 'silu', 'mish', 'relu'],
  },
};

// ---------------------------------------------------------------------------
// gelu_tanh(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))

/** √(2/π). */
const K = 0.7978845608028654;
/** The cubic coefficient of the tanh approximation. */
const C = 0.044715;

/** GELU's tanh approximation (PyTorch approximate='tanh'), written as x·σ(2u) since ½(1 + tanh u) = σ(2u). */
export const geluTanh: ActivationDef = {
  name: 'gelu_tanh',
  family: 'relu',
  kind: 'elementwise',
  params: [],
  // ½(1 + tanh u) = σ(2u): the sigmoid form does not cancel for x ≪ 0 and cannot overflow
  f: (x) => x * sigmoid(2 * K * (x + C * x * x * x)),
  // f' = s + x·2s(1−s)·u', u' = √(2/π)(1 + 3·0.044715x²); s(1−s) = σ(2u)σ(−2u).
  // When s(1−s) underflows to 0 the second term is 0 (skips 0·∞ when x³ overflows).
  df: (x) => {
    const u2 = 2 * K * (x + C * x * x * x);
    const s = sigmoid(u2);
    const g = s * sigmoid(-u2);
    return s + (g === 0 ? 0 : 2 * x * g * K * (1 + 3 * C * x * x));
  },
  meta: {
    formula: {
      text: 'gelu_tanh(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))',
      latex: String.raw`f(x) = \tfrac{x}{2}\left(1 + \tanh\!\left(\sqrt{2/\pi}\,(x + 0.044715 x^3)\right)\right)`,
    },
    derivative: {
      text: "gelu_tanh'(x) = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 0.134145x²),  u = √(2/π)(x + 0.044715x³)",
      latex: String.raw`f'(x) = \tfrac12(1 + \tanh u) + \tfrac{x}{2}(1 - \tanh^2 u)\sqrt{2/\pi}\,(1 + 0.134145 x^2)`,
    },
    range: '[≈ −0.17004, ∞) (minimum at x ≈ −0.7525)',
    derivativeRange: '[≈ −0.1290, ≈ 1.1290] (extremes at x ≈ ∓1.4185)',
    derivativeMax: 1.128993068658772,
    derivativeAtZero: 0.5,
    zeroCentred: false,
    monotonic: false,
    smooth: true,
    boundedAbove: false,
    boundedBelow: true,
    saturates: t('x → −∞: f → 0 and f\' → 0', 'x → −∞：f → 0 且 f\' → 0'),
    deadZone: '',
    cost: 5,
    kinks: [],
    summary: t(
      'The tanh approximation of GELU from the GELU paper, used by the original BERT and GPT-2 code. It differs from exact GELU by at most ≈ 4.7e-4 and avoids the error function.',
      'GELU 論文中提出的 tanh 近似，原始 BERT 與 GPT-2 程式碼即採用此式。與精確 GELU 的差距最多約 4.7e-4，且不需計算誤差函數。',
    ),
    advantages: bullets(
      ['Cheaper than exact GELU on hardware without a fast erf', '在沒有快速 erf 的硬體上比精確 GELU 便宜'],
      ['Matches GELU to within 4.7e-4: same training behaviour', '與 GELU 的差距在 4.7e-4 以內：訓練行為相同'],
    ),
    drawbacks: bullets(
      ['Still costs a tanh (or exp) per element, several times a ReLU', '每個元素仍需一次 tanh（或 exp），成本是 ReLU 的數倍'],
      ['Not exactly GELU: weights trained with one form shift slightly under the other', '並非精確的 GELU：以其中一種形式訓練的權重換用另一種時結果會略有偏移'],
      ['Non-monotonic and saturating for x ≪ 0, like GELU', '與 GELU 一樣非單調，且 x ≪ 0 時會飽和'],
    ),
    paper: {
      authors: 'Dan Hendrycks, Kevin Gimpel',
      title: 'Gaussian Error Linear Units (GELUs)',
      year: 2016,
      venue: 'arXiv:1606.08415',
    },
    related: ['gelu', 'silu'],
  },
};
