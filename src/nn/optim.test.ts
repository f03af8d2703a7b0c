// Optimiser trajectories against steps worked by hand, the max-norm constraint,
// learning-rate schedules worked by hand, and clipping at its boundary.
import { describe, expect, it } from 'vitest';
import type { Param } from './layer.js';
import { applyMaxNorm, Optimizer, OPTIMIZER_NAMES, scheduledLr, type LrSchedule, type OptimizerName } from './optim.js';
import { referenceUpdate, UPDATES, type UpdateHyper } from './optim-updates.js';
import { Rng } from '../tensor/rng.js';
import { buildMlp } from './build.js';
import { jsKernels } from '../tensor/kernels.js';
import { fastKernels } from '../tensor/wasm/wasm-kernels.js';
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
  it('by value leaves components at exactly ±v alone (boundary) and does not count them', () => {
    const a = param([0, 0, 0]);
    a.grad.set([-1, 1, 0.999]);
    expect(clipByValue([a], 1)).toBe(0);
    expect(Array.from(a.grad)).toEqual([-1, 1, 0.999]);
  });
});

describe('max-norm constraint', () => {
  function matrix(rows: number[][], decay = true): Param {
    const value = Float64Array.from(rows.flat());
    return { name: 'weight', value, grad: new Float64Array(value.length), shape: [rows.length, rows[0].length], decay };
  }

  it('rescales exactly the rows whose norm exceeds c to norm c, keeping their direction', () => {
    // row norms 5, 1, √2·3 ≈ 4.243; c = 2
    const W = matrix([[3, 4], [0.6, 0.8], [3, -3]]);
    expect(applyMaxNorm([W], 2)).toBe(2);
    expect(Array.from(W.value)).toEqual([1.2, 1.6, 0.6, 0.8, Math.SQRT2, -Math.SQRT2].map((v) => expect.closeTo(v, 14)));
  });

  it('leaves a row of norm exactly c alone (boundary), and biases and activation parameters always', () => {
    const W = matrix([[3, 4]]);
    const b = matrix([[30, 40]], false);
    const slope: Param = { name: 'weight', value: Float64Array.of(7), grad: new Float64Array(1), shape: [1], decay: false };
    expect(applyMaxNorm([W, b, slope], 5)).toBe(0);
    expect(Array.from(W.value)).toEqual([3, 4]);
    expect(Array.from(b.value)).toEqual([30, 40]);
  });

  it('applies after the update: sgd step, then rescale, and ‖Δθ‖² measures the constrained step', () => {
    // w = (1, 0), g = (−2, −2), η = 1: w − ηg = (3, 2), norm √13 > c = 1 → (3, 2)/√13
    const W = matrix([[1, 0]]);
    W.grad.set([-2, -2]);
    const o = new Optimizer([W], { name: 'sgd', maxNorm: 1 });
    o.step(1);
    const r = Math.sqrt(13);
    expect(W.value[0]).toBeCloseTo(3 / r, 14);
    expect(W.value[1]).toBeCloseTo(2 / r, 14);
    expect(o.lastMaxNormRows).toBe(1);
    expect(o.maxNormRows).toBe(1);
    expect(o.lastUpdateSq[0]).toBeCloseTo((3 / r - 1) ** 2 + (2 / r) ** 2, 14);
    // a small step inside the ball is not constrained
    W.grad.set([0.01, 0]);
    o.step(1);
    expect(o.lastMaxNormRows).toBe(0);
    expect(o.maxNormRows).toBe(1);
  });

  it('refuses c ≤ 0 with a sentence', () => {
    expect(() => new Optimizer([], { name: 'sgd', maxNorm: 0 })).toThrow(/optimizer: 'maxNorm' must be > 0; got 0/);
  });
});

