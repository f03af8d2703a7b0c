/**
 * A sequential network: layers applied in order, an explicit backward pass in
 * reverse order, and the loss fused with its paired output activation when
 * the network ends in it (δᴸ = a − y). Residual blocks are single layers of
 * the sequence; for the diagnostics their branch layers are listed in place
 * (`mainPath`), so weight layers stay numbered 1..L from the input side.
 *
 * The network puts all of its parameters into one block (param-block.ts)
 * when it is built, and hands each dense layer's bias to the activation
 * right after it when that activation has a fused kernel (bias + f + f' in
 * one pass after the product).
 */
import { alloc, type Buf, type DType } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { Activation } from './activation-layer.js';
import { BatchNorm } from './batchnorm.js';
import { gradSquaredSum } from './clip.js';
import { Dense } from './dense.js';
import { LayerNorm } from './layernorm.js';
import { ParamSlot, RowBuffer, type Layer, type Param, type PassContext } from './layer.js';
import type { LossDef } from './losses.js';
import { Maxout } from './maxout.js';
import { ParamBlock } from './param-block.js';
import { ResidualBlock } from './residual.js';

/** A layer that holds a weight matrix: what the diagnostics call "layer l". */
export type WeightLayer = Dense | Maxout;

/** A normalisation layer (sits between a weight layer and its activation). */
export type NormLayer = BatchNorm | LayerNorm;

/** True for batch- and layer-normalisation layers. */
export function isNormLayer(l: Layer): l is NormLayer {
  return l instanceof BatchNorm || l instanceof LayerNorm;
}

/** Lets each dense layer in `layers` leave its bias to a directly following activation with a fused kernel. */
function linkBiasConsumers(layers: readonly Layer[]): void {
  for (let i = 0; i + 1 < layers.length; i++) {
    const l = layers[i];
    const next = layers[i + 1];
    if (l instanceof Dense && next instanceof Activation) l.biasConsumer = next;
  }
}

/** Input and target rows of a batch, reused from call to call. */
interface BatchRows {
  readonly xb: RowBuffer;
  readonly yb: RowBuffer;
  readonly view: { x: Buf; y: Buf };
}

/** A feed-forward network of layers. */
export class Network {
  private readonly dout: RowBuffer;
  private readonly allParams: readonly Param[];
  /** All parameters and gradients in one block each; null when the layers' parameters cannot form one (layers shared with another network). */
  readonly block: ParamBlock | null;
  private readonly batches = new Map<string, BatchRows>();
  private lastOut: Buf;
  /**
   * Weight layers (dense and maxout) of the main path, input side first:
   * diagnostics index them 1..L. Inside a residual block this is the branch's
   * dense layer; a block's projection (skip path) is not listed.
   */
  readonly weightLayers: readonly WeightLayer[];
  /** The layers with every residual block replaced by its branch layers, in order. */
  readonly mainPath: readonly Layer[];

  /** Wraps `layers`; checks that widths chain. */
  constructor(readonly layers: readonly Layer[], readonly dtype: DType, readonly kernels: Kernels) {
    if (layers.length === 0) throw new RangeError('network: needs at least one layer');
    for (let i = 1; i < layers.length; i++) {
      if (layers[i].inSize !== layers[i - 1].outSize) {
        throw new RangeError(`network: layers[${i}] takes ${layers[i].inSize} inputs but layers[${i - 1}] gives ${layers[i - 1].outSize}`);
      }
    }
    layers[0].needInputGrad = false;
    this.dout = new RowBuffer(dtype, this.outputSize, kernels);
    this.lastOut = alloc(dtype, 0);
    this.allParams = layers.flatMap((l) => l.params());
    this.block = ParamBlock.adopt(this.allParams, kernels, dtype);
    this.mainPath = layers.flatMap((l) => (l instanceof ResidualBlock ? [...l.inner] : [l]));
    this.weightLayers = this.mainPath.filter((l): l is WeightLayer => l instanceof Dense || l instanceof Maxout);
    linkBiasConsumers(layers);
    for (const l of layers) if (l instanceof ResidualBlock) linkBiasConsumers(l.inner);
  }

  /** Width of an input row. */
  get inputSize(): number {
    return this.layers[0].inSize;
  }

  /** Width of an output row. */
  get outputSize(): number {
    return this.layers[this.layers.length - 1].outSize;
  }

  /** All trainable parameters, input side first. */
  params(): readonly Param[] {
    return this.allParams;
  }

  /**
   * Sets every gradient to zero (backward accumulates). In a parameter block
   * the zeros are not written here: dense layers overwrite their gradients in
   * the next backward pass instead of adding to them, and every other reader
   * gets them written out at its first read (ParamSlot.clearGrad).
   */
  zeroGrad(): void {
    if (this.block) for (const p of this.block.params) (p as ParamSlot).clearGrad();
    else for (const p of this.allParams) p.grad.fill(0);
  }

