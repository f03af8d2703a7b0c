// The verdict on constructed networks: a gradient blocked by an entirely dead layer is
// "dead" and names that layer; the largest dead fraction is named otherwise; a zero
// gradient without dead layers says so without "Infinity× slower"; collapsed
// representations; every finding listed; and no remedy contradicts the network it is for.
import { describe, expect, it } from 'vitest';
import { buildMlp } from '../nn/build.js';
import type { Dense } from '../nn/dense.js';
import { LOSSES } from '../nn/losses.js';
import type { Network } from '../nn/network.js';
import { Rng } from '../tensor/rng.js';
import { probeNetwork } from './probe.js';
import { remediesFor, type RemedyContext } from './verdict-remedies.js';
import { THRESHOLDS, VERDICT_KINDS, verdictOf, type Finding, type FindingKind } from './verdict.js';
import { nonFiniteFinding, type NonFiniteFinding } from '../nn/nonfinite.js';
import { msg, phrase } from '../i18n/catalogue.js';

interface ProbeOpts {
  readonly setup?: (ls: Dense[], net: Network) => void;
  readonly seed?: number;
  /** Inputs: i.i.d. N(0, 1) (default), or positive multiples of one random vector. */
  readonly inputs?: 'random' | 'one-direction';
  readonly biasZeros?: boolean;
  readonly norm?: 'none' | 'batch';
  readonly residual?: boolean;
}

function probe(sizes: number[], act: string, init: string, o: ProbeOpts = {}) {
  const rng = new Rng(o.seed ?? 1);
  const net = buildMlp({ sizes, hidden: { name: act }, output: { name: 'sigmoid' }, init, dtype: 'float64', rng, biasInit: o.biasZeros ? 'zeros' : 'scheme', norm: o.norm, residual: o.residual });
  o.setup?.(net.weightLayers as Dense[], net);
  const B = 64;
  const I = sizes[0];
  const x = new Float64Array(B * I);
  if (o.inputs === 'one-direction') {
    const v = Array.from({ length: I }, () => rng.normal());
    for (let r = 0; r < B; r++) {
      const s = rng.uniformIn(0.5, 2);
      for (let k = 0; k < I; k++) x[r * I + k] = s * v[k];
    }
  } else x.forEach((_, i) => (x[i] = rng.normal()));
  const y = new Float64Array(B * sizes[sizes.length - 1]).map(() => rng.int(2));
  return probeNetwork(net, x, y, B, LOSSES.binary_cross_entropy, init, { jacobianSamples: 0 });
}

/** Kills the first `n` units of a layer: zero incoming weights and bias −1, so z = −1 on every input. */
function kill(l: Dense, n = l.outSize): void {
  for (let u = 0; u < n; u++) {
    l.weight.fill(0, u * l.inSize, (u + 1) * l.inSize);
    l.bias[u] = -1;
  }
}

/** Keeps the layers above a killed one alive: bias +1 (their input is then 0 or constant). */
const revive = (ls: readonly Dense[]) => ls.forEach((l) => l.bias.fill(1));

describe('dead layers', () => {
  it('an entirely dead layer that zeroes the gradient below it is dead, naming it — not vanishing, not the first layer over 50 %', () => {
    // 8 hidden relu layers of 16: layer 4 is 62.5 % dead, layer 6 entirely dead, the rest alive
    const r = probe([10, ...Array(8).fill(16), 2], 'relu', 'normal', { setup: (ls) => { kill(ls[3], 10); kill(ls[5]); revive(ls.slice(6, 8)); } });
    expect(r.firstToLast).toBe(0);
    // layer 4 is the first over 50 % (10 killed units, perhaps one more dead on its own), but not entirely dead
    expect(r.layers[3].deadFraction).toBeGreaterThan(0.5);
    expect(r.layers[3].deadFraction).toBeLessThan(1);
    expect(r.layers.slice(0, 3).every((l) => l.deadFraction <= 0.5)).toBe(true);
    expect(r.verdict.kind).toBe('dead');
    expect(r.verdict.findings[0]).toMatchObject({ kind: 'dead', layer: 6, value: 1, blocking: true });
    expect(r.verdict.cause).toMatch(/^Layer 6 \(relu\) is entirely dead .* layers 1–6 get a gradient of exactly 0/);
    expect(r.verdict.cause).not.toMatch(/Infinity|vanish/);
    expect(r.verdict.findings.map((f) => f.kind)).not.toContain('vanishing');
  });

  it('of several entirely dead layers, names the one nearest the output (where the backward pass stops)', () => {
    const r = probe([10, ...Array(8).fill(16), 2], 'relu', 'he_normal', { setup: (ls) => { kill(ls[2]); revive([ls[3]]); kill(ls[6]); revive([ls[7]]); } });
    expect(r.verdict.findings[0]).toMatchObject({ kind: 'dead', layer: 7, blocking: true });
    expect(r.verdict.cause).toMatch(/2 hidden layers are entirely dead; this is the one nearest the output/);
  });

  it('without a blocking layer, names the layer with the largest dead fraction', () => {
    // layer 2: 10 of 16 dead (62.5 %), layer 3: 14 of 16 (87.5 %); the gradient still reaches layer 1
    const r = probe([10, 16, 16, 16, 2], 'relu', 'he_normal', { setup: (ls) => { kill(ls[1], 10); kill(ls[2], 14); } });
    expect(r.firstToLast!).toBeGreaterThan(0);
    expect(r.verdict.kind).toBe('dead');
    expect(r.verdict.findings[0]).toMatchObject({ kind: 'dead', layer: 3, value: 0.875 });
    expect(r.verdict.findings[0].blocking).toBeUndefined();
    expect(r.verdict.cause).toMatch(/^87\.5 % of the units of layer 3 .* the largest dead fraction of any hidden layer; 2 hidden layers are more than 50 % dead/);
  });

  it('a dead branch of a residual block does not block: the skip carries the gradient past it', () => {
    const r = probe([16, 16, 16, 16, 2], 'relu', 'he_normal', { residual: true, setup: (ls) => kill(ls[1]) });
    expect(r.layers[0].biasGradNorm).toBeGreaterThan(0);
    expect(r.verdict.kind).toBe('dead');
    expect(r.verdict.findings[0]).toMatchObject({ kind: 'dead', layer: 2, value: 1 });
    expect(r.verdict.findings[0].blocking).toBeUndefined();
  });
});

