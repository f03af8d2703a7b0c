/**
 * The playground's training session: the same run whatever the chunking
 * (chunks cut short by a pause included), the same numbers as `gradscope
 * train` for the same config and seed, the stopping rule ‖∇‖ < tolerance, a
 * blow-up that stops with its step and layer, probes, boundaries, weight
 * snapshots and neuron grids of the right shape.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFromConfig as parseRunConfig } from '../../run/config.js';
import { runTraining } from '../../experiments/run.js';
import { DEFAULT_STATE, type PlaygroundState } from '../state/settings.js';
import { specOf } from './spec.js';
import { runSplit, Session } from './session.js';
import { netSnapshot, neuronGrid } from './snapshot.js';

const state = (over: Partial<PlaygroundState>): PlaygroundState => ({ ...DEFAULT_STATE, data: 'moons', depth: 3, width: 8, act: 'tanh', init: 'xavier_uniform', loss: 'cross_entropy', batch: 32, steps: 60, ...over });
const session = (s: PlaygroundState): Session => {
  const spec = specOf(s);
  return new Session(spec, runSplit(spec));
};

describe('Session', () => {
  it('counts every trainable value: weights and biases, normalisation γ and β, residual projections, PReLU slopes', () => {
    // 2-16×8-2: (2·16 + 16) + 7·(16·16 + 16) + (16·2 + 2) = 1,986 weights and biases
    const at = (over: Partial<PlaygroundState>): number => session(state({ depth: 8, width: 16, ...over })).parameters;
    expect(at({})).toBe(1986);
    expect(at({ norm: 'batch' })).toBe(1986 + 8 * 2 * 16);
    expect(at({ norm: 'layer' })).toBe(1986 + 8 * 2 * 16);
    // the first block changes the width (2 → 16): its skip is a 16×2 projection with 16 biases
    expect(at({ residual: true })).toBe(1986 + 2 * 16 + 16);
    // one PReLU slope per hidden layer (PyTorch's default num_parameters = 1)
    expect(at({ act: 'prelu' })).toBe(1986 + 8);
  });

  it('gives the same run in one chunk or in many', () => {
    const a = session(state({}));
    const b = session(state({}));
    const whole = a.run(60);
    const parts = [b.run(7), b.run(1), b.run(30), b.run(22)];
    expect(parts.map((p) => p.start)).toEqual([0, 7, 8, 38]);
    expect(Array.from(parts.flatMap((p) => Array.from(p.loss)))).toEqual(Array.from(whole.loss));
    expect(Array.from(parts.flatMap((p) => Array.from(p.biasGrad)))).toEqual(Array.from(whole.biasGrad));
    expect(Array.from(b.net.weightLayers[0].weight)).toEqual(Array.from(a.net.weightLayers[0].weight));
    expect(a.step).toBe(60);
    expect(a.finished).toBe(true);
    expect(a.run(5).count).toBe(0);
  });

  it('is reset by building it again from the same settings and seed, and changed by another seed', () => {
    const first = session(state({})).run(20).loss;
    expect(Array.from(session(state({})).run(20).loss)).toEqual(Array.from(first));
    expect(Array.from(session(state({ seed: 2 })).run(20).loss)).not.toEqual(Array.from(first));
  });

  it('reproduces gradscope train step for step (same engine, same streams)', async () => {
    const s = state({ act: 'relu', init: 'he_normal', opt: 'momentum', lr: 0.05, batch: 16, clip: 1 });
    const web = session(s).run(40);
    const cfg = parseRunConfig(
      { arch: [2, 8, 8, 8, 2], activation: 'relu', init: 'he_normal', loss: 'cross_entropy', optimizer: { name: 'momentum', lr: 0.05 }, batchSize: 16, epochs: null, maxSteps: 40, clipNorm: 1, data: { name: 'moons', samples: 1000, testFraction: 0.2 }, seed: 1 },
      'config.json',
    );
    const dir = mkdtempSync(join(tmpdir(), 'gradscope-web-'));
    try {
      await runTraining(cfg, dir);
      const lines = readFileSync(join(dir, 'steps.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number; gradNorm: number });
      expect(lines.length).toBe(40);
      expect(lines.map((l) => l.loss)).toEqual(Array.from(web.loss));
      expect(lines.map((l) => l.gradNorm)).toEqual(Array.from(web.gradNorm));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops at the first non-finite value and says where', () => {
    const s = session(state({ data: 'spiral', depth: 10, width: 16, act: 'relu', init: 'normal', lr: 0.1, steps: 100 }));
    const r = s.run(100);
    expect(s.nonFinite).not.toBeNull();
    expect(s.finished).toBe(true);
    const f = s.nonFinite!;
    expect(f.step).toBe(s.step);
    expect(f.layer).toBeGreaterThanOrEqual(1);
    expect(f.message).toMatch(new RegExp(`^step ${f.step}:`));
    // the step that blew up has a record too
    expect(r.count).toBeGreaterThanOrEqual(s.step);
    const p = s.probe();
    expect(p.verdict.kind).toBe('exploding');
    expect(p.verdict.nonFinite?.step).toBe(f.step);
    expect(p.testAccuracy).toBeNull();
  });

  it('probes every layer and draws a boundary over the data', () => {
    const s = session(state({}));
    s.run(10);
    const p = s.probe();
    expect(p.step).toBe(10);
    expect(p.layers.map((l) => l.index)).toEqual([1, 2, 3, 4]);
    expect(p.testAccuracy).toBeGreaterThanOrEqual(0);
    const g = s.boundary(20);
    expect(g.cls.length).toBe(400);
    expect(g.extent[1]).toBeGreaterThan(g.extent[0]);
    expect(Math.max(...g.conf)).toBeLessThanOrEqual(1);
  });

  it('goes on after a pause: chunks cut short by their stop callback give the same run', () => {
    const whole = session(state({})).run(60);
    const b = session(state({}));
    let asked = 0;
    // the pause fires before the 6th step of the chunk: 5 steps taken, the run not over
    const cut = b.run(30, () => ++asked > 5);
    expect(cut.count).toBe(5);
    expect(b.finished).toBe(false);
    const rest = [b.run(40), b.run(40)];
    expect(b.step).toBe(60);
    expect([cut, ...rest].flatMap((p) => Array.from(p.loss))).toEqual(Array.from(whole.loss));
  });

  it('stops once a step\'s gradient norm falls below the tolerance, and says so', () => {
    const free = session(state({ steps: 300 })).run(300);
    // a tolerance inside the run's range of ‖∇‖: the rule fires at the first step below it
    const sorted = Array.from(free.gradNorm).sort((x, y) => x - y);
    const tol = sorted[Math.floor(sorted.length * 0.2)];
    const first = Array.from(free.gradNorm).findIndex((g) => g < tol);
    const s = session(state({ steps: 300, tol }));
    const r = s.run(300);
    expect(s.finished).toBe(true);
    expect(s.stopReason).toBe('tolerance');
    // no update once ‖∇‖ < tol: the run stands at that step, whose record is the last one
    expect(s.step).toBe(first);
    expect(r.count).toBe(first + 1);
    expect(Array.from(r.gradNorm)).toEqual(Array.from(free.gradNorm.subarray(0, first + 1)));
    expect(s.lastGradNorm).toBeLessThan(tol);
    expect(Math.min(...Array.from(r.gradNorm.subarray(0, first)))).toBeGreaterThanOrEqual(tol);
    expect(session(state({ steps: 20 })).stopReason).toBeNull();
  });

  it('snapshots the weights and each unit\'s gradient, and every unit\'s output over the plane', () => {
    const s = session(state({}));
    s.run(5);
    const snap = netSnapshot(s);
    expect(snap.sizes).toEqual([2, 8, 8, 8, 2]);
    expect(snap.weights.map((w) => w?.length)).toEqual([16, 64, 64, 16]);
    expect(Array.from(snap.weights[1]!)).toEqual(Array.from(s.net.weightLayers[1].weight));
    expect(snap.unitGrad.every((g, l) => g.length === snap.sizes[l + 1] && g.every((v) => v >= 0))).toBe(true);
    const extent = s.boundary(4).extent;
    const grid = neuronGrid(s, extent, 6);
    expect(grid.outputs.map((o) => o.length)).toEqual([36 * 8, 36 * 8, 36 * 8, 36 * 2]);
    // tanh units lie in (−1, 1); the output layer is a softmax: each point's outputs sum to 1
    expect(grid.outputs.slice(0, 3).every((o) => o.every((v) => v > -1 && v < 1))).toBe(true);
    for (let i = 0; i < 36; i++) expect(grid.outputs[3][2 * i] + grid.outputs[3][2 * i + 1]).toBeCloseTo(1, 5);
    // the grid's last output layer is the boundary's probability of the predicted class
    const b = s.boundary(6);
    for (let i = 0; i < 36; i++) expect(Math.max(grid.outputs[3][2 * i], grid.outputs[3][2 * i + 1])).toBeCloseTo(b.conf[i], 5);
    expect(() => neuronGrid(s, extent, 1)).toThrow(/res must be an integer in 2\.\.128; got 1/);
  });
});
