/**
 * Locating the first non-finite value (NaN, ±Infinity) after a training
 * step: in the forward activations (input side first), then in the loss,
 * then in the gradients in the order backpropagation produced them (output
 * side first). A blow-up is a finding to report, never a crash.
 */
import { msg, say, type MessageKey } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { allFinite } from '../tensor/reduce.js';
import { Activation } from './activation-layer.js';
import type { Network } from './network.js';

/** Where a non-finite value first appeared. */
export interface NonFiniteFinding {
  /** Training step (0 = before the first update). */
  readonly step: number;
  /** Weight-layer index, 1 on the input side (0 when it is the loss). */
  readonly layer: number;
  /** What held it. */
  readonly quantity: 'activation' | 'loss' | 'gradient' | 'weight';
  /** A sentence for people, in English. */
  readonly message: string;
  /** The same sentence as a message of the catalogue, to say in another language (absent in files written before it existed). */
  readonly said?: Msg;
}

/** A finding with its sentence, in English and as a message. */
export function nonFiniteFinding(step: number, layer: number, quantity: NonFiniteFinding['quantity'], said: Msg): NonFiniteFinding {
  return { step, layer, quantity, message: say('en', said.key as MessageKey, said.vars), said };
}

/** Returns the first non-finite value after a forward/backward pass of B rows, or null. */
export function findNonFinite(net: Network, loss: number, B: number, step: number): NonFiniteFinding | null {
  const L = net.weightLayers.length;
  for (let l = 0; l < L; l++) {
    const act = net.activationAfter(l);
    const z = act?.lastInput();
    if (z && !allFinite(z, B * act!.inSize)) {
      return nonFiniteFinding(step, l + 1, 'activation', msg('nf.activation', { step, layer: l + 1, of: L }));
    }
  }
  if (!Number.isFinite(loss)) {
    return nonFiniteFinding(step, 0, 'loss', msg('nf.loss', { step, value: String(loss) }));
  }
  for (let l = L - 1; l >= 0; l--) {
    const wl = net.weightLayers[l];
    if (!allFinite(wl.dweight) || !allFinite(wl.dbias)) {
      return nonFiniteFinding(step, l + 1, 'gradient', msg('nf.gradient', { step, layer: l + 1, of: L }));
    }
  }
  for (let l = 0; l < L; l++) {
    const wl = net.weightLayers[l];
    if (!allFinite(wl.weight) || !allFinite(wl.bias)) {
      return nonFiniteFinding(step, l + 1, 'weight', msg('nf.weight', { step, layer: l + 1, of: L }));
    }
  }
  for (const layer of net.layers) {
    if (layer instanceof Activation && !allFinite(layer.p)) {
      return nonFiniteFinding(step, 0, 'weight', msg('nf.param', { step, name: layer.name }));
    }
  }
  return null;
}
