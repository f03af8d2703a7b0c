/**
 * The short plain-text summary printed at the end of `gradscope study`
 * (at most 40 lines): Nielsen's table, the activation × depth verdict grid,
 * the clipping outcome and the conclusions. Plain text, no colour codes; the
 * CLI may decorate it.
 */
import { remediesFindings } from './sections/remedies.js';
import type { StudyResults } from '../experiments/study/types.js';
import { fmt, fmtArch, fmtDate, verdictLetter } from './format.js';
import { say } from '../i18n/catalogue.js';
import type { Lang } from '../i18n/lang.js';

/** The most lines the terminal summary may take. */
export const TERMINAL_MAX_LINES = 40;

function pad(s: string, n: number, right = false): string {
  const len = [...s].length;
  return len >= n ? s : right ? ' '.repeat(n - len) + s : s + ' '.repeat(n - len);
}

function nielsenLines(r: StudyResults): string[] {
  const nets = r.nielsen?.networks ?? [];
  if (nets.length === 0) return ["Nielsen's measurement: not measured in this run."];
  const H = Math.max(...nets.map((n) => n.measured.median.length));
  const cellText = (n: (typeof nets)[number], l: number): string => {
    if (l >= n.measured.median.length) return '';
    return `${fmt(n.measured.median[l])}${n.published ? ` (${fmt(n.published[l])})` : ''}`;
  };
  const ratioText = (n: (typeof nets)[number]): string => `${fmt(n.ratioLastFirst?.median)}${n.publishedRatio !== null && n.publishedRatio !== undefined ? ` (${fmt(n.publishedRatio)})` : ''}`;
  // every column as wide as its widest entry plus two spaces
  const texts = nets.map((n) => [...Array.from({ length: H }, (_, l) => cellText(n, l)), ratioText(n)]);
  const heads = [...Array.from({ length: H }, (_, l) => `hidden ${l + 1}`), 'last/first'];
  const widths = heads.map((h, j) => 2 + Math.max(h.length, ...texts.map((t) => [...t[j]].length)));
  const archW = 2 + Math.max(7, ...nets.map((n) => fmtArch(n.arch).length));
  const head = pad('network', archW) + heads.map((h, j) => pad(h, widths[j], true)).join('');
  const rows = nets.map((n, i) => `  ${pad(fmtArch(n.arch), archW)}${texts[i].map((t, j) => pad(t, widths[j], true)).join('')}`);
  return [`Nielsen's ‖δ‖ per hidden layer at initialisation — ours, median of ${(r.nielsen.seeds ?? []).length} seeds (book):`, `  ${head}`, ...rows];
}

function gridLines(r: StudyResults): string[] {
  const s = r.activationDepth;
  if (!s || (s.runs ?? []).length === 0) return ['Activation × depth: not measured in this run.'];
  const w = Math.max(6, ...s.depths.map((d) => String(d).length + 2));
  const head = `  ${pad('activation', 14)}${s.depths.map((d) => pad(String(d), w, true)).join('')}   hidden layers`;
  const rows = s.activations.map((a) => `  ${pad(a, 14)}${s.depths.map((d) => pad(verdictLetter(s.runs.find((x) => x.activation === a && x.depth === d)?.verdict?.kind ?? null).replace('?', '·'), w, true)).join('')}`);
  return ['Activation × depth, verdict at initialisation (V vanishing, E exploding, D dead, S saturated):', head, ...rows];
}

function clippingLine(r: StudyResults): string[] {
  const c = r.exploding?.clipping;
  if (!c) return [];
  const wo = c.without?.nonFinite;
  const wi = c.with?.nonFinite;
  return [`Exploding: without clipping ${wo ? `non-finite at step ${wo.step}, layer ${wo.layer}` : 'stayed finite'}; with clipping at ${fmt(c.clipNorm)} ${wi ? `non-finite at step ${wi.step}` : `finite (${c.with?.clipEvents ?? 0} steps clipped)`}.`];
}

/** Renders the terminal summary (≤ 40 lines, no trailing newline). */
export function renderTerminalSummary(results: StudyResults, lang: Lang = 'en'): string {
  const r = results;
  const lines: string[] = [say(lang, 'rep.term.head', { title: say(lang, 'rep.title'), mode: say(lang, r.quick ? 'term.run.quick' : 'term.run.full'), seed: r.seed, date: fmtDate(r.createdAt ?? '') }), ''];
  lines.push(...nielsenLines(r), '', ...gridLines(r), '', ...clippingLine(r));
  if (r.remedies) {
    const f = remediesFindings(r.remedies);
    lines.push(`Remedies: ${f.filter((x) => x.agrees).length} of ${f.length} published claims reproduced (${[...new Set(f.map((x) => `${x.source}${x.agrees ? '' : ' ✗'}`))].join('; ')}).`);
  }
  if (r.orderChaos) lines.push(`Order and chaos: ${r.orderChaos.claims.filter((c) => c.agrees === 'yes').length} of ${r.orderChaos.claims.length} claims agree (${r.orderChaos.claims.map((c) => `${c.id.replace('order-chaos/', '')} ${c.agrees}`).join(', ')}).`);
  const rows = r.conclusions?.rows ?? [];
  // the conclusions get whatever room is left; the head lines above are bounded by the study's grids
  const room = TERMINAL_MAX_LINES - lines.length - 2;
  if (rows.length > 0 && room >= 2) {
    lines.push('', 'Conclusions:');
    const shown = rows.length <= room ? rows : rows.slice(0, room - 1);
    for (const x of shown) lines.push(`  ${x.where}: use ${x.use}${x.avoid ? `; avoid ${x.avoid}` : ''}`);
    if (shown.length < rows.length) lines.push(`  … ${rows.length - shown.length} more in summary.md`);
  }
  return lines.slice(0, TERMINAL_MAX_LINES).join('\n');
}
