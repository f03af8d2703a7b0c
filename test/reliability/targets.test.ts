// Issue item 3, no silent garbage: `grad` used to exit 0 with numbers for
// targets outside the loss's range (BCE targets 5 and −3, negative or
// non-distribution cross-entropy targets, cross-entropy on a sigmoid
// output) and with every value null for an overflow; an mnist:DIR whose
// test images have another shape than the training images reported a test
// accuracy. Now each is refused (exit 2) naming the file, the row and the
// value, and an overflow is a finding naming the layer (exit 1). The checks
// live beside the losses (nn/targets.ts); the accepted cases are held to
// their closed forms.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputLayerProblem, targetProblem } from '../../src/nn/targets.js';
import { idxBytes } from '../fuzz/arbitraries.js';
import { put, tempDir } from '../helpers.js';
import { expectSentence, inProcess } from './helpers.js';

const dir = tempDir('gradscope-targets-');
const dense = { type: 'dense', in: 2, out: 2, weight: [[1, 2], [3, 4]], bias: [0, 0] };
const sigmoidModel = put(dir, 'sig.json', { format: 'gradscope-model/1', layers: [dense, { type: 'activation', name: 'sigmoid' }] });
const linearModel = put(dir, 'lin.json', { format: 'gradscope-model/1', layers: [dense] });
const x = put(dir, 'x.json', [[0.1, 0.2], [0.3, -0.1]]);
const grad = (model: string, target: unknown, loss: string, name = 'y.json'): string[] => ['grad', '--model', model, '--input', x, '--target', put(dir, name, target), '--loss', loss, '--json'];

describe('grad refuses targets and outputs outside the loss (exit 2, file, row and value)', () => {
  it('binary cross-entropy targets 5 and −3', async () => {
    expectSentence(await inProcess(grad(sigmoidModel, [[0, 1], [5, -3]], 'binary_cross_entropy', 'bce.json')), 2, /^gradscope: .*bce\.json: row 1, column 0 is 5; binary_cross_entropy needs targets in \[0, 1\]/);
    expectSentence(await inProcess(grad(sigmoidModel, [[0, -3], [1, 1]], 'binary_cross_entropy', 'bce2.json')), 2, /bce2\.json: row 0, column 1 is -3; binary_cross_entropy needs targets in \[0, 1\]/);
  });

  it('negative and non-distribution cross-entropy targets', async () => {
    expectSentence(await inProcess(grad(linearModel, [[1, 0], [-1, 2]], 'cross_entropy', 'neg.json')), 2, /neg\.json: row 1, column 0 is -1; cross_entropy needs targets ≥ 0/);
    expectSentence(await inProcess(grad(linearModel, [[0.3, 0.3], [0, 1]], 'cross_entropy', 'half.json')), 2, /half\.json: row 0 sums to 0\.6; cross_entropy needs each target row to sum to 1/);
  });

  it('a last layer the loss would squash again: cross-entropy on a sigmoid, binary cross-entropy on a softmax', async () => {
    expectSentence(await inProcess(grad(sigmoidModel, [[1, 0], [0, 1]], 'cross_entropy', 'ce.json')), 2, /sig\.json: layers\[1\]: cross_entropy reads the outputs as logits \(a dense last layer\) or as a softmax, but the last layer is 'sigmoid'; end the model with a softmax or dense layer, or use another loss$/);
    const softmaxModel = put(dir, 'soft.json', { format: 'gradscope-model/1', layers: [dense, { type: 'activation', name: 'softmax' }] });
    expectSentence(await inProcess(grad(softmaxModel, [[1, 0], [0, 1]], 'binary_cross_entropy', 'b.json')), 2, /soft\.json: layers\[1\]: binary_cross_entropy reads the outputs as logits \(a dense last layer\) or as a sigmoid, but the last layer is 'softmax'/);
  });

  it('accepts what the losses define: soft labels summing to 1, BCE targets in [0, 1], any quadratic target', async () => {
    for (const [target, loss, model] of [[[[0.25, 0.75], [1, 0]], 'cross_entropy', linearModel], [[[0, 0.5], [1, 1]], 'binary_cross_entropy', sigmoidModel], [[[7, -9], [0, 1e6]], 'quadratic', linearModel]] as const) {
      const r = await inProcess(grad(model, target, loss, `ok-${loss}.json`));
      expect(r.code, r.stderr).toBe(0);
      expect(Number.isFinite((JSON.parse(r.stdout) as { loss: number }).loss)).toBe(true);
    }
  });

  it('an overflow is a finding naming the layer, exit 1', async () => {
    const huge = put(dir, 'huge.json', { format: 'gradscope-model/1', layers: [{ ...dense, weight: [[1e200, 2], [3, 4]] }, { type: 'activation', name: 'tanh' }, { ...dense, weight: [[1e300, 2], [3, 4]] }] });
    const r = await inProcess(grad(huge, [[0, 1], [1, 0]], 'quadratic', 'q.json'));
    expectSentence(r, 1, /^gradscope: the gradient is not finite: the loss became Infinity: the outputs of layer 2 of 2 reach 1\.00e\+300, too large for quadratic$/);
    expect((JSON.parse(r.stdout) as { nonFinite: { layer: number } }).nonFinite.layer).toBe(2);
  });
});

