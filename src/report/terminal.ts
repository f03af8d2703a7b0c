/**
 * The short plain-text summary printed at the end of `gradscope study`
 * (at most 40 lines): Nielsen's table, the activation × depth verdict grid,
 * the exploding network's arms, the claims tally with every claim that did
 * not come out "yes", the recommendations and the conclusions. Plain text,
 * no colour codes; the CLI may decorate it.
 */
import stringWidth from 'string-width';
import type { StudyResults } from '../study/types.js';
import { say, type MessageKey } from '../i18n/catalogue.js';
import type { Lang } from '../i18n/lang.js';
import { fmt, fmtArch, fmtDate, verdictLetter } from './format.js';
import { claimText, tallyText } from './sections/claims.js';
import { conclusionRows, recommendationRows } from './sections/conclusions.js';
import { armLabel } from './say.js';

/** The most lines the terminal summary may take. */
export const TERMINAL_MAX_LINES = 40;

/** `s` padded to `n` terminal columns (East Asian wide characters count two). */
function pad(s: string, n: number, right = false): string {
  const len = stringWidth(s);
  return len >= n ? s : right ? ' '.repeat(n - len) + s : s + ' '.repeat(n - len);
}

function nielsenLines(r: StudyResults, lang: Lang): string[] {
  const nets = r.nielsen?.networks ?? [];
  if (nets.length === 0) return [say(lang, 't.nielsenMissing')];
  const H = Math.max(...nets.map((n) => n.measured.median.length));
  const cellText = (n: (typeof nets)[number], l: number): string => {
    if (l >= n.measured.median.length) return '';
    return `${fmt(n.measured.median[l])}${n.published ? ` (${fmt(n.published[l])})` : ''}`;
  };
  const ratioText = (n: (typeof nets)[number]): string => `${fmt(n.ratioLastFirst?.median)}${n.publishedRatio !== null && n.publishedRatio !== undefined ? ` (${fmt(n.publishedRatio)})` : ''}`;
  // every column as wide as its widest entry plus two spaces
  const texts = nets.map((n) => [...Array.from({ length: H }, (_, l) => cellText(n, l)), ratioText(n)]);
  const heads = [...Array.from({ length: H }, (_, l) => say(lang, 'n.hidden', { n: l + 1 })), say(lang, 's.lastFirst')];
  const widths = heads.map((h, j) => 2 + Math.max(stringWidth(h), ...texts.map((t) => stringWidth(t[j]))));
  const netHead = say(lang, 's.col.network');
  const archW = 2 + Math.max(stringWidth(netHead), ...nets.map((n) => fmtArch(n.arch).length));
  const head = pad(netHead, archW) + heads.map((h, j) => pad(h, widths[j], true)).join('');
  const rows = nets.map((n, i) => `  ${pad(fmtArch(n.arch), archW)}${texts[i].map((t, j) => pad(t, widths[j], true)).join('')}`);
  return [say(lang, 't.nielsen', { k: r.nielsen.seeds }), `  ${head}`, ...rows];
}

function gridLines(r: StudyResults, lang: Lang): string[] {
  const s = r.activationDepth;
  if (!s || (s.cells ?? []).length === 0) return [say(lang, 't.gridMissing')];
  const w = Math.max(14, ...s.depths.map((d) => String(d).length + 2));
  const head = `  ${pad(say(lang, 's.col.activation'), 14)}${s.depths.map((d) => pad(String(d), w, true)).join('')}   ${say(lang, 't.hiddenLayers')}`;
  // the most common verdict over the seeds, with its share when not unanimous; then the median test accuracy
  const cellText = (a: string, d: number): string => {
    const c = s.cells.find((x) => x.activation === a && x.depth === d);
    if (!c) return '·';
    const top = Object.entries(c.atInit.verdicts ?? {}).sort((x, y) => y[1] - x[1])[0];
    const v = top ? `${verdictLetter(top[0])}${top[1] < c.atInit.seeds ? ` ${Math.round((100 * top[1]) / c.atInit.seeds)}%` : ''}` : '?';
    const acc = c.training && Number.isFinite(c.training.testAccuracy.median) ? `${(100 * c.training.testAccuracy.median).toFixed(0)}%` : '—';
    return `${v} | ${acc}`;
  };
  const rows = s.activations.map((a) => `  ${pad(a, 14)}${s.depths.map((d) => pad(cellText(a, d), w, true)).join('')}`);
  return [say(lang, 't.gridAcc', { n: s.initSeeds }), head, ...rows];
}

function clippingLine(r: StudyResults, lang: Lang): string[] {
  const c = r.exploding?.clipping;
  if (!c || (c.arms ?? []).length === 0) return [];
  const arm = (a: (typeof c.arms)[number]) => say(lang, 't.arm', { label: armLabel(a, lang), blew: a.outcomes.filter((o) => o.nonFinite).length, trained: a.outcomes.filter((o) => o.trained).length });
  return [say(lang, 't.exploding', { r: fmt(c.atInit.firstToLast.median), n: c.seeds.length, arms: c.arms.map(arm).join(lang === 'en' ? '; ' : '；') })];
}

/** Renders the terminal summary in `lang` (≤ 40 lines, no trailing newline). */
export function renderTerminalSummary(results: StudyResults, lang: Lang = 'en'): string {
  const r = results;
  const lines: string[] = [say(lang, 'rep.term.head', { title: say(lang, 'rep.title'), mode: say(lang, r.quick ? 'term.run.quick' : 'term.run.full'), seed: r.seed, date: fmtDate(r.createdAt ?? '') }), ''];
  lines.push(...nielsenLines(r, lang), '', ...gridLines(r, lang), '', ...clippingLine(r, lang));
  const claims = r.claims ?? [];
  if (claims.length > 0) {
    lines.push('', tallyText(claims, lang));
    const notYes = claims.filter((c) => c.agrees !== 'yes');
    const room = Math.max(1, TERMINAL_MAX_LINES - lines.length - 10);
    for (const c of notYes.slice(0, room)) {
      const x = claimText(c, lang);
      lines.push(`  ${say(lang, 't.claimLine', { agrees: say(lang, `cl.agree.${c.agrees}` as MessageKey), claim: x.claim, source: x.source })}`);
    }
    if (notYes.length > room) lines.push(`  ${say(lang, 't.more', { n: notYes.length - room })}`);
  }
  const recs = recommendationRows(r, lang);
  if (recs.length > 0) lines.push('', ...recs.map((x) => `${x.recommendation} — ${x.status}`));
  const rows = conclusionRows(r, lang);
  // the conclusions get whatever room is left; the head lines above are bounded by the study's grids
  const room = TERMINAL_MAX_LINES - lines.length - 2;
  if (rows.length > 0 && room >= 2) {
    lines.push('', say(lang, 't.conclusions'));
    const shown = rows.length <= room ? rows : rows.slice(0, room - 1);
    for (const x of shown) lines.push(`  ${say(lang, 't.use', { where: x.where, use: x.use, avoid: x.avoid ? say(lang, 't.avoid', { avoid: x.avoid }) : '' })}`);
    if (shown.length < rows.length) lines.push(`  ${say(lang, 't.more', { n: rows.length - shown.length })}`);
  }
  return lines.slice(0, TERMINAL_MAX_LINES).join('\n');
}
