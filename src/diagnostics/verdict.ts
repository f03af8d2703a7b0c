/**
 * The verdict of a probe: every finding a probe supports (each with its
 * kind, layer, number and threshold), one primary kind for the state of the
 * network, the cause of the primary finding in a sentence with the measured
 * numbers, and the remedies that apply, in order of expected effect.
 *
 * The primary kind is the first finding in this order: exploding (a
 * non-finite value, or a first-to-last ratio above 1e2); dead, when an
 * entirely dead layer blocks the gradient (the layers below it get exactly
 * 0); vanishing (ratio below 1e-2); dead (a hidden layer more than half
 * dead); saturated; collapsed (the last hidden layer's inputs nearly
 * indistinguishable, input correlation ≥ 0.999); else healthy.
 */
import type { NonFiniteFinding } from '../nn/nonfinite.js';
import type { LayerDiagnostics } from './layer-stats.js';
import { remediesFor, type NetShape } from './verdict-remedies.js';

export type { NetShape } from './verdict-remedies.js';

/** Every verdict kind, in the order the primary kind is chosen (healthy last). */
export const VERDICT_KINDS = ['exploding', 'dead', 'vanishing', 'saturated', 'collapsed', 'healthy'] as const;

/** A verdict kind. */
export type VerdictKind = (typeof VERDICT_KINDS)[number];

/** The kind of a finding: any verdict but healthy. */
export type FindingKind = Exclude<VerdictKind, 'healthy'>;

/** One thing a probe found, with its number. */
export interface Finding {
  readonly kind: FindingKind;
  /** The layer it is about (1 = input side); for the first-to-last ratio, layer 1. */
  readonly layer: number;
  /** What `value` measures. */
  readonly measure: 'first-to-last ratio' | 'non-finite value' | 'dead fraction' | 'saturated fraction' | 'input correlation';
  /** The measured number (null for a non-finite value). */
  readonly value: number | null;
  /** The threshold it crossed. */
  readonly threshold: number;
  /** For 'dead': the layer is entirely dead and the layers below it get a gradient of exactly 0. */
  readonly blocking?: boolean;
}

/** A verdict with its cause and advice. */
export interface Verdict {
  /** The primary kind: the first of `findings`, or healthy when there is none. */
  readonly kind: VerdictKind;
  /** Why, for the primary finding, with the measured numbers. */
  readonly cause: string;
  readonly remedies: readonly string[];
  /** Every finding, the primary one first. */
  readonly findings: readonly Finding[];
  /** The first non-finite value, when that is why it explodes. */
  readonly nonFinite?: NonFiniteFinding;
}

/** Thresholds on the first-to-last ratio, the dead and saturated fractions, and the input correlation above which the representations count as collapsed. */
export const THRESHOLDS = { vanishing: 1e-2, exploding: 1e2, dead: 0.5, saturated: 0.5, collapsed: 0.999 } as const;

function fmt(x: number): string {
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(3) : x.toExponential(2);
}

/** A correlation near 1 with enough digits to see how near (0.99999, not 1.00). */
export function fmtCorr(c: number): string {
  return c >= 0.999 && c < 1 ? c.toFixed(Math.min(9, Math.max(4, Math.ceil(-Math.log10(1 - c)) + 1))) : c.toFixed(4);
}

const nonFiniteNorm = (l: LayerDiagnostics): boolean => !Number.isFinite(l.biasGradNorm) || !Number.isFinite(l.weightGradNorm);

/** The layer with the largest value of `key` among `ls` (ties: the one nearest the output), or undefined. */
function largest(ls: readonly LayerDiagnostics[], key: 'deadFraction' | 'saturatedFraction'): LayerDiagnostics | undefined {
  let best: LayerDiagnostics | undefined;
  for (const l of ls) if (Number.isFinite(l[key]) && (best === undefined || l[key] >= best[key])) best = l;
  return best;
}

/**
 * The entirely dead hidden layer that blocks the gradient: the one nearest
 * the output among those with every unit dead and every layer up to it
 * receiving a gradient of exactly 0. The backward pass meets it first;
 * layers below it (dead or not) receive nothing until it is revived. With a
 * residual path the skip carries the gradient past a dead branch, so the
 * layers below are not 0 and nothing blocks.
 */
