/**
 * A small but complete StudyResults for the report tests: realistic numbers
 * in every section, plus the awkward cases a real run can produce — NaN and
 * ±Infinity in series, a diverged cell, a null ratio, and strings holding
 * `</script>`, `|` and `<` — and a variant with every array empty.
 */
import { familiesPart } from '../study/families.js';
import type { ActDepthCell, Claim, ClipArm, Curve, ScalarStats, SeedOutcome, SeedStats, SpeedRun, StudyResults } from '../study/types.js';

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

/** A scalar over seeds with its band. */
export function sc(median: number, lo = median, hi = median, n = 5): ScalarStats {
  return { median, min: lo, max: hi, lo, hi, n, nonFinite: 0 };
}

/** Per-layer statistics over seeds: the medians, and a band `spread` wide around them. */
export function ss(median: readonly number[], spread = 0.2, seeds = 100): SeedStats {
  const lo = median.map((x) => x * (1 - spread));
  const hi = median.map((x) => x * (1 + spread));
  return { median, min: lo, max: hi, lo, hi, seeds };
}

/** One seed's training outcome. */
export function outcome(seed: number, acc: number, extra: Partial<SeedOutcome> = {}): SeedOutcome {
  return { seed, firstLoss: 2.3, lastLoss: Number.isFinite(acc) ? 2.3 - 2 * acc : NaN, testAccuracy: acc, nonFinite: null, clipEvents: 0, steps: 300, clippedFraction: 0, maxNormRows: 0, trained: Number.isFinite(acc) && acc >= 0.3125, ...extra };
}

function cell(activation: string, depth: number, init: string, ratio: number | null, verdicts: Record<string, number>, accs: readonly number[], lr = 0.01): ActDepthCell {
  const L = depth + 1;
  const last = 0.05;
  // geometric profile from the first hidden layer to the last, then the output layer
  const initNorms = range(L, (l) => (l === L - 1 ? 0.3 : last * Math.pow(ratio ?? 1, (depth - 1 - l) / Math.max(1, depth - 1))));
  const kind = Object.entries(verdicts).sort((a, b) => b[1] - a[1])[0][0];
  const r = ratio ?? NaN;
  return {
    activation,
    depth,
    init,
    atInit: {
      seeds: 100,
      initNorms: ss(initNorms),
      firstToLast: { ...sc(r, r / 3, r * 3, ratio === null ? 0 : 100), nonFinite: ratio === null ? 100 : 0 },
      verdicts,
      findings: verdicts,
      verdict: { kind, cause: `The first layer's gradient is ${ratio}× the last hidden layer's.`, remedies: ['Use relu instead.'] },
      inputCorrelation: sc(activation === 'sigmoid' && depth > 2 ? 0.99995 : 0.41, 0.3, 0.99999, 100),
    },
    training: {
      selection: [0.002, 0.01, 0.05].map((x) => ({ lr: x, validation: sc(x === lr ? Math.max(...accs.map((a) => (Number.isFinite(a) ? a : 0))) : 0.2, 0.1, 0.9, 2), diverged: x === 0.05 && !accs.every(Number.isFinite) ? 1 : 0 })),
      chosenLr: lr,
      runs: accs.map((a, k) => ({ lr, seed: k + 1, validationAccuracy: a, testAccuracy: a, finalLoss: 0.3, nonFinite: Number.isFinite(a) ? null : 'step 12: the gradient of layer 2 of 11 became non-finite', trained: Number.isFinite(a) && a >= 0.3125 })),
      testAccuracy: sc([...accs].map((a) => (Number.isFinite(a) ? a : 0)).sort((x, y) => x - y)[accs.length >> 1], Math.min(...accs.map((a) => (Number.isFinite(a) ? a : 0))), Math.max(...accs.map((a) => (Number.isFinite(a) ? a : 0))), accs.length),
      trainedSeeds: accs.filter((a) => Number.isFinite(a) && a >= 0.3125).length,
      normsInit: initNorms,
      normsEnd: initNorms.map((x) => x / 3),
    },
  };
}

function arm(label: string, lr: number, extra: Partial<ClipArm>, outcomes: SeedOutcome[]): ClipArm {
  return { label, lr, clipNorm: null, clipValue: null, maxNorm: null, outcomes, loss: range(150, (t) => 2.3 * Math.exp(-t / 60) + 0.25), gradNorm: range(150, (t) => 6 * Math.exp(-t / 80) + 0.4), ...extra };
}

