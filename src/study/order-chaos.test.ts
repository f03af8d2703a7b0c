// The "Order and chaos" stage end to end on tiny settings: every part runs, the section
// assembles from tasks in any order, the claims have exactly the results.json `claims` shape,
// the plan carries the stage's tasks, and the report renders it (and says when it is absent).
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../data/node.js';
import { orderChaosSection as renderSection, renderOrderChaosMarkdown } from '../report/sections/order-chaos.js';
import { zeroCrossing } from './order-chaos-claims.js';
import { orderChaosSection, orderChaosSettings, orderChaosTasks, runOrderChaosTask, type OrderChaosSettings } from './order-chaos.js';
import { studyPlan, studySplit } from './plan.js';
import type { StudyResults } from './types.js';

const tiny = (): OrderChaosSettings => {
  const q = orderChaosSettings(true, 1);
  return {
    ...q,
    phase: { ...q.phase, sigmaW2: [1, 1.76, 3], sigmaB2: [0.05], depth: 6, width: 32, samples: 16, seeds: 2, corrSigmaW2: [3] },
    decay: { ...q.decay, depth: 6, width: 64, samples: 16, seeds: 2, points: q.decay.points.filter((p) => p.init === 'he_normal' || p.init === 'critical:0.05') },
    train: { ...q.train, sigmaW2: [1.76], depths: [3], steps: 20 },
    isometry: { ...q.isometry, width: 16, depths: [4], seeds: 2 },
    critical: { acts: ['softplus'], depth: 6, width: 16, samples: 40, seeds: 2 },
  };
};

describe('the order-and-chaos stage on tiny settings', () => {
  const s = tiny();
  const split = studySplit(loadDigits(), 1);
  const outputs = orderChaosTasks(s).map((t) => runOrderChaosTask(t, split));
  const section = orderChaosSection(s, [...outputs].reverse())!;

  it('assembles every part, in order, from outputs in any order', () => {
    expect(section.phase.cells.map((c) => c.sigmaW2)).toEqual([1, 1.76, 3]);
    expect(section.phase.correlations.map((c) => c.sigmaW2)).toEqual([3]);
    expect(section.phase.correlations[0].predicted).toHaveLength(6);
    expect(section.decay.points.map((p) => p.init)).toEqual(['critical:0.05', 'he_normal']);
    expect(section.trainability.cells).toHaveLength(1);
    expect(section.isometry.runs).toHaveLength(4);
    expect(section.criticalInit.runs.map((r) => `${r.init}/${r.norm}`)).toEqual(['he_normal/none', 'critical/none', 'critical/batch', 'critical/layer']);
    expect(JSON.parse(JSON.stringify(section)).phase.criticalLine.length).toBeGreaterThan(10);
    expect(Object.keys(section.seconds).sort()).toEqual(['critical', 'decay', 'isometry', 'phase', 'train']);
  });

  it('claims have exactly the results.json shape', () => {
    expect(section.claims.length).toBeGreaterThanOrEqual(5);
    for (const c of section.claims) {
      expect(Object.keys(c).sort()).toEqual(['agrees', 'claim', 'id', 'measured', 'published', 'said', 'source', 'test']);
      expect(Object.keys(c.measured).sort()).toEqual(['hi', 'lo', 'median', 'seeds']);
      expect(['yes', 'no', 'partly', 'indistinguishable']).toContain(c.agrees);
      expect(c.test.length).toBeGreaterThan(40);
    }
    expect(new Set(section.claims.map((c) => c.id)).size).toBe(section.claims.length);
  });

  it('softplus under critical collapses (last-layer correlation ≥ 0.99) and batch normalisation undoes it', () => {
    const run = (norm: string) => section.criticalInit.runs.find((r) => r.init === 'critical' && r.norm === norm)!;
    expect(run('none').lastCorrelation.median).toBeGreaterThan(0.99);
    expect(run('batch').lastCorrelation.median).toBeLessThan(0.9);
    expect(section.criticalInit.softplusTheory.cStar).toBe(1);
  });

  it('the report renders the section with a canvas for every chart, and summary.md its claims', () => {
    const r = renderSection({ orderChaos: section } as unknown as StudyResults);
    expect(r.id).toBe('order-chaos');
    for (const c of r.charts) expect(r.html).toContain(`id="${c.id}"`);
    expect(r.html).toContain('Claims');
    expect(renderOrderChaosMarkdown(section)).toContain(section.claims[0].claim);
    expect(renderSection({} as StudyResults).html).toContain('not measured in this run');
  });
});

describe('the plan', () => {
  it('carries the stage as several tasks of its own kind, quick and full', () => {
    for (const quick of [true, false]) {
      const plan = studyPlan(quick, 1);
      const oc = plan.tasks.filter((t) => t.kind === 'orderChaos');
      expect(oc.length).toBe(orderChaosTasks(plan.orderChaos).length);
      expect(oc.length).toBeGreaterThanOrEqual(8);
    }
  });

  it('zeroCrossing interpolates the first upward crossing', () => {
    expect(zeroCrossing([1, 2, 3], [-1, 1, 2])).toBe(1.5);
    expect(Number.isNaN(zeroCrossing([1, 2], [1, 2]))).toBe(true);
  });
});
