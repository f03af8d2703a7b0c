/**
 * Weight initialisers (the names `--init` and config files accept): a
 * catalogue from name to rule, each stating what it does to weights and to
 * biases (`biasRule`) and the mean-field
 * variances it draws (σ_w² = n_in·Var(W), σ_b² = Var(b)). `uniform:A`,
 * `normal:S`, `meanfield:SW2[:SB2]` and `critical[:SB2]` carry their scale in
 * the name; `critical` also reads the activation next to the layer
 * (`InitContext`). A network may override every scheme's bias rule with
 * zeros (`BiasInit` 'zeros'), as Glorot & Bengio do.
 */
import { ValueError } from '../errors.js';
import type { Buf } from '../tensor/dtype.js';
import type { Rng } from '../tensor/rng.js';
import { criticalChoice, type CriticalChoice } from '../theory/critical.js';

/** An activation by name with optional parameters, as a layer's neighbour. */
export interface InitActivation {
  readonly name: string;
  readonly params?: Readonly<Record<string, number>>;
}

/** Where a weight layer sits, for schemes that adapt to it (`critical`). */
export interface InitContext {
  /** Weight layer, 1 = input side. */
  readonly layer?: number;
  /** The activation whose output this layer's weights multiply (none for the input layer). */
  readonly before?: InitActivation;
  /** The activation applied to this layer's output. */
  readonly after?: InitActivation;
  /** True when the network sets every bias to zero (BiasInit 'zeros'). */
  readonly zeroBias?: boolean;
}

/** Mean-field variances of a layer: W ~ (0, σ_w²/n_in), b ~ (0, σ_b²). */
export interface InitVariances {
  readonly sigmaW2: number;
  readonly sigmaB2: number;
}

/** One initialisation scheme. */
export interface InitDef {
  readonly name: string;
  /** What it draws, for weights and for biases. */
  readonly doc: string;
  /** The paper or source. */
  readonly source: string;
  /** What it does to biases, in a few words ('zeros', 'N(0, 1)', 'U(±1/√n_in)'). */
  readonly biasRule?: string;
  /** Fills W(O,I) given fan-in I and fan-out O. */
  weights(W: Buf, fanIn: number, fanOut: number, rng: Rng, ctx?: InitContext): void;
  /** Fills b(O). */
  biases(b: Buf, fanIn: number, fanOut: number, rng: Rng, ctx?: InitContext): void;
  /** σ_w² = n_in·Var(W) and σ_b² = Var(b) of what it draws, for the theory beside a network. */
  variances(fanIn: number, fanOut: number, ctx?: InitContext): InitVariances;
  /** What it chose for this layer and why, for schemes that adapt to the layer (null otherwise). */
  explain?(fanIn: number, fanOut: number, ctx?: InitContext): string;
}

function fillNormal(x: Buf, std: number, rng: Rng): void {
  for (let i = 0; i < x.length; i++) x[i] = std * rng.normal();
}

function fillUniform(x: Buf, a: number, rng: Rng): void {
  for (let i = 0; i < x.length; i++) x[i] = rng.uniformIn(-a, a);
}

function zeros(b: Buf): void {
  b.fill(0);
}

/**
 * Orthogonal matrix (Saxe et al. 2014): QR of a Gaussian matrix by modified
 * Gram–Schmidt on the longer side's rows, sign-fixed so the result is
 * uniformly distributed; rows orthonormal when O ≤ I, columns otherwise.
 */
function fillOrthogonal(W: Buf, O: number, I: number, rng: Rng): void {
  const tall = O > I; // orthonormalise columns of W, i.e. rows of Wᵀ
  const R = tall ? I : O; // vectors to orthonormalise
  const L = tall ? O : I; // their length
  const v = new Float64Array(R * L);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  for (let r = 0; r < R; r++) {
    for (let q = 0; q < r; q++) {
      let dot = 0;
      for (let k = 0; k < L; k++) dot += v[r * L + k] * v[q * L + k];
      for (let k = 0; k < L; k++) v[r * L + k] -= dot * v[q * L + k];
    }
    let nrm = 0;
    for (let k = 0; k < L; k++) nrm += v[r * L + k] ** 2;
    nrm = Math.sqrt(nrm);
    for (let k = 0; k < L; k++) v[r * L + k] /= nrm;
  }
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++) W[o * I + i] = tall ? v[i * L + o] : v[o * L + i];
}

