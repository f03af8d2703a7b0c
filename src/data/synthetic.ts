/**
 * Synthetic 2-D classification sets, small enough to plot and train in a
 * browser: spiral, circles, xor, gaussians and moons. Each draws from a seeded
 * Rng, so a seed gives the same points; labels alternate 0, 1, 0, 1, ... so the
 * classes are balanced (to within one) in every prefix. `noise` is the
 * standard deviation of Gaussian noise added to each coordinate after the
 * label is fixed; with noise 0 every point lies exactly on its class's shape.
 */
import { ValueError } from '../errors.js';
import { Rng } from '../tensor/rng.js';
import { makeDataset } from './batch.js';
import type { Dataset } from './types.js';

/** Options every synthetic generator takes. */
export interface SyntheticOptions {
  /** Number of examples (≥ classes). */
  readonly n: number;
  /** Standard deviation of the Gaussian noise per coordinate; defaults to the set's `defaultNoise`. */
  readonly noise?: number;
  /** Seed of the Rng that places the points. */
  readonly seed: number;
  /** Number of classes: any 2..256 for spiral and gaussians, only 2 for the others (default 2). */
  readonly classes?: number;
}

/** A generator of one synthetic set. */
export type SyntheticGenerator = (opts: SyntheticOptions) => Dataset;

/** A catalogue entry: the generator, its default noise and a one-line description. */
export interface SyntheticEntry {
  /** Draws the set. */
  readonly generate: SyntheticGenerator;
  /** Noise used when the options give none. */
  readonly defaultNoise: number;
  /** What the set looks like and which class is which. */
  readonly doc: string;
}

/** Default noise (per-coordinate standard deviation) of each synthetic set. */
const SYNTHETIC_NOISE = { spiral: 0.05, circles: 0.08, xor: 0.05, gaussians: 0.4, moons: 0.1 } as const;

/** Writes the noise-free position of a point of class c (of K) into out[0..1]. */
type Place = (out: Float64Array, c: number, K: number, rng: Rng) => void;

/** Shared driver: validates options, places points, adds noise, labels i mod K. */
function generate(name: string, defaultNoise: number, maxClasses: number, place: Place, opts: SyntheticOptions): Dataset {
  const { n, seed } = opts;
  const noise = opts.noise ?? defaultNoise;
  const K = opts.classes ?? 2;
  if (!Number.isInteger(K) || K < 2 || K > maxClasses) {
    const allowed = maxClasses === 2 ? 'only 2' : `an integer in 2..${maxClasses}`;
    throw new ValueError(null, `${name}: classes must be ${allowed}; got ${K}`, true);
  }
  if (!Number.isInteger(n) || n < K) {
    throw new ValueError(null, `${name}: n must be an integer of at least ${K} (one per class); got ${n}`, true);
  }
  if (!(noise >= 0 && Number.isFinite(noise))) {
    throw new ValueError(null, `${name}: noise must be a finite number ≥ 0; got ${noise}`, true);
  }
  const rng = new Rng(seed);
  const x = new Float32Array(n * 2);
  const labels = new Uint8Array(n);
  const p = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    const c = i % K;
    place(p, c, K, rng);
    x[2 * i] = noise > 0 ? p[0] + noise * rng.normal() : p[0];
    x[2 * i + 1] = noise > 0 ? p[1] + noise * rng.normal() : p[1];
    labels[i] = c;
  }
  return makeDataset({ name, inputSize: 2, classes: K, x, labels });
}

/** Turns each spiral arm makes from the centre to radius 1. */
export const SPIRAL_TURNS = 0.75;
/** Radius of the inner circle of `circles` (the outer one has radius 1). */
export const CIRCLES_INNER_RADIUS = 0.5;

/**
 * K interleaved spiral arms: arm c at parameter t ~ U(0,1) sits at radius t and
 * angle 2πc/K + 2π·SPIRAL_TURNS·t (CS231n's spiral, K = 2 by default).
 */
export function spiral(opts: SyntheticOptions): Dataset {
  return generate('spiral', SYNTHETIC_NOISE.spiral, 256, (out, c, K, rng) => {
    const t = rng.uniform();
    const a = (2 * Math.PI * c) / K + 2 * Math.PI * SPIRAL_TURNS * t;
    out[0] = t * Math.cos(a);
    out[1] = t * Math.sin(a);
  }, opts);
}

