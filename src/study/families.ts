/**
 * The three families' part of results.json: per catalogue entry its place in
 * its family's map (src/activations/lineage.ts) and what the study measures
 * of f and f′ with the default parameters — a sampled curve for the small
 * plot, the largest |f′| on a fine grid, and for a standard normal input
 * X ~ N(0, 1) the mean E[f(X)] (zero-centred or not), the probability that
 * X lands in the dead zone (f′ = 0) or where f saturates, and E[f′(X)²], the
 * factor by which the gradient's mean square is multiplied per layer when the
 * weights keep unit variance. Pure and deterministic: quadrature, no draws.
 */
import { ACTIVATION_NAMES, CATALOGUE, FAMILIES, resolveParams, type ActivationName } from '../activations/catalogue.js';
import { CROSS_LINKS, LINEAGE } from '../activations/lineage.js';
import type { Family } from '../activations/types.js';

/** What the study measured of one entry (null for softmax and maxout, which have no f(x)). */
export interface VariantMeasure {
  /** f and f′ at x = −4, −3.9, …, 4. */
  readonly x: readonly number[];
  readonly f: readonly number[];
  readonly df: readonly number[];
  /** max |f′| over x ∈ [−20, 20] in steps of 1e-3, and where. */
  readonly maxAbsDf: number;
  readonly argmaxAbsDf: number;
  /** E[f(X)] and E[f′(X)²] for X ~ N(0, 1). */
  readonly meanOut: number;
  readonly meanSqDf: number;
  /** P(f′(X) = 0) and P(|f′(X)| < 1e-3·max|f′|) for X ~ N(0, 1). */
  readonly deadProb: number;
  readonly saturatedProb: number;
}

/** One entry of a family map. */
export interface FamilyVariant {
  readonly name: ActivationName;
  readonly parent: ActivationName | null;
  readonly measured: VariantMeasure | null;
}

/** One family: its members in map order (each after its parent). */
export interface FamilyMap {
  readonly family: Family;
  readonly variants: readonly FamilyVariant[];
}

/** The three families' part of results.json. */
export interface FamiliesPart {
  readonly maps: readonly FamilyMap[];
  readonly crossLinks: readonly { readonly a: ActivationName; readonly b: ActivationName }[];
}

const GRID_LO = -20;
const GRID_STEP = 1e-3;
const GRID_N = 40001;

/** Measures one elementwise entry with its default parameters. */
export function measureVariant(name: ActivationName): VariantMeasure | null {
  const def = CATALOGUE[name];
  if (def.kind !== 'elementwise') return null;
  const p = resolveParams(def);
  const x = Array.from({ length: 81 }, (_, i) => Math.round((-4 + i / 10) * 10) / 10);
  let maxAbsDf = 0;
  let argmaxAbsDf = 0;
  for (let i = 0; i < GRID_N; i++) {
    const xi = GRID_LO + i * GRID_STEP;
    const d = Math.abs(def.df(xi, p));
    if (d > maxAbsDf) {
      maxAbsDf = d;
      argmaxAbsDf = xi;
    }
  }
  // trapezoid rule against the normal density on the same grid (the mass beyond ±20 is below 1e-88)
  let mean = 0;
  let sq = 0;
  let dead = 0;
  let sat = 0;
  for (let i = 0; i < GRID_N; i++) {
    const xi = GRID_LO + i * GRID_STEP;
    const w = (i === 0 || i === GRID_N - 1 ? 0.5 : 1) * GRID_STEP * Math.exp(-0.5 * xi * xi) / Math.sqrt(2 * Math.PI);
    const d = def.df(xi, p);
    mean += w * def.f(xi, p);
    sq += w * d * d;
    if (d === 0) dead += w;
    if (Math.abs(d) < 1e-3 * maxAbsDf) sat += w;
  }
  return {
    x,
    f: x.map((v) => def.f(v, p)),
    df: x.map((v) => def.df(v, p)),
    maxAbsDf,
    argmaxAbsDf: Math.round(argmaxAbsDf * 1000) / 1000,
    meanOut: mean,
    meanSqDf: sq,
    deadProb: dead,
    saturatedProb: sat,
  };
}

/** Map order: a depth-first walk from each root, children in catalogue order. */
function mapOrder(members: readonly ActivationName[]): ActivationName[] {
  const out: ActivationName[] = [];
  const visit = (n: ActivationName): void => {
    out.push(n);
    for (const c of members) if (LINEAGE[c].parent === n) visit(c);
  };
  for (const n of members) if (LINEAGE[n].parent === null || !members.includes(LINEAGE[n].parent!)) visit(n);
  return out;
}

/** The families' part of the results: every catalogue entry once, in its family's map. */
export function familiesPart(): FamiliesPart {
  return {
    maps: FAMILIES.map((f) => ({
      family: f.id,
      variants: mapOrder(ACTIVATION_NAMES.filter((n) => CATALOGUE[n].family === f.id)).map((name) => ({ name, parent: LINEAGE[name].parent, measured: measureVariant(name) })),
    })),
    crossLinks: CROSS_LINKS.map((l) => ({ a: l.a, b: l.b })),
  };
}
