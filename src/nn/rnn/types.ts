/**
 * Shared shapes of the recurrent core: the interface every cell (vanilla
 * RNN, LSTM, GRU) implements with an explicit forward and backward through
 * time, the settings of a cell, and the options of a backward pass.
 *
 * Layout is time-major. Letters: T time steps, B batch, I inputs, H hidden
 * units, G = gates·H rows of the stacked weight matrices. Inputs x are
 * (T,B,I); hidden states are (T+1,B,H) with h₀ = 0 in slot 0 and the state
 * after step t (t = 0 … T−1) in slot t + 1.
 */
import type { Buf, DType } from '../../tensor/dtype.js';
import type { Kernels } from '../../tensor/kernels.js';
import type { Param } from '../layer.js';

/** The three recurrent cells. */
export type CellKind = 'rnn' | 'lstm' | 'gru';

/** Every cell name, for the CLI and validation. */
export const CELL_KINDS: readonly CellKind[] = ['rnn', 'lstm', 'gru'];

/** Construction settings of a cell. */
export interface CellOptions {
  readonly kind: CellKind;
  /** I: input features per step. */
  readonly inSize: number;
  /** H: hidden units. */
  readonly hidden: number;
  readonly dtype: DType;
  /** Matrix kernels (a cell alone: default jsKernels; a RecurrentModel: see ModelOptions). */
  readonly kernels?: Kernels;
  /** Vanilla RNN only: any elementwise catalogue activation (default tanh). */
  readonly activation?: string;
  /** Vanilla RNN only: activation parameters by name (fixed, not trained). */
  readonly activationParams?: Readonly<Record<string, number>>;
  /** Initialiser of each gate's input block (H,I) of W_ih (default xavier_uniform). */
  readonly inputInit?: string;
  /** Initialiser of each gate's recurrent block (H,H) of W_hh (default orthogonal). */
  readonly recurrentInit?: string;
  /** Factor applied to W_hh after initialisation (default 1): with `orthogonal` it is the spectral norm of each block. */
  readonly recurrentGain?: number;
  /** LSTM only: initial bias of the forget gate (default 1, Gers et al. 2000; Jozefowicz et al. 2015). */
  readonly forgetBias?: number;
  /** GRU only: initial bias of the update gate u (default 1; PyTorch uses 0). u multiplies h_{t−1}, so like the LSTM's forget bias it makes the cell keep σ(1) ≈ 73 % of its state at first. */
  readonly updateBias?: number;
}

/** Options of one backward pass through time. */
export interface BackwardOptions {
  /**
   * Truncated BPTT: 0 (default) is full BPTT; k > 0 cuts the gradient between
   * h_{t−1} and h_t whenever (T − t) is a multiple of k, i.e. windows of k steps
   * aligned to the last step (for a loss at the end: k steps back from the loss).
   */
  readonly truncate?: number;
  /** Receives, for t = 0 … T−1, the mean over the batch of the per-example ‖∂ℓ/∂h_t‖₂. */
  readonly gradNorms?: Float64Array;
  /** When given, receives ∂L/∂x as (T,B,I). */
  readonly dx?: Buf;
}

/** The recurrent weight matrix of a cell and what Pascanu et al.'s condition needs of it. */
export interface RecurrentMatrix {
  /** W_hh as (rows, cols) row-major; rows = G, cols = H. */
  readonly W: Buf;
  readonly rows: number;
  readonly cols: number;
}

/** A recurrent cell with explicit forward and backward through time. Backward accumulates into gradients. */
export interface RecurrentCell {
  readonly kind: CellKind;
  readonly inSize: number;
  readonly hidden: number;
  readonly dtype: DType;
  /** Runs x(T,B,I) from h₀ = 0; returns the hidden states (T+1,B,H), valid until the next call. */
  forward(x: Buf, T: number, B: number): Buf;
  /** Given dH(T,B,H) = ∂L/∂h_t from the loss directly, backpropagates through time into the parameter gradients. */
  backward(dH: Buf, T: number, B: number, o?: BackwardOptions): void;
  /** The hidden states of the last forward from slot s on, as one contiguous view (slot t + 1 is h after step t). */
  states(s: number): Buf;
  /** Trainable parameters: weight_ih, weight_hh, bias (and bias_hn for the GRU). */
  params(): readonly Param[];
  /** The recurrent matrix W_hh. */
  recurrent(): RecurrentMatrix;
}
