/**
 * Settings written as text — a flag's argument, a URL value — and back: one
 * reader and one writer per kind of setting (settings.ts), shared by the
 * CLI and the web lab's URL, so `--activation-params negative_slope=0.2`
 * and `activationParams=negative_slope:0.2` mean the same thing. Values are
 * only turned into JSON here; their ranges are the schema's to check.
 */
import { fail, saying } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import type { ScheduleSpec, SettingDef } from './settings.js';

const NONE = new Set(['none', 'off', 'null']);

/** A number written as text, or undefined when it is not one. */
function numberOf(raw: string): number | undefined {
  const t = raw.trim();
  if (t === '') return undefined;
  const v = Number(t);
  return Number.isNaN(v) ? undefined : v;
}

/** Parses "k=v,k2=v2" (or "k:v;k2:v2") into a record of numbers; throws an issue naming `field`. */
export function paramsFromText(raw: string, field: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (raw.trim() === '') return out;
  for (const part of raw.split(/[;,]/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(.+?)\s*$/.exec(part);
    if (!m) fail({ field, value: part, ...saying(msg('err.param.form', { form: 'name=value', example: 'negative_slope=0.2' })) });
    const v = numberOf(m[2]);
    if (v === undefined || !Number.isFinite(v)) fail({ field, value: m[2], ...saying(msg('err.param.finiteNamed', { name: m[1] })) });
    out[m[1]] = v;
  }
  return out;
}

/** Parses a schedule: constant, step:EVERY[:FACTOR], cosine[:MINLR]; throws an issue naming `field`. */
export function scheduleFromText(raw: string, field: string): ScheduleSpec | Record<string, unknown> {
  const [kind, a, b, ...rest] = raw.split(':');
  const bad = (): never => fail({ field, value: raw, ...saying(msg('err.schedule.form', { a: 'constant', b: 'step:EVERY[:FACTOR]', c: 'cosine[:MINLR]' })) });
  if (rest.length > 0) bad();
  if (kind === 'constant' && a === undefined) return { kind };
  if (kind === 'step' && a !== undefined) return b === undefined ? { kind, every: numberOf(a) ?? a } : { kind, every: numberOf(a) ?? a, factor: numberOf(b) ?? b };
  if (kind === 'cosine' && b === undefined) return a === undefined ? { kind } : { kind, minLr: numberOf(a) ?? a };
  return bad();
}

/**
 * The JSON value of a setting written as text. Values that do not read as
 * their kind are passed on as strings, so the schema reports them with its
 * usual sentence ("must be a number; got 'x'").
 */
export function valueFromText(def: SettingDef, raw: string, field: string = def.name): unknown {
  const t = raw.trim();
  switch (def.text) {
    case 'string':
      return t;
    case 'number':
    case 'int':
      return numberOf(t) ?? t;
    case 'optionalNumber':
    case 'optionalInt':
      return NONE.has(t.toLowerCase()) ? null : numberOf(t) ?? t;
    case 'intOrAuto':
      return t === 'auto' ? 'auto' : numberOf(t) ?? t;
    case 'bool': {
      const l = t.toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(l)) return true;
      if (['0', 'false', 'no', 'off'].includes(l)) return false;
      return t;
    }
    case 'list':
      return t.includes(',') ? t.split(',').map((s) => s.trim()) : t;
    case 'params':
      return paramsFromText(t, field);
    case 'schedule':
      return scheduleFromText(t, field);
  }
}

/** Writes a setting's value as text (the inverse of `valueFromText`; URLs write `k:v;k2:v2` parameters). */
export function textOf(def: SettingDef, value: unknown, style: 'flag' | 'url' = 'flag'): string {
  if (value === null) return 'none';
  switch (def.text) {
    case 'bool':
      return style === 'url' ? (value ? '1' : '0') : String(value);
    case 'list':
      return Array.isArray(value) ? value.join(',') : String(value);
    case 'params': {
      const p = value as Record<string, number>;
      const [kv, sep] = style === 'url' ? [':', ';'] : ['=', ','];
      return Object.keys(p)
        .sort()
        .map((k) => `${k}${kv}${shortNumber(p[k])}`)
        .join(sep);
    }
    case 'schedule': {
      const s = value as ScheduleSpec;
      return s.kind === 'constant' ? 'constant' : s.kind === 'step' ? `step:${s.every}:${shortNumber(s.factor)}` : `cosine:${shortNumber(s.minLr)}`;
    }
    case 'number':
    case 'optionalNumber':
      return shortNumber(value as number);
    default:
      return String(value);
  }
}

/** The shortest decimal that reads back as the same double (2e-3 rather than 0.002000000001). */
export function shortNumber(v: number): string {
  const short = String(Number(v.toPrecision(6)));
  return Number(short) === v ? short : String(v);
}
