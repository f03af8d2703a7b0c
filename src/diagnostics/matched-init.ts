/**
 * The initialiser each activation is usually paired with, and what that
 * pairing rests on: He et al. 2015 derived Var(W) = 2/n_in for ReLU (and
 * PReLU), Glorot & Bengio 2010 theirs for tanh-like units near 0, Klambauer
 * et al. 2017 LeCun's 1/n_in for SELU. GELU, SiLU, Mish and softplus borrow
 * He's scale without a derivation of their own, so "the initialiser made for
 * it" would overstate what is known for them.
 */

/** An activation's usual initialiser and the activation the initialiser was derived for. */
export interface MatchedInit {
  readonly init: string;
  /** The activation the scale was derived for ('relu' for He's 2/n, 'tanh' for Xavier's, 'selu' for LeCun's). */
  readonly derivedFor: 'relu' | 'tanh' | 'selu';
  /** True when it was derived for this activation (or one it reduces to near 0, as Xavier for the sigmoid family). */
  readonly derived: boolean;
}

const TABLE: Readonly<Record<string, MatchedInit>> = {
  sigmoid: { init: 'xavier_uniform', derivedFor: 'tanh', derived: true },
  tanh: { init: 'xavier_uniform', derivedFor: 'tanh', derived: true },
  softsign: { init: 'xavier_uniform', derivedFor: 'tanh', derived: true },
  relu: { init: 'he_normal', derivedFor: 'relu', derived: true },
  leaky_relu: { init: 'he_normal', derivedFor: 'relu', derived: true },
  prelu: { init: 'he_normal', derivedFor: 'relu', derived: true },
  relu6: { init: 'he_normal', derivedFor: 'relu', derived: true },
  elu: { init: 'he_normal', derivedFor: 'relu', derived: false },
  selu: { init: 'lecun_normal', derivedFor: 'selu', derived: true },
  gelu: { init: 'he_normal', derivedFor: 'relu', derived: false },
  silu: { init: 'he_normal', derivedFor: 'relu', derived: false },
  mish: { init: 'he_normal', derivedFor: 'relu', derived: false },
  softplus: { init: 'he_normal', derivedFor: 'relu', derived: false },
};

/** The usual initialiser of `activation` (he_normal, borrowed, for anything not listed). */
export function matchedInit(activation: string): MatchedInit {
  return TABLE[activation] ?? { init: 'he_normal', derivedFor: 'relu', derived: false };
}

/** The scheme family of an initialiser name: he, xavier, lecun, or null (normal, nielsen, uniform:A, …). */
export function initFamily(init: string): 'he' | 'xavier' | 'lecun' | null {
  const m = /^(he|xavier|lecun)_/.exec(init);
  return m ? (m[1] as 'he' | 'xavier' | 'lecun') : null;
}

/** True when `init` is of the same family as the usual initialiser of `activation` (he_uniform counts for he_normal). */
export function isMatchedInit(init: string, activation: string): boolean {
  const f = initFamily(init);
  return f !== null && f === initFamily(matchedInit(activation).init);
}
