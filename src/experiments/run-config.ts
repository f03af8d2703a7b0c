/**
 * The run config of `gradscope train CONFIG.json`: a zod schema for the JSON
 * file (strict objects, every default filled in), the checks zod cannot make
 * (names against the catalogues, per-layer list lengths against the
 * architecture, impossible combinations), and errors as one sentence naming
 * the file, the field path, the offending value and the allowed values.
 * The resolved config is itself a valid config: feeding a run's config.json
 * back in gives the same config.
 */
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { getActivation, resolveParams } from '../activations/catalogue.js';
import { DATASET_NAMES, parseDatasetSpec } from '../data/catalog.js';
import { NORM_KINDS, outputActivationFor, parseArch, type NormKind } from '../nn/build.js';
import { BIAS_INITS, getInit, INIT_NAMES, type BiasInit } from '../nn/init.js';
import { LOSS_NAMES, type LossName } from '../nn/losses.js';
import { formatPath, InputError, show } from '../nn/model-file.js';
import { OPTIMIZER_NAMES, scheduledLr, type LrSchedule, type OptimizerName } from '../nn/optim.js';

export type { LrSchedule };
import { DTYPES, type DType } from '../tensor/dtype.js';

// integers say so when given another type (zod reports only 'number' there)
const int = z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' });
const posInt = int.min(1);
const nullable = <T extends z.ZodType>(t: T) => t.nullable().default(null);
/** Accepts `"name"` as shorthand for `{"kind"|"name": "name"}`. */
const shorthand = (key: string) => (v: unknown) => (typeof v === 'string' ? { [key]: v } : v);

const optimizerSchema = z.preprocess(
  shorthand('name'),
  z.strictObject({
    name: z.enum(OPTIMIZER_NAMES as [OptimizerName, ...OptimizerName[]]).default('sgd'),
    lr: z.number().positive().default(0.1),
    // default by optimiser: 0 for sgd (plain), 0.9 for momentum/nesterov (μ) and rmsprop (ρ)
    momentum: z.number().min(0).lt(1).optional(),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    eps: z.number().positive().default(1e-8),
    l2: z.number().min(0).default(0),
    l1: z.number().min(0).default(0),
    weightDecay: z.number().min(0).default(0),
  }),
);

const warmup = int.min(0).default(0);
const scheduleSchema = z.preprocess(
  shorthand('kind'),
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('constant'), warmup }),
    z.strictObject({ kind: z.literal('step'), every: posInt, factor: z.number().positive().default(0.1), warmup }),
    z.strictObject({ kind: z.literal('cosine'), minLr: z.number().min(0).default(0), warmup }),
  ]),
);

const dataSchema = z.preprocess(
  shorthand('name'),
  z.strictObject({
    name: z.string().default('digits'),
    // at most 10 million examples: a synthetic set is drawn in memory (the full MNIST is 70,000)
    samples: nullable(posInt.max(10_000_000)),
    testFraction: z.number().min(0).lt(1).default(0.2),
    noise: nullable(z.number().min(0)),
    classes: nullable(int.min(2)),
  }),
);

// greedy layer-wise pre-training: `true` means every default, `false` none
const pretrainSchema = z.preprocess(
  (v) => (v === true ? {} : v === false ? null : v),
  z
    .strictObject({
      steps: posInt.default(300),
      lr: z.number().positive().default(0.01),
      batchSize: posInt.default(32),
      optimizer: z.enum(['sgd', 'momentum', 'adam']).default('momentum'),
    })
    .nullable()
    .default(null),
);

const probeSchema = z.strictObject({
  every: z.union([posInt, z.literal('auto')]).default('auto'),
  samples: posInt.default(1000),
  jacobianSamples: int.min(0).default(0),
  testAccuracy: z.boolean().default(true),
});

const nameOrList = z.union([z.string(), z.array(z.string()).min(1)]);