const builtins: InitDef[] = [
  {
    name: 'normal',
    biasRule: 'N(0, 1)',
    doc: 'weights and biases N(0, 1) — the classic default that makes deep sigmoid nets saturate',
    source: 'Nielsen, Neural Networks and Deep Learning, ch. 1 (large_weight_initializer)',
    weights: (W, _i, _o, rng) => fillNormal(W, 1, rng),
    biases: (b, _i, _o, rng) => fillNormal(b, 1, rng),
    variances: (fanIn) => ({ sigmaW2: fanIn, sigmaB2: 1 }),
  },
  {
    name: 'nielsen',
    biasRule: 'N(0, 1)',
    doc: 'weights N(0, 1/n_in), biases N(0, 1)',
    source: 'Nielsen, Neural Networks and Deep Learning, ch. 3 (default_weight_initializer)',
    weights: (W, fanIn, _o, rng) => fillNormal(W, 1 / Math.sqrt(fanIn), rng),
    biases: (b, _i, _o, rng) => fillNormal(b, 1, rng),
    variances: () => ({ sigmaW2: 1, sigmaB2: 1 }),
  },
  {
    name: 'torch_default',
    biasRule: 'U(±1/√n_in)',
    doc: "weights and biases U(−1/√n_in, 1/√n_in) — PyTorch's nn.Linear default, Glorot & Bengio's \"standard\" scheme (n·Var = 1/3)",
    source: 'Glorot & Bengio 2010; PyTorch nn.Linear.reset_parameters',
    weights: (W, fanIn, _o, rng) => fillUniform(W, 1 / Math.sqrt(fanIn), rng),
    biases: (b, fanIn, _o, rng) => fillUniform(b, 1 / Math.sqrt(fanIn), rng),
    variances: (fanIn) => ({ sigmaW2: 1 / 3, sigmaB2: 1 / (3 * fanIn) }),
  },
  {
    name: 'xavier_uniform',
    biasRule: 'zeros',
    doc: 'weights U(±√(6/(n_in + n_out))), Var = 2/(n_in + n_out); biases 0',
    source: 'Glorot & Bengio 2010 ("normalised initialisation")',
    weights: (W, fanIn, fanOut, rng) => fillUniform(W, Math.sqrt(6 / (fanIn + fanOut)), rng),
    biases: zeros,
    variances: (fanIn, fanOut) => ({ sigmaW2: (2 * fanIn) / (fanIn + fanOut), sigmaB2: 0 }),
  },
  {
    name: 'xavier_normal',
    biasRule: 'zeros',
    doc: 'weights N(0, 2/(n_in + n_out)); biases 0',
    source: 'Glorot & Bengio 2010',
    weights: (W, fanIn, fanOut, rng) => fillNormal(W, Math.sqrt(2 / (fanIn + fanOut)), rng),
    biases: zeros,
    variances: (fanIn, fanOut) => ({ sigmaW2: (2 * fanIn) / (fanIn + fanOut), sigmaB2: 0 }),
  },
  {
    name: 'he_uniform',
    biasRule: 'zeros',
    doc: 'weights U(±√(6/n_in)), Var = 2/n_in; biases 0',
    source: 'He, Zhang, Ren, Sun 2015',
    weights: (W, fanIn, _o, rng) => fillUniform(W, Math.sqrt(6 / fanIn), rng),
    biases: zeros,
    variances: () => ({ sigmaW2: 2, sigmaB2: 0 }),
  },
  {
    name: 'he_normal',
    biasRule: 'zeros',
    doc: 'weights N(0, 2/n_in); biases 0',
    source: 'He, Zhang, Ren, Sun 2015',
    weights: (W, fanIn, _o, rng) => fillNormal(W, Math.sqrt(2 / fanIn), rng),
    biases: zeros,
    variances: () => ({ sigmaW2: 2, sigmaB2: 0 }),
  },
  {
    name: 'lecun_normal',
    biasRule: 'zeros',
    doc: 'weights N(0, 1/n_in); biases 0 (the SELU initialisation)',
    source: 'LeCun et al. 1998; Klambauer et al. 2017',
    weights: (W, fanIn, _o, rng) => fillNormal(W, 1 / Math.sqrt(fanIn), rng),
    biases: zeros,
    variances: () => ({ sigmaW2: 1, sigmaB2: 0 }),
  },
  {
    name: 'lecun_uniform',
    biasRule: 'zeros',
    doc: 'weights U(±√(3/n_in)), Var = 1/n_in; biases 0',
    source: 'LeCun et al. 1998',
    weights: (W, fanIn, _o, rng) => fillUniform(W, Math.sqrt(3 / fanIn), rng),
    biases: zeros,
    variances: () => ({ sigmaW2: 1, sigmaB2: 0 }),
  },
  {
    name: 'orthogonal',
    biasRule: 'zeros',
    doc: 'weights a random (semi-)orthogonal matrix, gain 1; biases 0',
    source: 'Saxe, McClelland, Ganguli 2014',
    weights: (W, fanIn, fanOut, rng) => fillOrthogonal(W, fanOut, fanIn, rng),
    biases: zeros,
    // orthonormal rows (O ≤ I): each entry has variance 1/I; orthonormal columns: 1/O
    variances: (fanIn, fanOut) => ({ sigmaW2: fanOut <= fanIn ? 1 : fanIn / fanOut, sigmaB2: 0 }),
  },
];

