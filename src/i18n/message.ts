/**
 * A message as data: the key of a sentence in the catalogue and the values
 * of its placeholders. Whatever decides what to say (a verdict, a report
 * section) builds messages; whatever talks to a person phrases them in the
 * reader's language with `say` — so one decision is worded once per
 * language, in the catalogue, and never reworded elsewhere.
 */
import type { Lang, Text } from './lang.js';
import { fmt, listIn } from './number.js';

/** A placeholder's value: text, a number (written with `fmt`), another message, or a list of them. */
export type Var = string | number | Msg | readonly (string | number | Msg)[];

/** A sentence to say: its key in a message table and its placeholders' values. */
export interface Msg {
  readonly key: string;
  readonly vars?: Readonly<Record<string, Var>>;
}

/** A piece of HTML to insert as it is (`sayHtml` escapes everything else). */
export interface Html {
  readonly html: string;
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(s: string | number | null | undefined): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A table of messages: key → text in every language, `{name}` marking a placeholder. */
export type MessageTable = Readonly<Record<string, Text>>;

/**
 * A placeholder: `{name}`, or `{name:nouns}` — the value followed by a noun
 * that agrees with it: `{n:seeds}` says "1 seed" and "5 seeds"; an irregular
 * noun gives both forms, `{n:child|children}`. (Chinese has no plural and
 * writes `{n} 個種子`.)
 */
const PLACEHOLDER = /\{([A-Za-z]\w*)(?::([A-Za-z-]+(?:\|[A-Za-z-]+)?))?\}/g;

/** The placeholders `{name}` (and `{name:nouns}`) of a text, in order of first appearance. */
export function placeholders(s: string): string[] {
  return [...new Set([...s.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** A placeholder with the single spaces around it. */
const SPACED = /( ?)\{([A-Za-z]\w*)(?::([A-Za-z-]+(?:\|[A-Za-z-]+)?))?\}( ?)/g;

/** A Han character or full-width punctuation. */
const CJK = /[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]/;

/**
 * A filled placeholder with the spaces the template put around it. Chinese
 * spaces Chinese from Latin text and numbers ("第 3 層", "使用 relu") but
 * not from Chinese: where the value and its neighbour are both Chinese
 * (a nested message, a Chinese name), the space between them goes.
 */
function spaced(lang: Lang, prev: string | undefined, pre: string, value: string, post: string, next: string | undefined, shown: string = value): string {
  if (lang === 'en') return `${pre}${shown}${post}`;
  const keepPre = pre !== '' && !(prev !== undefined && CJK.test(prev) && CJK.test(value[0] ?? ''));
  const keepPost = post !== '' && !(next !== undefined && CJK.test(next) && CJK.test(value[value.length - 1] ?? ''));
  return `${keepPre ? pre : ''}${shown}${keepPost ? post : ''}`;
}

/** The text of an HTML fragment (its tags dropped), for the noun and spacing rules. */
function textOfHtml(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}

/** The noun of `{name:nouns}` agreeing with `value`: singular for exactly 1. */
function agree(value: Var, nouns: string): string {
  const [one, many] = nouns.includes('|') ? nouns.split('|') : [nouns.endsWith('s') ? nouns.slice(0, -1) : nouns, nouns];
  return value === 1 || value === '1' ? one : many;
}

/** True for a message (a `key` string, optional vars). */
export function isMsg(v: unknown): v is Msg {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Msg).key === 'string';
}

/**
 * A phraser over `table`: `say(lang, key, vars)` fills the placeholders of the
 * key's text in `lang`. Numbers are written with `fmt`, messages are phrased
 * in the same language, lists are joined as the language joins them. A
 * placeholder without a value is left as `{name}` so a test can see it; an
 * unknown key is a bug, and throws.
 */
export function phraser<T extends MessageTable>(table: T): {
  say(lang: Lang, key: keyof T & string, vars?: Readonly<Record<string, Var>>): string;
  sayHtml(lang: Lang, key: keyof T & string, vars?: Readonly<Record<string, Var | Html>>): string;
  phrase(lang: Lang, m: Msg): string;
} {
  const value = (lang: Lang, v: Var): string => {
    if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e5 ? String(v) : fmt(v);
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return listIn(lang, v.map((x) => value(lang, x as Var)));
    return phrase(lang, v as Msg);
  };
  const textOf = (lang: Lang, key: string): string => {
    const text = table[key];
    if (text === undefined) throw new Error(`say: no message '${key}' in the catalogue`);
    return text[lang];
  };
  const fill = (lang: Lang, v: Var, nouns: string | undefined): string => (nouns === undefined ? value(lang, v) : `${value(lang, v)} ${agree(v, nouns)}`);
  const say = (lang: Lang, key: string, vars: Readonly<Record<string, Var>> = {}): string => {
    const text = textOf(lang, key);
    return text.replace(SPACED, (m, pre: string, k: string, nouns: string | undefined, post: string, at: number) =>
      k in vars ? spaced(lang, text[at - 1], pre, fill(lang, vars[k], nouns), post, text[at + m.length]) : m,
    );
  };
  // the text and every value escaped, except values given as { html }
  const sayHtml = (lang: Lang, key: string, vars: Readonly<Record<string, Var | Html>> = {}): string =>
    textOf(lang, key)
      .split(/( ?\{[A-Za-z]\w*(?::[A-Za-z-]+(?:\|[A-Za-z-]+)?)?\} ?)/)
      .map((part, i, parts) => {
        if (i % 2 === 0) return esc(part);
        const pre = part.startsWith(' ') ? ' ' : '';
        const post = part.endsWith(' ') ? ' ' : '';
        const [k, nouns] = part.trim().slice(1, -1).split(/:(.*)/s) as [string, string | undefined];
        if (!(k in vars)) return esc(part);
        const v = vars[k];
        const before = parts[i - 1] ?? '';
        const after = parts[i + 1] ?? '';
        if (typeof v === 'object' && v !== null && 'html' in v) {
          // the rules read the fragment's text; the fragment goes in as it is
          const text = textOfHtml(v.html);
          const shown = nouns === undefined ? v.html : `${v.html} ${esc(agree(text, nouns))}`;
          return spaced(lang, before[before.length - 1], pre, nouns === undefined ? text : `${text} ${agree(text, nouns)}`, post, after[0], shown);
        }
        return esc(spaced(lang, before[before.length - 1], pre, fill(lang, v as Var, nouns), post, after[0]));
      })
      .join('');
  const phrase = (lang: Lang, m: Msg): string => say(lang, m.key, m.vars);
  return { say, sayHtml, phrase };
}