function blockingLayer(hidden: readonly LayerDiagnostics[]): LayerDiagnostics | undefined {
  let block: LayerDiagnostics | undefined;
  for (const l of hidden) {
    if (l.biasGradNorm !== 0 || l.weightGradNorm !== 0) break;
    if (l.deadFraction >= 1) block = l;
  }
  return block;
}

/** Every finding of a probe, in the order the primary kind is chosen. */
export function findingsOf(layers: readonly LayerDiagnostics[], ratio: number | null, nonFinite?: NonFiniteFinding | null): Finding[] {
  const hidden = layers.slice(0, -1);
  const out: Finding[] = [];
  const badNorm = layers.find(nonFiniteNorm);
  if (nonFinite || badNorm) out.push({ kind: 'exploding', layer: nonFinite ? nonFinite.layer : badNorm!.index, measure: 'non-finite value', value: null, threshold: THRESHOLDS.exploding });
  else if (ratio !== null && ratio > THRESHOLDS.exploding) out.push({ kind: 'exploding', layer: 1, measure: 'first-to-last ratio', value: ratio, threshold: THRESHOLDS.exploding });
  const block = out.length === 0 ? blockingLayer(hidden) : undefined;
  if (block) out.push({ kind: 'dead', layer: block.index, measure: 'dead fraction', value: block.deadFraction, threshold: THRESHOLDS.dead, blocking: true });
  // a ratio of exactly 0 below an entirely dead layer is that layer's doing, not a vanishing product
  if (!block && out.length === 0 && ratio !== null && ratio < THRESHOLDS.vanishing) out.push({ kind: 'vanishing', layer: 1, measure: 'first-to-last ratio', value: ratio, threshold: THRESHOLDS.vanishing });
  const dead = largest(hidden, 'deadFraction');
  if (!block && dead && dead.deadFraction > THRESHOLDS.dead) out.push({ kind: 'dead', layer: dead.index, measure: 'dead fraction', value: dead.deadFraction, threshold: THRESHOLDS.dead });
  const sat = largest(hidden, 'saturatedFraction');
  if (sat && sat.saturatedFraction > THRESHOLDS.saturated) out.push({ kind: 'saturated', layer: sat.index, measure: 'saturated fraction', value: sat.saturatedFraction, threshold: THRESHOLDS.saturated });
  const top = hidden[hidden.length - 1];
  if (top && top.inputCorrelation >= THRESHOLDS.collapsed) out.push({ kind: 'collapsed', layer: top.index, measure: 'input correlation', value: top.inputCorrelation, threshold: THRESHOLDS.collapsed });
  return out;
}

