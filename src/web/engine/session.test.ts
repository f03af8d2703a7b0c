/**
 * The playground's training session: the same run whatever the chunking,
 * the same numbers as `gradscope train` for the same config and seed, a
 * blow-up that stops with its step and layer, probes and boundaries of the
 * right shape.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFromConfig as parseRunConfig } from '../../run/config.js';
import { runTraining } from '../../experiments/run.js';
import { DEFAULT_STATE, type PlaygroundState } from '../state/settings.js';
import { planOf } from './plan.js';
import { planData, Session } from './session.js';

const state = (over: Partial<PlaygroundState>): PlaygroundState => ({ ...DEFAULT_STATE, data: 'moons', depth: 3, width: 8, act: 'tanh', init: 'xavier_uniform', steps: 60, ...over });
const session = (s: PlaygroundState): Session => {
  const plan = planOf(s);
  return new Session(plan, planData(plan));
};

describe('Session', () => {
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

  it('is reset by building it again from the same plan and seed, and changed by another seed', () => {
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
});
