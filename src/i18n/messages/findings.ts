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
} as const;
