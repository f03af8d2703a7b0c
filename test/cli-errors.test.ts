// Input errors in the reader's language: the same mistakes, said in English and in 繁體中文, exit 2, one line.
import { describe, expect, it } from 'vitest';
import { cli, ensureBuilt, oneCleanLine, put, tempDir } from './helpers.js';
import { englishIn } from '../src/i18n/english.test-helper.js';
import { encodeModel } from '../src/interop/onnx/proto.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

ensureBuilt();
const dir = tempDir();
const bad = put(dir, 'bad.json', { batchSize: 0 });
const typo = put(dir, 'typo.json', { batchsize: 10 });
const sweepBase = put(dir, 'base.json', { grid: { lr: [0.1] }, base: { batchSize: 0 } });
// the cross-field rules and the config file's own sentences
const decay = put(dir, 'decay.json', { optimizer: 'adam', weightDecay: 0.1 });
const flat = put(dir, 'flat.json', { arch: '2-2', data: 'moons', norm: 'batch' });
const probeBatch = put(dir, 'probe-batch.json', { norm: 'batch', probe: { samples: 1 } });
const twice = put(dir, 'twice.json', { lr: 0.1, optimizer: { lr: 0.2 } });
const nested = put(dir, 'nested.json', { optimizer: { lrr: 0.2 } });
const list = put(dir, 'list.json', [1, 2]);
const initList = put(dir, 'init.json', { arch: '2-8-2', data: 'moons', init: ['he_normal'] });
// run, model and data files, and the commands' own refusals
const missing = `${dir}/nope.json`;
const empty = put(dir, 'empty.json', '');
const dense = (i: number, o: number): object => ({ type: 'dense', in: i, out: o, weight: Array.from({ length: o }, () => Array<number>(i).fill(0.5)), bias: Array<number>(o).fill(0) });
const chain = put(dir, 'chain.json', { format: 'gradscope-model/2', layers: [dense(2, 3), { type: 'activation', name: 'relu' }, dense(4, 2)] });
const model = put(dir, 'model.json', { format: 'gradscope-model/2', layers: [dense(2, 2), { type: 'activation', name: 'sigmoid' }] });
const wide = put(dir, 'wide.json', [[1, 2, 3]]);
const target = put(dir, 'target.json', [[0, 1]]);
const csv = put(dir, 'data.csv', 'a,b,label\n1,x,0\n');
// an ONNX model of an opset gradscope does not read
const oldOnnx = join(dir, 'old.onnx');
writeFileSync(oldOnnx, encodeModel({ opset_import: [{ domain: '', version: 7 }], graph: { node: [{ name: 'n', op_type: 'Relu', input: ['a'], output: ['y'] }] } } as Parameters<typeof encodeModel>[0]));
// ONNX nodes and TensorFlow.js layers gradscope does not read
const fixture = (format: 'onnx' | 'tfjs', name: string): string => join('test', 'fixtures', 'interop', format, name, format === 'onnx' ? 'model.onnx' : 'model.json');
const conv = fixture('onnx', 'unsupported_conv');
const peepholes = fixture('onnx', 'unsupported_peepholes');
const tfjsConv = fixture('tfjs', 'unsupported_conv');
const epsilon = join(dir, 'eps.onnx');
const stats = ['S', 'B', 'M', 'V'].map((name) => ({ name, dims: [3], data_type: 1, float_data: [1, 1, 1] }));
writeFileSync(
  epsilon,
  encodeModel({
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      node: [{ name: 'bn', op_type: 'BatchNormalization', input: ['x', 'S', 'B', 'M', 'V'], output: ['y'], attribute: [{ name: 'epsilon', type: 1, f: 0 }] }],
      initializer: stats,
      input: [{ name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 0 }, { dim_value: 3 }] } } } }],
      output: [{ name: 'y' }],
    },
  } as Parameters<typeof encodeModel>[0]),
);
const maxout = put(dir, 'maxout.json', { format: 'gradscope-model/2', layers: [{ type: 'maxout', in: 2, out: 2, pieces: 2, weight: [[0.1, 0.1], [0.1, 0.1], [0.1, 0.1], [0.1, 0.1]], bias: [0, 0, 0, 0] }] });
const backwards = put(dir, 'backwards.json', {
  modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 4, 3] } }, { class_name: 'GRU', config: { name: 'gru', units: 2, go_backwards: true } }] } },
  weightsManifest: [],
});
// sweep files
const both = put(dir, 's-both.json', { grid: { lr: [0.1] }, random: { samples: 2, params: { lr: { uniform: [0.1, 1] } } } });
const order = put(dir, 's-order.json', { random: { samples: 2, params: { lr: { uniform: [2, 1] } } } });
const many = put(dir, 's-many.json', { grid: { seed: Array.from({ length: 400 }, (_, i) => i), lr: Array.from({ length: 300 }, (_, i) => i + 1) } });
const sweepModel = put(dir, 's-model.json', { grid: { lr: [0.1] }, base: { model: 'm.onnx' } });
const sweepLr = put(dir, 's-lr.json', { grid: { lr: [0.1] } });

