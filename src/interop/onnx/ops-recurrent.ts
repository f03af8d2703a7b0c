/**
 * ONNX's RNN, LSTM and GRU nodes as gradscope's recurrent cells (one
 * direction, zero initial state, no peepholes), wrapped as one layer of the
 * network (layers/recurrent.ts). ONNX stacks the gates [i o f c] (LSTM) and
 * [z r h] (GRU) and keeps two biases; gradscope's cells stack [i f g o] and
 * [r u n] with one bias per gate (plus b_hn inside the GRU's reset product),
 * so the blocks are reordered and the two biases added. Pure.
 */
import type { CellBase } from '../../nn/rnn/base.js';
import { createCell } from '../../nn/rnn/cell.js';
import type { GruCell } from '../../nn/rnn/gru.js';
import type { CellKind } from '../../nn/rnn/types.js';
import { Rng } from '../../tensor/rng.js';
import { RecurrentLayer } from '../layers/recurrent.js';
import { msg } from '../../i18n/catalogue.js';
import { attrFloats, attrInt, attrNames, attrString, attrStrings, refuse } from './attrs.js';
import { getActivation } from '../../activations/catalogue.js';
import { KerasRecurrentLayer } from '../layers/keras-rnn.js';
import { append, constIn, dataIn, layerName, type OpContext, type OpHandler } from './ops.js';
import { showShape, type Dim, type Val } from './values.js';

/** Per cell: ONNX's gate count, its default activations, and the ONNX block feeding each gradscope gate. */
const CELLS: Readonly<Record<string, { kind: CellKind; gates: number; acts: readonly string[]; order: readonly number[] }>> = {
  LSTM: { kind: 'lstm', gates: 4, acts: ['sigmoid', 'tanh', 'tanh'], order: [0, 2, 3, 1] }, // gradscope i f g o ← ONNX i o f c
  GRU: { kind: 'gru', gates: 3, acts: ['sigmoid', 'tanh'], order: [1, 0, 2] }, // gradscope r u n ← ONNX z r h
  RNN: { kind: 'rnn', gates: 1, acts: ['tanh'], order: [0] },
};

/** True when the optional input is absent or a tensor of zeros. */
function isZero(v: Val | undefined): boolean {
  return v === undefined || v.kind === 'zeros' || (v.kind === 'const' && v.values.every((x) => x === 0));
}

