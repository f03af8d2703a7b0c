/**
 * The smooth rectifiers of the ReLU family: softplus (ln(1 + e^{βx})/β, with
 * PyTorch's switch to the identity above a threshold) and squareplus (its
 * algebraic cousin, (x + √(x² + b))/2). Both are positive, increasing and
 * convex, and approach ReLU away from 0. Costs are operation-count estimates.
 */
import type { Buf } from '../tensor/dtype.js';
import { bullets, t } from './text.js';
import type { ActivationDef } from './types.js';

// ---------------------------------------------------------------------------
// softplus(x) = ln(1 + e^{βx})/β, and x once βx > threshold

/** Softplus exactly as PyTorch: x when βx > threshold, else log1p(e^{βx})/β (e^{βx} ≤ e^{threshold}, no overflow). */
export const softplus: ActivationDef = {
  name: 'softplus',
  family: 'relu',
  kind: 'elementwise',
  params: [
    {
      name: 'beta',
      default: 1,
      learnable: false,
      min: 0,
      minExclusive: true,
      doc: t('Sharpness β: larger β bends closer to ReLU', '陡峭度 β：β 越大越接近 ReLU'),
    },
    {
      name: 'threshold',
      default: 20,
      learnable: false,
      min: 0,
      minExclusive: true,
      doc: t('Above βx > threshold the identity is returned (as PyTorch)', '當 βx > threshold 時直接回傳 x（與 PyTorch 相同）'),
    },
  ],
  f: (x, p) => (p[0] * x > p[1] ? x : Math.log1p(Math.exp(p[0] * x)) / p[0]),
  // f' = e^{βx}/(e^{βx} + 1) = σ(βx) below the threshold, 1 above (PyTorch's softplus_backward)
  df: (x, p) => {
    const bx = p[0] * x;
    if (bx > p[1]) return 1;
    const e = Math.exp(bx);
    return e / (e + 1);
  },
  map(a: Buf, d: Buf, z: Buf, n: number, p: readonly number[]) {
    const beta = p[0];
    const th = p[1];
    for (let i = 0; i < n; i++) {
      const x = z[i];
      const bx = beta * x;
      if (bx > th) {
        a[i] = x;
        d[i] = 1;
      } else {
        const e = Math.exp(bx);
        a[i] = Math.log1p(e) / beta;
        d[i] = e / (e + 1);
      }
    }
  },
  meta: {
    formula: {
      text: 'softplus(x) = ln(1 + e^{βx})/β, and x where βx > threshold  (β = 1, threshold = 20)',
      latex: String.raw`f(x) = \tfrac{1}{\beta}\ln\!\left(1 + e^{\beta x}\right)`,
    },
    derivative: { text: "softplus'(x) = σ(βx) = 1/(1 + e^{−βx})", latex: String.raw`f'(x) = \sigma(\beta x) = \frac{1}{1 + e^{-\beta x}}` },
    range: '(0, ∞)',
    derivativeRange: '(0, 1]',
    derivativeMax: 1,
    derivativeAtZero: 0.5,
    zeroCentred: false,
    monotonic: true,
    smooth: true,
    boundedAbove: false,
    boundedBelow: true,
    saturates: t('x → −∞: f → 0, f\' = σ(βx) → 0 (below 0.01 for βx < −4.6)', 'x → −∞：f → 0，f\' = σ(βx) → 0（βx < −4.6 時低於 0.01）'),
    deadZone: '',
    cost: 4,
    kinks: [
      {
        at: 20,
        derivative: 0.9999999979388464,
        convention: t('not a kink of ln(1 + eˣ) but of PyTorch’s switch to x for βx > threshold: at βx = 20 itself f\' = σ(20); f jumps by ln(1 + e^{−20}) ≈ 2.1e-9 there', '這不是 ln(1 + eˣ) 的不可微點，而是 PyTorch 在 βx > threshold 時改用 x 造成的：在 βx = 20 處 f′ = σ(20)；f 在此跳動 ln(1 + e^{−20}) ≈ 2.1e-9'),
      },
    ],
    summary: t(
      'A smooth ReLU: ln(1 + eˣ), whose derivative is exactly the sigmoid. Positive everywhere, so no unit is ever dead, but it saturates for x ≪ 0 and its outputs are not zero-centred. It is the classic way to make a quantity positive (variances, scales).',
      '平滑的 ReLU：ln(1 + eˣ)，其導數正好是 sigmoid。處處為正，因此不會有死亡神經元，但 x ≪ 0 時會飽和，輸出也不是零中心。它是讓數值保持為正（變異數、尺度）的經典方式。',
    ),
    advantages: bullets(
      ['Smooth and strictly increasing: gradient everywhere, no dead units', '平滑且嚴格遞增：處處有梯度，沒有死亡神經元'],
      ['Derivative σ(βx) is at most 1: never amplifies the gradient', '導數 σ(βx) 不超過 1：不會放大梯度'],
      ['Natural for outputs that must be positive', '適合必須為正的輸出'],
    ),
    drawbacks: bullets(
      ['Saturates for x ≪ 0 (gradient σ(x) → 0) and f\'(0) is only 1/2', 'x ≪ 0 時飽和（梯度 σ(x) → 0），且 f\'(0) 只有 1/2'],
      ['exp and log1p per element: about 4× a ReLU', '每個元素需 exp 與 log1p：成本約為 ReLU 的 4 倍'],
      ['In practice usually trains no better than ReLU in hidden layers (Glorot et al. 2011)', '在隱藏層中實際訓練效果通常不比 ReLU 好（Glorot 等人 2011）'],
    ),
    paper: {
      authors: 'Charles Dugas, Yoshua Bengio, François Bélisle, Claude Nadeau, René Garcia',
      title: 'Incorporating Second-Order Functional Knowledge for Better Option Pricing',
      year: 2001,
      venue: 'NIPS 13 (2000), published 2001',
    },
    related: ['relu', 'squareplus', 'logsigmoid', 'mish', 'sigmoid'],
  },
};

