/**
 * The exponential rectifiers of the ReLU family: elu, selu and celu. For
 * x > 0 they are linear; for x ≤ 0 they bend smoothly to a negative floor
 * (−α, −λα), which keeps units alive and pulls the mean activation toward 0.
 *
 * expm1 keeps α(eˣ − 1) accurate near 0; for x → −∞ every form tends to its
 * floor without overflow. Costs are operation-count estimates (ReLU = 1).
 */
import type { Buf } from '../tensor/dtype.js';
import { bullets, t } from './text.js';
import type { ActivationDef } from './types.js';

/** SELU's λ (Klambauer et al. 2017), to float64 precision. */
export const SELU_LAMBDA = 1.0507009873554804934193349852946;
/** SELU's α (Klambauer et al. 2017), to float64 precision. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;

// ---------------------------------------------------------------------------
// elu(x) = x for x > 0, α(eˣ − 1) otherwise

/** ELU: x for x > 0, α(eˣ − 1) otherwise; f'(x) = αeˣ = f + α on x ≤ 0. */
export const elu: ActivationDef = {
  name: 'elu',
  family: 'relu',
  kind: 'elementwise',
  params: [
    {
      name: 'alpha',
      default: 1,
      learnable: false,
      min: 0,
      minExclusive: true,
      doc: t('Depth of the negative floor: f → −α as x → −∞', '負區下限的深度：x → −∞ 時 f → −α'),
    },
  ],
  f: (x, p) => (x > 0 ? x : p[0] * Math.expm1(x)),
  // at 0 the x ≤ 0 branch gives α, as PyTorch's elu_backward; with α = 1 both sides agree (C¹)
  df: (x, p) => (x > 0 ? 1 : p[0] * Math.exp(x)),
  map(a: Buf, d: Buf, z: Buf, n: number, p: readonly number[]) {
    const al = p[0];
    for (let i = 0; i < n; i++) {
      const x = z[i];
      if (x > 0) {
        a[i] = x;
        d[i] = 1;
      } else {
        a[i] = al * Math.expm1(x);
        d[i] = al * Math.exp(x);
      }
    }
  },
  meta: {
    formula: { text: 'elu(x) = x if x > 0, else α(eˣ − 1)  (α = 1)', latex: String.raw`f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}` },
    derivative: {
      text: "elu'(x) = 1 if x > 0, else α·eˣ = f(x) + α",
      latex: String.raw`f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} = f(x) + \alpha & x \le 0 \end{cases}`,
    },
    range: '(−α, ∞) = (−1, ∞)',
    derivativeRange: '(0, 1]',
    derivativeMax: 1,
    derivativeAtZero: 1,
    zeroCentred: false,
    monotonic: true,
    smooth: true,
    boundedAbove: false,
    boundedBelow: true,
    saturates: t('x → −∞: f → −α, f\' = αeˣ → 0 (below 0.01 for x < −4.6)', 'x → −∞：f → −α，f\' = αeˣ → 0（x < −4.6 時低於 0.01）'),
    deadZone: '',
    cost: 3,
    kinks: [
      {
        at: 0,
        derivative: 1,
        convention: t('α (the x ≤ 0 branch, as PyTorch); with the default α = 1 both one-sided slopes are 1, so f is C¹ and this is not a kink', 'α（取 x ≤ 0 的分支，與 PyTorch 相同）；預設 α = 1 時左右兩側斜率都是 1，f 屬於 C¹，此處其實不是不可微點'),
      },
    ],
    summary: t(
      'Exponential linear unit: the identity for x > 0 and a smooth exponential approach to −α for x ≤ 0. The negative outputs pull the mean activation toward 0 and the derivative αeˣ is never 0, so no unit dies; it costs an exponential per element.',
      '指數線性單元：x > 0 時為恆等函數，x ≤ 0 時以指數曲線平滑地趨近 −α。負輸出使平均激活值接近 0，導數 αeˣ 永不為 0，因此不會有死亡神經元；代價是每個元素要算一次指數。',
    ),
    advantages: bullets(
      ['No dead units: f\' = αeˣ > 0 everywhere', '沒有死亡神經元：處處 f\' = αeˣ > 0'],
      ['Negative outputs bring the mean activation closer to 0 than ReLU’s (faster learning in Clevert et al.)', '負輸出讓平均激活值比 ReLU 更接近 0（Clevert 等人觀察到學習更快）'],
      ['Smooth (C¹) for α = 1, and saturates to −α for large negative inputs, which makes it robust to noise', 'α = 1 時平滑（C¹）；大負輸入時飽和於 −α，對雜訊較穩健'],
    ),
    drawbacks: bullets(
      ['Slower than ReLU: one exponential per element', '比 ReLU 慢：每個元素要算一次指數'],
      ['The negative side saturates: for x ≪ 0 the gradient still vanishes', '負區會飽和：x ≪ 0 時梯度仍會消失'],
      ['Not differentiable at 0 when α ≠ 1', 'α ≠ 1 時在 0 處不可微'],
    ),
    paper: {
      authors: 'Djork-Arné Clevert, Thomas Unterthiner, Sepp Hochreiter',
      title: 'Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)',
      year: 2015,
      venue: 'arXiv:1511.07289; ICLR 2016',
    },
    related: ['selu', 'celu', 'relu', 'leaky_relu'],
  },
};

