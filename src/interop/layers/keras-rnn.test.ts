// Keras's LSTM and GRU (reset before the product) against central finite differences in
// float64, with a dense layer in front so the input gradient is checked too, for sigmoid and
// hard_sigmoid gates and for every state or the last one handed on.
import { describe, expect, it } from 'vitest';
import { getActivation } from '../../activations/catalogue.js';
import { Dense } from '../../nn/dense.js';
import { gradCheck } from '../../nn/gradcheck.js';
import { getLoss } from '../../nn/losses.js';
import { Network } from '../../nn/network.js';
import { jsKernels } from '../../tensor/kernels.js';
import { Rng } from '../../tensor/rng.js';
import { KerasRecurrentLayer, type KerasCellKind } from './keras-rnn.js';

describe('Keras recurrent layer', () => {
  const cases: [KerasCellKind, string, boolean][] = [
    ['lstm', 'sigmoid', false],
    ['lstm', 'hard_sigmoid_keras2', true],
    ['gru', 'sigmoid', true],
    ['gru', 'hard_sigmoid_keras2', false],
  ];
  for (const [kind, gate, sequences] of cases) {
    it(`${kind} with ${gate} gates (${sequences ? 'every state' : 'the last state'}): backpropagation equals central differences to 1e-6`, () => {
      const rng = new Rng(7);
      const env = { dtype: 'float64' as const, kernels: jsKernels };
      const T = 4, I = 3, H = 3, B = 5;
      const front = new Dense(T * I, T * I, env);
      for (let i = 0; i < front.weight.length; i++) front.weight[i] = 0.4 * rng.normal();
      const rnn = new KerasRecurrentLayer(kind, T, I, H, getActivation('tanh'), getActivation(gate), sequences, 'float64');
      for (const p of rnn.params()) for (let i = 0; i < p.value.length; i++) p.value[i] = 0.5 * rng.normal();
      const head = new Dense(rnn.outSize, 2, env);
      for (let i = 0; i < head.weight.length; i++) head.weight[i] = rng.normal();
      const net = new Network([front, rnn, head], 'float64', jsKernels);
      const x = Float64Array.from({ length: B * T * I }, () => rng.normal());
      const y = Float64Array.from({ length: B * 2 }, () => rng.normal());
      const entries = gradCheck(net, x, y, B, getLoss('quadratic'), { seed: 3 });
      const worst = Math.max(...entries.map((e) => e.maxRelError));
      expect(worst, JSON.stringify(entries)).toBeLessThan(1e-6);
      expect(entries.filter((e) => e.layerType === 'keras-recurrent').map((e) => e.param)).toEqual(['kernel', 'recurrent_kernel', 'bias']);
    });
  }
});
