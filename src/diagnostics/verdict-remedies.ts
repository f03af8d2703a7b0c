/**
 * The remedies of each verdict, in order of expected effect, written for the
 * network at hand: a remedy the network already has is not advised (batch
 * normalisation on a batch-normalised net), and the initialiser advice says
 * keep, replace or rescale depending on whether the current initialiser is
 * the one usually paired with the activation — never "use X instead of X".
 */
import { msg } from '../i18n/catalogue.js';
import type { Msg, Var } from '../i18n/message.js';
import type { NormKind } from '../nn/build.js';
import { initFamily, isMatchedInit, matchedInit } from './matched-init.js';
import type { Finding } from './verdict.js';

/** What the network already has, as far as the remedies care. */
export interface NetShape {
  readonly norm: NormKind;
  readonly residual: boolean;
}

/**
 * A remedy to say: its message, and the run setting it is about (`clipNorm`,
 * `init`, `lr`, `norm`, `l2`, `residual`, `activation`, `depth`), so each
 * surface can say where that setting is — a flag, a control of the lab.
 */
export interface Remedy extends Msg {
  readonly setting?: string;
}

/** What the remedies are written for. */
export interface RemedyContext {
  readonly init: string;
  /** The hidden layers' activations (one entry when they are all the same). */
  readonly activations: readonly string[];
  readonly net: NetShape;
}

/** The initialiser name given for a network read from a file, whose weights no initialiser of gradscope's drew. */
export const FILE_INIT = 'from the file';

/** The initialiser as a remedy names it: its name, or "the file's weights" in the reader's language. */
function shown(init: string): Var {
  return init === FILE_INIT ? msg('term.fileWeights') : init;
}

const SATURATING = new Set(['sigmoid', 'tanh', 'hardsigmoid', 'hard_sigmoid_keras2', 'bipolar_sigmoid', 'lecun_tanh', 'softsign', 'hardtanh', 'logsigmoid']);
const DYING = new Set(['relu', 'relu6']);
/** Activations whose output is positive on every input: their shared mean adds up from layer to layer. */
const POSITIVE = new Set(['sigmoid', 'softplus', 'hardsigmoid', 'hard_sigmoid_keras2']);

/** The initialiser usually paired with the (single) hidden activation, or null for a mixed net. */
function usual(c: RemedyContext): { act: string; init: string; derived: boolean } | null {
  if (c.activations.length !== 1) return null;
  const m = matchedInit(c.activations[0]);
  return { act: c.activations[0], init: m.init, derived: m.derived };
}

/** The initialiser advice when the gradient shrinks (vanishing) or when the units start dead. */
function growInit(c: RemedyContext): Remedy | null {
  const u = usual(c);
  const init = c.init;
  if (u === null) return initFamily(init) === null ? { ...msg('rem.replaceAny', { init: shown(init) }), setting: 'init' } : null;
  if (!isMatchedInit(init, u.act)) return { ...msg('rem.replaceUsual', { init: shown(init), usual: u.init, act: u.act }), setting: 'init' };
  if (!u.derived) return { ...msg('rem.scaleForRelu', { init: shown(init), act: u.act }), setting: 'init' };
  return null;
}

/** The initialiser advice when the weights are too large (exploding, saturated). */
function shrinkInit(c: RemedyContext, kind: 'exploding' | 'saturated'): Remedy {
  const u = usual(c);
  const init = c.init;
  if (u !== null && isMatchedInit(init, u.act)) return { ...msg(kind === 'exploding' ? 'rem.matchedExploding' : 'rem.matchedSaturated', { init: shown(init), act: u.act }), setting: 'lr' };
  return { ...(u !== null ? msg('rem.smallerUsual', { init: shown(init), usual: u.init, act: u.act }) : msg('rem.smallerAny', { init: shown(init) })), setting: 'init' };
}

const batchNorm = (c: RemedyContext, why: 'rem.bn.range' | 'rem.bn.centred' | 'rem.bn.large' | 'rem.bn.back' | 'rem.bn.mean'): Remedy | null => (c.net.norm === 'batch' ? null : { ...msg('rem.batchNorm', { why: msg(why) }), setting: 'norm' });
const r = (key: Parameters<typeof msg>[0], setting?: string, vars?: Parameters<typeof msg>[1]): Remedy => ({ ...msg(key, vars), ...(setting ? { setting } : {}) });

/** The remedies of the primary finding `f`, in order of expected effect, with nothing the network already has. */
export function remediesFor(f: Finding, c: RemedyContext): Remedy[] {
  const act = c.activations.join('/');
  const saturating = c.activations.some((a) => SATURATING.has(a));
  const list: (Remedy | null)[] = [];
  switch (f.kind) {
    case 'exploding':
      list.push(r('rem.clip', 'clipNorm'), shrinkInit(c, 'exploding'), r('rem.lowerLr', 'lr'), batchNorm(c, 'rem.bn.range'));
      break;
    case 'dead': {
      const dying = c.activations.some((a) => DYING.has(a));
      const u = usual(c);
      list.push(
        r('rem.leaky', 'activation'),
        r('rem.lowerLrDead', 'lr'),
        u !== null && isMatchedInit(c.init, u.act) ? r('rem.keepInitBias', 'init', { init: shown(c.init) }) : dying || u === null ? r('rem.heInit', 'init', { init: shown(c.init) }) : r('rem.usualInitZero', 'init', { init: shown(c.init), usual: u.init }),
        batchNorm(c, 'rem.bn.centred'),
      );
      break;
    }
    case 'vanishing':
      list.push(
        saturating ? r('rem.useRelu', 'activation', { act }) : null,
        c.activations.includes('sigmoid') ? r('rem.tanhOverSigmoid', 'activation') : null,
        growInit(c),
        batchNorm(c, 'rem.bn.large'),
        c.net.residual ? null : r('rem.residual', 'residual'),
        r('rem.fewer', 'depth'),
      );
      break;
    case 'saturated':
      list.push(shrinkInit(c, 'saturated'), batchNorm(c, 'rem.bn.back'), saturating ? r('rem.nonSaturating', 'activation') : null, r('rem.standardise'));
      break;
    case 'collapsed':
      list.push(
        batchNorm(c, 'rem.bn.mean'),
        c.net.residual ? null : r('rem.residualCollapsed', 'residual'),
        c.activations.some((a) => POSITIVE.has(a)) ? r('rem.positive', 'activation', { act }) : null,
        r('rem.edgeOfChaos', 'init'),
        r('rem.fewerOnly', 'depth'),
      );
      break;
  }
  return list.filter((x): x is Remedy => x !== null);
}
