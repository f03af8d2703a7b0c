/**
 * The vectorised kernels (`map`) against the scalar reference f and f': equal
 * bit for bit in float64, equal to the float32 rounding of the reference for
 * Float32Array buffers; plus NaN propagation through f, f' and map.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng.js';
import { ACTIVATIONS, getActivation, resolveParams, type ActivationDef } from './index.js';

const elementwise = ACTIVATIONS.filter((d) => d.kind === 'elementwise');
const mapped = elementwise.filter((d) => d.map !== undefined);

/** Inputs: kinks, zeros, extremes and a seeded spread over [−30, 30]. */
function inputs(def: ActivationDef): number[] {
  const rng = new Rng(7);
  const xs = [0, -0, 1, -1, 3, -3, 6, 20, 20.000001, -20, 1000, -1000, 1e308, -1e308, 1e-300, -1e-300];
  for (const k of def.meta.kinks) xs.push(k.at, k.at + 1e-12, k.at - 1e-12);
  for (let i = 0; i < 400; i++) xs.push(rng.uniformIn(-30, 30));
  return xs;
}

/** Indices where map's output differs from `expect(f)` / `expect(df)`; reported with the input. */
function mismatches(def: ActivationDef, p: readonly number[], xs: number[], f32: boolean): string[] {
  const n = xs.length;
  const z = f32 ? Float32Array.from(xs) : Float64Array.from(xs);
  const a = f32 ? new Float32Array(n) : new Float64Array(n);
  const d = f32 ? new Float32Array(n) : new Float64Array(n);
  def.map?.(a, d, z, n, p);
  const round = f32 ? Math.fround : (v: number) => v;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const fa = round(def.f(z[i], p));
    const fd = round(def.df(z[i], p));
    if (!Object.is(a[i], fa) || !Object.is(d[i], fd)) out.push(`${def.name}: x = ${z[i]}: map gives (${a[i]}, ${d[i]}), f/df give (${fa}, ${fd})`);
  }
  return out;
}

describe('map equals the scalar f and df', () => {
  it('exists for every hot entry', () => {
    const hot = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'softplus', 'linear'];
    expect(hot.filter((n) => getActivation(n).map === undefined)).toEqual([]);
  });

  it.each(mapped.map((d) => [d.name, d] as const))('%s: bit for bit in float64', (_n, def) => {
    expect(mismatches(def, resolveParams(def), inputs(def), false)).toEqual([]);
  });

  it.each(mapped.map((d) => [d.name, d] as const))('%s: to float32 rounding for Float32Array', (_n, def) => {
    expect(mismatches(def, resolveParams(def), inputs(def), true)).toEqual([]);
  });

  it.each([
    ['leaky_relu', { negative_slope: 0.2 }],
    ['elu', { alpha: 0.5 }],
    ['softplus', { beta: 2, threshold: 5 }],
  ] as const)('%s at %o', (name, params) => {
    const def = getActivation(name);
    const p = resolveParams(def, params);
    expect(mismatches(def, p, inputs(def), false)).toEqual([]);
    expect(mismatches(def, p, inputs(def), true)).toEqual([]);
  });

  it('lets the output alias the input (a === z)', () => {
    for (const def of mapped) {
      const p = resolveParams(def);
      const xs = inputs(def);
      const z = Float64Array.from(xs);
      const d = new Float64Array(xs.length);
      def.map?.(z, d, z, xs.length, p);
      xs.forEach((x, i) => expect(Object.is(z[i], def.f(x, p)), `${def.name} at ${x}`).toBe(true));
    }
  });
});

describe('NaN', () => {
  it.each(elementwise.map((d) => [d.name, d] as const))('%s propagates NaN through f, df and map', (_n, def) => {
    const p = resolveParams(def);
    expect(def.f(NaN, p)).toBeNaN();
    expect(def.df(NaN, p)).toBeNaN();
    if (def.map) {
      const a = new Float64Array(1);
      const d = new Float64Array(1);
      def.map(a, d, Float64Array.of(NaN), 1, p);
      expect(a[0]).toBeNaN();
      expect(d[0]).toBeNaN();
    }
  });
});