// ---------------------------------------------------------------------------
// selu(x) = λ·(x for x > 0, α(eˣ − 1) otherwise), fixed λ, α

/** SELU: λ·elu(x; α) with Klambauer et al.'s fixed constants; f'(0) = λα (x ≤ 0 branch, as PyTorch). */
export const selu: ActivationDef = {
  name: 'selu',
  family: 'relu',
  kind: 'elementwise',
  params: [],
  f: (x) => (x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA * SELU_ALPHA * Math.expm1(x)),
  // kink at 0: left slope λα ≈ 1.7581, right slope λ ≈ 1.0507; PyTorch's elu_backward returns λα (x ≤ 0)
  df: (x) => (x > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(x)),
  map(a: Buf, d: Buf, z: Buf, n: number) {
    const la = SELU_LAMBDA * SELU_ALPHA;
    for (let i = 0; i < n; i++) {
      const x = z[i];
      if (x > 0) {
        a[i] = SELU_LAMBDA * x;
        d[i] = SELU_LAMBDA;
      } else {
        a[i] = la * Math.expm1(x);
        d[i] = la * Math.exp(x);
      }
    }
  },
  meta: {
    formula: {
      text: 'selu(x) = λx if x > 0, else λα(eˣ − 1);  λ ≈ 1.0507, α ≈ 1.6733',
      latex: String.raw`f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}`,
    },
    derivative: {
      text: "selu'(x) = λ if x > 0, else λα·eˣ",
      latex: String.raw`f'(x) = \begin{cases} \lambda & x > 0 \\ \lambda \alpha e^{x} & x \le 0 \end{cases}`,
    },
    range: '(−λα, ∞) ≈ (−1.7581, ∞)',
    derivativeRange: '(0, λα] ≈ (0, 1.7581]',
    derivativeMax: SELU_LAMBDA * SELU_ALPHA,
    derivativeAtZero: SELU_LAMBDA * SELU_ALPHA,
    zeroCentred: true,
    monotonic: true,
    smooth: false,
    boundedAbove: false,
    boundedBelow: true,
    saturates: t('x → −∞: f → −λα ≈ −1.7581, f\' → 0', 'x → −∞：f → −λα ≈ −1.7581，f\' → 0'),
    deadZone: '',
    cost: 3,
    kinks: [{ at: 0, derivative: SELU_LAMBDA * SELU_ALPHA, convention: t('λα ≈ 1.7581 (the x ≤ 0 branch, as PyTorch); the right slope is λ ≈ 1.0507', 'λα ≈ 1.7581（取 x ≤ 0 的分支，與 PyTorch 相同）；右側斜率為 λ ≈ 1.0507') }],
    summary: t(
      'Scaled ELU with constants λ ≈ 1.0507 and α ≈ 1.6733 chosen so that, with LeCun-normal weights (variance 1/n), activations converge to mean 0 and variance 1 layer after layer: the network normalises itself without batch normalisation. Under a standard normal input its mean output is exactly 0.',
      '縮放後的 ELU，常數 λ ≈ 1.0507、α ≈ 1.6733 經過挑選，使得在 LeCun 常態初始化（變異數 1/n）下，激活值逐層收斂到平均 0、變異數 1：網路不需批次正規化就能自我正規化。對標準常態輸入，其平均輸出恰為 0。',
    ),
    advantages: bullets(
      ['Self-normalising: mean 0 and variance 1 are an attracting fixed point through depth', '自我正規化：平均 0、變異數 1 是隨深度吸引的不動點'],
      ['Trains deep fully connected nets without batch normalisation', '不需批次正規化即可訓練深層全連接網路'],
      ['No dead units (f\' > 0 everywhere)', '沒有死亡神經元（處處 f\' > 0）'],
    ),
    drawbacks: bullets(
      ['The guarantee needs LeCun-normal initialisation, standardised inputs and alpha-dropout', '其保證需要 LeCun 常態初始化、標準化輸入與 alpha-dropout'],
      ['Slope λ > 1 for x > 0: with other initialisations the gradient can grow with depth', 'x > 0 時斜率 λ > 1：若用其他初始化，梯度可能隨深度增大'],
      ['Not differentiable at 0 (slopes λα vs λ); costs an exponential', '在 0 處不可微（左右斜率 λα 與 λ），且需計算指數'],
    ),
    paper: {
      authors: 'Günter Klambauer, Thomas Unterthiner, Andreas Mayr, Sepp Hochreiter',
      title: 'Self-Normalizing Neural Networks',
      year: 2017,
      venue: 'NeurIPS 2017',
    },
    related: ['elu', 'celu'],
  },
};

