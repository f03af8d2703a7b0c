/**
 * ONNX → gradscope: walks a graph as torch.onnx.export and tf2onnx write it
 * (opset 9 and up) node by node, turning each operator — or each group of
 * nodes an exporter writes for one activation — into gradscope layers, and
 * the graph into one sequential Network (residual Adds become residual
 * blocks). Anything it cannot represent exactly stops the import with one
 * sentence naming the node, its operator and what is supported: never a
 * partial network. Pure: takes the file's bytes.
 */
import { msg } from '../../i18n/catalogue.js';
import { inputError, refusedBy } from '../../errors.js';
import type { Layer, LayerEnv } from '../../nn/layer.js';
import { Network } from '../../nn/network.js';
import { ResidualBlock } from '../../nn/residual.js';
import type { DType } from '../../tensor/dtype.js';
import { fastKernels, networkKernels } from '../../tensor/wasm/index.js';
import type { LayerName, LoadedModel } from '../names.js';
import { decodeModel, type GraphProto } from './proto.js';
import { OPS, SUPPORTED_OPS, type OpContext } from './ops.js';
import { layersOf, showShape, type DataVal, type Dim, type Val } from './values.js';
import { constOf, nodeAt, partsOf, refuse, type At } from './attrs.js';
import { materialise } from './ops-elementwise.js';

/** The oldest default-domain opset gradscope reads. */
export const MIN_OPSET = 9;

/** Reads an ONNX model's bytes into a network of `dtype`; `file` names it in messages. */
export function importOnnx(bytes: Uint8Array, file: string, dtype: DType): LoadedModel {
  const model = decodeModel(bytes, file);
  const graph = model.graph;
  if (!graph || !graph.node || graph.node.length === 0) throw inputError([file], msg('err.onnx.noNodes'));
  const opset = (model.opset_import ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx')?.version ?? 0;
  if (opset < MIN_OPSET) throw inputError([file], msg('err.onnx.opset', { opset: String(opset), min: String(MIN_OPSET), arg: 'opset_version' }));
  // float32: the network's own memory, as buildMlp and model files give it
  const env: LayerEnv = { dtype, kernels: dtype === 'float32' ? networkKernels(fastKernels()) : fastKernels() };
  const names = new Map<Layer, LayerName>();
  const values = new Map<string, Val>();
  const consumers = countConsumers(graph);
  for (const t of graph.initializer ?? []) values.set(t.name ?? '', constOf(t, [file]));
  const inputs = (graph.input ?? []).filter((i) => !values.has(i.name));
  if (inputs.length !== 1) throw inputError([file], msg('err.onnx.inputs', { n: String(inputs.length), names: inputs.map((i) => `'${i.name}'`).join(', ') }));
  const input = inputs[0];
  const dims = input.type?.tensor_type?.shape?.dim ?? [];
  if (dims.length < 2) throw inputError([file], msg('err.onnx.inputRank', { name: input.name, what: msg(dims.length === 0 ? 'err.onnx.noShape' : 'err.onnx.rank1') }));
  const inShape: Dim[] = ['B'];
  dims.slice(1).forEach((d, i) => {
    if (!(typeof d.dim_value === 'number' && d.dim_value > 0)) throw inputError([file], msg('err.onnx.axis', { name: input.name, i: String(i + 1), param: d.dim_param ?? '?' }));
    inShape.push(d.dim_value);
  });
  values.set(input.name, { kind: 'data', chain: null, shape: inShape });
  const outputs = graph.output ?? [];
  if (outputs.length !== 1) throw inputError([file], msg('err.onnx.outputs', { n: String(outputs.length) }));

  const nodes = graph.node;
  let logSoftmax = false;
  for (const node of nodes) {
    const at: At = { file, subject: nodeAt(node.name ?? '', node.op_type) };
    const handler = (node.domain ?? '') === '' || node.domain === 'ai.onnx' ? OPS[node.op_type] : undefined;
    if (!handler) refuse(at, msg('err.interop.unsupported', { list: SUPPORTED_OPS }));
    const ins = (node.input ?? []).map((n) => (n === '' ? undefined : values.get(n)));
    (node.input ?? []).forEach((n, i) => {
      if (n !== '' && ins[i] === undefined) throw inputError([file], msg('err.onnx.order', { node: node.name ?? '', op: node.op_type, input: n }));
    });
    const ctx: OpContext = { node, at, env, names, file, opset, consumers, inputShape: inShape };
    let outs: (Val | undefined)[];
    try {
      outs = handler(ins, ctx);
    } catch (e) {
      // a layer refusing the sizes or values the file gives (hidden_size 0, …) is a fault of the file
      if (e instanceof RangeError) throw refusedBy(partsOf(at), e);
      throw e;
    }
    if (node.op_type === 'LogSoftmax') logSoftmax = true;
    outs.forEach((v, i) => {
      const name = node.output?.[i];
      if (v !== undefined && name !== undefined && name !== '') values.set(name, v);
    });
  }
  const outName = outputs[0].name;
  const last = values.get(outName);
  if (last === undefined) throw inputError([file], msg('err.onnx.outputMissing', { name: outName }));
  const outAt: At = { file, subject: msg('err.onnx.outputAt', { name: outName }) };
  let out: DataVal;
  try {
    out = materialise(last, { file, at: outAt, env, names });
  } catch (e) {
    // the last activation refusing its parameters (an Elu with alpha −1 at the output)
    if (e instanceof RangeError) throw refusedBy(partsOf(outAt), e);
    throw e;
  }
  if (out.shape.length !== 2 || out.shape[0] !== 'B') throw inputError([file], msg('err.onnx.outputShape', { name: outName, shape: showShape(out.shape) }));
  const layers = layersOf(out.chain);
  if (layers.length === 0) throw inputError([file], msg('err.onnx.nothing'));
  checkSoftmaxLast(layers, names, file);
  for (const l of layers) if (l instanceof ResidualBlock) checkSoftmaxLast([...l.inner, l], names, file);
  let net: Network;
  try {
    net = new Network(layers, dtype, env.kernels);
  } catch (e) {
    throw refusedBy([file], e as Error);
  }
  return {
    net,
    names,
    format: 'onnx',
    inputShape: inShape.slice(1) as number[],
    output: logSoftmax ? 'log_softmax' : 'as_is',
    producer: `${model.producer_name ?? 'unknown'} ${model.producer_version ?? ''}`.trim() + ` (ONNX opset ${opset})`,
  };
}

/** How many nodes (and graph outputs) read each tensor. */
function countConsumers(g: GraphProto): ReadonlyMap<string, number> {
  const m = new Map<string, number>();
  const add = (n: string): void => {
    if (n !== '') m.set(n, (m.get(n) ?? 0) + 1);
  };
  for (const node of g.node ?? []) (node.input ?? []).forEach(add);
  for (const o of g.output ?? []) add(o.name);
  return m;
}

/** Softmax is an output activation in gradscope: refuse one anywhere else. */
function checkSoftmaxLast(layers: readonly Layer[], names: ReadonlyMap<Layer, LayerName>, file: string): void {
  layers.forEach((l, i) => {
    if (i < layers.length - 1 && 'name' in l && (l as { name: unknown }).name === 'softmax') {
      const n = names.get(l);
      throw inputError([file], msg('err.onnx.softmax', { node: n?.name ?? '', op: n?.op ?? 'Softmax', a: 'Softmax', b: 'LogSoftmax' }));
    }
  });
}
