/**
 * The run plan: everything the training worker needs, as plain
 * structured-cloneable data, derived from the playground state. The core
 * settings are read here; every remedy in the settings table applies its own
 * `apply` hook, so a new remedy needs no change in this file.
 */
import { getActivation, resolveParams } from '../../activations/catalogue.js';
import type { ActSpec, MlpSpec } from '../../nn/build.js';
import { outputActivationFor } from '../../nn/build.js';
import type { LossName } from '../../nn/losses.js';
import type { OptimizerName, OptimizerOptions } from '../../nn/optim.js';
import { parseRun, type RunSpec } from '../../run/schema.js';
import { DATA_NAMES, layerActivations, SETTING_KEYS, settingOf, type DataName, type PlaygroundState } from '../state/settings.js';

/** Input features and classes of each data set. */
export const DATA_SHAPES: Readonly<Record<DataName, { readonly inputs: number; readonly classes: number }>> = {
  spiral: { inputs: 2, classes: 2 },
  circles: { inputs: 2, classes: 2 },
  xor: { inputs: 2, classes: 2 },
  gaussians: { inputs: 2, classes: 2 },
  moons: { inputs: 2, classes: 2 },
  digits: { inputs: 784, classes: 10 },
};

/** Examples drawn for a 2-D set (the CLI's default for synthetic sets). */
export const SYNTHETIC_SAMPLES = 1000;
/** Fraction held out for the test accuracy (the CLI's default). */
export const TEST_FRACTION = 0.2;

/** What the worker builds and trains: plain data, posted from the page to the worker. */
export interface RunPlan {
  readonly data: { readonly name: DataName; readonly samples: number; readonly testFraction: number };
  /** The network without its RNG (the worker draws it from the seed). */
  readonly mlp: Omit<MlpSpec, 'rng' | 'kernels'>;
  /** The initialiser as written (for the verdict's advice). */
  readonly initName: string;
  readonly loss: LossName;
  /** Optimiser options; `n` is set by the worker to the training-set size. */
  readonly optimizer: Omit<OptimizerOptions, 'n'>;
  readonly lr: number;
  readonly batchSize: number;
  readonly maxSteps: number;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly seed: number;
  /** Stop once a step's gradient norm ‖∇‖ (before clipping) falls below this; null: never. */
  readonly gradTol: number | null;
}

/** True when `name` is a data set of the playground. */
export function isDataName(name: string): name is DataName {
  return (DATA_NAMES as readonly string[]).includes(name);
}

/** The overrides in `ap` that `activation` accepts (others belong to other layers' activations). */
function paramsFor(activation: string, ap: Readonly<Record<string, number>>): Record<string, number> {
  const names = new Set(getActivation(activation).params.map((p) => p.name));
  return Object.fromEntries(Object.entries(ap).filter(([k]) => names.has(k)));
}

/**
 * The plan of a playground state; throws a RangeError naming the setting
 * when a value is out of range for its activation (e.g. elu's alpha ≤ 0).
 */
export function planOf(s: PlaygroundState): RunPlan {
  if (!isDataName(s.data)) throw new RangeError(`data: unknown data set '${s.data}'`);
  const shape = DATA_SHAPES[s.data];
  const acts = layerActivations(s);
  const hidden: ActSpec[] = acts.map((name) => {
    const params = paramsFor(name, s.ap);
    resolveParams(getActivation(name), params); // throws "elu: parameter 'alpha' must be > 0; got -1"
    return Object.keys(params).length > 0 ? { name, params } : { name };
  });
  const loss = s.loss as LossName;
  const lastHidden = acts[acts.length - 1] ?? 'linear';
  const outName = outputActivationFor(loss, lastHidden);
  const output: ActSpec = outName === lastHidden && hidden.length > 0 ? hidden[hidden.length - 1] : { name: outName };
  let plan: RunPlan = {
    data: { name: s.data, samples: s.data === 'digits' ? 10000 : SYNTHETIC_SAMPLES, testFraction: TEST_FRACTION },
    mlp: {
      sizes: [shape.inputs, ...acts.map(() => s.width), shape.classes],
      hidden,
      output: getActivation(output.name).kind === 'layer' ? { name: 'linear' } : output,
      init: s.init,
      dtype: 'float32',
    },
    initName: s.init,
    loss,
    optimizer: { name: s.opt as OptimizerName },
    lr: s.lr,
    batchSize: s.batch,
    maxSteps: s.steps,
    gradTol: s.tol > 0 ? s.tol : null,
    clipNorm: null,
    clipValue: null,
    seed: s.seed,
  };
  for (const key of SETTING_KEYS) {
    const setting = settingOf(key);
    if (setting.apply) plan = setting.apply(s[key], plan);
  }
  return plan;
}

/** The hidden activations of a plan, one per hidden layer. */
function hiddenOf(plan: RunPlan): readonly ActSpec[] {
  const h = plan.mlp.hidden;
  return Array.isArray(h) ? (h as readonly ActSpec[]) : Array.from({ length: plan.mlp.sizes.length - 2 }, () => h as ActSpec);
}

/**
 * The run description of a plan: what the shared run driver trains, so the
 * lab and `gradscope train` run the same settings the same way.
 */
export function specOfPlan(plan: RunPlan): RunSpec {
  const hidden = hiddenOf(plan);
  const names = hidden.map((a) => a.name);
  const activationParams = Object.assign({}, ...hidden.map((a) => a.params ?? {})) as Record<string, number>;
  const o = plan.optimizer;
  return parseRun({
    arch: plan.mlp.sizes,
    activation: names.length > 0 && names.every((n) => n === names[0]) ? names[0] : names,
    activationParams,
    ...(plan.loss === 'quadratic' ? { outputActivation: plan.mlp.output.name } : {}),
    init: plan.mlp.init,
    loss: plan.loss,
    dtype: plan.mlp.dtype,
    norm: plan.mlp.norm ?? 'none',
    residual: plan.mlp.residual ?? false,
    dropout: plan.mlp.dropout ?? 0,
    biasInit: plan.mlp.biasInit ?? 'scheme',
    optimizer: o.name,
    ...(o.momentum !== undefined ? { momentum: o.momentum } : {}),
    l2: o.l2 ?? 0,
    l1: o.l1 ?? 0,
    lr: plan.lr,
    batchSize: plan.batchSize,
    maxSteps: plan.maxSteps,
    epochs: null,
    clipNorm: plan.clipNorm,
    clipValue: plan.clipValue,
    gradTol: plan.gradTol,
    data: plan.data.name,
    samples: plan.data.samples,
    testFraction: plan.data.testFraction,
    seed: plan.seed,
  });
}
