// The task generators against their published definitions: adding (Hochreiter & Schmidhuber 1997), temporal order, copy-memory.
import { describe, expect, it } from 'vitest';
import { SeqBatch } from '../../nn/rnn/model.js';
import { Rng } from '../../tensor/rng.js';
import { addingTask as adding, ADDING_TOLERANCE, copyTask as copy, getTask, orderTask as order } from './tasks.js';

const B = 200;

describe('the adding problem', () => {
  const T = 40;
  const batch = new SeqBatch('float64', adding.maxSteps(T), B, 2, 1);
  const rng = new Rng(1);

  it('draws lengths from T … T + T/10, each possible length occurring', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(adding.drawSteps(T, rng));
    expect([...seen].sort((a, b) => a - b)).toEqual([40, 41, 42, 43, 44]);
    expect(adding.maxSteps(T)).toBe(44);
  });

  it('has two marked pairs (one among the first 10, one among the first T/2 − 1 unmarked), −1 at both ends, values in [−1, 1], target 0.5 + (X₁ + X₂)/4', () => {
    const firsts = new Set<number>();
    let maxSecond = 0;
    for (let rep = 0; rep < 5; rep++) {
      const steps = adding.drawSteps(T, rng);
      adding.fill(batch, T, steps, rng);
      expect(batch.T).toBe(steps);
      for (let b = 0; b < B; b++) {
        const marked: number[] = [];
        const bad: string[] = [];
        for (let t = 0; t < steps; t++) {
          const v = batch.x[(t * B + b) * 2];
          const m = batch.x[(t * B + b) * 2 + 1];
          if (!(v >= -1 && v <= 1)) bad.push(`value ${v} at ${t}`);
          if (m === 1) marked.push(t);
          else if (m !== (t === 0 || t === steps - 1 ? -1 : 0)) bad.push(`marker ${m} at ${t}`);
        }
        expect(bad).toEqual([]);
        expect(marked.length).toBe(2);
        const [p, q] = marked;
        // one is among the first ten; the other among the first T/2 − 1 pairs not already marked
        const first = p < 10 ? p : q;
        const second = first === p ? q : p;
        firsts.add(first);
        const rank = second - (first < second ? 1 : 0);
        expect(rank).toBeLessThan(T / 2 - 1);
        maxSecond = Math.max(maxSecond, second);
        const x1 = batch.x[(p * B + b) * 2];
        const x2 = batch.x[(q * B + b) * 2];
        if (p === 0) expect(x1).toBe(0); // the first pair marked: X is taken as 0
        expect(batch.y[b]).toBeCloseTo(0.5 + (x1 + x2) / 4, 12);
      }
    }
    expect(firsts.size).toBe(10);
    expect(maxSecond).toBeLessThan(T / 2);
  });

  it('targets lie in [0, 1] with the variance of (X₁ + X₂)/4, so the memoryless loss is 1/48', () => {
    adding.fill(batch, T, T, new Rng(2));
    let s = 0;
    let s2 = 0;
    for (let b = 0; b < B; b++) {
      expect(batch.y[b]).toBeGreaterThanOrEqual(0);
      expect(batch.y[b]).toBeLessThanOrEqual(1);
      s += batch.y[b];
      s2 += batch.y[b] ** 2;
    }
    const v = s2 / B - (s / B) ** 2;
    expect(Math.abs(v - 1 / 24)).toBeLessThan(0.012);
    expect(adding.baselineLoss(T)).toBeCloseTo(1 / 48, 15);
  });

  it('counts a sequence as solved when |error| < 0.04, not at 0.04', () => {
    const one = new SeqBatch('float64', 10, 1, 2, 1);
    one.y[0] = 0.7;
    expect(ADDING_TOLERANCE).toBe(0.04);
    expect(adding.solved(one, Float64Array.of(0.7 + 0.0399), 0)).toBe(true);
    expect(adding.solved(one, Float64Array.of(0.7 - 0.0401), 0)).toBe(false);
  });

  it('is reproducible from the seed', () => {
    const a = new SeqBatch('float64', 44, 3, 2, 1);
    const b = new SeqBatch('float64', 44, 3, 2, 1);
    adding.fill(a, T, 42, new Rng(9));
    adding.fill(b, T, 42, new Rng(9));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
  });
});

