/**
 * The clauses of the input errors gradscope phrases most often — what a
 * field's value must be — and the frame that adds the value found. The
 * English sentences are built where the error is found (src/errors.ts and
 * the core's name lookups); these are the same clauses as messages, so the
 * command line can say them in the reader's language. An error without its
 * message here is printed in English.
 */
import { t } from '../lang.js';

/** Input-error clauses, by key. */
export const ERRORS = {
  'err.got': t('{clause}; got {value}', '{clause}；收到 {value}'),
  'err.required': t('is required', '缺少此項'),
  'err.requiredMisspelt': t('is required; found {keys} (a misspelling?)', '缺少此項；找到 {keys}（拼錯了嗎？）'),
  'err.requiredFoundOnly': t('is required; found only {keys}', '缺少此項；只找到 {keys}'),
  'err.type.int': t('must be an integer', '必須是整數'),
  'err.type.number': t('must be a number', '必須是數字'),
  'err.type.string': t('must be a string', '必須是字串'),
  'err.type.boolean': t('must be true or false', '必須是布林值（true 或 false）'),
  'err.type.object': t('must be an object', '必須是物件'),
  'err.type.array': t('must be a list', '必須是清單'),
  'err.cmp': t('must be {op} {n}', '必須 {op} {n}'),
  'err.entriesAtLeast': t('needs at least {n:entry|entries}', '至少需要 {n} 項'),
  'err.entriesAtMost': t('has at most {n:entry|entries}', '最多只能有 {n} 項'),
  'err.notEmpty': t('must not be empty', '不可為空'),
  'err.charsAtMost': t('is at most {n:characters} long', '最多 {n} 個字元'),
  'err.oneOf': t('must be one of {list}', '必須是下列其中之一：{list}'),
  'err.exactly': t('must be {v}', '必須是 {v}'),
  'err.unknownField': t('unknown field{hint}', '未知的欄位{hint}'),
  'err.unknownFieldList': t('unknown field{hint}; expected one of {fields}', '未知的欄位{hint}；可用的欄位：{fields}'),
  'err.unknownFieldSettings': t('unknown field{hint}; expected one of the settings ({where})', '未知的欄位{hint}；可用的是各個執行設定（見 {where}）'),
  'err.didYouMean': t(' (did you mean {s}?)', '（是不是要用 {s}？）'),
  'err.unknownActivation': t("unknown activation '{name}'; did you mean {near}?", "未知的激活函數 '{name}'；是不是要用 {near}？"),
  'err.unknownActivationList': t("unknown activation '{name}'; known activations: {names}", "未知的激活函數 '{name}'；已知的激活函數：{names}"),
  'err.unknownInit': t("unknown initialiser '{name}'{hint}; expected one of {names}", "未知的初始化方法 '{name}'{hint}；可用的有：{names}"),
  'err.unknownDataset': t("unknown dataset '{spec}' (did you mean {guess}?)", "未知的資料集 '{spec}'（是不是要用 {guess}？）"),
  'err.param.unknown': t("{act}: unknown parameter '{key}'{hint}; its parameters are {names}", "{act}：未知的參數 '{key}'{hint}；它的參數有 {names}"),
  'err.param.none': t("{act}: takes no parameters; got '{key}'", "{act}：沒有參數；收到 '{key}'"),
  'err.param.range': t("{act}: parameter '{key}' must be {op} {n}; got {value}", "{act}：參數 '{key}' 必須 {op} {n}；收到 {value}"),
  'err.arch.part': t("'{part}' is not a size (N) or a repeated size (NxK)", "'{part}' 不是一個大小（N）或重複的大小（NxK）"),
  'err.arch.ge1': t("sizes and repeats must be ≥ 1 (in '{part}')", "大小與重複次數都必須 ≥ 1（在 '{part}' 中）"),
  'err.arch.few': t('needs at least an input and an output size, e.g. 784-30-10', '至少需要輸入與輸出兩個大小，例如 784-30-10'),

  // run configs (src/run/config.ts)
  'err.config.notObject': t('a run config is a JSON object of settings such as {example}', '執行設定檔是一個由設定組成的 JSON 物件，例如 {example}'),
  'err.config.twice': t('sets {name}, which {before} already sets; give it once', '設定了 {name}，但 {before} 已經設定過它；只能給一次'),
  'err.config.schedule': t('must be a schedule name or an object with {kind}', '必須是排程名稱，或帶有 {kind} 的物件'),
  'err.config.notSetting': t('is not a setting; sweep a setting by its name, such as {a}, {b} or {c}', '不是一個設定；請用設定的名稱掃描，例如 {a}、{b} 或 {c}'),

  // the cross-field rules of a run (src/run/rules.ts)
  'err.norm.batch': t('batch normalisation', '批次正規化'),
  'err.norm.layer': t('layer normalisation', '層正規化'),
  'err.rule.weightDecay': t('only adamw uses decoupled weight decay (use l2 with {optimizer})', '只有 adamw 使用解耦權重衰減（{optimizer} 請改用 l2）'),
  'err.rule.l2': t('adamw decays weights with weightDecay, not l2', 'adamw 以 weightDecay 衰減權重，不用 l2'),
  'err.rule.noise': t("only the synthetic sets take {setting}, not '{data}'", "只有合成資料集接受 {setting}，'{data}' 不接受"),
  'err.rule.classes': t("only the synthetic sets take a number of classes, not '{data}'", "只有合成資料集接受類別數，'{data}' 不接受"),
  'err.rule.crossEntropyOutputs': t(
    'cross_entropy needs at least 2 outputs (a softmax over one unit is constant, so every gradient is 0), not arch {arch}; use binary_cross_entropy for one output',
    'cross_entropy 至少需要 2 個輸出（只有一個單元的 softmax 是常數，所以每個梯度都是 0），網路 {arch} 卻只有一個；只有一個輸出時請用 binary_cross_entropy',
  ),
  'err.rule.noLimit': t('is null and so is maxSteps: set at least one limit', '是 null，maxSteps 也是：至少要設定一個上限'),
  'err.rule.normLayer': t(
    "{norm} sits between a layer's linear part and its activation, which '{act}' does not separate; use another activation or {none}",
    "{norm}位於一層的線性部分與激活函數之間，而 '{act}' 不分開這兩者；請換一個激活函數，或改用 {none}",
  ),
  'err.rule.residualLayer': t("residual blocks need dense hidden layers, not '{act}'", "殘差區塊需要全連接的隱藏層，不能用 '{act}'"),
  'err.rule.residualNoHidden': t('arch {arch} has no hidden layer to put in a residual block', '網路 {arch} 沒有可放進殘差區塊的隱藏層'),
  'err.rule.normNoHidden': t('arch {arch} has no hidden layer to normalise (the output layer is never normalised)', '網路 {arch} 沒有可正規化的隱藏層（輸出層從不正規化）'),
  'err.rule.batchNormBatch': t('batch normalisation needs at least 2 examples per batch to compute batch statistics', '批次正規化每個批次至少需要 2 個樣本，才能計算批次統計量'),
  'err.rule.batchNormProbe': t('batch normalisation needs at least 2 examples in the probe batch to compute batch statistics', '批次正規化的探測批次至少需要 2 個樣本，才能計算批次統計量'),
  'err.rule.pretrainNoHidden': t('arch {arch} has no hidden layer to pre-train', '網路 {arch} 沒有可預訓練的隱藏層'),
  'err.rule.batchNormPretrain': t('batch normalisation needs at least 2 examples per batch', '批次正規化每個批次至少需要 2 個樣本'),
} as const;
