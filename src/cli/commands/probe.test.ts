// The probe command's flags: every run setting is a flag (the kebab-case of
// its name, older spellings as aliases), remedies turn into the run and
// --compare into the same run without them, and every impossible
// combination is one sentence naming the flag.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addSettingOptions } from '../settings.js';
import { probeRequest } from './probe.js';

/** Parses `args` as the probe command would and returns its request. */
function request(...args: string[]): ReturnType<typeof probeRequest> {
  const cmd = addSettingOptions(new Command('probe').exitOverride().option('--compare').option('--json'));
  cmd.parse(args, { from: 'user' });
  return probeRequest(cmd.opts());
}

function err(...args: string[]): string {
  try {
    request(...args);
  } catch (e) {
    expect((e as Error).name).toMatch(/UsageError|InputError/);
    return (e as Error).message;
  }
  throw new Error('expected probeRequest to throw');
}

describe('probeRequest', () => {
  it('turns remedies into the run, and --compare into the same run without them', () => {
    const r = request('--norm', 'batch', '--residual', '--init', 'torch_default,xavier_uniform,xavier_uniform', '--bias-init', 'zeros', '--steps', '50', '--clip-norm', '1', '--max-norm', '3', '--schedule', 'cosine:0.001', '--warmup', '5', '--compare');
    expect(r.spec).toMatchObject({ norm: 'batch', residual: true, biasInit: 'zeros', init: ['torch_default', 'xavier_uniform', 'xavier_uniform'], maxSteps: 50, epochs: null, optimizer: 'sgd', lr: 0.1, clipNorm: 1, maxNorm: 3, schedule: { kind: 'cosine', minLr: 0.001 }, warmup: 5, testFraction: 0 });
    expect(r.baseline).toMatchObject({ norm: 'none', residual: false, init: ['torch_default', 'xavier_uniform', 'xavier_uniform'], maxSteps: 50, clipNorm: null, maxNorm: null });
  });

  it('reads the older flag spellings as the same run', () => {
    expect(request('--act', 'leaky_relu', '--param', 'negative_slope=0.2', '--out-act', 'linear', '--loss', 'quadratic').spec).toEqual(
      request('--activation', 'leaky_relu', '--activation-params', 'negative_slope=0.2', '--output-activation', 'linear', '--loss', 'quadratic').spec,
    );
  });

  it('leaves a plain probe as it was', () => {
    const r = request();
    expect(r.baseline).toBeNull();
    expect(r.spec).toMatchObject({ arch: [784, 30, 30, 10], activation: 'sigmoid', norm: 'none', residual: false, init: 'normal', maxSteps: null });
  });

  it('rejects impossible combinations with one sentence naming the flag', () => {
    expect(err('--act', 'maxout', '--norm', 'batch')).toMatch(/^--norm: batch normalisation sits between a layer's linear part and its activation, which 'maxout' does not separate/);
    expect(err('--act', 'maxout', '--residual')).toMatch(/^--residual: residual blocks need dense hidden layers/);
    expect(err('--arch', '784-10', '--residual')).toBe('--residual: arch 784-10 has no hidden layer to put in a residual block; got true');
    expect(err('--norm', 'batch', '--probe-samples', '1')).toBe('--probe-samples: batch normalisation needs at least 2 examples in the probe batch to compute batch statistics; got 1');
    expect(err('--norm', 'batch', '--steps', '10', '--batch-size', '1')).toBe('--batch-size: batch normalisation needs at least 2 examples per batch to compute batch statistics; got 1');
    expect(err('--clip-norm', '1')).toMatch(/^--clip-norm acts on training steps, and a probe of a fresh network takes none; add --steps N/);
    expect(err('--max-norm', '2')).toMatch(/^--max-norm acts on training steps/);
    expect(err('--pretrain-steps', '10')).toBe('--pretrain-steps needs --pretrain');
    expect(err('--compare')).toMatch(/^--compare needs a remedy to compare against/);
    expect(err('--steps', '5', '--optimizer', 'adamw', '--l2', '1')).toBe('--l2: adamw decays weights with weightDecay, not l2; got 1');
    expect(err('--steps', '5', '--optimizer', 'adagrad')).toMatch(/^--optimizer must be one of sgd, /);
    expect(err('--init', 'he_normal,he_normal')).toBe('--init: arch 784-30-30-10 has 3 weight layers but the list has 2 initialisers; got ["he_normal","he_normal"]');
    expect(err('--steps', '5', '--clip-norm', '0')).toBe('--clip-norm must be > 0; got 0');
    expect(err('--act', 'sigmoid', '--activation', 'relu')).toBe('--act and --activation set the same thing (activation); give it once');
    expect(err('--norm', 'batch', '--norm', 'layer')).toBe("--norm given twice ('batch', then 'layer'); give it once");
    // a parameter list may be given in pieces
    expect(request('--activation', 'elu', '--param', 'alpha=0.5', '--param', 'alpha=0.7').spec.activationParams).toEqual({ alpha: 0.7 });
    expect(err('--samples', 'x')).toBe('--samples must be an integer; got "x"');
    expect(err('--param', 'slope')).toBe('--param must look like name=value (e.g. negative_slope=0.2); got "slope"');
  });

  it('reads schedules as constant, step:EVERY[:FACTOR] and cosine[:MINLR], and names a bad one', () => {
    expect(request('--schedule', 'step:100', '--steps', '1').spec.schedule).toEqual({ kind: 'step', every: 100, factor: 0.1 });
    expect(request('--schedule', 'step:100:0.5', '--steps', '1').spec.schedule).toEqual({ kind: 'step', every: 100, factor: 0.5 });
    expect(request('--schedule', 'cosine', '--steps', '1').spec.schedule).toEqual({ kind: 'cosine', minLr: 0 });
    expect(err('--schedule', 'linear', '--steps', '1')).toBe('--schedule must be constant, step:EVERY[:FACTOR] or cosine[:MINLR]; got "linear"');
    expect(err('--schedule', 'step:0', '--steps', '1')).toBe('--schedule: every must be ≥ 1; got 0');
  });
});
