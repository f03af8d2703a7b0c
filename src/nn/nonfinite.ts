/**
 * Locating the first non-finite value (NaN, ±Infinity) after a training
 * step: in the forward activations (input side first), then in the loss,
 * then in the gradients in the order backpropagation produced them (output
 * side first). A blow-up is a finding to report, never a crash.
 */
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
  /** A sentence for people. */
  readonly message: string;
}

/** Returns the first non-finite value after a forward/backward pass of B rows, or null. */
export function findNonFinite(net: Network, loss: number, B: number, step: number): NonFiniteFinding | null {
  const L = net.weightLayers.length;
  for (let l = 0; l < L; l++) {
    const act = net.activationAfter(l);
    const z = act?.lastInput();
    if (z && !allFinite(z, B * act!.inSize)) {
      return { step, layer: l + 1, quantity: 'activation', message: `step ${step}: a non-finite pre-activation z appeared in layer ${l + 1} of ${L} (the weights or inputs have grown too large)` };
    }
  }
  if (!Number.isFinite(loss)) {
    return { step, layer: 0, quantity: 'loss', message: `step ${step}: the loss became ${loss}` };
  }
  for (let l = L - 1; l >= 0; l--) {
    const wl = net.weightLayers[l];
    if (!allFinite(wl.dweight) || !allFinite(wl.dbias)) {
      return { step, layer: l + 1, quantity: 'gradient', message: `step ${step}: the gradient of layer ${l + 1} of ${L} became non-finite (exploding gradient)` };
    }
  }
  for (let l = 0; l < L; l++) {
    const wl = net.weightLayers[l];
    if (!allFinite(wl.weight) || !allFinite(wl.bias)) {
      return { step, layer: l + 1, quantity: 'weight', message: `step ${step}: the weights of layer ${l + 1} of ${L} became non-finite` };
    }
  }
  for (const layer of net.layers) {
    if (layer instanceof Activation && !allFinite(layer.p)) {
      return { step, layer: 0, quantity: 'weight', message: `step ${step}: the parameters of activation '${layer.name}' became non-finite` };
    }
  }
  return null;
}