/** Two concentric circles, as scikit-learn's make_circles: class 0 the outer (radius 1), class 1 the inner (radius 0.5). */
export function circles(opts: SyntheticOptions): Dataset {
  return generate('circles', SYNTHETIC_NOISE.circles, 2, (out, c, _K, rng) => {
    const r = c === 0 ? 1 : CIRCLES_INNER_RADIUS;
    const a = 2 * Math.PI * rng.uniform();
    out[0] = r * Math.cos(a);
    out[1] = r * Math.sin(a);
  }, opts);
}

/** XOR of the signs: points uniform in (−1, 1)²; class 0 in quadrants I and III (x·y > 0), class 1 in II and IV. */
export function xor(opts: SyntheticOptions): Dataset {
  return generate('xor', SYNTHETIC_NOISE.xor, 2, (out, c, _K, rng) => {
    // magnitudes in (0, 1], never exactly on an axis, so the quadrant is always defined
    const u = 1 - rng.uniform();
    const v = 1 - rng.uniform();
    const sx = rng.uniform() < 0.5 ? -1 : 1;
    const sy = c === 0 ? sx : -sx;
    out[0] = sx * u;
    out[1] = sy * v;
  }, opts);
}

/** K Gaussian blobs with standard deviation `noise`, centred at radius √2 and angle π/4 + 2πc/K: (1, 1) and (−1, −1) for K = 2. */
export function gaussians(opts: SyntheticOptions): Dataset {
  return generate('gaussians', SYNTHETIC_NOISE.gaussians, 256, (out, c, K) => {
    const a = Math.PI / 4 + (2 * Math.PI * c) / K;
    out[0] = Math.SQRT2 * Math.cos(a);
    out[1] = Math.SQRT2 * Math.sin(a);
  }, opts);
}

/**
 * Two interleaving half circles, as scikit-learn's make_moons shifted by
 * (−0.5, −0.25) to centre them: class 0 is (cos t, sin t) − (0.5, 0.25), class 1
 * is (1 − cos t, 0.5 − sin t) − (0.5, 0.25), t ~ U(0, π).
 */
export function moons(opts: SyntheticOptions): Dataset {
  return generate('moons', SYNTHETIC_NOISE.moons, 2, (out, c, _K, rng) => {
    const t = Math.PI * rng.uniform();
    if (c === 0) {
      out[0] = Math.cos(t) - 0.5;
      out[1] = Math.sin(t) - 0.25;
    } else {
      out[0] = 0.5 - Math.cos(t);
      out[1] = 0.25 - Math.sin(t);
    }
  }, opts);
}

/** Names of the synthetic sets, in catalogue order. */
export type SyntheticName = keyof typeof SYNTHETIC_NOISE;

/** The synthetic catalogue: name → generator, default noise and description. */
export const SYNTHETIC: Readonly<Record<SyntheticName, SyntheticEntry>> = {
  spiral: {
    generate: spiral,
    defaultNoise: SYNTHETIC_NOISE.spiral,
    doc: 'Interleaved spiral arms (0.75 turn each, radius 0..1); needs a non-linear boundary; classes 2..256.',
  },
  circles: {
    generate: circles,
    defaultNoise: SYNTHETIC_NOISE.circles,
    doc: 'Two concentric circles: class 0 outer (radius 1), class 1 inner (radius 0.5).',
  },
  xor: {
    generate: xor,
    defaultNoise: SYNTHETIC_NOISE.xor,
    doc: 'Points in (−1, 1)²; class 0 where x and y share a sign, class 1 where they differ.',
  },
  gaussians: {
    generate: gaussians,
    defaultNoise: SYNTHETIC_NOISE.gaussians,
    doc: 'Gaussian blobs centred at (1, 1) and (−1, −1), standard deviation = noise; linearly separable.',
  },
  moons: {
    generate: moons,
    defaultNoise: SYNTHETIC_NOISE.moons,
    doc: 'Two interleaving half circles (scikit-learn make_moons, centred).',
  },
};

/** True when `name` is a synthetic set of the catalogue. */
export function isSyntheticName(name: string): name is SyntheticName {
  return Object.prototype.hasOwnProperty.call(SYNTHETIC, name);
}
