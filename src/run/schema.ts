/**
 * The run description: the zod object of every setting (settings.ts), the
 * resolution zod cannot do (names against the catalogues, canonical names,
 * defaults that depend on other settings) and the cross-field rules
 * (rules.ts). `parseRun` takes a flat record of settings — whatever adapter
 * it came from — and returns the resolved RunSpec or throws an InputError
 * whose `issue` names the setting, the value and what was expected.
 * A resolved RunSpec is itself valid input: parsing it again gives it back.
 */
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { getActivation, resolveParams } from '../activations/catalogue.js';
import type { ActivationDef } from '../activations/types.js';
import { parseDatasetSpec, DATASET_NAMES } from '../data/catalog.js';
import { fail, formatPath, InputError, issueFromZod, saying, valueAt, ValueError, type Hint, type InputIssue } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { outputActivationFor, parseArch } from '../nn/build.js';
import { getInit, INIT_NAMES, INIT_PREFIXES } from '../nn/init.js';
import { checkRules } from './rules.js';
import { SETTINGS, SETTING_NAMES } from './settings.js';

type Table = (typeof SETTINGS)[number];
type Shape = { [S in Table as S['name']]: S['schema'] };

/** The zod object of a run: every setting with its type, range and default (unknown fields are refused). */
export const runSchema = z.strictObject(Object.fromEntries(SETTINGS.map((s) => [s.name, s.schema])) as unknown as Shape);

/** What zod gives back: every default filled in, names not yet checked. */
type Parsed = z.output<typeof runSchema>;

/** A flat record of settings as an adapter hands it over (any subset; the rest take their defaults). */
export type RunInput = Partial<Record<keyof Shape, unknown>>;

/** A resolved run: every setting present, names canonical, `arch` a list of sizes. */
export type RunSpec = Readonly<
  Omit<Parsed, 'arch' | 'activation' | 'init' | 'outputActivation' | 'momentum'> & {
    /** Layer sizes, input first. */
    readonly arch: readonly number[];
    /** Hidden activation (canonical name), or one per hidden layer. */
    readonly activation: string | readonly string[];
    /** Initialiser, or one per weight layer. */
    readonly init: string | readonly string[];
    /** The output activation (implied by the loss unless it is quadratic). */
    readonly outputActivation: string;
    /** μ (ρ for rmsprop): the optimiser's default when not given. */
    readonly momentum: number;
  }
>;

/** "(did you mean X?)" when `name` is within a few edits of a candidate. */
export function suggestion(name: string, candidates: readonly string[]): string {
  const guess = nearName(name, candidates);
  return guess === null ? '' : ` (did you mean ${guess}?)`;
}

/** The candidate `name` was probably meant to be (within a third of its length in edits, at least 2), or null. */
export function nearName(name: string, candidates: readonly string[]): string | null {
  if (candidates.length === 0) return null;
  const guess = closest(name, [...candidates]);
  return distance(name, guess) <= Math.max(2, Math.floor(name.length / 3)) ? guess : null;
}

/** "(did you mean X?)" as a message, or '' when nothing is near. */
export function didYouMean(guess: string | null): Msg | '' {
  return guess === null ? '' : { key: 'err.didYouMean', vars: { s: guess } };
}

/** Runs `f`; a bad value the core reports (ValueError) becomes an issue at `field`. */
function at<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ValueError) return fail(e.at(field));
    throw e;
  }
}

/** The activation parameters of `act`: the entries of `params` it has (the others belong to other layers' activations). */
export function paramsFor(def: ActivationDef, params: Readonly<Record<string, number>>): Record<string, number> {
  const names = new Set(def.params.map((p) => p.name));
  return Object.fromEntries(Object.entries(params).filter(([k]) => names.has(k)));
}

/** Checks an initialiser name, with a suggestion for a misspelt one. */
function checkInit(name: string, field: string): void {
  if (INIT_PREFIXES.some((p) => name.startsWith(p))) at(field, () => getInit(name));
  else if (!INIT_NAMES.includes(name)) {
    const fixed = INIT_NAMES.filter((n) => !n.includes(':'));
    const guess = nearName(name, fixed);
    fail({ field, value: name, expected: `unknown initialiser '${name}'${suggestion(name, fixed)}; expected one of ${INIT_NAMES.join(', ')}`, quoted: true, said: { key: 'err.unknownInit', vars: { name, hint: didYouMean(guess), names: INIT_NAMES.join(', ') } } });
  } else at(field, () => getInit(name));
}

