/**
 * The cross-field rules say what is wrong as catalogue messages: for a run
 * that breaks each rule, the English of its message is the sentence
 * gradscope has always printed (written out here, so a change to the
 * catalogue's English shows), the Chinese fills every placeholder, and
 * parseRun throws it at the rule's setting with both parts kept.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { phrase } from '../i18n/catalogue.js';
import { englishIn } from '../i18n/english.test-helper.js';
import { RULES } from './rules.js';
import { parseRun, type RunInput, type RunSpec } from './schema.js';

/** A valid run with `over` on top (the spec as parseRun leaves it, then changed without checks). */
function specWith(over: Partial<Record<keyof RunSpec, unknown>>): RunSpec {
  return { ...parseRun({ arch: '2-4-2', data: 'moons', activation: 'relu' }), ...over } as RunSpec;
}

// one run per rule, in RULES' order: the input that breaks it (for parseRun) and the English sentence
const BROKEN: readonly [RunInput, string][] = [
  [{ optimizer: 'adam', weightDecay: 0.1 }, 'only adamw uses decoupled weight decay (use l2 with adam)'],
  [{ optimizer: 'adamw', l2: 0.1 }, 'adamw decays weights with weightDecay, not l2'],
  [{ data: 'digits', arch: '64-4-10', noise: 0.1 }, "only the synthetic sets take noise, not 'digits'"],
  [{ data: 'digits', arch: '64-4-10', classes: 3 }, "only the synthetic sets take a number of classes, not 'digits'"],
  [{ arch: '2-4-1', loss: 'cross_entropy', data: 'xor' }, 'cross_entropy needs at least 2 outputs (a softmax over one unit is constant, so every gradient is 0), not arch 2-4-1; use binary_cross_entropy for one output'],
  [{ epochs: null, maxSteps: null }, 'is null and so is maxSteps: set at least one limit'],
  [{ activation: 'maxout', norm: 'layer' }, `layer normalisation sits between a layer's linear part and its activation, which 'maxout' does not separate; use another activation or norm "none"`],
  [{ activation: 'maxout', residual: true }, "residual blocks need dense hidden layers, not 'maxout'"],
  [{ arch: '2-2', residual: true }, 'arch 2-2 has no hidden layer to put in a residual block'],
  [{ arch: '2-2', norm: 'batch' }, 'arch 2-2 has no hidden layer to normalise (the output layer is never normalised)'],
  [{ norm: 'batch', batchSize: 1 }, 'batch normalisation needs at least 2 examples per batch to compute batch statistics'],
  [{ norm: 'batch', probeSamples: 1 }, 'batch normalisation needs at least 2 examples in the probe batch to compute batch statistics'],
  [{ arch: '2-2', pretrain: true }, 'arch 2-2 has no hidden layer to pre-train'],
  [{ norm: 'batch', pretrain: true, pretrainBatchSize: 1 }, 'batch normalisation needs at least 2 examples per batch'],
];

const base: RunInput = { arch: '2-4-2', data: 'moons', activation: 'relu' };

describe('cross-field rules', () => {
  it('has one broken run per rule', () => {
    expect(BROKEN.length).toBe(RULES.length);
  });

  it.each(RULES.map((r, i) => [i, r.field, r] as const))('rule %i (%s): the message says the English sentence, and the Chinese fills it', (i, _field, rule) => {
    const [input, english] = BROKEN[i];
    const s = parseRunUnchecked(input);
    const said = rule.problem(s);
    expect(said).not.toBeNull();
    expect(phrase('en', said!)).toBe(english);
    const zh = phrase('zh-Hant', said!);
    expect(zh).not.toMatch(/\{\w+\}/);
    expect(englishIn(zh.replace(/'[^']*'|"[^"]*"/g, ' '), ['norm'])).toEqual([]);
    // the other rules' problems are not this run's: each case breaks its own rule first
    expect(RULES.findIndex((r) => r.problem(s) !== null)).toBe(i);
  });

  it.each(BROKEN.map(([input, english], i) => [i, input, english] as const))('parseRun refuses run %i at the rule\'s setting, keeping the message', (i, input, english) => {
    let e: unknown;
    try {
      parseRun({ ...base, ...input });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(InputError);
    const err = e as InputError;
    expect(err.issue?.field).toBe(RULES[i].field);
    expect(err.message.startsWith(`${RULES[i].field}: ${english}`)).toBe(true);
    expect(err.where).toEqual([RULES[i].field]);
    expect(err.issue?.said && phrase('en', err.issue.said)).toBe(english);
  });

  it('passes a run that breaks none', () => {
    const s = specWith({});
    expect(RULES.map((r) => r.problem(s))).toEqual(RULES.map(() => null));
  });
});

/** The spec of `input` over the base run with the names resolved but no rule checked. */
function parseRunUnchecked(input: RunInput): RunSpec {
  // parse the fields the rules do not look at, then put the breaking values on top
  const resolved = parseRun({ ...base, ...pick(input, ['arch', 'data', 'activation', 'optimizer']) });
  const rest = Object.fromEntries(Object.entries(input).filter(([k]) => !['arch', 'data', 'activation', 'optimizer'].includes(k)));
  return { ...resolved, ...rest } as RunSpec;
}

/** The entries of `o` at `keys`. */
function pick(o: RunInput, keys: readonly string[]): RunInput {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
}