// ---------------------------------------------------------------------------
// celu(x) = x for x > 0, α(e^{x/α} − 1) otherwise

/** CELU: x for x > 0, α(e^{x/α} − 1) otherwise — C¹ for every α (f'(0) = 1 from both sides). */
export const celu: ActivationDef = {
  name: 'celu',
  family: 'relu',
  kind: 'elementwise',
  params: [
    {
      name: 'alpha',
      default: 1,
      learnable: false,
      min: 0,
      minExclusive: true,
      doc: t('Depth and width of the negative bend: f → −α as x → −∞', '負區彎曲的深度與寬度：x → −∞ 時 f → −α'),
    },
  ],
  f: (x, p) => (x > 0 ? x : p[0] * Math.expm1(x / p[0])),
  // both one-sided slopes at 0 are 1 for every α, so no kink; x ≤ 0 uses e^{x/α} as PyTorch
  df: (x, p) => (x > 0 ? 1 : Math.exp(x / p[0])),
  meta: {
    formula: { text: 'celu(x) = x if x > 0, else α(e^{x/α} − 1)  (α = 1)', latex: String.raw`f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x/\alpha} - 1) & x \le 0 \end{cases}` },
    derivative: {
      text: "celu'(x) = 1 if x > 0, else e^{x/α}",
      latex: String.raw`f'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}`,
    },
    range: '(−α, ∞) = (−1, ∞)',
    derivativeRange: '(0, 1]',
    derivativeMax: 1,
    derivativeAtZero: 1,
    zeroCentred: false,
    monotonic: true,
    smooth: true,
    boundedAbove: false,
    boundedBelow: true,
    saturates: t('x → −∞: f → −α, f\' = e^{x/α} → 0', 'x → −∞：f → −α，f\' = e^{x/α} → 0'),
    deadZone: '',
    cost: 3,
    kinks: [],
    summary: t(
      'Continuously differentiable ELU: the negative branch is rescaled so its slope at 0 is 1 for every α, making f C¹ whatever α is (ELU is C¹ only at α = 1). With α = 1 it equals ELU.',
      '連續可微的 ELU：負區分支經過縮放，使其在 0 的斜率對任何 α 都是 1，因此無論 α 為何 f 都是 C¹（ELU 只有 α = 1 時才是）。α = 1 時與 ELU 相同。',
    ),
    advantages: bullets(
      ['C¹ for every α, so α can be tuned without creating a kink', '對任何 α 都是 C¹，調整 α 不會產生折點'],
      ['Keeps ELU’s benefits: no dead units, mean activation closer to 0', '保留 ELU 的優點：沒有死亡神經元，平均激活值更接近 0'],
    ),
    drawbacks: bullets(
      ['Costs an exponential and a division per element', '每個元素需一次指數與一次除法'],
      ['Saturates for x ≪ 0 like ELU', '與 ELU 一樣，x ≪ 0 時會飽和'],
      ['Rarely better than ELU in practice; α is one more hyper-parameter', '實務上很少優於 ELU；α 又是一個超參數'],
    ),
    paper: {
      authors: 'Jonathan T. Barron',
      title: 'Continuously Differentiable Exponential Linear Units',
      year: 2017,
      venue: 'arXiv:1704.07483',
    },
    related: ['elu', 'selu'],
  },
};
