/**
 * Public entry of the activation catalogue: the entry type, the catalogue and
 * its lookups, every entry by name, the softmax row kernels and the special
 * functions (erf, Φ, stable σ) the entries are built from.
 */
export type { ActivationDef, ActivationKind, ActivationMeta, Family, Kink, Lang, Paper, ParamSpec, Text } from './types.js';
export {
  ACTIVATION_NAMES,
  ACTIVATIONS,
  ALIASES,
  CATALOGUE,
  FAMILIES,
  activationsOf,
  evalActivation,
  getActivation,
  isActivationName,
  resolveParams,
  suggestActivations,
} from './catalogue.js';
export type { ActivationEval, ActivationName, FamilyInfo } from './catalogue.js';
export { logSoftmaxBackward, logSoftmaxRows, softmaxBackward, softmaxRows } from './softmax.js';
export { erf, erfc, logSigmoid, normalCdf, normalPdf, sigmoid as sigmoidFn, softplusStable, tanhDerivative } from './special.js';
export { leakyRelu, prelu, relu, relu6, rrelu } from './relu-family.js';
export { SELU_ALPHA, SELU_LAMBDA, celu, elu, selu } from './elu-family.js';
export { gelu, geluTanh } from './gelu.js';
export { hardswish, mish, silu, swish } from './gated.js';
export { softplus, squareplus } from './softplus.js';
export { MAXOUT_NOT_ELEMENTWISE, maxout } from './maxout.js';
export { lecunTanh, softsign, tanh, tanhshrink } from './tanh-family.js';
export { hardshrink, hardtanh, softshrink } from './tanh-hard.js';
export { bipolarSigmoid, logsigmoid, sigmoid } from './sigmoid-family.js';
export { hardSigmoidKeras2, hardsigmoid } from './sigmoid-hard.js';
export { SOFTMAX_NOT_ELEMENTWISE, linear, softmax } from './other.js';