describe('an mnist:DIR whose test images have another shape is refused (exit 2)', () => {
  it('names both files and both shapes', async () => {
    const d = join(dir, 'mnist');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'train-images-idx3-ubyte'), idxBytes([3, 2, 2]));
    writeFileSync(join(d, 'train-labels-idx1-ubyte'), idxBytes([3], 0x08, (i) => i));
    writeFileSync(join(d, 't10k-images-idx3-ubyte'), idxBytes([2, 1, 4]));
    writeFileSync(join(d, 't10k-labels-idx1-ubyte'), idxBytes([2], 0x08, (i) => i));
    const cfg = put(dir, 'mnist.json', { arch: '4-3-10', data: `mnist:${d}`, loss: 'cross_entropy', epochs: null, maxSteps: 2 });
    expectSentence(await inProcess(['train', cfg, '--out', join(dir, 'run')]), 2, new RegExp(`mnist\\.json: data: ${d}/t10k-images-idx3-ubyte: test images are 1×4 but ${d}/train-images-idx3-ubyte are 2×2; both halves must have one shape$`));
  });
});

describe('the checks themselves (nn/targets.ts)', () => {
  it('say row and column, and accept the edges of each domain', () => {
    expect(targetProblem('binary_cross_entropy', [0, 1, 0.5, 1], 2, 2)).toBeNull();
    expect(targetProblem('binary_cross_entropy', [0, 1, 1.0000001, 1], 2, 2)).toMatch(/^row 1, column 0 is 1\.0000001;/);
    expect(targetProblem('cross_entropy', [0.1, 0.9, 1, 0], 2, 2)).toBeNull();
    expect(targetProblem('cross_entropy', [0.1, 0.9 + 2e-6], 1, 2)).toMatch(/^row 0 sums to 1\.000002/);
    expect(targetProblem('quadratic', [-1e300, 1e300], 1, 2)).toBeNull();
    expect(targetProblem('quadratic', [NaN], 1, 1)).toMatch(/must be finite/);
    expect(outputLayerProblem('cross_entropy', 'softmax')).toBeNull();
    expect(outputLayerProblem('cross_entropy', null)).toBeNull();
    expect(outputLayerProblem('cross_entropy', 'tanh')).toMatch(/last layer is 'tanh'/);
    expect(outputLayerProblem('binary_cross_entropy', 'relu')).toMatch(/last layer is 'relu'/);
    expect(outputLayerProblem('binary_cross_entropy', 'sigmoid')).toBeNull();
    expect(outputLayerProblem('quadratic', 'tanh')).toBeNull();
  });
});
