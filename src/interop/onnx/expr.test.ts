// The activation forms: the same function written in the orders different exporters use maps
// to one catalogue entry; a form with another constant or another operator does not.
import { describe, expect, it } from 'vitest';
import { c, matchForm, matchParametric, op, X, celuForm } from './expr.js';

describe('activation forms', () => {
  const erfTerm = (inner: ReturnType<typeof op>) => op('Add', [op('Erf', [inner]), c(1)]);
  it('reads GELU as torch writes it (Div by √2 as float32) and as x·0.5·(1 + erf(x·0.70710678))', () => {
    const torch = op('Mul', [op('Mul', [X, erfTerm(op('Div', [X, c(Math.fround(Math.SQRT2))]))]), c(0.5)]);
    const other = op('Mul', [op('Mul', [X, c(0.5)]), erfTerm(op('Mul', [X, c(0.70710678)]))]);
    expect(matchForm(torch)).toBe('gelu');
    expect(matchForm(other)).toBe('gelu');
  });
  it('reads GELU (tanh) with x³ written as Pow(x, 3) or as Mul(Mul(x, x), x)', () => {
    const inner = (cube: ReturnType<typeof op>) => op('Mul', [c(Math.sqrt(2 / Math.PI)), op('Add', [X, op('Mul', [c(0.044715), cube])])]);
    const f = (cube: ReturnType<typeof op>) => op('Mul', [op('Mul', [c(0.5), X]), op('Add', [c(1), op('Tanh', [inner(cube)])])]);
    expect(matchForm(f(op('Pow', [X, c(3)])))).toBe('gelu_tanh');
    expect(matchForm(f(op('Mul', [op('Mul', [X, X]), X])))).toBe('gelu_tanh');
  });
  it('reads SiLU and Mish in either operand order', () => {
    expect(matchForm(op('Mul', [op('Sigmoid', [X]), X]))).toBe('silu');
    expect(matchForm(op('Mul', [X, op('Tanh', [op('Softplus', [X])])]))).toBe('mish');
  });
  it('refuses a form with another constant or operator', () => {
    expect(matchForm(op('Mul', [op('Mul', [X, erfTerm(op('Div', [X, c(1.5)]))]), c(0.5)]))).toBeNull();
    expect(matchForm(op('Mul', [X, op('Tanh', [X])]))).toBeNull();
  });
  it('reads CELU back from α·Elu(x/α) for any α', () => {
    expect(matchParametric(celuForm(1.3))).toEqual({ name: 'celu', params: { alpha: 1.3 } });
    expect(matchParametric(op('Mul', [c(2), op('Elu', [op('Mul', [X, c(0.4)])], '1')]))).toBeNull();
  });
});
