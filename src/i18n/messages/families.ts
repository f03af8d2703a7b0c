/**
 * The report's "three families" section: the three mind maps of activation
 * functions (ReLU, tanh and sigmoid families, and identity/softmax), and the
 * card of each variant.
 */
import { t } from '../lang.js';

/** The families section's sentences and labels, by key. */
export const FAMILY_TEXT = {
  'fam.title': t('The three families', '激活函數的三大家族'),
  'fam.intro': t(
    'The catalogue\'s {n} activation functions as three maps — ReLU and its variants, tanh and its variants, sigmoid and its variants — and the identity and softmax beside them. Each map shows how the variants descend from the family\'s root and what each one changes; links to other families are listed under it. Every function then has a card: f (solid) and f′ (dashed) on the same axes, its formula and derivative, and what matters for the gradient. The numbers in the cards were measured from f and f′ in this run, with the default parameters.',
    '函數目錄中的 {n} 個激活函數整理成三張圖：ReLU 及其變體、tanh 及其變體、sigmoid 及其變體，另附恆等函數與 softmax。每張圖呈現各變體如何由家族的根衍生、各自改變了什麼；與其他家族的關聯列在圖下。接著每個函數各有一張卡片：f（實線）與 f′（虛線）畫在同一座標軸上，附上公式、導數，以及與梯度有關的性質。卡片中的數字是本次執行以預設參數從 f 與 f′ 實際量得的。',
  ),
  'fam.claim': t(
    'Through a layer the gradient is multiplied by f′(z) (times the weights). What decides whether a family makes the gradient vanish is the size of f′ where the pre-activations z fall: at most 1/4 for the sigmoid family, 1 at z = 0 but falling fast for the tanh family, exactly 1 for the active half of the ReLU family.',
    '梯度每經過一層就乘上 f′(z)（再乘上權重）。一個家族會不會造成梯度消失，取決於預激活值 z 所在之處 f′ 的大小：sigmoid 家族最多 1/4；tanh 家族在 z = 0 時為 1，但很快下降；ReLU 家族在激活的那一半恰為 1。',
  ),
  'fam.meaning': t(
    'Read across the maps: E[f′(X)²] is the factor by which one layer multiplies the gradient\'s mean square when z ~ N(0, 1) and the weights keep unit variance — below 1 it vanishes with depth. For the sigmoid family it is at most {sig}; for tanh {tanh}; for relu {relu} (half the units pass 1, half pass 0, which He initialisation\'s factor 2 makes up).',
    '橫向比較三張圖：E[f′(X)²] 是當 z ~ N(0, 1) 且權重保持單位變異數時，一層把梯度均方放大的倍數——小於 1 就會隨深度消失。sigmoid 家族最多為 {sig}；tanh 為 {tanh}；relu 為 {relu}（一半的神經元傳 1、一半傳 0，He 初始化的因子 2 正好補回）。',
  ),
  'fam.map': t('Map of the {family}', '{family}關係圖'),
  'fam.root': t('root', '根'),
  'fam.links': t('Links to other families', '與其他家族的關聯'),
  'fam.seeAlso': t('see also {name} ({family})', '另見 {name}（{family}）'),
  'fam.card.formula': t('f(x)', 'f(x)'),
  'fam.card.derivative': t('f′(x)', 'f′(x)'),
  'fam.card.dmax': t('max |f′|', '最大 |f′|'),
  'fam.card.dmaxAt': t('{v} at x = {x}', '{v}（x = {x}）'),
  'fam.card.zeroCentred': t('zero-centred', '零中心'),
  'fam.card.zeroCentredValue': t('{yes} (E[f(X)] = {mean})', '{yes}（E[f(X)] = {mean}）'),
  'fam.card.deadZone': t('dead zone', '死區'),
  'fam.card.deadZoneValue': t('{zone} (P = {p} for X ~ N(0, 1))', '{zone}（X ~ N(0, 1) 時 P = {p}）'),
  'fam.card.saturates': t('saturates', '飽和'),
  'fam.card.gain': t('E[f′(X)²]', 'E[f′(X)²]'),
  'fam.card.cost': t('cost (ReLU = 1)', '成本（ReLU = 1）'),
  'fam.card.params': t('parameters', '參數'),
  'fam.card.pros': t('Advantages', '優點'),
  'fam.card.cons': t('Drawbacks', '缺點'),
  'fam.card.paper': t('Introduced in', '出處'),
  'fam.card.noCurve': t('{name} is not an elementwise function: it has no curve f(x).', '{name} 不是逐元素函數：沒有 f(x) 曲線。'),
  'fam.card.plotAria': t('f and f′ of {name} on [−4, 4]', '{name} 的 f 與 f′，x ∈ [−4, 4]'),
  'fam.legend': t('In every plot x runs from −4 to 4 and y from −1.5 to 2.5; the solid line is f, the dashed line f′, the grey lines the axes.', '每張小圖的 x 範圍為 −4 到 4、y 範圍為 −1.5 到 2.5；實線為 f，虛線為 f′，灰線為座標軸。'),
  'fam.missing': t('The three families', '三大家族'),
} as const;