/** An RNN, LSTM or GRU node: one recurrent layer over the sequence. */
const recurrent: OpHandler = (ins, ctx) => {
  const spec = CELLS[ctx.node.op_type];
  const n = ctx.node;
  const direction = attrString(n, 'direction', 'forward');
  if (direction !== 'forward') return refuse(ctx.at, msg('err.onnx.rnn.direction', { attr: 'direction', d: direction }));
  if (attrNames(n).includes('clip')) return refuse(ctx.at, msg('err.onnx.rnn.attr', { attr: 'clip' }));
  if (attrInt(n, 'input_forget', 0) !== 0) return refuse(ctx.at, msg('err.onnx.rnn.coupled', { attr: 'input_forget', lstm: 'LSTM' }));
  const resetBefore = spec.kind === 'gru' && attrInt(n, 'linear_before_reset', 0) === 0;
  const acts = activationsOf(ctx, spec.kind, spec.acts.length);
  const rnnAct = spec.kind === 'rnn' ? acts[0] : undefined;
  if (spec.kind === 'rnn' && !['tanh', 'relu', 'sigmoid'].includes(acts[0])) return refuse(ctx.at, msg('err.onnx.rnn.act', { act: acts[0], rnn: 'RNN', a: 'Tanh', b: 'Relu', c: 'Sigmoid' }));
  if (spec.kind === 'lstm' && acts[1] !== acts[2]) return refuse(ctx.at, msg('err.onnx.rnn.lstmActs', { acts: acts.join(', '), lstm: 'LSTM' }));
  const layout = attrInt(n, 'layout', 0);
  const x = dataIn(ins, 0, ctx);
  const s = x.shape;
  const ok = s.length === 3 && (layout === 0 ? s[1] === 'B' : s[0] === 'B');
  if (!ok) return refuse(ctx.at, msg('err.onnx.rnn.data', { shape: showShape(s), form: msg(layout === 0 ? 'err.seq.stepsFirst' : 'err.seq.batchFirst'), attr: 'layout', layout: String(layout) }));
  const T = (layout === 0 ? s[0] : s[1]) as number;
  const I = s[2] as number;
  const H = attrInt(n, 'hidden_size', 0);
  const G = spec.gates * H;
  const W = constIn(ins, 1, ctx, 'W');
  const R = constIn(ins, 2, ctx, 'R');
  if (W.dims.join() !== [1, G, I].join()) return refuse(ctx.at, msg('err.onnx.rnn.weight', { w: 'W', dims: W.dims.join(', '), expected: [1, G, I].join(', ') }));
  if (R.dims.join() !== [1, G, H].join()) return refuse(ctx.at, msg('err.onnx.rnn.weight', { w: 'R', dims: R.dims.join(', '), expected: [1, G, H].join(', ') }));
  const Bv = ins[3] === undefined ? new Float64Array(2 * G) : constIn(ins, 3, ctx, 'B').values;
  if (Bv.length !== 2 * G) return refuse(ctx.at, msg('err.onnx.rnn.bias', { b: 'B', n: String(Bv.length), m: String(2 * G) }));
  if (ins[4] !== undefined) {
    const lens = ins[4];
    if (!(lens.kind === 'const' && lens.values.every((v) => v === T))) return refuse(ctx.at, msg('err.onnx.rnn.lens', { attr: 'sequence_lens' }));
  }
  if (!isZero(ins[5]) || !isZero(ins[6])) return refuse(ctx.at, msg('err.onnx.rnn.initial'));
  if (!isZero(ins[7])) return refuse(ctx.at, msg('err.onnx.rnn.peepholes', { lstm: 'LSTM' }));
  const used = (ctx.node.output ?? []).map((o) => o !== '' && (ctx.consumers.get(o) ?? 0) > 0);
  if (used[2]) return refuse(ctx.at, msg('err.onnx.rnn.cellState', { yc: 'Y_c' }));
  if (used[0] && used[1]) return refuse(ctx.at, msg('err.onnx.rnn.bothOutputs', { y: 'Y', yh: 'Y_h' }));
  if (!used[0] && !used[1]) return [];
  const shape: Dim[] = used[0] ? (layout === 0 ? [T, 1, 'B', H] : ['B', T, 1, H]) : layout === 0 ? [1, 'B', H] : ['B', 1, H];
  // other gate activations, or the GRU with its reset before the product: the Keras layer, which computes those
  if (spec.kind !== 'rnn' && (resetBefore || acts[0] !== 'sigmoid' || acts[1] !== 'tanh')) {
    const k = new KerasRecurrentLayer(spec.kind, T, I, H, getActivation(acts[1]), getActivation(acts[0]), used[0], ctx.env.dtype);
    fillKeras(k, spec.kind === 'lstm' ? [0, 2, 3, 1] : [0, 1, 2], W.values, R.values, Bv, I, H);
    const out = append(x, k, shape, ctx, layerName(ctx), `${n.op_type} (${acts[0]} gates${resetBefore ? ', linear_before_reset = 0' : ''})`);
    return used[0] ? [out, undefined, undefined] : [undefined, out, undefined];
  }
  const cell = createCell({ kind: spec.kind, inSize: I, hidden: H, dtype: ctx.env.dtype, kernels: ctx.env.kernels, activation: rnnAct }, new Rng(0));
  fill(cell, spec.order, W.values, R.values, Bv, I, H);
  const layer = new RecurrentLayer(cell, T, used[0], ctx.env.dtype);
  const out = append(x, layer, shape, ctx, layerName(ctx), n.op_type);
  return used[0] ? [out, undefined, undefined] : [undefined, out, undefined];
};

