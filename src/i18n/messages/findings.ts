/**
 * What the engine finds during a run, said to a person: the first
 * non-finite value (step, layer, what held it).
 */
import { t } from '../lang.js';

/** Sentences about the first non-finite value, by key. */
export const FINDINGS = {
  'nf.activation': t('step {step}: a non-finite pre-activation z appeared in layer {layer} of {of} (the weights or inputs have grown too large)', '第 {step} 步：第 {layer} 層（共 {of} 層）出現了非有限的預激活值 z（權重或輸入變得太大）'),
  'nf.loss': t('step {step}: the loss became {value}', '第 {step} 步：損失變成 {value}'),
  'nf.gradient': t('step {step}: the gradient of layer {layer} of {of} became non-finite (exploding gradient)', '第 {step} 步：第 {layer} 層（共 {of} 層）的梯度變成非有限值（梯度爆炸）'),
  'nf.weight': t('step {step}: the weights of layer {layer} of {of} became non-finite', '第 {step} 步：第 {layer} 層（共 {of} 層）的權重變成非有限值'),
  'nf.anyGradient': t('step {step}: the gradient became non-finite', '第 {step} 步：梯度變成非有限值'),
  'nf.rnn.state': t('step {step}: the hidden state became non-finite at time step {t} of {T} (the recurrence amplified it beyond the float range)', '第 {step} 步：隱藏狀態在第 {t} 個時間步（共 {T} 步）變成非有限值（遞迴把它放大到超出浮點數範圍）'),
  'nf.rnn.gradient': t('step {step}: the gradient became non-finite (norm {norm}) — an exploding gradient through time', '第 {step} 步：梯度變成非有限值（範數 {norm}）——隨時間傳遞的梯度爆炸'),
  'nf.rnn.param': t('step {step}: the parameter {name} became non-finite after the update', '第 {step} 步：參數 {name} 在更新後變成非有限值'),
  'nf.param': t("step {step}: the parameters of activation '{name}' became non-finite", '第 {step} 步：激活函數 {name} 的參數變成非有限值'),
  'pascanu.not-applicable': t("σ_max(W_hh) = {l}; Pascanu's condition is stated for h_t = f(W h_{t−1} + …) — a gated cell also carries the gradient along its additive path (c_t = f ⊙ c_{t−1} + …, h_t = u ⊙ h_{t−1} + …), which no bound on W_hh controls", 'σ_max(W_hh) = {l}；Pascanu 的條件是針對 h_t = f(W h_{t−1} + …) 而寫的——門控單元還會沿著加法路徑傳遞梯度（c_t = f ⊙ c_{t−1} + …，h_t = u ⊙ h_{t−1} + …），這條路徑不受 W_hh 的任何界限控制'),
  'pascanu.boundary': t('σ_max(W_hh) = {l} = 1/γ = {th}: no factor W_hhᵀ·diag(f′) has norm above 1, so the gradient cannot explode, and it vanishes wherever |f′| < γ', 'σ_max(W_hh) = {l} = 1/γ = {th}：沒有任何因子 W_hhᵀ·diag(f′) 的範數大於 1，所以梯度不會爆炸，而在 |f′| < γ 處會消失'),
  'pascanu.vanishing-guaranteed': t('σ_max(W_hh) = {l} < 1/γ = {th}: every factor W_hhᵀ·diag(f′) has norm below 1, so the gradient vanishes exponentially with the lag (sufficient condition)', 'σ_max(W_hh) = {l} < 1/γ = {th}：每個因子 W_hhᵀ·diag(f′) 的範數都小於 1，所以梯度隨時間間隔呈指數消失（充分條件）'),
  'pascanu.exploding-possible': t('σ_max(W_hh) = {l} > 1/γ = {th}: vanishing is no longer guaranteed and the gradient can explode (the necessary condition for exploding holds)', 'σ_max(W_hh) = {l} > 1/γ = {th}：不再保證梯度消失，梯度可能爆炸（爆炸的必要條件成立）'),
  'task.adding': t('the adding problem', '加法問題'),
  'task.order': t('the temporal-order problem', '時間順序問題'),
  'task.copy': t('copy-memory', '複製記憶問題'),
  'task.source.adding': t('Hochreiter & Schmidhuber 1997, Long Short-Term Memory, experiment 4', 'Hochreiter 與 Schmidhuber 1997，Long Short-Term Memory，實驗 4'),
  'task.source.order': t('Hochreiter & Schmidhuber 1997, Long Short-Term Memory, experiment 6a', 'Hochreiter 與 Schmidhuber 1997，Long Short-Term Memory，實驗 6a'),
  'task.source.copy': t('Hochreiter & Schmidhuber 1997 (experiment 2 style); as set up by Arjovsky, Shah & Bengio 2016', 'Hochreiter 與 Schmidhuber 1997（實驗 2 的形式）；設定依 Arjovsky、Shah 與 Bengio 2016'),
} as const;
