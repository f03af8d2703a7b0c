/**
 * What a report section is — a function from the results to its HTML and its
 * charts — and the small HTML helpers (tables, notes, "not measured") every
 * section uses. A new study stage is one more `SectionRenderer`.
 */
import type { StudyResults } from '../../study/types.js';
import { say, sayHtml, type MessageKey } from '../../i18n/catalogue.js';
import type { Html, Var } from '../../i18n/message.js';
import type { Lang } from '../../i18n/lang.js';
import type { ChartSpec } from '../charts.js';
import { esc, fmt, type MaybeNumber } from '../format.js';

/** A rendered section: anchor id, heading, body HTML (without the heading) and its charts. */
export interface RenderedSection {
  readonly id: string;
  readonly title: string;
  readonly html: string;
  readonly charts: readonly ChartSpec[];
}

/** Renders one section of the report from the results, in the reader's language. */
export type SectionRenderer = (r: StudyResults, lang: Lang) => RenderedSection;

/** A table cell: text (escaped), a number (formatted, right-aligned) or a described cell. */
export type Cell =
  | string
  | number
  | null
  | undefined
  | {
      /** Raw HTML (already escaped by the caller). */
      readonly html?: string;
      /** Plain text (escaped here). */
      readonly text?: string;
      /** A number, formatted with `fmt`. */
      readonly value?: MaybeNumber;
      readonly num?: boolean;
      /** Hover text. */
      readonly title?: string;
      /** Inline background colour. */
      readonly bg?: string;
      readonly bold?: boolean;
    };

/** A column heading; numeric columns are right-aligned. */
export interface Col {
  readonly head: string;
  readonly num?: boolean;
}

function cellHtml(c: Cell, numCol: boolean): string {
  if (c === null || c === undefined || typeof c === 'number') return `<td class="num">${esc(fmt(c))}</td>`;
  if (typeof c === 'string') return `<td${numCol ? ' class="num"' : ''}>${esc(c)}</td>`;
  const body = c.html ?? (c.text !== undefined ? esc(c.text) : esc(fmt(c.value)));
  const isNumCell = c.num ?? (c.html === undefined && c.text === undefined ? true : numCol);
  const attrs = [isNumCell ? ' class="num"' : '', c.title ? ` title="${esc(c.title)}"` : '', c.bg ? ` style="background:${esc(c.bg)}"` : ''].join('');
  return `<td${attrs}>${c.bold ? `<strong>${body}</strong>` : body}</td>`;
}

/** An HTML table; headings are escaped text, cells are described by `Cell`. */
export function table(cols: readonly Col[], rows: readonly (readonly Cell[])[], caption?: string, cls = ''): string {
  const head = cols.map((c) => `<th${c.num ? ' class="num"' : ''}>${esc(c.head)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => cellHtml(c, cols[i]?.num ?? false)).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${esc(cls)}"` : ''}>${caption ? `<caption>${caption}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** The standard note for an empty part of the results. */
export function notMeasured(what: string, lang: Lang = 'en'): string {
  return `<p class="missing">${esc(say(lang, 'rep.notMeasured', { what }))}</p>`;
}

/** A sub-heading inside a section. */
export function h3(text: string, id?: string): string {
  return `<h3${id ? ` id="${esc(id)}"` : ''}>${text}</h3>`;
}

/**
 * One part of the explanation every claim gets — what the claim is, what we
 * measured, what it means — as a labelled paragraph (`html` is HTML).
 */
export function said(tag: 'Claim' | 'Measured' | 'Meaning' | 'Caveat', html: string, lang: Lang = 'en'): string {
  return `<p class="said said-${tag.toLowerCase()}"><span class="tag">${esc(say(lang, `rep.said.${tag}`))}</span> ${html}</p>`;
}

/** Safe element access for arrays that may be shorter than expected. */
export function at<T>(xs: readonly T[] | null | undefined, i: number): T | undefined {
  return xs && i >= 0 && i < xs.length ? xs[i] : undefined;
}

/** A value in bold, for `sayHtml`. */
export function bold(v: string | number): Html {
  return { html: `<strong>${esc(v)}</strong>` };
}

/** The explanation paragraph `tag` with the message `key` in `lang` (escaped; `{ html }` values as they are). */
export function saidMsg(tag: 'Claim' | 'Measured' | 'Meaning' | 'Caveat', lang: Lang, key: MessageKey, vars?: Readonly<Record<string, Var | Html>>): string {
  return said(tag, sayHtml(lang, key, vars), lang);
}
