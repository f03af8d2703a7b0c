/**
 * The lab's interface texts in English and Traditional Chinese (the
 * catalogue's own texts come with each entry). One table, so a missing
 * translation is a type error, not a blank label.
 */
import { t } from '../activations/text.js';
import type { Lang, Text } from '../activations/types.js';

/** Every interface text, by key. */
export const UI = {
  title: t('gradscope lab', 'gradscope 實驗室'),
  tagline: t('Vanishing and exploding gradients, and how to choose an activation function.', '梯度消失與梯度爆炸，以及如何選擇激活函數。'),
  navActivations: t('Activations', '激活函數'),
  navPlayground: t('Playground', '訓練場'),
  navReport: t('Report', '研究報告'),
  language: t('Language', '語言'),
  skip: t('Skip to content', '跳到主要內容'),

  // explorer
  familyMap: t('The three families', '三大家族'),
  familyMapHelp: t('Choose a function to see its formula, f and f′ on the same axes, and its properties. Related functions are outlined; dashed chips belong to another family but are related to this one.', '選擇一個函數，查看它的公式、在同一座標軸上的 f 與 f′，以及它的性質。相關的函數會加上外框；虛線框表示屬於其他家族、但與此家族相關的函數。'),
  seeAlso: t('see also', '另見'),
  formula: t('Formula', '公式'),
  derivative: t('Derivative', '導數'),
  plot: t('f and f′', 'f 與 f′'),
  plotAria: t('Plot of {name} and its derivative from x = −6 to 6', '{name} 及其導數在 x = −6 到 6 的圖形'),
  showF: t('show f', '顯示 f'),
  showDf: t('show f′', '顯示 f′'),
  compareWith: t('Overlay for comparison', '疊加比較'),
  compareAdd: t('Add a function…', '加入函數…'),
  compareRemove: t('Remove {name} from the comparison', '從比較中移除 {name}'),
  parameters: t('Parameters', '參數'),
  learnable: t('learnable', '可學習'),
  resetParams: t('Reset to defaults', '恢復預設值'),
  legendBelowOne: t("|f′| < 1: each layer shrinks the gradient here", '|f′| < 1：梯度每經過一層就在此縮小'),
  legendDead: t("f′ = 0: dead zone, no gradient passes", 'f′ = 0：死區，梯度無法通過'),
  legendMax: t("max |f′| = {v}", '最大 |f′| = {v}'),
  quarterNote: t("σ′ never exceeds 1/4: through n sigmoid layers the gradient shrinks by at least 4ⁿ (times the weights).", 'σ′ 永遠不超過 1/4：經過 n 個 sigmoid 層，梯度至少縮小 4ⁿ 倍（再乘上權重）。'),
  notElementwise: t('{name} is not an elementwise function, so it has no curve f(x).', '{name} 不是逐元素函數，因此沒有 f(x) 曲線。'),
  softmaxNote: t('softmax(z)ⱼ = e^{zⱼ}/Σₖ e^{zₖ} normalises a whole row of logits into probabilities; it belongs in a multi-class output layer, where with cross-entropy δᴸ = a − y.', 'softmax(z)ⱼ = e^{zⱼ}/Σₖ e^{zₖ} 把整列 logits 正規化為機率；它用於多類別輸出層，搭配交叉熵時 δᴸ = a − y。'),
  maxoutNote: t('maxout is a layer: each unit outputs the maximum of k linear pieces, max(w₁·a + b₁, …, w_k·a + b_k); the gradient flows through the winning piece with slope 1.', 'maxout 是一種層：每個神經元輸出 k 個線性片段的最大值 max(w₁·a + b₁, …, w_k·a + b_k)；梯度以斜率 1 通過勝出的片段。'),
  properties: t('Properties', '性質'),
  defaultsNote: t('with the default parameters', '以預設參數計'),
  advantages: t('Advantages', '優點'),
  drawbacks: t('Drawbacks', '缺點'),
  kinks: t('Kinks and conventions', '不可微點與約定'),
  related: t('Related', '相關函數'),
  paper: t('Introduced in', '出處'),
  propRange: t('Range of f', 'f 的值域'),
  propDRange: t("Range of f′", 'f′ 的值域'),
  propDMax: t("max |f′|", '最大 |f′|'),
  propD0: t("f′(0)", 'f′(0)'),
  propZeroCentred: t('Zero-centred', '零中心'),
  propMonotonic: t('Monotonic', '單調'),
  propSmooth: t('Smooth (C¹)', '平滑（C¹）'),
  propBounded: t('Bounded', '有界'),
  propSaturates: t('Saturates', '飽和區'),
  propDeadZone: t('Dead zone', '死區'),
  propCost: t('Relative cost (ReLU = 1)', '相對計算成本（ReLU = 1）'),
  propFamily: t('Family', '家族'),
  yes: t('yes', '是'),
  no: t('no', '否'),
  none: t('none', '無'),
  above: t('above', '上方'),
  below: t('below', '下方'),
  at: t('at x = {x}: f′ = {d} ({c})', '在 x = {x}：f′ = {d}（{c}）'),

  // playground
  presets: t('Presets', '預設情境'),
  presetsHelp: t('Each preset sets up a small experiment and trains it; the text says what to look for.', '每個預設情境會設定一個小實驗並開始訓練；說明文字告訴你該觀察什麼。'),
  groupData: t('Data', '資料'),
  groupNetwork: t('Network', '網路'),
  groupTraining: t('Training', '訓練'),
  groupRemedies: t('Remedies', '補救方法'),
  remediesHelp: t('Remedies besides the activation and the initialiser; each is one entry of the settings table.', '激活函數與初始化以外的補救方法；每一項都是設定表中的一個條目。'),
  off: t('off', '關閉'),
  perLayer: t('Set the activation of each layer', '逐層設定激活函數'),
  layerN: t('Layer {n}', '第 {n} 層'),
  play: t('Play', '播放'),
  pause: t('Pause', '暫停'),
  step: t('Step', '單步'),
  reset: t('Reset', '重設'),
  copyLink: t('Copy link', '複製連結'),
  linkCopied: t('Link copied', '已複製連結'),
  stepCount: t('step {n} of {m}', '第 {n} 步，共 {m} 步'),
  speed: t('{n} steps/s', '每秒 {n} 步'),
  loadingDigits: t('Loading the digits (about 1.6 MB)…', '正在載入手寫數字（約 1.6 MB）…'),
  building: t('Building the network…', '正在建立網路…'),
  invalidParams: t('These URL values were not valid and were replaced by defaults: {keys}.', '網址中的這些值無效，已改用預設值：{keys}。'),
  network: t('{sizes} — {params} parameters, {train} training and {test} test examples', '{sizes} — {params} 個參數，{train} 個訓練樣本與 {test} 個測試樣本'),
  chartLoss: t('Loss and accuracy', '損失與準確率'),
  chartLossAria: t('Training loss per step and test accuracy per probe', '每一步的訓練損失與每次探測的測試準確率'),
  lossAxis: t('loss', '損失'),
  accuracyAxis: t('accuracy', '準確率'),
  trainLoss: t('training loss', '訓練損失'),
  testAcc: t('test accuracy', '測試準確率'),
  trainAcc: t('training accuracy', '訓練準確率'),
  stepAxis: t('step', '步數'),
  layerAxis: t('layer', '層'),
  chartGrad: t('Speed of learning: ‖∂C/∂bˡ‖ per layer', '學習速度：各層的 ‖∂C/∂bˡ‖'),
  chartGradHelp: t('Nielsen\'s measure of how fast each layer learns, on a log scale. Lines far apart mean early layers learn orders of magnitude slower (vanishing) or faster (exploding).', 'Nielsen 用來衡量各層學習快慢的指標（對數刻度）。線條相距很遠，表示前面的層學得慢了好幾個數量級（消失）或快得多（爆炸）。'),
  chartGradAria: t('Gradient norm of every layer over the training steps, logarithmic scale', '各層梯度範數隨訓練步數的變化（對數刻度）'),
  gradAxis: t('‖∂C/∂b‖ (log)', '‖∂C/∂b‖（對數）'),
  layerLabel: t('layer {n}', '第 {n} 層'),
  chartHeat: t('Layer × time', '層 × 時間'),
  chartHeatHelp: t('Colour is log₁₀ ‖∂C/∂bˡ‖: each row a layer (input at the bottom), each column a moment of training.', '顏色代表 log₁₀ ‖∂C/∂bˡ‖：每一列是一層（輸入層在下），每一欄是訓練中的某一時刻。'),
  chartHeatAria: t('Heatmap of the gradient norm of each layer over time', '各層梯度範數隨時間變化的熱度圖'),
  chartProfile: t('Gradient by layer now', '目前各層的梯度'),
  chartProfileAria: t('Gradient norm of each layer at the latest probe, logarithmic scale', '最新一次探測時各層的梯度範數（對數刻度）'),
  atInit: t('at initialisation', '初始化時'),
  now: t('now (step {n})', '目前（第 {n} 步）'),
  chartUnits: t('Saturated and dead units', '飽和與死亡的神經元'),
  chartUnitsAria: t('Fraction of saturated and dead units in each layer at the latest probe', '最新一次探測時各層飽和與死亡神經元的比例'),
  saturated: t('saturated', '飽和'),
  dead: t('dead', '死亡'),
  fraction: t('fraction', '比例'),
  chartBoundary: t('Decision boundary', '決策邊界'),
  chartBoundaryAria: t('The training points over the class the network predicts at each point of the plane', '訓練資料點與網路在平面上各點預測的類別'),
  boundaryDigits: t('The decision boundary is drawn for the 2-D data sets; the digits live in 784 dimensions.', '決策邊界只適用於二維資料集；手寫數字位於 784 維空間。'),
  verdict: t('Verdict', '診斷結果'),
  remedies: t('What to try', '可以嘗試'),
  firstToLast: t('first-to-last ratio {r}', '首末層比值 {r}'),
  nonFiniteTitle: t('Training stopped: a value became infinite or NaN', '訓練已停止：出現了無窮大或 NaN'),
  nonFiniteWhy: t('Each layer multiplies the signal and the gradient by a factor |w·f′(z)|; when the factors exceed 1 their product grows exponentially with depth until it passes the largest float32 (≈ 3.4·10³⁸). The charts stop at the last finite values.', '每一層都把訊號與梯度乘上一個因子 |w·f′(z)|；當因子大於 1，乘積會隨深度指數成長，直到超過 float32 的最大值（約 3.4·10³⁸）。圖表停在最後的有限值。'),
  finished: t('Finished: {n} steps.', '完成：共 {n} 步。'),
  errorTitle: t('The run could not start', '無法開始訓練'),

  // report
  reportTitle: t('Study report', '研究報告'),
  reportIntro: t('Open the results.json written by gradscope study (report/results.json) to see its sections and charts here. Under gradscope serve, the served report loads by itself.', '開啟 gradscope study 產生的 results.json（report/results.json），即可在此查看各節內容與圖表。透過 gradscope serve 開啟時，會自動載入伺服器上的報告。'),
  reportOpen: t('Open results.json…', '開啟 results.json…'),
  reportServed: t('Load the served report', '載入伺服器上的報告'),
  reportNone: t('No report is served here (run gradscope study, then gradscope serve), or open a file.', '這裡沒有提供報告（請先執行 gradscope study，再執行 gradscope serve），或開啟檔案。'),
  reportBad: t('{file} is not a study report: {why}', '{file} 不是研究報告：{why}'),
  reportFrom: t('Report of {date}, seed {seed}, {mode} run', '{date} 的報告，種子 {seed}，{mode}執行'),
  quick: t('quick', '快速'),
  full: t('full', '完整'),
} satisfies Record<string, Text>;

/** An interface text key. */
export type UiKey = keyof typeof UI;

/** The text of `key` in `lang`, with {name} placeholders filled from `vars`. */
export function tr(lang: Lang, key: UiKey, vars: Readonly<Record<string, string | number>> = {}): string {
  return UI[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** The text of a bilingual value in `lang`, falling back to English when a translation is empty. */
export function textOf(lang: Lang, x: Text | string): string {
  if (typeof x === 'string') return x;
  return x[lang] || x.en;
}