// [arguments, English sentence, Chinese sentence]
const CASES: readonly [string[], string, string][] = [
  [['probe', '--batch-size', '0'], 'gradscope: --batch-size must be ≥ 1; got 0', 'gradscope：--batch-size：必須 ≥ 1；收到 0'],
  [['probe', '--act', 'sigmiod'], "gradscope: --act: unknown activation 'sigmiod'; did you mean sigmoid?", "gradscope：--act：未知的激活函數 'sigmiod'；是不是要用 sigmoid？"],
  [['probe', '--arch', '784-x'], `gradscope: --arch: 'x' is not a size (N) or a repeated size (NxK); got "784-x"`, `gradscope：--arch：'x' 不是一個大小（N）或重複的大小（NxK）；收到 "784-x"`],
  [['probe', '--data', 'moonz'], "gradscope: --data: unknown dataset 'moonz' (did you mean moons?); expected one of digits, mnist:DIR, spiral, circles, xor, gaussians, moons", "gradscope：--data：未知的資料集 'moonz'（是不是要用 moons？）"],
  [['probe', '--act', 'elu', '--param', 'alpha=-1'], "gradscope: --param: elu: parameter 'alpha' must be > 0; got -1", "gradscope：--param：elu：參數 'alpha' 必須 > 0；收到 -1"],
  [['probe', '--norm', 'bogus'], 'gradscope: --norm must be one of none, batch, layer; got "bogus"', 'gradscope：--norm：必須是下列其中之一：none, batch, layer；收到 "bogus"'],
  [['train', bad], `gradscope: ${bad}: batchSize: must be ≥ 1; got 0`, `gradscope：${bad}：batchSize：必須 ≥ 1；收到 0`],
  [['train', typo], `gradscope: ${typo}: batchsize: unknown field (did you mean batchSize?); expected one of the settings (docs/settings.md lists them)`, `gradscope：${typo}：batchsize：未知的欄位（是不是要用 batchSize？）；可用的是各個執行設定（見 docs/settings.md）`],
  [['sweep', sweepBase, '--dry-run'], `gradscope: ${sweepBase}: base: batchSize: must be ≥ 1; got 0`, `gradscope：${sweepBase}：base：batchSize：必須 ≥ 1；收到 0`],
  // src/run/rules.ts, from a config file and from flags
  [['train', decay], `gradscope: ${decay}: weightDecay: only adamw uses decoupled weight decay (use l2 with adam); got 0.1`, `gradscope：${decay}：weightDecay：只有 adamw 使用解耦權重衰減（adam 請改用 l2）；收到 0.1`],
  [['train', flat], `gradscope: ${flat}: norm: arch 2-2 has no hidden layer to normalise (the output layer is never normalised); got "batch"`, `gradscope：${flat}：norm：網路 2-2 沒有可正規化的隱藏層（輸出層從不正規化）；收到 "batch"`],
  [['train', probeBatch], `gradscope: ${probeBatch}: probe.samples: batch normalisation needs at least 2 examples in the probe batch to compute batch statistics; got 1`, `gradscope：${probeBatch}：probe.samples：批次正規化的探測批次至少需要 2 個樣本，才能計算批次統計量；收到 1`],
  [
    ['probe', '--arch', '2-4-1', '--data', 'xor', '--loss', 'cross_entropy'],
    'gradscope: --loss: cross_entropy needs at least 2 outputs (a softmax over one unit is constant, so every gradient is 0), not arch 2-4-1; use binary_cross_entropy for one output; got "cross_entropy"',
    'gradscope：--loss：cross_entropy 至少需要 2 個輸出（只有一個單元的 softmax 是常數，所以每個梯度都是 0），網路 2-4-1 卻只有一個；只有一個輸出時請用 binary_cross_entropy；收到 "cross_entropy"',
  ],
  [
    ['probe', '--act', 'maxout', '--norm', 'layer'],
    `gradscope: --norm: layer normalisation sits between a layer's linear part and its activation, which 'maxout' does not separate; use another activation or norm "none"; got "layer"`,
    `gradscope：--norm：層正規化位於一層的線性部分與激活函數之間，而 'maxout' 不分開這兩者；請換一個激活函數，或改用 norm "none"；收到 "layer"`,
  ],
  // src/run/config.ts
  [['train', twice], `gradscope: ${twice}: optimizer.lr: sets lr, which lr already sets; give it once; got 0.2`, `gradscope：${twice}：optimizer.lr：設定了 lr，但 lr 已經設定過它；只能給一次；收到 0.2`],
  [['train', nested], `gradscope: ${nested}: optimizer.lrr: unknown field (did you mean lr?); expected one of name, lr, momentum, beta1, beta2, eps, l2, l1, weightDecay`, `gradscope：${nested}：optimizer.lrr：未知的欄位（是不是要用 lr？）；可用的欄位：name, lr, momentum, beta1, beta2, eps, l2, l1, weightDecay`],
  [['train', missing], `gradscope: ${missing}: cannot read the file (no such file)`, `gradscope：${missing}：無法讀取檔案（沒有這個檔案）`],
  [['train', empty], `gradscope: ${empty}: not valid JSON (the file is empty)`, `gradscope：${empty}：不是有效的 JSON（檔案是空的）`],
  [['grad', '--model', chain, '--input', wide, '--target', target], `gradscope: ${chain}: layers[2].in: must be 3, the width the previous layer gives; got 4`, `gradscope：${chain}：layers[2].in：必須是 3，也就是前一層給出的寬度；收到 4`],
  [['grad', '--model', model, '--input', wide, '--target', target], `gradscope: ${wide}: row 0 has 3 numbers, expected 2 (the model's input width)`, `gradscope：${wide}：第 0 列有 3 個數字，應為 2 個（模型的輸入寬度）`],
  [['probe', '--model', model, '--data', csv], `gradscope: ${csv}: row 2, column 'b': "x" is not a finite number`, `gradscope：${csv}：第 2 列、'b' 欄："x" 不是有限的數字`],
  [['probe', '--model', model, '--data', 'npy:x.npy'], "gradscope: --data npy: needs two files, inputs and labels: npy:X.npy,Y.npy; got 'npy:x.npy'", "gradscope：--data npy：需要輸入與標籤兩個檔案：npy:X.npy,Y.npy；收到 'npy:x.npy'"],
  [['probe', '--model', model, '--steps', '5'], "gradscope: --steps describes a network gradscope builds or trains; with --model the network is the file's (remedies: --init, --activation, --norm, --residual)", 'gradscope：--steps 描述的是 gradscope 建立或訓練的網路；有 --model 時網路取自檔案（補救方法：--init、--activation、--norm、--residual）'],
  [['report', dir], `gradscope: ${dir}: not a run directory (it has no metrics.jsonl)`, `gradscope：${dir}：不是執行目錄（裡面沒有 metrics.jsonl）`],
  [['rnn', '--hidden', '1.5'], "gradscope: --hidden must be an integer; got '1.5'", "gradscope：--hidden：必須是整數；收到 '1.5'"],
  [['train', list], `gradscope: ${list}: a run config is a JSON object of settings such as {"arch": "784-30-10", "activation": "relu"}; got [1,2]`, `gradscope：${list}：執行設定檔是一個由設定組成的 JSON 物件，例如 {"arch": "784-30-10", "activation": "relu"}；收到 [1,2]`],
  [['train', initList], `gradscope: ${initList}: init: arch 2-8-2 has 2 weight layers but the list has 1 initialisers; got ["he_normal"]`, `gradscope：${initList}：init：網路 2-8-2 有 2 個權重層，但清單中有 1 個初始化方法；收到 ["he_normal"]`],
  [['probe', '--model', oldOnnx], `gradscope: ${oldOnnx}: the model uses ONNX opset 7; gradscope reads opset 9 and newer (re-export with opset_version ≥ 9)`, `gradscope：${oldOnnx}：模型使用 ONNX opset 7；gradscope 只讀 opset 9 以上（請以 opset_version ≥ 9 重新匯出）`],
  // src/interop/onnx, src/interop/tfjs: a node's or a layer's own problem
  [
    ['probe', '--model', conv],
    `gradscope: ${conv}: node '/0/Conv' (Conv) is not supported; gradscope imports Gemm, MatMul + Add, the activations Relu, LeakyRelu, PRelu, Elu, Selu, Celu, Sigmoid, HardSigmoid, Tanh, Softplus, Softsign, HardSwish, Gelu and Clip (relu6, hardtanh), the exporters' forms of GELU, SiLU, Mish and Hardswish, Softmax/LogSoftmax at the output, BatchNormalization, LayerNormalization, Add (residual), Dropout, Identity, Flatten/Reshape/Squeeze/Transpose/Gather/Slice of the data, and RNN, LSTM and GRU`,
    `gradscope：${conv}：節點 '/0/Conv'（Conv）不受支援；gradscope 能匯入的有：Gemm、MatMul + Add、激活函數 Relu、LeakyRelu、PRelu、Elu、Selu、Celu、Sigmoid、HardSigmoid、Tanh、Softplus、Softsign、HardSwish、Gelu 與 Clip（relu6、hardtanh）、匯出工具寫出的 GELU、SiLU、Mish 與 Hardswish 形式、位於輸出端的 Softmax/LogSoftmax、BatchNormalization、LayerNormalization、Add（殘差）、Dropout、Identity、資料的 Flatten/Reshape/Squeeze/Transpose/Gather/Slice，以及 RNN、LSTM 與 GRU`,
  ],
  [['probe', '--model', peepholes], `gradscope: ${peepholes}: node 'lstm_p' (LSTM) has peephole weights (P); gradscope's LSTM has none`, `gradscope：${peepholes}：節點 'lstm_p'（LSTM）有窺孔權重（P）；gradscope 的 LSTM 沒有`],
  [['probe', '--model', epsilon], `gradscope: ${epsilon}: node 'bn' (BatchNormalization): batchnorm: 'eps' must be > 0; got 0`, `gradscope：${epsilon}：節點 'bn'（BatchNormalization）：batchnorm：'eps' 必須 > 0；收到 0`],
  [
    ['probe', '--model', tfjsConv],
    `gradscope: ${tfjsConv}: layer 'conv' (Conv1D) is not supported; gradscope imports InputLayer, Dense, Activation, LeakyReLU, BatchNormalization, LayerNormalization, Dropout, Flatten, Add (residual), SimpleRNN, LSTM and GRU`,
    `gradscope：${tfjsConv}：層 'conv'（Conv1D）不受支援；gradscope 能匯入的有：InputLayer、Dense、Activation、LeakyReLU、BatchNormalization、LayerNormalization、Dropout、Flatten、Add（殘差）、SimpleRNN、LSTM 與 GRU`,
  ],
  [['probe', '--model', backwards], `gradscope: ${backwards}: layer 'gru' (GRU) has go_backwards = true, which gradscope's recurrent layers do not do`, `gradscope：${backwards}：層 'gru'（GRU）的 go_backwards = true，gradscope 的遞迴層不支援`],
  [['probe', '--model', join('test', 'fixtures', 'interop', 'demo', 'deep_sigmoid.onnx'), '--act', 'maxout', '--compare'], "gradscope: --activation maxout: only an elementwise activation can replace an imported network's activations", 'gradscope：--activation maxout：只有逐元素的激活函數能取代匯入網路的激活函數'],
  [['export', maxout, '--to', 'onnx', '--out', join(dir, 'maxout.onnx')], 'gradscope: export: layer 1 is a maxout layer, which has no ONNX form gradscope reads back (maxout: a Gemm and a max over pieces that the importer does not read)', 'gradscope：export：第 1 層是 maxout 層，它沒有 gradscope 能讀回的 ONNX 形式（maxout：一個 Gemm 加上對各片段取最大值，匯入器不讀這種形式）'],
  // src/cli/settings.ts, src/cli/commands/rnn.ts, worker.ts, src/sweep/redis.ts
  [['probe', '--norm', 'batch', '--norm', 'layer'], "gradscope: --norm given twice ('batch', then 'layer'); give it once", "gradscope：--norm：給了兩次（'batch'，然後是 'layer'）；只能給一次"],
  [['probe', '--act', 'sigmoid', '--activation', 'relu'], 'gradscope: --act and --activation set the same thing (activation); give it once', 'gradscope：--act 與 --activation 設定的是同一件事（activation）；只能給一次'],
  [['rnn', '--act', 'maxout'], "gradscope: --act must be an elementwise activation; 'maxout' is not", "gradscope：--act：必須是逐元素的激活函數；'maxout' 不是"],
  [['sweep', sweepLr, '--queue', 'redis://h?x=1'], 'gradscope: --queue takes no query or fragment; got "redis://h?x=1"', 'gradscope：--queue：不接受查詢字串或片段；收到 "redis://h?x=1"'],
  [
    ['theory', '--act', 'relu', '--critical', '--sigma-b2', '0.1'],
    "gradscope: theory: relu with σ_b² = 0.1 has no critical σ_w²: χ₁ stays below 1 until the variance grows without bound (χ₁ = σ_w²·0.5 at every q, and with σ_b² > 0 the variance grows by σ_b² per layer at χ₁ = 1); the 'critical' initialiser preserves a unit variance instead",
    "gradscope：theory：relu 在 σ_b² = 0.1 時沒有臨界的 σ_w²：χ₁ 一直小於 1，直到變異數無限增長（每個 q 的 χ₁ 都是 σ_w²·0.5，而 σ_b² > 0 時，變異數在 χ₁ = 1 處每層增加 σ_b²）；'critical' 初始化方法改為保持單位變異數",
  ],
  [['export', model, '--to', 'onnx', '--out', dir], `gradscope: ${dir}: is a directory, not a file gradscope can write; choose a file path`, `gradscope：${dir}：是目錄，不是 gradscope 能寫入的檔案；請給一個檔案路徑`],
  // src/experiments/budget.ts: the memory checks
  [
    ['probe', '--arch', '784-1000000-10', '--memory', '1G'],
    'gradscope: --arch 784-1000000-10 with --probe-samples 1000 needs about 31 GB of memory (activations 19 GB, parameters 5.9 GB), more than the budget of 1.0 GB (--memory 1G); choose smaller settings, or raise the budget with --memory SIZE or GRADSCOPE_MEMORY=SIZE',
    'gradscope：--arch 784-1000000-10 搭配 --probe-samples 1000 需要約 31 GB 的記憶體（激活值 19 GB、參數 5.9 GB），超過 1.0 GB 的預算（--memory 1G）；請改用較小的設定，或以 --memory SIZE 或 GRADSCOPE_MEMORY=SIZE 提高預算',
  ],
  [['probe', '--memory', '2k'], 'gradscope: --memory must be a size of at least 1M, such as 8G, 512M or 2.5GB; got "2k"', 'gradscope：--memory：必須是至少 1M 的大小，例如 8G、512M 或 2.5GB；收到 "2k"'],
  // src/sweep, src/cli/commands/sweep.ts
  [['sweep', both, '--dry-run'], `gradscope: ${both}: random.params.lr: is also a grid key; sweep each key one way; got "lr"`, `gradscope：${both}：random.params.lr：也是 grid 的鍵；每個鍵只能用一種方式掃描；收到 "lr"`],
  [['sweep', order, '--dry-run'], `gradscope: ${order}: random.params.lr: uniform needs lo ≤ hi; got [2,1]`, `gradscope：${order}：random.params.lr：uniform 需要 lo ≤ hi；收到 [2,1]`],
  [['sweep', many, '--dry-run'], `gradscope: ${many}: grid and random make 120000 runs, more than the 100000 a sweep may hold; got seed: 400 × lr: 300`, `gradscope：${many}：grid 與 random 共產生 120000 次執行，超過一個掃描可有的上限 100000；收到 seed: 400 × lr: 300`],
  [['sweep', sweepModel, '--dry-run'], `gradscope: ${sweepModel}: the run with lr=0.1: model: a sweep builds its networks from the settings; train your own network's file with gradscope train; got "m.onnx"`, `gradscope：${sweepModel}：設定為 lr=0.1 的執行：model：掃描依設定建立網路；你自己的網路檔請用 gradscope train 訓練；收到 "m.onnx"`],
  [['sweep', sweepModel, '--shard', '2/2', '--dry-run'], 'gradscope: --shard: the index counts from 0, so it must be below 2 (0/2 … 1/2); got "2/2"', 'gradscope：--shard：索引從 0 起算，所以必須小於 2（0/2 … 1/2）；收到 "2/2"'],
  [['sweep', 'merge', dir], 'gradscope: sweep merge needs --out DIR: the folder that gets the merged sweep', 'gradscope：sweep merge 需要 --out DIR：存放合併後掃描的資料夾'],
];

