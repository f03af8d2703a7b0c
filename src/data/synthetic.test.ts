/**
 * Tests of the synthetic 2-D sets: shapes, determinism by seed, class
 * balance, and with noise 0 the exact geometry each one documents.
 */
import { describe, expect, it } from 'vitest';
import {
  CIRCLES_INNER_RADIUS,
  SPIRAL_TURNS,
  SYNTHETIC,
  circles,
  classCounts,
  gaussians,
  moons,
  spiral,
  xor,
} from './index.js';
import type { Dataset, SyntheticName } from './index.js';

const NAMES = Object.keys(SYNTHETIC) as SyntheticName[];

/** The point of example i. */
function pt(ds: Dataset, i: number): [number, number] {
  return [ds.x[2 * i], ds.x[2 * i + 1]];
}

describe.each(NAMES)('%s', (name) => {
  const { generate, defaultNoise } = SYNTHETIC[name];

  it('has n two-dimensional examples of 2 classes, named after the set', () => {
    const ds = generate({ n: 101, seed: 1 });
    expect(ds).toMatchObject({ name, n: 101, inputSize: 2, classes: 2 });
    expect(ds.x.length).toBe(202);
    expect(ds.imageShape).toBeUndefined();
    for (const v of ds.x) expect(Number.isFinite(v)).toBe(true);
  });

  it('is deterministic by seed', () => {
    const a = generate({ n: 200, seed: 42, noise: defaultNoise });
    const b = generate({ n: 200, seed: 42 }); // noise defaults to defaultNoise
    const c = generate({ n: 200, seed: 43 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
  });

  it('balances the classes, also in every prefix', () => {
    expect(Array.from(classCounts(generate({ n: 1000, seed: 3 })))).toEqual([500, 500]);
    expect(Array.from(classCounts(generate({ n: 7, seed: 3 })))).toEqual([4, 3]);
    expect(Array.from(generate({ n: 6, seed: 3 }).labels)).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('has a reasonable default noise and rejects bad options', () => {
    expect(defaultNoise).toBeGreaterThan(0);
    expect(defaultNoise).toBeLessThan(0.5);
    expect(SYNTHETIC[name].doc.length).toBeGreaterThan(20);
    expect(() => generate({ n: 1, seed: 1 })).toThrow(`${name}: n must be an integer of at least 2 (one per class); got 1`);
    expect(() => generate({ n: 10, seed: 1, noise: -1 })).toThrow(`${name}: noise must be a finite number ≥ 0; got -1`);
    expect(() => generate({ n: 10, seed: 1, classes: 1 })).toThrow(`${name}: classes must be`);
  });
});

describe('noise 0 gives the exact geometry', () => {
  const opts = { n: 400, seed: 9, noise: 0 };

  it('circles: class 0 on radius 1, class 1 on radius 0.5', () => {
    const ds = circles(opts);
    for (let i = 0; i < ds.n; i++) {
      const [x, y] = pt(ds, i);
      expect(Math.hypot(x, y)).toBeCloseTo(ds.labels[i] === 0 ? 1 : CIRCLES_INNER_RADIUS, 6);
    }
  });

  it('xor: class 0 where the signs agree, class 1 where they differ, inside (−1, 1)²', () => {
    const ds = xor(opts);
    const quadrants = new Set<string>();
    for (let i = 0; i < ds.n; i++) {
      const [x, y] = pt(ds, i);
      expect(x * y).not.toBe(0);
      expect(Math.max(Math.abs(x), Math.abs(y))).toBeLessThanOrEqual(1);
      expect(ds.labels[i]).toBe(x * y > 0 ? 0 : 1);
      quadrants.add(`${Math.sign(x)},${Math.sign(y)}`);
    }
    expect(quadrants.size).toBe(4);
  });

  it('gaussians: every point at its centre, (1, 1) for class 0 and (−1, −1) for class 1', () => {
    const ds = gaussians(opts);
    for (let i = 0; i < ds.n; i++) {
      const s = ds.labels[i] === 0 ? 1 : -1;
      const [x, y] = pt(ds, i);
      expect(x).toBeCloseTo(s, 6);
      expect(y).toBeCloseTo(s, 6);
    }
  });

  it('gaussians: with noise σ the points spread with standard deviation σ around the centres', () => {
    const ds = gaussians({ n: 4000, seed: 2, noise: 0.3 });
    let ss = 0;
    for (let i = 0; i < ds.n; i++) {
      const s = ds.labels[i] === 0 ? 1 : -1;
      const [x, y] = pt(ds, i);
      ss += (x - s) ** 2 + (y - s) ** 2;
    }
    expect(Math.sqrt(ss / (2 * ds.n))).toBeCloseTo(0.3, 1);
  });

  it('moons: class 0 on the upper half circle, class 1 on the lower one shifted by (1, −0.5), both centred', () => {
    const ds = moons(opts);
    for (let i = 0; i < ds.n; i++) {
      const [x, y] = pt(ds, i);
      if (ds.labels[i] === 0) {
        expect(Math.hypot(x + 0.5, y + 0.25)).toBeCloseTo(1, 6);
        expect(y + 0.25).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(x - 0.5, y - 0.25)).toBeCloseTo(1, 6);
        expect(y - 0.25).toBeLessThanOrEqual(1e-6);
      }
    }
  });

  it('spiral: arm c at radius t and angle 2πc/K + 2π·turns·t, for K = 2 and K = 3', () => {
    for (const K of [2, 3]) {
      const ds = spiral({ ...opts, classes: K });
      expect(ds.classes).toBe(K);
      expect(Array.from(classCounts(ds)).every((m) => Math.abs(m - 400 / K) <= 1)).toBe(true);
      for (let i = 0; i < ds.n; i++) {
        const [x, y] = pt(ds, i);
        const t = Math.hypot(x, y);
        expect(t).toBeLessThan(1);
        const a = (2 * Math.PI * ds.labels[i]) / K + 2 * Math.PI * SPIRAL_TURNS * t;
        expect(x).toBeCloseTo(t * Math.cos(a), 5);
        expect(y).toBeCloseTo(t * Math.sin(a), 5);
      }
    }
  });

  it('only spiral and gaussians take more than 2 classes', () => {
    expect(gaussians({ n: 30, seed: 1, classes: 3 }).classes).toBe(3);
    expect(() => circles({ n: 30, seed: 1, classes: 3 })).toThrow('circles: classes must be only 2; got 3');
    expect(() => spiral({ n: 300, seed: 1, classes: 300 })).toThrow('spiral: classes must be an integer in 2..256; got 300');
  });
});
