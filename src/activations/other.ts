/**
 * The entries outside the three families: `linear` (the identity, for
 * regression outputs and as a baseline) and `softmax` (a vector function for
 * multi-class output layers, whose row kernels are in softmax.ts).
 */
import type { Buf } from '../tensor/dtype.js';
import { bullets, NO_TEXT, t } from './text.js';
import type { ActivationDef } from './types.js';

// ---------------------------------------------------------------------------
// linear(x) = x

/** The identity: f(x) = x, f'(x) = 1. */
export const linear: ActivationDef = {
  name: 'linear',
  family: 'other',
  kind: 'elementwise',
  params: [],
  f: (x) => x,
  df: (x) => (x === x ? 1 : x), // NaN in, NaN out
  map(a: Buf, d: Buf, z: Buf, n: number) {
    for (let i = 0; i < n; i++) {
      const x = z[i];
      a[i] = x;
      d[i] = x === x ? 1 : x;
    }
  },
  meta: {
    formula: { text: 'linear(x) = x', latex: String.raw`f(x) = x` },
    derivative: { text: "linear'(x) = 1", latex: String.raw`f'(x) = 1` },
    range: '(−∞, ∞)',
    derivativeRange: '{1}',
    derivativeMax: 1,
    derivativeAtZero: 1,
    zeroCentred: true,
    monotonic: true,
    smooth: true,
    boundedAbove: false,
    boundedBelow: false,
    saturates: NO_TEXT,
    deadZone: '',
    cost: 0.5,
    kinks: [],
    summary: t(
      'No activation at all. A stack of linear layers is a single linear map, so it adds no expressive power; it is the output of regression networks and the baseline in which only the weights decide whether gradients vanish or explode.',
      '完全沒有激活函數。多層線性層疊起來仍只是一個線性映射，不會增加表達能力；它用於迴歸網路的輸出，也是一個基準：梯度是否消失或爆炸完全由權重決定。',
    ),
    advantages: bullets(
      ['f\' = 1: the activation itself never shrinks or grows the gradient', 'f\' = 1：激活函數本身永不縮小或放大梯度'],
      ['The right output for unbounded regression targets', '適合無界迴歸目標的輸出層'],
    ),
    drawbacks: bullets(
      ['No nonlinearity: a deep linear network computes only a linear function', '沒有非線性：深層線性網路只能計算線性函數'],
      ['Unbounded: with large weights activations explode', '無界：權重過大時激活值會爆炸'],
    ),
    paper: { authors: 'Bernard Widrow, Marcian E. Hoff', title: 'Adaptive Switching Circuits', year: 1960, venue: 'IRE WESCON Convention Record (the ADALINE, a linear unit)' },
    related: ['relu', 'softmax'],
  },
};

// ---------------------------------------------------------------------------
// softmax(z)_j = e^{z_j}/Σ_k e^{z_k}  (a whole row at a time)

/** Why softmax has no scalar f or f'. */
export const SOFTMAX_NOT_ELEMENTWISE =
  'softmax is a vector function (it normalises a whole row), not an elementwise one; use softmaxRows, or evalActivation for one vector';

/** Throws: softmax has no scalar form. */
function vectorOnly(): never {
  throw new TypeError(SOFTMAX_NOT_ELEMENTWISE);
}

/** Softmax (kind 'vector'): a row of logits to a probability vector; the kernels are in softmax.ts. */
export const softmax: ActivationDef = {
  name: 'softmax',
  family: 'other',
  kind: 'vector',
  params: [],
  f: vectorOnly,
  df: vectorOnly,
  meta: {
    formula: { text: 'softmax(z)_j = e^{z_j} / Σ_k e^{z_k}', latex: String.raw`\mathrm{softmax}(z)_j = \frac{e^{z_j}}{\sum_k e^{z_k}}` },
    derivative: {
      text: '∂s_j/∂z_k = s_j(δ_jk − s_k); diagonal s_j(1 − s_j)',
      latex: String.raw`\frac{\partial s_j}{\partial z_k} = s_j(\delta_{jk} - s_k)`,
    },
    range: '(0, 1) per component; each row sums to 1',
    derivativeRange: 'diagonal (0, 1/4], off-diagonal [−1/4, 0)',
    derivativeMax: 0.25,
    // the diagonal s(1 − s) at equal logits for two classes (s = 1/2); for C classes it is (1/C)(1 − 1/C)
    derivativeAtZero: 0.25,
    zeroCentred: false,
    monotonic: true,
    smooth: true,
    boundedAbove: true,
    boundedBelow: true,
    saturates: t(
      'when one logit dominates (s_j → 0 or 1) the Jacobian → 0; with cross-entropy the output error is a − y and does not saturate',
      '當某個 logit 遠大於其他時（s_j → 0 或 1），Jacobian → 0；搭配交叉熵時輸出誤差為 a − y，不會飽和',
    ),
    deadZone: '',
    cost: 5,
    kinks: [],
    summary: t(
      'Turns a row of C logits into probabilities that sum to 1; the output layer for multi-class classification, paired with cross-entropy so that the output error is simply a − y. Computed with the row maximum subtracted, so it never overflows. Not for hidden layers.',
      '把一列 C 個 logit 轉成總和為 1 的機率；是多類別分類的輸出層，搭配交叉熵時輸出誤差就是 a − y。計算時先減去該列最大值，因此永不溢位。不用於隱藏層。',
    ),
    advantages: bullets(
      ['Outputs a probability distribution over the classes', '輸出各類別的機率分布'],
      ['With cross-entropy the gradient a − y does not vanish when the prediction is wrong', '搭配交叉熵時，預測錯誤時梯度 a − y 不會消失'],
    ),
    drawbacks: bullets(
      ['Saturates when one logit dominates: with a quadratic loss learning slows down', '某個 logit 佔優勢時會飽和：搭配平方損失時學習變慢'],
      ['Couples all units of a row: not an elementwise activation', '同一列的所有單元互相耦合：並非逐元素激活函數'],
    ),
    paper: {
      authors: 'John S. Bridle',
      title: 'Probabilistic Interpretation of Feedforward Classification Network Outputs, with Relationships to Statistical Pattern Recognition',
      year: 1990,
      venue: 'Neurocomputing: Algorithms, Architectures and Applications, NATO ASI Series F68',
    },
    related: ['sigmoid', 'logsigmoid', 'linear'],
  },
};
