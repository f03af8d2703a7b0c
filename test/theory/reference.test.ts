// src/theory against an independent implementation in another language and method:
// numpy_reference.py (composite Simpson on fine grids split at every kink, bisection for every
// root) computes critical points, moments, q*, χ₁, c* and χ_c. Tolerances: 1e-10 relative for
// the one-dimensional integrals, 1e-9 for the critical σ_w² and q*, 1e-8 for c* and χ_c (the
// reference's own grid and bisection error). Skipped, saying so, without /usr/bin/python3 and numpy.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse, criticalSigmaW2, derivativeMoment, meanOf, secondMoment, theoryAct } from '../../src/theory/index.js';

const PY = '/usr/bin/python3';
const hasNumpy = existsSync(PY) && spawnSync(PY, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
if (!hasNumpy) console.warn('reference.test: /usr/bin/python3 with numpy is missing; the independent reference is skipped');

describe.skipIf(!hasNumpy)('mean-field theory against the numpy reference', () => {
  const run = spawnSync(PY, [join(import.meta.dirname, 'numpy_reference.py')], { encoding: 'utf8', timeout: 300_000 });
  const ref: Record<string, number> = run.status === 0 ? JSON.parse(run.stdout) : {};
  const bad: string[] = [];
  const check = (key: string, got: number, tol: number) => {
    const want = ref[key];
    const err = Math.abs(got - want) / Math.max(Math.abs(want), 1e-3);
    if (!(err <= tol)) bad.push(`${key}: ${got} vs reference ${want} (relative ${err.toExponential(2)} > ${tol})`);
  };

  it('the reference ran', () => {
    expect(run.status, run.stderr).toBe(0);
  });

  it('critical σ_w² (tanh at σ_b² = 0.05 and 0.2, elu at 0.05, sigmoid at 0) to 1e-9', () => {
    bad.length = 0;
    for (const [name, sb2, key] of [['tanh', 0.05, '0.05'], ['tanh', 0.2, '0.2'], ['elu', 0.05, '0.05'], ['sigmoid', 0, '0.0']] as const) {
      check(`critical/${name}/${key}`, criticalSigmaW2(theoryAct(name), sb2)!, 1e-9);
    }
    expect(bad).toEqual([]);
  });

  it('E[φ], E[φ²], E[φ′²] at unit variance (gelu, silu, mish, elu, selu, softplus) to 1e-10', () => {
    bad.length = 0;
    for (const name of ['gelu', 'silu', 'mish', 'elu', 'selu', 'softplus']) {
      const a = theoryAct(name);
      check(`m2/${name}`, secondMoment(a, 1), 1e-10);
      check(`d2/${name}`, derivativeMoment(a, 1), 1e-10);
      check(`m1/${name}`, meanOf(a, 1), 1e-10);
    }
    expect(bad).toEqual([]);
  });

  it('q*, χ₁, c*, χ_c in the chaotic phase (tanh σ_w² = 2.5, hardtanh σ_w² = 2; σ_b² = 0.05)', () => {
    bad.length = 0;
    for (const [name, sw2] of [['tanh', 2.5], ['hardtanh', 2.0]] as const) {
      const p = analyse(theoryAct(name), { sigmaW2: sw2, sigmaB2: 0.05 });
      const key = `${name}/${sw2.toFixed(1)}/0.05`;
      check(`qstar/${key}`, p.qStar, 1e-9);
      check(`chi1/${key}`, p.chi1, 1e-9);
      check(`cstar/${key}`, p.cStar, 1e-8);
      check(`chic/${key}`, p.chiC, 1e-8);
    }
    expect(bad).toEqual([]);
  });
});
