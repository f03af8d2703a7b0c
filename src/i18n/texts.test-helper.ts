/**
 * Every bilingual text gradscope has, gathered for the catalogue tests: the
 * message catalogue, the activation entries, the family maps, and the web
 * lab's interface, settings and presets — found by walking the exported
 * values for { en, zh-Hant } pairs, so a new table is covered without
 * being listed here.
 */
import * as catalogue from '../activations/catalogue.js';
import * as lineage from '../activations/lineage.js';
import * as webText from '../web/i18n.js';
import * as webPresets from '../web/state/presets.js';
import * as webSettings from '../web/state/settings.js';
import { MESSAGES } from './catalogue.js';

/** One text pair and where it was found. */
export interface FoundText {
  readonly where: string;
  readonly en: string;
  readonly zh: string;
}

function isPair(v: unknown): v is { en: unknown; 'zh-Hant': unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'en' in v && 'zh-Hant' in v;
}

/** Walks `v` for text pairs (strings, or lists of strings in the same order). */
export function textsIn(v: unknown, where: string, out: FoundText[] = [], seen = new Set<unknown>()): FoundText[] {
  if (typeof v !== 'object' || v === null || seen.has(v)) return out;
  seen.add(v);
  if (isPair(v)) {
    const en = v.en;
    const zh = v['zh-Hant'];
    if (typeof en === 'string' && typeof zh === 'string') out.push({ where, en, zh });
    else if (Array.isArray(en) && Array.isArray(zh)) {
      if (en.length !== zh.length) out.push({ where: `${where} (lists of ${en.length} and ${zh.length} items)`, en: en.join(' | '), zh: '' });
      else en.forEach((e, i) => out.push({ where: `${where}[${i}]`, en: String(e), zh: String(zh[i]) }));
    }
    return out;
  }
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'function') textsIn(x, `${where}.${k}`, out, seen);
  return out;
}

/** Every text pair of the catalogue, the activation entries, the maps and the web lab. */
export function allTexts(): FoundText[] {
  const out: FoundText[] = [];
  for (const [k, v] of Object.entries(MESSAGES)) out.push({ where: k, en: v.en, zh: v['zh-Hant'] });
  textsIn(catalogue.ACTIVATIONS.map((d) => ({ [d.name]: d.meta, params: d.params })), 'activations', out);
  textsIn(catalogue.FAMILIES, 'families', out);
  textsIn({ LINEAGE: lineage.LINEAGE, CROSS_LINKS: lineage.CROSS_LINKS }, 'lineage', out);
  textsIn(webText, 'web/i18n', out);
  textsIn(webSettings, 'web/state/settings', out);
  textsIn(webPresets, 'web/state/presets', out);
  return out;
}