/** Resolves the names zod cannot check and the defaults that depend on other settings. */
function resolveNames(c: Parsed): RunSpec {
  const arch = typeof c.arch === 'string' ? at('arch', () => parseArch(c.arch as string)) : [...c.arch];
  if (arch.length > 1002) fail({ field: 'arch', value: `${arch.length - 2} hidden layers`, ...saying(msg('err.arch.max')) });
  const L = arch.length - 1;
  const archText = arch.join('-');

  // hidden activations: names, one per hidden layer when listed, parameters
  const list = typeof c.activation !== 'string';
  const hiddenNames = list ? (c.activation as string[]) : [c.activation as string];
  if (list && hiddenNames.length !== L - 1) fail({ field: 'activation', value: c.activation, ...saying(msg(L - 1 === 1 ? 'err.run.activations1' : 'err.run.activations', { arch: archText, h: String(L - 1), n: String(hiddenNames.length) })) });
  const defs = hiddenNames.map((n, i) => at(list ? `activation[${i}]` : 'activation', () => getActivation(n)));
  for (const key of Object.keys(c.activationParams)) {
    // a parameter applies to the layers whose activation has it; one that none of them has is a mistake
    if (!defs.some((d) => d.params.some((p) => p.name === key))) at('activationParams', () => resolveParams(defs[0], { [key]: c.activationParams[key] }));
  }
  for (const d of defs) at('activationParams', () => resolveParams(d, paramsFor(d, c.activationParams)));
  const activation = list ? defs.map((d) => d.name) : defs[0].name;

  // the output activation is implied by the loss unless the loss is quadratic
  const implied = outputActivationFor(c.loss, defs[defs.length - 1].name);
  let outputActivation = implied;
  if (c.outputActivation !== null) {
    const def = at('outputActivation', () => getActivation(c.outputActivation as string));
    if (def.kind === 'layer') fail({ field: 'outputActivation', value: c.outputActivation, ...saying(msg('err.run.outputLayer', { name: def.name })) });
    if (c.loss !== 'quadratic' && def.name !== implied) fail({ field: 'outputActivation', value: c.outputActivation, ...saying(msg('err.run.outputImplied', { loss: c.loss, implied, setting: 'outputActivation', quadratic: 'quadratic' })) });
    outputActivation = def.name;
  }

  // initialisers: one name, or one per weight layer
  if (typeof c.init === 'string') checkInit(c.init, 'init');
  else {
    if (c.init.length !== L) fail({ field: 'init', value: c.init, ...saying(msg(L === 1 ? 'err.run.inits1' : 'err.run.inits', { arch: archText, l: String(L), n: String(c.init.length) })) });
    c.init.forEach((n, i) => checkInit(n, `init[${i}]`));
  }

  // the data set must be one the catalogue knows
  try {
    parseDatasetSpec(c.data);
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    fail({ field: 'data', value: c.data, expected: `${e.expected}; expected one of ${DATASET_NAMES.join(', ')}`, quoted: true, ...(e.said ? { said: e.said } : {}) });
  }

  return { ...c, arch, activation, outputActivation, momentum: c.momentum ?? (c.optimizer === 'sgd' ? 0 : 0.9) };
}

/** The fields of each schedule kind. */
const SCHEDULE_FIELDS: Readonly<Record<string, readonly string[]>> = { constant: ['kind'], step: ['kind', 'every', 'factor'], cosine: ['kind', 'minLr'] };

/** The fields allowed at `path`, for "unknown field" messages: the settings at the top, a schedule's own fields inside it. */
function fieldsAt(path: readonly PropertyKey[], root: unknown): readonly string[] {
  if (path.length === 1 && path[0] === 'schedule') {
    const kind = valueAt(root, ['schedule', 'kind']);
    return SCHEDULE_FIELDS[String(kind)] ?? ['kind', 'every', 'factor', 'minLr'];
  }
  return SETTING_NAMES;
}

/** "(did you mean X?)", or, for a setting written inside another one (warmup inside schedule), where it belongs (English only). */
function suggestHere(name: string, candidates: readonly string[], path: readonly PropertyKey[]): Hint {
  if (path.length > 0 && (SETTING_NAMES as readonly string[]).includes(name)) return { text: ` (${name} is a setting of its own: give it beside ${formatPath(path)}, not inside it)` };
  const guess = nearName(name, candidates);
  return { text: suggestion(name, candidates), said: didYouMean(guess) };
}

/** Validates a flat record of settings; throws an InputError whose issue names the setting (no file prefix). */
export function parseRun(input: RunInput): RunSpec {
  const r = runSchema.safeParse(input);
  if (!r.success) {
    const issue = issueFromZod(r.error.issues[0], input, { fieldsAt, suggest: suggestHere, listedAt: 'docs/settings.md' });
    fail(issue);
  }
  const spec = resolveNames(r.data);
  checkRules(spec);
  return spec;
}

/** The issue of an error `parseRun` threw, or null for any other error. */
export function issueOf(e: unknown): InputIssue | null {
  return e instanceof InputError && e.issue ? e.issue : null;
}
