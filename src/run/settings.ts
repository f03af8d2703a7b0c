/**
 * Every setting of a run, described once: its name, type and range (a zod
 * schema over the JSON value), default, unit, one line of help, and the
 * other spellings accepted for it. Config files use these names; CLI flags
 * are their kebab-case (`batchSize` → `--batch-size`); the web lab's URL and
 * sweep keys use the same names. `aliases` keeps older spellings working
 * (`--act`, URL `batch`, sweep `optimizer.lr`).
 *
 * Adding a setting is one entry here (and a rule in rules.ts if it must agree
 * with others); its consumer reads it from the resolved RunSpec.
 */
import { z } from 'zod';
import { NORM_KINDS, type NormKind } from '../nn/build.js';
import { BIAS_INITS, type BiasInit } from '../nn/init.js';
import { LOSS_NAMES, type LossName } from '../nn/losses.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../nn/optim.js';
import { DTYPES, type DType } from '../tensor/dtype.js';

/** Where a setting belongs (for help texts and the web lab's panels). */
export type SettingGroup = 'network' | 'training' | 'remedies' | 'data' | 'probe' | 'run';

/** How a setting is written as text (a flag's argument, a URL value). */
export type TextKind =
  | 'string'
  | 'number'
  | 'int'
  | 'bool'
  /** a name, or names joined by commas (one per layer) */
  | 'list'
  /** name=value pairs joined by commas (or name:value by semicolons, as URLs write them) */
  | 'params'
  /** a number, or none/off/null for no value */
  | 'optionalNumber'
  /** an integer, or none/off/null */
  | 'optionalInt'
  /** an integer, or `auto` */
  | 'intOrAuto'
  /** constant, step:EVERY[:FACTOR] or cosine[:MINLR] */
  | 'schedule';

/** One setting. */
export interface SettingDef {
  readonly name: string;
  readonly group: SettingGroup;
  /** Type and range of the JSON value (with its default). */
  readonly schema: z.ZodType;
  readonly text: TextKind;
  /** One line of help (CLI --help, docs). */
  readonly doc: string;
  readonly unit?: string;
  /** Other accepted spellings: older flag names, URL keys, sweep keys. */
  readonly aliases?: readonly string[];
  /** True for a setting that acts only through training steps (an optimiser's, a clipping threshold): a probe of a fresh network ignores it. */
  readonly training?: boolean;
}

// integers say so when given another type (zod reports only 'number' there)
const int = z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' });
const posInt = int.min(1);
const num = z.number({ error: 'must be a number' });
const nameOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const enumOf = <T extends string>(values: readonly T[]) => z.enum(values as unknown as [T, ...T[]]);

/** A learning-rate schedule without its warm-up (which is the setting `warmup`). */
export type ScheduleSpec =
  | { readonly kind: 'constant' }
  | { readonly kind: 'step'; readonly every: number; readonly factor: number }
  | { readonly kind: 'cosine'; readonly minLr: number };

const scheduleSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { kind: v } : v),
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('constant') }),
    z.strictObject({ kind: z.literal('step'), every: posInt, factor: num.positive().default(0.1) }),
    z.strictObject({ kind: z.literal('cosine'), minLr: num.min(0).default(0) }),
  ]),
);