/** The sentence saying why, for the primary finding `f`. */
function causeOf(f: Finding, layers: readonly LayerDiagnostics[], ratio: number | null, nonFinite?: NonFiniteFinding | null): string {
  const hidden = layers.slice(0, -1);
  const at = (i: number): LayerDiagnostics => layers[i - 1];
  switch (f.kind) {
    case 'exploding': {
      if (f.measure === 'non-finite value') {
        const where = nonFinite ? nonFinite.message : `layer ${f.layer}: a gradient norm is not finite`;
        return `A non-finite value appeared (${where}): the per-layer factors |w·f'(z)| exceed 1 and their product overflowed.`;
      }
      return `The first layer's gradient is ${fmt(f.value!)}× the last hidden layer's (> ${THRESHOLDS.exploding}): the factors w·f'(z) exceed 1 and multiply up toward the input.`;
    }
    case 'dead': {
      const l = at(f.layer);
      if (f.blocking) {
        const all = hidden.filter((x) => x.deadFraction >= 1).length;
        const below = f.layer === 1 ? 'layer 1 itself gets a gradient of exactly 0' : `layers 1–${f.layer} get a gradient of exactly 0`;
        return `Layer ${f.layer} (${l.activation}) is entirely dead — f'(z) = 0 for all ${l.units} units on every example — so no gradient passes below it: ${below}${all > 1 ? ` (${all} hidden layers are entirely dead; this is the one nearest the output, where the backward pass stops)` : ''}.`;
      }
      const over = hidden.filter((x) => x.deadFraction > THRESHOLDS.dead).length;
      return `${fmt(100 * l.deadFraction)} % of the units of layer ${f.layer} (${l.activation}) have f'(z) = 0 on every example — the largest dead fraction of any hidden layer${over > 1 ? `; ${over} hidden layers are more than ${100 * THRESHOLDS.dead} % dead` : ''}: they pass no gradient and no longer learn.`;
    }
    case 'vanishing': {
      const d1 = fmt(hidden[0]?.meanAbsDerivative ?? NaN);
      if (ratio === 0) return `The first layer's gradient is exactly 0 (the last hidden layer's is ${fmt(hidden[hidden.length - 1]?.biasGradNorm ?? NaN)}): it underflowed on the way back, each layer multiplying it by a factor |w·f'(z)| below 1 (mean |f'| of layer 1: ${d1}), and no layer is entirely dead.`;
      return `The first layer's gradient is ${fmt(f.value!)}× the last hidden layer's (< ${THRESHOLDS.vanishing}): each layer multiplies it by a factor |w·f'(z)| below 1 (mean |f'| of layer 1: ${d1}), so early layers learn about ${fmt(1 / f.value!)}× slower.`;
    }
    case 'saturated': {
      const l = at(f.layer);
      return `${fmt(100 * l.saturatedFraction)} % of the pre-activations of layer ${f.layer} (${l.activation}) sit where |f'(z)| < 1e-3·max|f'| — the largest saturated fraction of any hidden layer: the layer passes almost no gradient.`;
    }
    case 'collapsed': {
      const first = hidden.find((x) => x.inputCorrelation >= THRESHOLDS.collapsed);
      const r = ratio === null ? '' : ` (first-to-last ratio ${fmt(ratio)})`;
      const apart = Math.sqrt(Math.max(0, 2 * (1 - f.value!)));
      return `The pre-activations of different inputs have nearly merged: in the last hidden layer (${f.layer}) their mean pairwise cosine similarity is ${fmtCorr(f.value!)} (≥ ${THRESHOLDS.collapsed}; it first reaches that at layer ${first?.index ?? f.layer}). The directions of two inputs' pre-activations differ by about √(2(1 − c)) = ${fmt(100 * apart)} % of their length, so the output barely depends on the input, although gradients of a usable size reach every layer${r} — the ordered phase of signal propagation.`;
    }
  }
}

/** The healthy verdict's cause: within every threshold, and a note when the first layer already learns 10× slower or faster. */
function healthyCause(ratio: number | null): string {
  const r = ratio === null ? 'no hidden layer to compare' : `first-to-last ratio ${fmt(ratio)}`;
  const drift =
    ratio !== null && ratio < 0.1
      ? ` Still, the first layer learns ${fmt(1 / ratio)}× slower than the last hidden layer: more depth would make it vanish.`
      : ratio !== null && ratio > 10
        ? ` Still, the first layer's gradient is ${fmt(ratio)}× the last hidden layer's: more depth would make it explode.`
        : '';
  return `Gradients reach every layer within the thresholds (${r}; vanishing below ${THRESHOLDS.vanishing}, exploding above ${THRESHOLDS.exploding}), with no hidden layer mostly dead or saturated and the last hidden layer's input correlation below ${THRESHOLDS.collapsed}.${drift}`;
}

/**
 * Judges a probe from its per-layer diagnostics and Nielsen's first-to-last
 * ratio. `init` is the initialiser's name; `net` says which remedies the
 * network already has (so none is advised twice or contradicted).
 */
export function verdictOf(layers: readonly LayerDiagnostics[], ratio: number | null, init: string, nonFinite?: NonFiniteFinding | null, net?: NetShape): Verdict {
  const findings = findingsOf(layers, ratio, nonFinite);
  const primary = findings[0];
  const hiddenActs = [...new Set(layers.slice(0, -1).map((l) => l.activation))];
  if (!primary) return { kind: 'healthy', cause: healthyCause(ratio), remedies: [], findings };
  return {
    kind: primary.kind,
    cause: causeOf(primary, layers, ratio, nonFinite),
    remedies: remediesFor(primary, { init, activations: hiddenActs, net: net ?? { norm: 'none', residual: false } }),
    findings,
    ...(nonFinite && primary.kind === 'exploding' ? { nonFinite } : {}),
  };
}
