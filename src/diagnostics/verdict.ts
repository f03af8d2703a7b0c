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
import { msg, phrase } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { remediesFor, type NetShape, type Remedy } from './verdict-remedies.js';

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
  /** Why, for the primary finding, with the measured numbers (in English). */
  readonly cause: string;
  /** What to do, in order of expected effect (in English). */
  readonly remedies: readonly string[];
  /** The cause and the remedies as messages of the catalogue, to say in any language (absent in files written before they existed). */
  readonly said?: { readonly cause: Msg; readonly remedies: readonly Remedy[] };
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

/** The sentence saying why, for the primary finding `f`, as a message. */
function causeOf(f: Finding, layers: readonly LayerDiagnostics[], ratio: number | null, nonFinite?: NonFiniteFinding | null): Msg {
  const hidden = layers.slice(0, -1);
  const at = (i: number): LayerDiagnostics => layers[i - 1];
  switch (f.kind) {
    case 'exploding': {
      if (f.measure === 'non-finite value') {
        const where = nonFinite ? (nonFinite.said ?? nonFinite.message) : msg('v.where.norm', { layer: f.layer });
        // the cause follows from what held the value first: the gradients (the factors' product), else the update, the forward pass or the loss
        const q = nonFinite?.quantity;
        return msg(q === 'weight' ? 'v.cause.nonFinite.weight' : q === 'activation' ? 'v.cause.nonFinite.activation' : q === 'loss' ? 'v.cause.nonFinite.loss' : 'v.cause.nonFinite', { where });
      }
      return msg('v.cause.explodingRatio', { r: fmt(f.value!), th: THRESHOLDS.exploding });
    }
    case 'dead': {
      const l = at(f.layer);
      if (f.blocking) {
        const all = hidden.filter((x) => x.deadFraction >= 1).length;
        return msg('v.cause.deadBlocking', { layer: f.layer, act: l.activation, units: l.units, below: f.layer === 1 ? msg('v.below.self') : msg('v.below.range', { layer: f.layer }), all: all > 1 ? msg('v.deadAll', { n: all }) : '' });
      }
      const over = hidden.filter((x) => x.deadFraction > THRESHOLDS.dead).length;
      return msg('v.cause.dead', { pct: fmt(100 * l.deadFraction), layer: f.layer, act: l.activation, over: over > 1 ? msg('v.deadOver', { n: over, pct: 100 * THRESHOLDS.dead }) : '' });
    }
    case 'vanishing': {
      const d1 = fmt(hidden[0]?.meanAbsDerivative ?? NaN);
      if (ratio === 0) return msg('v.cause.vanishingZero', { last: fmt(hidden[hidden.length - 1]?.biasGradNorm ?? NaN), d1 });
      return msg('v.cause.vanishing', { r: fmt(f.value!), th: THRESHOLDS.vanishing, d1, slower: fmt(1 / f.value!) });
    }
    case 'saturated': {
      const l = at(f.layer);
      return msg('v.cause.saturated', { pct: fmt(100 * l.saturatedFraction), layer: f.layer, act: l.activation });
    }
    case 'collapsed': {
      const first = hidden.find((x) => x.inputCorrelation >= THRESHOLDS.collapsed);
      const apart = Math.sqrt(Math.max(0, 2 * (1 - f.value!)));
      return msg('v.cause.collapsed', { layer: f.layer, c: fmtCorr(f.value!), th: String(THRESHOLDS.collapsed), first: first?.index ?? f.layer, apart: fmt(100 * apart), ratio: ratio === null ? '' : msg('v.ratioParen', { r: fmt(ratio) }) });
    }
  }
}

/** The healthy verdict's cause: within every threshold, and a note when the first layer already learns 10× slower or faster. */
function healthyCause(ratio: number | null): Msg {
  const drift = ratio !== null && ratio < 0.1 ? msg('v.driftVanish', { x: fmt(1 / ratio) }) : ratio !== null && ratio > 10 ? msg('v.driftExplode', { x: fmt(ratio) }) : '';
  return msg('v.cause.healthy', { r: ratio === null ? msg('v.noHidden') : msg('v.ratioIs', { r: fmt(ratio) }), van: THRESHOLDS.vanishing, exp: THRESHOLDS.exploding, col: String(THRESHOLDS.collapsed), drift });
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
  const cause = primary ? causeOf(primary, layers, ratio, nonFinite) : healthyCause(ratio);
  const remedies = primary ? remediesFor(primary, { init, activations: hiddenActs, net: net ?? { norm: 'none', residual: false } }) : [];
  const said = { cause, remedies };
  const english = { cause: phrase('en', cause), remedies: remedies.map((m) => phrase('en', m)), said };
  if (!primary) return { kind: 'healthy', ...english, findings };
  return {
    kind: primary.kind,
    ...english,
    findings,
    ...(nonFinite && primary.kind === 'exploding' ? { nonFinite } : {}),
  };
}
