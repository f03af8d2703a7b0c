/**
 * The verdict in words: each kind's title, the cause of the primary finding
 * with its numbers, and the remedies in order of expected effect. The
 * decision is made in src/diagnostics/verdict.ts; only its wording is here.
 */
import { t } from '../lang.js';

/** The verdict's sentences, by key. */
export const VERDICT = {
  'v.title.vanishing': t('Vanishing gradient', '梯度消失'),
  'v.title.exploding': t('Exploding gradient', '梯度爆炸'),
  'v.title.dead': t('Dead units', '神經元死亡'),
  'v.title.saturated': t('Saturated units', '神經元飽和'),
  'v.title.collapsed': t('Collapsed representations', '表徵塌縮'),
  'v.title.healthy': t('Healthy gradient flow', '梯度流動正常'),

  // causes
  'v.cause.nonFinite': t("A non-finite value appeared ({where}): the per-layer factors |w·f'(z)| exceed 1 and their product overflowed.", "出現了非有限值（{where}）：各層的因子 |w·f'(z)| 大於 1，乘積溢位。"),
  'v.cause.nonFinite.weight': t('A non-finite value appeared ({where}) while the gradients were finite: the update η·∂C/∂w overflowed the weights — the step size is far too large for these gradients.', '出現了非有限值（{where}），而梯度仍是有限值：更新量 η·∂C/∂w 讓權重溢位——步長對這些梯度來說太大了。'),
  'v.cause.nonFinite.activation': t('A non-finite value appeared ({where}) in the forward pass: the weights grew until the activations overflowed, before any gradient could.', '出現了非有限值（{where}），發生在前向傳播中：權重增長到讓活化值溢位，比梯度更早出問題。'),
  'v.cause.nonFinite.loss': t('A non-finite value appeared ({where}): the loss itself overflowed (an output saturated where the loss takes a logarithm, or the outputs overflowed).', '出現了非有限值（{where}）：損失本身溢位（輸出飽和而損失取了對數，或輸出溢位）。'),
  'v.where.norm': t('layer {layer}: a gradient norm is not finite', '第 {layer} 層：梯度範數不是有限值'),
  'v.cause.explodingRatio': t("The first layer's gradient is {r}× the last hidden layer's (> {th}): the factors w·f'(z) exceed 1 and multiply up toward the input.", "第一層的梯度是最後一個隱藏層的 {r} 倍（> {th}）：因子 w·f'(z) 大於 1，往輸入端連乘放大。"),
  'v.cause.deadBlocking': t("Layer {layer} ({act}) is entirely dead — f'(z) = 0 for all {units:units} on every example — so no gradient passes below it: {below}{all}.", "第 {layer} 層（{act}）完全死亡——{units} 個神經元在每個樣本上都是 f'(z) = 0——梯度無法傳到它下方：{below}{all}。"),
  'v.below.self': t('layer 1 itself gets a gradient of exactly 0', '第 1 層本身的梯度恰為 0'),
  'v.below.range': t('layers 1–{layer} get a gradient of exactly 0', '第 1–{layer} 層的梯度恰為 0'),
  'v.deadAll': t(' ({n} hidden layers are entirely dead; this is the one nearest the output, where the backward pass stops)', '（共有 {n} 個隱藏層完全死亡；這是最靠近輸出的一層，反向傳播在此中斷）'),
  'v.cause.dead': t("{pct} % of the units of layer {layer} ({act}) have f'(z) = 0 on every example — the largest dead fraction of any hidden layer{over}: they pass no gradient and no longer learn.", "第 {layer} 層（{act}）有 {pct} % 的神經元在每個樣本上 f'(z) = 0——是所有隱藏層中死亡比例最高的{over}：它們不傳遞梯度，也不再學習。"),
  'v.deadOver': t('; {n} hidden layers are more than {pct} % dead', '；有 {n} 個隱藏層的死亡比例超過 {pct} %'),
  'v.cause.vanishingZero': t("The first layer's gradient is exactly 0 (the last hidden layer's is {last}): it underflowed on the way back, each layer multiplying it by a factor |w·f'(z)| below 1 (mean |f'| of layer 1: {d1}), and no layer is entirely dead.", "第一層的梯度恰為 0（最後一個隱藏層為 {last}）：它在反向傳播途中下溢——每一層都把它乘上一個小於 1 的因子 |w·f'(z)|（第 1 層的平均 |f'|：{d1}），而且沒有任何一層完全死亡。"),
  'v.cause.vanishing': t("The first layer's gradient is {r}× the last hidden layer's (< {th}): each layer multiplies it by a factor |w·f'(z)| below 1 (mean |f'| of layer 1: {d1}), so early layers learn about {slower}× slower.", "第一層的梯度只有最後一個隱藏層的 {r} 倍（< {th}）：每一層都把梯度乘上一個小於 1 的因子 |w·f'(z)|（第 1 層的平均 |f'|：{d1}），因此前面的層大約學得慢 {slower} 倍。"),
  'v.cause.saturated': t("{pct} % of the pre-activations of layer {layer} ({act}) sit where |f'(z)| < 1e-3·max|f'| — the largest saturated fraction of any hidden layer: the layer passes almost no gradient.", "第 {layer} 層（{act}）有 {pct} % 的預激活值落在 |f'(z)| < 1e-3·max|f'| 的區域——是所有隱藏層中飽和比例最高的：這一層幾乎不傳遞梯度。"),
  'v.cause.collapsed': t("The pre-activations of different inputs have nearly merged: in the last hidden layer ({layer}) their mean pairwise cosine similarity is {c} (≥ {th}; it first reaches that at layer {first}). The directions of two inputs' pre-activations differ by about √(2(1 − c)) = {apart} % of their length, so the output barely depends on the input, although gradients of a usable size reach every layer{ratio} — the ordered phase of signal propagation.", '不同輸入的預激活值幾乎合而為一：最後一個隱藏層（第 {layer} 層）的平均兩兩餘弦相似度為 {c}（≥ {th}；從第 {first} 層起就達到此值）。兩個輸入的預激活值方向只相差約 √(2(1 − c)) = {apart} % 的長度，因此輸出幾乎不依賴輸入，儘管大小可用的梯度仍到達每一層{ratio}——這是訊號傳播的有序相。'),
  'v.ratioParen': t(' (first-to-last ratio {r})', '（首末層比值 {r}）'),
  'v.cause.healthy': t("Gradients reach every layer within the thresholds ({r}; vanishing below {van}, exploding above {exp}), with no hidden layer mostly dead or saturated and the last hidden layer's input correlation below {col}.{drift}", '梯度以相近的尺度到達每一層（{r}；低於 {van} 為消失，高於 {exp} 為爆炸），沒有任何隱藏層大多死亡或飽和，最後一個隱藏層的輸入相關也低於 {col}。{drift}'),
  'v.ratioIs': t('first-to-last ratio {r}', '首末層比值 {r}'),
  'v.noHidden': t('no hidden layer to compare', '沒有可比較的隱藏層'),
  'v.driftVanish': t(' Still, the first layer learns {x}× slower than the last hidden layer: more depth would make it vanish.', '不過，第一層仍比最後一個隱藏層學得慢 {x} 倍：再加深就會消失。'),
  'v.driftExplode': t(" Still, the first layer's gradient is {x}× the last hidden layer's: more depth would make it explode.", '不過，第一層的梯度仍是最後一個隱藏層的 {x} 倍：再加深就會爆炸。'),

  // remedies
  'v.where.control': t(' ({path})', '（{path}）'),
  'rem.clip': t('Clip the gradient by global norm, e.g. at c = 1: g ← c·g/‖g‖ when ‖g‖ ≥ c.', '以全域範數裁剪梯度，例如 c = 1：當 ‖g‖ ≥ c 時，g ← c·g/‖g‖。'),
  'rem.lowerLr': t('Lower the learning rate.', '降低學習率。'),
  'rem.leaky': t('Use leaky_relu (slope 0.01–0.2), prelu (learned slope) or elu: their derivative is never exactly 0, so a unit can come back.', '改用 leaky_relu（斜率 0.01–0.2）、prelu（可學習斜率）或 elu：它們的導數永不恰為 0，神經元還能恢復。'),
  'rem.lowerLrDead': t('If the units died during training, lower the learning rate: large updates push biases far negative and kill units.', '若神經元是在訓練中死亡的，請降低學習率：過大的更新會把偏差推到很負的值，使神經元死亡。'),
  'rem.keepInitBias': t('Keep {init}, and start the biases at zero or a small positive value (e.g. 0.01) so every unit begins active on some inputs.', '保留 {init}，並把偏差初始化為 0 或小的正數（例如 0.01），讓每個神經元一開始就對部分輸入處於激活狀態。'),
  'rem.heInit': t("Initialise with he_normal instead of '{init}', with zero or small positive biases.", '改用 he_normal 初始化（取代「{init}」），偏差設為 0 或小的正數。'),
  'rem.usualInitZero': t("Initialise with {usual} instead of '{init}', with zero biases.", '改用 {usual} 初始化（取代「{init}」），偏差設為 0。'),
  'rem.useRelu': t('Use relu (or leaky_relu / elu / gelu) in the hidden layers instead of {act}: their derivative is 1 for x > 0, so the factors do not shrink.', '隱藏層改用 relu（或 leaky_relu / elu / gelu）取代 {act}：x > 0 時導數為 1，因子不會縮小。'),
  'rem.tanhOverSigmoid': t("If you keep a squashing function, prefer tanh to sigmoid: f'(0) = 1 instead of 1/4, and zero-centred outputs.", "若要保留 S 形函數，tanh 優於 sigmoid：f'(0) = 1 而非 1/4，且輸出以零為中心。"),
  'rem.residual': t('Add residual (skip) connections: the identity path carries the gradient past every layer.', '加入殘差（跳躍）連接：恆等路徑讓梯度越過每一層。'),
  'rem.fewer': t('Use fewer layers, or pre-train layer by layer.', '減少層數，或逐層預訓練。'),
  'rem.nonSaturating': t('Use a non-saturating activation (relu, leaky_relu, elu, gelu) in the hidden layers.', '隱藏層改用不飽和的激活函數（relu、leaky_relu、elu、gelu）。'),
  'rem.standardise': t('Standardise the inputs.', '標準化輸入。'),
  'rem.residualCollapsed': t('Add residual (skip) connections: each block adds its input back, so the differences between inputs survive depth.', '加入殘差（跳躍）連接：每個區塊都把輸入加回去，輸入之間的差異得以穿越深度。'),
  'rem.positive': t('Try tanh, or relu with he_normal, in place of {act}, whose output is positive on every input: that shared positive part adds up layer after layer until it is all the next layer sees.', '試著用 tanh，或 relu 搭配 he_normal，取代 {act}——它對每個輸入的輸出都是正的：這個共同的正值部分逐層累加，最後下一層只看得到它。'),
  'rem.edgeOfChaos': t('Move the initialisation toward the edge of chaos: a larger weight variance or smaller biases decorrelate the layers (the correlation map has its fixed point below 1 there).', '把初始化往混沌邊緣移動：較大的權重變異數或較小的偏差會讓各層去相關（在那裡相關映射的不動點小於 1）。'),
  'rem.fewerOnly': t('Use fewer layers.', '減少層數。'),
  'rem.batchNorm': t('Add batch normalisation between the linear part and the activation, {why}.', '在線性部分與激活函數之間加入批次正規化，{why}。'),
  'rem.bn.range': t('to keep the pre-activations in range', '讓預激活值維持在合理範圍'),
  'rem.bn.centred': t('to keep the pre-activations centred so every unit is active on part of the batch', '讓預激活值保持置中，使每個神經元都對批次中的部分樣本處於激活狀態'),
  'rem.bn.large': t("to keep pre-activations where f' is large", "讓預激活值停留在 f' 較大的區域"),
  'rem.bn.back': t("to bring the pre-activations back to where f' is large", "把預激活值拉回 f' 較大的區域"),
  'rem.bn.mean': t("which subtracts each unit's mean over the batch — the component every input shares — and keeps what tells the inputs apart", '它減去每個神經元在批次上的平均——也就是所有輸入共有的部分——留下區分輸入的部分'),
  'rem.replaceAny': t("Replace '{init}' by a variance-preserving initialiser matched to each layer's activation: he_normal for the ReLU family, xavier_uniform for tanh, lecun_normal for selu.", '把「{init}」換成與各層激活函數相配、能保持變異數的初始化方法：ReLU 家族用 he_normal，tanh 用 xavier_uniform，selu 用 lecun_normal。'),
  'rem.replaceUsual': t("Replace '{init}' by {usual}, the initialiser usually paired with {act}: it keeps the size of the signal and of the gradient from layer to layer.", '把「{init}」換成 {usual}，它是 {act} 通常搭配的初始化方法：能讓訊號與梯度的大小逐層保持。'),
  'rem.scaleForRelu': t("{init} is the usual choice for {act}, but its scale (Var(W) = 2/n_in) was derived for ReLU, not for {act}: a somewhat larger weight variance can keep the gradient's size; measure the first-to-last ratio at a few scales.", '{init} 是 {act} 的常見選擇，但它的尺度（Var(W) = 2/n_in）是為 ReLU 推導的，不是為 {act}：稍大一點的權重變異數可以維持梯度大小；請在幾個尺度下測量首末層比值。'),
  'rem.matchedExploding': t('The initialiser ({init}) already matches {act}; if the blow-up came during training, the updates grew the weights: lower the learning rate or add weight regularisation (L2).', '初始化方法（{init}）已與 {act} 相配；若數值是在訓練中爆掉的，是更新把權重變大了：請降低學習率或加入權重正則化（L2）。'),
  'rem.matchedSaturated': t('The initialiser ({init}) already matches {act}; if the layer saturated during training, the updates grew the weights: lower the learning rate or add weight regularisation (L2).', '初始化方法（{init}）已與 {act} 相配；若這一層是在訓練中飽和的，是更新把權重變大了：請降低學習率或加入權重正則化（L2）。'),
  'rem.smallerUsual': t("Use smaller initial weights than '{init}': {usual} is the initialiser usually paired with {act}.", '使用比「{init}」更小的初始權重：{usual} 是 {act} 通常搭配的初始化方法。'),
  'rem.smallerAny': t("Use smaller initial weights than '{init}': xavier_uniform for tanh/sigmoid, he_normal for the ReLU family.", '使用比「{init}」更小的初始權重：tanh/sigmoid 用 xavier_uniform，ReLU 家族用 he_normal。'),
} as const;
