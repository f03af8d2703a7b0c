// Each input error gradscope words from a catalogue message, caused for real: its English sentence is
// the one it has always printed (written out here, so a change to the catalogue's English shows), and
// the same error says itself in Chinese with every placeholder filled and its parts (file, field) kept.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sentenceIn, type Parts } from '../src/cli/error-text.js';
import { numberOption, parseMatrix, readJson } from '../src/cli/io.js';
import { parseParams } from '../src/cli/params.js';
import { readRunDir } from '../src/cli/run-files.js';
import { parseDatasetSpec } from '../src/data/catalog.js';
import { checkMemory, memoryBudget, withSource } from '../src/experiments/budget.js';
import { imagesAndLabelsToDataset, parseIdx, type IdxArray } from '../src/data/idx.js';
import { findIdxFile } from '../src/data/node.js';
import { readUserFile } from '../src/data/read-file.js';
import { ValueError } from '../src/errors.js';
import { datasetFromCsv } from '../src/data/user-data.js';
import { msg, phrase } from '../src/i18n/catalogue.js';
import { englishIn } from '../src/i18n/english.test-helper.js';
import { loadModel } from '../src/interop/load.js';
import { networkToOnnx } from '../src/interop/onnx/export.js';
import { encodeModel } from '../src/interop/onnx/proto.js';
import { readRun } from '../src/interop/run-dir.js';
import { modelFromJson, networkFromJson } from '../src/nn/model-file.js';
import { parseRun } from '../src/run/schema.js';
import { paramsFromText, scheduleFromText } from '../src/run/text.js';
import { parseDistribution } from '../src/sweep/distributions.js';
import { acquireLock } from '../src/sweep/lock.js';
import { parseRedisUrl } from '../src/sweep/redis.js';
import { parseShard } from '../src/sweep/shard.js';
import { outputLayerIssue, outputLayerProblem, targetIssue, targetProblem } from '../src/nn/targets.js';

const dir = mkdtempSync(join(tmpdir(), 'gradscope-sentences-'));
const file = (name: string, content: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** An IDX array as parseIdx would give it. */
const idx = (dims: number[], data: number[], name: string): IdxArray => ({ dims, data: Float64Array.from(data), file: name });
/** IDX bytes: the magic number's type and dimension count, the sizes, then the data. */
const idxBytes = (type: number, dims: number[], data: number[]): Uint8Array => {
  const b = new Uint8Array(4 + 4 * dims.length + data.length);
  b.set([0, 0, type, dims.length]);
  dims.forEach((d, i) => new DataView(b.buffer).setUint32(4 + 4 * i, d, false));
  b.set(data, 4 + 4 * dims.length);
  return b;
};
const dense = (i: number, o: number): object => ({ type: 'dense', in: i, out: o, weight: Array.from({ length: o }, () => Array<number>(i).fill(0)), bias: Array<number>(o).fill(0) });
const model = (layers: unknown[]): unknown => ({ format: 'gradscope-model/2', layers });

/** An ONNX model of one Relu node reading input 'a' (batch × 3) and writing 'y', with the parts a test changes. */
const onnx = (o: { opset?: number; inputs?: string[]; dims?: number[]; outputs?: string[]; nodeInput?: string }): Uint8Array =>
  encodeModel({
    opset_import: [{ domain: '', version: o.opset ?? 13 }],
    graph: {
      node: [{ name: 'n', op_type: 'Relu', input: [o.nodeInput ?? 'a'], output: ['y'] }],
      input: (o.inputs ?? ['a']).map((name) => ({ name, type: { tensor_type: { elem_type: 1, shape: { dim: (o.dims ?? [0, 3]).map((d) => ({ dim_value: d })) } } } })),
      output: (o.outputs ?? ['y']).map((name) => ({ name })),
    },
  } as Parameters<typeof encodeModel>[0]);

/** An ONNX model of `nodes` reading input 'x' (batch × 3, or `dims`) and writing 'y', with float initializers `inits` (name → [dims, values]). */
const graph = (nodes: { name: string; op_type: string; input: string[]; output: string[]; attribute?: object[] }[], inits: Record<string, [number[], number[]]> = {}, dims = [0, 3], opset = 13): Uint8Array =>
  encodeModel({
    opset_import: [{ domain: '', version: opset }],
    graph: {
      node: nodes,
      initializer: Object.entries(inits).map(([name, [d, float_data]]) => ({ name, dims: d, data_type: 1, float_data })),
      input: [{ name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => ({ dim_value: d })) } } } }],
      output: [{ name: 'y' }],
    },
  } as Parameters<typeof encodeModel>[0]);
const fill = (n: number): number[] => Array<number>(n).fill(0.5);
const W34: Record<string, [number[], number[]]> = { W: [[3, 4], fill(12)] };
const fixtures = join('test', 'fixtures', 'interop');
/** A model file of the fixtures (ONNX or TensorFlow.js), read from disk. */
const fixture = (format: 'onnx' | 'tfjs', name: string): (() => unknown) => {
  const path = join(fixtures, format, name, format === 'onnx' ? 'model.onnx' : 'model.json');
  return () => loadModel(path, { bytes: (p) => readFileSync(p) });
};
/** A TensorFlow.js model.json of one Sequential stack of `layers` on (batch, …inShape) inputs, without weights. */
const tfjs = (layers: object[], inShape = [3]): (() => unknown) => {
  const doc = { modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, ...inShape] } }, ...layers] } }, weightsManifest: [] };
  return () => loadModel('m.json', { bytes: () => new TextEncoder().encode(JSON.stringify(doc)) });
};