/** The claims of the fixture: one of each outcome, and one with a pipe and a tag in its text. */
function claims(): Claim[] {
  const m = (median: number | null, lo: number | null, hi: number | null, seeds: number) => ({ median, lo, hi, seeds });
  return [
    { id: 'nielsen-ratio-4-hidden', claim: 'In [784,30,30,30,30,10] the ratio is 95.8×.', source: 'Nielsen, ch. 5', published: '95.8 (one random draw)', measured: m(114, 83.6, 142, 500), test: "The book's single draw must lie inside the 5–95 % band of our 500 draws.", agrees: 'yes', section: 'nielsen' },
    { id: 'nielsen-4-hidden-trains', claim: 'The 4-hidden-layer sigmoid net trains to 96.5 %.', source: 'Nielsen, ch. 5 (validation accuracy)', published: '96.5 %', measured: m(0.8, 0.77, 0.86, 5), test: 'partly if it trains on every seed but stays lower.', agrees: 'partly', section: 'nielsen' },
    { id: 'clipping-vs-lower-learning-rate', claim: 'Clipping beats a lower rate.', source: 'Pascanu et al. 2013', published: 'a smaller rate slows every step', measured: m(0.01, -0.02, 0.03, 5), test: 'indistinguishable if the band contains 0.', agrees: 'indistinguishable', section: 'exploding' },
    { id: 'collapsed-does-not-train', claim: 'Collapsed nets do not train | a pipe, a <tag>.', source: 'gradscope', published: 'the ordered phase', measured: m(0.5, 0.5, 0.5, 2), test: 'no if few.', agrees: 'no', section: 'activation-depth' },
  ];
}

