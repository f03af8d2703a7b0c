/**
 * Behaviour at extreme inputs: at ±1000 and ±1e308 the exponential-based
 * entries return their limiting values and derivatives (no NaN, no overflow),
 * and no elementwise entry produces a non-finite value from a finite input.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, getActivation, resolveParams } from './index.js';

/** [name, f(+∞ side), f(−∞ side), f'(+∞ side), f'(−∞ side)]; 'x' means f(x) = x. */
const LIMITS: readonly [string, number | 'x', number | 'x', number, number][] = [
  ['sigmoid', 1, 0, 0, 0],
  ['softplus', 'x', 0, 1, 0],
  ['logsigmoid', 0, 'x', 0, 1],
  ['silu', 'x', 0, 1, 0],
  ['mish', 'x', 0, 1, 0],
  ['tanh', 1, -1, 0, 0],
  ['gelu', 'x', 0, 1, 0],
  ['elu', 'x', -1, 1, 0],
];

/** True when v equals want up to 1e-12 relative (and ±0 are equal). */
function near(v: number, want: number): boolean {
  return v === want || Math.abs(v - want) <= 1e-12 * Math.max(1, Math.abs(want));
}

describe('limits at ±1000 and ±1e308', () => {
  it.each(LIMITS.map((l) => [l[0], l] as const))('%s reaches its limits without NaN', (_n, [name, fHi, fLo, dHi, dLo]) => {
    const def = getActivation(name);
    const p = resolveParams(def);
    for (const big of [1000, 1e308]) {
      const cases: [number, number | 'x', number][] = [
        [big, fHi, dHi],
        [-big, fLo, dLo],
      ];
      for (const [x, fw, dw] of cases) {
        const y = def.f(x, p);
        const dy = def.df(x, p);
        expect(Number.isFinite(y), `${name}(${x}) = ${y}`).toBe(true);
        expect(Number.isFinite(dy), `${name}'(${x}) = ${dy}`).toBe(true);
        expect(near(y, fw === 'x' ? x : fw), `${name}(${x}) = ${y}, expected ${fw === 'x' ? x : fw}`).toBe(true);
        expect(near(dy, dw), `${name}'(${x}) = ${dy}, expected ${dw}`).toBe(true);
      }
    }
  });
});

describe('saturated is not dead', () => {
  it("tanh' keeps its relative accuracy in the tails (4e^{−2|x|}), so |x| = 25 is saturated, not dead", () => {
    for (const name of ['tanh', 'lecun_tanh', 'bipolar_sigmoid', 'sigmoid']) {
      const def = getActivation(name);
      const p = resolveParams(def);
      expect(def.df(25, p), name).toBeGreaterThan(0);
      expect(def.df(-25, p), name).toBeGreaterThan(0);
    }
    const th = getActivation('tanh');
    for (const x of [2, 5, 20, 30, -40]) {
      const exact = 4 * Math.exp(-2 * Math.abs(x)) / (1 + Math.exp(-2 * Math.abs(x))) ** 2;
      expect(Math.abs(th.df(x, []) / exact - 1), `tanh'(${x})`).toBeLessThan(1e-14);
    }
  });
});

describe('every elementwise entry at extreme finite inputs', () => {
  // (at ±Number.MAX_VALUE selu overflows to ±∞, correctly: λ·x is not representable)
  const xs = [1000, -1000, 1e308, -1e308, 5e-324, -5e-324];
  it.each(ACTIVATIONS.filter((d) => d.kind === 'elementwise').map((d) => [d.name, d] as const))('%s: f and f\' stay finite', (_n, def) => {
    const p = resolveParams(def);
    for (const x of xs) {
      expect(Number.isFinite(def.f(x, p)), `${def.name}(${x}) = ${def.f(x, p)}`).toBe(true);
      expect(Number.isFinite(def.df(x, p)), `${def.name}'(${x}) = ${def.df(x, p)}`).toBe(true);
    }
  });

  it('swish with β = 2 and prelu keep dparams finite at ±1e308', () => {
    for (const [name, params] of [
      ['swish', { beta: 2 }],
      ['prelu', {}],
    ] as const) {
      const def = getActivation(name);
      const p = resolveParams(def, params);
      const out = [0];
      for (const x of [1e308, -1e308]) {
        def.dparams?.(x, p, out);
        expect(Number.isFinite(out[0]), `${name} ∂f/∂p at ${x}`).toBe(true);
        expect(Number.isFinite(def.df(x, p))).toBe(true);
      }
    }
  });
});
