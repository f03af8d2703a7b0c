/**
 * The URL holds the whole state: `#/VIEW?key=value&…`. The hash (not the
 * path) so that any static host serves every link from one index.html.
 * Values keep `,` `:` `;` readable; only non-default settings are written,
 * so a link stays short and reads back to the same state.
 */
import type { Lang } from '../../activations/types.js';
import { DEFAULT_STATE, SETTING_KEYS, SETTINGS, settingOf, type PlaygroundState } from './settings.js';

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

/** Writes a route as a hash; `lang` is omitted for English. */
export function formatHash(r: Route): string {
  const entries = Object.entries(r.params).filter(([, v]) => v !== '');
  if (r.lang !== 'en') entries.push(['lang', r.lang]);
  const query = entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  return `#/${r.view}${query ? `?${query}` : ''}`;
}

/** The playground state in a route's parameters, and the keys whose values were not valid (they keep their defaults). */
export function stateFromParams(params: Readonly<Record<string, string>>): { state: PlaygroundState; invalid: string[] } {
  const state: Record<string, unknown> = { ...DEFAULT_STATE };
  const invalid: string[] = [];
  for (const key of SETTING_KEYS) {
    const raw = params[SETTINGS[key].key];
    if (raw === undefined) continue;
    const v = settingOf(key).parse(raw);
    if (v === null) invalid.push(SETTINGS[key].key);
    else state[key] = v;
  }
  return { state: state as PlaygroundState, invalid };
}

/** The parameters of a playground state: only settings that differ from their defaults. */
export function paramsFromState(s: PlaygroundState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of SETTING_KEYS) {
    const setting = settingOf(key);
    const v = setting.format(s[key]);
    if (v !== setting.format(DEFAULT_STATE[key])) out[SETTINGS[key].key] = v;
  }
  return out;
}
