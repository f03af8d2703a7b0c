/**
 * Tests of the run config: valid configs resolve with every default filled
 * in, and each kind of mistake gives one sentence naming the file, the field
 * path, the value and (where there is a list) the allowed values.
 */
import { describe, expect, it } from 'vitest';
import { engineOptimizer, learningRate, parseRunConfig, type RunConfig } from './run-config.js';

function error(json: unknown): string {
  try {
    parseRunConfig(json, 'run.json');
  } catch (e) {
    expect((e as Error).name).toBe('InputError');
    return (e as Error).message;
  }
  throw new Error('expected parseRunConfig to throw');
}

describe('parseRunConfig: valid configs', () => {
  it('fills every default into an empty config', () => {
    const c = parseRunConfig({}, 'run.json');
    expect(c).toEqual({
      arch: [784, 30, 30, 10],
      activation: 'sigmoid',
      activationParams: {},
      outputActivation: 'sigmoid',
      init: 'normal',
      loss: 'binary_cross_entropy',
      optimizer: { name: 'sgd', lr: 0.1, momentum: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, l2: 0, l1: 0, weightDecay: 0 },
      lrSchedule: { kind: 'constant', warmup: 0 },
      batchSize: 10,
      epochs: 30,
      maxSteps: null,
      gradTol: null,
      targetLoss: null,
      clipNorm: null,
      clipValue: null,
      dropout: 0,
      biasInit: 'scheme',
      norm: 'none',
      residual: false,
      maxNorm: null,
      pretrain: null,
      data: { name: 'digits', samples: null, testFraction: 0.2, noise: null, classes: null },
      probe: { every: 'auto', samples: 1000, jacobianSamples: 0, testAccuracy: true },
      stepsEvery: 'auto',
      dtype: 'float32',
      seed: 1,
    } satisfies RunConfig);
  });

  it('expands an arch string and keeps per-layer lists', () => {
    const c = parseRunConfig(
      {
        arch: '784-30x3-10',
        activation: ['relu', 'leaky_relu', 'tanh'],
        init: ['he_normal', 'he_normal', 'xavier_uniform', 'normal:0.1'],
        loss: 'cross_entropy',
        optimizer: { name: 'adam', lr: 0.001 },
        lrSchedule: { kind: 'cosine', minLr: 1e-5, warmup: 100 },
        data: { name: 'digits', samples: 2000, testFraction: 0.25 },
        probe: { every: 50, samples: 500, jacobianSamples: 4 },
      },
      'run.json',
    );
    expect(c.arch).toEqual([784, 30, 30, 30, 10]);
    expect(c.activation).toEqual(['relu', 'leaky_relu', 'tanh']);
    expect(c.outputActivation).toBe('softmax');
    expect(c.optimizer).toMatchObject({ name: 'adam', lr: 0.001, momentum: 0.9, beta2: 0.999 });
    expect(c.lrSchedule).toEqual({ kind: 'cosine', minLr: 1e-5, warmup: 100 });
  });

  it('accepts string shorthands for optimizer, lrSchedule and data', () => {
    const c = parseRunConfig({ arch: [2, 8, 2], optimizer: 'nesterov', lrSchedule: 'cosine', data: 'moons' }, 'run.json');
    expect(c.optimizer.name).toBe('nesterov');
    expect(c.lrSchedule).toEqual({ kind: 'cosine', minLr: 0, warmup: 0 });
    expect(c.data.name).toBe('moons');
  });

  it('uses the quadratic loss with an explicit output activation', () => {
    const c = parseRunConfig({ activation: 'relu', loss: 'quadratic', outputActivation: 'linear' }, 'run.json');
    expect(c.outputActivation).toBe('linear');
    expect(parseRunConfig({ activation: 'tanh', loss: 'quadratic' }, 'run.json').outputActivation).toBe('tanh');
  });

  it('accepts activation parameters that every hidden activation takes', () => {
    const c = parseRunConfig({ activation: 'leaky_relu', activationParams: { negative_slope: 0.2 } }, 'run.json');
    expect(c.activationParams).toEqual({ negative_slope: 0.2 });
  });

  it('is a fixed point: a resolved config parses to itself (config.json can be run again)', () => {
    const c = parseRunConfig({ arch: '2-8x2-2', activation: ['relu', 'elu'], optimizer: { name: 'sgd', momentum: 0.9 }, lrSchedule: { kind: 'step', every: 100 }, data: 'xor', maxSteps: 200 }, 'run.json');
    expect(parseRunConfig(JSON.parse(JSON.stringify(c)), 'config.json')).toEqual(c);
  });

  it('accepts the remedies: normalisation, residual blocks, zero biases, max-norm, clipping, pre-training', () => {
    const c = parseRunConfig({ arch: '784-32x4-10', activation: 'sigmoid', init: ['torch_default', 'xavier_uniform', 'xavier_uniform', 'xavier_uniform', 'xavier_uniform'], biasInit: 'zeros', norm: 'batch', residual: true, maxNorm: 3, clipNorm: 1, clipValue: 0.5, pretrain: true }, 'run.json');
    expect(c).toMatchObject({ norm: 'batch', residual: true, biasInit: 'zeros', maxNorm: 3, clipNorm: 1, clipValue: 0.5 });
    expect(c.init).toHaveLength(5);
    expect(c.pretrain).toEqual({ steps: 300, lr: 0.01, batchSize: 32, optimizer: 'momentum' });
    expect(parseRunConfig({ pretrain: { steps: 50, optimizer: 'adam' } }, 'r').pretrain).toMatchObject({ steps: 50, optimizer: 'adam' });
    expect(parseRunConfig({ pretrain: false }, 'r').pretrain).toBeNull();
    expect(parseRunConfig(JSON.parse(JSON.stringify(c)), 'config.json')).toEqual(c);
  });

  it('runs sgd with momentum > 0 as heavy-ball momentum, as PyTorch does', () => {
    expect(engineOptimizer(parseRunConfig({ optimizer: { name: 'sgd', momentum: 0.9 } }, 'r').optimizer)).toBe('momentum');
    expect(engineOptimizer(parseRunConfig({ optimizer: 'sgd' }, 'r').optimizer)).toBe('sgd');
  });
});

