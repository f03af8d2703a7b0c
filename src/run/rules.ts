/**
 * The rules that tie settings together — every combination a run cannot
 * have, in one list, checked when a run is described (before anything is
 * built, loaded or written). Each rule names the setting it reports, so the
 * issue points at the field the user should change.
 */
import { getActivation } from '../activations/catalogue.js';
import { parseDatasetSpec } from '../data/catalog.js';
import { fail, saying } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { runSchema, type RunSpec } from './schema.js';

/** One rule: the setting it reports and the problem (a message of the catalogue, whose English is the sentence), or null when the run satisfies it. */
interface Rule {
  readonly field: keyof RunSpec;
  readonly problem: (s: RunSpec) => Msg | null;
}

/** The hidden layers' activations, one per hidden layer. */
function hiddenActivations(s: RunSpec): readonly string[] {
  const H = s.arch.length - 2;
  return typeof s.activation === 'string' ? Array.from({ length: H }, () => s.activation as string) : s.activation;
}

/** The first hidden activation that is a layer of its own (maxout), if any. */
function layerActivation(s: RunSpec): string | undefined {
  return hiddenActivations(s).find((a) => getActivation(a).kind === 'layer');
}

const noHidden = (s: RunSpec): boolean => s.arch.length < 3;
const arch = (s: RunSpec): string => s.arch.join('-');
const isSynthetic = (s: RunSpec): boolean => parseDatasetSpec(s.data).kind === 'synthetic';

/** Every rule, in the order they are checked. */
export const RULES: readonly Rule[] = [
  { field: 'weightDecay', problem: (s) => (s.optimizer !== 'adamw' && s.weightDecay > 0 ? msg('err.rule.weightDecay', { optimizer: s.optimizer }) : null) },
  { field: 'l2', problem: (s) => (s.optimizer === 'adamw' && s.l2 > 0 ? msg('err.rule.l2') : null) },
  { field: 'noise', problem: (s) => (s.noise !== null && !isSynthetic(s) ? msg('err.rule.noise', { setting: 'noise', data: s.data }) : null) },
  { field: 'classes', problem: (s) => (s.classes !== null && !isSynthetic(s) ? msg('err.rule.classes', { data: s.data }) : null) },
  { field: 'loss', problem: (s) => (s.loss === 'cross_entropy' && s.arch[s.arch.length - 1] < 2 ? msg('err.rule.crossEntropyOutputs', { arch: arch(s) }) : null) },
  { field: 'epochs', problem: (s) => (s.epochs === null && s.maxSteps === null ? msg('err.rule.noLimit') : null) },
  {
    field: 'norm',
    problem: (s) => {
      const m = layerActivation(s);
      return s.norm !== 'none' && m ? msg('err.rule.normLayer', { norm: msg(s.norm === 'batch' ? 'err.norm.batch' : 'err.norm.layer'), act: m, none: 'norm "none"' }) : null;
    },
  },
  { field: 'residual', problem: (s) => (s.residual && layerActivation(s) ? msg('err.rule.residualLayer', { act: layerActivation(s) ?? '' }) : null) },
  { field: 'residual', problem: (s) => (s.residual && noHidden(s) ? msg('err.rule.residualNoHidden', { arch: arch(s) }) : null) },
  { field: 'norm', problem: (s) => (s.norm !== 'none' && noHidden(s) ? msg('err.rule.normNoHidden', { arch: arch(s) }) : null) },
  { field: 'batchSize', problem: (s) => (s.norm === 'batch' && s.batchSize < 2 ? msg('err.rule.batchNormBatch') : null) },
  { field: 'probeSamples', problem: (s) => (s.norm === 'batch' && s.probeSamples < 2 ? msg('err.rule.batchNormProbe') : null) },
  { field: 'pretrain', problem: (s) => (s.pretrain && noHidden(s) ? msg('err.rule.pretrainNoHidden', { arch: arch(s) }) : null) },
  { field: 'pretrainBatchSize', problem: (s) => (s.pretrain && s.norm === 'batch' && s.pretrainBatchSize < 2 ? msg('err.rule.batchNormPretrain') : null) },
];

/** Throws an InputError (issue at the rule's setting) for the first rule `s` breaks. */
export function checkRules(s: RunSpec): void {
  for (const r of RULES) {
    const p = r.problem(s);
    if (p !== null) fail({ field: r.field, value: s[r.field], ...saying(p) });
  }
}

/** The settings that describe a network gradscope builds: a run that starts from a model file takes its network from the file instead. */
export const BUILT_NETWORK_SETTINGS: readonly (keyof RunSpec)[] = ['arch', 'activation', 'activationParams', 'outputActivation', 'init', 'biasInit', 'norm', 'residual', 'dropout', 'pretrain'];

/**
 * With `model`, the first built-network setting the user gave a value of
 * its own (not its default; for `arch`, not the model file's sizes), or
 * undefined. A resolved config.json, which lists every setting at the
 * values the run used, passes.
 */
export function builtNetworkSettingWithModel(s: RunSpec, given: Iterable<string>, modelArch: readonly number[]): keyof RunSpec | undefined {
  const set = new Set(given);
  const defaults = runSchema.parse({}) as Record<string, unknown>;
  const same = (k: keyof RunSpec): boolean => JSON.stringify(s[k]) === JSON.stringify(k === 'arch' ? modelArch : k === 'outputActivation' ? s.outputActivation : defaults[k]);
  return BUILT_NETWORK_SETTINGS.find((k) => set.has(k) && !same(k) && !(k === 'outputActivation' && !set.has('loss') && s.loss !== 'quadratic'));
}
