/**
 * The rules that tie settings together — every combination a run cannot
 * have, in one list, checked when a run is described (before anything is
 * built, loaded or written). Each rule names the setting it reports, so the
 * issue points at the field the user should change.
 */
import { getActivation } from '../activations/catalogue.js';
import { parseDatasetSpec } from '../data/catalog.js';
import { fail } from '../errors.js';
import { runSchema, type RunSpec } from './schema.js';

/** One rule: the setting it reports and the problem, or null when the run satisfies it. */
interface Rule {
  readonly field: keyof RunSpec;
  readonly problem: (s: RunSpec) => string | null;
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
  { field: 'weightDecay', problem: (s) => (s.optimizer !== 'adamw' && s.weightDecay > 0 ? `only adamw uses decoupled weight decay (use l2 with ${s.optimizer})` : null) },
  { field: 'l2', problem: (s) => (s.optimizer === 'adamw' && s.l2 > 0 ? 'adamw decays weights with weightDecay, not l2' : null) },
  { field: 'noise', problem: (s) => (s.noise !== null && !isSynthetic(s) ? `only the synthetic sets take noise, not '${s.data}'` : null) },
  { field: 'classes', problem: (s) => (s.classes !== null && !isSynthetic(s) ? `only the synthetic sets take a number of classes, not '${s.data}'` : null) },
  { field: 'loss', problem: (s) => (s.loss === 'cross_entropy' && s.arch[s.arch.length - 1] < 2 ? `cross_entropy needs at least 2 outputs (a softmax over one unit is constant, so every gradient is 0), not arch ${arch(s)}; use binary_cross_entropy for one output` : null) },
  { field: 'epochs', problem: (s) => (s.epochs === null && s.maxSteps === null ? 'is null and so is maxSteps: set at least one limit' : null) },
  {
    field: 'norm',
    problem: (s) => {
      const m = layerActivation(s);
      return s.norm !== 'none' && m ? `${s.norm} normalisation sits between a layer's linear part and its activation, which '${m}' does not separate; use another activation or norm "none"` : null;
    },
  },
  { field: 'residual', problem: (s) => (s.residual && layerActivation(s) ? `residual blocks need dense hidden layers, not '${layerActivation(s)}'` : null) },
  { field: 'residual', problem: (s) => (s.residual && noHidden(s) ? `arch ${arch(s)} has no hidden layer to put in a residual block` : null) },
  { field: 'norm', problem: (s) => (s.norm !== 'none' && noHidden(s) ? `arch ${arch(s)} has no hidden layer to normalise (the output layer is never normalised)` : null) },
  { field: 'batchSize', problem: (s) => (s.norm === 'batch' && s.batchSize < 2 ? 'batch normalisation needs at least 2 examples per batch to compute batch statistics' : null) },
  { field: 'probeSamples', problem: (s) => (s.norm === 'batch' && s.probeSamples < 2 ? 'batch normalisation needs at least 2 examples in the probe batch to compute batch statistics' : null) },
  { field: 'pretrain', problem: (s) => (s.pretrain && noHidden(s) ? `arch ${arch(s)} has no hidden layer to pre-train` : null) },
  { field: 'pretrainBatchSize', problem: (s) => (s.pretrain && s.norm === 'batch' && s.pretrainBatchSize < 2 ? 'batch normalisation needs at least 2 examples per batch' : null) },
];

/** Throws an InputError (issue at the rule's setting) for the first rule `s` breaks. */
export function checkRules(s: RunSpec): void {
  for (const r of RULES) {
    const p = r.problem(s);
    if (p !== null) fail({ field: r.field, value: s[r.field], expected: p });
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