/** The zod schema of a run config file (structure and ranges; names are checked by `parseRunConfig`). */
export const runConfigSchema = z.strictObject({
  arch: z.union([z.string(), z.array(posInt).min(2)]).default('784-30-30-10'),
  activation: nameOrList.default('sigmoid'),
  activationParams: z.record(z.string(), z.number()).default({}),
  outputActivation: nullable(z.string()),
  init: nameOrList.default('normal'),
  loss: z.enum(LOSS_NAMES as [LossName, ...LossName[]]).default('binary_cross_entropy'),
  optimizer: optimizerSchema.prefault({}),
  lrSchedule: scheduleSchema.prefault({ kind: 'constant' }),
  batchSize: posInt.default(10),
  epochs: posInt.nullable().default(30),
  maxSteps: nullable(posInt),
  gradTol: nullable(z.number().positive()),
  targetLoss: nullable(z.number().positive()),
  clipNorm: nullable(z.number().positive()),
  clipValue: nullable(z.number().positive()),
  dropout: z.number().min(0).lt(1).default(0),
  biasInit: z.enum(BIAS_INITS as [BiasInit, ...BiasInit[]]).default('scheme'),
  norm: z.enum(NORM_KINDS as [NormKind, ...NormKind[]]).default('none'),
  residual: z.boolean().default(false),
  maxNorm: nullable(z.number().positive()),
  pretrain: pretrainSchema,
  data: dataSchema.prefault({}),
  probe: probeSchema.prefault({}),
  stepsEvery: z.union([int.min(0), z.literal('auto')]).default('auto'),
  dtype: z.enum(DTYPES as [DType, ...DType[]]).default('float32'),
  seed: int.default(1),
  model: nullable(z.string().min(1)),
});

/** A resolved run config: every default filled in, names canonical, arch as a list of sizes. */
export interface RunConfig {
  /** A network file to start from (ONNX, TensorFlow.js, gradscope model), relative to the config file; null: build `arch`. */
  readonly model: string | null;
  /** Layer sizes, input first. */
  readonly arch: readonly number[];
  /** Hidden activation, or one per hidden layer. */
  readonly activation: string | readonly string[];
  /** Parameters of every hidden activation, e.g. { negative_slope: 0.2 }. */
  readonly activationParams: Readonly<Record<string, number>>;
  /** Output activation (implied by the loss unless it is quadratic). */
  readonly outputActivation: string;
  /** Initialiser, or one per weight layer. */
  readonly init: string | readonly string[];
  readonly loss: LossName;
  readonly optimizer: {
    readonly name: OptimizerName;
    readonly lr: number;
    readonly momentum: number;
    readonly beta1: number;
    readonly beta2: number;
    readonly eps: number;
    readonly l2: number;
    readonly l1: number;
    readonly weightDecay: number;
  };
  readonly lrSchedule: LrSchedule;
  readonly batchSize: number;
  /** Epoch limit (null: only maxSteps limits the run). */
  readonly epochs: number | null;
  /** Step limit (null: only epochs limit the run). */
  readonly maxSteps: number | null;
  readonly gradTol: number | null;
  readonly targetLoss: number | null;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly dropout: number;
  /** Biases by each initialiser's own rule, or zeros. */
  readonly biasInit: BiasInit;
  /** Normalisation between each hidden layer's linear part and its activation. */
  readonly norm: NormKind;
  /** Hidden layers as residual blocks y = x + f(N(Wx + b)) (a projection where the width changes). */
  readonly residual: boolean;
  /** Max-norm constraint on every unit's incoming weights, applied after each update (null: none). */
  readonly maxNorm: number | null;
  /** Greedy layer-wise autoencoder pre-training before training (null: none); `steps` per hidden layer. */
  readonly pretrain: {
    readonly steps: number;
    readonly lr: number;
    readonly batchSize: number;
    readonly optimizer: 'sgd' | 'momentum' | 'adam';
  } | null;
  readonly data: {
    /** 'digits', 'mnist:DIR' or a synthetic set. */
    readonly name: string;
    /** The first n examples (digits, mnist) or how many to draw (synthetic); null: all / 1000. */
    readonly samples: number | null;
    /** Held-out fraction (ignored for mnist:DIR, which has its official test files). */
    readonly testFraction: number;
    readonly noise: number | null;
    readonly classes: number | null;
  };
  readonly probe: {
    /** Probe every this many steps ('auto': about 50 probes per run, costing at most about half the training time). */
    readonly every: number | 'auto';
    /** The probe batch: the first `samples` training examples. */
    readonly samples: number;
    readonly jacobianSamples: number;
    /** Measure test accuracy at every probe. */
    readonly testAccuracy: boolean;
  };
  /** Write steps.jsonl every this many steps (0: never; 'auto': every step up to 5,000 steps, else about 5,000 lines). */
  readonly stepsEvery: number | 'auto';
  readonly dtype: DType;
  readonly seed: number;
}

