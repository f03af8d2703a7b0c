/**
 * A sequential network: layers applied in order, an explicit backward pass in
 * reverse order, and the loss fused with its paired output activation when
 * the network ends in it (δᴸ = a − y).
 */
import type { Buf, DType } from '../tensor/dtype.js';
import type { Kernels } from '../tensor/kernels.js';
import { Activation } from './activation-layer.js';
import { Dense } from './dense.js';
import { RowBuffer, type Layer, type Param, type PassContext } from './layer.js';
import type { LossDef } from './losses.js';
import { Maxout } from './maxout.js';

/** A layer that holds a weight matrix: what the diagnostics call "layer l". */
export type WeightLayer = Dense | Maxout;

/** A feed-forward network of layers. */
export class Network {
  private readonly dout: RowBuffer;
  private readonly allParams: readonly Param[];
  /** Weight layers (dense and maxout), input side first: diagnostics index them 1..L. */
  readonly weightLayers: readonly WeightLayer[];

  /** Wraps `layers`; checks that widths chain. */
  constructor(readonly layers: readonly Layer[], readonly dtype: DType, readonly kernels: Kernels) {
    if (layers.length === 0) throw new RangeError('network: needs at least one layer');
    for (let i = 1; i < layers.length; i++) {
      if (layers[i].inSize !== layers[i - 1].outSize) {
        throw new RangeError(`network: layers[${i}] takes ${layers[i].inSize} inputs but layers[${i - 1}] gives ${layers[i - 1].outSize}`);
      }
    }
    layers[0].needInputGrad = false;
    this.dout = new RowBuffer(dtype, this.outputSize);
    this.allParams = layers.flatMap((l) => l.params());
    this.weightLayers = layers.filter((l): l is WeightLayer => l instanceof Dense || l instanceof Maxout);
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

  /** Sets every gradient buffer to zero (backward accumulates). */
  zeroGrad(): void {
    for (const p of this.allParams) p.grad.fill(0);
  }

  /** out(B,O) = network(x(B,I)). */
  forward(x: Buf, B: number, ctx: PassContext): Buf {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h, B, ctx);
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

  /** Loss of a batch without touching gradients. */
  loss(x: Buf, y: Buf, B: number, loss: LossDef, ctx: PassContext): number {
    const out = this.forward(x, B, ctx);
    const d = this.dout.rowsOf(B);
    const fused = this.fusedOutput(loss);
    if (fused && loss.fusedLossAndGrad) return loss.fusedLossAndGrad(d, fused.lastInput() as Buf, out, y, B, this.outputSize);
    return loss.lossAndGrad(d, out, y, B, this.outputSize);
  }

  /** The activation layer right after weight layer `l` (0-based), if any. */
  activationAfter(l: number): Activation | null {
    const idx = this.layers.indexOf(this.weightLayers[l]);
    const next = this.layers[idx + 1];
    return next instanceof Activation ? next : null;
  }
}