  /** Σ of the squared gradients of every parameter (float64): one pass over the block, by the fused kernel where there is one. */
  gradSquaredSum(): number {
    const b = this.block;
    if (b === null) return gradSquaredSum(this.allParams);
    // writes out any zeros a clearGrad left pending, before the pass over the whole block
    for (const p of b.params) void p.grad;
    const f = b.kernels.fused;
    return f !== undefined && b.grads instanceof Float32Array ? f.sumSquares(b.grads) : gradSquaredSum(b.params);
  }

  /**
   * Reusable input rows x(B, inputSize) and target rows y(B, outputSize)
   * for a batch loop (`slot` keeps loops apart: 'train' for train(),
   * 'eval' for evaluation), placed where the kernels read them without
   * copying; the returned object and views change with the next call.
   */
  batchRows(slot: string, B: number): { readonly x: Buf; readonly y: Buf } {
    let r = this.batches.get(slot);
    if (r === undefined) {
      r = { xb: new RowBuffer(this.dtype, this.inputSize, this.kernels), yb: new RowBuffer(this.dtype, this.outputSize, this.kernels), view: { x: alloc(this.dtype, 0), y: alloc(this.dtype, 0) } };
      this.batches.set(slot, r);
    }
    r.view.x = r.xb.rowsOf(B);
    r.view.y = r.yb.rowsOf(B);
    return r.view;
  }

  /** out(B,O) = network(x(B,I)). */
  forward(x: Buf, B: number, ctx: PassContext): Buf {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h, B, ctx);
    this.lastOut = h;
    return h;
  }

  /** The final activation layer if `loss` fuses with it. */
  private fusedOutput(loss: LossDef): Activation | null {
    const last = this.layers[this.layers.length - 1];
    return loss.fusedLossAndGrad && last instanceof Activation && last.name === loss.pairedOutput ? last : null;
  }

  /**
   * Forward, loss and backward for one batch: accumulates ∂C/∂θ into every
   * parameter's gradient (call zeroGrad first) and returns the batch-mean loss.
   */
  lossAndBackward(x: Buf, y: Buf, B: number, loss: LossDef, ctx: PassContext): number {
    const out = this.forward(x, B, ctx);
    const d = this.dout.rowsOf(B);
    const C = this.outputSize;
    const fused = this.fusedOutput(loss);
    let value: number;
    let top = this.layers.length - 1;
    if (fused && loss.fusedLossAndGrad) {
      value = loss.fusedLossAndGrad(d, fused.lastInput() as Buf, out, y, B, C);
      top -= 1; // d is already ∂C/∂z of the output layer
    } else {
      value = loss.lossAndGrad(d, out, y, B, C);
    }
    let g: Buf = d;
    for (let i = top; i >= 0; i--) g = this.layers[i].backward(g, B);
    return value;
  }

  /** The output of the last forward pass (B,O), valid until the next. */
  lastOutput(): Buf {
    return this.lastOut;
  }

  /** Loss of a batch without touching gradients. */
  loss(x: Buf, y: Buf, B: number, loss: LossDef, ctx: PassContext): number {
    const out = this.forward(x, B, ctx);
    const d = this.dout.rowsOf(B);
    const fused = this.fusedOutput(loss);
    if (fused && loss.fusedLossAndGrad) return loss.fusedLossAndGrad(d, fused.lastInput() as Buf, out, y, B, this.outputSize);
    return loss.lossAndGrad(d, out, y, B, this.outputSize);
  }

  /** The activation layer after weight layer `l` (0-based), past a normalisation layer in between, if any. */
  activationAfter(l: number): Activation | null {
    let idx = this.mainPath.indexOf(this.weightLayers[l]) + 1;
    while (idx < this.mainPath.length && isNormLayer(this.mainPath[idx])) idx++;
    const next = this.mainPath[idx];
    return next instanceof Activation ? next : null;
  }

  /** The normalisation layer right after weight layer `l` (0-based), if any. */
  normAfter(l: number): NormLayer | null {
    const next = this.mainPath[this.mainPath.indexOf(this.weightLayers[l]) + 1];
    return next !== undefined && isNormLayer(next) ? next : null;
  }

  /**
   * ∂C/∂b of the bias right before the activation of weight layer `l`: the
   * dense layer's bias, or the shift β of a normalisation layer in between —
   * a bias before batch normalisation is cancelled by it (its gradient is 0),
   * so β is the unit's effective bias and its gradient is Nielsen's ‖δ‖.
   */
  biasGradOf(l: number): Buf {
    return this.normAfter(l)?.dbias ?? this.weightLayers[l].dbias;
  }

  /** True when some layer normalises with batch statistics. */
  get hasBatchNorm(): boolean {
    return this.mainPath.some((l) => l instanceof BatchNorm);
  }
}
