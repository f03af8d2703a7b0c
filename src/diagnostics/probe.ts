/**
 * A probe: one forward and backward pass of a network over a probe batch,
 * then the per-layer diagnostics, Nielsen's first-to-last ratio and the
 * verdict — everything `gradscope probe` prints.
 */
import type { LossDef } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import { findNonFinite } from '../nn/nonfinite.js';
import type { Buf } from '../tensor/dtype.js';
import { Rng } from '../tensor/rng.js';
import { firstToLast, layerDiagnostics, type LayerDiagnostics, type LayerStatsOptions } from './layer-stats.js';
import { verdictOf, type Verdict } from './verdict.js';

/** The outcome of a probe. */
export interface ProbeResult {
  /** Batch-mean loss at the probed weights. */
  readonly lossValue: number;
  readonly layers: readonly LayerDiagnostics[];
  readonly firstToLast: number | null;
  readonly verdict: Verdict;
}

/** Runs a probe batch x(B,I), y(B,O) through `net` (evaluation mode) and diagnoses it. */
export function probeNetwork(net: Network, x: Buf, y: Buf, B: number, loss: LossDef, init: string, o: LayerStatsOptions = {}): ProbeResult {
  net.zeroGrad();
  const value = net.lossAndBackward(x, y, B, loss, { training: false, rng: new Rng(0) });
  const layers = layerDiagnostics(net, B, o);
  const ratio = firstToLast(layers);
  const nf = findNonFinite(net, value, B, 0);
  return { lossValue: value, layers, firstToLast: ratio, verdict: verdictOf(layers, ratio, init, nf) };
}
