/**
 * The short plain-text summary printed at the end of `gradscope study`
 * (at most 40 lines): Nielsen's table, the activation × depth verdict grid,
 * the exploding network's arms, the claims tally with every claim that did
 * not come out "yes", the recommendations and the conclusions. Plain text,
 * no colour codes; the CLI may decorate it.
 */
import type { Lang } from '../i18n/lang.js';
import type { StudyResults } from '../experiments/study/types.js';
import { fmt, fmtArch, fmtDate, verdictLetter } from './format.js';
import { tallyText } from './sections/claims.js';

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
  return [`Nielsen's ‖δ‖ per hidden layer at initialisation — ours, median of ${r.nielsen.seeds} seeds (book):`, `  ${head}`, ...rows];
}

function gridLines(r: StudyResults): string[] {
  const s = r.activationDepth;
  if (!s || (s.cells ?? []).length === 0) return ['Activation × depth: not measured in this run.'];
  const w = Math.max(14, ...s.depths.map((d) => String(d).length + 2));
  const head = `  ${pad('activation', 14)}${s.depths.map((d) => pad(String(d), w, true)).join('')}   hidden layers`;
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
  return [`Activation × depth — verdict at initialisation (V vanishing, E exploding, D dead, S saturated, C collapsed, with its share of ${s.initSeeds} seeds when not all agree) | median test accuracy:`, head, ...rows];
}

function clippingLine(r: StudyResults): string[] {
  const c = r.exploding?.clipping;
  if (!c || (c.arms ?? []).length === 0) return [];
  const arm = (a: (typeof c.arms)[number]) => `${a.label}: ${a.outcomes.filter((o) => o.nonFinite).length} blew up, ${a.outcomes.filter((o) => o.trained).length} trained`;
  return [`Exploding net (first-to-last ${fmt(c.atInit.firstToLast.median)} at init), of ${c.seeds.length} seeds — ${c.arms.map(arm).join('; ')}.`];
}

/** Renders the terminal summary (≤ 40 lines, no trailing newline). */
export function renderTerminalSummary(results: StudyResults, _lang: Lang = 'en'): string {
  const r = results;
  const lines: string[] = [`gradscope — the vanishing-gradient study (${r.quick ? 'quick' : 'full'} run, seed ${r.seed}, ${fmtDate(r.createdAt ?? '')})`, ''];
  lines.push(...nielsenLines(r), '', ...gridLines(r), '', ...clippingLine(r));
  const claims = r.claims ?? [];
  if (claims.length > 0) {
    lines.push('', tallyText(claims));
    const notYes = claims.filter((c) => c.agrees !== 'yes');
    const room = Math.max(1, TERMINAL_MAX_LINES - lines.length - 10);
    for (const c of notYes.slice(0, room)) lines.push(`  ${c.agrees}: ${c.id} (${c.source})`);
    if (notYes.length > room) lines.push(`  … ${notYes.length - room} more in summary.md`);
  }
  const recs = r.conclusions?.recommendations ?? [];
  if (recs.length > 0) lines.push('', ...recs.map((x) => `${x.recommendation} — ${x.status}`));
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
