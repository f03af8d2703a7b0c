#!/usr/bin/env node
// What the TensorFlow.js monitor costs: the same model.fit on 2,000 embedded digits
// (784-128-64-10 relu, batch 32, 3 epochs = 186 batches, cpu backend), alternately
// without and with gradscopeMonitor (probe batch 256, every 20 batches), 3 repetitions
// each; prints the median wall times, their ratio and the monitor's own record of the
// time its probes took. Also leaves the last monitored run in runs/tfjs-monitor-demo
// for `gradscope report`. Usage: node scripts/monitor-cost.mjs [PROBE_EXAMPLES EVERY] (after npm run build;
// default 256 20).
import { rmSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { gradscopeMonitor } from '../dist/interop/tfjs/monitor.js';
import { loadDigits } from '../dist/data/node.js';

await tf.setBackend('cpu');
const ds = loadDigits();
const n = 2000;
const x = tf.tensor2d(ds.x.subarray(0, n * 784), [n, 784]);
const y = tf.oneHot(tf.tensor1d(Array.from(ds.labels.subarray(0, n)), 'int32'), 10).toFloat();
const probeN = Number(process.argv[2] ?? 256);
const every = Number(process.argv[3] ?? 20);
const probe = { x: x.slice([0, 0], [probeN, 784]), y: y.slice([0, 0], [probeN, 10]) };
function build() {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784], name: 'fc1', kernelInitializer: tf.initializers.heNormal({ seed: 1 }) }));
  m.add(tf.layers.dense({ units: 64, activation: 'relu', name: 'fc2', kernelInitializer: tf.initializers.heNormal({ seed: 2 }) }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
  m.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}
const dir = 'runs/tfjs-monitor-demo';
const times = { plain: [], monitored: [] };
let note = '';
for (let rep = 0; rep < 3; rep++) {
  for (const kind of ['plain', 'monitored']) {
    const m = build();
    rmSync(dir, { recursive: true, force: true });
    const callbacks = kind === 'monitored' ? gradscopeMonitor({ tf, model: m, probe, runDir: dir, every, title: 'TensorFlow.js: 784-128-64-10 relu on 2,000 digits' }) : [];
    const t = performance.now();
    await m.fit(x, y, { epochs: 3, batchSize: 32, shuffle: false, verbose: 0, callbacks });
    times[kind].push((performance.now() - t) / 1000);
    if (kind === 'monitored') note = (await import('node:fs')).readFileSync(`${dir}/summary.json`, 'utf8');
  }
}
const med = (a) => [...a].sort((p, q) => p - q)[1];
console.log(JSON.stringify({ probeN, every, plainSeconds: times.plain, monitoredSeconds: times.monitored, medianPlain: med(times.plain), medianMonitored: med(times.monitored), ratio: med(times.monitored) / med(times.plain), monitorRecord: JSON.parse(note).monitor }, null, 1));
