// The interop commands end to end through the built CLI: grad --json on an imported model
// (layer names, [out][in] weights whatever the file's layout), probe --model with a remedy and
// --compare, CSV and .npy data checked against the model's input width, export --to onnx,
// report RUN_DIR, and export --to tensorboard read back by an independent Python reader
// (Debian's python3-crcmod for the CRC-32C, protoc-generated classes from TensorFlow's protos)
// where it is installed.
import { englishIn } from '../../src/i18n/english.test-helper.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, flat, json, relError } from './helpers.js';
import { cli as runCli, ensureBuilt } from '../helpers.js';

const ONNX = join(FIXTURES, 'onnx');
const tmp = mkdtempSync(join(tmpdir(), 'gradscope-interop-cli-'));

describe('interop CLI', () => {
  beforeAll(() => {
    ensureBuilt();
    // a short run to report and export
    writeFileSync(join(tmp, 'run.json'), JSON.stringify({ model: join(FIXTURES, 'demo', 'deep_sigmoid.onnx'), loss: 'cross_entropy', optimizer: { name: 'sgd', lr: 0.5 }, batchSize: 32, maxSteps: 40, epochs: null, probe: { every: 10, samples: 100 }, data: { samples: 400 } }));
  });

  it('grad --json names the layers and gives weights as [out][in] for a MatMul (W stored [in][out]) model', () => {
    const d = join(ONNX, 'matmul_add');
    const r = runCli(['grad', '--model', join(d, 'model.onnx'), '--input', join(d, 'input.json'), '--target', join(d, 'target.json'), '--loss', 'cross_entropy', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { format: string; outputActivationAdded: string; layers: { name: string; op: string; weightGrad: number[][] }[] };
    expect(out.format).toBe('onnx');
    expect(out.outputActivationAdded).toBe('softmax');
    expect(out.layers.map((l) => [l.name, l.op])).toEqual([['w1', 'MatMul+Add'], ['w2', 'MatMul+Add']]);
    // PyTorch's gradient of w1 is (in, out) = (4, 6): gradscope prints its transpose, 6 rows of 4
    const torch = json<{ grads: Record<string, number[][]> }>(join(d, 'expected.json')).grads.w1;
    expect(out.layers[0].weightGrad).toHaveLength(6);
    const transposed = out.layers[0].weightGrad[0].map((_, i) => out.layers[0].weightGrad.map((row) => row[i]));
    expect(relError(flat(transposed), flat(torch))).toBeLessThan(1e-9);
  });

  it("grad prints layer 3 'fc3' (Gemm) for a PyTorch model", () => {
    const d = join(ONNX, 'residual');
    const r = runCli(['grad', '--model', join(d, 'model.onnx'), '--input', join(d, 'input.json'), '--target', join(d, 'target.json'), '--loss', 'cross_entropy']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("layer 3 'fc3' (Gemm)");
  });

  it('gradcheck --model checks backpropagation through an imported stacked LSTM against finite differences', () => {
    const d = join(ONNX, 'lstm2');
    const r = runCli(['gradcheck', '--model', join(d, 'model.onnx'), '--input', join(d, 'input.json'), '--target', join(d, 'target.json'), '--loss', 'cross_entropy', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { pass: boolean }).pass).toBe(true);
  });

  it('an unsupported operator: one sentence, exit 2, no stack trace', () => {
    const d = join(ONNX, 'unsupported_conv');
    const r = runCli(['grad', '--model', join(d, 'model.onnx'), '--input', join(ONNX, 'lstm', 'input.json'), '--target', join(ONNX, 'lstm', 'target.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/node '\/0\/Conv' \(Conv\) is not supported; gradscope imports Gemm/);
  });

  it('probe --model --compare --act relu --init he_normal: the vanishing verdict of the file and the remedy side by side', () => {
    const r = runCli(['probe', '--model', join(FIXTURES, 'demo', 'deep_sigmoid.onnx'), '--loss', 'cross_entropy', '--samples', '200', '--compare', '--act', 'relu', '--init', 'he_normal', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { verdict: { kind: string }; remedy: string; baseline: { verdict: { kind: string }; layers: { name: string; op: string }[] } };
    expect(out.baseline.verdict.kind).toBe('vanishing');
    expect(out.verdict.kind).toBe('healthy');
    expect(out.remedy).toBe('init=he_normal, act=relu');
    expect(out.baseline.layers[0]).toMatchObject({ name: '0', op: 'Gemm' });
  });

  it('probe --model in the terminal, in both languages: the file\'s weights are named as such in the remedies, and 繁體中文 says no English sentence', () => {
    const model = join(FIXTURES, 'demo', 'deep_sigmoid.onnx');
    const en = runCli(['probe', '--model', model, '--samples', '200', '--lang', 'en']);
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toMatch(/Replace 'the file's weights' by xavier_uniform/);
    expect(en.stdout).not.toMatch(/from the file/);
    const zh = runCli(['probe', '--model', model, '--samples', '200', '--compare', '--init', 'he_normal', '--lang', 'zh-Hant']);
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout).toMatch(/檔案原樣與使用 --init he_normal 的比較/);
    expect(englishIn(zh.stdout).map((f) => f.english)).toEqual([]);
  });

  it('probe --model reads CSV (label column by name) and .npy data, and checks the input width', () => {
    const tfjs = join(FIXTURES, 'tfjs', 'mlp_norm', 'model.json');
    const csv = runCli(['probe', '--model', tfjs, '--data', `csv:${join(FIXTURES, 'data', 'four.csv')}#species`, '--loss', 'cross_entropy', '--json']);
    expect(csv.code, csv.stderr).toBe(0);
    const a = JSON.parse(csv.stdout) as { samples: number; layers: { name: string }[] };
    expect(a.samples).toBe(60);
    expect(a.layers.map((l) => l.name)).toEqual(['fc1', 'fc2', 'fc3', 'fc4', 'fc5', 'fc6', 'fc7', 'out']);
    const npy = runCli(['probe', '--model', tfjs, '--data', `npy:${join(FIXTURES, 'data', 'four-x.npy')},${join(FIXTURES, 'data', 'four-y.npy')}`, '--loss', 'cross_entropy', '--json']);
    expect(npy.code, npy.stderr).toBe(0);
    // the same 60 examples: the CSV holds them to 6 digits, so the losses agree to ~1e-5
    expect(Math.abs((JSON.parse(npy.stdout) as { lossValue: number }).lossValue - (a as unknown as { lossValue: number }).lossValue)).toBeLessThan(1e-4);
    const wrong = runCli(['probe', '--model', join(FIXTURES, 'demo', 'deep_sigmoid.onnx'), '--data', `${join(FIXTURES, 'data', 'four.csv')}`.replace(/^/, 'csv:') + '#species']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/has 4 features per example but .*deep_sigmoid\.onnx takes 784 inputs/);
  });

  it('export --to onnx writes a file that imports back to the same gradients', () => {
    const d = join(ONNX, 'lstm2');
    const file = join(tmp, 'lstm2.onnx');
    expect(runCli(['export', join(d, 'model.onnx'), '--to', 'onnx', '--out', file, '--dtype', 'float64']).code).toBe(0);
    const args = (m: string) => ['grad', '--model', m, '--input', join(d, 'input.json'), '--target', join(d, 'target.json'), '--loss', 'cross_entropy', '--json'];
    expect(JSON.parse(runCli(args(file)).stdout)).toEqual(JSON.parse(runCli(args(join(d, 'model.onnx'))).stdout));
  });

  it('train from a model file, then report RUN_DIR and export --to tensorboard', () => {
    const run = join(tmp, 'run');
    const t = runCli(['train', join(tmp, 'run.json'), '--out', run]);
    expect(t.code, t.stderr).toBe(0);
    const rep = runCli(['report', run]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stderr).toMatch(/^gradscope: wrote .*report\.html \(\d+ probes?, \d+ layers?\)\n$/);
    const zh = runCli(['report', run, '--out', join(tmp, 'report-zh.html'), '--lang', 'zh-TW']);
    expect(zh.stderr).toMatch(/^gradscope：已寫入 .*report-zh\.html（\d+ 次探測，\d+ 層）\n$/);
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    for (const s of ['Layer × time', 'Verdicts over time', 'Non-finite values', 'Dead and saturated units']) expect(html).toContain(s);
    const tb = join(tmp, 'tb');
    const ex = runCli(['export', run, '--to', 'tensorboard', tb, '--lang', 'zh-TW']);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stderr).toMatch(/^gradscope：已寫入 .*tfevents.*（\d+ 次探測；tensorboard --logdir .*）\n$/);
    const files = readdirSync(tb);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/tfevents/);
    const reader = spawnSync('/usr/bin/python3', ['-c', 'import crcmod, google.protobuf'], { encoding: 'utf8' });
    const protoc = spawnSync('protoc', ['--version'], { encoding: 'utf8' });
    if (reader.status !== 0 || protoc.status !== 0) {
      console.log('skipped the independent TensorBoard reader: needs /usr/bin/python3 with crcmod and protobuf, and protoc');
      return;
    }
    const r = spawnSync('/usr/bin/python3', [join(import.meta.dirname, '..', '..', 'scripts', 'read_tfevents.py'), join(import.meta.dirname, '..', '..', 'src', 'interop', 'proto'), join(tb, files[0])], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { file_version: string; writer: string; events: { step: number; values: Record<string, number> }[] };
    expect(doc.file_version).toBe('brain.Event:2');
    expect(doc.writer).toBe('gradscope');
    const metrics = readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number; layers: { biasGradNorm: number }[] });
    expect(doc.events.map((e) => e.step)).toEqual(metrics.map((m) => m.step));
    doc.events.forEach((e, i) => {
      // float32 in the event file
      expect(Math.abs(e.values['loss/probe'] - metrics[i].loss) / metrics[i].loss).toBeLessThan(1e-6);
      expect(Math.abs(e.values['bias_grad_norm/layer_01'] - metrics[i].layers[0].biasGradNorm) / metrics[i].layers[0].biasGradNorm).toBeLessThan(1e-6);
    });
    expect(existsSync(join(run, 'report.html'))).toBe(true);
  });
});
