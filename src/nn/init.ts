/**
 * Weight initialisers (the names `--init` and config files accept): a catalogue from name to rule, each stating
 * what it does to weights and to biases (`biasRule`). `uniform:A` and
 * `normal:S` carry their scale in the name. A network may override every
 * scheme's bias rule with zeros (`BiasInit` 'zeros'), as Glorot & Bengio do.
 */
import { ValueError } from '../errors.js';
import type { Buf } from '../tensor/dtype.js';
import type { Rng } from '../tensor/rng.js';

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
  weights(W: Buf, fanIn: number, fanOut: number, rng: Rng): void;
  /** Fills b(O). */
  biases(b: Buf, fanIn: number, fanOut: number, rng: Rng): void;
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
  },
  {
    name: 'nielsen',
    biasRule: 'N(0, 1)',
    doc: 'weights N(0, 1/n_in), biases N(0, 1)',
    source: 'Nielsen, Neural Networks and Deep Learning, ch. 3 (default_weight_initializer)',
    weights: (W, fanIn, _o, rng) => fillNormal(W, 1 / Math.sqrt(fanIn), rng),
    biases: (b, _i, _o, rng) => fillNormal(b, 1, rng),
  },
  {
    name: 'torch_default',
    biasRule: 'U(±1/√n_in)',
    doc: "weights and biases U(−1/√n_in, 1/√n_in) — PyTorch's nn.Linear default, Glorot & Bengio's \"standard\" scheme (n·Var = 1/3)",
    source: 'Glorot & Bengio 2010; PyTorch nn.Linear.reset_parameters',
    weights: (W, fanIn, _o, rng) => fillUniform(W, 1 / Math.sqrt(fanIn), rng),
    biases: (b, fanIn, _o, rng) => fillUniform(b, 1 / Math.sqrt(fanIn), rng),
  },
  {
    name: 'xavier_uniform',
    biasRule: 'zeros',
    doc: 'weights U(±√(6/(n_in + n_out))), Var = 2/(n_in + n_out); biases 0',
    source: 'Glorot & Bengio 2010 ("normalised initialisation")',
    weights: (W, fanIn, fanOut, rng) => fillUniform(W, Math.sqrt(6 / (fanIn + fanOut)), rng),
    biases: zeros,
  },
  {
    name: 'xavier_normal',
    biasRule: 'zeros',
    doc: 'weights N(0, 2/(n_in + n_out)); biases 0',
    source: 'Glorot & Bengio 2010',
    weights: (W, fanIn, fanOut, rng) => fillNormal(W, Math.sqrt(2 / (fanIn + fanOut)), rng),
    biases: zeros,
  },
  {
    name: 'he_uniform',
    biasRule: 'zeros',
    doc: 'weights U(±√(6/n_in)), Var = 2/n_in; biases 0',
    source: 'He, Zhang, Ren, Sun 2015',
    weights: (W, fanIn, _o, rng) => fillUniform(W, Math.sqrt(6 / fanIn), rng),
    biases: zeros,
  },
  {
    name: 'he_normal',
    biasRule: 'zeros',
    doc: 'weights N(0, 2/n_in); biases 0',
    source: 'He, Zhang, Ren, Sun 2015',
    weights: (W, fanIn, _o, rng) => fillNormal(W, Math.sqrt(2 / fanIn), rng),
    biases: zeros,
  },
  {
    name: 'lecun_normal',
    biasRule: 'zeros',
    doc: 'weights N(0, 1/n_in); biases 0 (the SELU initialisation)',
    source: 'LeCun et al. 1998; Klambauer et al. 2017',
    weights: (W, fanIn, _o, rng) => fillNormal(W, 1 / Math.sqrt(fanIn), rng),
    biases: zeros,
  },
  {
    name: 'lecun_uniform',
    biasRule: 'zeros',
    doc: 'weights U(±√(3/n_in)), Var = 1/n_in; biases 0',
    source: 'LeCun et al. 1998',
    weights: (W, fanIn, _o, rng) => fillUniform(W, Math.sqrt(3 / fanIn), rng),
    biases: zeros,
  },
  {
    name: 'orthogonal',
    biasRule: 'zeros',
    doc: 'weights a random (semi-)orthogonal matrix, gain 1; biases 0',
    source: 'Saxe, McClelland, Ganguli 2014',
    weights: (W, fanIn, fanOut, rng) => fillOrthogonal(W, fanOut, fanIn, rng),
    biases: zeros,
  },
];

/** The fixed-name initialisers, by name. */
export const INITIALISERS: ReadonlyMap<string, InitDef> = new Map(builtins.map((d) => [d.name, d]));

/** Names accepted by `getInit`, for help texts and suggestions. */
export const INIT_NAMES: readonly string[] = [...INITIALISERS.keys(), 'uniform:A', 'normal:S'];

/** Resolves an initialiser name, including `uniform:A` (U(−A, A)) and `normal:S` (N(0, S²)), both for weights and biases. */
export function getInit(name: string): InitDef {
  const fixed = INITIALISERS.get(name);
  if (fixed) return fixed;
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
      };
    }
    return {
      name,
      doc: `weights and biases N(0, ${v}²)`,
      source: 'fixed-scale normal',
      weights: (W, _i, _o, rng) => fillNormal(W, v, rng),
      biases: (b, _i, _o, rng) => fillNormal(b, v, rng),
    };
  }
  throw new ValueError(name, `unknown initialiser '${name}'; expected one of ${INIT_NAMES.join(', ')}`, true);
}

/** How biases are initialised: by the scheme's own rule (`biasRule`), or all zeros. */
export type BiasInit = 'scheme' | 'zeros';

/** Every bias mode. */
export const BIAS_INITS: readonly BiasInit[] = ['scheme', 'zeros'];

/** Fills W(O,I) and b(O) by `def`, with biases zero when `bias` is 'zeros' (then no random draws for them). */
export function initLayer(def: InitDef, W: Buf, b: Buf, fanIn: number, fanOut: number, rng: Rng, bias: BiasInit = 'scheme'): void {
  def.weights(W, fanIn, fanOut, rng);
  if (bias === 'zeros') b.fill(0);
  else def.biases(b, fanIn, fanOut, rng);
}