/** The activation a `critical` layer is set for: the one its weights feed from, or for the input layer the one after it. */
function criticalFor(name: string, sigmaB2: number, ctx: InitContext | undefined): CriticalChoice {
  const act = ctx?.before ?? ctx?.after;
  if (!act) {
    throw new ValueError(name, `init '${name}': needs to know the activation next to the layer, which feed-forward networks (probe, train, sweeps, the web lab) provide; recurrent cells do not — use xavier_uniform or orthogonal there`, true);
  }
  try {
    return criticalChoice(act.name, act.params ?? {}, ctx?.zeroBias ? 0 : sigmaB2);
  } catch (e) {
    throw new ValueError(name, `init '${name}'${ctx?.layer ? `, layer ${ctx.layer}` : ''}: ${(e as Error).message.replace(/^theory: /, '')}`, true);
  }
}

/**
 * `critical[:SB2]`: weights N(0, σ_w²/n_in) with the σ_w² of `criticalChoice`
 * for the layer's activation (edge of chaos for bounded activations, unit
 * variance preserved otherwise), biases N(0, SB2) (default 0).
 */
function criticalInit(name: string, sigmaB2: number): InitDef {
  return {
    name,
    biasRule: sigmaB2 === 0 ? 'zeros' : `N(0, ${sigmaB2})`,
    doc: `weights N(0, σ_w²/n_in) with σ_w² set per layer from mean-field theory for the activation it feeds (bounded ones: χ₁ = 1 at the fixed point q*; the ReLU family and other unbounded ones: a unit variance preserved); biases ${sigmaB2 === 0 ? '0' : `N(0, ${sigmaB2})`}`,
    source: 'Poole et al. 2016; Schoenholz et al. 2017 (edge of chaos); He et al. 2015 (variance preserving)',
    weights: (W, fanIn, _o, rng, ctx) => fillNormal(W, Math.sqrt(criticalFor(name, sigmaB2, ctx).sigmaW2 / fanIn), rng),
    biases: (b, _i, _o, rng, ctx) => (ctx?.zeroBias || sigmaB2 === 0 ? zeros(b) : fillNormal(b, Math.sqrt(sigmaB2), rng)),
    variances: (_i, _o, ctx) => {
      const c = criticalFor(name, sigmaB2, ctx);
      return { sigmaW2: c.sigmaW2, sigmaB2: c.sigmaB2 };
    },
    explain: (_i, _o, ctx) => {
      const c = criticalFor(name, sigmaB2, ctx);
      const params = Object.entries(c.params).map(([k, v]) => `${k}=${v}`).join(', ');
      const act = params ? `${c.act} (${params})` : c.act;
      const sw = `σ_w² = ${fmt(c.sigmaW2)}, σ_b² = ${fmt(c.sigmaB2)}`;
      return c.rule === 'edge-of-chaos'
        ? `${act}: edge of chaos — ${sw} makes χ₁ = ${fmt(c.chi1)} at the fixed point q* = ${fmt(c.q)}`
        : `${act}: variance-preserving — ${sw} keeps a unit pre-activation variance (σ_w²·E[φ(z)²] + σ_b² = 1); χ₁ = ${fmt(c.chi1)} there`;
    },
  };
}

