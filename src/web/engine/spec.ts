/**
 * The run a playground state describes: a RunSpec, the same description
 * `gradscope train` reads from a config file, so the page, the training
 * worker and the CLI share one run format and one driver. The core settings
 * are read here; every remedy in the settings table applies its own `apply`
 * hook, so a new remedy needs no change in this file.
 */
import { getActivation, resolveParams } from '../../activations/catalogue.js';
import { outputActivationFor } from '../../nn/build.js';
import type { LossName } from '../../nn/losses.js';
import { parseRun, type RunInput, type RunSpec } from '../../run/schema.js';
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

/** True when `name` is a data set of the playground. */
export function isDataName(name: string): name is DataName {
  return (DATA_NAMES as readonly string[]).includes(name);
}

/**
 * The run of a playground state, as `gradscope train` would read it from a
 * config file: the state's settings as run settings, then each remedy's
 * `apply` hook from the settings table, checked by the run schema. Throws a
 * RangeError naming the activation and parameter when a parameter is out of
 * range (e.g. elu's alpha ≤ 0).
 */
export function specOf(s: PlaygroundState): RunSpec {
  if (!isDataName(s.data)) throw new RangeError(`data: unknown data set '${s.data}'`);
  const shape = DATA_SHAPES[s.data];
  const acts = layerActivations(s);
  // the parameters some hidden activation takes, each checked against its range
  const taken = new Set<string>();
  for (const name of new Set(acts)) {
    const def = getActivation(name);
    const own = Object.fromEntries(Object.entries(s.ap).filter(([k]) => def.params.some((p) => p.name === k)));
    resolveParams(def, own); // throws "elu: parameter 'alpha' must be > 0; got -1"
    for (const k of Object.keys(own)) taken.add(k);
  }
  const loss = s.loss as LossName;
  const out = outputActivationFor(loss, acts[acts.length - 1] ?? 'linear');
  let run: RunInput = {
    arch: [shape.inputs, ...acts.map(() => s.width), shape.classes],
    activation: acts.length > 0 && acts.every((n) => n === acts[0]) ? acts[0] : acts,
    activationParams: Object.fromEntries(Object.entries(s.ap).filter(([k]) => taken.has(k))),
    ...(loss === 'quadratic' ? { outputActivation: getActivation(out).kind === 'layer' ? 'linear' : out } : {}),
    init: s.init,
    loss,
    dtype: 'float32',
    optimizer: s.opt,
    lr: s.lr,
    batchSize: s.batch,
    maxSteps: s.steps,
    epochs: null,
    gradTol: s.tol > 0 ? s.tol : null,
    data: s.data,
    samples: s.data === 'digits' ? 10000 : SYNTHETIC_SAMPLES,
    testFraction: TEST_FRACTION,
    seed: s.seed,
  };
  for (const key of SETTING_KEYS) {
    const setting = settingOf(key);
    if (setting.apply) run = setting.apply(s[key], run);
  }
  return parseRun(run);
}

/** The run on the reader's own data (a dropped CSV): two inputs, as many outputs as classes, every example. */
export function onCustomData(spec: RunSpec, c: { readonly labels: ArrayLike<number>; readonly classes: number }): RunSpec {
  return { ...spec, samples: c.labels.length, arch: [2, ...spec.arch.slice(1, -1), c.classes] };
}
