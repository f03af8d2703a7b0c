/**
 * The URL holds the whole state: `#/VIEW?key=value&…`. The hash (not the
 * path) so that any static host serves every link from one index.html.
 * Values keep `,` `:` `;` readable; only non-default settings are written,
 * so a link stays short and reads back to the same state.
 */
import type { Lang } from '../../activations/types.js';
import { DEFAULT_STATE, LEGACY_DEFAULTS, SETTING_KEYS, SETTINGS, settingOf, type PlaygroundState, type SettingKey } from './settings.js';

/** The three views of the lab. */
export const VIEWS = ['activations', 'playground', 'report'] as const;
/** A view. */
export type View = (typeof VIEWS)[number];

/** Where the page is: view, language and the view's own parameters. */
export interface Route {
  readonly view: View;
  readonly lang: Lang;
  readonly params: Readonly<Record<string, string>>;
}

function enc(v: string): string {
  return encodeURIComponent(v).replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%3B/gi, ';');
}

/** Parses a location hash ("#/playground?depth=10&lang=zh-Hant"); unknown views fall back to the explorer. */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q < 0 ? body : body.slice(0, q);
  const query = q < 0 ? '' : body.slice(q + 1);
  const params: Record<string, string> = {};
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      params[decodeURIComponent(k)] = decodeURIComponent(v.replace(/\+/g, ' '));
    } catch {
      // a malformed escape: drop that parameter
    }
  }
  const view = (VIEWS as readonly string[]).includes(path) ? (path as View) : 'activations';
  const lang: Lang = params.lang === 'zh-Hant' ? 'zh-Hant' : 'en';
  delete params.lang;
  return { view, lang, params };
}

/** Writes a route as a hash; `lang` is omitted for English, and empty values too except a second run's (`b.acts=` resets its layers). */
export function formatHash(r: Route): string {
  const entries = Object.entries(r.params).filter(([k, v]) => v !== '' || k.startsWith(COMPARE_PREFIX));
  if (r.lang !== 'en') entries.push(['lang', r.lang]);
  const query = entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  return `#/${r.view}${query ? `?${query}` : ''}`;
}

/** The version of the link format: links that say `v=2` use the run settings' names and defaults. */
export const LINK_VERSION = '2';

/** The value of a setting in the parameters: under its key, or under one of its older short keys. */
function rawOf(params: Readonly<Record<string, string>>, key: SettingKey): { raw: string; as: string } | undefined {
  const s = SETTINGS[key] as { key: string; aliases?: readonly string[] };
  for (const k of [s.key, ...(s.aliases ?? [])]) if (params[k] !== undefined) return { raw: params[k], as: k };
  return undefined;
}

/**
 * The playground state in a route's parameters, and the keys whose values
 * were not valid (they keep their defaults). A link without `v=2` is read
 * with the defaults it was written against (LEGACY_DEFAULTS), so it opens
 * the run it described.
 */
export function stateFromParams(params: Readonly<Record<string, string>>): { state: PlaygroundState; invalid: string[] } {
  const legacy = params.v !== LINK_VERSION && Object.keys(params).some((k) => k !== 'v');
  const state: Record<string, unknown> = { ...DEFAULT_STATE, ...(legacy ? LEGACY_DEFAULTS : {}) };
  const invalid: string[] = [];
  for (const key of SETTING_KEYS) {
    const r = rawOf(params, key);
    if (r === undefined) continue;
    const v = settingOf(key).parse(r.raw);
    if (v === null) invalid.push(r.as);
    else state[key] = v;
  }
  return { state: state as PlaygroundState, invalid };
}

/** The parameters of a playground state: `v=2` and the settings that differ from their defaults. */
export function paramsFromState(s: PlaygroundState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of SETTING_KEYS) {
    const setting = settingOf(key);
    const v = setting.format(s[key]);
    if (v !== setting.format(DEFAULT_STATE[key])) out[SETTINGS[key].key] = v;
  }
  return Object.keys(out).length > 0 ? { v: LINK_VERSION, ...out } : out;
}

/** Prefix of the second run's settings in a side-by-side comparison: `b.init=he_normal`. */
export const COMPARE_PREFIX = 'b.';

/** Settings the two runs of a comparison share: the same data, seed and step budget, trained in lock step. */
export const SHARED_KEYS: readonly SettingKey[] = ['data', 'seed', 'steps'];

/**
 * The second run of a side-by-side comparison: the first run's settings with
 * every `b.KEY` of the parameters in place of `KEY` (shared settings always
 * the first run's); null when there is no `b.` parameter.
 */
export function compareFromParams(params: Readonly<Record<string, string>>): { state: PlaygroundState; invalid: string[] } | null {
  const own: Record<string, string> = {};
  const b: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k.startsWith(COMPARE_PREFIX)) b[k.slice(COMPARE_PREFIX.length)] = v;
    else own[k] = v;
  }
  if (Object.keys(b).length === 0) return null;
  // b.KEY may use a setting's older short key, as the first run's parameters may
  const canonical = new Map(SETTING_KEYS.flatMap((k) => [SETTINGS[k].key, ...((SETTINGS[k] as { aliases?: readonly string[] }).aliases ?? [])].map((a) => [a, SETTINGS[k].key] as const)));
  for (const k of Object.keys(b)) {
    const c = canonical.get(k);
    if (c !== undefined && c !== k) {
      b[c] = b[k];
      delete b[k];
    }
  }
  const shared = new Set(SHARED_KEYS.map((k) => SETTINGS[k].key));
  const known = new Set(SETTING_KEYS.map((k) => SETTINGS[k].key));
  const unknown = Object.keys(b).filter((k) => !known.has(k) || shared.has(k));
  for (const k of Object.keys(b)) if (shared.has(k)) delete b[k];
  const { state, invalid } = stateFromParams({ ...own, ...b });
  return { state, invalid: [...unknown, ...invalid.filter((k) => k in b)].map((k) => `${COMPARE_PREFIX}${k}`) };
}

/** The `b.` parameters that make `b` the second run beside `a`: one per setting where they differ (shared settings excluded). */
export function compareParams(a: PlaygroundState, b: PlaygroundState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of SETTING_KEYS) {
    if (SHARED_KEYS.includes(key)) continue;
    const setting = settingOf(key);
    const v = setting.format(b[key]);
    if (v !== setting.format(a[key])) out[`${COMPARE_PREFIX}${SETTINGS[key].key}`] = v;
  }
  return out;
}