describe('vanishing', () => {
  it('a gradient of exactly 0 with no dead layer says so, with no "Infinity× slower"', () => {
    // W² = 0: δ¹ = (W²)ᵀ δ² ⊙ f′ = 0 exactly, while no unit is dead (tanh)
    const r = probe([10, 16, 16, 16, 2], 'tanh', 'xavier_uniform', { setup: (ls) => ls[1].weight.fill(0) });
    expect(r.firstToLast).toBe(0);
    expect(r.verdict.kind).toBe('vanishing');
    expect(r.verdict.cause).toMatch(/^The first layer's gradient is exactly 0 .* no layer is entirely dead/);
    expect(r.verdict.cause).not.toMatch(/Infinity/);
  });

  it('lists every finding, primary first: a deep sigmoid net vanishes and its representations collapse', () => {
    const r = probe([20, ...Array(10).fill(32), 2], 'sigmoid', 'xavier_uniform');
    expect(r.verdict.kind).toBe('vanishing');
    const kinds = r.verdict.findings.map((f) => f.kind);
    expect(kinds[0]).toBe('vanishing');
    expect(kinds).toContain('collapsed');
    const c = r.verdict.findings.find((f) => f.kind === 'collapsed')!;
    expect(c.layer).toBe(10);
    expect(c.value).toBe(r.layers[9].inputCorrelation);
    expect(c.value!).toBeGreaterThanOrEqual(THRESHOLDS.collapsed);
    expect(r.verdict.findings[0]).toMatchObject({ layer: 1, measure: 'first-to-last ratio', value: r.firstToLast, threshold: THRESHOLDS.vanishing });
  });
});

describe('collapsed', () => {
  it('inputs along one direction through a bias-free relu net stay one direction: collapsed, with healthy gradients', () => {
    // relu is positively homogeneous: z(s·v) = s·z(v), so every pair has cosine 1 at every layer
    const r = probe([12, 16, 16, 16, 2], 'relu', 'he_normal', { inputs: 'one-direction', biasZeros: true });
    expect(r.layers[2].inputCorrelation).toBeGreaterThan(1 - 1e-12);
    expect(r.firstToLast!).toBeGreaterThan(THRESHOLDS.vanishing);
    expect(r.firstToLast!).toBeLessThan(THRESHOLDS.exploding);
    expect(r.verdict.kind).toBe('collapsed');
    expect(r.verdict.findings).toEqual([{ kind: 'collapsed', layer: 3, measure: 'input correlation', value: r.layers[2].inputCorrelation, threshold: 0.999 }]);
    expect(r.verdict.cause).toMatch(/in the last hidden layer \(3\) their mean pairwise cosine similarity is .* \(≥ 0\.999; it first reaches that at layer 1\)/);
    expect(r.verdict.remedies.join(' ')).toMatch(/batch normalisation/);
  });

  it('the same net on inputs in every direction is healthy', () => {
    const r = probe([12, 16, 16, 16, 2], 'relu', 'he_normal', { biasZeros: true });
    expect(r.layers[2].inputCorrelation).toBeLessThan(0.999);
    expect(r.verdict.kind).toBe('healthy');
    expect(r.verdict.findings).toEqual([]);
  });

  it('20 softplus layers with he_normal collapse while their gradient stays within the thresholds; relu at the same depth does not', () => {
    const soft = probe([32, ...Array(20).fill(32), 2], 'softplus', 'he_normal');
    expect(soft.layers[19].inputCorrelation).toBeGreaterThanOrEqual(0.999);
    expect(soft.firstToLast!).toBeGreaterThan(THRESHOLDS.vanishing);
    expect(soft.verdict.kind).toBe('collapsed');
    const relu = probe([32, ...Array(20).fill(32), 2], 'relu', 'he_normal');
    expect(relu.layers[19].inputCorrelation).toBeLessThan(0.999);
    expect(relu.verdict.findings.map((f) => f.kind)).not.toContain('collapsed');
  });
});

describe('remedies never contradict the network', () => {
  /** True when a remedy tells the reader to switch to the initialiser they already use. */
  function switchesToSame(remedy: string, init: string): boolean {
    return remedy.includes(`'${init}'`) && remedy.replaceAll(`'${init}'`, '').split(/[^a-z_0-9]/).includes(init);
  }

  const finding = (kind: FindingKind): Finding => ({ kind, layer: 1, measure: 'first-to-last ratio', value: 0.5, threshold: 0.5 });
  const contexts: RemedyContext[] = [];
  for (const [act, init] of [['relu', 'he_normal'], ['relu', 'he_uniform'], ['relu', 'normal'], ['relu', 'xavier_uniform'], ['tanh', 'xavier_uniform'], ['sigmoid', 'xavier_uniform'], ['sigmoid', 'he_normal'], ['selu', 'lecun_normal'], ['gelu', 'he_normal'], ['softplus', 'he_normal'], ['elu', 'nielsen']])
    for (const norm of ['none', 'batch'] as const)
      for (const residual of [false, true]) contexts.push({ init, activations: [act], net: { norm, residual } });

  it.each(VERDICT_KINDS.filter((k): k is FindingKind => k !== 'healthy'))('%s: no "use X instead of X", no remedy the net already has', (kind) => {
    for (const c of contexts) {
      const rs = remediesFor(finding(kind), c).map((m) => phrase('en', m));
      const where = `${kind}, ${c.activations[0]} + ${c.init}, norm ${c.net.norm}, residual ${c.net.residual}`;
      expect(rs.length, where).toBeGreaterThan(0);
      for (const s of rs) {
        expect(switchesToSame(s, c.init), `${where}: ${s}`).toBe(false);
        expect(s, where).not.toMatch(new RegExp(`\\b${c.init}\\b.*\\(not '${c.init}'\\)`));
        if (c.net.norm === 'batch') expect(s, where).not.toMatch(/^Add batch normalisation/);
        if (c.net.residual) expect(s, where).not.toMatch(/^Add residual/);
      }
    }
  });

  it('the dead-ReLU case that already uses he_normal keeps it and says so', () => {
    const r = probe([10, 16, 16, 2], 'relu', 'he_normal', { setup: (ls) => kill(ls[1]) });
    expect(r.verdict.kind).toBe('dead');
    const text = r.verdict.remedies.join(' ');
    expect(text).not.toMatch(/not 'he_normal'|instead of 'he_normal'/);
    expect(text).toMatch(/Keep he_normal/);
  });

  it('a batch-normalised net is not told to add batch normalisation', () => {
    // the normalisation's shift β = −100 puts every pre-activation of layer 2 far below 0
    const r = probe([10, 16, 16, 16, 2], 'relu', 'he_normal', { norm: 'batch', setup: (_, net) => net.normAfter(1)!.bias.fill(-100) });
    expect(r.verdict.kind).toBe('dead');
    expect(r.verdict.remedies.join(' ')).not.toMatch(/Add batch normalisation/);
  });
});

describe('a non-finite value', () => {
  it('is explained by what held it first: the gradients (the factors), the weights after finite gradients (the step size), the forward pass, the loss', () => {
    const r = probe([6, 8, 8, 2], 'tanh', 'normal');
    const cause = (quantity: NonFiniteFinding['quantity'], lang: 'en' | 'zh-Hant' = 'en') => {
      const said = msg('nf.weight', { step: 1, layer: 1, of: 3 });
      const v = verdictOf(r.layers, r.firstToLast, 'normal', nonFiniteFinding(1, 1, quantity, said));
      expect(v.kind).toBe('exploding');
      return phrase(lang, v.said!.cause);
    };
    expect(cause('gradient')).toMatch(/the per-layer factors \|w·f'\(z\)\| exceed 1 and their product overflowed/);
    expect(cause('weight')).toMatch(/^A non-finite value appeared \(step 1: the weights of layer 1 of 3 became non-finite\) while the gradients were finite: the update η·∂C\/∂w overflowed the weights/);
    expect(cause('weight', 'zh-Hant')).toMatch(/更新量 η·∂C\/∂w 讓權重溢位/);
    expect(cause('activation')).toMatch(/in the forward pass: the weights grew until the activations overflowed/);
    expect(cause('loss')).toMatch(/the loss itself overflowed/);
  });
});