const csvFile = 'd.csv';
const matrix = 'x.json';
const big = file('big.json', 'x'.repeat(2000));
const empty = file('empty.json', '');
const plain = file('plain.txt', 'x');
const folder = mkdtempSync(join(dir, 'idx-'));

// [what, the call that fails, its English sentence (or how it starts, when it ends in a library's words)]
const CASES: readonly [string, () => unknown, string | RegExp][] = [
  // src/data/idx.ts
  ['idx: short', () => parseIdx(new Uint8Array([0, 0]), 'f'), 'f: truncated header: the file has 2 bytes, fewer than the 4 of an IDX magic number'],
  ['idx: magic', () => parseIdx(new Uint8Array([1, 2, 3, 4]), 'f'), 'f: bad magic number 0x01020304 (expected 0x0000TTNN for an IDX file, e.g. 0x00000803 for MNIST images)'],
  ['idx: gzipped', () => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0]), 'f'), 'f: bad magic number 0x1f8b0800 (expected 0x0000TTNN for an IDX file, e.g. 0x00000803 for MNIST images; it looks gzipped, so gunzip it first)'],
  ['idx: type', () => parseIdx(new Uint8Array([0, 0, 7, 1]), 'f'), 'f: unknown data type 0x07 in magic number 0x00000701 (expected 0x08 ubyte, 0x09 sbyte, 0x0b short, 0x0c int, 0x0d float or 0x0e double)'],
  ['idx: no dimensions', () => parseIdx(new Uint8Array([0, 0, 8, 0]), 'f'), 'f: dimension count 0 in magic number 0x00000800 (expected at least 1)'],
  ['idx: header', () => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]), 'f'), 'f: truncated header: 3 dimensions need 16 header bytes, the file has 6'],
  ['idx: truncated', () => parseIdx(idxBytes(8, [3], [1, 2]), 'f'), 'f: truncated: header says 3 = 3 bytes of data, file has 2'],
  ['idx: a trailing byte', () => parseIdx(idxBytes(8, [1], [5, 6]), 'f'), 'f: 1 trailing byte: header says 1 = 1 bytes of data, file has 2'],
  ['idx: trailing bytes', () => parseIdx(idxBytes(0x0b, [1], [0, 1, 2, 3]), 'f'), 'f: 2 trailing bytes: header says 1 = 1 short values × 2 bytes = 2 bytes of data, file has 4'],
  ['idx: image dimensions', () => imagesAndLabelsToDataset(idx([3], [0, 0, 0], 'img'), idx([3], [0, 0, 0], 'lab'), 'x'), 'img: images need at least 2 dimensions (count × features), the header has 1: 3'],
  ['idx: label dimensions', () => imagesAndLabelsToDataset(idx([2, 1], [0, 0], 'img'), idx([2, 2], [0, 0, 0, 0], 'lab'), 'x'), 'lab: labels need 1 dimension (count), the header has 2×2'],
  ['idx: counts', () => imagesAndLabelsToDataset(idx([3, 2], [0, 0, 0, 0, 0, 0], 'img'), idx([4], [0, 0, 0, 0], 'lab'), 'x'), 'lab: 4 labels but img has 3 images'],
  ['idx: no features', () => imagesAndLabelsToDataset(idx([2, 0], [], 'img'), idx([2], [0, 0], 'lab'), 'x'), 'img: images have 0 features (dimensions 2×0)'],
  ['idx: label', () => imagesAndLabelsToDataset(idx([1, 1], [0], 'img'), idx([1], [1.5], 'lab'), 'x'), 'lab: label 0 is 1.5; labels must be integers in 0..255'],
  ['idx: label ≥ classes', () => imagesAndLabelsToDataset(idx([1, 1], [0], 'img'), idx([1], [5], 'lab'), 'x', 2), 'lab: label 0 is 5, not below the 2 classes'],
  ['idx: pixel', () => imagesAndLabelsToDataset(idx([1, 1], [NaN], 'img'), idx([1], [0], 'lab'), 'x'), 'img: value 0 is NaN; pixels must be finite'],
  ['idx: pixel range', () => imagesAndLabelsToDataset(idx([2, 1], [-1, 3], 'img'), idx([2], [0, 0], 'lab'), 'x'), 'img: pixel values range over [-1, 3]; expected [0, 1] or [0, 255]'],
  // src/data/node.ts and catalog.ts
  ['mnist: missing', () => findIdxFile('/nonexistent-gradscope', 'train-images-idx3-ubyte'), "MNIST directory '/nonexistent-gradscope' does not exist"],
  ['mnist: a file', () => findIdxFile(plain, 'train-images-idx3-ubyte'), `MNIST directory '${plain}' is not a directory (mnist:DIR names a folder holding the four IDX files)`],
  ['mnist: no file', () => findIdxFile(folder, 'train-images-idx3-ubyte'), `MNIST directory '${folder}' has no train-images-idx3-ubyte or train-images-idx3-ubyte.gz`],
  ['dataset: mnist without a directory', () => parseDatasetSpec('mnist:'), "dataset 'mnist:' needs a directory: write mnist:DIR, DIR holding the MNIST IDX files"],
  ['dataset: own files', () => parseDatasetSpec('csv:x.csv'), "dataset 'csv:x.csv': your own csv: files are read where the network is yours too (probe --model, grad, gradcheck); a network gradscope builds trains on digits, mnist:DIR or a 2-D set"],
  // src/data/user-data.ts
  ['csv: rows', () => datasetFromCsv('a,label\n', csvFile), 'd.csv: needs a header row and at least one row of data; got 1 row'],
  ['csv: label column', () => datasetFromCsv('a,label\n1,0\n', csvFile, 'zz'), "d.csv: no label column 'zz' (the columns are 'a', 'label'; give a name or a 0-based index)"],
  ['csv: only the label', () => datasetFromCsv('label\n1\n', csvFile), 'd.csv: has only the label column; needs at least one feature column'],
  ['csv: a number', () => datasetFromCsv('a,label\nx,1\n', csvFile), `d.csv: row 2, column 'a': "x" is not a finite number`],
  ['csv: a large label', () => datasetFromCsv('a,label\n1,300\n', csvFile), "d.csv: row 2, column 'label': label 300 is more than the 255 gradscope's data sets hold"],
  ['csv: not a table', () => datasetFromCsv('a,b\n1\n', csvFile), /^d\.csv: not a CSV table \(/],
  // src/cli/io.ts, params.ts, run-files.ts, src/data/read-file.ts
  ['matrix: not a list', () => parseMatrix({}, matrix), 'x.json: expected an array of rows (batch × features); got {}'],
  ['matrix: no rows', () => parseMatrix([], matrix), 'x.json: has no rows; expected at least one'],
  ['matrix: not a row', () => parseMatrix([5], matrix), 'x.json: [0] should be a row (an array of numbers); got 5'],
  ['matrix: as row 0', () => parseMatrix([[1, 2], [1]], matrix), 'x.json: row 1 has 1 numbers, expected 2 (as row 0)'],
  ['matrix: columns', () => parseMatrix([[1]], matrix, 2), 'x.json: row 0 has 1 numbers, expected 2 (columns)'],
  ['matrix: input width', () => parseMatrix([[1]], matrix, 2, msg('err.matrix.inputWidth')), "x.json: row 0 has 1 numbers, expected 2 (the model's input width)"],
  ['matrix: a number', () => parseMatrix([[1, 'a']], matrix), 'x.json: [0][1] is "a", expected a finite number'],
  ['flag: integer', () => numberOption('--n', 'x', { integer: true }), "--n must be an integer; got 'x'"],
  ['flag: number', () => numberOption('--n', 'x'), "--n must be a number; got 'x'"],
  ['flag: ≥', () => numberOption('--n', '0', { min: 1 }), '--n must be ≥ 1; got 0'],
  ['flag: >', () => numberOption('--n', '0', { min: 0, exclusiveMin: true }), '--n must be > 0; got 0'],
  ['flag: ≤', () => numberOption('--n', '6', { max: 5 }), '--n must be ≤ 5; got 6'],
  ['--param: form', () => parseParams(['x']), "--param must look like name=value (e.g. negative_slope=0.2); got 'x'"],
  ['--param: number', () => parseParams(['a=zz']), "--param a must be a finite number; got 'zz'"],
  ['read: missing', () => readUserFile('/nonexistent-gradscope/x.json'), '/nonexistent-gradscope/x.json: cannot read the file (no such file)'],
  ['read: a directory', () => readUserFile(dir), `${dir}: cannot read the file (is a directory)`],
  ['read: a device', () => readUserFile('/dev/zero'), '/dev/zero: cannot read the file (is a character device (such as /dev/zero), not a regular file)'],
  ['read: too large', () => readUserFile(big, { maxBytes: 1000, what: msg('err.what.config') }), `${big}: cannot read the file (2 kB is more than the 1000 bytes a run config may have)`],
  ['json: empty', () => readJson(empty, 'config'), `${empty}: not valid JSON (the file is empty)`],
  ['run dir: none', () => readRunDir(folder), `${folder}: not a run directory (it has no metrics.jsonl)`],
  ['run dir: not a folder', () => readRunDir(plain), `${plain}: not a directory; give a run directory (what gradscope train or the TensorFlow.js monitor writes)`],
  // src/interop/run-dir.ts, load.ts
  ['run: a line', () => readRun({ metrics: 'x\n' }, 'R'), 'R/metrics.jsonl: line 1 is not valid JSON'],
  ['run: no probes', () => readRun({ metrics: '' }, 'R'), 'R/metrics.jsonl: has no probe lines; the run recorded nothing to report'],
  ['model: which JSON', () => loadModel('m.json', { bytes: () => new TextEncoder().encode('{"a":1}') }), 'm.json: is JSON but neither a gradscope model (a "format": "gradscope-model/…" field) nor a TensorFlow.js model.json (a "modelTopology" field); gradscope also reads ONNX files'],
  ['model: not JSON', () => loadModel('m.json', { bytes: () => new TextEncoder().encode('{') }), /^m\.json: not valid JSON \(/],
  ['onnx: no nodes', () => loadModel('m.onnx', { bytes: () => new Uint8Array([0x08, 0x07]) }), 'm.onnx: the ONNX model has no graph nodes'],
  ['onnx: not a model', () => loadModel('m.onnx', { bytes: () => new Uint8Array([0xff, 0xff, 0xff]) }), /^m\.onnx: not an ONNX model \(the protobuf decoder says: /],
  ['onnx: opset', () => loadModel('m.onnx', { bytes: () => onnx({ opset: 7 }) }), 'm.onnx: the model uses ONNX opset 7; gradscope reads opset 9 and newer (re-export with opset_version ≥ 9)'],
  ['onnx: inputs', () => loadModel('m.onnx', { bytes: () => onnx({ inputs: ['a', 'b'] }) }), "m.onnx: the graph has 2 inputs ('a', 'b'); gradscope imports networks of one input"],
  ['onnx: rank', () => loadModel('m.onnx', { bytes: () => onnx({ dims: [1] }) }), "m.onnx: input 'a' has rank 1; gradscope needs (batch, features…)"],
  ['onnx: no shape', () => loadModel('m.onnx', { bytes: () => onnx({ dims: [] }) }), "m.onnx: input 'a' has no known shape; gradscope needs (batch, features…)"],
  ['onnx: axis', () => loadModel('m.onnx', { bytes: () => onnx({ dims: [1, 0] }) }), "m.onnx: input 'a' axis 1 has no fixed size (?); gradscope needs every axis but the batch to be fixed"],
  ['onnx: outputs', () => loadModel('m.onnx', { bytes: () => onnx({ outputs: ['y', 'z'] }) }), 'm.onnx: the graph has 2 outputs; gradscope imports networks of one output'],
  ['onnx: order', () => loadModel('m.onnx', { bytes: () => onnx({ nodeInput: 'q' }) }), "m.onnx: node 'n' (Relu): input 'q' is not computed before the node (the graph is not in topological order)"],
  ['onnx: output missing', () => loadModel('m.onnx', { bytes: () => onnx({ outputs: ['zz'] }) }), "m.onnx: output 'zz' is not computed by any node"],
  // an ONNX node's own problem (src/interop/onnx/ops*.ts, attrs.ts, proto.ts) and a TensorFlow.js layer's (src/interop/tfjs/import.ts)
  ['onnx node: unsupported operator', fixture('onnx', 'unsupported_topk'), /^test\/fixtures\/interop\/onnx\/unsupported_topk\/model\.onnx: node 'topk' \(TopK\) is not supported; gradscope imports Gemm, MatMul \+ Add, the activations Relu, .*, Gelu and Clip \(relu6, hardtanh\), the exporters' forms of GELU, SiLU, Mish and Hardswish, .*, and RNN, LSTM and GRU$/],
  ['onnx node: attribute', fixture('onnx', 'unsupported_transA'), "test/fixtures/interop/onnx/unsupported_transA/model.onnx: node 'fcT' (Gemm) has transA = 1 (the data transposed, features × batch); gradscope reads Gemm with the data as rows (transA = 0, any transB)"],
  ['onnx node: direction', fixture('onnx', 'unsupported_bidirectional'), "test/fixtures/interop/onnx/unsupported_bidirectional/model.onnx: node 'bilstm' (LSTM) runs direction = 'bidirectional'; gradscope's recurrent cells run forward only (not bidirectional or reversed)"],
  ['onnx node: not an activation', fixture('onnx', 'unsupported_form'), "test/fixtures/interop/onnx/unsupported_form/model.onnx: nodes 'abs', 'mul' compute Mul(Abs(x),x), which is not an activation gradscope knows; it reads single activation operators and the forms of gelu, gelu_tanh, silu, mish, hardswish, softsign, tanhshrink, logsigmoid, bipolar_sigmoid, lecun_tanh"],
  ['onnx node: slopes', fixture('onnx', 'unsupported_prelu_channels'), "test/fixtures/interop/onnx/unsupported_prelu_channels/model.onnx: node '/items.1/PRelu' (PRelu) has 5 slopes (one per channel); gradscope's prelu learns one slope for the layer (torch.nn.PReLU() with num_parameters = 1)"],
  ['onnx node: inputs', () => loadModel('m.onnx', { bytes: () => graph([{ name: 'a', op_type: 'Add', input: ['x'], output: ['y'] }]) }), "m.onnx: node 'a' (Add) needs two inputs"],
  ['onnx node: not a constant', () => loadModel('m.onnx', { bytes: () => graph([{ name: 'g', op_type: 'Gemm', input: ['x', 'x'], output: ['y'] }]) }), "m.onnx: node 'g' (Gemm) has a weight (B) that is not a constant (an initializer); gradscope imports trained weights stored in the file"],
  ['onnx node: shape', () => loadModel('m.onnx', { bytes: () => graph([{ name: 'g', op_type: 'Gemm', input: ['x', 'W'], output: ['y'] }], { W: [[5, 4], fill(20)] }) }), "m.onnx: node 'g' (Gemm) has a weight of shape [5, 4] (transB = 0) for 3 input features"],
  ['onnx node: bias', () => loadModel('m.onnx', { bytes: () => graph([{ name: 'g', op_type: 'Gemm', input: ['x', 'W', 'C'], output: ['y'] }], { ...W34, C: [[3], fill(3)] }) }), "m.onnx: node 'g' (Gemm) adds a constant of shape [3] to 4 outputs; gradscope reads a bias of shape [4], [1, 4] or a scalar"],
  ['onnx node: residual', () => loadModel('m.onnx', { bytes: () => graph([{ name: 'g', op_type: 'Gemm', input: ['x', 'W'], output: ['h'] }, { name: 'a', op_type: 'Add', input: ['x', 'h'], output: ['y'] }], W34) }), "m.onnx: node 'a' (Add) adds tensors of shapes [B, 3] and [B, 4]; gradscope reads a residual Add of two (batch, features) tensors of one width"],
  ['onnx node: layout', () => loadModel('m.onnx', { bytes: () => graph([{ name: 't', op_type: 'Transpose', input: ['x'], output: ['y'], attribute: [{ name: 'perm', type: 7, ints: [0, 2, 1] }] }], {}, [0, 2, 3]) }), "m.onnx: node 't' (Transpose) permutes [B, 2, 3] by [0, 2, 1], which reorders each example's values; gradscope reads a Transpose that moves the batch axis only"],
  ['onnx node: a layer\'s constant', () => loadModel('m.onnx', { bytes: () => graph([{ name: 'bn', op_type: 'BatchNormalization', input: ['x', 'S', 'B', 'M', 'V'], output: ['y'], attribute: [{ name: 'epsilon', type: 1, f: 0 }] }], { S: [[3], fill(3)], B: [[3], fill(3)], M: [[3], fill(3)], V: [[3], fill(3)] }) }), "m.onnx: node 'bn' (BatchNormalization): batchnorm: 'eps' must be > 0; got 0"],
  ['onnx: the output activation\'s parameter', () => loadModel('m.onnx', { bytes: () => graph([{ name: 'e', op_type: 'Elu', input: ['x'], output: ['y'], attribute: [{ name: 'alpha', type: 1, f: -1 }] }]) }), "m.onnx: output 'y': elu: parameter 'alpha' must be > 0; got -1"],
  ['onnx: a tensor', () => loadModel('m.onnx', { bytes: () => graph([{ name: 'g', op_type: 'Gemm', input: ['x', 'W'], output: ['y'] }], { W: [[3, 4], [1, 2]] }) }), "m.onnx: tensor 'W' holds 2 numbers for shape [3, 4] (expected 12)"],
  ['tfjs layer: unsupported class', fixture('tfjs', 'unsupported_conv'), "test/fixtures/interop/tfjs/unsupported_conv/model.json: layer 'conv' (Conv1D) is not supported; gradscope imports InputLayer, Dense, Activation, LeakyReLU, BatchNormalization, LayerNormalization, Dropout, Flatten, Add (residual), SimpleRNN, LSTM and GRU"],
  ['tfjs layer: a setting', tfjs([{ class_name: 'LSTM', config: { name: 'lstm', units: 2, go_backwards: true } }], [4, 3]), "m.json: layer 'lstm' (LSTM) has go_backwards = true, which gradscope's recurrent layers do not do"],
  ['tfjs layer: a weight', tfjs([{ class_name: 'Dense', config: { name: 'd', units: 2 } }]), "m.json: layer 'd' (Dense) has no weight 'd/kernel' in the weights manifest"],
  ['tfjs layer: data', tfjs([{ class_name: 'SimpleRNN', config: { name: 'r', units: 2 } }]), "m.json: layer 'r' (SimpleRNN) reads data of shape [B, 3]; expected (batch, steps, features)"],
  ['tfjs layer: activation', tfjs([{ class_name: 'Activation', config: { name: 'a', activation: 'relux' } }]), "m.json: layer 'a' (Activation) has activation 'relux'; gradscope reads linear, relu, relu6, elu, selu, sigmoid, tanh, softmax, softplus, softsign, hard_sigmoid, hardSigmoid, swish, mish, gelu, gelu_new"],
  // src/experiments/budget.ts: the memory checks, their breakdown and the budget's source
  [
    'memory: the budget',
    () => checkMemory({ bytes: 3 * 2 ** 30, parts: { parameters: 2 * 2 ** 30, activations: 2 ** 30, data: 1 }, largestBuffer: 0 }, withSource(2 ** 30, msg('err.mem.halfMachine', { size: '2.0 GB' })), msg('err.mem.probe', { arch: '784-1000-10', n: '1000' })),
    "--arch 784-1000-10 with --probe-samples 1000 needs about 3.0 GB of memory (parameters 2.0 GB, activations 1.0 GB), more than the budget of 1.0 GB (half of this machine's 2.0 GB); choose smaller settings, or raise the budget with --memory SIZE or GRADSCOPE_MEMORY=SIZE",
  ],
  [
    'memory: a run file',
    () => checkMemory({ bytes: 2 ** 31, parts: { 'model.json': 2 ** 30, 'run overhead': 2 ** 29, 'BPTT buffers': 2 ** 29 }, largestBuffer: 0 }, memoryBudget('1G'), msg('err.mem.train', { arch: '2-60000-2', batch: '10', probe: '1000' }), ['run.json']),
    'run.json: the run of arch 2-60000-2 with batchSize 10 and probeSamples 1000 needs about 2.0 GB of memory (model.json 1.0 GB, run overhead 512 MB), more than the budget of 1.0 GB (--memory 1G); choose smaller settings, or raise the budget with --memory SIZE or GRADSCOPE_MEMORY=SIZE',
  ],
  [
    'memory: the study',
    () => checkMemory({ bytes: 2 ** 31, parts: { 'worker threads': 2 ** 31 }, largestBuffer: 0 }, withSource(2 ** 30, msg('err.mem.halfContainer', { size: '2.0 GB' })), msg('err.mem.study', { n: 1 }), ['--workers 1']),
    "--workers 1: the study on 1 thread needs about 2.0 GB of memory (worker threads 2.0 GB), more than the budget of 1.0 GB (half of this container's 2.0 GB limit); choose smaller settings, or raise the budget with --memory SIZE or GRADSCOPE_MEMORY=SIZE",
  ],
  ['memory: one buffer', () => checkMemory({ bytes: 1, parts: {}, largestBuffer: 2 ** 53 }, memoryBudget('8G'), msg('err.mem.gradcheck', { arch: '2-2', batch: '1' })), /^--arch 2-2 with --batch 1 needs one buffer of 9\.01e\+15 values, more than the \d+ an array can hold; choose smaller settings$/],
  ['memory: --memory', () => memoryBudget('12'), '--memory must be a size of at least 1M, such as 8G, 512M or 2.5GB; got "12"'],
  // src/interop/onnx/export.ts: a layer with no ONNX form
  ['export: softplus', () => networkToOnnx(networkFromJson(model([dense(2, 2), { type: 'activation', name: 'softplus', params: { beta: 2 } }]), 'm.json')), "export: layer 'activation1' is softplus with beta = 2; ONNX's Softplus has beta = 1"],
  [
    'export: an activation',
    () => networkToOnnx(networkFromJson(model([dense(2, 2), { type: 'activation', name: 'rrelu' }]), 'm.json')),
    "export: layer 'activation1' is the activation 'rrelu', which has no ONNX form gradscope reads back; exportable are relu, leaky_relu, prelu, elu, selu, celu, sigmoid, hardsigmoid, hard_sigmoid_keras2, tanh, softplus, softsign, hardswish, relu6, hardtanh, gelu, gelu_tanh, silu, mish, tanhshrink, logsigmoid, bipolar_sigmoid, lecun_tanh, softmax and linear",
  ],
  ['tfjs: no layers', () => loadModel('m.json', { bytes: () => new TextEncoder().encode('{"modelTopology":{}}') }), 'm.json: modelTopology has no layers'],
  ['tfjs: no manifest', () => loadModel('m.json', { bytes: () => new TextEncoder().encode('{"modelTopology":{"config":{"layers":[{"config":{}}]}}}') }), 'm.json: weightsManifest is missing or not an array'],
  // src/nn/model-file.ts and the layers' formats
  ['model: recurrent', () => networkFromJson({ format: 'gradscope-model/2', kind: 'recurrent' }, 'm.json'), 'm.json: kind: is a recurrent model (a cell and a head), not a feed-forward network; got "recurrent"'],
  ['model: first layer', () => networkFromJson(model([{ type: 'activation', name: 'relu' }]), 'm.json'), 'm.json: layers[0].type: the first layer must be dense or maxout (it fixes the input width); got "activation"'],
  ['model: maxout as an activation', () => networkFromJson(model([dense(2, 2), { type: 'activation', name: 'maxout' }]), 'm.json'), `m.json: layers[1].name: 'maxout' is a layer type of its own; write {"type":"maxout",...}`],
  ['model: rows', () => networkFromJson(model([{ ...dense(2, 2), weight: [[0, 0], [0, 0], [0, 0]] }]), 'm.json'), "m.json: layers[0].weight: must have 2 rows ('out'); got 3"],
  ['model: a row', () => networkFromJson(model([{ ...dense(2, 2), weight: [[0], [0, 0]] }]), 'm.json'), "m.json: layers[0].weight[0]: must have 2 numbers ('in'); got 1"],
  ['model: bias', () => networkFromJson(model([{ ...dense(2, 2), bias: [0] }]), 'm.json'), "m.json: layers[0].bias: must have 2 numbers ('out'); got 1"],
  ['model: widths', () => networkFromJson(model([dense(2, 3), dense(4, 2)]), 'm.json'), 'm.json: layers[1].in: must be 3, the width the previous layer gives; got 4'],
  ['model: layer norm', () => networkFromJson(model([dense(2, 3), { type: 'layernorm', size: 4, eps: 1e-5, weight: [1, 1, 1, 1], bias: [0, 0, 0, 0] }]), 'm.json'), 'm.json: layers[1].size: must be 3, the width of the layer before; got 4'],
  ['model: unknown activation', () => networkFromJson(model([dense(2, 2), { type: 'activation', name: 'sigmod' }]), 'm.json'), "m.json: layers[1].name: unknown activation 'sigmod'; did you mean sigmoid?"],
  // src/nn/rnn/model.ts: a recurrent model's file
  ['recurrent model: activation', () => modelFromJson({ format: 'gradscope-model/2', kind: 'recurrent', cell: 'lstm', inSize: 1, hidden: 1, head: 'regression', outSize: 1, activation: 'relu', params: {} }, 'r.json'), 'r.json: activation: only the rnn cell takes an activation; got "relu"'],
  ['recurrent model: parameter', () => modelFromJson({ format: 'gradscope-model/2', kind: 'recurrent', cell: 'rnn', inSize: 1, hidden: 1, head: 'regression', outSize: 1, params: { zz: [1] } }, 'r.json'), /^r\.json: params\.zz: unknown parameter; a rnn model has [\w., ]+$/],
  ['recurrent model: missing', () => modelFromJson({ format: 'gradscope-model/2', kind: 'recurrent', cell: 'rnn', inSize: 1, hidden: 1, head: 'regression', outSize: 1, params: {} }, 'r.json'), /^r\.json: params\.[\w.]+: is required$/],
  // src/nn/build.ts, src/run/text.ts
  ['arch: too deep', () => parseRun({ arch: '2-1x1001-2', data: 'moons' }), 'arch: at most 1000 hidden layers (it has 1001); got "2-1x1001-2"'],
  ['schedule: form', () => scheduleFromText('bogus', 'schedule'), 'schedule: must be constant, step:EVERY[:FACTOR] or cosine[:MINLR]; got "bogus"'],
  ['params: a number', () => paramsFromText('a=zz', 'activationParams'), 'activationParams: a must be a finite number; got "zz"'],
  // src/run/schema.ts: names that depend on other settings
  ['run: activations', () => parseRun({ arch: '2-8-2', data: 'moons', activation: ['relu', 'tanh'] }), 'activation: arch 2-8-2 has 1 hidden layer but the list has 2 activations; got ["relu","tanh"]'],
  ['run: activations (layers)', () => parseRun({ arch: '2-8-8-8-2', data: 'moons', activation: ['relu', 'tanh'] }), 'activation: arch 2-8-8-8-2 has 3 hidden layers but the list has 2 activations; got ["relu","tanh"]'],
  ['run: initialisers', () => parseRun({ arch: '2-8-2', data: 'moons', init: ['he_normal'] }), 'init: arch 2-8-2 has 2 weight layers but the list has 1 initialisers; got ["he_normal"]'],
  ['run: initialisers (one layer)', () => parseRun({ arch: '2-2', data: 'moons', init: ['he_normal', 'he_normal'] }), 'init: arch 2-2 has 1 weight layer but the list has 2 initialisers; got ["he_normal","he_normal"]'],
  ['run: output activation', () => parseRun({ arch: '2-8-2', data: 'moons', outputActivation: 'tanh' }), 'outputActivation: binary_cross_entropy needs a sigmoid output layer (set outputActivation only with the quadratic loss); got "tanh"'],
  ['run: output layer', () => parseRun({ arch: '2-8-2', data: 'moons', outputActivation: 'maxout' }), `outputActivation: 'maxout' cannot be the output activation (it is a layer of its own); got "maxout"`],
  // src/sweep/distributions.ts, shard.ts
  ['distribution: not an object', () => parseDistribution(5), 'must be one of {"choice": [..]}, {"uniform": [lo, hi]}, {"logUniform": [lo, hi]}, {"int": [lo, hi]}; got 5'],
  ['distribution: choice', () => parseDistribution({ choice: [] }), 'choice needs a non-empty list of values; got []'],
  ['distribution: bounds', () => parseDistribution({ uniform: [1] }), 'uniform needs [lo, hi], two finite numbers; got [1]'],
  ['distribution: order', () => parseDistribution({ uniform: [2, 1] }), 'uniform needs lo ≤ hi; got [2,1]'],
  ['distribution: log', () => parseDistribution({ logUniform: [0, 1] }), 'logUniform needs 0 < lo ≤ hi; got [0,1]'],
  ['distribution: integers', () => parseDistribution({ int: [0.5, 2] }), 'int needs two integers; got [0.5,2]'],
  // src/sweep/redis.ts: the queue's URL
  ['redis: not a URL', () => parseRedisUrl('localhost'), '--queue must be a Redis URL such as redis://127.0.0.1:6379; got "localhost"'],
  ['redis: scheme', () => parseRedisUrl('rediss://h'), '--queue must be a redis:// URL (rediss:// and others are not supported); got "rediss://h"'],
  ['redis: database', () => parseRedisUrl('redis://h/x'), '--queue: the database after the port must be a number such as /0; got "redis://h/x"'],
  ['redis: password', () => parseRedisUrl('redis://u:%zz@h'), '--queue: the password is not valid percent-encoding (write % as %25); got "redis://u:%zz@h"'],
  // src/sweep/lock.ts: a folder another sweep holds (the test's parent process, alive on this host)
  [
    'lock: in use',
    () => acquireLock(file('held.lock', JSON.stringify({ host: hostname(), pid: process.ppid, since: '2025-01-01T00:00:00Z' })), 'out'),
    `out is in use by another gradscope sweep (pid ${process.ppid} on ${hostname()}, since 2025-01-01T00:00:00Z); wait for it to finish, or delete ${dir}/held.lock if that process is gone`,
  ],
  ['shard: form', () => parseShard('x'), '--shard must look like i/n, e.g. 0/4 for the first of 4 shards; got "x"'],
  ['shard: count', () => parseShard('0/0'), '--shard: the number of shards must be between 1 and 100000; got "0/0"'],
  ['shard: index', () => parseShard('2/2'), '--shard: the index counts from 0, so it must be below 2 (0/2 … 1/2); got "2/2"'],
];

// operators, layer classes, attributes and tensors of ONNX and TensorFlow.js: names in every language
const ONNX_NAMES = ['Gemm', 'Add', 'Identity', 'Dense', 'Activation', 'Mul(Abs(x),x)', 'direction'];

// names, values and code the Chinese keeps in Latin letters
const KEPT = [hostname(), 'probeSamples', 'constant', 'cosine', 'rediss://', 'redis://', 'quadratic', 'choice', 'uniform', 'logUniform', 'int', 'probe', '0x08 ubyte, 0x09 sbyte, 0x0b short, 0x0c int, 0x0d float', '0x0e double', 'short', 'name=value', 'csv', 'dense', 'maxout', 'kB', 'bytes', ...ONNX_NAMES];

describe('input errors worded from the catalogue', () => {
  it.each(CASES)('%s', (_what, f, english) => {
    let e: unknown;
    try {
      f();
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(Error);
    const err = e as Error & Parts;
    if (typeof english === 'string') expect(err.message).toBe(english);
    else expect(err.message).toMatch(english);
    // a core function's ValueError has no file or field yet (the adapter that knows them adds them): its clause is said alone
    const zh = e instanceof ValueError ? (e.said ? phrase('zh-Hant', e.said) : null) : sentenceIn('zh-Hant', err);
    expect(zh).not.toBeNull();
    expect(zh).not.toMatch(/\{[A-Za-z]\w*\}/);
    // the parts are kept: the sentence starts with what the English one names first
    const first = err.where?.[0];
    if (first !== undefined) expect(zh!.startsWith(`${first}：`)).toBe(true);
    // a library's own words (a parser's message) stay English; nothing else does
    const names = (err.where ?? []).filter((p): p is string => typeof p === 'string').sort((a, b) => b.length - a.length);
    const bare = names.reduce((t, n) => t.split(n).join(' '), zh!).replace(/'[^']*'|"[^"]*"|\S*-\S*/g, ' ');
    if (typeof english === 'string') expect(englishIn(bare, KEPT).map((x) => x.english)).toEqual([]);
  });

  it('says the targets and the last layer the loss cannot read in both languages (the English functions phrase the same messages)', () => {
    const bce = targetIssue('binary_cross_entropy', [5], 1, 1)!;
    expect(targetProblem('binary_cross_entropy', [5], 1, 1)).toBe('row 0, column 0 is 5; binary_cross_entropy needs targets in [0, 1] (probabilities of the positive class)');
    expect(phrase('zh-Hant', bce)).toBe('第 0 列第 0 欄是 5；binary_cross_entropy 的目標必須在 [0, 1] 之間（正類別的機率）');
    expect(targetProblem('cross_entropy', [-1, 2], 1, 2)).toBe('row 0, column 0 is -1; cross_entropy needs targets ≥ 0 (each row a distribution over the classes)');
    expect(targetProblem('cross_entropy', [0.2, 0.4], 1, 2)).toBe('row 0 sums to 0.6000000000000001; cross_entropy needs each target row to sum to 1 (one-hot, or a distribution over the classes)');
    expect(targetProblem('quadratic', [NaN], 1, 1)).toBe('row 0, column 0 is NaN; targets must be finite numbers');
    expect(outputLayerProblem('cross_entropy', 'sigmoid')).toBe("cross_entropy reads the outputs as logits (a dense last layer) or as a softmax, but the last layer is 'sigmoid'; end the model with a softmax or dense layer, or use another loss");
    expect(phrase('zh-Hant', outputLayerIssue('cross_entropy', 'sigmoid')!)).toBe("cross_entropy 把輸出當成 logits（最後一層是 dense）或 softmax 的機率來讀，但最後一層是 'sigmoid'；請讓模型以 softmax 或 dense 層結尾，或換一個損失函數");
  });
});
