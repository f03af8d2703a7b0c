/**
 * Remedies applied to an imported network, so a user sees which one fixes
 * *their* net: re-initialising its dense layers with an initialiser,
 * replacing its hidden activations, inserting batch or layer normalisation
 * between each hidden dense layer and its activation, or turning hidden
 * layers of equal width into residual blocks. The output layer (the last
 * dense layer and what follows it) is left as the file has it. Works on a
 * freshly loaded copy: the layers are changed in place. Pure.
 */
import { getActivation, resolveParams } from '../activations/catalogue.js';
import { inputError } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import { Activation } from '../nn/activation-layer.js';
import { BatchNorm } from '../nn/batchnorm.js';
import { Dense } from '../nn/dense.js';
import { getInit } from '../nn/init.js';
import type { Layer, LayerEnv } from '../nn/layer.js';
import { LayerNorm } from '../nn/layernorm.js';
import { isNormLayer, Network } from '../nn/network.js';
import { ResidualBlock } from '../nn/residual.js';
import type { Rng } from '../tensor/rng.js';
import type { LayerName, LoadedModel } from './names.js';

/** What to change in an imported network. */
export interface ModelRemedy {
  /** Re-draw every dense layer's weights and biases with this initialiser. */
  readonly init?: string;
  /** Replace every hidden activation by this one (with `actParams`). */
  readonly act?: string;
  readonly actParams?: Readonly<Record<string, number>>;
  /** Insert normalisation after every hidden dense layer (where there is none). */
  readonly norm?: 'batch' | 'layer';
  /** Hidden dense + activation pairs of equal in and out width become residual blocks. */
  readonly residual?: boolean;
}

/** A description of the remedy for outputs ('init=he_normal, norm=batch'). */
export function describeRemedy(r: ModelRemedy): string {
  return [r.init ? `init=${r.init}` : '', r.act ? `act=${r.act}` : '', r.norm ? `norm=${r.norm}` : '', r.residual ? 'residual' : ''].filter(Boolean).join(', ');
}

/** True when the remedy changes anything. */
export function isRemedy(r: ModelRemedy): boolean {
  return describeRemedy(r) !== '';
}

/** Applies `r` to `m` (its layers are changed: pass a fresh load) and gives the changed model. */
export function applyRemedy(m: LoadedModel, r: ModelRemedy, rng: Rng): LoadedModel {
  const env: LayerEnv = { dtype: m.net.dtype, kernels: m.net.kernels };
  const names = new Map<Layer, LayerName>(m.names);
  const top = m.net.layers;
  // the output part: the last dense layer and everything after it stays as the file has it
  let lastDense = -1;
  top.forEach((l, i) => {
    if (l instanceof Dense) lastDense = i;
  });
  const init = r.init ? getInit(r.init) : null;
  const act = r.act ? getActivation(r.act) : null;
  if (act && act.kind !== 'elementwise') throw inputError([`--activation ${r.act}`], msg('err.remedy.elementwise'));
  const transform = (layers: readonly Layer[], inOutput: (i: number) => boolean): Layer[] => {
    const out: Layer[] = [];
    layers.forEach((l, i) => {
      if (l instanceof Dense && init) {
        init.weights(l.weight, l.inSize, l.outSize, rng);
        init.biases(l.bias, l.inSize, l.outSize, rng);
      }
      if (l instanceof ResidualBlock) {
        if (init && l.projection) {
          init.weights(l.projection.weight, l.projection.inSize, l.projection.outSize, rng);
          init.biases(l.projection.bias, l.projection.inSize, l.projection.outSize, rng);
        }
        const block = new ResidualBlock(transform(l.inner, () => false), l.projection, env);
        names.set(block, names.get(l) ?? { name: 'residual', op: 'Add' });
        out.push(block);
        return;
      }
      if (l instanceof Activation && act && !inOutput(i)) {
        const next = new Activation(act, l.inSize, resolveParams(act, r.actParams ?? {}), env);
        names.set(next, { name: names.get(l)?.name ?? 'activation', op: `${act.name} (was ${l.name})` });
        out.push(next);
        return;
      }
      out.push(l);
      const following = layers[i + 1];
      if (l instanceof Dense && r.norm && !inOutput(i) && following instanceof Activation && !isNormLayer(following)) {
        const n = r.norm === 'batch' ? new BatchNorm(l.outSize, env) : new LayerNorm(l.outSize, env);
        names.set(n, { name: `${names.get(l)?.name ?? 'dense'} (added)`, op: r.norm === 'batch' ? 'batch norm' : 'layer norm' });
        out.push(n);
      }
    });
    return out;
  };
  let layers = transform(top, (i) => i >= lastDense);
  if (r.residual) layers = residualise(layers, layers.indexOf(top[lastDense]), env, names);
  return { ...m, net: new Network(layers, m.net.dtype, m.net.kernels), names };
}

/** Wraps each hidden dense → [norm] → activation run of equal width before `outputAt` into an identity residual block. */
function residualise(layers: readonly Layer[], outputAt: number, env: LayerEnv, names: Map<Layer, LayerName>): Layer[] {
  const out: Layer[] = [];
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const norm = layers[i + 1] !== undefined && isNormLayer(layers[i + 1]) ? 1 : 0;
    const a = layers[i + 1 + norm];
    if (i < outputAt && l instanceof Dense && l.inSize === l.outSize && a instanceof Activation) {
      const inner = layers.slice(i, i + 2 + norm);
      const block = new ResidualBlock(inner, null, env);
      names.set(block, { name: `${names.get(l)?.name ?? 'dense'} (+ skip)`, op: 'residual block (added)' });
      out.push(block);
      i += 1 + norm;
    } else out.push(l);
  }
  return out;
}