describe('parseRunConfig: errors name the file, the field and the value', () => {
  it('suggests a close activation name', () => {
    expect(error({ activation: 'relux' })).toMatch(/^run\.json: activation: unknown activation 'relux'; did you mean relu\b.*\?$/);
  });

  it('names the index of a bad entry in a per-layer activation list', () => {
    expect(error({ arch: '2-4-4-2', activation: ['relu', 'tanhh'] })).toMatch(/^run\.json: activation\[1\]: unknown activation 'tanhh'; did you mean tanh/);
  });

  it('lists the losses for an unknown one', () => {
    expect(error({ loss: 'mse' })).toBe('run.json: loss: must be one of quadratic, binary_cross_entropy, cross_entropy; got "mse"');
  });

  it('rejects a negative learning rate', () => {
    expect(error({ optimizer: { lr: -1 } })).toBe('run.json: optimizer.lr: must be > 0; got -1');
  });

  it('lists the optimisers for an unknown one', () => {
    expect(error({ optimizer: { name: 'adagrad' } })).toBe('run.json: optimizer.name: must be one of sgd, momentum, nesterov, rmsprop, adam, adamw; got "adagrad"');
  });

  it('names the bad part of an arch string', () => {
    expect(error({ arch: '784-3a-10' })).toBe(`run.json: arch: '3a' is not a size (N) or a repeated size (NxK); got "784-3a-10"`);
  });

  it('names the bad entry of an arch list', () => {
    expect(error({ arch: [784, 0, 10] })).toBe('run.json: arch[1]: must be ≥ 1; got 0');
  });

  it('checks a per-layer activation list against the hidden layers', () => {
    expect(error({ arch: '784-30x3-10', activation: ['relu', 'relu'] })).toBe('run.json: activation: arch 784-30-30-30-10 has 3 hidden layers but the list has 2 activations; got ["relu","relu"]');
  });

  it('checks a per-layer init list against the weight layers', () => {
    expect(error({ arch: [2, 8, 2], init: ['he_normal'] })).toBe('run.json: init: arch 2-8-2 has 2 weight layers but the list has 1 initialisers; got ["he_normal"]');
  });

  it('suggests and lists initialisers for an unknown one', () => {
    expect(error({ init: 'he_norml' })).toMatch(/^run\.json: init: unknown initialiser 'he_norml' \(did you mean he_normal\?\); expected one of normal, nielsen, .*normal:S$/);
  });

  it('rejects binary cross-entropy with a non-sigmoid output layer', () => {
    expect(error({ loss: 'binary_cross_entropy', outputActivation: 'softmax' })).toBe(
      'run.json: outputActivation: binary_cross_entropy needs a sigmoid output layer (set outputActivation only with the quadratic loss); got "softmax"',
    );
  });

  it('rejects cross-entropy with a non-softmax output layer', () => {
    expect(error({ loss: 'cross_entropy', outputActivation: 'sigmoid' })).toMatch(/^run\.json: outputActivation: cross_entropy needs a softmax output layer/);
  });

  it('names an unknown top-level key and suggests the right one', () => {
    expect(error({ optimiser: { lr: 0.1 } })).toMatch(/^run\.json: optimiser: unknown field \(did you mean optimizer\?\); expected one of arch, activation, .*, seed$/);
  });

  it('names an unknown nested key', () => {
    expect(error({ probe: { evry: 10 } })).toBe('run.json: probe.evry: unknown field (did you mean every?); expected one of every, samples, jacobianSamples, testAccuracy');
  });

  it('names a value of the wrong type', () => {
    expect(error({ batchSize: '10' })).toBe('run.json: batchSize: must be an integer; got "10"');
    expect(error({ epochs: 2.5 })).toBe('run.json: epochs: must be an integer; got 2.5');
    expect(error({ arch: 784 })).toBe('run.json: arch: must be a string or a list; got 784');
    expect(error([1, 2])).toBe('run.json: (top level): must be an object; got [1,2]');
    expect(error({ stepsEvery: 'often' })).toBe('run.json: stepsEvery: must be an integer or "auto"; got "often"');
    expect(error({ activation: ['relu', 5] })).toBe('run.json: activation[1]: must be a string; got 5');
  });

  it('lists the schedule kinds for an unknown one', () => {
    expect(error({ lrSchedule: { kind: 'linear' } })).toBe('run.json: lrSchedule.kind: must be one of constant, step, cosine; got "linear"');
    expect(error({ lrSchedule: { kind: 'step' } })).toBe('run.json: lrSchedule.every: is required');
  });

  it('names an activation parameter the activation does not take', () => {
    expect(error({ activation: 'relu', activationParams: { negative_slope: 0.2 } })).toMatch(/^run\.json: activationParams: relu: takes no parameters; got 'negative_slope'$/);
  });

  it('rejects an unknown dataset with a suggestion and the list', () => {
    expect(error({ data: { name: 'spirl' } })).toMatch(/^run\.json: data\.name: unknown dataset 'spirl'; did you mean spiral\?; expected one of digits, mnist:DIR, /);
  });

  it('rejects noise for a dataset that is not synthetic', () => {
    expect(error({ data: { name: 'digits', noise: 0.1 } })).toBe("run.json: data.noise: only the synthetic sets take noise, not 'digits'; got 0.1");
  });

  it('rejects decay terms the optimiser would ignore', () => {
    expect(error({ optimizer: { name: 'adam', weightDecay: 0.01 } })).toBe('run.json: optimizer.weightDecay: only adamw uses decoupled weight decay (use l2 with adam); got 0.01');
    expect(error({ optimizer: { name: 'adamw', l2: 5 } })).toBe('run.json: optimizer.l2: adamw decays weights with weightDecay, not l2; got 5');
  });

  it('rejects impossible combinations of remedies with a sentence naming the field', () => {
    expect(error({ arch: '784-30-10', activation: 'maxout', norm: 'batch' })).toMatch(/^run\.json: norm: batch normalisation sits between a layer's linear part and its activation, which 'maxout' does not separate; .*got "batch"$/);
    expect(error({ arch: '784-30-10', activation: 'maxout', residual: true })).toBe("run.json: residual: residual blocks need dense hidden layers, not 'maxout'; got true");
    expect(error({ arch: '784-10', residual: true })).toBe('run.json: residual: arch 784-10 has no hidden layer to put in a residual block; got true');
    expect(error({ arch: '784-10', norm: 'layer' })).toMatch(/^run\.json: norm: arch 784-10 has no hidden layer to normalise/);
    expect(error({ norm: 'batch', batchSize: 1 })).toBe('run.json: batchSize: batch normalisation needs at least 2 examples per batch to compute batch statistics; got 1');
    expect(error({ arch: '784-10', pretrain: true })).toMatch(/^run\.json: pretrain: arch 784-10 has no hidden layer to pre-train/);
    expect(error({ norm: 'batch', pretrain: { batchSize: 1 } })).toMatch(/^run\.json: pretrain\.batchSize: batch normalisation needs at least 2 examples per batch; got 1$/);
  });

  it('names bad remedy values', () => {
    expect(error({ norm: 'group' })).toBe('run.json: norm: must be one of none, batch, layer; got "group"');
    expect(error({ maxNorm: 0 })).toBe('run.json: maxNorm: must be > 0; got 0');
    expect(error({ biasInit: 'ones' })).toBe('run.json: biasInit: must be one of scheme, zeros; got "ones"');
    expect(error({ pretrain: { stepz: 5 } })).toBe('run.json: pretrain.stepz: unknown field (did you mean steps?); expected one of steps, lr, batchSize, optimizer');
    expect(error({ clipValue: -1 })).toBe('run.json: clipValue: must be > 0; got -1');
  });

  it('needs at least one of epochs and maxSteps', () => {
    expect(error({ epochs: null })).toMatch(/^run\.json: epochs: is null and so is maxSteps/);
  });

  it('rejects maxout as the output activation', () => {
    expect(error({ loss: 'quadratic', outputActivation: 'maxout' })).toMatch(/^run\.json: outputActivation: 'maxout' cannot be the output activation/);
  });
});

describe('learningRate', () => {
  it('warms up linearly, then follows the schedule', () => {
    expect(learningRate(1, { kind: 'constant', warmup: 4 }, 0, 100)).toBe(0.25);
    expect(learningRate(1, { kind: 'constant', warmup: 4 }, 3, 100)).toBe(1);
    expect(learningRate(1, { kind: 'constant', warmup: 4 }, 50, 100)).toBe(1);
  });

  it('decays by factor every `every` steps', () => {
    const s = { kind: 'step', every: 10, factor: 0.5, warmup: 0 } as const;
    expect([0, 9, 10, 25].map((t) => learningRate(0.8, s, t, 100))).toEqual([0.8, 0.8, 0.4, 0.2]);
  });

  it('combines warm-up with step decay and with cosine annealing (hand-worked)', () => {
    // warm-up 4 at lr 0.2: 0.05, 0.1, 0.15, 0.2; then ×0.1 every 10 steps counted from step 4
    const st = { kind: 'step', every: 10, factor: 0.1, warmup: 4 } as const;
    expect([0, 1, 2, 3, 4, 13, 14, 24].map((t) => learningRate(0.2, st, t, 100))).toEqual([0.05, 0.1, 0.15, 0.2, 0.2, 0.2, 0.02, 0.002].map((v) => expect.closeTo(v, 15)));
    // cosine over the 40 steps after a warm-up of 10 (total 50), lr 1 → minLr 0: t = 20 is half-way, 0.5
    const co = { kind: 'cosine', minLr: 0, warmup: 10 } as const;
    expect(learningRate(1, co, 9, 50)).toBe(1);
    expect(learningRate(1, co, 30, 50)).toBeCloseTo(0.5, 15);
    expect(learningRate(1, co, 20, 50)).toBeCloseTo((1 + Math.cos(Math.PI / 4)) / 2, 15);
    expect(learningRate(1, co, 49, 50)).toBeCloseTo((1 + Math.cos((Math.PI * 39) / 40)) / 2, 15);
  });

  it('anneals along a half cosine from lr to minLr', () => {
    const s = { kind: 'cosine', minLr: 0.1, warmup: 0 } as const;
    expect(learningRate(1, s, 0, 100)).toBeCloseTo(1, 12);
    expect(learningRate(1, s, 50, 100)).toBeCloseTo(0.55, 12);
    expect(learningRate(1, s, 100, 100)).toBeCloseTo(0.1, 12);
  });
});
