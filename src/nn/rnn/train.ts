/**
 * The training loop of a recurrent model: zero the gradients, one forward
 * and backward pass through time (full or truncated), optional clipping by
 * global norm, one optimiser step — and after each step a check for the
 * first non-finite value, which ends the run as a finding, never a crash.
 */
import { allFinite } from '../../tensor/reduce.js';
import { clipByGlobalNorm, globalGradNorm } from '../clip.js';
import type { Optimizer } from '../optim.js';
import { msg, say, type MessageKey } from '../../i18n/catalogue.js';
import type { Msg } from '../../i18n/message.js';
import type { RecurrentModel, SeqBatch } from './model.js';

/** Where a non-finite value first appeared during recurrent training. */
export interface RecurrentNonFinite {
  /** Training step (0 = the first). */
  readonly step: number;
  /** 1, the recurrent layer; 0 when it is the loss. */
  readonly layer: number;
  /** What held it. */
  readonly quantity: 'activation' | 'loss' | 'gradient' | 'weight';
  /** The time step whose hidden state first became non-finite (activations only), else null. */
  readonly time: number | null;
  /** A sentence for people, in English. */
  readonly message: string;
  /** The same sentence as a message of the catalogue. */
  readonly said?: Msg;
}

function found(step: number, layer: number, quantity: RecurrentNonFinite['quantity'], time: number | null, said: Msg): RecurrentNonFinite {
  return { step, layer, quantity, time, message: say('en', said.key as MessageKey, said.vars), said };
}

/** What to do at each step. */
export interface RecurrentTrainOptions {
  readonly optimizer: Optimizer;
  readonly lr: number;
  readonly steps: number;
  /** Clip the global gradient norm to this value (Pascanu et al. 2013); undefined = no clipping. */
  readonly clipNorm?: number;
  /** Truncated BPTT window (0 = full). */
  readonly truncate?: number;
  /** Fills and returns the batch of step `step`. */
  next(step: number): SeqBatch;
  /** Called after the backward pass (before clipping and the update); `gradNorms` is filled when `wantNorms(step)`. */
  onStep?(info: { step: number; loss: number; gradNorm: number; clipped: boolean; T: number }): void;
  /** Steps at which to record ‖∂ℓ/∂h_t‖ into the buffer given; return it, or null to skip. */
  wantNorms?(step: number): Float64Array | null;
}

/** What a run produced. */
export interface RecurrentTrainResult {
  /** Steps completed (fewer than asked when a non-finite value stopped the run). */
  readonly steps: number;
  readonly nonFinite: RecurrentNonFinite | null;
  /** Steps on which the gradient was rescaled. */
  readonly clipEvents: number;
  readonly lastLoss: number;
  readonly lastGradNorm: number;
}

/** The first non-finite value of the last pass, or null (states first, by time; then the loss; gradients; weights). */
export function findRecurrentNonFinite(model: RecurrentModel, batch: SeqBatch, loss: number, gradNorm: number, step: number, after: boolean): RecurrentNonFinite | null {
  const { T, B } = batch;
  const H = model.cell.hidden;
  if (!after) {
    const hs = model.cell.states(1);
    for (let t = 0; t < T; t++) {
      if (!allFinite(hs.subarray(t * B * H, (t + 1) * B * H))) {
        return found(step, 1, 'activation', t, msg('nf.rnn.state', { step, t, T }));
      }
    }
    if (!Number.isFinite(loss)) return found(step, 0, 'loss', null, msg('nf.loss', { step, value: String(loss) }));
    if (!Number.isFinite(gradNorm)) return found(step, 1, 'gradient', null, msg('nf.rnn.gradient', { step, norm: String(gradNorm) }));
    return null;
  }
  for (const p of model.params()) {
    if (!allFinite(p.value)) return found(step, p.name.startsWith('head') ? 2 : 1, 'weight', null, msg('nf.rnn.param', { step, name: p.name }));
  }
  return null;
}

/** Trains `model` for `o.steps` steps; stops early at the first non-finite value. */
export function trainRecurrent(model: RecurrentModel, o: RecurrentTrainOptions): RecurrentTrainResult {
  const params = model.params();
  let clipEvents = 0;
  let lastLoss = NaN;
  let lastGradNorm = NaN;
  for (let step = 0; step < o.steps; step++) {
    const batch = o.next(step);
    model.zeroGrad();
    const norms = o.wantNorms?.(step) ?? undefined;
    const loss = model.lossAndGrad(batch, { truncate: o.truncate ?? 0, gradNorms: norms });
    const gradNorm = globalGradNorm(params);
    lastLoss = loss;
    lastGradNorm = gradNorm;
    const bad = Number.isFinite(loss) && Number.isFinite(gradNorm) ? null : findRecurrentNonFinite(model, batch, loss, gradNorm, step, false);
    const clipped = bad === null && o.clipNorm !== undefined ? clipByGlobalNorm(params, o.clipNorm, gradNorm) : false;
    if (clipped) clipEvents++;
    o.onStep?.({ step, loss, gradNorm, clipped, T: batch.T });
    if (bad) return { steps: step, nonFinite: bad, clipEvents, lastLoss, lastGradNorm };
    o.optimizer.step(o.lr);
    const badW = findRecurrentNonFinite(model, batch, loss, gradNorm, step, true);
    if (badW) return { steps: step + 1, nonFinite: badW, clipEvents, lastLoss, lastGradNorm };
  }
  return { steps: o.steps, nonFinite: null, clipEvents, lastLoss, lastGradNorm };
}
