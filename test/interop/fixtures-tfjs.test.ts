// Networks saved by TensorFlow.js's own model.save (scripts/fixtures/tfjs_models.mjs), with
// float64 gradients computed by PyTorch on the same weights (scripts/fixtures/tfjs_grads.py, which
// agrees with tfjs's own float32 tf.variableGrads to ≤ 7e-8): gradscope must match the float64
// gradients to 1e-9 relative per tensor. A kernel left untransposed, a wrong gate block, the
// moving statistics swapped or an activation mapped to the wrong catalogue entry fails this.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dense } from '../../src/nn/dense.js';
import { BatchNorm } from '../../src/nn/batchnorm.js';
import { LayerNorm } from '../../src/nn/layernorm.js';
import { getLoss, type LossName } from '../../src/nn/losses.js';
import { ResidualBlock } from '../../src/nn/residual.js';
import type { Layer } from '../../src/nn/layer.js';
import { KerasRecurrentLayer } from '../../src/interop/layers/keras-rnn.js';
import { RecurrentLayer } from '../../src/interop/layers/recurrent.js';
import { importTfjs } from '../../src/interop/tfjs/import.js';
import { readFileSync } from 'node:fs';
import type { LoadedModel } from '../../src/interop/names.js';
import { Rng } from '../../src/tensor/rng.js';
import { FIXTURES, flat, json, loadFixture, relError, transpose } from './helpers.js';

const TOL = 1e-9;
const DIR = join(FIXTURES, 'tfjs');

function allLayers(layers: readonly Layer[]): Layer[] {
  return layers.flatMap((l) => (l instanceof ResidualBlock ? [...allLayers(l.inner), ...(l.projection ? [l.projection] : [])] : [l]));
}

/** gradscope's gradients under the tfjs weight names, in Keras layouts (kernel (in, out)). */
function kerasNamed(m: LoadedModel): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const l of allLayers(m.net.layers)) {
    const name = m.names.get(l)?.name ?? '';
    if (l instanceof Dense) {
      out.set(`${name}/kernel`, transpose(l.dweight, l.outSize, l.inSize));
      out.set(`${name}/bias`, Array.from(l.dbias));
    } else if (l instanceof BatchNorm || l instanceof LayerNorm) {
      out.set(`${name}/gamma`, Array.from(l.dweight));
      out.set(`${name}/beta`, Array.from(l.dbias));
    } else if (l instanceof KerasRecurrentLayer) {
      out.set(`${name}/kernel`, Array.from(l.dkernel));
      out.set(`${name}/recurrent_kernel`, Array.from(l.drecurrentKernel));
      out.set(`${name}/bias`, Array.from(l.dbias));
    } else if (l instanceof RecurrentLayer) {
      const c = l.cell;
      const G = c.gates * c.hidden;
      out.set(`${name}/kernel`, transpose(c.dwih, G, c.inSize));
      out.set(`${name}/recurrent_kernel`, transpose(c.dwhh, G, c.hidden));
      out.set(`${name}/bias`, Array.from(c.dbias));
    }
  }
  return out;
}

describe('TensorFlow.js fixtures saved by model.save', () => {
  const names = readdirSync(DIR).filter((n) => !n.startsWith('unsupported'));
  it('covers Dense activations, norms, dropout, residual Add, LSTM, GRU and SimpleRNN', () => {
    expect(names.sort()).toEqual(['acts', 'gru_sigmoid', 'lstm', 'lstm_rnn', 'mlp_norm', 'recurrent_defaults', 'residual']);
  });
  for (const name of names) {
    it(`${name}: gradients equal float64 PyTorch on the same weights to ${TOL} relative`, () => {
      const e = json<{ loss: LossName; lossValue: number; grads: Record<string, number[]> }>(join(DIR, name, 'expected.json'));
      const m = loadFixture(join(DIR, name, 'model.json'));
      expect(m.format).toBe('tfjs-layers');
      const x = Float64Array.from(flat(json(join(DIR, name, 'input.json'))));
      const y = Float64Array.from(flat(json(join(DIR, name, 'target.json'))));
      m.net.zeroGrad();
      const loss = m.net.lossAndBackward(x, y, x.length / m.net.inputSize, getLoss(e.loss), { training: false, rng: new Rng(0) });
      expect(Math.abs(loss - e.lossValue) / e.lossValue).toBeLessThan(TOL);
      const ours = kerasNamed(m);
      const worst: [string, number][] = Object.entries(e.grads).map(([k, g]) => [k, ours.has(k) ? relError(ours.get(k)!, g) : Infinity]);
      if (process.env.GRADSCOPE_FIXTURE_ERRORS) console.log(`${name}: largest relative gradient difference ${Math.max(...worst.map(([, r]) => r)).toExponential(2)}, loss ${(Math.abs(loss - e.lossValue) / Math.abs(e.lossValue)).toExponential(2)}`);
      expect(worst.filter(([, r]) => !(r <= TOL)), `largest relative differences: ${JSON.stringify(worst)}`).toEqual([]);
    });
  }
});

describe('TensorFlow.js models gradscope refuses', () => {
  const cases: [string, string, RegExp][] = [['unsupported_conv', "layer 'conv' (Conv1D)", /is not supported; gradscope imports InputLayer, Dense/]];
  for (const [name, who, why] of cases) {
    it(`${name}: one sentence naming the layer and its class`, () => {
      const file = join(DIR, name, 'model.json');
      expect(() => loadFixture(file)).toThrow(`${file}: ${who}`);
      expect(() => loadFixture(file)).toThrow(why);
    });
  }
});

describe('TensorFlow.js layer settings gradscope refuses', () => {
  const dir = join(DIR, 'lstm');
  const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const shard = () => readFileSync(join(dir, 'weights.bin'));
  const withLstm = (patch: Record<string, unknown>) => {
    const d = structuredClone(doc);
    Object.assign(d.modelTopology.config.layers[0].config, patch);
    return d;
  };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ go_backwards: true }, /has go_backwards = true/],
    [{ return_state: true }, /has return_state = true/],
    [{ recurrent_dropout: 0.2 }, /has dropout inside the cell/],
    [{ activation: 'softmax' }, /has activation 'softmax', which gradscope's recurrent layers do not take/],
  ];
  for (const [patch, why] of cases) {
    it(`${JSON.stringify(patch)}: one sentence naming the layer`, () => {
      expect(() => importTfjs(withLstm(patch), 'model.json', shard, 'float64')).toThrow("model.json: layer 'lstm' (LSTM) ");
      expect(() => importTfjs(withLstm(patch), 'model.json', shard, 'float64')).toThrow(why);
    });
  }
});
