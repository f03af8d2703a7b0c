// The public entry point: the names the README's library example uses work
// together, from a run description to a probe, through `gradscope` alone.
import { describe, expect, it } from 'vitest';
import { buildMlp, getLoss, makeDataset, modelToJson, networkFromJson, parseRun, probeNetwork, probeRun, Rng, Run, SYNTHETIC } from './index.js';

describe('the public API', () => {
  it('builds, probes and saves a network as the README shows', () => {
    const net = buildMlp({ sizes: [2, 8, 8, 2], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'xavier_uniform', dtype: 'float64', rng: new Rng(1) });
    const x = Float64Array.from([0.1, 0.2, -0.3, 0.4]);
    const y = Float64Array.from([1, 0, 0, 1]);
    const r = probeNetwork(net, x, y, 2, getLoss('cross_entropy'), 'xavier_uniform');
    expect(r.layers).toHaveLength(3);
    expect(networkFromJson(modelToJson(net), 'net').layers).toHaveLength(net.layers.length);
  });

  it('describes a run once and drives it with the one loop', () => {
    const spec = parseRun({ arch: [2, 8, 2], activation: 'relu', init: 'he_normal', loss: 'cross_entropy', data: 'moons', maxSteps: 20, epochs: null });
    const ds = SYNTHETIC.moons.generate({ n: 200, seed: 1 });
    const run = new Run(spec, { train: ds, test: null });
    while (!run.finished) run.advance(7);
    expect(run.finish().steps).toBe(20);
    expect(probeRun(spec, { train: ds, test: null }).layers).toHaveLength(2);
    expect(makeDataset).toBeTypeOf('function');
  });
});