// ---------------------------------------------------------------------------
// squareplus(x) = (x + √(x² + b))/2

/**
 * squareplus(x) and its derivative share h = √(x² + b) = hypot(x, √b) (no overflow at |x| ≈ 1e308).
 * For x < 0, x + h cancels, so it is rewritten as b/(2(h − x)) = (b/2h)/(1 − x/h).
 */
function squareplusF(x: number, b: number): number {
  const h = Math.hypot(x, Math.sqrt(b));
  return x >= 0 ? 0.5 * x + 0.5 * h : (0.5 * b) / h / (1 - x / h);
}

/** squareplus'(x) = (1 + x/h)/2, written as (b/2h²)/(1 − x/h) for x < 0 to avoid cancellation. */
function squareplusDF(x: number, b: number): number {
  const h = Math.hypot(x, Math.sqrt(b));
  return x >= 0 ? 0.5 + (0.5 * x) / h : (0.5 * b) / h / h / (1 - x / h);
}

/** Squareplus (b = 4): (x + √(x² + b))/2, a softplus-like rectifier with only a square root. */
export const squareplus: ActivationDef = {
  name: 'squareplus',
  family: 'relu',
  kind: 'elementwise',
  params: [
    {
      name: 'b',
      default: 4,
      learnable: false,
      min: 0,
      minExclusive: true,
      doc: t('Curvature near 0: f(0) = √b/2; b → 0 gives ReLU (Keras default 4)', '0 附近的曲率：f(0) = √b/2；b → 0 時即為 ReLU（Keras 預設 4）'),
    },
  ],
  f: (x, p) => squareplusF(x, p[0]),
  df: (x, p) => squareplusDF(x, p[0]),
  meta: {
    formula: { text: 'squareplus(x) = (x + √(x² + b))/2  (b = 4)', latex: String.raw`f(x) = \frac{x + \sqrt{x^2 + b}}{2}` },
    derivative: { text: "squareplus'(x) = (1 + x/√(x² + b))/2", latex: String.raw`f'(x) = \frac12\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)` },
    range: '(0, ∞)',
    derivativeRange: '(0, 1)',
    derivativeMax: 1,
    derivativeAtZero: 0.5,
    zeroCentred: false,
    monotonic: true,
    smooth: true,
    boundedAbove: false,
    boundedBelow: true,
    saturates: t('x → −∞: f\' ≈ b/(4x²) → 0, only polynomially (slower than softplus)', 'x → −∞：f\' ≈ b/(4x²) → 0，僅以多項式速度衰減（比 softplus 慢）'),
    deadZone: '',
    cost: 2,
    kinks: [],
    summary: t(
      'An algebraic softplus: (x + √(x² + b))/2 uses one square root instead of an exponential and a logarithm. Positive, increasing and smooth; with b = 4 it is close to softplus near 0 and to ReLU far from it.',
      '代數版的 softplus：(x + √(x² + b))/2 只需一次平方根，不必計算指數與對數。處處為正、遞增且平滑；b = 4 時在 0 附近接近 softplus，遠離 0 時接近 ReLU。',
    ),
    advantages: bullets(
      ['Only a square root: cheaper than softplus on most hardware', '只需一次平方根：在多數硬體上比 softplus 便宜'],
      ['Its gradient decays only like 1/x² for x ≪ 0, so it saturates more slowly than softplus', 'x ≪ 0 時梯度只以 1/x² 衰減，飽和得比 softplus 慢'],
    ),
    drawbacks: bullets(
      ['Still saturates for x ≪ 0 and is not zero-centred', 'x ≪ 0 時仍會飽和，且非零中心'],
      ['f\'(0) = 1/2 and f(0) = √b/2 > 0, like softplus', '與 softplus 一樣 f\'(0) = 1/2，且 f(0) = √b/2 > 0'],
      ['Little evidence yet that it trains better than ReLU', '目前尚少證據顯示其訓練效果優於 ReLU'],
    ),
    paper: { authors: 'Jonathan T. Barron', title: 'Squareplus: A Softplus-Like Algebraic Rectifier', year: 2021, venue: 'arXiv:2112.11687' },
    related: ['softplus', 'relu'],
  },
};
