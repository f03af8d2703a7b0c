#!/usr/bin/env node
// Test fixture: runs one feed-forward run (`mlp`) or one recurrent run (`rnn`)
// of the JSON config in argv[3] with the built dist/, and prints the memory
// estimate beside what the run really took: the growth of the resident set's
// high-water mark (VmHWM) over the resident set before the run, in bytes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataShapeOf, runMemory } from '../../dist/experiments/memory.js';
import { recurrentRunMemory } from '../../dist/experiments/rnn/memory.js';
import { resolveRecurrentConfig, runRecurrent } from '../../dist/experiments/rnn/run.js';
import { runFromConfig } from '../../dist/run/config.js';
import { loadRunData, runTraining } from '../../dist/experiments/run.js';

const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
const [kind, json] = process.argv.slice(2);
const spec = JSON.parse(json);
const before = kb('VmRSS');
let estimate;
if (kind === 'mlp') {
  const cfg = runFromConfig(spec, 'config');
  const data = loadRunData(cfg, 'config');
  estimate = runMemory(cfg, dataShapeOf(data, cfg.data === 'digits')).bytes;
  const dir = mkdtempSync(join(tmpdir(), 'gradscope-measure-'));
  await runTraining(cfg, dir, { data });
  rmSync(dir, { recursive: true, force: true });
} else {
  const c = resolveRecurrentConfig(spec);
  estimate = recurrentRunMemory(c).bytes;
  runRecurrent(c);
}
process.stdout.write(`${JSON.stringify({ estimate, measured: kb('VmHWM') - before })}\n`);
