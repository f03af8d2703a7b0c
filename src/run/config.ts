/**
 * The config-file adapter: a run config is a JSON object of settings by
 * their names (settings.ts). Configs written before the settings were flat
 * nest some of them — `optimizer: {name, lr, …}`, `lrSchedule`, `data:
 * {name, samples, …}`, `probe: {every, samples, …}`, `pretrain: {steps, …}`
 * — and still load: each nested field maps to its setting, and an error
 * names the field the way the file wrote it ("optimizer.lr: must be > 0").
 */
import { fail, inputError, InputError, phrase, saying, show, type InputIssue } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { didYouMean, nearName, parseRun, type RunInput, type RunSpec } from './schema.js';
import { fieldSetting, SETTING_NAMES, settingNamed } from './settings.js';

/** The settings a nested object of older configs holds, by its field names. */
const NESTED_GROUPS: Readonly<Record<string, { readonly name?: string; readonly fields: Readonly<Record<string, string>> }>> = {
  optimizer: { name: 'optimizer', fields: { lr: 'lr', momentum: 'momentum', beta1: 'beta1', beta2: 'beta2', eps: 'eps', l2: 'l2', l1: 'l1', weightDecay: 'weightDecay' } },
  data: { name: 'data', fields: { samples: 'samples', testFraction: 'testFraction', noise: 'noise', classes: 'classes' } },
  probe: { fields: { every: 'probeEvery', samples: 'probeSamples', jacobianSamples: 'jacobianSamples', testAccuracy: 'testAccuracy' } },
  pretrain: { fields: { steps: 'pretrainSteps', lr: 'pretrainLr', batchSize: 'pretrainBatchSize', optimizer: 'pretrainOptimizer' } },
};

/** The nested groups by name (a Map: a key such as __proto__ finds nothing). */
const NESTED = new Map(Object.entries(NESTED_GROUPS));

/** Fields of the older `lrSchedule` object. */
const SCHEDULE_FIELDS = ['kind', 'warmup', 'every', 'factor', 'minLr'];

/** A config read into flat settings, and how the file wrote each one (for messages). */
export interface Flattened {
  readonly input: Record<string, unknown>;
  readonly written: Map<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** "unknown field (did you mean lr?); expected one of name, lr, …" for `key` among `fields`. */
function unknownField(key: string, fields: readonly string[]): Msg {
  return msg('err.unknownFieldList', { hint: didYouMean(nearName(key, fields)), fields: fields.join(', ') });
}

/** Sets setting `name` from `path`, refusing a setting given twice (unless `override`, as a sweep overrides its base). */
function put(f: Flattened, name: string, value: unknown, path: string, override = false): void {
  const before = f.written.get(name);
  if (!override && before !== undefined && before !== path) fail({ field: path, value, ...saying(msg('err.config.twice', { name, before })) });
  // a key such as __proto__ becomes a plain field (the schema then calls it unknown), never a prototype
  Object.defineProperty(f.input, name, { value, enumerable: true, writable: true, configurable: true });
  f.written.set(name, path);
}

/** Maps a config object (flat, or with the older nested objects) onto flat settings; throws an InputError whose issue names the field as written. */
export function flattenConfig(json: Record<string, unknown>): Flattened {
  const f: Flattened = { input: {}, written: new Map() };
  for (const [key, value] of Object.entries(json)) {
    const nested = NESTED.get(key);
    if (nested && isObject(value)) {
      if (key === 'pretrain') put(f, 'pretrain', true, key);
      for (const [k, v] of Object.entries(value)) {
        if (k === 'name' && nested.name) put(f, nested.name, v, `${key}.name`);
        else if (Object.hasOwn(nested.fields, k)) put(f, nested.fields[k], v, `${key}.${k}`);
        else {
          const fields = [...(nested.name ? ['name'] : []), ...Object.keys(nested.fields)];
          fail({ field: `${key}.${k}`, value: undefined, ...saying(unknownField(k, fields)) });
        }
      }
    } else if (key === 'pretrain' && value === null) put(f, 'pretrain', false, key);
    else if (key === 'lrSchedule') {
      const s = typeof value === 'string' ? { kind: value } : value;
      if (!isObject(s)) fail({ field: key, value, ...saying(msg('err.config.schedule', { kind: 'kind' })) });
      const { warmup, ...rest } = s;
      for (const k of Object.keys(rest)) if (!SCHEDULE_FIELDS.includes(k)) fail({ field: `${key}.${k}`, value: undefined, ...saying(unknownField(k, SCHEDULE_FIELDS)) });
      put(f, 'schedule', rest, key);
      if (warmup !== undefined) put(f, 'warmup', warmup, `${key}.warmup`);
    } else put(f, key, value, key);
  }
  return f;
}

/** Sets a setting given by a sweep key or an older dotted path (`optimizer.lr`, `data.name`, `probe.every`) in flat settings. */
export function putSetting(f: Flattened, key: string, value: unknown): void {
  const dot = key.indexOf('.');
  if (dot > 0) {
    const head = key.slice(0, dot);
    const rest = key.slice(dot + 1);
    const nested = NESTED.get(head);
    const name = nested && (rest === 'name' ? nested.name : Object.hasOwn(nested.fields, rest) ? nested.fields[rest] : undefined);
    if (head === 'lrSchedule' && rest === 'warmup') return put(f, 'warmup', value, key, true);
    if (!name) {
      const fields = nested ? [...(nested.name ? ['name'] : []), ...Object.keys(nested.fields)] : [];
      fail({ field: key, value: undefined, ...saying(nested ? unknownField(rest, fields) : msg('err.config.notSetting', { a: 'lr', b: 'activation', c: 'probeEvery' })) });
    }
    return put(f, name, value, key, true);
  }
  if (NESTED.has(key) && isObject(value)) {
    // an object for an older nested group sets each of its fields
    for (const [k, v] of Object.entries(value)) putSetting(f, `${key}.${k}`, v);
    return;
  }
  put(f, settingNamed(key)?.name ?? key, value, key, true);
}

/** The field of an issue as the file wrote it (`optimizer.lr` for the setting `lr`). */
export function writtenAs(issue: InputIssue, written: ReadonlyMap<string, string>): string {
  const name = fieldSetting(issue.field);
  const w = written.get(name);
  if (w === undefined) return issue.field;
  const rest = issue.field.slice(name.length);
  // a nested schedule object keeps its inner path: lrSchedule.every
  return w === 'lrSchedule' && rest.startsWith('.') ? `lrSchedule${rest}` : `${w}${rest}`;
}

/**
 * Validates a run config (parsed JSON) and resolves every default; throws an
 * InputError "file: field: expected; got value" naming the field as written.
 */
export function runFromConfig(json: unknown, file: string): RunSpec {
  if (!isObject(json)) throw inputError([file], msg('err.got', { clause: msg('err.config.notObject', { example: '{"arch": "784-30-10", "activation": "relu"}' }), value: show(json) }));
  let f: Flattened;
  try {
    f = flattenConfig(json);
  } catch (e) {
    if (e instanceof InputError && e.issue) throw e.within(file);
    throw e;
  }
  try {
    return parseRun(f.input as RunInput);
  } catch (e) {
    if (!(e instanceof InputError) || !e.issue) throw e;
    const where = writtenAs(e.issue, f.written);
    const issue = { ...e.issue, field: where };
    throw new InputError(`${file}: ${phrase(issue)}`, issue, [file, where]);
  }
}

/** Every setting name a config may use at the top level (for docs and tests). */
export const CONFIG_FIELDS: readonly string[] = [...SETTING_NAMES, 'lrSchedule', 'probe'];
