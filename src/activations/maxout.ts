/**
 * Maxout's catalogue entry. Maxout is not a function of one number: each unit
 * takes the maximum of k affine pieces of the whole input, so it is a layer
 * (src/nn/maxout.ts). The entry exists so the catalogue can describe it and
 * so `--act maxout` can pick it; its f and df throw.
 */
import { bullets, NO_TEXT, t } from './text.js';
import type { ActivationDef } from './types.js';

/** Why maxout has no scalar f or f'. */
export const MAXOUT_NOT_ELEMENTWISE = 'maxout is a layer (max over k linear pieces), not an elementwise function; use it in a model';

/** Throws: maxout has no scalar form. */
function notElementwise(): never {
  throw new TypeError(MAXOUT_NOT_ELEMENTWISE);
}

/** Maxout (kind 'layer'): a_o = max_j (w_{o,j}·x + b_{o,j}) over `pieces` affine pieces. */
export const maxout: ActivationDef = {
  name: 'maxout',
  family: 'relu',
  kind: 'layer',
  params: [
    {
      name: 'pieces',
      default: 2,
      learnable: false,
      min: 1,
      doc: t('Number k of affine pieces per unit (an integer; k = 1 is a plain linear layer)', '每個單元的仿射片段數 k（整數；k = 1 即為普通線性層）'),
    },
  ],
  f: notElementwise,
  df: notElementwise,
  meta: {
    formula: { text: 'maxout(x)_o = max_{j=1..k} (w_{o,j}·x + b_{o,j})  (k = 2)', latex: String.raw`h_o(x) = \max_{j = 1..k} \left(w_{o,j}^\top x + b_{o,j}\right)` },
    derivative: {
      text: '∂h_o/∂z_{o,j} = 1 for the winning piece, 0 for the others',
      latex: String.raw`\frac{\partial h_o}{\partial z_{o,j}} = \begin{cases} 1 & j = \arg\max_i z_{o,i} \\ 0 & \text{otherwise} \end{cases}`,
    },
    range: '(−∞, ∞)',
    derivativeRange: '{0, 1} per piece',
    derivativeMax: 1,
    derivativeAtZero: 1,
    zeroCentred: false,
    monotonic: true,
    smooth: false,
    boundedAbove: false,
    boundedBelow: false,
    saturates: NO_TEXT,
    deadZone: '',
    cost: 2,
    kinks: [{ at: 0, derivative: 1, convention: t('at a tie between pieces (z_{o,i} − z_{o,j} = 0) the gradient goes to the first maximal piece', '片段之間平手時（z_{o,i} − z_{o,j} = 0），梯度交給第一個取得最大值的片段') }],
    summary: t(
      'Each unit outputs the largest of k learned affine functions of its input, so the layer learns its own convex piecewise-linear activation (ReLU and leaky ReLU are special cases with k = 2). The gradient always flows with slope 1 through the winning piece. In gradscope it is a layer type; the cost is k times a dense layer.',
      '每個單元輸出 k 個可學習仿射函數中的最大值，因此該層能學出自己的凸分段線性激活函數（ReLU 與 Leaky ReLU 是 k = 2 的特例）。梯度永遠以斜率 1 經由勝出的片段傳遞。在 gradscope 中它是一種層；成本是密集層的 k 倍。',
    ),
    advantages: bullets(
      ['Never saturates and a unit never dies for all inputs: some piece always passes the gradient with slope 1', '不會飽和，單元也不會對所有輸入都死亡：總有一個片段以斜率 1 傳遞梯度'],
      ['Learns the shape of its activation; universal approximator of convex functions with enough pieces', '能學出激活函數的形狀；片段足夠時可逼近任意凸函數'],
      ['Designed to work with dropout (Goodfellow et al.)', '專為搭配 dropout 而設計（Goodfellow 等人）'],
    ),
    drawbacks: bullets(
      ['k times the parameters and the matrix work of a dense layer', '參數量與矩陣運算量是密集層的 k 倍'],
      ['Unbounded in both directions: activations can grow with depth', '上下皆無界：激活值可能隨深度增大'],
      ['Not an elementwise function: cannot be swapped in for an activation', '並非逐元素函數：無法直接取代一般激活函數'],
    ),
    paper: {
      authors: 'Ian J. Goodfellow, David Warde-Farley, Mehdi Mirza, Aaron Courville, Yoshua Bengio',
      title: 'Maxout Networks',
      year: 2013,
      venue: 'ICML 2013',
    },
    related: ['relu', 'leaky_relu', 'prelu'],
  },
};
