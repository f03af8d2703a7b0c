// The probe command's options: remedies turned into a spec and a setup, the
// baseline of --compare, schedules, and one clear sentence for every
// impossible combination.
import { describe, expect, it } from 'vitest';
import { parseSchedule, probeRequest } from './probe.js';

const DEFAULTS = { arch: '784-30-30-10', act: 'sigmoid', param: [] as string[], init: 'normal', biasInit: 'scheme', loss: 'binary_cross_entropy', data: 'digits', samples: '1000', seed: '1', dtype: 'float32', jacobianSamples: '8', norm: 'none' };

function err(extra: Record<string, unknown>): string {
  try {
    probeRequest({ ...DEFAULTS, ...extra });
  } catch (e) {
    expect((e as Error).name).toMatch(/UsageError|RangeError/);
    return (e as Error).message;
  }
  throw new Error('expected probeRequest to throw');
}

describe('probeRequest', () => {
  it('turns remedies into the network spec and the setup, and --compare into the same run without them', () => {
    const r = probeRequest({ ...DEFAULTS, norm: 'batch', residual: true, init: 'torch_default,xavier_uniform,xavier_uniform', biasInit: 'zeros', steps: '50', clipNorm: '1', maxNorm: '3', schedule: 'cosine:0.001', warmup: '5', compare: true });
    expect(r.spec).toMatchObject({ norm: 'batch', residual: true, biasInit: 'zeros', init: ['torch_default', 'xavier_uniform', 'xavier_uniform'] });
    expect(r.setup.train).toMatchObject({ steps: 50, optimizer: 'sgd', lr: 0.1, batchSize: 32, clipNorm: 1, maxNorm: 3, schedule: { kind: 'cosine', minLr: 0.001, warmup: 5 } });
    expect(r.baseline!.spec).toMatchObject({ norm: 'none', residual: false, init: ['torch_default', 'xavier_uniform', 'xavier_uniform'] });
    expect(r.baseline!.setup.train).toMatchObject({ steps: 50, clipNorm: undefined, maxNorm: undefined });
  });

  it('leaves a plain probe as it was', () => {
    const r = probeRequest(DEFAULTS);
    expect(r.setup).toEqual({});
    expect(r.baseline).toBeNull();
    expect(r.spec).toMatchObject({ norm: 'none', residual: false, init: 'normal' });
  });

  it('rejects impossible combinations with one sentence', () => {
    expect(err({ act: 'maxout', norm: 'batch' })).toMatch(/^--norm batch goes between a layer's linear part and its activation, which --act maxout does not separate/);
    expect(err({ act: 'maxout', residual: true })).toMatch(/^--residual needs dense hidden layers/);
    expect(err({ arch: '784-10', residual: true })).toBe('--arch 784-10 has no hidden layer for --residual');
    expect(err({ norm: 'batch', samples: '1' })).toBe('--norm batch normalises with batch statistics, which need --samples ≥ 2; got 1');
    expect(err({ norm: 'batch', steps: '10', batchSize: '1' })).toBe('--norm batch needs --batch-size ≥ 2 to compute batch statistics; got 1');
    expect(err({ clipNorm: '1' })).toMatch(/^--clip-norm acts on training steps, and a probe of a fresh network takes none; add --steps N/);
    expect(err({ maxNorm: '2' })).toMatch(/^--max-norm acts on training steps/);
    expect(err({ pretrainSteps: '10' })).toBe('--pretrain-steps needs --pretrain');
    expect(err({ compare: true })).toMatch(/^--compare needs a remedy to compare against/);
    expect(err({ steps: '5', optimizer: 'adamw', l2: '1' })).toMatch(/^--l2 does not apply to adamw/);
    expect(err({ steps: '5', optimizer: 'adagrad' })).toMatch(/^--optimizer must be one of sgd, /);
    expect(err({ init: 'he_normal,he_normal' })).toBe('--init lists 2 initialisers but --arch 784-30-30-10 has 3 weight layers');
    expect(err({ steps: '5', clipNorm: '0' })).toBe('--clip-norm must be > 0; got 0');
  });
});

describe('parseSchedule', () => {
  it('reads constant, step:EVERY[:FACTOR] and cosine[:MINLR]', () => {
    expect(parseSchedule('constant', 3)).toEqual({ kind: 'constant', warmup: 3 });
    expect(parseSchedule('step:100', 0)).toEqual({ kind: 'step', every: 100, factor: 0.1, warmup: 0 });
    expect(parseSchedule('step:100:0.5', 0)).toEqual({ kind: 'step', every: 100, factor: 0.5, warmup: 0 });
    expect(parseSchedule('cosine', 10)).toEqual({ kind: 'cosine', minLr: 0, warmup: 10 });
  });

  it('names a bad schedule', () => {
    expect(() => parseSchedule('linear', 0)).toThrow("--schedule must be constant, step:EVERY[:FACTOR] or cosine[:MINLR]; got 'linear'");
    expect(() => parseSchedule('step:0', 0)).toThrow('--schedule step:EVERY must be ≥ 1; got 0');
  });
});
