/**
 * The playground's view flags: URL parameters that change what the page
 * shows and how fast it plays, never the run itself (so a link's run is the
 * same whatever its flags). `hide` lists the panels and settings a teacher
 * wants out of sight (as TensorFlow Playground's `*_hide` flags), `speed`
 * is the pace in steps per second, `tour` the step of the tutorial.
 */
import type { Speed } from '../worker/protocol.js';
import { SETTING_KEYS, SETTINGS } from './settings.js';

/** Panels of the page that `hide` can name, besides any setting's URL key. */
export const PANELS = ['presets', 'controls', 'toolbar', 'verdict', 'network', 'grad', 'loss', 'profile', 'heatmap', 'units', 'boundary', 'nav', 'lang', 'speed', 'copy', 'csv'] as const;
/** A panel name. */
export type Panel = (typeof PANELS)[number];

/** The view flags' own URL keys. */
export const VIEW_KEYS = ['hide', 'speed', 'tour'] as const;

/** Paces offered by the speed control, in steps per second (null = as fast as possible). */
export const SPEEDS: readonly Speed[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, null];

/** What the view flags of a link say. */
export interface ViewFlags {
  /** Panel names and setting URL keys not to show. */
  readonly hide: ReadonlySet<string>;
  readonly speed: Speed;
  /** Tutorial step (1-based), or null outside the tutorial. */
  readonly tour: number | null;
}

/** Every setting's URL key, and its older short keys, to the key the page knows it by. */
const SETTING_URL_KEYS = new Map(SETTING_KEYS.flatMap((k) => [SETTINGS[k].key, ...((SETTINGS[k] as { aliases?: readonly string[] }).aliases ?? [])].map((a) => [a, SETTINGS[k].key] as const)));

/** Parses a speed: "max" or a number of steps per second in (0, 1000]. */
export function parseSpeed(raw: string): Speed | undefined {
  if (raw === 'max') return null;
  const v = Number(raw);
  return raw.trim() !== '' && Number.isFinite(v) && v > 0 && v <= 1000 ? v : undefined;
}

/** Writes a speed as its URL value. */
export function formatSpeed(v: Speed): string {
  return v === null ? 'max' : String(v);
}

/** The view flags in a route's parameters, and the flag values that were not valid (they are ignored). */
export function viewFlagsFromParams(params: Readonly<Record<string, string>>, tourSteps: number): { flags: ViewFlags; invalid: string[] } {
  const invalid: string[] = [];
  const hide = new Set<string>();
  for (const name of (params.hide ?? '').split(',')) {
    if (name === '') continue;
    if ((PANELS as readonly string[]).includes(name)) hide.add(name);
    else if (SETTING_URL_KEYS.has(name)) hide.add(SETTING_URL_KEYS.get(name) as string);
    else invalid.push(`hide=${name}`);
  }
  let speed: Speed = null;
  if (params.speed !== undefined) {
    const v = parseSpeed(params.speed);
    if (v === undefined) invalid.push('speed');
    else speed = v;
  }
  let tour: number | null = null;
  if (params.tour !== undefined) {
    const n = Number(params.tour);
    if (Number.isInteger(n) && n >= 1 && n <= tourSteps) tour = n;
    else invalid.push('tour');
  }
  return { flags: { hide, speed, tour }, invalid };
}

/** The view-flag parameters of `params` (kept when a setting changes). */
export function viewParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of VIEW_KEYS) if (params[k] !== undefined) out[k] = params[k];
  return out;
}
