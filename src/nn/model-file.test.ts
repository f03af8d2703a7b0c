// The gradscope-model/1 format: save → validate → load gives the same network,
// and malformed documents get one sentence naming the field and the value.
import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng.js';
import { buildMlp } from './build.js';
import { modelToJson, networkFromModel, validateModel } from './model-file.js';

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