describe('the temporal-order problem', () => {
  it('at T = 100: E first, B last, X/Y at t₁ ∈ [10, 20] and t₂ ∈ [50, 60] (1-based), distractors a–d elsewhere, class from the order', () => {
    const T = 100;
    const batch = new SeqBatch('float64', order.maxSteps(T), B, 8, 4);
    const rng = new Rng(3);
    const steps = order.drawSteps(T, rng);
    order.fill(batch, T, steps, rng);
    const classes = new Set<number>();
    for (let b = 0; b < B; b++) {
      const sym: number[] = [];
      let notOneHot = 0;
      for (let t = 0; t < steps; t++) {
        const row = Array.from(batch.x.subarray((t * B + b) * 8, (t * B + b + 1) * 8));
        if (row.reduce((a, v) => a + v, 0) !== 1) notOneHot++;
        sym.push(row.indexOf(1));
      }
      expect(notOneHot).toBe(0);
      expect(sym[0]).toBe(6);
      expect(sym[steps - 1]).toBe(7);
      const rel = sym.map((s, t) => (s === 4 || s === 5 ? t + 1 : 0)).filter((t) => t > 0);
      expect(rel.length).toBe(2);
      expect(rel[0]).toBeGreaterThanOrEqual(10);
      expect(rel[0]).toBeLessThanOrEqual(20);
      expect(rel[1]).toBeGreaterThanOrEqual(50);
      expect(rel[1]).toBeLessThanOrEqual(60);
      const s1 = sym[rel[0] - 1] - 4;
      const s2 = sym[rel[1] - 1] - 4;
      expect(batch.labels[b]).toBe(2 * s1 + s2); // XX, XY, YX, YY
      classes.add(batch.labels[b]);
      expect(sym.filter((v, t) => t > 0 && t < steps - 1 && t !== rel[0] - 1 && t !== rel[1] - 1 && v >= 4)).toEqual([]);
    }
    expect(classes.size).toBe(4);
    expect(order.baselineLoss(T)).toBeCloseTo(Math.log(4), 15);
  });
});

describe('copy-memory', () => {
  it('10 symbols of 8, T − 1 blanks, the delimiter, 10 blanks; targets blank for T + 10 steps then the 10 symbols', () => {
    const T = 15;
    const batch = new SeqBatch('float64', copy.maxSteps(T), 20, 10, 10);
    copy.fill(batch, T, copy.drawSteps(T, new Rng(4)), new Rng(4));
    expect(batch.T).toBe(T + 20);
    for (let b = 0; b < 20; b++) {
      const sym = Array.from({ length: T + 20 }, (_, t) => Array.from(batch.x.subarray((t * 20 + b) * 10, (t * 20 + b + 1) * 10)).indexOf(1));
      for (let t = 0; t < 10; t++) expect(sym[t]).toBeLessThan(8);
      for (let t = 10; t < T + 9; t++) expect(sym[t]).toBe(8);
      expect(sym[T + 9]).toBe(9);
      for (let t = T + 10; t < T + 20; t++) expect(sym[t]).toBe(8);
      for (let t = 0; t < T + 10; t++) expect(batch.labels[t * 20 + b]).toBe(8);
      for (let t = 0; t < 10; t++) expect(batch.labels[(T + 10 + t) * 20 + b]).toBe(sym[t]);
    }
    expect(copy.baselineLoss(T)).toBeCloseTo((10 * Math.log(8)) / (T + 20), 15);
  });

  it('solves a sequence only when all 10 recalled symbols are the arg-max', () => {
    const T = 3;
    const batch = new SeqBatch('float64', T + 20, 1, 10, 10);
    copy.fill(batch, T, T + 20, new Rng(5));
    const out = new Float64Array((T + 20) * 10);
    for (let t = 0; t < T + 20; t++) out[t * 10 + batch.labels[t]] = 1;
    expect(copy.solved(batch, out, 0)).toBe(true);
    const t = T + 19;
    out[t * 10 + batch.labels[t]] = 0;
    out[t * 10 + ((batch.labels[t] + 1) % 8)] = 1;
    expect(copy.solved(batch, out, 0)).toBe(false);
  });
});

describe('task lookup', () => {
  it('names the bad value', () => {
    expect(() => getTask('addition')).toThrow(/adding, order, copy; got 'addition'/);
  });
});
