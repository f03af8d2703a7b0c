// Optimiser trajectories against steps worked by hand, and clipping at its boundary.
import { describe, expect, it } from 'vitest';
import type { Param } from './layer.js';
import { Optimizer, type OptimizerName } from './optim.js';
import { clipByGlobalNorm, clipByValue, globalGradNorm } from './clip.js';

function param(w: number[], decay = true): Param {
  const value = Float64Array.from(w);
  return { name: 'weight', value, grad: new Float64Array(w.length), shape: [w.length], decay };
}

/** Runs 3 steps on f(w) = w²/2 + w (gradient w + 1) from w = 1. */
function trajectory(name: OptimizerName, extra: object = {}): number[] {
  const p = param([1]);
  const o = new Optimizer([p], { name, ...extra });
  const out: number[] = [];
  for (let t = 0; t < 3; t++) {
    p.grad[0] = p.value[0] + 1;
    o.step(0.1);
    out.push(p.value[0]);
  }
  return out;
}

describe('optimisers follow hand-worked trajectories on f(w) = w²/2 + w from w = 1, η = 0.1', () => {
  it('sgd: w ← w − η(w + 1)', () => {
    // 1 − 0.2 = 0.8; 0.8 − 0.18 = 0.62; 0.62 − 0.162 = 0.458
    const t = trajectory('sgd');
    [0.8, 0.62, 0.458].forEach((v, i) => expect(t[i]).toBeCloseTo(v, 14));
  });
  it('momentum μ = 0.9: v ← μv − ηg, w ← w + v', () => {
    // g=2: v=−0.2, w=0.8; g=1.8: v=−0.18−0.18=−0.36, w=0.44; g=1.44: v=−0.324−0.144=−0.468, w=−0.028
    const t = trajectory('momentum', { momentum: 0.9 });
    [0.8, 0.44, -0.028].forEach((v, i) => expect(t[i]).toBeCloseTo(v, 14));
  });
  it('nesterov μ = 0.9 (PyTorch form): b ← μb + g, w ← w − η(g + μb)', () => {
    // g=2: b=2, w=1−0.1(2+1.8)=0.62; g=1.62: b=1.8+1.62=3.42, w=0.62−0.1(1.62+3.078)=0.1502
    // g=1.1502: b=3.078+1.1502=4.2282, w=0.1502−0.1(1.1502+3.80538)=−0.345358
    const t = trajectory('nesterov', { momentum: 0.9 });
    [0.62, 0.1502, -0.345358].forEach((v, i) => expect(t[i]).toBeCloseTo(v, 12));
  });
  it('adam with bias correction: the first step moves by η·sign(g)', () => {
    // m̂ = g, v̂ = g² at t = 1, so Δ = −η·g/(|g| + ε)
    const t = trajectory('adam', { eps: 0 });
    expect(t[0]).toBeCloseTo(0.9, 14);
    // t=2: g=1.9, m=0.9·0.2+0.19=0.37 → m̂=0.37/0.19; v=0.999·0.004+0.001·3.61=0.007606 → v̂=0.007606/0.001999
    const m = 0.37 / 0.19, v = 0.007606 / (1 - 0.999 ** 2);
    expect(t[1]).toBeCloseTo(0.9 - (0.1 * m) / Math.sqrt(v), 12);
  });
  it('rmsprop ρ = 0.9: s ← ρs + (1−ρ)g², w ← w − ηg/√s', () => {
    // g=2: s=0.4, w=1−0.2/√0.4
    const t = trajectory('rmsprop', { momentum: 0.9, eps: 0 });
    expect(t[0]).toBeCloseTo(1 - 0.2 / Math.sqrt(0.4), 14);
  });
  it("Nielsen's L2: w ← (1 − ηλ/n)w − η∇, biases not decayed", () => {
    const w = param([1]);
    const b = { ...param([1], false) };
    const o = new Optimizer([w, b], { name: 'sgd', l2: 5, n: 1000 });
    o.step(0.1);
    expect(w.value[0]).toBeCloseTo(0.9995, 15);
    expect(b.value[0]).toBe(1);
  });
  it('adamw decays decoupled from the gradient', () => {
    const p = param([2]);
    const o = new Optimizer([p], { name: 'adamw', weightDecay: 0.1 });
    o.step(0.5); // zero gradient: only the decay acts
    expect(p.value[0]).toBeCloseTo(2 - 0.5 * 0.1 * 2, 14);
  });
  it('records ‖Δθ‖² of the last step', () => {
    const p = param([1, 2]);
    p.grad[0] = 3; p.grad[1] = 4;
    const o = new Optimizer([p], { name: 'sgd' });
    o.step(0.1);
    expect(o.lastUpdateSq[0]).toBeCloseTo(0.25, 14);
  });
});

describe('clipping', () => {
  it('by global norm rescales to exactly c when ‖g‖ ≥ c, and leaves smaller gradients alone', () => {
    const a = param([0, 0]);
    const b = param([0]);
    a.grad.set([3, 0]); b.grad.set([4]);
    expect(globalGradNorm([a, b])).toBe(5);
    expect(clipByGlobalNorm([a, b], 5)).toBe(true); // at the boundary: g ← c·g/‖g‖ = g
    expect(globalGradNorm([a, b])).toBeCloseTo(5, 14);
    expect(clipByGlobalNorm([a, b], 1)).toBe(true);
    expect(globalGradNorm([a, b])).toBeCloseTo(1, 14);
    expect(a.grad[0]).toBeCloseTo(0.6, 14);
    expect(a.grad[1]).toBe(0);
    expect(a.grad[0] / b.grad[0]).toBeCloseTo(3 / 4, 14);
    expect(clipByGlobalNorm([a, b], 2)).toBe(false);
  });
  it('by value clamps each component and counts them', () => {
    const a = param([0, 0, 0]);
    a.grad.set([-2, 0.5, 3]);
    expect(clipByValue([a], 1)).toBe(2);
    expect(Array.from(a.grad)).toEqual([-1, 0.5, 1]);
  });
});