function fmt(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

/** The fixed-name initialisers, by name (`critical` with σ_b² = 0 among them). */
export const INITIALISERS: ReadonlyMap<string, InitDef> = new Map([...builtins, criticalInit('critical', 0)].map((d) => [d.name, d]));

/** Prefixes of the initialiser names that carry numbers (`normal:S`, `critical:SB2`, …): a name with one is resolved by `getInit`, which names a bad number. */
export const INIT_PREFIXES: readonly string[] = ['uniform:', 'normal:', 'meanfield:', 'critical:'];

/** Names accepted by `getInit`, for help texts and suggestions. */
export const INIT_NAMES: readonly string[] = [...INITIALISERS.keys(), 'critical:SB2', 'meanfield:SW2[:SB2]', 'uniform:A', 'normal:S'];

/** A number ≥ 0 (or > 0) from an initialiser name's parameter, or a ValueError naming it. */
function scaleOf(name: string, what: string, raw: string, positive: boolean): number {
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!(Number.isFinite(v) && (positive ? v > 0 : v >= 0))) throw new ValueError(name, `${what} must be a ${positive ? 'positive number' : 'number ≥ 0'}`);
  return v;
}

/**
 * Resolves an initialiser name, including `uniform:A` (U(−A, A)) and
 * `normal:S` (N(0, S²)), both for weights and biases; `meanfield:SW2[:SB2]`
 * (weights N(0, SW2/n_in), biases N(0, SB2)); and `critical:SB2`.
 */
export function getInit(name: string): InitDef {
  const fixed = INITIALISERS.get(name);
  if (fixed) return fixed;
  const crit = /^critical:(.*)$/.exec(name);
  if (crit) return criticalInit(name, scaleOf(name, "the bias variance after 'critical:'", crit[1], false));
  const mf = /^meanfield:([^:]*)(?::([^:]*))?$/.exec(name);
  if (mf) {
    const sw2 = scaleOf(name, "the weight variance σ_w² after 'meanfield:'", mf[1], true);
    const sb2 = mf[2] === undefined ? 0 : scaleOf(name, 'the bias variance σ_b² (the second number)', mf[2], false);
    return {
      name,
      doc: `weights N(0, ${sw2}/n_in), biases ${sb2 === 0 ? '0' : `N(0, ${sb2})`} — the (σ_w², σ_b²) of mean-field theory`,
      biasRule: sb2 === 0 ? 'zeros' : `N(0, ${sb2})`,
      source: 'Poole et al. 2016; Schoenholz et al. 2017',
      weights: (W, fanIn, _o, rng) => fillNormal(W, Math.sqrt(sw2 / fanIn), rng),
      biases: (b, _i, _o, rng) => (sb2 === 0 ? zeros(b) : fillNormal(b, Math.sqrt(sb2), rng)),
      variances: () => ({ sigmaW2: sw2, sigmaB2: sb2 }),
    };
  }
  const m = /^(uniform|normal):(.+)$/.exec(name);
  if (m) {
    const v = Number(m[2]);
    if (!(Number.isFinite(v) && v > 0)) throw new ValueError(name, `the scale after '${m[1]}:' must be a positive number`);
    if (m[1] === 'uniform') {
      return {
        name,
        doc: `weights and biases U(−${v}, ${v})`,
        biasRule: `U(±${v})`,
        source: 'fixed-scale uniform',
        weights: (W, _i, _o, rng) => fillUniform(W, v, rng),
        biases: (b, _i, _o, rng) => fillUniform(b, v, rng),
        variances: (fanIn) => ({ sigmaW2: (fanIn * v * v) / 3, sigmaB2: (v * v) / 3 }),
      };
    }
    return {
      name,
      doc: `weights and biases N(0, ${v}²)`,
      source: 'fixed-scale normal',
      weights: (W, _i, _o, rng) => fillNormal(W, v, rng),
      biases: (b, _i, _o, rng) => fillNormal(b, v, rng),
      variances: (fanIn) => ({ sigmaW2: fanIn * v * v, sigmaB2: v * v }),
    };
  }
  throw new ValueError(name, `unknown initialiser '${name}'; expected one of ${INIT_NAMES.join(', ')}`, true);
}

/** How biases are initialised: by the scheme's own rule (`biasRule`), or all zeros. */
export type BiasInit = 'scheme' | 'zeros';

/** Every bias mode. */
export const BIAS_INITS: readonly BiasInit[] = ['scheme', 'zeros'];

/**
 * Fills W(O,I) and b(O) by `def`, with biases zero when `bias` is 'zeros'
 * (then no random draws for them); `ctx` says where the layer sits.
 */
export function initLayer(def: InitDef, W: Buf, b: Buf, fanIn: number, fanOut: number, rng: Rng, bias: BiasInit = 'scheme', ctx: InitContext = {}): void {
  const at: InitContext = bias === 'zeros' ? { ...ctx, zeroBias: true } : ctx;
  def.weights(W, fanIn, fanOut, rng, at);
  if (bias === 'zeros') b.fill(0);
  else def.biases(b, fanIn, fanOut, rng, at);
}