/** The full fixture. */
export function makeFixture(): StudyResults {
  const ch = chain();
  const depth = range(30, (i) => i + 1);
  const bandW = range(321, (i) => 4 + i * 0.05);
  const widths = bandW.map(bandWidth);
  const iMax = widths.indexOf(Math.max(...widths));
  const diverged = cell('selu', 10, 'lecun_normal', null, { exploding: 100 }, [NaN, NaN, 0.9, NaN, NaN], 0.05);
  const blown = { step: 38, layer: 3, quantity: 'activation', message: 'step 38: a non-finite pre-activation z appeared in layer 3 of 11 (the weights or inputs have grown too large)' };
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
      seeds: 500,
      networks: [
        { arch: [784, 30, 10], published: null, measured: ss([0.168]), ratioLastFirst: sc(1, 1, 1, 500), publishedRatio: null },
        { arch: [784, 30, 30, 10], published: [0.0657, 0.309], measured: { median: [0.0612, 0.288], min: [0.03, 0.2], max: [0.1, 0.4], lo: [0.0401, 0.251], hi: [0.0844, 0.342], seeds: 500 }, ratioLastFirst: sc(4.71, 4.05, 6.26, 500), publishedRatio: 4.7 },
        { arch: [784, 30, 30, 30, 10], published: [0.0118, 0.06, 0.283], measured: ss([0.0131, 0.0572, 0.271]), ratioLastFirst: sc(20.7, 18.6, 26, 500), publishedRatio: 23.9 },
        { arch: [784, 30, 30, 30, 30, 10], published: [0.00298, 0.0171, 0.0695, 0.285], measured: ss([0.00244, 0.0139, 0.0661, 0.279]), ratioLastFirst: sc(114, 83.6, 142, 500), publishedRatio: 95.8 },
      ],
      training: {
        steps: 500,
        eta: 0.1,
        lambda: 5,
        seeds: [1, 2],
        runs: [
          speedRun([784, 30, 30, 10], [0.0612, 0.288], [0.0031, 0.0112], [39, 53], 500),
          (() => {
            const r = speedRun([784, 30, 30, 30, 30, 10], [0.00244, 0.0139, 0.0661, 0.279], [8.2e-6, 2.6e-5, 1.8e-4, 9.2e-4], [499, 499, 499, 499], 500);
            const n0 = [...r.norms[0]];
            n0[250] = NaN;
            return { ...r, norms: [n0, ...r.norms.slice(1)] };
          })(),
        ],
        summaries: [
          { arch: [784, 30, 30, 10], seed: 1, argmin: [39, 53], firstSlowest: 1, fullOrder: 1 },
          { arch: [784, 30, 30, 10], seed: 2, argmin: [41, 57], firstSlowest: 1, fullOrder: 0.98 },
        ],
      },
      bookRecipe: { arch: [784, 30, 30, 30, 30, 10], steps: 10000, batch: 10, eta: 0.1, trainSize: 8000, testSize: 2000, seeds: [1, 2], perSeed: [{ seed: 1, testAccuracy: 0.81, trained: true }, { seed: 2, testAccuracy: 0.11, trained: false }], testAccuracy: sc(0.46, 0.11, 0.81, 2), chance: 0.1125, margin: 0.2, published: 0.9653 },
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
      optimizer: 'momentum 0.9',
      loss: 'cross_entropy',
      trainSize: 6400,
      validationSize: 1600,
      testSize: 2000,
      seed: 1,
      lrs: [0.002, 0.01, 0.05],
      selectionSeeds: [1, 2],
      seeds: [1, 2, 3, 4, 5],
      probeExamples: 500,
      initSeeds: 100,
      chance: 0.1125,
      margin: 0.2,
      inits: { sigmoid: 'xavier_uniform', tanh: 'xavier_uniform', relu: 'he_normal', selu: 'lecun_normal' },
      initDerived: { sigmoid: true, tanh: true, relu: true, selu: true },
      cells: [
        cell('sigmoid', 2, 'xavier_uniform', 0.271, { healthy: 100 }, [0.88, 0.87, 0.89, 0.88, 0.884]),
        cell('tanh', 2, 'xavier_uniform', 0.83, { healthy: 100 }, [0.91, 0.912, 0.9, 0.915, 0.91]),
        cell('relu', 2, 'he_normal', 1.07, { healthy: 100 }, [0.921, 0.92, 0.925, 0.918, 0.922]),
        cell('selu', 2, 'lecun_normal', 0.96, { healthy: 100 }, [0.918, 0.917, 0.92, 0.916, 0.919]),
        cell('sigmoid', 10, 'xavier_uniform', 6.12e-5, { vanishing: 100 }, [0.1135, 0.1125, 0.1125, 0.1125, 0.1125]),
        cell('tanh', 10, 'xavier_uniform', 0.0871, { healthy: 52, vanishing: 48 }, [0.874, 0.88, 0.86, 0.87, 0.875]),
        cell('relu', 10, 'he_normal', 1.31, { healthy: 100 }, [0.9105, 0.9, 0.905, 0.91, 0.908]),
        diverged,
      ],
      versusBest: [
        { depth: 10, a: 'tanh', b: 'relu', paired: { n: 5, left: 0, wins: 0, losses: 5, ties: 0, median: -0.035, lo: -0.05, hi: -0.02, separated: true, p: 0.0625 } },
        { depth: 10, a: 'sigmoid', b: 'relu', paired: { n: 5, left: 0, wins: 0, losses: 5, ties: 0, median: -0.79, lo: -0.8, hi: -0.78, separated: true, p: 0.0625 } },
        { depth: 10, a: 'selu', b: 'relu', paired: { n: 5, left: 0, wins: 1, losses: 4, ties: 0, median: -0.9, lo: -0.91, hi: 0.01, separated: false, p: 0.375 } },
      ],
      gain: { depth: 10, seeds: 100, gains: [2, 2.5], runs: [
        { activation: 'gelu', gain: 2, firstToLast: sc(0.011, 0.004, 0.03, 100), vanishing: 48, exploding: 0, inputCorrelation: sc(0.2, 0.1, 0.3, 100) },
        { activation: 'gelu', gain: 2.5, firstToLast: sc(4.6, 2, 9, 100), vanishing: 0, exploding: 0, inputCorrelation: sc(0.2, 0.1, 0.3, 100) },
      ] },
    },
    exploding: {
      chain: { w: 100, factor: 25, depths: range(10, (i) => i + 1), product: range(10, (i) => 0.25 * Math.pow(25, i)) },
      variance: [
        { activation: 'tanh', sigma: 0.1, depth: 10, seeds: 100, firstToLast: sc(2.3e-7, 1e-7, 5e-7, 100), verdicts: { vanishing: 100 }, verdict: { kind: 'vanishing', cause: 'Tiny weights shrink it.', remedies: [] } },
        { activation: 'tanh', sigma: 1, depth: 10, seeds: 100, firstToLast: sc(0.62, 0.3, 1.2, 100), verdicts: { healthy: 90, saturated: 10 }, verdict: { kind: 'healthy', cause: 'Fine.', remedies: [] } },
        { activation: 'relu', sigma: 1, depth: 10, seeds: 100, firstToLast: sc(3.4e4, 1e4, 1e5, 100), verdicts: { exploding: 100 }, verdict: { kind: 'exploding', cause: 'Factors above 1 multiply up.', remedies: [] } },
        { activation: 'relu', sigma: 4, depth: 10, seeds: 100, firstToLast: { ...sc(NaN, NaN, NaN, 0), nonFinite: 100 }, verdicts: { exploding: 100 }, verdict: { kind: 'exploding', cause: 'A non-finite value appeared.', remedies: [] } },
      ],
      clipping: {
        description: 'relu, [784, 32×12, 10], weights N(0, 6/n_in), biases 0, cross-entropy, plain SGD, batch 32, 150 steps, seeds 1, 2',
        gain: 6,
        depth: 12,
        width: 32,
        steps: 150,
        seeds: [1, 2],
        atInit: { seeds: 100, firstToLast: sc(214, 60, 900, 100), verdicts: { exploding: 80, healthy: 20 } },
        chance: 0.1125,
        margin: 0.2,
        arms: [
          arm('no remedy, η = 0.01', 0.01, { loss: [...range(38, (t) => 2.3 * Math.exp(t / 6)), Infinity, NaN], gradNorm: [...range(39, (t) => 3 * Math.exp(t / 4)), Infinity] }, [outcome(1, NaN, { nonFinite: blown, steps: 39 }), outcome(2, NaN, { nonFinite: { ...blown, step: 4 }, steps: 5 })]),
          arm('clip by global norm at c = 20, η = 0.01', 0.01, { clipNorm: 20 }, [outcome(1, 0.61, { clipEvents: 48, clippedFraction: 0.32 }), outcome(2, 0.65, { clipEvents: 30, clippedFraction: 0.2 })]),
          arm('η lowered 10× to 0.001, no clipping', 0.001, {}, [outcome(1, 0.41), outcome(2, 0.27)]),
        ],
      },
    },
    conclusions: {
      rows: [
        { where: 'hidden layers (default)', use: 'relu', avoid: 'sigmoid', evidence: 'At 10 hidden layers the ratio is 1.31 for relu vs 6.12e-5 for sigmoid; accuracy 91.1 % vs 11.4 %.' },
        { where: 'hidden layers, if a squashing function is needed', use: 'tanh', avoid: 'sigmoid', evidence: "tanh' peaks at 1, σ' at 0.25 | a pipe, a <tag> and </script> must survive." },
        { where: 'binary output layer', use: 'sigmoid with binary cross-entropy', avoid: 'sigmoid with the quadratic cost', evidence: 'δᴸ = −0.993 vs −0.00659 — 151× slower learning.' },
        { where: 'training that blows up', use: 'gradient clipping by global norm (c = 20)', avoid: '', evidence: 'Without a remedy: 2/2 seeds overflow. Clipped: trained on 2/2.' },
      ],
      recommendations: [
        { id: 'relu-default', recommendation: 'ReLU is the default for hidden layers.', status: 'qualified', evidence: 'relu beats sigmoid at 10 hidden layers; selu is indistinguishable.' },
        { id: 'tanh-over-sigmoid', recommendation: 'tanh is much better than sigmoid in hidden layers.', status: 'supported', evidence: 'tanh beats sigmoid on every seed.' },
        { id: 'sigmoid-binary-output-only', recommendation: 'Sigmoid belongs only in a binary output layer.', status: 'not supported', evidence: 'closed form.' },
      ],
    },
    families: familiesPart(),
    claims: claims(),
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
    nielsen: { ...f.nielsen, seeds: 0, networks: [], training: { ...f.nielsen.training, runs: [], summaries: [] }, bookRecipe: { ...f.nielsen.bookRecipe, perSeed: [] }, publishedAccuracy: [] },
    activationDepth: { ...f.activationDepth, activations: [], depths: [], inits: {}, cells: [], versusBest: [], gain: { ...f.activationDepth.gain, runs: [] } },
    exploding: {
      chain: { w: 100, factor: 25, depths: [], product: [] },
      variance: [],
      clipping: { ...f.exploding.clipping, arms: [] },
    },
    conclusions: { rows: [], recommendations: [] },
    claims: [],
    families: { maps: [], crossLinks: [] },
  };
}
