/**
 * gradscope's library API, listed name by name: describing and running a run,
 * building and training networks with explicit backpropagation, probing
 * them, the activation catalogue, model files, data, the study and its
 * result types, and the report renderers. Everything here runs in Node and
 * in a browser (the study's data loading and file writing live in the CLI).
 */

// errors: a user's input (one sentence naming the field and the value)
export { InputError, ValueError, phrase, type InputIssue } from './errors.js';

// tensors and randomness
export { alloc, fromArray, DTYPES, type Buf, type DType } from './tensor/dtype.js';
export { Rng } from './tensor/rng.js';
export { jsKernels, naiveKernels, type Kernels } from './tensor/kernels.js';
export { fastKernels, simdSupported } from './tensor/wasm/index.js';

// the activation catalogue
export {
  ACTIVATIONS,
  ACTIVATION_NAMES,
  FAMILIES,
  activationsOf,
  evalActivation,
  getActivation,
  resolveParams,
  type ActivationDef,
  type ActivationEval,
  type Family,
  type Lang,
  type Text,
} from './activations/index.js';

// networks: layers, losses, initialisers, optimisers, the training loop, model files
export { Dense } from './nn/dense.js';
export { Activation } from './nn/activation-layer.js';
export { Maxout } from './nn/maxout.js';
export { Dropout } from './nn/dropout.js';
export { BatchNorm } from './nn/batchnorm.js';
export { LayerNorm } from './nn/layernorm.js';
export { ResidualBlock } from './nn/residual.js';
export type { Layer, LayerEnv, LayerFormat, LayerJson, Param, PassContext } from './nn/layer.js';
export { Network } from './nn/network.js';
export { buildMlp, parseArch, outputActivationFor, NORM_KINDS, type MlpSpec, type ActSpec, type NormKind } from './nn/build.js';
export { getLoss, LOSS_NAMES, type LossDef, type LossName } from './nn/losses.js';
export { getInit, INITIALISERS, INIT_NAMES, type InitDef } from './nn/init.js';
export { Optimizer, OPTIMIZER_NAMES, scheduledLr, type OptimizerName, type OptimizerOptions, type LrSchedule } from './nn/optim.js';
export { clipByGlobalNorm, clipByValue, globalGradNorm } from './nn/clip.js';
export { train, type BatchSource, type StepInfo, type TrainOptions, type TrainResult } from './nn/train.js';
export { gradCheck } from './nn/gradcheck.js';
export { findNonFinite, type NonFiniteFinding } from './nn/nonfinite.js';
export { MODEL_FORMAT, modelFromJson, modelToJson, networkFromJson, type ModelJson } from './nn/model-file.js';
export { RecurrentModel, SeqBatch } from './nn/rnn/model.js';
export { createCell, CELL_KINDS, type CellKind, type CellOptions } from './nn/rnn/index.js';

// diagnostics: per-layer statistics, the verdict
export { probeNetwork, type ProbeResult, type ProbeOptions } from './diagnostics/probe.js';
export { layerDiagnostics, firstToLast, meanPairwiseCosine, type LayerDiagnostics } from './diagnostics/layer-stats.js';
export { verdictOf, findingsOf, THRESHOLDS, VERDICT_KINDS, type Finding, type Verdict, type VerdictKind } from './diagnostics/verdict.js';
export { chainView } from './diagnostics/chain.js';

// data (the pure parts; files are read by the CLI)
export { makeDataset, splitTrainTest, takeFirst, type Dataset, type Split } from './data/index.js';
export { SYNTHETIC, DATASETS, digitsFromRaw, parseDatasetSpec } from './data/index.js';

// a run, described once and driven by one loop
export { SETTINGS, SETTING_NAMES, type SettingDef, type SettingName } from './run/settings.js';
export { parseRun, type RunInput, type RunSpec } from './run/schema.js';
export { runFromConfig } from './run/config.js';
export { Run, type RunSink, type ProbeRecord, type StepRecord, type RunOutcome, type RunOptions } from './run/driver.js';
export { networkOf, optimizerOf, runData, type RunData } from './run/derive.js';
export { probeRun, withoutRemedies, type ProbeReport } from './run/probe.js';
export { evaluate } from './run/evaluate.js';

// the study and its results (report/results.json)
export { runStudy, type StudyOptions } from './study/study.js';
export type { Claim, StudyResults } from './study/types.js';
export { renderHtml, renderSummaryMd, renderTerminalSummary } from './report/index.js';
