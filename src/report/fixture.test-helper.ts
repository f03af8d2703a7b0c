/**
 * A small but complete StudyResults for the report tests: realistic numbers
 * in every section, plus the awkward cases a real run can produce — NaN and
 * ±Infinity in series, a diverged cell, a null ratio, and strings holding
 * `</script>`, `|` and `<` — and a variant with every array empty.
 */
import { familiesPart } from '../experiments/study/families.js';
import type { ActDepthRun, Curve, SpeedRun, StudyResults } from '../experiments/study/types.js';

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const dsig = (x: number) => sig(x) * (1 - sig(x));
const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

function curve(name: string, f: (x: number) => number, df: (x: number) => number): Curve {
  const x = range(121, (i) => -6 + i * 0.1);
  return { name, x, f: x.map(f), df: x.map(df) };
}

/** The fixed chain of the fixture: w, b, and the resulting links. */
function chain() {
  const w = [0.5, -1.2, 0.8, 1.5, -0.3];
  const b = [0.1, 0.4, -0.7, 0.2, 1.1];
  let a = 0.5;
  let prod = 1;
  const links = w.map((wj, j) => {
    const z = wj * a + b[j];
    a = sig(z);
    const derivative = dsig(z);
    const factor = j === 0 ? derivative : wj * derivative;
    prod *= factor;
    return { layer: j + 1, w: wj, z, derivative, factor, runningProduct: prod };
  });
  const dCdaL = a - 1;
  return { links, dCdb1: prod * dCdaL };
}

function bandWidth(w: number): number {
  if (w < 4) return 0;
  const sp = (1 + Math.sqrt(1 - 4 / w)) / 2;
  return (2 * Math.log(sp / (1 - sp))) / w;
}

function speedRun(arch: number[], start: number[], floor: number[], at: number[], steps: number): SpeedRun {
  // a fall to a minimum at step at[l], then a slow rebound (or none when at[l] is the last step)
  const norms = start.map((s0, l) => range(steps, (t) => (t <= at[l] ? s0 * Math.pow(floor[l] / s0, t / at[l]) : floor[l] * (1 + 0.004 * (t - at[l])))));
  const loss = range(steps, (t) => 3.4 * Math.exp(-t / 120) + 0.6);
  return { arch, seed: 1, norms, loss, argmin: at };
}

function actRun(activation: string, depth: number, init: string, ratio: number | null, kind: string, acc: number): ActDepthRun {
  const L = depth + 1;
  const last = 0.05;
  // geometric profile from the first hidden layer to the last, then the output layer
  const initNorms = range(L, (l) => (l === L - 1 ? 0.3 : last * Math.pow(ratio ?? 1, (depth - 1 - l) / Math.max(1, depth - 1))));
  const steps = range(30, (k) => k * 10);
  const norms = initNorms.map((n0) => steps.map((s) => n0 * Math.exp(-s / 400)));
  return {
    activation,
    depth,
    init,
    initNorms,
    firstToLast: ratio,
    verdict: { kind, cause: `The first layer's gradient is ${ratio}× the last hidden layer's.`, remedies: ['Use relu instead.'] },
    during: { steps, norms },
    finalLoss: 0.31,
    testAccuracy: acc,
    nonFinite: null,
    seconds: 2.5,
  };
}