// names and values the Chinese sentences keep in Latin letters (settings, lists of fields)
const ALLOWED = ['NxK', 'none, batch, layer', 'name, lr, momentum, beta1, beta2, eps, l2, l1, weightDecay', 'norm', 'npy:X.npy,Y.npy', 'npy', 'seed: 400 × lr: 300', 'grid', 'random', 'sweep merge', 'model', 'Gemm', 'Add', 'Identity', 'Dense', 'Activation', 'Flatten', 'Conv', 'MatMul', 'Clip', 'go_backwards = true', 'export', '（activation）', 'theory'];

describe('input errors in both languages', () => {
  it.each(CASES)('%j', (args, en, zh) => {
    const e = cli(args);
    expect(e.code).toBe(2);
    expect(e.stderr.trim()).toBe(en);
    const z = cli([...args, '--lang', 'zh-Hant']);
    expect(z.code).toBe(2);
    expect(oneCleanLine(z.stderr.replace('gradscope：', 'gradscope: '))).toBe(true);
    expect(z.stderr.trim()).toBe(zh);
    // nothing English is left but names, values and code
    expect(englishIn(z.stderr.replace(/'[^']*'|"[^"]*"|\S*\/\S*/g, ' '), ALLOWED)).toEqual([]);
  });

  it('says a data check of a run file in Chinese: the file, the setting, the clause', () => {
    const fit = put(dir, 'fit.json', { arch: '784-30-10', data: 'moons' });
    expect(cli(['train', fit]).stderr.trim()).toBe(`gradscope: ${fit}: arch: starts with 784 inputs but dataset 'moons' has 2 features; use 2-…-2`);
    const z = cli(['train', fit, '--lang', 'zh-Hant']);
    expect(z.code).toBe(2);
    expect(z.stderr.trim()).toBe(`gradscope：${fit}：arch：開頭是 784 個輸入，但資料集 'moons' 有 2 個特徵；請用 2-…-2`);
  });

  it('stays English, with the English colon, where a clause has no Chinese yet', () => {
    // a run directory's own file that its schema refuses: the schema library's words
    const run = tempDir();
    put(run, 'metrics.jsonl', '{"step":"x"}\n');
    const z = cli(['report', run, '--lang', 'zh-Hant']);
    expect(z.code).toBe(2);
    expect(z.stderr.trim()).toMatch(/^gradscope: \S*metrics\.jsonl: line 1: step: /);
    expect(z.stderr.trim()).toBe(cli(['report', run]).stderr.trim());
  });
});