/** Copies ONNX's W (G,I), R (G,H) and B (2G) into the cell, gate block by gate block. */
function fill(cell: CellBase, order: readonly number[], W: Float64Array, R: Float64Array, B: Float64Array, I: number, H: number): void {
  const G = order.length * H;
  order.forEach((src, g) => {
    for (let j = 0; j < H; j++) {
      const to = g * H + j;
      const from = src * H + j;
      for (let i = 0; i < I; i++) cell.wih[to * I + i] = W[from * I + i];
      for (let k = 0; k < H; k++) cell.whh[to * H + k] = R[from * H + k];
      // the GRU's candidate keeps its recurrent bias inside the reset product: b_hn
      if (cell.kind === 'gru' && g === 2) {
        cell.bias[to] = B[from];
        (cell as GruCell).biasHn[j] = B[G + from];
      } else cell.bias[to] = B[from] + B[G + from];
    }
  });
}

/**
 * The node's activations as catalogue names: [gates, cell input, output] for
 * the LSTM, [gates, candidate] for the GRU, [f] for the RNN — HardSigmoid
 * by its α, β (Keras's 0.2, 0.5 or PyTorch's 1/6, 0.5).
 */
function activationsOf(ctx: OpContext, kind: string, count: number): string[] {
  const n = ctx.node;
  const names = attrStrings(n, 'activations') ?? CELLS[n.op_type].acts;
  if (names.length !== count) return refuse(ctx.at, msg('err.onnx.rnn.actCount', { n: String(names.length), op: n.op_type, m: String(count) }));
  const alphas = attrFloats(n, 'activation_alpha') ?? [];
  const betas = attrFloats(n, 'activation_beta') ?? [];
  let k = 0; // activation_alpha/beta list entries only for the activations that take them
  return names.map((raw) => {
    const a = raw.toLowerCase();
    if (a === 'hardsigmoid') {
      const alpha = alphas[k] ?? 0.2;
      const beta = betas[k] ?? 0.5;
      k++;
      if (Math.abs(alpha - 0.2) < 1e-7 && Math.abs(beta - 0.5) < 1e-7) return 'hard_sigmoid_keras2';
      if (Math.abs(alpha - 1 / 6) < 1e-7 && Math.abs(beta - 0.5) < 1e-7) return 'hardsigmoid';
      return refuse(ctx.at, msg('err.onnx.rnn.hardSigmoid', { op: 'HardSigmoid', pa: 'alpha', a: String(alpha), pb: 'beta', b: String(beta) }));
    }
    if (a === 'sigmoid' || a === 'tanh' || a === 'relu') return a;
    return refuse(ctx.at, msg('err.onnx.rnn.actUnknown', { raw, what: kind === 'rnn' ? 'RNN' : msg('err.onnx.rnn.layers'), list: ['Sigmoid', 'Tanh', 'Relu', 'HardSigmoid'] }));
  });
}

/** Copies ONNX's W, R (gate blocks `order` ← ONNX's) and the summed biases into a Keras layer's (I, G·H) and (H, G·H) kernels. */
function fillKeras(k: KerasRecurrentLayer, order: readonly number[], W: Float64Array, R: Float64Array, B: Float64Array, I: number, H: number): void {
  const G = order.length * H;
  order.forEach((src, g) => {
    for (let j = 0; j < H; j++) {
      const to = g * H + j;
      const from = src * H + j;
      for (let i = 0; i < I; i++) k.kernel[i * G + to] = W[from * I + i];
      for (let h = 0; h < H; h++) k.recurrentKernel[h * G + to] = R[from * H + h];
      k.bias[to] = B[from] + B[G + from]; // reset before the product: both biases outside it
    }
  });
}

/** Handlers of the recurrent operators. */
export const RECURRENT_OPS: Readonly<Record<string, OpHandler>> = { LSTM: recurrent, GRU: recurrent, RNN: recurrent };

export type { OpContext };