/** The settings, in the order help texts list them. */
export const SETTINGS = [
  // the network
  { name: 'arch', group: 'network', text: 'string', schema: z.union([z.string(), z.array(posInt).min(2)]).default('784-30-30-10'), doc: "layer sizes joined by '-' (NxK repeats N K times), input first, e.g. 784-30x4-10" },
  { name: 'activation', group: 'network', text: 'list', schema: nameOrList.default('sigmoid'), doc: 'hidden activation, or one per hidden layer joined by commas', aliases: ['act'] },
  { name: 'activationParams', group: 'network', text: 'params', schema: z.record(z.string(), num).default({}), doc: "parameters of the hidden activations, e.g. negative_slope=0.2 (each applies to the layers whose activation has it)", aliases: ['param', 'ap'] },
  { name: 'outputActivation', group: 'network', text: 'string', schema: z.string().min(1).nullable().default(null), doc: 'output activation with the quadratic loss (the other losses imply it: sigmoid for binary_cross_entropy, softmax for cross_entropy)', aliases: ['outAct'] },
  { name: 'init', group: 'network', text: 'list', schema: nameOrList.default('normal'), doc: 'initialiser (normal, nielsen, torch_default, xavier_uniform, he_normal, …, critical[:SB2], meanfield:SW2[:SB2], uniform:A, normal:S), or one per weight layer' },
  { name: 'biasInit', group: 'network', text: 'string', schema: enumOf<BiasInit>(BIAS_INITS).default('scheme'), doc: "biases by the initialiser's own rule, or zeros" },
  { name: 'loss', group: 'network', text: 'string', schema: enumOf<LossName>(LOSS_NAMES).default('binary_cross_entropy'), doc: 'loss (it picks the output activation)' },
  { name: 'model', group: 'network', text: 'string', schema: z.string().min(1).nullable().default(null), doc: "start from this model file's network and weights (ONNX, TensorFlow.js model.json or gradscope-model; arch then comes from the file, and the settings that describe a built network may not be given)" },
  { name: 'dtype', group: 'network', text: 'string', schema: enumOf<DType>(DTYPES).default('float32'), doc: 'float32, or float64 for gradients below float32’s range' },
  // training
  { name: 'optimizer', group: 'training', text: 'string', schema: enumOf<OptimizerName>(OPTIMIZER_NAMES).default('sgd'), doc: 'update rule', aliases: ['opt'], training: true },
  { name: 'lr', group: 'training', text: 'number', schema: num.positive().default(0.1), doc: 'learning rate η', training: true },
  { name: 'momentum', group: 'training', text: 'optionalNumber', schema: num.min(0).lt(1).nullable().default(null), doc: 'μ of momentum/nesterov (and of sgd), ρ of rmsprop (default 0 for sgd, 0.9 for the others)', training: true },
  { name: 'beta1', group: 'training', text: 'number', schema: num.min(0).lt(1).default(0.9), doc: "Adam's β₁", training: true },
  { name: 'beta2', group: 'training', text: 'number', schema: num.min(0).lt(1).default(0.999), doc: "Adam's β₂", training: true },
  { name: 'eps', group: 'training', text: 'number', schema: num.positive().default(1e-8), doc: "ε of Adam and RMSprop", training: true },
  { name: 'l2', group: 'remedies', text: 'number', schema: num.min(0).default(0), doc: "L2 regularisation, Nielsen's λ (w ← (1 − ηλ/n)·w − η∇, n = training examples)", training: true },
  { name: 'l1', group: 'remedies', text: 'number', schema: num.min(0).default(0), doc: 'L1 regularisation λ₁ (w ← w − (ηλ₁/n)·sign(w))', training: true },
  { name: 'weightDecay', group: 'remedies', text: 'number', schema: num.min(0).default(0), doc: "AdamW's decoupled weight decay (w ← w − ηλw)", training: true },
  { name: 'schedule', group: 'training', text: 'schedule', schema: scheduleSchema.default({ kind: 'constant' }), doc: 'learning-rate schedule: constant, step:EVERY[:FACTOR] or cosine[:MINLR]', training: true },
  { name: 'warmup', group: 'training', text: 'int', schema: int.min(0).default(0), doc: 'linear warm-up steps before the schedule', unit: 'steps', training: true },
  { name: 'batchSize', group: 'training', text: 'int', schema: posInt.default(10), doc: 'examples per step', aliases: ['batch'], training: true },
  { name: 'epochs', group: 'training', text: 'optionalInt', schema: posInt.max(1_000_000).nullable().default(30), doc: 'epoch limit (none: only maxSteps limits the run)' },
  { name: 'maxSteps', group: 'training', text: 'optionalInt', schema: posInt.max(1_000_000_000).nullable().default(null), doc: 'step limit (none: only epochs limit the run)', unit: 'steps', aliases: ['steps'] },
  { name: 'gradTol', group: 'training', text: 'optionalNumber', schema: num.positive().nullable().default(null), doc: 'stop when the global gradient norm ‖∇‖ falls below this', training: true },
  { name: 'targetLoss', group: 'training', text: 'optionalNumber', schema: num.positive().nullable().default(null), doc: 'stop when the batch loss falls below this', training: true },
  // remedies
  { name: 'norm', group: 'remedies', text: 'string', schema: enumOf<NormKind>(NORM_KINDS).default('none'), doc: "normalisation between each hidden layer's linear part and its activation" },
  { name: 'residual', group: 'remedies', text: 'bool', schema: z.boolean().default(false), doc: 'hidden layers as residual blocks y = x + f(N(Wx + b)) (a projection where the width changes)', aliases: ['res'] },
  { name: 'dropout', group: 'remedies', text: 'number', schema: num.min(0).lt(1).default(0), doc: 'dropout probability after each hidden activation', training: true },
  { name: 'clipNorm', group: 'remedies', text: 'optionalNumber', schema: num.positive().nullable().default(null), doc: 'clip the gradient by global norm c (g ← c·g/‖g‖ when ‖g‖ ≥ c)', aliases: ['clip'], training: true },
  { name: 'clipValue', group: 'remedies', text: 'optionalNumber', schema: num.positive().nullable().default(null), doc: 'clamp every gradient component to [−v, v]', training: true },
  { name: 'maxNorm', group: 'remedies', text: 'optionalNumber', schema: num.positive().nullable().default(null), doc: "after each update, rescale every unit's incoming weights to norm ≤ c", training: true },
  { name: 'pretrain', group: 'remedies', text: 'bool', schema: z.boolean().default(false), doc: 'greedy layer-wise autoencoder pre-training before training' },
  { name: 'pretrainSteps', group: 'remedies', text: 'int', schema: posInt.default(300), doc: 'pre-training steps per hidden layer', unit: 'steps' },
  { name: 'pretrainLr', group: 'remedies', text: 'number', schema: num.positive().default(0.01), doc: 'pre-training learning rate' },
  { name: 'pretrainBatchSize', group: 'remedies', text: 'int', schema: posInt.default(32), doc: 'pre-training examples per step' },
  { name: 'pretrainOptimizer', group: 'remedies', text: 'string', schema: z.enum(['sgd', 'momentum', 'adam']).default('momentum'), doc: 'pre-training update rule' },
  // data
  { name: 'data', group: 'data', text: 'string', schema: z.string().min(1).default('digits'), doc: 'digits, mnist:DIR, spiral, circles, xor, gaussians, moons' },
  // at most 10 million examples: a synthetic set is drawn in memory (the full MNIST is 70,000)
  { name: 'samples', group: 'data', text: 'optionalInt', schema: posInt.max(10_000_000).nullable().default(null), doc: 'the first n examples (digits, mnist) or how many to draw (synthetic; default 1000)' },
  { name: 'testFraction', group: 'data', text: 'number', schema: num.min(0).lt(1).default(0.2), doc: 'held-out fraction (mnist:DIR has its own test files)' },
  { name: 'noise', group: 'data', text: 'optionalNumber', schema: num.min(0).nullable().default(null), doc: 'noise of a synthetic set' },
  { name: 'classes', group: 'data', text: 'optionalInt', schema: int.min(2).nullable().default(null), doc: 'classes of a synthetic set' },
  // probes
  { name: 'probeEvery', group: 'probe', text: 'intOrAuto', schema: z.union([posInt, z.literal('auto')]).default('auto'), doc: 'probe every this many steps (auto: about 50 probes, at most half the training time)', unit: 'steps' },
  { name: 'probeSamples', group: 'probe', text: 'int', schema: posInt.default(1000), doc: 'examples in the fixed probe batch (the first of the training set)' },
  { name: 'jacobianSamples', group: 'probe', text: 'int', schema: int.min(0).default(8), doc: 'examples for the Jacobian singular values at each probe (0 = skip)' },
  { name: 'testAccuracy', group: 'probe', text: 'bool', schema: z.boolean().default(true), doc: 'measure test accuracy at every probe' },
  // the run
  { name: 'stepsEvery', group: 'run', text: 'intOrAuto', schema: z.union([int.min(0), z.literal('auto')]).default('auto'), doc: 'write steps.jsonl every this many steps (0: never; auto: every step up to 5,000, else about 5,000 lines)', unit: 'steps' },
  { name: 'seed', group: 'run', text: 'int', schema: int.default(1), doc: 'seed of the weights, the data split and order, and every random draw' },
] as const satisfies readonly SettingDef[];

/** A setting name. */
export type SettingName = (typeof SETTINGS)[number]['name'];

/** Every setting name, in table order. */
export const SETTING_NAMES: readonly SettingName[] = SETTINGS.map((s) => s.name);

const BY_NAME: ReadonlyMap<string, SettingDef> = new Map(SETTINGS.map((s) => [s.name, s as SettingDef]));
const BY_ALIAS: ReadonlyMap<string, SettingDef> = new Map(SETTINGS.flatMap((s) => ((s as SettingDef).aliases ?? []).map((a) => [a, s as SettingDef] as const)));

/** The setting called `name` (or spelt by one of its aliases), or undefined. */
export function settingNamed(name: string): SettingDef | undefined {
  return BY_NAME.get(name) ?? BY_ALIAS.get(name);
}

/** The setting a field path starts with: `activation` for `activation[2]`, `schedule` for `schedule.every`. */
export function fieldSetting(field: string): string {
  const m = /^[A-Za-z0-9_]+/.exec(field);
  return m ? m[0] : field;
}

/** `batchSize` → `batch-size`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The flag of a setting: `--batch-size`. */
export function flagOf(name: string): string {
  return `--${kebab(name)}`;
}
