// Model files: save → load gives the same network, bit for bit, for every
// layer type (gradscope-model/2) and recurrent model; gradscope-model/1 still
// loads; malformed documents get one sentence naming the field and the value.
import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng.js';
import { Activation } from './activation-layer.js';
import { BatchNorm } from './batchnorm.js';
import { buildMlp, type MlpSpec } from './build.js';
import { LayerNorm } from './layernorm.js';
import { getLoss } from './losses.js';
import { modelFromJson, modelToJson, networkFromJson, networkFromModel, validateModel } from './model-file.js';
import type { Network } from './network.js';
import { Optimizer } from './optim.js';
import { RecurrentModel, SeqBatch } from './rnn/model.js';

describe('model file', () => {
  it('round-trips dense, maxout, prelu and dropout layers exactly (float64)', () => {
    const rng = new Rng(2);
    const net = buildMlp({ sizes: [3, 4, 5, 2], hidden: [{ name: 'maxout', params: { pieces: 3 } }, { name: 'prelu', params: { weight: 0.1 } }], output: { name: 'sigmoid' }, init: 'he_normal', dropout: 0.3, dtype: 'float64', rng });
    const json = JSON.parse(JSON.stringify(modelToJson(net)));
    const back = networkFromModel(validateModel(json, 'm.json'), 'float64');
    const x = Float64Array.from({ length: 6 }, () => rng.normal());
    const ctx = { training: false, rng: new Rng(0) };
    const a = Array.from(net.forward(x, 2, ctx));
    const b = Array.from(back.forward(x, 2, ctx));
    expect(b).toEqual(a);
    expect(JSON.parse(JSON.stringify(modelToJson(back)))).toEqual(json);
  });

  const base = () => ({ format: 'gradscope-model/1', layers: [{ type: 'dense', in: 2, out: 1, weight: [[1, 2]], bias: [0] }, { type: 'activation', name: 'tanh' }] });
  const cases: [string, (m: ReturnType<typeof base>) => unknown, RegExp][] = [
    ['an unknown layer type', (m) => ({ ...m, layers: [{ type: 'conv' }] }), /m\.json: layers\[0\]\.type: .*"conv"/],
    ['a string where a number belongs', (m) => { (m.layers[0] as { weight: unknown[][] }).weight[0][1] = 'x'; return m; }, /layers\[0\]\.weight\[0\]\[1\]: .*"x"/],
    ['a negative size', (m) => { (m.layers[0] as { out: number }).out = -1; return m; }, /layers\[0\]\.out/],
    ['an unknown field', (m) => ({ ...m, extra: 1 }), /m\.json: .*extra/],
    ['no layers', () => ({ format: 'gradscope-model/1', layers: [] }), /m\.json: layers/],
    ['an activation before any dense layer', () => ({ format: 'gradscope-model/1', layers: [{ type: 'activation', name: 'tanh' }] }), /layers\[0\]\.type: the first layer must be dense or maxout/],
    ['an unknown activation parameter', (m) => { m.layers[1] = { type: 'activation', name: 'elu', params: { alfa: 1 } } as never; return m; }, /layers\[1\]\.params: .*alfa/],
  ];
  for (const [what, mutate, msg] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => validateModel(mutate(base()), 'm.json')).toThrow(msg);
    });
  }
});

/** A batch of B rows of `width` standard normals. */
function batch(rng: Rng, B: number, width: number): Float64Array {
  return Float64Array.from({ length: B * width }, () => rng.normal());
}

/** Outputs and every parameter gradient of `net` on (x, y), in evaluation and in training mode (training draws from a fixed seed). */
function fingerprint(net: Network, x: Float64Array, y: Float64Array, B: number): number[][] {
  const loss = getLoss('quadratic');
  const out: number[][] = [];
  for (const training of [false, true]) {
    net.zeroGrad();
    out.push([net.lossAndBackward(x, y, B, loss, { training, rng: new Rng(9), batchStats: true })]);
    out.push(Array.from(net.forward(x, B, { training: false, rng: new Rng(0) })));
    for (const p of net.params()) out.push(Array.from(p.grad));
  }
  return out;
}