describe('learning-rate schedules worked by hand', () => {
  const at = (s: LrSchedule, steps: number[], lr = 0.1, total = 100) => steps.map((t) => scheduledLr(lr, s, t, total));

  it('warm-up rises linearly to lr over `warmup` steps: η·(t + 1)/w', () => {
    // w = 5, η = 0.1: 0.02, 0.04, 0.06, 0.08, 0.1, then 0.1
    expect(at({ kind: 'constant', warmup: 5 }, [0, 1, 2, 3, 4, 5, 99])).toEqual([0.02, 0.04, 0.06, 0.08, 0.1, 0.1, 0.1].map((v) => expect.closeTo(v, 15)));
  });

  it('step decay counts its steps from the end of the warm-up', () => {
    // warm-up 2, then ×0.5 every 3 steps: t = 2..4 → 0.1, 5..7 → 0.05, 8..10 → 0.025
    expect(at({ kind: 'step', every: 3, factor: 0.5, warmup: 2 }, [0, 1, 2, 4, 5, 7, 8, 10, 11])).toEqual([0.05, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125].map((v) => expect.closeTo(v, 15)));
  });

  it('cosine annealing after a warm-up: minLr + (η − minLr)(1 + cos(πt/T))/2, T = total − warmup', () => {
    // total 110, warm-up 10 → T = 100; η = 1, minLr = 0: t = 0 → 1, 25 → (1 + √2/2)/2 ≈ 0.853553, 50 → 0.5, 75 → 0.146447, 100 → 0
    const s: LrSchedule = { kind: 'cosine', minLr: 0, warmup: 10 };
    expect(at(s, [9, 10, 35, 60, 85, 110, 200], 1, 110)).toEqual([1, 1, 0.8535533905932737, 0.5, 0.14644660940672627, 0, 0].map((v) => expect.closeTo(v, 14)));
  });

  it('drives an sgd trajectory: w ← w − η_t(w + 1) with a step schedule', () => {
    // f(w) = w²/2 + w from w = 1; η_0 = 0.1, η_1 = 0.1, η_2 = 0.05 (every 2, factor 0.5)
    // 1 − 0.2 = 0.8; 0.8 − 0.18 = 0.62; 0.62 − 0.05·1.62 = 0.539
    const p = param([1]);
    const o = new Optimizer([p], { name: 'sgd' });
    const s: LrSchedule = { kind: 'step', every: 2, factor: 0.5, warmup: 0 };
    const out: number[] = [];
    for (let t = 0; t < 3; t++) {
      p.grad[0] = p.value[0] + 1;
      o.step(scheduledLr(0.1, s, t, 3));
      out.push(p.value[0]);
    }
    [0.8, 0.62, 0.539].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 14));
  });
});

describe('each optimiser loop equals the reference loop (one switch per element)', () => {
  const hyper = (dec: number, l1 = 0): UpdateHyper => ({ lr: 0.03, dec, l1, wd: 0.01, mu: 0.9, b1: 0.9, b2: 0.999, eps: 1e-8, c1: 1 - 0.9 ** 3, c2: 1 - 0.999 ** 3 });
  for (const F of [Float32Array, Float64Array]) {
    for (const name of OPTIMIZER_NAMES) {
      for (const dec of [1, 0.9995]) {
        it(`${name}, ${F.name}, decay ${dec}: the same weights and state bit for bit over 3 updates, ‖Δw‖² to 1e-12`, () => {
          const rng = new Rng(name.length * 7 + (dec === 1 ? 0 : 1));
          const n = 37;
          const w0 = F.from({ length: n }, () => rng.normal());
          const g = F.from({ length: n }, () => rng.normal());
          const [w1, m1, v1] = [w0.slice(), F.from({ length: n }, () => Math.abs(rng.normal())), F.from({ length: n }, () => Math.abs(rng.normal()))];
          const [w2, m2, v2] = [w1.slice(), m1.slice(), v1.slice()];
          for (let s = 0; s < 3; s++) {
            const a = UPDATES[name](w1, g, m1, v1, hyper(dec));
            const b = referenceUpdate(name)(w2, g, m2, v2, hyper(dec));
            expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * b);
          }
          expect(Array.from(w1)).toEqual(Array.from(w2));
          expect(Array.from(m1)).toEqual(Array.from(m2));
          expect(Array.from(v1)).toEqual(Array.from(v2));
        });
      }
    }
  }
});

describe('the optimiser over a network block', () => {
  for (const name of OPTIMIZER_NAMES) {
    for (const l1 of [0, 0.5]) {
      it(`${name}${l1 ? ' with L1' : ''}: the wasm block path (fused SGD/momentum kernels in the network's memory) gives the weights of the TypeScript path bit for bit`, () => {
        const build = (kernels: typeof jsKernels) => buildMlp({ sizes: [9, 8, 3], hidden: { name: 'tanh' }, output: { name: 'softmax' }, init: 'xavier_normal', dtype: 'float32', rng: new Rng(2), kernels });
        const a = build(jsKernels);
        const b = build(fastKernels());
        const oa = new Optimizer(a.params(), { name, l2: 3, l1, n: 100, momentum: 0.8 });
        const ob = new Optimizer(b.params(), { name, l2: 3, l1, n: 100, momentum: 0.8 });
        const rng = new Rng(4);
        for (let s = 0; s < 4; s++) {
          a.params().forEach((p, i) => {
            for (let k = 0; k < p.grad.length; k++) p.grad[k] = rng.normal();
            b.params()[i].grad.set(p.grad);
          });
          oa.step(0.05);
          ob.step(0.05);
          a.params().forEach((p, i) => expect(Math.abs(ob.lastUpdateSq[i] - oa.lastUpdateSq[i])).toBeLessThanOrEqual(1e-12 * oa.lastUpdateSq[i]));
        }
        expect(b.params().map((p) => Array.from(p.value))).toEqual(a.params().map((p) => Array.from(p.value)));
      });
    }
  }
});