/** The full fixture. */
export function makeFixture(): StudyResults {
  const ch = chain();
  const depth = range(30, (i) => i + 1);
  const bandW = range(321, (i) => 4 + i * 0.05);
  const widths = bandW.map(bandWidth);
  const iMax = widths.indexOf(Math.max(...widths));
  const diverged: ActDepthRun = {
    ...actRun('selu', 10, 'lecun_normal', null, 'exploding', NaN),
    initNorms: [0.9, 3.2, Infinity, 0.4, 0.3, 0.2, 0.2, 0.1, 0.1, 0.1, 0.2],
    finalLoss: NaN,
    nonFinite: { step: 12, layer: 2, quantity: 'gradient', message: 'step 12: the gradient of layer 2 of 11 became non-finite (exploding gradient)' },
  };
  return {
    format: 'gradscope-study/1',
    version: '0.1.0',
    createdAt: '2025-06-01T12:34:56.789Z',
    quick: true,
    seed: 1,
    machine: { node: 'v20.20.2', platform: 'linux-x64', cpus: 2 },
    seconds: { bound: 0.42, nielsen: 18.7, activationDepth: 31.2, exploding: 6.05, conclusions: 0.001 },
    bound: {
      sigmoidDerivativeMax: { x: 0, value: 0.25 },
      curves: [curve('sigmoid', sig, dsig), curve('tanh', Math.tanh, (x) => 1 - Math.tanh(x) ** 2), curve('relu', (x) => Math.max(0, x), (x) => (x > 0 ? 1 : 0))],
      chainExample: { depth: 5, seed: 1, links: ch.links, dCdb1Chain: ch.dCdb1, dCdb1Backprop: ch.dCdb1 * (1 + 3e-16) },
      productVsDepth: {
        draws: 2000,
        depth,
        median: depth.map((d) => 0.21 * Math.pow(0.11, d - 1)),
        q10: depth.map((d) => 0.12 * Math.pow(0.035, d - 1)),
        q90: depth.map((d) => 0.245 * Math.pow(0.27, d - 1)),
        quarterPower: depth.map((d) => Math.pow(0.25, d)),
      },
      band: { w: bandW, width: widths, maxWidth: widths[iMax], argmaxW: bandW[iMax], minW: 4 },
    },
    nielsen: {
      samples: 1000,
      seeds: [1, 2, 3],
      networks: [
        { arch: [784, 30, 10], published: null, measured: { median: [0.168], min: [0.121], max: [0.2] }, perSeed: [[0.168], [0.121], [0.2]], ratioLastFirst: { median: 1, min: 1, max: 1 }, publishedRatio: null },
        { arch: [784, 30, 30, 10], published: [0.0657, 0.309], measured: { median: [0.0612, 0.288], min: [0.0401, 0.251], max: [0.0844, 0.342] }, perSeed: [[0.0612, 0.288], [0.0401, 0.251], [0.0844, 0.342]], ratioLastFirst: { median: 4.71, min: 4.05, max: 6.26 }, publishedRatio: 4.7 },
        { arch: [784, 30, 30, 30, 10], published: [0.0118, 0.06, 0.283], measured: { median: [0.0131, 0.0572, 0.271], min: [0.0088, 0.045, 0.229], max: [0.0171, 0.0716, 0.318] }, perSeed: [[0.0131, 0.0572, 0.271], [0.0088, 0.045, 0.229], [0.0171, 0.0716, 0.318]], ratioLastFirst: { median: 20.7, min: 18.6, max: 26 }, publishedRatio: 23.9 },
        { arch: [784, 30, 30, 30, 30, 10], published: [0.00298, 0.0171, 0.0695, 0.285], measured: { median: [0.00244, 0.0139, 0.0661, 0.279], min: [0.00172, 0.0118, 0.0524, 0.244], max: [0.0036, 0.0188, 0.0781, 0.301] }, perSeed: [[0.00244, 0.0139, 0.0661, 0.279]], ratioLastFirst: { median: 114, min: 83.6, max: 142 }, publishedRatio: 95.8 },
      ],
      training: {
        steps: 500,
        eta: 0.1,
        lambda: 5,
        runs: [
          speedRun([784, 30, 30, 10], [0.0612, 0.288], [0.0031, 0.0112], [39, 53], 500),
          (() => {
            const r = speedRun([784, 30, 30, 30, 30, 10], [0.00244, 0.0139, 0.0661, 0.279], [8.2e-6, 2.6e-5, 1.8e-4, 9.2e-4], [499, 499, 499, 499], 500);
            const n0 = [...r.norms[0]];
            n0[250] = NaN;
            return { ...r, norms: [n0, ...r.norms.slice(1)] };
          })(),
        ],
      },
      publishedAccuracy: [
        { arch: [784, 30, 10], accuracy: 0.9648 },
        { arch: [784, 30, 30, 10], accuracy: 0.969 },
        { arch: [784, 30, 30, 30, 10], accuracy: 0.9657 },
        { arch: [784, 30, 30, 30, 30, 10], accuracy: 0.9653 },
      ],
    },
    activationDepth: {
      activations: ['sigmoid', 'tanh', 'relu', 'selu'],
      depths: [2, 10],
      width: 32,
      steps: 300,
      batch: 32,
      lr: 0.01,
      optimizer: 'momentum 0.9',
      loss: 'cross_entropy',
      trainSize: 8000,
      testSize: 2000,
      seed: 1,
      inits: { sigmoid: 'xavier_uniform', tanh: 'xavier_uniform', relu: 'he_normal', selu: 'lecun_normal' },
      runs: [
        actRun('sigmoid', 2, 'xavier_uniform', 0.271, 'healthy', 0.884),
        actRun('tanh', 2, 'xavier_uniform', 0.83, 'healthy', 0.912),
        actRun('relu', 2, 'he_normal', 1.07, 'healthy', 0.921),
        actRun('selu', 2, 'lecun_normal', 0.96, 'healthy', 0.918),
        actRun('sigmoid', 10, 'xavier_uniform', 6.12e-5, 'vanishing', 0.1135),
        actRun('tanh', 10, 'xavier_uniform', 0.0871, 'healthy', 0.874),
        actRun('relu', 10, 'he_normal', 1.31, 'healthy', 0.9105),
        diverged,
      ],
    },
    exploding: {
      chain: { w: 100, factor: 25, depths: range(10, (i) => i + 1), product: range(10, (i) => 0.25 * Math.pow(25, i)) },
      variance: [
        { activation: 'tanh', sigma: 0.1, depth: 10, initNorms: range(11, () => 0.01), firstToLast: 2.3e-7, verdict: { kind: 'vanishing', cause: 'Tiny weights shrink it.', remedies: [] } },
        { activation: 'tanh', sigma: 1, depth: 10, initNorms: range(11, () => 0.1), firstToLast: 0.62, verdict: { kind: 'healthy', cause: 'Fine.', remedies: [] } },
        { activation: 'relu', sigma: 1, depth: 10, initNorms: range(11, () => 1), firstToLast: 3.4e4, verdict: { kind: 'exploding', cause: 'Factors above 1 multiply up.', remedies: [] } },
        { activation: 'relu', sigma: 4, depth: 10, initNorms: [Infinity, ...range(10, () => 1e30)], firstToLast: null, verdict: { kind: 'exploding', cause: 'A non-finite value appeared.', remedies: [] } },
      ],
      clipping: {
        description: 'relu, [784, 32×10, 10], he_normal, cross-entropy, plain SGD with η = 0.5, batch 32, 150 steps; the same seed with and without clipping by global norm at 1',
        clipNorm: 1,
        without: { loss: [...range(38, (t) => 2.3 * Math.exp(t / 6)), Infinity, NaN], gradNorm: [...range(39, (t) => 3 * Math.exp(t / 4)), Infinity], nonFinite: { step: 38, layer: 3, quantity: 'activation', message: 'step 38: a non-finite pre-activation z appeared in layer 3 of 11 (the weights or inputs have grown too large)' } },
        with: { loss: range(150, (t) => 2.3 * Math.exp(-t / 60) + 0.25), gradNorm: range(150, (t) => 6 * Math.exp(-t / 80) + 0.4), nonFinite: null, clipEvents: 112 },
      },
    },
    conclusions: {
      rows: [
        { where: 'hidden layers (default)', use: 'relu', avoid: 'sigmoid', evidence: 'At 10 hidden layers the ratio is 1.31 for relu vs 6.12e-5 for sigmoid; accuracy 91.1 % vs 11.4 %.' },
        { where: 'hidden layers, if a squashing function is needed', use: 'tanh', avoid: 'sigmoid', evidence: "tanh' peaks at 1, σ' at 0.25 | a pipe, a <tag> and </script> must survive." },
        { where: 'binary output layer', use: 'sigmoid with binary cross-entropy', avoid: 'sigmoid with the quadratic cost', evidence: 'δᴸ = −0.993 vs −0.00659 — 151× slower learning.' },
        { where: 'training that blows up', use: 'gradient clipping by global norm (c = 1)', avoid: '', evidence: 'Without clipping: step 38 non-finite. With clipping: finite for all 150 steps.' },
      ],
    },
    families: familiesPart(),
  };
}

/** The fixture with every array emptied (a run that measured nothing). */
export function makeEmptyFixture(): StudyResults {
  const f = makeFixture();
  return {
    ...f,
    seconds: {},
    bound: {
      ...f.bound,
      sigmoidDerivativeMax: { x: NaN, value: NaN },
      curves: [],
      chainExample: { ...f.bound.chainExample, links: [] },
      productVsDepth: { draws: 0, depth: [], median: [], q10: [], q90: [], quarterPower: [] },
      band: { w: [], width: [], maxWidth: NaN, argmaxW: NaN, minW: 4 },
    },
    nielsen: { ...f.nielsen, seeds: [], networks: [], training: { ...f.nielsen.training, runs: [] }, publishedAccuracy: [] },
    activationDepth: { ...f.activationDepth, activations: [], depths: [], inits: {}, runs: [] },
    exploding: {
      chain: { w: 100, factor: 25, depths: [], product: [] },
      variance: [],
      clipping: { ...f.exploding.clipping, without: { loss: [], gradNorm: [], nonFinite: null }, with: { loss: [], gradNorm: [], nonFinite: null, clipEvents: 0 } },
    },
    conclusions: { rows: [] },
    families: { maps: [], crossLinks: [] },
  };
}
