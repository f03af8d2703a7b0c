/**
 * Tests of the run description read from config files: valid configs
 * resolve with every default filled in (flat, or with the older nested
 * objects, which must give the same run), a resolved spec reads back to
 * itself, and each kind of mistake gives one sentence naming the file, the
 * field as the file wrote it, the value and (where there is a list) the
 * allowed values.
 */
import { describe, expect, it } from 'vitest';
import { runFromConfig } from './config.js';
import { engineOptimizer, learningRateAt, runData } from './derive.js';
import { makeDataset } from '../data/batch.js';
import type { RunSpec } from './schema.js';

function error(json: unknown): string {
  try {
    runFromConfig(json, 'run.json');
  } catch (e) {
    expect((e as Error).name).toBe('InputError');
    return (e as Error).message;
  }
  throw new Error('expected runFromConfig to throw');
}

const parse = (json: unknown): RunSpec => runFromConfig(json, 'run.json');

describe('run configs: valid', () => {
  it('fills every default into an empty config', () => {
    expect(parse({})).toEqual({
      arch: [784, 30, 30, 10],
      activation: 'sigmoid',
      activationParams: {},
      outputActivation: 'sigmoid',
      init: 'normal',
      biasInit: 'scheme',
      loss: 'binary_cross_entropy',
      model: null,
      dtype: 'float32',
      optimizer: 'sgd',
      lr: 0.1,
      momentum: 0,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      l2: 0,
      l1: 0,
      weightDecay: 0,
      schedule: { kind: 'constant' },
      warmup: 0,
      batchSize: 10,
      epochs: 30,
      maxSteps: null,
      gradTol: null,
      targetLoss: null,
      norm: 'none',
      residual: false,
      dropout: 0,
      clipNorm: null,
      clipValue: null,
      maxNorm: null,
      pretrain: false,
      pretrainSteps: 300,
      pretrainLr: 0.01,
      pretrainBatchSize: 32,
      pretrainOptimizer: 'momentum',
      data: 'digits',
      samples: null,
      testFraction: 0.2,
      noise: null,
      classes: null,
      probeEvery: 'auto',
      probeSamples: 1000,
      jacobianSamples: 8,
      testAccuracy: true,
      stepsEvery: 'auto',
      seed: 1,
    } satisfies RunSpec);
  });

  it('expands an arch string and keeps per-layer lists', () => {
    const c = parse({ arch: '784-30x3-10', activation: ['relu', 'leaky_relu', 'tanh'], init: ['he_normal', 'he_normal', 'xavier_uniform', 'normal:0.1'], loss: 'cross_entropy', optimizer: 'adam', lr: 0.001, schedule: { kind: 'cosine', minLr: 1e-5 }, warmup: 100 });
    expect(c.arch).toEqual([784, 30, 30, 30, 10]);
    expect(c.activation).toEqual(['relu', 'leaky_relu', 'tanh']);
    expect(c.outputActivation).toBe('softmax');
    expect(c).toMatchObject({ optimizer: 'adam', lr: 0.001, momentum: 0.9, beta2: 0.999, schedule: { kind: 'cosine', minLr: 1e-5 }, warmup: 100 });
  });

  it('reads the older nested objects as the same run', () => {
    const nested = parse({
      arch: [2, 8, 2],
      optimizer: { name: 'adam', lr: 0.001, beta2: 0.99 },
      lrSchedule: { kind: 'step', every: 50, factor: 0.5, warmup: 10 },
      data: { name: 'moons', samples: 300, testFraction: 0.25, noise: 0.1 },
      probe: { every: 20, samples: 100, jacobianSamples: 2, testAccuracy: false },
      pretrain: { steps: 50, optimizer: 'adam' },
    });
    const flat = parse({
      arch: [2, 8, 2],
      optimizer: 'adam',
      lr: 0.001,
      beta2: 0.99,
      schedule: { kind: 'step', every: 50, factor: 0.5 },
      warmup: 10,
      data: 'moons',
      samples: 300,
      testFraction: 0.25,
      noise: 0.1,
      probeEvery: 20,
      probeSamples: 100,
      jacobianSamples: 2,
      testAccuracy: false,
      pretrain: true,
      pretrainSteps: 50,
      pretrainOptimizer: 'adam',
    });
    expect(nested).toEqual(flat);
    expect(parse({ pretrain: null }).pretrain).toBe(false);
  });

  it('accepts schedule names as shorthands', () => {
    expect(parse({ arch: [2, 8, 2], optimizer: 'nesterov', schedule: 'cosine', data: 'moons' })).toMatchObject({ optimizer: 'nesterov', schedule: { kind: 'cosine', minLr: 0 }, data: 'moons' });
    expect(parse({ lrSchedule: 'cosine' }).schedule).toEqual({ kind: 'cosine', minLr: 0 });
  });

  it('uses the quadratic loss with an explicit output activation', () => {
    expect(parse({ activation: 'relu', loss: 'quadratic', outputActivation: 'linear' }).outputActivation).toBe('linear');
    expect(parse({ activation: 'tanh', loss: 'quadratic' }).outputActivation).toBe('tanh');
  });

  it('applies each activation parameter to the layers whose activation has it', () => {
    expect(parse({ activation: 'leaky_relu', activationParams: { negative_slope: 0.2 } }).activationParams).toEqual({ negative_slope: 0.2 });
    expect(parse({ arch: '2-4-4-2', activation: ['leaky_relu', 'elu'], activationParams: { negative_slope: 0.2, alpha: 0.5 } }).activationParams).toEqual({ negative_slope: 0.2, alpha: 0.5 });
  });

  it('is a fixed point: a resolved spec reads back to itself (config.json can be run again)', () => {
    for (const json of [
      { arch: '2-8x2-2', activation: ['relu', 'elu'], optimizer: 'sgd', momentum: 0.9, schedule: { kind: 'step', every: 100 }, data: 'xor', maxSteps: 200 },
      { arch: '784-32x4-10', init: ['torch_default', 'xavier_uniform', 'xavier_uniform', 'xavier_uniform', 'xavier_uniform'], biasInit: 'zeros', norm: 'batch', residual: true, maxNorm: 3, clipNorm: 1, clipValue: 0.5, pretrain: true },
    ]) {
      const c = parse(json);
      expect(parse(JSON.parse(JSON.stringify(c)))).toEqual(c);
    }
  });

  it('runs sgd with momentum > 0 as heavy-ball momentum, as PyTorch does', () => {
    expect(engineOptimizer(parse({ optimizer: 'sgd', momentum: 0.9 }))).toBe('momentum');
    expect(engineOptimizer(parse({ optimizer: 'sgd' }))).toBe('sgd');
  });
});

