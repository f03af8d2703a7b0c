"""Independent reference values for gradscope's mean-field theory (src/theory): numpy, composite
Simpson's rule on fine grids split at every kink, and bisection for every root. Shares no code or
method with the TypeScript (Gauss-Hermite / Gauss-Legendre panels / Brent). Prints one JSON
document for test/theory/reference.test.ts."""
import json
import math
import numpy as np

LAM = 1.0507009873554804934193349852946
ALP = 1.6732632423543772848170429916717
Z = 12.0

def sig(x):
    return 0.5 * (1 + np.tanh(x / 2))

def ncdf(x):
    return 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))

ERF = np.vectorize(math.erf)

ACTS = {
    'tanh': (np.tanh, lambda x: 1 - np.tanh(x) ** 2, []),
    'sigmoid': (sig, lambda x: sig(x) * (1 - sig(x)), []),
    'gelu': (lambda x: x * 0.5 * (1 + ERF(x / math.sqrt(2))), lambda x: 0.5 * (1 + ERF(x / math.sqrt(2))) + x * np.exp(-x * x / 2) / math.sqrt(2 * math.pi), []),
    'silu': (lambda x: x * sig(x), lambda x: sig(x) * (1 + x * (1 - sig(x))), []),
    'mish': (lambda x: x * np.tanh(np.logaddexp(0, x)), lambda x: np.tanh(np.logaddexp(0, x)) + x * sig(x) * (1 - np.tanh(np.logaddexp(0, x)) ** 2), []),
    'softplus': (lambda x: np.logaddexp(0, x), sig, []),
    'elu': (lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))), lambda x: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0))), [0.0]),
    'selu': (lambda x: np.where(x > 0, LAM * x, LAM * ALP * np.expm1(np.minimum(x, 0))), lambda x: np.where(x > 0, LAM, LAM * ALP * np.exp(np.minimum(x, 0))), [0.0]),
    'hardtanh': (lambda x: np.clip(x, -1, 1), lambda x: np.where((x > -1) & (x < 1), 1.0, 0.0), [-1.0, 1.0]),
}

def simpson(g, edges, n):
    """∫ g(z) φ(z) dz over [-Z, Z], Simpson on each piece between consecutive edges with n intervals (even)."""
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        if hi - lo < 1e-14:
            continue
        z = np.linspace(lo, hi, n + 1)
        # one-sided values at the ends of each piece: a kink's two sides belong to different pieces
        z[0] += 1e-13 * max(1.0, abs(lo)); z[-1] -= 1e-13 * max(1.0, abs(hi))
        w = np.ones(n + 1); w[1:-1:2] = 4; w[2:-1:2] = 2
        total += (hi - lo) / (3 * n) * np.sum(w * g(z) * np.exp(-z * z / 2))
    return total / math.sqrt(2 * math.pi)

def edges_of(points):
    inside = [p for p in points if -Z < p < Z]
    return sorted(set([-Z, Z] + inside))

def E1(g, q, breaks, n=4000):
    s = math.sqrt(q)
    return simpson(lambda z: g(s * z), edges_of([b / s for b in breaks]), n)

def E2(g, q, c, breaks, n=800):
    """E[g(u1) g(u2)], both variances q, correlation c: Simpson over z1 of Simpson over z2."""
    s = math.sqrt(q)
    perp = math.sqrt(1 - c * c)
    def inner(z1):
        return np.array([simpson(lambda z2: g(s * c * a + s * perp * z2), edges_of([(b - s * c * a) / (s * perp) for b in breaks]), n) for a in np.atleast_1d(z1)])
    outer = [b / s for b in breaks] + ([b / (s * c) for b in breaks] if c != 0 else [])
    return simpson(lambda z1: g(s * z1) * inner(z1), edges_of(outer), n)

def bisect(f, lo, hi, iters):
    flo = f(lo)
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return 0.5 * (lo + hi)

def qstar(name, sw2, sb2):
    f, _, br = ACTS[name]
    return bisect(lambda q: sw2 * E1(lambda x: f(x) ** 2, q, br) + sb2 - q, 1e-4, 200.0, 60)

def chi1(name, sw2, q):
    _, df, br = ACTS[name]
    return sw2 * E1(lambda x: df(x) ** 2, q, br)

def critical(name, sb2, lo, hi):
    return bisect(lambda s: chi1(name, s, qstar(name, s, sb2)) - 1, lo, hi, 45)

out = {}
for name, sb2, lo, hi in [('tanh', 0.05, 1.5, 2.0), ('tanh', 0.2, 2.0, 2.5), ('elu', 0.05, 1.3, 1.7), ('sigmoid', 0.0, 90.0, 110.0)]:
    out[f'critical/{name}/{sb2}'] = critical(name, sb2, lo, hi)
for name in ['gelu', 'silu', 'mish', 'elu', 'selu', 'softplus']:
    f, df, br = ACTS[name]
    out[f'm2/{name}'] = E1(lambda x: f(x) ** 2, 1.0, br)
    out[f'd2/{name}'] = E1(lambda x: df(x) ** 2, 1.0, br)
    out[f'm1/{name}'] = E1(f, 1.0, br)
for name, sw2, sb2 in [('tanh', 2.5, 0.05), ('hardtanh', 2.0, 0.05)]:
    f, df, br = ACTS[name]
    q = qstar(name, sw2, sb2)
    cs = bisect(lambda c: (sw2 * E2(f, q, c, br) + sb2) / q - c, 0.05, 0.95, 30)
    key = f'{name}/{sw2}/{sb2}'
    out[f'qstar/{key}'] = q
    out[f'chi1/{key}'] = chi1(name, sw2, q)
    out[f'cstar/{key}'] = cs
    out[f'chic/{key}'] = sw2 * E2(df, q, cs, br)
print(json.dumps(out))
