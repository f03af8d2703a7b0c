/**
 * A probe: one forward and backward pass of a network over a probe batch,
 * then the per-layer diagnostics, Nielsen's first-to-last ratio and the
 * verdict — everything `gradscope probe` prints.
 */
import type { LossDef } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import { findNonFinite, type NonFiniteFinding } from '../nn/nonfinite.js';
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

/** Options of a probe. */
export interface ProbeOptions extends LayerStatsOptions {
  /**
   * Batch normalisation normalises with the probe batch's own statistics
   * (default true). A fresh network's running statistics are mean 0 and
   * variance 1, which would not normalise at all, and it is the batch-statistic
   * gradient that training follows; the running statistics are left as they are.
   * False: evaluation mode with the running statistics.
   */
  readonly batchStats?: boolean;
  /** The training step the probed weights are at, for dating a non-finite value (default 0). */
  readonly step?: number;
  /** A non-finite value found earlier (during training): the verdict names it instead of what the probe finds. */
  readonly nonFinite?: NonFiniteFinding | null;
}

/**
 * Runs a probe batch x(B,I), y(B,O) through `net` in evaluation mode (no
 * dropout; batch normalisation on the batch's statistics unless
 * `o.batchStats` is false) and diagnoses it.
 */
export function probeNetwork(net: Network, x: Buf, y: Buf, B: number, loss: LossDef, init: string, o: ProbeOptions = {}): ProbeResult {
  net.zeroGrad();
  const value = net.lossAndBackward(x, y, B, loss, { training: false, rng: new Rng(0), batchStats: o.batchStats ?? true });
  const layers = layerDiagnostics(net, B, o);
  const ratio = firstToLast(layers);
  const nf = o.nonFinite ?? findNonFinite(net, value, B, o.step ?? 0);
  return { lossValue: value, layers, firstToLast: ratio, verdict: verdictOf(layers, ratio, init, nf) };
}
