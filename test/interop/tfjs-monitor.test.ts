// The TensorFlow.js monitor (gradscope/tfjs): trains a tfjs model with model.fit and the
// monitor, then checks the run directory it wrote against gradscope itself — the monitor's
// per-layer gradient norms at the last probe must equal gradscope's gradients of the same
// weights (the model saved by tfjs and imported) on the same probe batch to 1e-5 relative
// (tfjs computes in float32), and its dead fractions must equal gradscope's probe's. Then
// `report` renders the run and the TensorBoard export reads back through protobufjs with
// every record's masked CRC32C checked.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gradscopeMonitor } from '../../src/interop/tfjs/monitor.js';
import { importTfjs } from '../../src/interop/tfjs/import.js';
import { readRun } from '../../src/interop/run-dir.js';
import { probeNetwork } from '../../src/diagnostics/probe.js';
import { getLoss } from '../../src/nn/losses.js';
import { renderRunReport } from '../../src/report/run/render.js';
import { eventProto, maskedCrc32c, tensorboardEvents } from '../../src/interop/tensorboard.js';

/** Saves a tfjs model into memory and imports it into gradscope. */
async function toGradscope(model: tf.LayersModel) {
  let doc: Record<string, unknown> = {};
  let weights = new Uint8Array(0);
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      weights = new Uint8Array(a.weightData as ArrayBuffer);
      doc = { modelTopology: a.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return importTfjs(doc, 'model.json', () => weights, 'float64');
}

describe('gradscope/tfjs monitor', () => {
  it('writes a run directory whose gradient norms and dead fractions equal gradscope\'s on the same weights', async () => {
    await tf.setBackend('cpu');
    const dir = join(mkdtempSync(join(tmpdir(), 'gradscope-monitor-')), 'run');
    const n = 256;
    const x = tf.randomNormal([n, 6], 0, 1, 'float32', 3);
    const labels = tf.tidy(() => tf.argMax(tf.matMul(x, tf.randomNormal([6, 3], 0, 1, 'float32', 4)), 1));
    const y = tf.oneHot(labels as tf.Tensor1D, 3).toFloat();
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 8, activation: 'relu', inputShape: [6], name: 'fc1', kernelInitializer: tf.initializers.heNormal({ seed: 1 }), biasInitializer: tf.initializers.constant({ value: -0.3 }) }));
    model.add(tf.layers.dense({ units: 8, activation: 'tanh', name: 'fc2', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
    model.add(tf.layers.dense({ units: 3, activation: 'softmax', name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const probe = { x: x.slice([0, 0], [64, 6]), y: y.slice([0, 0], [64, 3]) };
    await model.fit(x, y, { epochs: 3, batchSize: 32, shuffle: false, verbose: 0, callbacks: gradscopeMonitor({ tf, model, probe, runDir: dir, every: 5 }) });
    const run = readRun({ metrics: readFileSync(join(dir, 'metrics.jsonl'), 'utf8'), steps: readFileSync(join(dir, 'steps.jsonl'), 'utf8'), summary: readFileSync(join(dir, 'summary.json'), 'utf8') }, dir);
    // 3 epochs × 8 batches = 24 steps: probes at 0, 5, 10, 15, 20 and the last step 24
    expect(run.probes.map((p) => p.step)).toEqual([0, 5, 10, 15, 20, 24]);
    expect(run.steps).toHaveLength(24);
    expect(run.layerLabels).toEqual(['1 fc1', '2 fc2', '3 out']);
    // gradscope on the weights the model ends with, the same probe batch, the same loss
    const m = await toGradscope(model);
    const px = Float64Array.from(probe.x.dataSync());
    const py = Float64Array.from(probe.y.dataSync());
    const ours = probeNetwork(m.net, px, py, 64, getLoss('cross_entropy'), 'x', { jacobianSamples: 0, batchStats: false });
    const last = run.probes[run.probes.length - 1];
    ours.layers.forEach((l, i) => {
      expect(Math.abs(last.layers[i].weightGradNorm! - l.weightGradNorm) / l.weightGradNorm).toBeLessThan(1e-5);
      expect(Math.abs(last.layers[i].biasGradNorm! - l.biasGradNorm) / l.biasGradNorm).toBeLessThan(1e-5);
      expect(last.layers[i].deadFraction).toBe(l.deadFraction);
    });
    expect(last.verdict?.kind).toBe(ours.verdict.kind);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.monitor.probes).toBe(6);
    expect(summary.monitor.costNote).toMatch(/6 probes/);
    // the report renders it; the TensorBoard file frames every event with valid masked CRCs
    const html = renderRunReport(run, '/* chart.js */');
    expect(html).toContain('fc1');
    const bytes = tensorboardEvents(run, 1700000000);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const events = [];
    for (let at = 0; at < bytes.length; ) {
      const len = Number(view.getBigUint64(at, true));
      expect(view.getUint32(at + 8, true)).toBe(maskedCrc32c(bytes.subarray(at, at + 8)));
      const data = bytes.subarray(at + 12, at + 12 + len);
      expect(view.getUint32(at + 12 + len, true)).toBe(maskedCrc32c(data));
      events.push(eventProto().toObject(eventProto().decode(data), { longs: Number }));
      at += 16 + len;
    }
    expect(events[0].file_version).toBe('brain.Event:2');
    expect(events.slice(1).map((e) => e.step ?? 0)).toEqual([0, 5, 10, 15, 20, 24]); // proto3 leaves a 0 step out
    const tags = (events[6].summary as { value: { tag: string; simple_value: number }[] }).value;
    const w1 = tags.find((t) => t.tag === 'weight_grad_norm/layer_01_fc1')!;
    expect(Math.abs(w1.simple_value - last.layers[0].weightGradNorm!) / last.layers[0].weightGradNorm!).toBeLessThan(1e-6); // float32 in the event
  });
});
