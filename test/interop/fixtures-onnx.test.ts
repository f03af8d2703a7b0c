// Networks written by PyTorch's own torch.onnx.export (scripts/fixtures/torch_onnx.py):
// gradscope's gradients on the imported network must equal PyTorch's float64 gradients
// for the same batch to 1e-9 relative (per tensor: max |Δ| / max |g|). A wrong gate order,
// a transposed weight, a missed bias, a wrong activation form or parameter fails this.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Activation } from '../../src/nn/activation-layer.js';
import { BatchNorm } from '../../src/nn/batchnorm.js';
import { Dense } from '../../src/nn/dense.js';
import { LayerNorm } from '../../src/nn/layernorm.js';
import { getLoss, type LossName } from '../../src/nn/losses.js';
import { ResidualBlock } from '../../src/nn/residual.js';
import type { GruCell } from '../../src/nn/rnn/gru.js';
import { RecurrentLayer } from '../../src/interop/layers/recurrent.js';
import { withLossOutput } from '../../src/interop/load.js';
import type { LoadedModel } from '../../src/interop/names.js';
import type { Layer } from '../../src/nn/layer.js';
import { Rng } from '../../src/tensor/rng.js';
import { FIXTURES, flat, json, loadFixture, relError, transpose } from './helpers.js';

const TOL = 1e-9;
const DIR = join(FIXTURES, 'onnx');

interface Expected { exporter: string; loss: LossName; lossValue: number; grads: Record<string, unknown> }

/** Every layer, residual branches and projections included. */
function allLayers(layers: readonly Layer[]): Layer[] {
  return layers.flatMap((l) => (l instanceof ResidualBlock ? [...allLayers(l.inner), ...(l.projection ? [l.projection] : [])] : [l]));
}

/** gradscope's gradients under PyTorch's parameter names and layouts. */
export function torchNamed(m: LoadedModel, torch: Record<string, unknown>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const rnnIndex = new Map<string, number>();
  for (const l of allLayers(m.net.layers)) {
    const name = m.names.get(l)?.name ?? '';
    if (l instanceof Dense) {
      if (`${name}.weight` in torch && (torch[`${name}.weight`] as unknown[]).length !== l.outSize) {
        // Gemm with transB = 0 (onnx.helper fixture): the weight was stored [in][out]
        out.set(`${name}.weight`, transpose(l.dweight, l.outSize, l.inSize));
        out.set(`${name}.bias`, Array.from(l.dbias));
      } else if (`${name}.weight` in torch) {
        out.set(`${name}.weight`, Array.from(l.dweight));
        out.set(`${name}.bias`, Array.from(l.dbias));
      } else {
        // torch.matmul with W stored (in, out): parameters w1/b1, w2/b2
        out.set(name, transpose(l.dweight, l.outSize, l.inSize));
        out.set(name.replace(/^w/, 'b'), Array.from(l.dbias));
      }
    } else if (l instanceof Activation && l.name === 'prelu') out.set(`${name}.weight`, [l.params()[0].grad[0]]);
    else if (l instanceof BatchNorm || l instanceof LayerNorm) {
      out.set(`${name}.weight`, Array.from(l.dweight));
      out.set(`${name}.bias`, Array.from(l.dbias));
    } else if (l instanceof RecurrentLayer) {
      const k = rnnIndex.get(name) ?? 0;
      rnnIndex.set(name, k + 1);
      const c = l.cell;
      out.set(`${name}.weight_ih_l${k}`, Array.from(c.dwih));
      out.set(`${name}.weight_hh_l${k}`, Array.from(c.dwhh));
      out.set(`${name}.bias_ih_l${k}`, Array.from(c.dbias));
      if (c.kind === 'gru') {
        const H = c.hidden;
        out.set(`${name}.bias_hh_l${k}`, [...Array.from(c.dbias.subarray(0, 2 * H)), ...Array.from((c as GruCell).dbiasHn)]);
      } else out.set(`${name}.bias_hh_l${k}`, Array.from(c.dbias));
    }
  }
  return out;
}

describe('ONNX fixtures written by torch.onnx.export', () => {
  const names = readdirSync(DIR).filter((n) => !n.startsWith('unsupported'));
  it('covers every pattern the importer reads', () => {
    expect(names.sort()).toEqual(['acts_patterns', 'acts_relu_family', 'acts_smooth', 'batchnorm_eval', 'clip', 'flatten', 'gelu_op', 'gemm_transb0', 'gru', 'layernorm', 'lstm', 'lstm2', 'matmul_add', 'mlp_opset9', 'reshape', 'residual', 'rnn']);
  });
  for (const name of names) {
    it(`${name}: gradients equal PyTorch's float64 gradients to ${TOL} relative`, () => {
      const e = json<Expected>(join(DIR, name, 'expected.json'));
      const m = withLossOutput(loadFixture(join(DIR, name, 'model.onnx')), e.loss).model;
      const x = Float64Array.from(flat(json(join(DIR, name, 'input.json'))));
      const y = Float64Array.from(flat(json(join(DIR, name, 'target.json'))));
      const B = x.length / m.net.inputSize;
      m.net.zeroGrad();
      const loss = m.net.lossAndBackward(x, y, B, getLoss(e.loss), { training: false, rng: new Rng(0) });
      expect(Math.abs(loss - e.lossValue) / Math.abs(e.lossValue)).toBeLessThan(TOL);
      const ours = torchNamed(m, e.grads);
      if (name === 'gemm_transb0') {
        // gradscope's weight is W = α·Bᵀ and its bias β·C, so ∂C/∂B = α·∂C/∂Wᵀ and ∂C/∂C = β·∂C/∂b (α = 0.5, β = 2)
        ours.set('fc1.weight', ours.get('fc1.weight')!.map((v) => 0.5 * v));
        ours.set('fc1.bias', ours.get('fc1.bias')!.map((v) => 2 * v));
      }
      const worst: [string, number][] = Object.entries(e.grads).map(([k, g]) => [k, ours.has(k) ? relError(ours.get(k)!, flat(g)) : Infinity]);
      if (process.env.GRADSCOPE_FIXTURE_ERRORS) console.log(`${name}: largest relative gradient difference ${Math.max(...worst.map(([, r]) => r)).toExponential(2)}, loss ${(Math.abs(loss - e.lossValue) / Math.abs(e.lossValue)).toExponential(2)}`);
      const bad = worst.filter(([, r]) => !(r <= TOL));
      expect(bad, `largest relative differences: ${JSON.stringify(worst)}`).toEqual([]);
    });
  }
});

describe('ONNX models gradscope refuses', () => {
  const names = readdirSync(DIR).filter((n) => n.startsWith('unsupported'));
  for (const name of names) {
    it(`${name}: one sentence naming the node and its operator, and what is supported`, () => {
      const e = json<{ node: string | null; op: string | null }>(join(DIR, name, 'expected.json'));
      let message = '';
      try {
        loadFixture(join(DIR, name, 'model.onnx'));
      } catch (err) {
        expect((err as Error).name).toBe('InputError');
        message = (err as Error).message;
      }
      expect(message, 'the import must refuse the model').not.toBe('');
      expect(message.split('\n')).toHaveLength(1);
      expect(message.startsWith(join(DIR, name, 'model.onnx'))).toBe(true);
      if (e.node !== null) expect(message).toContain(`'${e.node}'`);
      if (e.op !== null) expect(message).toContain(`(${e.op})`);
      expect(message).toMatch(/gradscope/);
    });
  }
});