/** Saves `net` as text, reads it back, and checks outputs and gradients are bit-identical and the file is a fixed point. */
function roundTrip(net: Network, I: number, O: number): Network {
  const rng = new Rng(11);
  const B = 5;
  const x = batch(rng, B, I);
  const y = batch(rng, B, O);
  const text = JSON.stringify(modelToJson(net));
  const back = networkFromJson(JSON.parse(text), 'm.json', 'float64');
  expect(back.layers.map((l) => l.type)).toEqual(net.layers.map((l) => l.type));
  // the loaded file writes the same file (before any pass moves its running statistics)
  expect(JSON.stringify(modelToJson(back))).toBe(text);
  // and the loaded network computes what the saved one does, bit for bit, in both modes
  expect(fingerprint(back, x, y, B)).toEqual(fingerprint(net, x, y, B));
  return back;
}

describe('gradscope-model/2: every layer type saves and loads bit-identically', () => {
  const mk = (spec: Partial<MlpSpec>): Network => buildMlp({ sizes: [3, 4, 4, 2], hidden: { name: 'tanh' }, output: { name: 'linear' }, init: 'he_normal', dtype: 'float64', rng: new Rng(3), ...spec });

  it('dense and activations with parameters (prelu slope and swish β as trained)', () => {
    const net = mk({ hidden: [{ name: 'prelu' }, { name: 'swish' }] });
    // move the learnable parameters away from their defaults, as training would
    for (const l of net.layers) if (l instanceof Activation) for (const q of l.params()) q.value[0] = 0.37;
    const back = roundTrip(net, 3, 2);
    const saved = (back.layers.filter((l) => l instanceof Activation) as Activation[]).map((a) => a.paramRecord());
    expect(saved).toEqual([{ weight: 0.37 }, { beta: 0.37 }, {}]);
  });

  it('maxout and dropout', () => {
    roundTrip(mk({ hidden: [{ name: 'maxout', params: { pieces: 3 } }, { name: 'relu' }], dropout: 0.25 }), 3, 2);
  });

  it('batch norm with its running statistics', () => {
    const net = mk({ norm: 'batch' });
    // a few training-mode passes move the running mean and variance off 0 and 1
    const rng = new Rng(5);
    for (let i = 0; i < 3; i++) net.forward(batch(rng, 8, 3), 8, { training: true, rng });
    const bn = net.layers.find((l) => l instanceof BatchNorm) as BatchNorm;
    expect(bn.runningMean.some((v) => v !== 0)).toBe(true);
    const saved = Array.from(bn.runningVar);
    const back = roundTrip(net, 3, 2).layers.find((l) => l instanceof BatchNorm) as BatchNorm;
    // the round trip's training pass moved both networks' statistics the same way, from the saved ones
    expect(back.batchesTracked).toBe(4);
    expect(Array.from(back.runningVar)).toEqual(Array.from(bn.runningVar));
    expect(Array.from(bn.runningVar)).not.toEqual(saved);
  });

  it('layer norm', () => {
    const net = mk({ norm: 'layer' });
    for (const l of net.layers) if (l instanceof LayerNorm) l.weight.fill(1.5);
    roundTrip(net, 3, 2);
  });

  it('residual blocks, with and without a projection', () => {
    roundTrip(mk({ residual: true }), 3, 2);
    roundTrip(mk({ sizes: [3, 4, 6, 2], residual: true, norm: 'batch', hidden: [{ name: 'prelu' }, { name: 'gelu' }] }), 3, 2);
  });

  it('a network trained by the engine (batch norm, residual blocks, prelu) reloads with the same gradients', () => {
    const net = mk({ sizes: [3, 5, 5, 2], residual: true, norm: 'batch', hidden: { name: 'prelu' } });
    const rng = new Rng(8);
    const loss = getLoss('quadratic');
    const x = batch(rng, 6, 3);
    const y = batch(rng, 6, 2);
    const opt = new Optimizer(net.params(), { name: 'sgd' });
    for (let i = 0; i < 5; i++) {
      net.zeroGrad();
      net.lossAndBackward(x, y, 6, loss, { training: true, rng });
      opt.step(0.1);
    }
    roundTrip(net, 3, 2);
  });

  it('still reads gradscope-model/1 and says which types need /2', () => {
    const v1 = { format: 'gradscope-model/1', layers: [{ type: 'dense', in: 2, out: 2, weight: [[1, 0], [0, 1]], bias: [0, 0] }, { type: 'batchnorm', size: 2, eps: 1e-5, momentum: 0.1, weight: [1, 1], bias: [0, 0], runningMean: [0, 0], runningVar: [1, 1] }] };
    expect(() => networkFromJson(v1, 'm.json')).toThrow(/m\.json: layers\[1\]\.type: must be one of dense, maxout, activation, dropout \(gradscope-model\/2 holds batchnorm layers\); got "batchnorm"/);
    expect(networkFromJson({ ...v1, format: 'gradscope-model/2' }, 'm.json').layers.map((l) => l.type)).toEqual(['dense', 'batchnorm']);
  });

  it('names bad fields of the new layer types', () => {
    const d = { type: 'dense', in: 2, out: 2, weight: [[1, 0], [0, 1]], bias: [0, 0] };
    const bad = (layer: unknown): string => {
      try {
        networkFromJson({ format: 'gradscope-model/2', layers: [d, layer] }, 'm.json');
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(bad({ type: 'batchnorm', size: 3, eps: 1e-5, momentum: 0.1, weight: [1, 1, 1], bias: [0, 0, 0], runningMean: [0, 0, 0], runningVar: [1, 1, 1] })).toBe('m.json: layers[1].size: must be 2, the width of the layer before; got 3');
    expect(bad({ type: 'batchnorm', size: 2, eps: 1e-5, momentum: 0.1, weight: [1, 1], bias: [0, 0], runningMean: [0, 0], runningVar: [1, -1] })).toBe('m.json: layers[1].runningVar[1]: must be ≥ 0 (a variance); got -1');
    expect(bad({ type: 'layernorm', size: 2, eps: 1e-5, weight: [1], bias: [0, 0] })).toBe('m.json: layers[1].weight: must have 2 numbers (\'size\'); got 1');
    expect(bad({ type: 'residual', layers: [{ type: 'dense', in: 2, out: 3, weight: [[1, 0], [0, 1], [1, 1]], bias: [0, 0, 0] }], projection: null })).toBe('m.json: layers[1].projection: must be a dense layer from 2 to 3 units: the branch changes the width; got null');
    expect(bad({ type: 'residual', layers: [{ type: 'dense', in: 2, out: 2, weight: [[1, 0], [0, 1]], bias: [0] }], projection: null })).toBe("m.json: layers[1].layers[0].bias: must have 2 numbers ('out'); got 1");
  });
});

describe('gradscope-model/2: recurrent models save and load bit-identically', () => {
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    it(`${cell}: outputs and gradients through time`, () => {
      const model = new RecurrentModel({ kind: cell, inSize: 2, hidden: 4, dtype: 'float64', head: 'regression', outSize: 1, ...(cell === 'rnn' ? { activation: 'leaky_relu', activationParams: { negative_slope: 0.1 } } : {}) }, new Rng(4));
      const text = JSON.stringify(modelToJson(model));
      const back = modelFromJson(JSON.parse(text), 'm.json', 'float64') as RecurrentModel;
      expect(back).toBeInstanceOf(RecurrentModel);
      const rng = new Rng(6);
      const b = new SeqBatch('float64', 7, 3, 2, 1);
      b.x.set(Float64Array.from({ length: b.x.length }, () => rng.normal()));
      b.y.set([0.1, -0.2, 0.3]);
      const grads = (m: RecurrentModel): number[][] => {
        m.zeroGrad();
        const l = m.lossAndGrad(b);
        return [[l], ...m.params().map((p) => Array.from(p.grad))];
      };
      expect(grads(back)).toEqual(grads(model));
      expect(JSON.stringify(modelToJson(back))).toBe(text);
      expect(() => networkFromJson(JSON.parse(text), 'm.json')).toThrow(/is a recurrent model/);
    });
  }
});