describe('run configs: errors name the file, the field as written and the value', () => {
  it('suggests a close activation name', () => {
    expect(error({ activation: 'relux' })).toMatch(/^run\.json: activation: unknown activation 'relux'; did you mean relu\b.*\?$/);
    expect(error({ arch: '2-4-4-2', activation: ['relu', 'tanhh'] })).toMatch(/^run\.json: activation\[1\]: unknown activation 'tanhh'; did you mean tanh/);
  });

  it('names enum values, ranges and types', () => {
    expect(error({ loss: 'mse' })).toBe('run.json: loss: must be one of quadratic, binary_cross_entropy, cross_entropy; got "mse"');
    expect(error({ lr: -1 })).toBe('run.json: lr: must be > 0; got -1');
    expect(error({ optimizer: 'adagrad' })).toBe('run.json: optimizer: must be one of sgd, momentum, nesterov, rmsprop, adam, adamw; got "adagrad"');
    expect(error({ batchSize: '10' })).toBe('run.json: batchSize: must be an integer; got "10"');
    expect(error({ epochs: 2.5 })).toBe('run.json: epochs: must be an integer; got 2.5');
    expect(error({ arch: 784 })).toBe('run.json: arch: must be a string or a list; got 784');
    expect(error({ stepsEvery: 'often' })).toBe('run.json: stepsEvery: must be an integer or "auto"; got "often"');
    expect(error({ activation: ['relu', 5] })).toBe('run.json: activation[1]: must be a string; got 5');
    expect(error({ norm: 'group' })).toBe('run.json: norm: must be one of none, batch, layer; got "group"');
    expect(error({ maxNorm: 0 })).toBe('run.json: maxNorm: must be > 0; got 0');
    expect(error({ clipValue: -1 })).toBe('run.json: clipValue: must be > 0; got -1');
  });

  it('names a nested field the way the file wrote it', () => {
    expect(error({ optimizer: { lr: -1 } })).toBe('run.json: optimizer.lr: must be > 0; got -1');
    expect(error({ optimizer: { name: 'adagrad' } })).toBe('run.json: optimizer.name: must be one of sgd, momentum, nesterov, rmsprop, adam, adamw; got "adagrad"');
    expect(error({ data: { name: 'digits', noise: 0.1 } })).toBe("run.json: data.noise: only the synthetic sets take noise, not 'digits'; got 0.1");
    expect(error({ lrSchedule: { kind: 'linear' } })).toBe('run.json: lrSchedule.kind: must be one of constant, step, cosine; got "linear"');
    expect(error({ lrSchedule: { kind: 'step' } })).toBe('run.json: lrSchedule.every: is required');
    expect(error({ norm: 'batch', pretrain: { batchSize: 1 } })).toBe('run.json: pretrain.batchSize: batch normalisation needs at least 2 examples per batch; got 1');
  });

  it('refuses a setting given twice (flat and nested)', () => {
    expect(error({ lr: 0.1, optimizer: { lr: 0.2 } })).toBe('run.json: optimizer.lr: sets lr, which lr already sets; give it once; got 0.2');
  });

  it('names the bad part of an arch', () => {
    expect(error({ arch: '784-3a-10' })).toBe(`run.json: arch: '3a' is not a size (N) or a repeated size (NxK); got "784-3a-10"`);
    expect(error({ arch: [784, 0, 10] })).toBe('run.json: arch[1]: must be ≥ 1; got 0');
  });

  it('checks per-layer lists against the layers', () => {
    expect(error({ arch: '784-30x3-10', activation: ['relu', 'relu'] })).toBe('run.json: activation: arch 784-30-30-30-10 has 3 hidden layers but the list has 2 activations; got ["relu","relu"]');
    expect(error({ arch: [2, 8, 2], init: ['he_normal'] })).toBe('run.json: init: arch 2-8-2 has 2 weight layers but the list has 1 initialisers; got ["he_normal"]');
  });

  it('suggests and lists initialisers, and names a bad scale', () => {
    expect(error({ init: 'he_norml' })).toMatch(/^run\.json: init: unknown initialiser 'he_norml' \(did you mean he_normal\?\); expected one of normal, nielsen, .*normal:S$/);
    expect(error({ init: 'normal:-1' })).toBe(`run.json: init: the scale after 'normal:' must be a positive number; got "normal:-1"`);
  });

  it('checks the output activation against the loss', () => {
    expect(error({ loss: 'binary_cross_entropy', outputActivation: 'softmax' })).toBe(
      'run.json: outputActivation: binary_cross_entropy needs a sigmoid output layer (set outputActivation only with the quadratic loss); got "softmax"',
    );
    expect(error({ loss: 'cross_entropy', outputActivation: 'sigmoid' })).toMatch(/^run\.json: outputActivation: cross_entropy needs a softmax output layer/);
    expect(error({ loss: 'quadratic', outputActivation: 'maxout' })).toMatch(/^run\.json: outputActivation: 'maxout' cannot be the output activation/);
  });

  it('names an unknown field and suggests the right one', () => {
    expect(error({ optimiser: 'sgd' })).toBe('run.json: optimiser: unknown field (did you mean optimizer?); expected one of the settings (docs/settings.md lists them)');
    expect(error({ probe: { evry: 10 } })).toBe('run.json: probe.evry: unknown field (did you mean every?); expected one of every, samples, jacobianSamples, testAccuracy');
    expect(error({ pretrain: { stepz: 5 } })).toBe('run.json: pretrain.stepz: unknown field (did you mean steps?); expected one of steps, lr, batchSize, optimizer');
    expect(error([1, 2])).toMatch(/^run\.json: a run config is a JSON object of settings/);
  });

  it("says what a schedule holds: its own fields, warmup beside it, a missing kind and what was found instead", () => {
    expect(error({ schedule: { kind: 'cosine', warmup: 100 } })).toBe('run.json: schedule.warmup: unknown field (warmup is a setting of its own: give it beside schedule, not inside it); expected one of kind, minLr');
    expect(error({ schedule: { kind: 'cosine', minlr: 0.1 } })).toBe('run.json: schedule.minlr: unknown field (did you mean minLr?); expected one of kind, minLr');
    expect(error({ schedule: { name: 'cosine' } })).toBe("run.json: schedule.kind: is required (one of constant, step, cosine); found only 'name'");
    expect(error({ schedule: { kind: 'cosin' } })).toBe('run.json: schedule.kind: must be one of constant, step, cosine; got "cosin"');
    expect(error({ schedule: 'bogus' })).toBe('run.json: schedule: must be one of constant, step, cosine; got "bogus"');
    expect(error({ schedule: { kind: 'step', evry: 10 } })).toBe("run.json: schedule.every: is required; found 'evry' (a misspelling?)");
    expect(error({ arch: '5-4-1', loss: 'cross_entropy' })).toMatch(/^run\.json: loss: cross_entropy needs at least 2 outputs .*; got "cross_entropy"$/);
  });

  it('bounds the run length', () => {
    expect(error({ epochs: 1e11 })).toBe('run.json: epochs: must be ≤ 1000000; got 100000000000');
    expect(error({ maxSteps: 2e9 })).toBe('run.json: maxSteps: must be ≤ 1000000000; got 2000000000');
  });

  it('names an activation parameter no hidden activation takes', () => {
    expect(error({ activation: 'relu', activationParams: { negative_slope: 0.2 } })).toBe("run.json: activationParams: relu: takes no parameters; got 'negative_slope'");
    expect(error({ activation: 'elu', activationParams: { alpha: -1 } })).toBe("run.json: activationParams: elu: parameter 'alpha' must be > 0; got -1");
  });

  it('rejects an unknown dataset with a suggestion and the list', () => {
    expect(error({ data: 'spirl' })).toMatch(/^run\.json: data: unknown dataset 'spirl' \(did you mean spiral\?\); expected one of digits, mnist:DIR, /);
    expect(error({ data: { name: 'spirl' } })).toMatch(/^run\.json: data\.name: unknown dataset 'spirl'/);
  });

  it('rejects decay terms the optimiser would ignore', () => {
    expect(error({ optimizer: 'adam', weightDecay: 0.01 })).toBe('run.json: weightDecay: only adamw uses decoupled weight decay (use l2 with adam); got 0.01');
    expect(error({ optimizer: { name: 'adamw', l2: 5 } })).toBe('run.json: optimizer.l2: adamw decays weights with weightDecay, not l2; got 5');
  });

  it('rejects impossible combinations, naming the field to change', () => {
    expect(error({ arch: '784-30-10', activation: 'maxout', norm: 'batch' })).toMatch(/^run\.json: norm: batch normalisation sits between a layer's linear part and its activation, which 'maxout' does not separate; .*got "batch"$/);
    expect(error({ arch: '784-30-10', activation: 'maxout', residual: true })).toBe("run.json: residual: residual blocks need dense hidden layers, not 'maxout'; got true");
    expect(error({ arch: '784-10', residual: true })).toBe('run.json: residual: arch 784-10 has no hidden layer to put in a residual block; got true');
    expect(error({ arch: '784-10', norm: 'layer' })).toMatch(/^run\.json: norm: arch 784-10 has no hidden layer to normalise/);
    expect(error({ norm: 'batch', batchSize: 1 })).toBe('run.json: batchSize: batch normalisation needs at least 2 examples per batch to compute batch statistics; got 1');
    expect(error({ norm: 'batch', probe: { samples: 1 } })).toBe('run.json: probe.samples: batch normalisation needs at least 2 examples in the probe batch to compute batch statistics; got 1');
    expect(error({ arch: '784-10', pretrain: true })).toMatch(/^run\.json: pretrain: arch 784-10 has no hidden layer to pre-train/);
    expect(error({ epochs: null })).toMatch(/^run\.json: epochs: is null and so is maxSteps/);
  });
});

describe('learningRateAt', () => {
  const at = (lr: number, schedule: unknown, warmup: number, step: number, total: number): number => learningRateAt(parse({ lr, schedule, warmup }), step, total);

  it('warms up linearly, then follows the schedule', () => {
    expect([0, 3, 50].map((t) => at(1, 'constant', 4, t, 100))).toEqual([0.25, 1, 1]);
  });

  it('decays by factor every `every` steps', () => {
    expect([0, 9, 10, 25].map((t) => at(0.8, { kind: 'step', every: 10, factor: 0.5 }, 0, t, 100))).toEqual([0.8, 0.8, 0.4, 0.2]);
  });

  it('combines warm-up with step decay and with cosine annealing (hand-worked)', () => {
    // warm-up 4 at lr 0.2: 0.05, 0.1, 0.15, 0.2; then ×0.1 every 10 steps counted from step 4
    expect([0, 1, 2, 3, 4, 13, 14, 24].map((t) => at(0.2, { kind: 'step', every: 10, factor: 0.1 }, 4, t, 100))).toEqual([0.05, 0.1, 0.15, 0.2, 0.2, 0.2, 0.02, 0.002].map((v) => expect.closeTo(v, 15)));
    // cosine over the 40 steps after a warm-up of 10 (total 50), lr 1 → minLr 0: t = 20 is half-way, 0.5
    const co = { kind: 'cosine', minLr: 0 };
    expect(at(1, co, 10, 9, 50)).toBe(1);
    expect(at(1, co, 10, 30, 50)).toBeCloseTo(0.5, 15);
    expect(at(1, co, 10, 20, 50)).toBeCloseTo((1 + Math.cos(Math.PI / 4)) / 2, 15);
    expect(at(1, co, 10, 49, 50)).toBeCloseTo((1 + Math.cos((Math.PI * 39) / 40)) / 2, 15);
  });

  it('anneals along a half cosine from lr to minLr', () => {
    const s = { kind: 'cosine', minLr: 0.1 };
    expect(at(1, s, 0, 0, 100)).toBeCloseTo(1, 12);
    expect(at(1, s, 0, 50, 100)).toBeCloseTo(0.55, 12);
    expect(at(1, s, 0, 100, 100)).toBeCloseTo(0.1, 12);
  });
});

describe('runData', () => {
  const tiny = (n: number) => makeDataset({ name: 'tiny', inputSize: 1, classes: 2, x: new Float32Array(n), labels: Uint8Array.from({ length: n }, (_, i) => i % 2) });
  it('refuses a split that holds out nothing or leaves nothing to train on, naming the setting', () => {
    const spec = (o: object) => parse({ arch: '1-2-2', data: 'moons', ...o });
    expect(() => runData(spec({ testFraction: 0.2 }), tiny(4))).toThrow(/^samples: must be large enough for testFraction 0\.2 to hold out an example .*; got 4$/);
    expect(() => runData(spec({ testFraction: 0.9 }), tiny(2))).toThrow(/^testFraction: must leave an example to train on \(all 2 examples are held out\); got 0\.9$/);
    const ok = runData(spec({ testFraction: 0.2 }), tiny(20));
    expect([ok.train.n, ok.test?.n]).toEqual([16, 4]);
    expect(runData(spec({ testFraction: 0 }), tiny(4)).test).toBeNull();
  });
});