/** The fields allowed in each object of a config, for "unknown field" errors. */
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(runConfigSchema.shape),
  optimizer: ['name', 'lr', 'momentum', 'beta1', 'beta2', 'eps', 'l2', 'l1', 'weightDecay'],
  'lrSchedule:constant': ['kind', 'warmup'],
  'lrSchedule:step': ['kind', 'every', 'factor', 'warmup'],
  'lrSchedule:cosine': ['kind', 'minLr', 'warmup'],
  data: ['name', 'samples', 'testFraction', 'noise', 'classes'],
  pretrain: ['steps', 'lr', 'batchSize', 'optimizer'],
  probe: ['every', 'samples', 'jacobianSamples', 'testAccuracy'],
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
};

function typeWord(expected: string): string {
  return TYPE_WORDS[expected] ?? expected;
}

/** "did you mean X?" when `name` is within two edits of a candidate. */
function suggestion(name: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  const guess = closest(name, [...candidates]);
  return distance(name, guess) <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean ${guess}?)` : '';
}

type Issue = z.core.$ZodIssue;

/** One issue as "path: what is wrong; got value". */
function describe(issue: Issue, root: unknown, base: readonly PropertyKey[] = []): string {
  const path = [...base, ...issue.path];
  const where = formatPath(path);
  const got = valueAt(root, path);
  const gotS = `got ${show(got)}`;
  switch (issue.code) {
    case 'invalid_type':
      if (got === undefined) return `${where}: is required`;
      if (issue.message.startsWith('must be ')) return `${where}: ${issue.message}; ${gotS}`;
      return `${where}: must be ${typeWord(issue.expected)}; ${gotS}`;
    case 'too_small': {
      if (issue.origin === 'array') return `${where}: needs at least ${issue.minimum} entries; ${gotS}`;
      if (issue.origin === 'string') return `${where}: must not be empty`;
      return `${where}: must be ${issue.inclusive ? '≥' : '>'} ${issue.minimum}; ${gotS}`;
    }
    case 'too_big':
      if (issue.origin === 'array') return `${where}: has at most ${issue.maximum} entries; ${gotS}`;
      return `${where}: must be ${issue.inclusive ? '≤' : '<'} ${issue.maximum}; ${gotS}`;
    case 'invalid_value':
      return `${where}: must be one of ${issue.values.map((v) => String(v)).join(', ')}; ${gotS}`;
    case 'unrecognized_keys': {
      const key = issue.keys[0];
      const at = formatPath([...path, key]);
      const kind = valueAt(root, [...path, 'kind']);
      const fields = FIELDS[formatPath(path) === '(top level)' ? '' : typeof kind === 'string' ? `${formatPath(path)}:${kind}` : formatPath(path)] ?? [];
      return `${at}: unknown field${suggestion(key, fields)}; expected one of ${fields.join(', ')}`;
    }
    case 'invalid_union': {
      // a discriminated union names its options (lrSchedule.kind)
      const options = (issue as { options?: readonly unknown[] }).options;
      if (options) return `${where}: must be one of ${options.map((v) => String(v)).join(', ')}; ${gotS}`;
      // a union of types (e.g. arch: string or list): if one branch got past the type check, its issue is the informative one
      const isTypeMismatch = (i: Issue | undefined): boolean => i !== undefined && i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');
      const deeper = issue.errors.find((branch) => branch.length > 0 && !isTypeMismatch(branch[0]));
      if (deeper) return describe(deeper[0], root, path);
      const kinds = issue.errors.map((b) => {
        const i = b[0];
        if (i?.code === 'invalid_type') return i.message.startsWith('must be ') ? i.message.slice(8) : typeWord(i.expected);
        if (i?.code === 'invalid_value') return i.values.map((v) => JSON.stringify(v)).join(' or ');
        return 'something else';
      });
      if (got === undefined) return `${where}: is required`;
      return `${where}: must be ${kinds.join(' or ')}; ${gotS}`;
    }
    default:
      return `${where}: ${issue.message}; ${gotS}`;
  }
}

/** A throw helper: "file: path: message". */
function fail(file: string, where: string, message: string): never {
  throw new InputError(`${file}: ${where}: ${message}`);
}

/** Runs `f`, turning what it throws into "file: where: message". */
function at<T>(file: string, where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    return fail(file, where, (e as Error).message);
  }
}

/** Resolves an initialiser name, with a suggestion for a misspelt one. */
function checkInit(name: string, file: string, where: string): void {
  try {
    getInit(name);
  } catch (e) {
    if (/^(uniform|normal):/.test(name)) fail(file, where, (e as Error).message);
    const fixed = INIT_NAMES.filter((n) => !n.includes(':'));
    fail(file, where, `unknown initialiser '${name}'${suggestion(name, fixed)}; expected one of ${INIT_NAMES.join(', ')}`);
  }
}

/**
 * Validates parsed JSON as a run config and fills in every default; throws an
 * InputError naming `file`, the field path, the value and the allowed values.
 */
export function parseRunConfig(json: unknown, file: string): RunConfig {
  const r = runConfigSchema.safeParse(json);
  if (!r.success) throw new InputError(`${file}: ${describe(r.error.issues[0], json)}`);
  const c = r.data;

  // arch: a Nielsen size string or a list of sizes
  const arch: number[] =
    typeof c.arch === 'string'
      ? at(file, 'arch', () => {
          try {
            return parseArch(c.arch as string);
          } catch (e) {
            // parseArch says "arch '784-3a-10': '3a' is not a size ..."; name the value once, at the end
            throw new Error(`${(e as Error).message.replace(/^arch '[^']*': /, '')}; got ${show(c.arch)}`);
          }
        })
      : [...c.arch];
  if (arch.length > 1002) fail(file, 'arch', `at most 1000 hidden layers; got ${arch.length - 2}`);
  const L = arch.length - 1;
  const archText = arch.join('-');

  // hidden activations: names, per-layer count, parameters
  const hiddenNames = typeof c.activation === 'string' ? [c.activation] : c.activation;
  if (typeof c.activation !== 'string' && c.activation.length !== L - 1) {
    fail(file, 'activation', `arch ${archText} has ${L - 1} hidden layer${L - 1 === 1 ? '' : 's'} but the list has ${c.activation.length} activations; got ${show(c.activation)}`);
  }
  const canonical = hiddenNames.map((n, i) => at(file, typeof c.activation === 'string' ? 'activation' : `activation[${i}]`, () => getActivation(n)));
  canonical.forEach((def) => at(file, 'activationParams', () => resolveParams(def, c.activationParams)));
  const activation = typeof c.activation === 'string' ? canonical[0].name : canonical.map((d) => d.name);

  // output activation: implied by the loss unless the loss is quadratic
  const lastHidden = canonical[canonical.length - 1].name;
  const implied = outputActivationFor(c.loss, lastHidden);
  let outputActivation = implied;
  if (c.outputActivation !== null) {
    const def = at(file, 'outputActivation', () => getActivation(c.outputActivation as string));
    if (def.kind === 'layer') fail(file, 'outputActivation', `'${def.name}' cannot be the output activation (it is a layer of its own); got ${show(c.outputActivation)}`);
    if (c.loss !== 'quadratic' && def.name !== implied) {
      fail(file, 'outputActivation', `${c.loss} needs a ${implied} output layer (set outputActivation only with the quadratic loss); got ${show(c.outputActivation)}`);
    }
    outputActivation = def.name;
  }

  // initialisers
  if (typeof c.init === 'string') checkInit(c.init, file, 'init');
  else {
    if (c.init.length !== L) fail(file, 'init', `arch ${archText} has ${L} weight layer${L === 1 ? '' : 's'} but the list has ${c.init.length} initialisers; got ${show(c.init)}`);
    c.init.forEach((n, i) => checkInit(n, file, `init[${i}]`));
  }

  // optimiser: momentum default by name, decay terms that the optimiser ignores
  const o = c.optimizer;
  const momentum = o.momentum ?? (o.name === 'sgd' ? 0 : 0.9);
  if (o.name === 'adamw' && o.l2 > 0) fail(file, 'optimizer.l2', `adamw decays weights with weightDecay, not l2; got ${o.l2}`);
  if (o.name !== 'adamw' && o.weightDecay > 0) fail(file, 'optimizer.weightDecay', `only adamw uses decoupled weight decay (use l2 with ${o.name}); got ${o.weightDecay}`);

  // data: a known set; noise and classes only for synthetic sets
  const spec = at(file, 'data.name', () => {
    try {
      return parseDatasetSpec(c.data.name);
    } catch (e) {
      throw new Error(`${(e as Error).message}; expected one of ${DATASET_NAMES.join(', ')}`);
    }
  });
  if (spec.kind !== 'synthetic') {
    if (c.data.noise !== null) fail(file, 'data.noise', `only the synthetic sets take noise, not '${c.data.name}'; got ${c.data.noise}`);
    if (c.data.classes !== null) fail(file, 'data.classes', `only the synthetic sets take a number of classes, not '${c.data.name}'; got ${c.data.classes}`);
  }

  if (c.epochs === null && c.maxSteps === null) fail(file, 'epochs', 'is null and so is maxSteps: set at least one limit; got null');

  // remedies that cannot be combined with the rest of the config
  const maxout = canonical.find((d) => d.kind === 'layer');
  if (c.norm !== 'none' && maxout) fail(file, 'norm', `${c.norm} normalisation sits between a layer's linear part and its activation, which '${maxout.name}' does not separate; use another activation or norm "none"; got ${show(c.norm)}`);
  if (c.residual && maxout) fail(file, 'residual', `residual blocks need dense hidden layers, not '${maxout.name}'; got true`);
  if (c.residual && L < 2) fail(file, 'residual', `arch ${archText} has no hidden layer to put in a residual block; got true`);
  if (c.norm !== 'none' && L < 2) fail(file, 'norm', `arch ${archText} has no hidden layer to normalise (the output layer is never normalised); got ${show(c.norm)}`);
  if (c.norm === 'batch' && c.batchSize < 2) fail(file, 'batchSize', `batch normalisation needs at least 2 examples per batch to compute batch statistics; got ${c.batchSize}`);
  if (c.pretrain !== null && L < 2) fail(file, 'pretrain', `arch ${archText} has no hidden layer to pre-train; got ${show(c.pretrain)}`);
  if (c.pretrain !== null && c.norm === 'batch' && c.pretrain.batchSize < 2) fail(file, 'pretrain.batchSize', `batch normalisation needs at least 2 examples per batch; got ${c.pretrain.batchSize}`);

  return {
    arch,
    activation,
    activationParams: c.activationParams,
    outputActivation,
    init: c.init,
    loss: c.loss,
    optimizer: { name: o.name, lr: o.lr, momentum, beta1: o.beta1, beta2: o.beta2, eps: o.eps, l2: o.l2, l1: o.l1, weightDecay: o.weightDecay },
    lrSchedule: c.lrSchedule,
    batchSize: c.batchSize,
    epochs: c.epochs,
    maxSteps: c.maxSteps,
    gradTol: c.gradTol,
    targetLoss: c.targetLoss,
    clipNorm: c.clipNorm,
    clipValue: c.clipValue,
    dropout: c.dropout,
    biasInit: c.biasInit,
    norm: c.norm,
    residual: c.residual,
    maxNorm: c.maxNorm,
    pretrain: c.pretrain,
    data: c.data,
    probe: c.probe,
    stepsEvery: c.stepsEvery,
    dtype: c.dtype,
    seed: c.seed,
    model: c.model,
  };
}

/** The learning rate of step `step` (0-based) of a run of `total` steps: linear warm-up, then the schedule (see `scheduledLr`). */
export function learningRate(lr: number, s: LrSchedule, step: number, total: number): number {
  return scheduledLr(lr, s, step, total);
}

/** The optimiser the engine runs: PyTorch's SGD with momentum > 0 is heavy-ball momentum. */
export function engineOptimizer(o: RunConfig['optimizer']): OptimizerName {
  return o.name === 'sgd' && o.momentum > 0 ? 'momentum' : o.name;
}
